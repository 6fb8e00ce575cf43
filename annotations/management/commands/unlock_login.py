"""manage.py unlock_login USERNAME : lift every login lockout of a username at once."""

from __future__ import annotations

from axes.utils import reset
from django.core.management.base import BaseCommand

from workbench.throttle import reset_username


class Command(BaseCommand):
    help = "Lift a username's login lockouts: per address (django-axes) and across addresses."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        attempts = reset(username=username)
        reset_username(username)
        self.stdout.write(f"{username}: unlocked ({attempts} lockout records removed)")
