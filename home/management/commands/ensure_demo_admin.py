import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from home.roles import ADMINISTRATORS


class Command(BaseCommand):
    help = "Create the demo administrator once (password from DJANGO_SUPERUSER_PASSWORD, else generated and printed)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default=os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin"))

    def handle(self, *args, username: str, **options) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Demo administrator '{username}' already exists; its password is unchanged.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email="", password=password)
        user.groups.add(Group.objects.get(name=ADMINISTRATORS))
        self.stdout.write(self.style.SUCCESS(f"Created the demo administrator '{username}' for /admin/."))
        if "DJANGO_SUPERUSER_PASSWORD" not in os.environ:
            self.stdout.write(f"Its password (shown only now): {password}")
