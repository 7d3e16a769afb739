"""Enrol a staff member for two-factor sign-in (TOTP), or remove their device with --disable."""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator app"


class Command(BaseCommand):
    help = (
        "Create a TOTP device for a user and print its otpauth:// URI and base32 secret for an authenticator app "
        "(any earlier device of theirs is replaced). --disable removes the user's devices."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--disable", action="store_true", help="remove the user's TOTP devices")

    @transaction.atomic
    def handle(self, *args, username: str, disable: bool, **options) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user '{username}'.") from None

        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        if disable:
            self.stdout.write(f"Two-factor sign-in disabled for '{username}' ({removed} device(s) removed).")
            return

        # Confirmed at once: the administrator hands the secret over in person, there is no self-service step.
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        secret = b32encode(device.bin_key).decode("ascii")
        self.stdout.write(self.style.SUCCESS(f"Two-factor sign-in enabled for '{username}'."))
        self.stdout.write("Add it to an authenticator app with this URI (or type the secret in):")
        self.stdout.write(device.config_url)
        self.stdout.write(f"Secret (base32): {secret}")
        self.stdout.write("From now on the admin login asks this user for the app's 6-digit code (確認コード).")
