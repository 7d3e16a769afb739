"""Two-factor sign-in for staff (home/signin.py, manage.py enable_two_factor)."""

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]

LOGIN = "/admin/login/"


def code_for(key: bytes, device: TOTPDevice | None = None) -> str:
    step, digits = (device.step, device.digits) if device else (30, 6)
    return f"{totp(key, step=step, digits=digits):0{digits}d}"


def sign_in(client, username: str, password: str, code: str | None = None):
    data = {"username": username, "password": password}
    if code is not None:
        data["otp_token"] = code
    return client.post(LOGIN, data, REMOTE_ADDR="198.51.100.7")


@pytest.fixture
def enrolled_editor(editor) -> TOTPDevice:
    call_command("enable_two_factor", "editor", stdout=StringIO())
    return TOTPDevice.objects.get(user=editor)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_form_asks_for_the_one_time_code(client):
    html = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in html
    assert 'autocomplete="one-time-code"' in html


def test_enrolled_user_without_a_code_is_refused(client, enrolled_editor):
    response = sign_in(client, "editor", "pw-editor")
    assert response.status_code == 200
    assert "このアカウントには確認コードが必要です" in response.content.decode()
    assert not signed_in(client)


def test_enrolled_user_with_the_current_code_signs_in(client, enrolled_editor):
    response = sign_in(client, "editor", "pw-editor", code_for(enrolled_editor.bin_key, enrolled_editor))
    assert response.status_code == 302
    assert signed_in(client)


def test_enrolled_user_with_a_wrong_code_is_refused(client, enrolled_editor):
    right = code_for(enrolled_editor.bin_key, enrolled_editor)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = sign_in(client, "editor", "pw-editor", wrong)
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.content.decode()
    assert not signed_in(client)


def test_a_code_does_not_replace_the_password(client, enrolled_editor):
    response = sign_in(client, "editor", "wrong-password", code_for(enrolled_editor.bin_key, enrolled_editor))
    assert response.status_code == 200
    assert not signed_in(client)


def test_wrong_codes_count_towards_the_lockout(client, enrolled_editor):
    # Knowing the password is not enough to try all million codes.
    for attempt in range(5):
        response = sign_in(client, "editor", "pw-editor", "000000" if attempt % 2 else "")
    assert response.status_code == 429


def test_unenrolled_user_signs_in_with_the_password_alone_when_optional(client, editor, settings):
    settings.STAFF_TWO_FACTOR = "optional"
    assert sign_in(client, "editor", "pw-editor").status_code == 302


def test_unenrolled_user_is_refused_when_required(client, editor, settings):
    settings.STAFF_TWO_FACTOR = "required"
    response = sign_in(client, "editor", "pw-editor")
    assert response.status_code == 200
    assert "サイト管理者に設定を依頼してください" in response.content.decode()
    assert not signed_in(client)


def test_enrolled_user_signs_in_with_a_code_when_required(client, enrolled_editor, settings):
    settings.STAFF_TWO_FACTOR = "required"
    response = sign_in(client, "editor", "pw-editor", code_for(enrolled_editor.bin_key, enrolled_editor))
    assert response.status_code == 302


def test_off_hides_the_field_and_asks_no_code(client, enrolled_editor, settings):
    settings.STAFF_TWO_FACTOR = "off"
    assert 'name="otp_token"' not in client.get(LOGIN).content.decode()
    assert sign_in(client, "editor", "pw-editor").status_code == 302


def test_enable_prints_a_uri_and_secret_that_an_authenticator_app_can_use(client, editor):
    out = StringIO()
    call_command("enable_two_factor", "editor", stdout=out)
    text = out.getvalue()
    uri = re.search(r"otpauth://totp/\S+", text).group(0)
    secret = re.search(r"Secret \(base32\): ([A-Z2-7=]+)", text).group(1)
    assert f"secret={secret}" in uri
    assert "editor" in uri
    # What the app would show, computed from the printed secret alone.
    response = sign_in(client, "editor", "pw-editor", code_for(b32decode(secret)))
    assert response.status_code == 302


def test_enabling_again_replaces_the_device(editor):
    call_command("enable_two_factor", "editor", stdout=StringIO())
    first = TOTPDevice.objects.get(user=editor).key
    call_command("enable_two_factor", "editor", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=editor).count() == 1
    assert TOTPDevice.objects.get(user=editor).key != first


def test_disable_removes_the_device(client, enrolled_editor):
    call_command("enable_two_factor", "editor", "--disable", stdout=StringIO())
    assert not TOTPDevice.objects.exists()
    assert sign_in(client, "editor", "pw-editor").status_code == 302


def test_unknown_user_is_an_error(db):
    with pytest.raises(CommandError):
        call_command("enable_two_factor", "nobody", stdout=StringIO())
