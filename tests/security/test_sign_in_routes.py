"""Every route that signs a person in asks for the one-time code, and no session without it reaches the admin.

The sign-in routes are found by walking the URLconf in every language, so a route added later (or a Wagtail
upgrade that brings one) is tested without anyone remembering to list it here.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, resolve, reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.urlconf import url_routes

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.7"


def signs_in(pattern: URLPattern) -> bool:
    view = getattr(pattern.callback, "view_class", None)
    if view is None:
        return False
    post_reset = issubclass(view, auth_views.PasswordResetConfirmView) and (
        pattern.callback.view_initkwargs.get("post_reset_login", view.post_reset_login)
    )
    return issubclass(view, auth_views.LoginView) or bool(post_reset)


def sign_in_urls() -> list[str]:
    """The address of every sign-in pattern in every language (one address may be shadowed by another)."""
    urls = set()
    for route, pattern in url_routes():
        if signs_in(pattern):
            assert "<" not in route and "(" not in route, f"a sign-in route with parameters: {route}"
            urls.add("/" + route)
    return sorted(urls)


SIGN_IN_URLS = sign_in_urls()


def test_the_walk_finds_the_admin_and_every_languages_private_page_sign_in():
    expected = {"/admin/login/"} | {f"/{code}/_util/login/" for code, _name in settings.LANGUAGES}
    assert expected <= set(SIGN_IN_URLS)


@pytest.fixture
def device(editor) -> TOTPDevice:
    call_command("enable_two_factor", "editor", stdout=StringIO())
    return TOTPDevice.objects.get(user=editor)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def post_sign_in(client: Client, url: str, password: str = "pw-editor", code: str | None = None):  # noqa: S107
    data = {"username": "editor", "password": password, "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client.post(url, data, REMOTE_ADDR=ADDRESS)


def refusal(response) -> str:
    """Why the form refused the sign-in (the message itself is in the page's language)."""
    assert response.status_code == 200
    return response.context["form"].non_field_errors().as_data()[0].code


def reaches_the_admin(client: Client) -> bool:
    dashboard = client.get("/admin/", REMOTE_ADDR=ADDRESS)
    export = client.get(reverse("consultations_comment_export", args=["csv"]), REMOTE_ADDR=ADDRESS)
    if dashboard.status_code == 200 or export.status_code == 200:
        return True
    assert dashboard["Location"].startswith("/admin/login/")  # sent to the admin sign-in, not to an error
    return False


def test_every_sign_in_route_is_served_by_a_view_that_asks_for_the_code():
    languages = {code for code, _name in settings.LANGUAGES}
    for url in SIGN_IN_URLS:
        prefix = url.split("/")[1]
        with translation.override(prefix if prefix in languages else settings.LANGUAGE_CODE):
            served = resolve(url).func.view_class  # the first pattern that matches: what a request gets
        form = served().get_form_class()
        assert "otp_token" in form.base_fields, f"{url} is served by {served.__name__} without the code"


@pytest.mark.parametrize("url", SIGN_IN_URLS)
def test_the_password_alone_does_not_open_the_admin(client, device, url):
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="otp_token"' in form.content.decode()
    assert refusal(post_sign_in(client, url)) == "otp_missing"
    assert not reaches_the_admin(client)


@pytest.mark.parametrize("url", SIGN_IN_URLS)
def test_the_password_and_the_code_open_the_admin(client, device, url):
    assert post_sign_in(client, url, code=current_code(device)).status_code == 302
    assert reaches_the_admin(client)


@pytest.mark.parametrize("url", SIGN_IN_URLS)
def test_staff_without_a_device_cannot_sign_in_where_the_code_is_required(client, editor, settings, url):
    settings.STAFF_TWO_FACTOR = "required"
    assert refusal(post_sign_in(client, url)) == "otp_not_enrolled"
    assert not reaches_the_admin(client)


@pytest.mark.parametrize("url", SIGN_IN_URLS)
def test_five_failures_lock_every_sign_in_route(client, editor, url):
    for _attempt in range(4):
        assert post_sign_in(client, url, password="wrong").status_code == 200
    assert post_sign_in(client, url, password="wrong").status_code == 429
    assert post_sign_in(client, url).status_code == 429  # even the right password, while locked
    assert not reaches_the_admin(client)


def test_the_issues_recipe_no_longer_skips_the_code(device):
    # GET the private-page sign-in, POST the password with its CSRF token and next=/admin/, then GET /admin/.
    browser = Client(enforce_csrf_checks=True)
    browser.get("/ja/_util/login/")
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(
        "/ja/_util/login/",
        {"csrfmiddlewaretoken": token, "username": "editor", "password": "pw-editor", "next": "/admin/"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200
    assert browser.get("/admin/").status_code == 302


def test_a_session_opened_without_the_code_is_sent_to_the_admin_sign_in(client, device, editor):
    # However such a session came about (an older sign-in route, enrolment after signing in), it is not staff.
    client.force_login(editor)
    assert not reaches_the_admin(client)
    login = client.get("/admin/login/?next=/admin/")
    assert login.status_code == 200  # the form, not a redirect back to the dashboard (a loop)
    assert post_sign_in(client, "/admin/login/", code=current_code(device)).status_code == 302
    assert reaches_the_admin(client)


def test_a_session_of_staff_without_a_device_is_refused_once_the_code_becomes_required(client, editor, settings):
    client.force_login(editor)
    assert reaches_the_admin(client)
    settings.STAFF_TWO_FACTOR = "required"
    assert not reaches_the_admin(client)


def test_users_who_need_no_code_keep_their_session(client, editor, settings):
    client.force_login(editor)
    assert reaches_the_admin(client)
    settings.STAFF_TWO_FACTOR = "off"
    assert reaches_the_admin(client)
