"""Answers computed once per request: the same lookup asked by several template tags and models costs one query.

`RequestMemoMiddleware` opens a memo for the duration of each request; `remember(key, compute)` returns the
memo's answer for `key`, computing it the first time. Outside a request (shell, tasks, tests calling models
directly) nothing is remembered: every call computes, so no answer can outlive the request that asked for it.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("mieplan_request_memo", default=None)


def remember(key: object, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(key: object) -> None:
    """Drop one answer (the request itself changed what it depends on)."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)  # Django renders template responses before returning here
        finally:
            _memo.reset(token)
