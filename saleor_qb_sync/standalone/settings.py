"""Django settings for the standalone server and the test suite (PostgreSQL, never SQLite)."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/saleor_qb_sync"


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL must be a postgres:// URL, not {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "saleor_qb_sync",
        "USER": unquote(parsed.username or "postgres"),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "127.0.0.1",
        "PORT": str(parsed.port or 5432),
        "CONN_MAX_AGE": 0,
        "TEST": {"NAME": os.environ.get("TEST_DATABASE_NAME") or None},
    }


SECRET_KEY = os.environ.get("SECRET_KEY", "standalone-development-only-not-a-secret")  # noqa: S105
DEBUG = os.environ.get("DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
USE_TZ = True
STATIC_URL = "/static/"
TIME_ZONE = "UTC"
ROOT_URLCONF = "saleor_qb_sync.standalone.urls"
DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))}
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "saleor_qb_sync",
    "saleor_qb_sync.standalone",
]
MIDDLEWARE: list[str] = []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
#: Bodies above this size are refused before parsing (SOAP and GraphQL).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "saleor_qb_sync": {"handlers": ["console"], "level": "WARNING"},
        # Django's own 500s (an exception no view caught) are logged only with DEBUG otherwise
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # graphql-core 2 logs every resolver error, expected ones included (Saleor silences it
        # too); our view turns them into typed errors and logs the unexpected ones itself
        "graphql.execution.utils": {"handlers": ["console"], "level": "CRITICAL",
                                    "propagate": False},
    },
}

#: Marks this process as the standalone host; the development authenticator checks it.
SALEOR_QB_SYNC_STANDALONE = True

#: Preferences of the standalone store (the plugin configuration inside Saleor). The password
#: is hashed when loaded; SALEOR_QB_SYNC_PREFERENCES_FILE (JSON) overrides these, and changes
#: saved from the app's Settings tab (the database's StoredPreferences) override both.
SALEOR_QB_SYNC_PREFERENCES = {
    "web_connector_username": "quickbooks",
    "web_connector_password": os.environ.get("QBWC_PASSWORD", "development-password"),
    "export_mode": "on_demand",
    "company_currency": "USD",
    # the sample orders' PLN channel, converted for the USD company
    "exchange_rates": "PLN=0.25, EUR=1.08",
}
if os.environ.get("SALEOR_QB_SYNC_PREFERENCES_FILE"):
    import json as _json

    with open(os.environ["SALEOR_QB_SYNC_PREFERENCES_FILE"], encoding="utf-8") as _fh:
        SALEOR_QB_SYNC_PREFERENCES.update(_json.load(_fh))

#: Development bearer tokens (standalone only): token → identity and permissions.
SALEOR_QB_SYNC_DEV_TOKENS = {
    os.environ.get("QB_SYNC_DEV_TOKEN", "dev-staff-token"): {
        "email": "staff@example.com", "user_id": "1",
        "permissions": ["MANAGE_ORDERS", "MANAGE_PLUGINS"],
        "channels": None,
    },
}
