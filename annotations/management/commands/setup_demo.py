"""manage.py setup_demo : the demo accounts, each with a password printed once."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from annotations.models import EDITOR_GROUP, REVIEWER_GROUP

DEMO_USERS = [
    ("reviewer", [REVIEWER_GROUP], False),
    ("editor", [EDITOR_GROUP], False),
    ("admin", [REVIEWER_GROUP, EDITOR_GROUP], True),
]


class Command(BaseCommand):
    help = "Create the demo users reviewer, editor and admin if they do not exist."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true", help="give existing demo users new passwords"
        )

    def handle(self, *args, reset_passwords: bool = False, **options):
        User = get_user_model()
        for username, groups, is_admin in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": is_admin, "is_superuser": is_admin}
            )
            user.groups.add(*Group.objects.filter(name__in=groups))
            if created or reset_passwords:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                self.stdout.write(f"  login {username:<9} password {password}")
            else:
                self.stdout.write(f"  login {username:<9} (exists; password unchanged)")
        # `make run` serves on $PORT; say the address that is really served.
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f"Demo users ready at http://127.0.0.1:{port}/ "
            "(new passwords: manage.py setup_demo --reset-passwords)"
        )
