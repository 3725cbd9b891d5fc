"""``qbSettingsUpdate``: change the settings the plugin page holds, as choices, not free text."""

from __future__ import annotations

import graphene
from graphene.utils.str_converters import to_camel_case

from ...errors import AuthenticationError, PreferencesInvalid
from ...list_checks import Severity, changed_fields, check
from ...preferences import Preferences
from ...routes import MANAGE_PLUGINS
from ..errors import QbSyncErrorType, error_code
from ..settings import (
    QbSettingProblem,
    QbSettings,
    QbSettingsInput,
    config_changes,
    problem_value,
    raw_value,
    settings_value,
)
from .mutation_common import QbSyncBaseMutation


class QbSettingsUpdate(QbSyncBaseMutation):
    settings = graphene.Field(QbSettings, description="The settings now in force.")
    notices = graphene.List(
        graphene.NonNull(QbSettingProblem), required=True,
        description="What our copy of QuickBooks' lists says of the names this saved (e.g. "
        "an item the first export will add); errors refuse the save instead.")

    class Arguments:
        input = QbSettingsInput(required=True, description="The settings to change.")

    class Meta:
        description = (
            "Change the QuickBooks export settings given in input (the others keep their "
            "value), validated and saved as the plugin page saves them. All or nothing: an "
            "invalid value saves none and is named in errors. Requires MANAGE_ORDERS and "
            "MANAGE_PLUGINS.")

    @classmethod
    def failed(cls, errors: list[QbSyncErrorType]) -> QbSettingsUpdate:
        return cls(errors=errors, notices=[])

    @classmethod
    def perform_mutation(cls, root, info, /, input):
        context = info.context
        if not context.host.has_permission(context.request, MANAGE_PLUGINS):
            raise AuthenticationError(
                "You need the MANAGE_PLUGINS permission to change the QuickBooks settings.",
                code="permission_denied")
        changes = config_changes(input)
        try:
            # values as the plugin page would store them (trimmed, upper-case currency, ...)
            candidate = Preferences.from_config({**context.preferences.to_config(), **changes})
            normalized = candidate.to_config()
            changes = {name: _stored(normalized[name]) for name in changes}
            saved = context.host.save_preferences(changes, context.actor)
        except PreferencesInvalid as exc:
            return cls.failed([
                QbSyncErrorType(field=_input_field(error.field), message=error.reason,
                                code=error_code(error))
                for error in exc.errors])
        notices = [p for p in check(saved, changed_fields(context.preferences, saved))
                   if p.severity is Severity.NOTICE]
        return cls(settings=settings_value(saved, can_edit=True), errors=[],
                   notices=[problem_value(p) for p in notices])


def _stored(value):
    """A value of ``Preferences.to_config`` as the plugin configuration stores it."""
    if value is None:
        return ""
    return value if isinstance(value, bool | str) else raw_value(value)


def _input_field(name: str) -> str | None:
    return to_camel_case(name) if name in Preferences.field_names() else None
