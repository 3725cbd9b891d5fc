"""The settings as typed values: ``qbSettings``, ``qbChannels`` and ``qbSettingsUpdate``'s input.

Saleor's plugin page offers only text, boolean and secret fields, so every choice among fixed
values there is a free-text box; here each is an enum, the statuses and channels are lists.
Both write the same plugin configuration: ``qbSettingsUpdate`` saves through the host
(``Host.save_preferences``), which validates as the plugin page does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import graphene

from ..preferences import Preferences
from ..routes import MANAGE_PLUGINS
from .context import QbSyncContext
from .enums import (
    QbCustomerMode,
    QbCustomerNameFormat,
    QbExportableOrderStatus,
    QbExportMode,
    QbItemMode,
    QbMissingItemAction,
    QbTaxMode,
    QbTransactionType,
)
from .types import Date

_QB_NAME = "It must exist in the QuickBooks company file."

#: every preference the API shows, by its name in the plugin configuration: (GraphQL type,
#: description); ``QbSettingsInput`` takes the same (camelCase), but the qbXML version
SETTINGS: dict[str, tuple[Any, str]] = {
    "export_mode": (QbExportMode, "How orders reach QuickBooks."),
    "transaction_type": (QbTransactionType, "What an order becomes in QuickBooks."),
    "check_duplicates": (graphene.Boolean, "Before adding an order, ask QuickBooks whether it "
                         "already has it (by number) and link to it instead of adding a copy."),
    "export_start_date": (Date, "Automatic mode ignores orders placed before this "
                          "day; null for all orders."),
    "eligible_statuses": (graphene.List(graphene.NonNull(QbExportableOrderStatus)),
                          "The order statuses that are exported (at least one)."),
    "channels": (graphene.List(graphene.NonNull(graphene.String)),
                 "Slugs of the channels whose orders are exported; empty for every channel."),
    "customer_mode": (QbCustomerMode, "Which QuickBooks customer an order goes to."),
    "single_customer_name": (graphene.String, "The customer every order goes to with "
                             "SINGLE_CUSTOMER. " + _QB_NAME),
    "customer_name_format": (QbCustomerNameFormat, "How a buyer's QuickBooks customer is "
                             "named (PER_CUSTOMER)."),
    "item_mode": (QbItemMode, "Which QuickBooks item a product line uses."),
    "default_item_name": (graphene.String, "The item of SINGLE_ITEM, and the fallback of "
                          "USE_DEFAULT."),
    "missing_item_action": (QbMissingItemAction, "What happens when QuickBooks lacks an "
                            "order's item."),
    "income_account": (graphene.String, "Income account of the items the export creates. "
                       + _QB_NAME),
    "deposit_to_account": (graphene.String, "Where sales receipts are deposited, e.g. "
                           "Undeposited Funds."),
    "ar_account": (graphene.String, "Accounts receivable account of invoices."),
    "sales_tax_account": (graphene.String, "Account of the sales tax item the export creates "
                          "(LINE_ITEM), e.g. Sales Tax Payable."),
    "gift_card_account": (graphene.String, "Account of the gift card item the export creates; "
                          "empty for the income account."),
    "shipping_item_name": (graphene.String, "Other-charge item for shipping."),
    "discount_item_name": (graphene.String, "Other-charge item for vouchers and discounts."),
    "gift_card_item_name": (graphene.String, "Other-charge item for gift cards sold and "
                            "applied."),
    "tax_mode": (QbTaxMode, "How sales tax reaches QuickBooks."),
    "sales_tax_item_name": (graphene.String, "Item for Saleor's tax (LINE_ITEM) or QuickBooks' "
                            "sales tax item (QUICKBOOKS_TAX_ITEM)."),
    "ref_number_prefix": (graphene.String, "Put before the order number in QuickBooks (at "
                          "most 8 characters)."),
    "class_name": (graphene.String, "QuickBooks class of every transaction; empty for none."),
    "orders_per_request": (graphene.Int, "How many orders go to QuickBooks per round trip "
                           "(1-200)."),
    "qbxml_version": (graphene.String, "The qbXML version spoken (13.0, the only one)."),
    "web_connector_username": (graphene.String, "The user name typed in Web Connector; it is "
                               "in the .qwc file."),
    "company_file": (graphene.String, "Full path of the QuickBooks company file; empty for "
                     "the file open in QuickBooks."),
    "time_zone": (graphene.String, "The store's time zone, for date ranges, e.g. "
                  "America/New_York."),
    "run_every_minutes": (graphene.Int, "Web Connector's schedule in the .qwc file "
                          "(1-1440 minutes)."),
    "company_currency": (graphene.String, "The QuickBooks company's home currency (ISO 4217); "
                         "orders in others get a warning."),
}
PASSWORD_FIELD = "web_connector_password"  # noqa: S105 - a setting name, not a secret
#: settings shown but not changed here
READ_ONLY = frozenset({"qbxml_version"})
assert set(SETTINGS) | {PASSWORD_FIELD} == set(Preferences.field_names())


def _output(kind, description: str):
    if kind is Date:
        return Date(description=description)
    if isinstance(kind, graphene.List):
        return graphene.List(kind.of_type, required=True, description=description)
    return graphene.Field(kind, required=True, description=description)


def _input(kind, description: str):
    if isinstance(kind, graphene.List):
        return graphene.List(kind.of_type, description=description)
    return graphene.InputField(kind, description=description)


QbSettings = type("QbSettings", (graphene.ObjectType,), {
    **{name: _output(kind, description) for name, (kind, description) in SETTINGS.items()},
    "web_connector_password_set": graphene.Boolean(
        required=True, description="Whether a Web Connector password is set (it is never "
        "shown)."),
    "can_edit": graphene.Boolean(
        required=True, description="Whether you may change the settings (MANAGE_PLUGINS)."),
    "Meta": type("Meta", (), {"description": (
        "The QuickBooks export settings: the plugin configuration (Extensions → QuickBooks "
        "Desktop Sync (settings)) as typed values.")}),
})

QbSettingsInput = type("QbSettingsInput", (graphene.InputObjectType,), {
    **{name: _input(kind, description)
       for name, (kind, description) in SETTINGS.items() if name not in READ_ONLY},
    PASSWORD_FIELD: graphene.InputField(
        graphene.String, description="A new Web Connector password (stored only as a hash)."),
    "Meta": type("Meta", (), {"description": (
        "The settings to change; those left out keep their value. exportStartDate: null "
        "clears the date.")}),
})


class QbChannel(graphene.ObjectType):
    slug = graphene.String(required=True, description="The channel's slug.")
    name = graphene.String(required=True, description="The channel's name.")

    class Meta:
        description = "A sales channel orders come from."


def settings_value(preferences: Preferences, *, can_edit: bool) -> dict[str, Any]:
    """What ``QbSettings`` resolves from: the typed values, never the password."""
    value: dict[str, Any] = {name: getattr(preferences, name) for name in SETTINGS}
    value["eligible_statuses"] = list(preferences.eligible_statuses)
    value["channels"] = list(preferences.channels)
    value["web_connector_password_set"] = bool(preferences.web_connector_password)
    value["can_edit"] = can_edit
    return value


def resolve_settings(context: QbSyncContext) -> dict[str, Any]:
    return settings_value(context.preferences, can_edit=context.host.has_permission(
        context.request, MANAGE_PLUGINS))


def resolve_channels(context: QbSyncContext) -> list:
    allowed = context.actor.channels
    return [c for c in context.host.channels() if allowed is None or c.slug in allowed]


def config_changes(data: Mapping[str, Any]) -> dict[str, Any]:
    """``QbSettingsInput`` as raw plugin-configuration values (text, or a boolean for a
    boolean setting, as Saleor's plugin page stores them). A null leaves a setting as it is,
    except the start date, which it clears."""
    changes: dict[str, Any] = {}
    for name, value in data.items():
        if name in READ_ONLY or (name not in SETTINGS and name != PASSWORD_FIELD):
            continue
        if value is None:
            if name == "export_start_date":
                changes[name] = ""
            continue
        changes[name] = raw_value(value)
    return changes


def raw_value(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return ",".join(str(raw_value(v)) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
