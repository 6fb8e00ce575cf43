"""`Authorization: Token <key>` against the hashed keys in ApiToken."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from annotations import services
from annotations.lib import keys
from annotations.models import ApiToken


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's header parsing and 401 challenge, with our hashed, revocable tokens."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=keys.key_hash(key), revoked__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        services.api_token_touch(token=token)
        return token.user, token
