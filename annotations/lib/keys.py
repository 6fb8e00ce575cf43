"""Pure helpers for API keys: make one, and the hash that is all we store of it."""

from __future__ import annotations

import hashlib
import secrets

PREFIX_LENGTH = 8


def new_key() -> str:
    """A fresh random key, URL-safe, 43 characters (256 bits), never starting with "-":
    its prefix is typed as a command-line argument (`create_api_token --revoke PREFIX`),
    where a leading dash reads as an option."""
    while True:
        key = secrets.token_urlsafe(32)
        if not key.startswith("-"):
            return key


def key_hash(key: str) -> str:
    """SHA-256 hex of the key; a fast hash is enough because keys are random, not passwords."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_prefix(key: str) -> str:
    return key[:PREFIX_LENGTH]
