import os

import pytest
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; Django would otherwise
# refuse ORM calls from the live_server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import make_article, make_user  # noqa: E402

# No deadline anywhere: on a busy machine a slow example is not a failure (timings are
# bench/'s). CI also derandomizes, so a run there can be repeated exactly.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

# Fixtures shared by the API tests and by the export tests.
pytest_plugins = ["tests.api_clients", "tests.export_data"]


def pytest_sessionstart(session):
    # In CI a PostgreSQL run that silently fell back to SQLite would prove nothing.
    if os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        assert "postgresql" in engine, f"DATABASE_URL set but engine is {engine}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Login throttle counters live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is slow by design (about 0.2 s a hash here) and tests hash many throwaway
    # passwords; tests/test_security.py checks the production hashers on their own.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reviewer(db):
    return make_user("rita", groups=("reviewer",))


@pytest.fixture
def other_reviewer(db):
    return make_user("oscar", groups=("reviewer",))


@pytest.fixture
def editor(db):
    return make_user("edna", groups=("editor",))


@pytest.fixture
def article(db):
    return make_article()
