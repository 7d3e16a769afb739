"""Counters that must hold across worker processes (the comment and status look-up rate limits) when there is
no Redis: Django's file-based cache, with `add` and `incr` under an exclusive file lock.

Why files and not DatabaseCache: SQLite takes one writer at a time, and a counter write on every comment and
look-up would queue behind (and lock out) the comments themselves; the files need no table and no migration.
Django's `incr` is a read then a write, so two gunicorn workers could both read 4 and both write 5: the lock
makes each count happen once. It is shared by the processes of one machine, which is all the embedded default
has; several app servers need Redis (REDIS_URL), which then holds these counters too.
"""

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class LockedFileCache(FileBasedCache):
    @contextmanager
    def _locked(self):
        Path(self._dir).mkdir(parents=True, exist_ok=True)
        with open(Path(self._dir) / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta: int = 1, version=None) -> int:
        with self._locked():
            return super().incr(key, delta, version)
