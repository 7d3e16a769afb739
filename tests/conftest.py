"""Shared fixtures. The interim draft is loaded once per test session; each test runs in a rolled-back
transaction on top of it, so tests see the real plan (41 cards) without paying for the load each time."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from consultations.models import ConsultationPage
from home.models import HomePage
from home.roles import APPROVERS, PR_EDITORS
from plan.models import InitiativePage


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0)
        call_command("create_demo_consultation", verbosity=0)


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
