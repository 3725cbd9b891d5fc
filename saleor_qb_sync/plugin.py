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
from .preferences import Preferences

logger = logging.getLogger(__name__)

PASSWORD_FIELD = "web_connector_password"  # noqa: S105 - a setting name, not a secret

_S = ConfigurationTypeField.STRING
_B = ConfigurationTypeField.BOOLEAN

#: name → (type, label, help text a store owner understands); keys are Preferences' fields
_FIELDS = {
    "export_mode": (_S, "Export mode",
                    "automatic: every new eligible order goes to QuickBooks on each Web "
                    "Connector run. on_demand: only orders staff queue in Transfer orders."),
    "transaction_type": (_S, "QuickBooks transaction type",
                         "invoice, sales_receipt, sales_order, or by_payment_status (fully paid "
                         "orders become sales receipts, the others invoices)."),
    "check_duplicates": (_B, "Check QuickBooks for duplicates",
                         "Before adding an order, ask QuickBooks whether it already has it (by "
                         "number) and link to it instead of adding a second copy."),
    "export_start_date": (_S, "Export orders from (YYYY-MM-DD)",
                          "Automatic mode ignores orders placed before this date. Empty: all."),
    "eligible_statuses": (_S, "Order statuses to export",
                          "Comma-separated Saleor statuses, e.g. unfulfilled,partially "
                          "fulfilled,fulfilled. Draft and unconfirmed orders never export."),
    "channels": (_S, "Channels", "Comma-separated channel slugs to export. Empty: all channels."),
    "customer_mode": (_S, "Customers",
                      "per_customer: one QuickBooks customer per buyer. single_customer: every "
                      "order goes to one customer (see next setting)."),
    "single_customer_name": (_S, "Single customer name",
                             "The QuickBooks customer used in single_customer mode."),
    "customer_name_format": (_S, "Customer name format",
                             "first_last, last_first, email or company_or_name."),
    "item_mode": (_S, "Items",
                  "by_sku: each product is the QuickBooks item named by its SKU. single_item: "
                  "every product line uses the default item."),
    "default_item_name": (_S, "Default item", "Item used for single_item mode and as fallback."),
    "missing_item_action": (_S, "When an item is missing in QuickBooks",
                            "create: add it as a non-inventory item. use_default: use the "
                            "default item. fail: record the order as failed."),
    "income_account": (_S, "Income account", "Account for items the export creates."),
    "deposit_to_account": (_S, "Deposit to account",
                           "Where sales receipts are deposited, e.g. Undeposited Funds."),
    "ar_account": (_S, "Accounts receivable account", "For invoices, e.g. Accounts Receivable."),
    "sales_tax_account": (_S, "Sales tax account",
                          "Account of the sales tax item the export creates (line_item tax "
                          "mode), e.g. Sales Tax Payable."),
    "gift_card_account": (_S, "Gift card account",
                          "Account of the gift card item the export creates (a liability such "
                          "as Gift Card Liability); empty uses the income account."),
    "shipping_item_name": (_S, "Shipping item", "Other-charge item for shipping."),
    "discount_item_name": (_S, "Discount item",
                           "Other-charge item for vouchers and discounts (a negative line)."),
    "gift_card_item_name": (_S, "Gift card item",
                            "Other-charge item for gift cards sold and gift cards applied."),
    "tax_mode": (_S, "Sales tax",
                 "line_item: Saleor's tax, to the cent, as one line. quickbooks_tax_item: "
                 "QuickBooks computes tax with the sales tax item below."),
    "sales_tax_item_name": (_S, "Sales tax item",
                            "Item for Saleor's tax (line_item) or QuickBooks' sales tax item."),
    "ref_number_prefix": (_S, "Number prefix",
                          "Put before the Saleor order number in QuickBooks (at most 8 "
                          "characters; the whole number must fit 11)."),
    "class_name": (_S, "QuickBooks class", "Class for every transaction; empty for none."),
    "orders_per_request": (_S, "Orders per request",
                           "How many orders go to QuickBooks per round trip (1-200)."),
    "qbxml_version": (_S, "qbXML version", "The qbXML version we speak (13.0)."),
    "web_connector_username": (_S, "Web Connector user name",
                               "Type this user name in Web Connector; it is in the .qwc file."),
    PASSWORD_FIELD: (ConfigurationTypeField.PASSWORD, "Web Connector password",
                     "Type the same password in Web Connector. Stored only as a hash."),
    "company_file": (_S, "QuickBooks company file",
                     "Full path of the company file; empty uses the file open in QuickBooks."),
    "time_zone": (_S, "Store time zone", "Used for date ranges, e.g. America/New_York."),
    "run_every_minutes": (_S, "Run every (minutes)", "Web Connector's schedule in the .qwc file."),
    "company_currency": (_S, "QuickBooks home currency",
                         "Orders in other currencies get a warning; amounts are not converted."),
}


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
        name: {"type": kind, "label": label, "help_text": help_text}
        for name, (kind, label, help_text) in _FIELDS.items()
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
        raw = {item["name"]: item["value"] for item in plugin_configuration.configuration}
        try:
            Preferences.from_config(raw)
        except PreferencesInvalid as exc:
            raise ValidationError({
                error.field: ValidationError(str(error), code=PluginErrorCode.INVALID.value)
                for error in exc.errors
            }) from None

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


assert set(QuickBooksSyncPlugin.CONFIG_STRUCTURE) == set(Preferences.field_names())
