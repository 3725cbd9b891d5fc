"""``qbSettings``, ``qbChannels`` and ``qbSettingsUpdate`` on the standalone host."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.hashers import check_password

from saleor_qb_sync.errors import PreferencesInvalid
from saleor_qb_sync.graphql.settings import QbSettings, QbSettingsInput
from saleor_qb_sync.preferences import (
    PASSWORD_FIELD,
    SETTINGS,
    CustomerMode,
    ExportMode,
    Kind,
    TransactionType,
)
from saleor_qb_sync.standalone.host import StandaloneHost
from saleor_qb_sync.standalone.models import StoredPreferences
from saleor_qb_sync.transfers import Actor
from tests.conftest import QBWC_PASSWORD, SETTINGS_TOKEN

from .conftest import USD_ONLY_TOKEN

SETTINGS_FIELDS = """
exportMode transactionType checkDuplicates exportStartDate eligibleStatuses channels
customerMode singleCustomerName customerNameFormat itemMode defaultItemName missingItemAction
incomeAccount depositToAccount arAccount salesTaxAccount giftCardAccount shippingItemName
discountItemName giftCardItemName taxMode salesTaxItemName refNumberPrefix className
ordersPerRequest qbxmlVersion webConnectorUsername webConnectorPasswordSet companyFile
timeZone runEveryMinutes companyCurrency canEdit
"""
SETTINGS_QUERY = f"query {{ qbSettings {{ {SETTINGS_FIELDS} }} }}"
UPDATE = f"""
mutation Update($input: QbSettingsInput!) {{
  qbSettingsUpdate(input: $input) {{
    settings {{ {SETTINGS_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""
CHANNELS = "query { qbChannels { slug name } }"


def update(api, changes: dict, token: str = SETTINGS_TOKEN):
    return api(UPDATE, {"input": changes}, token=token)


def test_settings_are_typed_values_and_never_the_password(api, db):
    # when
    result = api(SETTINGS_QUERY)

    # then
    settings = result.data["qbSettings"]
    assert settings["exportMode"] == "ON_DEMAND"
    assert settings["transactionType"] == "BY_PAYMENT_STATUS"
    assert settings["eligibleStatuses"] == ["UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED"]
    assert settings["channels"] == []
    assert settings["exportStartDate"] is None
    assert settings["ordersPerRequest"] == 10
    assert settings["webConnectorUsername"] == "quickbooks"
    assert settings["webConnectorPasswordSet"] is True
    assert settings["canEdit"] is False  # the staff token lacks MANAGE_PLUGINS
    assert QBWC_PASSWORD not in str(result.content)
    assert "pbkdf2" not in str(result.content)


def test_the_password_cannot_even_be_asked_for(api, db):
    # when
    result = api("query { qbSettings { webConnectorPassword } }")

    # then
    assert result.status == 400
    assert result.error_codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_a_change_is_saved_and_the_next_preferences_have_it(api, db):
    # when
    result = update(api, {"exportMode": "AUTOMATIC", "eligibleStatuses": ["FULFILLED",
                                                                          "PARTIALLY_FULFILLED"],
                          "exportStartDate": "2026-01-15", "ordersPerRequest": 25,
                          "companyCurrency": "cad", "channels": ["default-channel"]})

    # then
    payload = result.data["qbSettingsUpdate"]
    assert payload["errors"] == []
    assert payload["settings"]["exportMode"] == "AUTOMATIC"
    assert payload["settings"]["canEdit"] is True
    preferences = StandaloneHost().preferences()
    assert preferences.export_mode == ExportMode.AUTOMATIC
    assert preferences.eligible_statuses == ("fulfilled", "partially fulfilled")
    assert preferences.export_start_date == date(2026, 1, 15)
    assert preferences.orders_per_request == 25
    assert preferences.company_currency == "CAD"
    assert preferences.channels == ("default-channel",)
    # untouched settings keep their value
    assert preferences.transaction_type == TransactionType.BY_PAYMENT_STATUS
    assert check_password(QBWC_PASSWORD, preferences.web_connector_password)
    # stored as the plugin configuration stores them: text (normalised), only what changed
    assert StoredPreferences.objects.get().configuration == {
        "export_mode": "automatic", "eligible_statuses": "fulfilled,partially fulfilled",
        "export_start_date": "2026-01-15", "orders_per_request": "25",
        "company_currency": "CAD", "channels": "default-channel"}
    assert api(SETTINGS_QUERY).data["qbSettings"]["exportMode"] == "AUTOMATIC"


def test_a_null_start_date_clears_it(api, db):
    # given
    update(api, {"exportStartDate": "2026-01-15"})

    # when
    result = update(api, {"exportStartDate": None})

    # then
    assert result.data["qbSettingsUpdate"]["settings"]["exportStartDate"] is None
    assert StandaloneHost().preferences().export_start_date is None


def test_an_invalid_value_names_its_field_and_saves_nothing(api, db):
    # when
    result = update(api, {"exportMode": "AUTOMATIC", "refNumberPrefix": "MUCH-TOO-LONG",
                          "ordersPerRequest": 501})

    # then
    payload = result.data["qbSettingsUpdate"]
    assert payload["settings"] is None
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("ordersPerRequest", "OUT_OF_RANGE"), ("refNumberPrefix", "TOO_LONG")]
    assert all(e["message"] for e in payload["errors"])
    assert not StoredPreferences.objects.exists()
    assert StandaloneHost().preferences().export_mode == ExportMode.ON_DEMAND


def test_settings_that_contradict_each_other_are_refused(api, db):
    # when: one customer for every order, with no name for it
    result = update(api, {"customerMode": "SINGLE_CUSTOMER", "singleCustomerName": "  "})

    # then
    errors = result.data["qbSettingsUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("singleCustomerName", "REQUIRED")]
    assert StandaloneHost().preferences().customer_mode == CustomerMode.PER_CUSTOMER


def test_no_status_at_all_is_refused(api, db):
    # when
    result = update(api, {"eligibleStatuses": []})

    # then
    errors = result.data["qbSettingsUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("eligibleStatuses", "REQUIRED")]


def test_draft_orders_are_not_a_choice(api, db):
    # when
    result = update(api, {"eligibleStatuses": ["DRAFT"]})

    # then
    assert result.status == 400
    assert result.error_codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_changing_settings_needs_manage_plugins(api, db):
    # when: the staff token holds MANAGE_ORDERS only
    result = update(api, {"exportMode": "AUTOMATIC"}, token="staff-token")

    # then
    assert result.error_codes == ["PERMISSION_DENIED"]
    assert "MANAGE_PLUGINS" in result.content["errors"][0]["message"]
    assert result.content["data"]["qbSettingsUpdate"] is None
    assert not StoredPreferences.objects.exists()


def test_changing_settings_needs_manage_orders_too(api, db):
    # when
    result = update(api, {"exportMode": "AUTOMATIC"}, token="no-permission-token")

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]


def test_a_new_password_is_stored_as_a_hash_and_never_returned(api, db):
    # when
    result = update(api, {"webConnectorPassword": "a new secret"})

    # then
    assert result.data["qbSettingsUpdate"]["settings"]["webConnectorPasswordSet"] is True
    assert "a new secret" not in str(result.content)
    stored = StoredPreferences.objects.get().configuration["web_connector_password"]
    assert stored != "a new secret"
    assert check_password("a new secret", stored)
    assert check_password("a new secret", StandaloneHost().preferences().web_connector_password)


def test_the_qbxml_version_is_not_an_input(api, db):
    # when
    result = update(api, {"qbxmlVersion": "14.0"})

    # then
    assert result.error_codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_the_api_shows_every_declared_setting_with_its_declared_description():
    # when
    shown = QbSettings._meta.fields
    taken = QbSettingsInput._meta.fields

    # then
    declared = [name for name, setting in SETTINGS.items() if setting.kind is not Kind.PASSWORD]
    assert list(shown) == [*declared, "web_connector_password_set", "can_edit", "list_problems"]
    assert list(taken) == [*(n for n in declared if n != "qbxml_version"), PASSWORD_FIELD]
    assert shown["tax_mode"].description == SETTINGS["tax_mode"].description
    assert taken[PASSWORD_FIELD].description == SETTINGS[PASSWORD_FIELD].description


def test_the_host_refuses_invalid_changes_itself(db, configure):
    # when
    with pytest.raises(PreferencesInvalid) as caught:
        StandaloneHost().save_preferences({"export_mode": "sometimes"}, Actor(email="a@b.c"))

    # then
    assert caught.value.fields == ["export_mode"]
    assert not StoredPreferences.objects.exists()


def test_saved_changes_win_over_the_settings_file(db, configure):
    # given
    host = StandaloneHost()
    host.save_preferences({"transaction_type": "invoice"}, Actor(email="owner@example.com"))

    # when
    configure(transaction_type="sales_order", export_mode="automatic")

    # then
    preferences = host.preferences()
    assert preferences.transaction_type == TransactionType.INVOICE
    assert preferences.export_mode == ExportMode.AUTOMATIC
    assert StoredPreferences.objects.get().updated_by == "owner@example.com"


def test_channels_are_those_of_the_orders(api, orders):
    # given
    documents = orders(30, seed=8)

    # when
    result = api(CHANNELS)

    # then
    slugs = sorted({d.channel_slug for d in documents})
    assert [c["slug"] for c in result.data["qbChannels"]] == slugs
    assert all(c["name"] for c in result.data["qbChannels"])


def test_channel_restricted_staff_see_their_channels_only(api, orders):
    # given
    orders(30, seed=8)

    # when
    result = api(CHANNELS, token=USD_ONLY_TOKEN)

    # then
    assert [c["slug"] for c in result.data["qbChannels"]] == ["default-channel"]


LIST_UPDATE = """
mutation Update($input: QbSettingsInput!) {
  qbSettingsUpdate(input: $input) {
    settings { depositToAccount shippingItemName
               listProblems { field severity code message value } }
    notices { field severity code message value }
    errors { field message code }
  }
}
"""


def _read(key: str, *rows: tuple[str, str, bool]) -> None:
    """``key`` as a completed Web Connector read of these (full name, type, active) left it."""
    from saleor_qb_sync import clock, quickbooks_lists
    from saleor_qb_sync.qbxml.lists import ListEntry

    started = clock.now()
    quickbooks_lists.store(key, [ListEntry(
        list_id=f"{key}{i}", name=name, full_name=name, record_type=kind, is_active=active,
        edit_sequence="1", time_modified=None) for i, (name, kind, active) in enumerate(rows)])
    quickbooks_lists.finish(key, started, full=True, records=len(rows), round_trips=1)


def test_a_name_quickbooks_lacks_is_refused_and_nothing_is_saved(api, db):
    # given
    _read("accounts", ("Undeposited Funds", "OtherCurrentAsset", True),
          ("Checking", "Bank", True), ("Accounts Receivable", "AccountsReceivable", True))

    # when
    payload = update(api, {"depositToAccount": "Undeposted Funds", "exportMode": "AUTOMATIC"},
                     ).data["qbSettingsUpdate"]

    # then
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("depositToAccount", "NOT_IN_QUICKBOOKS")]
    assert "pick one from the list" in payload["errors"][0]["message"]
    assert api(SETTINGS_QUERY).data["qbSettings"]["exportMode"] == "ON_DEMAND"  # all or nothing


def test_an_account_of_a_type_quickbooks_refuses_is_named_with_its_type(api, db):
    _read("accounts", ("Accounts Receivable", "AccountsReceivable", True),
          ("Checking", "Bank", True))
    payload = update(api, {"arAccount": "Checking"}).data["qbSettingsUpdate"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("arAccount", "WRONG_ACCOUNT_TYPE")]
    assert payload["errors"][0]["message"].startswith('"Checking" is a bank account')


def test_a_saved_name_comes_with_what_will_happen_and_the_problems_in_force(api, db):
    # given: QuickBooks has no item "Delivery", and its deposit account became inactive
    _read("items", ("Shipping", "ItemOtherCharge", True))
    _read("accounts", ("Undeposited Funds", "OtherCurrentAsset", False))

    # when
    payload = api(LIST_UPDATE, {"input": {"shippingItemName": "Delivery"}},
                  token=SETTINGS_TOKEN).data["qbSettingsUpdate"]

    # then: saved, with a notice; the old deposit account is a problem of what is in force
    assert payload["errors"] == []
    assert payload["settings"]["shippingItemName"] == "Delivery"
    assert [(n["field"], n["severity"], n["code"]) for n in payload["notices"]] == [
        ("shippingItemName", "NOTICE", "created_by_export")]
    problems = {(p["field"], p["severity"], p["code"])
                for p in payload["settings"]["listProblems"]}
    assert ("depositToAccount", "ERROR", "inactive_in_quickbooks") in problems
    assert ("shippingItemName", "NOTICE", "created_by_export") in problems


def test_before_any_read_the_settings_say_nothing_could_be_checked(api, db):
    problems = api("query { qbSettings { listProblems { field severity code } } }"
                   ).data["qbSettings"]["listProblems"]
    assert problems and {p["code"] for p in problems} == {"lists_not_read"}
    assert {p["severity"] for p in problems} == {"NOTICE"}
