"""The default cache while Redis is unreachable (mieplan_site/cache.py): an empty cache, not an error on every page.
tests/faults kills a real Redis under load; these pin the rules without one."""

import socket
from unittest import mock

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from mieplan_site.cache import FailSoftRedisCache


@pytest.fixture
def unreachable() -> FailSoftRedisCache:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return FailSoftRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})


def test_reads_miss_and_new_values_are_dropped_while_redis_is_unreachable(unreachable):
    assert unreachable.get("site-root-paths", "fallback") == "fallback"
    unreachable.paused_until = 0.0  # every call reaches Redis, not only the first
    unreachable.set("site-root-paths", [1])
    unreachable.paused_until = 0.0
    assert unreachable.get_many(["a", "b"]) == {}
    unreachable.paused_until = 0.0
    assert unreachable.add("a", 1) is False
    unreachable.paused_until = 0.0
    assert unreachable.get_or_set("a", 2) == 2
    unreachable.paused_until = 0.0
    assert unreachable.set_many({"a": 1}) == ["a"]


def test_counting_and_forgetting_still_raise(unreachable):
    """The comment rate limit must know it counted nothing; a lost invalidation must not pass silently."""
    with pytest.raises(RedisConnectionError):
        unreachable.incr("comment-rate:x")
    with pytest.raises(RedisConnectionError):
        unreachable.delete("site-root-paths")


def test_after_a_failure_redis_is_left_alone_for_a_few_seconds(unreachable):
    assert unreachable.get("a") is None
    redis = mock.Mock()
    redis.get.return_value = "stored"
    unreachable.__dict__["_cache"] = redis  # the backend's client (a cached_property)
    assert unreachable.get("a", "fallback") == "fallback"
    redis.get.assert_not_called()
    unreachable.paused_until = 0.0  # the pause is over
    assert unreachable.get("a") == "stored"
