"""``qbSettingsUpdate`` against a stand-in host: what the host is asked to save, and how its
refusals come back.

End to end on the standalone host (stored values, the password hash, contradicting settings) is
``tests/graphql/test_settings.py``.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from saleor_qb_sync.errors import PreferenceError, PreferencesInvalid
from saleor_qb_sync.graphql.context import QbSyncContext
from saleor_qb_sync.graphql.schema import schema
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.transfers import Actor

UPDATE = """
mutation Update($input: QbSettingsInput!) {
  qbSettingsUpdate(input: $input) {
    settings { companyCurrency exportStartDate checkDuplicates canEdit }
    errors { field message code }
  }
}
"""
ACTOR = Actor(email="owner@example.com")
#: the saved names are checked against our copy of QuickBooks' lists (empty here)
pytestmark = pytest.mark.django_db


class Host:
    def __init__(self, *, may_edit: bool = True, refusal: PreferencesInvalid | None = None,
                 in_force: Preferences | None = None) -> None:
        self.may_edit = may_edit
        self.refusal = refusal
        self.in_force = in_force
        self.saved: list[tuple[dict, Actor]] = []

    def preferences(self) -> Preferences:
        return Preferences(company_currency="USD", web_connector_username="quickbooks")

    def has_permission(self, request, permission) -> bool:
        assert permission == "MANAGE_PLUGINS"
        return self.may_edit

    def save_preferences(self, changes, actor) -> Preferences:
        self.saved.append((dict(changes), actor))
        if self.refusal:
            raise self.refusal
        return self.in_force or Preferences.from_config(
            {**self.preferences().to_config(), **changes})


def update(host: Host, changes: dict):
    context = QbSyncContext(request=RequestFactory().post("/"), host=host, actor=ACTOR)
    return schema.execute(UPDATE, context_value=context, variable_values={"input": changes})


def test_the_host_is_given_only_the_changed_settings_as_the_plugin_page_stores_them():
    # given
    host = Host()

    # when
    result = update(host, {"companyCurrency": " cad ", "checkDuplicates": False,
                           "exportStartDate": None})

    # then
    assert result.errors is None
    assert host.saved == [({"company_currency": "CAD", "check_duplicates": False,
                            "export_start_date": ""}, ACTOR)]
    assert result.data["qbSettingsUpdate"] == {
        "settings": {"companyCurrency": "CAD", "exportStartDate": None,
                     "checkDuplicates": False, "canEdit": True},
        "errors": []}


def test_the_answer_is_what_the_host_says_is_now_in_force():
    # given: the host keeps another value than the one asked for
    host = Host(in_force=Preferences(company_currency="EUR"))

    # when
    result = update(host, {"companyCurrency": "CAD"})

    # then
    assert result.data["qbSettingsUpdate"]["settings"]["companyCurrency"] == "EUR"


def test_a_value_no_host_would_take_is_refused_before_the_host_is_asked():
    # given
    host = Host()

    # when
    result = update(host, {"ordersPerRequest": 0})

    # then
    payload = result.data["qbSettingsUpdate"]
    assert payload["settings"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("ordersPerRequest", "OUT_OF_RANGE")]
    assert host.saved == []


def test_the_hosts_own_refusal_is_named_by_input_field_or_by_none():
    # given: what Saleor's plugin validation or a missing plugin makes SaleorHost raise
    host = Host(refusal=PreferencesInvalid([
        PreferenceError("income_account", "Saleor refused it.", code="invalid"),
        PreferenceError("configuration", "the QuickBooks plugin is not installed",
                        code="not_found"),
    ]))

    # when
    result = update(host, {"incomeAccount": "Sales"})

    # then
    assert result.data["qbSettingsUpdate"] == {"settings": None, "errors": [
        {"field": "incomeAccount", "message": "Saleor refused it.", "code": "INVALID"},
        {"field": None, "message": "the QuickBooks plugin is not installed",
         "code": "NOT_FOUND"}]}


def test_without_manage_plugins_nothing_is_saved_and_the_request_is_refused():
    # given
    host = Host(may_edit=False)

    # when
    result = update(host, {"companyCurrency": "CAD"})

    # then
    assert result.data == {"qbSettingsUpdate": None}
    assert result.errors[0].original_error.code == "permission_denied"
    assert host.saved == []

