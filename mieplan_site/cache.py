"""The default cache: Django's Redis cache that, while Redis is unreachable, behaves as an empty cache.

Django's RedisCache raises when Redis is down, and Wagtail reads the default cache on almost every request (the
sites' root paths behind every page URL, image renditions). Without this, a Redis outage turned every page not
already in the page cache into a 500, and so the redirect to a resident's receipt after their comment was
stored (found by tests/faults). Reads now miss and new values are dropped instead; after a failure the process
leaves Redis alone for a few seconds, so a Redis that does not answer at all costs one timeout, not one per call.

Counting and forgetting (`incr`, `delete`, `delete_many`, `clear`) still raise: the comment rate limit must know
it counted nothing, and an invalidation that did not happen must not pass silently.
The page cache ("pages", mieplan_site/pagecache.py) keeps the plain backend: it handles outages itself.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
OUTAGE_PAUSE_SECONDS = 5.0


class FailSoftRedisCache(RedisCache):
    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self.paused_until = 0.0

    def soft(self, fallback: Any, call: Callable, *args: Any) -> Any:
        if time.monotonic() < self.paused_until:
            return fallback
        try:
            return call(*args)
        except UNREACHABLE as error:
            logger.warning("cache unreachable, used as empty for %s s: %s", OUTAGE_PAUSE_SECONDS, error)
            self.paused_until = time.monotonic() + OUTAGE_PAUSE_SECONDS
            return fallback

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self.soft(default, super().get, key, default, version)

    def get_many(self, keys, version: int | None = None) -> dict:
        return self.soft({}, super().get_many, keys, version)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self.soft(False, super().has_key, key, version)

    def add(self, key: str, value: Any, timeout=DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.soft(False, super().add, key, value, timeout, version)

    def set(self, key: str, value: Any, timeout=DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self.soft(None, super().set, key, value, timeout, version)

    def set_many(self, data: dict, timeout=DEFAULT_TIMEOUT, version: int | None = None) -> list:
        return self.soft(list(data), super().set_many, data, timeout, version)

    def touch(self, key: str, timeout=DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.soft(False, super().touch, key, timeout, version)
