"""Shared fixtures.

Two kinds of database test:
- unit tests that request `small_plan` see a small plan (three areas, three cards, the open consultation) built
  once per worker with tests/factories.py, and build anything else they need with the same builders;
- every other database test sees the whole interim draft in eight languages (41 cards, the demo consultation),
  loaded once per test run and shared by the workers (tests/snapshots.py). The fixtures `home_page`, `card`,
  `consultation` and `comment_data` read it.
Each test runs in a rolled-back transaction. Each worker runs its factory tests first, then its full-plan ones.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from consultations.models import ConsultationPage
from home.models import HomePage
from home.roles import APPROVERS, PR_EDITORS
from plan.models import InitiativePage
from tests import factories
from tests.snapshots import DatabaseStates, drop_shared_postgres

FACTORY_FIXTURES = {"small_plan"}


def uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or "db" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A database test that builds nothing itself gets the whole plan; those run after the factory tests."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and uses_database(item) and not FACTORY_FIXTURES & set(names) and "full_plan" not in names:
            names.insert(0, "full_plan")  # session-scoped: set up before the test's transaction begins
    items.sort(key=lambda item: bool({"full_plan", "site_env"} & set(getattr(item, "fixturenames", ()))))


def shared_folder(tmp_path_factory) -> Path:
    """The run's temporary folder, shared by its workers (each worker's basetemp is a folder inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def database_states(django_db_setup, django_db_blocker, tmp_path_factory) -> DatabaseStates:
    with django_db_blocker.unblock():
        states = DatabaseStates(shared_folder(tmp_path_factory), os.environ.get("PYTEST_XDIST_WORKER", "main"))
        states.save("migrated")
        factories.build_small_plan()
        states.save("base")
        yield states
        states.drop("migrated", "base")


def load_full_plan(states: DatabaseStates) -> None:
    states.restore("migrated")
    call_command("load_plan", verbosity=0)
    call_command("create_demo_consultation", verbosity=0)


@pytest.fixture(scope="session")
def full_plan(database_states, django_db_blocker) -> DatabaseStates:
    """The whole plan in this worker's database (made once per run, then copied)."""
    with django_db_blocker.unblock():
        database_states.ensure_full(lambda: load_full_plan(database_states))
    return database_states


@pytest.fixture
def small_plan(db, database_states) -> factories.SmallPlan:
    """Home, plan, three areas with one direction and one card each (KPI rows, a department), the open
    consultation: tests/factories.py's small_plan, in the worker's database since the session began."""
    if database_states.current != "base":
        pytest.fail("a small-plan test ran after the whole plan was loaded: tests/conftest.py orders them first")
    return factories.small_plan()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run's shared copies of PostgreSQL databases go when the run ends (the controller's, with xdist)."""
    if os.environ.get("PYTEST_XDIST_WORKER") or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    from django.db import connection

    drop_shared_postgres(os.environ["DATABASE_URL"], connection.creation._get_test_db_name())


@pytest.fixture
def home_page(db) -> HomePage:
    return HomePage.objects.get(locale__language_code="ja")


@pytest.fixture
def card(db):
    def get(number: str) -> InitiativePage:
        return InitiativePage.objects.get(number=number, locale__language_code="ja")

    return get


@pytest.fixture
def consultation(db) -> ConsultationPage:
    return ConsultationPage.objects.get(locale__language_code="ja")


@pytest.fixture
def closed_consultation(consultation) -> ConsultationPage:
    consultation.opens_at = timezone.now() - timedelta(days=40)
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.save_revision().publish()
    return consultation


def make_user(django_user_model, username: str, group: str | None = None, **extra):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return make_user(django_user_model, "editor", PR_EDITORS)


@pytest.fixture
def approver(db, django_user_model):
    return make_user(django_user_model, "approver", APPROVERS)


@pytest.fixture(autouse=True)
def default_language():
    """A request's LocaleMiddleware leaves its language active in the thread: every test starts in Japanese."""
    from django.utils import translation

    translation.activate("ja")
    yield
    translation.activate("ja")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in caches (Redis on CI): every test starts with none."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["limits"].clear()
    yield
    cache.clear()
    caches["limits"].clear()


@pytest.fixture
def moderator(db, django_user_model):
    from home.roles import MODERATORS

    return make_user(django_user_model, "moderator", MODERATORS)


def form_token(age_seconds: int = 10) -> str:
    """A comment-form token issued `age_seconds` ago (the form refuses ones filled in under 3 seconds)."""
    import time

    from django.core import signing

    from consultations.forms import FORM_SIGNING_SALT

    return signing.TimestampSigner(salt=FORM_SIGNING_SALT).sign(str(int(time.time()) - age_seconds))


@pytest.fixture
def comment_data(card):
    """Valid form data for a comment on the first KPI row of card 3-1."""
    page = card("3-1")
    row = page.kpis.first()

    def build(**changes) -> dict:
        data = {
            "page": str(page.pk),
            "part": "kpi",
            "item": str(row.translation_key),
            "body": "KPIの目標値について、年度ごとの途中経過も公表してください。",
            "name": "三重 太郎",
            "age_group": "40s",
            "residence": "tsu",
            "email": "taro@example.jp",
            "publication": "name",
            "consent": "on",
            "website": "",
            "form_token": form_token(),
        }
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    return build
