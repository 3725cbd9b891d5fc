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
from graphene.utils.str_converters import to_camel_case

from ..list_checks import ListProblem, check
from ..preferences import PASSWORD_FIELD, SETTINGS, Kind, Preferences, Setting
from ..routes import MANAGE_PLUGINS
from .context import QbSyncContext
from .enums import (
    QbCustomerMode,
    QbCustomerNameFormat,
    QbEditUpdates,
    QbExportableOrderStatus,
    QbExportMode,
    QbItemMode,
    QbMissingItemAction,
    QbSettingProblemSeverity,
    QbTaxMode,
    QbTransactionType,
)
from .types import Date

#: the GraphQL type of each kind of setting but a choice, whose type is its enum's (``_ENUMS``)
_TYPES = {
    Kind.TEXT: graphene.String,
    Kind.BOOLEAN: graphene.Boolean,
    Kind.NUMBER: graphene.Int,
    Kind.DATE: Date,
    Kind.ORDER_STATUSES: graphene.List(graphene.NonNull(QbExportableOrderStatus)),
    Kind.LIST: graphene.List(graphene.NonNull(graphene.String)),
}
_ENUMS = {enum._meta.enum: enum for enum in (
    QbExportMode, QbTransactionType, QbCustomerMode, QbCustomerNameFormat, QbItemMode,
    QbMissingItemAction, QbTaxMode, QbEditUpdates)}


def _type(name: str, setting: Setting):
    if setting.kind is Kind.CHOICE:
        return _ENUMS[type(getattr(Preferences(), name))]
    return _TYPES[setting.kind]


#: every setting the API shows (the password only as whether it is set), by its name in the
#: plugin configuration: (GraphQL type, description); ``QbSettingsInput`` takes the same
#: (camelCase), but the qbXML version, and a new password
SHOWN: dict[str, tuple[Any, str]] = {
    name: (_type(name, setting), setting.description)
    for name, setting in SETTINGS.items() if setting.kind is not Kind.PASSWORD
}
#: settings shown but not changed here
READ_ONLY = frozenset({"qbxml_version"})


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


class QbSettingProblem(graphene.ObjectType):
    field = graphene.String(
        required=True, description="The setting it is about (camelCase, as in QbSettings).")
    severity = QbSettingProblemSeverity(required=True, description="Error or notice.")
    code = graphene.String(
        required=True, description="not_in_quickbooks, inactive_in_quickbooks, "
        "wrong_account_type, unusual_account_type, not_a_line_item, not_a_sales_tax_item, "
        "created_by_export, lists_not_read or home_currency_mismatch.")
    message = graphene.String(required=True, description="What is wrong, for a person.")
    value = graphene.String(required=True, description="The name it is about.")

    class Meta:
        description = ("What our copy of QuickBooks' lists says of a setting that names a "
                       "QuickBooks record (an account, item, customer, class or payment "
                       "method).")


def problem_value(problem: ListProblem) -> QbSettingProblem:
    return QbSettingProblem(field=to_camel_case(problem.field), severity=problem.severity,
                            code=problem.code, message=problem.message, value=problem.value)


QbSettings = type("QbSettings", (graphene.ObjectType,), {
    **{name: _output(kind, description) for name, (kind, description) in SHOWN.items()},
    "web_connector_password_set": graphene.Boolean(
        required=True, description="Whether a Web Connector password is set (it is never "
        "shown)."),
    "can_edit": graphene.Boolean(
        required=True, description="Whether you may change the settings (MANAGE_PLUGINS)."),
    "list_problems": graphene.List(
        graphene.NonNull(QbSettingProblem), required=True,
        description="The settings in force checked against our copy of QuickBooks' lists: "
        "names QuickBooks lacks or marks inactive, accounts of the wrong type, what the first "
        "export will add. Saving checks only what it changes, so a name that has since gone "
        "from QuickBooks shows here."),
    "resolve_list_problems": staticmethod(
        lambda root, info: [problem_value(p) for p in check(root["preferences"])]),
    "Meta": type("Meta", (), {"description": (
        "The QuickBooks export settings: the plugin configuration (Extensions → QuickBooks "
        "Desktop Sync (settings)) as typed values.")}),
})

QbSettingsInput = type("QbSettingsInput", (graphene.InputObjectType,), {
    **{name: _input(kind, description)
       for name, (kind, description) in SHOWN.items() if name not in READ_ONLY},
    PASSWORD_FIELD: graphene.InputField(
        graphene.String, description=SETTINGS[PASSWORD_FIELD].description),
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
    value: dict[str, Any] = {name: getattr(preferences, name) for name in SHOWN}
    value["eligible_statuses"] = list(preferences.eligible_statuses)
    value["channels"] = list(preferences.channels)
    value["web_connector_password_set"] = bool(preferences.web_connector_password)
    value["can_edit"] = can_edit
    value["preferences"] = preferences
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
        if name in READ_ONLY or name not in SETTINGS:
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
