"""The standalone host: preferences from Django settings, sample orders, development tokens.

Preferences are ``settings.SALEOR_QB_SYNC_PREFERENCES`` with the changes saved from the app
(``StoredPreferences``, one row) laid over them, as Saleor keeps the plugin configuration in its
database.

The development authenticator accepts the bearer tokens listed in
``SALEOR_QB_SYNC_DEV_TOKENS``; it refuses to exist in a process where Saleor is installed or
the standalone settings are not in use, so it can never open a door inside a real store.
"""

from __future__ import annotations

import functools
import hmac
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest

from ..errors import AuthenticationError, PreferencesInvalid
from ..list_checks import refusals
from ..preferences import PASSWORD_FIELD, Preferences
from ..routes import MANAGE_ORDERS, Channel
from ..transfers import Actor
from .models import SampleOrder, StoredPreferences
from .order_source import SampleOrderSource


def bearer_token(request: HttpRequest) -> str:
    """The token of ``Authorization: Bearer …`` or Saleor's ``Authorization-Bearer: …``."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() in ("bearer", "jwt") and token.strip():
        return token.strip()
    return request.META.get("HTTP_AUTHORIZATION_BEARER", "").strip()


def _hashed(password: str) -> str:
    """The password as a Django hash (as the plugin's ``pre_save_plugin_configuration``)."""
    if not password:
        return password
    try:
        identify_hasher(password)
    except ValueError:
        return make_password(password)
    return password


@functools.lru_cache(maxsize=16)
def _preferences(config_json: str) -> Preferences:
    config = json.loads(config_json)
    config[PASSWORD_FIELD] = _hashed(config.get(PASSWORD_FIELD) or "")
    return Preferences.from_config(config)


def settings_preferences() -> Preferences:
    """The preferences of ``settings`` alone, before any change saved from the app."""
    return _preferences(json.dumps(getattr(settings, "SALEOR_QB_SYNC_PREFERENCES", {}),
                                   sort_keys=True, default=str))


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
        request.qb_sync_permissions = frozenset(match.get("permissions", ()))
        channels = match.get("channels")
        return Actor(user_id=str(match.get("user_id", "")), email=match.get("email", ""),
                     app=match.get("app", ""),
                     channels=tuple(channels) if channels is not None else None)

    def has_permission(self, request: HttpRequest, permission: str) -> bool:
        return permission in getattr(request, "qb_sync_permissions", frozenset())


class StandaloneHost:
    def __init__(self) -> None:
        self.authenticator = DevelopmentAuthenticator()

    def preferences(self) -> Preferences:
        return _preferences(json.dumps(self._config(), sort_keys=True, default=str))

    def save_preferences(self, changes: Mapping[str, Any], actor: Actor) -> Preferences:
        changes = dict(changes)
        if PASSWORD_FIELD in changes:
            changes[PASSWORD_FIELD] = _hashed(str(changes[PASSWORD_FIELD] or ""))
        with transaction.atomic():
            stored, _ = StoredPreferences.objects.select_for_update().get_or_create(pk=1)
            # the same validation as the plugin page's (validate_plugin_configuration)
            previous = self._config(stored)
            candidate = Preferences.from_config({**previous, **changes})
            refused = refusals(_parsed_or_none(previous), candidate)
            if refused:
                raise PreferencesInvalid(refused)
            stored.configuration = {**stored.configuration, **changes}
            stored.updated_by = actor.label
            stored.save()
        return self.preferences()

    def _config(self, stored: StoredPreferences | None = None) -> dict[str, Any]:
        if stored is None:
            stored = StoredPreferences.objects.filter(pk=1).first()
        return {**getattr(settings, "SALEOR_QB_SYNC_PREFERENCES", {}),
                **(stored.configuration if stored else {})}

    def order_source(self) -> SampleOrderSource:
        return SampleOrderSource()

    def channels(self) -> list[Channel]:
        """The channels of the sample orders (they have no names of their own)."""
        slugs = SampleOrder.objects.order_by("channel_slug").values_list(
            "channel_slug", flat=True).distinct()
        return [Channel(slug, slug.replace("-", " ").capitalize()) for slug in slugs]

    def authenticate(self, request: HttpRequest) -> Actor:
        return self.authenticator.authenticate(request)

    def has_permission(self, request: HttpRequest, permission: str) -> bool:
        return self.authenticator.has_permission(request, permission)

    def notify_staff(self, subject: str, body: str) -> list[str]:
        """The standalone store's staff are its development tokens with MANAGE_ORDERS."""
        from django.core.mail import send_mail

        recipients = sorted({identity["email"] for identity in getattr(
            settings, "SALEOR_QB_SYNC_DEV_TOKENS", {}).values()
            if identity.get("email") and MANAGE_ORDERS in identity.get("permissions", ())})
        if recipients:
            send_mail(subject, body, None, recipients)
        return recipients


def _parsed_or_none(config: dict[str, Any]) -> Preferences | None:
    try:
        return Preferences.from_config(config)
    except PreferencesInvalid:
        return None
