"""Copies of a worker's test database, so the whole plan is loaded once per test run and shared.

A worker's database starts migrated and empty ("base": the tests that build what they need with
tests/factories.py). The first worker to need the whole eight-language plan loads it into its database and saves
a copy ("full") in the run's shared folder (SQLite) or as a template database (PostgreSQL); the other worker, and
the browser tests' server, start from that copy instead of loading it again. Switching a database between the
two takes a fraction of a second, so tests/conftest.py runs each worker's base tests first, then its full-plan
tests, with one switch between.
"""

import fcntl
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class DatabaseStates:
    """The worker's test database as "migrated" (empty), "base" (the small plan) or "full" (the whole plan);
    `current` says which it holds now."""

    def __init__(self, shared: Path, worker: str) -> None:
        self.shared = shared
        self.worker = worker
        self.current = "base"
        self.postgres = connection.vendor == "postgresql"
        self.sqlite = connection.vendor == "sqlite"
        name = connection.settings_dict["NAME"]
        # pytest-django names a worker's database test_<name>_gw0; the shared copy drops the suffix.
        self.full_name = re.sub(r"_gw\d+$", "", str(name)) + "_fullplan"

    # Saving and restoring -----------------------------------------------------------------------------

    def _path(self, state: str) -> Path:
        return self.shared / ("full.sqlite3" if state == "full" else f"{state}-{self.worker}.sqlite3")

    def _database(self, state: str) -> str:
        return self.full_name if state == "full" else f"{connection.settings_dict['NAME']}_{state}"

    def _postgres(self, *statements: str) -> None:
        connection.close()
        with connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def save(self, state: str) -> None:
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self._path(state))
            connection.connection.backup(target)
            target.close()
        elif self.postgres:
            name = self._database(state)
            self._postgres(
                f'DROP DATABASE IF EXISTS "{name}"',
                f'CREATE DATABASE "{name}" TEMPLATE "{connection.settings_dict["NAME"]}"',
            )
        else:
            raise NotImplementedError(connection.vendor)

    def restore(self, state: str) -> None:
        if self.sqlite:
            connection.ensure_connection()
            source = sqlite3.connect(self._path(state))
            source.backup(connection.connection)
            source.close()
        else:
            name = connection.settings_dict["NAME"]
            self._postgres(f'DROP DATABASE "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{self._database(state)}"')
        ContentType.objects.clear_cache()
        self.current = state

    def drop(self, *states: str) -> None:
        """The worker's own copies; the shared one goes with the run (drop_shared_postgres)."""
        if self.postgres:
            self._postgres(*(f'DROP DATABASE IF EXISTS "{self._database(state)}"' for state in states))

    # The whole plan -------------------------------------------------------------------------------------

    def ensure_full(self, load: Callable[[], None]) -> None:
        """Make the shared full copy unless another worker has (`load` fills the database), and switch to it."""
        if self.current == "full":
            return
        with file_lock(self.shared / "full.lock"):
            ready = self.shared / "full.ready"
            if not ready.exists():
                load()
                self.save("full")
                ready.write_text(self.full_name)
        self.restore("full")

    def full_copy_for_server(self, folder: Path) -> str:
        """A DATABASE_URL for a server process of its own with the whole plan (the browser tests)."""
        if self.sqlite:
            target = folder / "db.sqlite3"
            shutil.copyfile(self._path("full"), target)
            return f"sqlite:///{target}"
        settings = connection.settings_dict
        # Each xdist worker names its folders alike (e2e-site0): the worker keeps their databases apart.
        name = f"{self.full_name}_{self.worker}_{folder.name}"[:63]
        self._postgres(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{self.full_name}"')
        credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def drop_shared_postgres(database_url: str, test_database: str) -> None:
    """After the run: the shared full copy and the browser servers' copies of it (PostgreSQL only)."""
    import psycopg

    pattern = test_database.replace("_", "\\_") + "\\_fullplan%"
    with psycopg.connect(database_url, autocommit=True) as admin:
        names = [row[0] for row in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [pattern])]
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
