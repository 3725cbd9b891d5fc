"""The standalone host: preferences from Django settings, sample orders, development tokens.

The development authenticator accepts the bearer tokens listed in
``SALEOR_QB_SYNC_DEV_TOKENS``; it refuses to exist in a process where Saleor is installed or
the standalone settings are not in use, so it can never open a door inside a real store.
"""

from __future__ import annotations

import functools
import hmac
import json

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from ..errors import AuthenticationError
from ..preferences import Preferences
from ..routes import MANAGE_ORDERS
from ..transfers import Actor
from .order_source import SampleOrderSource


def bearer_token(request: HttpRequest) -> str:
    """The token of ``Authorization: Bearer …`` or Saleor's ``Authorization-Bearer: …``."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() in ("bearer", "jwt") and token.strip():
        return token.strip()
    return request.META.get("HTTP_AUTHORIZATION_BEARER", "").strip()


@functools.lru_cache(maxsize=16)
def _preferences(config_json: str) -> Preferences:
    config = json.loads(config_json)
    password = config.get("web_connector_password") or ""
    if password:
        try:
            identify_hasher(password)
        except ValueError:
            config["web_connector_password"] = make_password(password)
    return Preferences.from_config(config)


class DevelopmentAuthenticator:
    def __init__(self) -> None:
        if "saleor" in settings.INSTALLED_APPS or not getattr(
                settings, "SALEOR_QB_SYNC_STANDALONE", False):
            raise ImproperlyConfigured(
                "The development authenticator only runs in the standalone server.")

    def authenticate(self, request: HttpRequest) -> Actor:
        token = bearer_token(request)
        if not token:
            raise AuthenticationError("Sign in: this needs a staff or app token.",
                                      code="unauthenticated")
        match = None
        for known, identity in getattr(settings, "SALEOR_QB_SYNC_DEV_TOKENS", {}).items():
            if hmac.compare_digest(known.encode(), token.encode()):
                match = identity
        if match is None:
            raise AuthenticationError("The token is invalid or expired.", code="unauthenticated")
        if MANAGE_ORDERS not in match.get("permissions", ()):
            raise AuthenticationError("You need the MANAGE_ORDERS permission.",
                                      code="permission_denied")
        channels = match.get("channels")
        return Actor(user_id=str(match.get("user_id", "")), email=match.get("email", ""),
                     app=match.get("app", ""),
                     channels=tuple(channels) if channels is not None else None)


class StandaloneHost:
    def __init__(self) -> None:
        self.authenticator = DevelopmentAuthenticator()

    def preferences(self) -> Preferences:
        config = getattr(settings, "SALEOR_QB_SYNC_PREFERENCES", {})
        return _preferences(json.dumps(config, sort_keys=True, default=str))

    def order_source(self) -> SampleOrderSource:
        return SampleOrderSource()

    def authenticate(self, request: HttpRequest) -> Actor:
        return self.authenticator.authenticate(request)
