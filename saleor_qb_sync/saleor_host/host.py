"""The Saleor host: the plugin's preferences, Saleor's orders, Saleor's authentication."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from ..errors import PreferenceError, PreferencesInvalid
from ..list_checks import refusals
from ..preferences import Preferences
from ..routes import Channel
from ..transfers import Actor
from .auth import SaleorAuthenticator
from .orders import SaleorOrderSource

logger = logging.getLogger(__name__)


class SaleorHost:
    def __init__(self, preferences: Preferences) -> None:
        self._preferences = preferences
        self._authenticator = SaleorAuthenticator()

    def preferences(self) -> Preferences:
        return self._preferences

    def save_preferences(self, changes: Mapping[str, Any], actor: Actor) -> Preferences:
        """Save through Saleor's ``PluginsManager``, as the plugin page (``pluginUpdate``) does:
        the plugin's ``validate_plugin_configuration`` and ``pre_save_plugin_configuration``
        (the password hash) run, and the plugin configuration stays the one source of truth."""
        from saleor.plugins.manager import get_plugins_manager

        from ..plugin import QuickBooksSyncPlugin

        # the same checks the plugin's validation makes, first, for our own error codes
        candidate = Preferences.from_config({**self._preferences.to_config(), **changes})
        refused = refusals(self._preferences, candidate)
        if refused:
            raise PreferencesInvalid(refused)
        manager = get_plugins_manager(allow_replica=False)
        try:
            configuration = manager.save_plugin_configuration(
                QuickBooksSyncPlugin.PLUGIN_ID, None,
                {"configuration": [{"name": name, "value": value}
                                   for name, value in changes.items()]})
        except ValidationError as exc:
            raise PreferencesInvalid([
                PreferenceError(field, " ".join(error.messages), code="invalid")
                for field, errors in exc.update_error_dict({}).items() for error in errors
            ]) from None
        if configuration is None:
            raise PreferencesInvalid([PreferenceError(
                "configuration", "the QuickBooks plugin is not installed in this Saleor",
                code="not_found")])
        self._preferences = Preferences.from_config(
            {item["name"]: item["value"] for item in configuration.configuration})
        logger.info("saleor-qb-sync settings %s changed by %s", sorted(changes), actor.label)
        return self._preferences

    def order_source(self) -> SaleorOrderSource:
        return SaleorOrderSource()

    def channels(self) -> list[Channel]:
        from saleor.channel.models import Channel as SaleorChannel

        return [Channel(slug, name) for slug, name in
                SaleorChannel.objects.order_by("name", "slug").values_list("slug", "name")]

    def authenticate(self, request):
        return self._authenticator.authenticate(request)

    def has_permission(self, request, permission: str) -> bool:
        return self._authenticator.has_permission(request, permission)

    def notify_staff(self, subject: str, body: str) -> list[str]:
        """E-mail every active staff member with MANAGE_ORDERS (by group, directly or as
        superuser), through Django's mail settings, which Saleor configures (EMAIL_URL).
        Saleor's ``notify`` events are a fixed list its e-mail plugins render from their own
        templates, with no event for a plugin's alert, so plain e-mail it is."""
        from django.core.mail import send_mail
        from django.db.models import Q
        from saleor.account.models import User

        codename = "manage_orders"
        recipients = sorted(set(
            User.objects.filter(is_staff=True, is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__permissions__codename=codename)
                    | Q(user_permissions__codename=codename))
            .values_list("email", flat=True)))
        if recipients:
            send_mail(subject, body, None, recipients)
        return recipients
