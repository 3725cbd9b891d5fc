"""The Saleor plugin: settings in the Dashboard's plugin page, routes under /plugins/global/.

``QuickBooksSyncPlugin`` is discovered through the ``saleor.plugins`` entry point, which also
adds our Django app (so ``manage.py migrate`` creates our tables). It is global: one QuickBooks
company for the whole store. Its only work is ``webhook()``: everything runs when Web Connector
or a staff member calls, so no order hook can slow down or break a checkout (automatic mode
selects new orders with a query at Web Connector time, which also catches bulk-imported
orders that fire no ``order_created``).
"""

from __future__ import annotations

import logging

from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField
from saleor.plugins.error_codes import PluginErrorCode

from .errors import PreferencesInvalid
from .preferences import PASSWORD_FIELD, SETTINGS, Kind, Preferences

logger = logging.getLogger(__name__)

#: the plugin page's box for each kind of setting: every kind but these is typed as text
_FIELD_TYPES = {Kind.BOOLEAN: ConfigurationTypeField.BOOLEAN,
                Kind.PASSWORD: ConfigurationTypeField.PASSWORD}


class QuickBooksSyncPlugin(BasePlugin):
    PLUGIN_ID = "saleor_qb_sync"
    #: the plugin holds the settings; the app of the same name ("QuickBooks Desktop Sync",
    #: dashboard.APP_NAME) is where staff transfer orders: the names say which is which
    PLUGIN_NAME = "QuickBooks Desktop Sync (settings)"
    PLUGIN_DESCRIPTION = ("Settings of the QuickBooks Desktop export (Web Connector). To transfer "
                          "orders, see pending operations and the history, open the "
                          "\"QuickBooks Desktop Sync\" app (Apps, or Orders → QuickBooks); its "
                          "Settings tab shows these same settings with the allowed values as "
                          "choices instead of text.")
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = False
    CONFIG_STRUCTURE = {
        name: {"type": _FIELD_TYPES.get(setting.kind, ConfigurationTypeField.STRING),
               "label": setting.label, "help_text": setting.help_text}
        for name, setting in SETTINGS.items()
    }
    DEFAULT_CONFIGURATION = [
        {"name": name, "value": value} for name, value in Preferences().to_config().items()
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        raw = {item["name"]: item["value"] for item in self.configuration}
        try:
            self.preferences: Preferences | None = Preferences.from_config(raw)
            self.configuration_error = ""
        except PreferencesInvalid as exc:
            self.preferences = None
            self.configuration_error = str(exc)

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration, **kwargs) -> None:
        """What the plugin page (``pluginUpdate``) saves: each value parsed, and the names it
        changes checked against our copy of QuickBooks' lists (``list_checks``), as the app's
        Settings tab checks them."""
        from .list_checks import refusals

        raw = {item["name"]: item["value"] for item in plugin_configuration.configuration}
        try:
            candidate = Preferences.from_config(raw)
            errors = refusals(_saved_preferences(plugin_configuration), candidate)
        except PreferencesInvalid as exc:
            errors = exc.errors
        if errors:
            raise ValidationError({
                error.field: ValidationError(str(error), code=PluginErrorCode.INVALID.value)
                for error in errors
            })

    @classmethod
    def pre_save_plugin_configuration(cls, plugin_configuration) -> None:
        """Keep only a hash of the Web Connector password, never the password itself."""
        for item in plugin_configuration.configuration:
            if item.get("name") == PASSWORD_FIELD and item.get("value"):
                try:
                    identify_hasher(item["value"])
                except ValueError:
                    item["value"] = make_password(item["value"])

    def webhook(self, request, path: str, previous_value) -> HttpResponse:
        if not self.active:
            return previous_value
        if self.preferences is None:
            return JsonResponse({"error": "misconfigured", "message": self.configuration_error},
                                status=503)
        try:
            # imported on first use, not when Saleor loads every plugin at startup and on each
            # request: the SOAP stack (spyne) and Saleor's GraphQL helpers stay out of that path
            from .routes import dispatch
            from .saleor_host.host import SaleorHost

            return dispatch(request, path, SaleorHost(self.preferences))
        except Exception:  # noqa: BLE001 - a plugin must never break Saleor's request; logged
            logger.exception("saleor-qb-sync route %s failed", path)
            return JsonResponse({"error": "internal_error"}, status=500)



def _saved_preferences(plugin_configuration) -> Preferences | None:
    """The settings in force before this save (None for the first save, or when those do not
    parse: then every name is checked)."""
    if getattr(plugin_configuration, "pk", None) is None:
        return None
    stored = (type(plugin_configuration).objects.filter(pk=plugin_configuration.pk)
              .values_list("configuration", flat=True).first())
    if stored is None:
        return None
    try:
        return Preferences.from_config({item["name"]: item["value"] for item in stored})
    except PreferencesInvalid:
        return None
