"""Admin sign-in throttling (django-axes): 5 failures for one user name from one address lock that pair."""

import pytest
from axes.models import AccessAttempt

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]

LOGIN = "/admin/login/"
LOCKED_JA = "ログインに続けて失敗したため、一時的にロックしました。15分後にもう一度お試しください。"


def sign_in(client, username: str, password: str, address: str = "198.51.100.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail(client, username: str, times: int, **kwargs) -> None:
    for _ in range(times):
        response = sign_in(client, username, "wrong-password", **kwargs)
        assert response.status_code == 200  # the login form again, with its error


def test_five_wrong_passwords_lock_the_account_with_a_429_page_in_japanese(client, editor):
    fail(client, "editor", 4)
    response = sign_in(client, "editor", "wrong-password")
    assert response.status_code == 429
    assert LOCKED_JA in response.content.decode()
    assert response["Content-Security-Policy"]  # the lockout page is a response like any other


def test_even_the_right_password_is_refused_while_locked(client, editor):
    fail(client, "editor", 4)
    assert sign_in(client, "editor", "wrong-password").status_code == 429
    response = sign_in(client, "editor", "pw-editor")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_follows_the_readers_language(client, editor):
    fail(client, "editor", 4, HTTP_ACCEPT_LANGUAGE="en")
    response = sign_in(client, "editor", "wrong-password", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()


def test_lock_ends_after_the_cool_off(client, editor):
    fail(client, "editor", 4)
    assert sign_in(client, "editor", "wrong-password").status_code == 429
    from datetime import timedelta

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    response = sign_in(client, "editor", "pw-editor")
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_count(client, editor):
    fail(client, "editor", 4)
    assert sign_in(client, "editor", "pw-editor").status_code == 302
    client.logout()
    fail(client, "editor", 4)  # 8 failures in all, but never 5 in a row
    assert sign_in(client, "editor", "pw-editor").status_code == 302


def test_other_users_and_other_addresses_are_not_locked(client, editor, approver):
    fail(client, "editor", 4)
    assert sign_in(client, "editor", "wrong-password").status_code == 429
    # Another user from the same address signs in as usual …
    assert sign_in(client, "approver", "pw-approver").status_code == 302
    client.logout()
    # … and so does the locked user from another address (the pair is locked, not the account).
    assert sign_in(client, "editor", "pw-editor", address="192.0.2.44").status_code == 302


def test_behind_the_load_balancer_the_address_it_appended_counts(client, editor, settings):
    # With USE_X_FORWARDED_FOR the last X-Forwarded-For entry is the client's: forging earlier entries does not
    # give an attacker a fresh address for each attempt.
    settings.USE_X_FORWARDED_FOR = True
    for forged in range(4):
        fail(client, "editor", 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{forged}, 198.51.100.99", address="10.0.0.2")
    response = sign_in(
        client, "editor", "wrong-password", HTTP_X_FORWARDED_FOR="203.0.113.200, 198.51.100.99", address="10.0.0.2"
    )
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.99"
