"""manage.py create_api_token USERNAME [--name N] : print a new API key once.
manage.py create_api_token --revoke PREFIX : revoke it; --list USERNAME shows a user's tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations import services
from annotations.models import ApiToken


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print its key (shown only this once). "
        "With --revoke PREFIX, revoke the token whose key starts with PREFIX; "
        "with --list, list USERNAME's tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="the user the token acts as")
        parser.add_argument("--name", default="", help="a label, e.g. the client's name")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke by the key's first 8 chars")
        parser.add_argument("--list", action="store_true", help="list the user's tokens")

    def handle(self, *args, username=None, name="", revoke=None, list=False, **options):
        user = self._user(username) if username else None
        try:
            if revoke:
                count = services.api_token_revoke(prefix=revoke, user=user)
                if not count:
                    raise CommandError(f"No live token starts with {revoke!r}.")
                self.stdout.write(f"Revoked {count} token(s) starting with {revoke}.")
                return
            if user is None:
                raise CommandError("Give a USERNAME (or --revoke PREFIX).")
            if list:
                for token in ApiToken.objects.filter(user=user):
                    state = f"revoked {token.revoked:%Y-%m-%d}" if token.revoked else "live"
                    used = f"{token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "never"
                    self.stdout.write(f"{token.prefix}  {state:<18} used {used:<16} {token.name}")
                return
            token, key = services.api_token_create(user=user, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(f"Token {token.prefix} for {user.username} (shown once, keep it safe):")
        self.stdout.write(key)

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
