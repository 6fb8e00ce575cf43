"""Writes to API tokens: create, revoke, and note when one was last used."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..lib import keys
from ..models import ApiToken
from .inputs import clean_user_text

# last_used is a hint for operators, not an audit log: write it at most this often so a
# busy client does not turn every read into a write.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)


def api_token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for the user; return it with the plain key, which is never stored."""
    if not user.is_active:
        raise ValidationError({"user": "This account is inactive."})
    name = clean_user_text(name or "", field="name", max_length=100)
    key = keys.new_key()
    token = ApiToken(user=user, key_hash=keys.key_hash(key), prefix=keys.key_prefix(key), name=name)
    token.full_clean()
    with transaction.atomic():
        token.save()
    return token, key


def api_token_revoke(*, prefix: str, user=None) -> int:
    """Revoke the live tokens whose key starts with prefix (optionally only the user's)."""
    prefix = (prefix or "").strip()
    if len(prefix) != keys.PREFIX_LENGTH:
        raise ValidationError({"prefix": f"Give the first {keys.PREFIX_LENGTH} characters."})
    tokens = ApiToken.objects.filter(prefix=prefix, revoked__isnull=True)
    if user is not None:
        tokens = tokens.filter(user=user)
    with transaction.atomic():
        return tokens.update(revoked=timezone.now())


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used, at most once per TOKEN_TOUCH_INTERVAL."""
    now = timezone.now()
    if token.last_used is not None and now - token.last_used < TOKEN_TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    token.last_used = now
