"""``Preferences.from_config``: typed once, every bad field named at once, strict booleans."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from saleor_qb_sync.errors import PreferenceError, PreferencesInvalid
from saleor_qb_sync.preferences import (
    PASSWORD_FIELD,
    SETTING_LABELS,
    SETTINGS,
    CustomerMode,
    ExportMode,
    ItemMode,
    Kind,
    MissingItemAction,
    Preferences,
    TaxMode,
    TransactionType,
)


def config(**overrides):
    """A complete, valid configuration as the plugin stores it (strings)."""
    values = {
        "export_mode": "automatic",
        "transaction_type": "invoice",
        "check_duplicates": "true",
        "export_start_date": "2026-01-15",
        "eligible_statuses": "fulfilled, partially_fulfilled",
        "channels": "default-channel, channel-pln",
        "customer_mode": "per_customer",
        "customer_name_format": "last_first",
        "item_mode": "by_sku",
        "missing_item_action": "use_default",
        "default_item_name": "Web Item",
        "tax_mode": "quickbooks_tax_item",
        "ref_number_prefix": "W-",
        "orders_per_request": "25",
        "time_zone": "America/New_York",
        "run_every_minutes": "15",
        "company_currency": "cad",
        "web_connector_username": "qb",
        "web_connector_password": "pbkdf2_sha256$1$salt$hash",
    }
    values.update(overrides)
    return values


def test_a_valid_configuration_is_typed_once():
    # when
    preferences = Preferences.from_config(config())

    # then
    assert preferences.export_mode is ExportMode.AUTOMATIC
    assert preferences.transaction_type is TransactionType.INVOICE
    assert preferences.check_duplicates is True
    assert preferences.export_start_date == date(2026, 1, 15)
    assert preferences.eligible_statuses == ("fulfilled", "partially fulfilled")
    assert preferences.channels == ("default-channel", "channel-pln")
    assert preferences.customer_mode is CustomerMode.PER_CUSTOMER
    assert preferences.item_mode is ItemMode.BY_SKU
    assert preferences.missing_item_action is MissingItemAction.USE_DEFAULT
    assert preferences.tax_mode is TaxMode.QUICKBOOKS_TAX_ITEM
    assert preferences.orders_per_request == 25
    assert preferences.company_currency == "CAD"
    assert preferences.is_automatic


def test_an_empty_configuration_gives_the_defaults_and_unknown_keys_are_ignored():
    # when
    preferences = Preferences.from_config({"no_such_setting": "x", "channels": None})

    # then
    assert preferences == Preferences()
    assert preferences.missing_for_connection() == ["web_connector_username",
                                                   "web_connector_password"]


def test_every_bad_field_is_named_at_once():
    # given
    bad = config(
        export_mode="sometimes",
        check_duplicates="maybe",
        export_start_date="yesterday",
        eligible_statuses="draft",
        orders_per_request="0",
        run_every_minutes="often",
        time_zone="Mars/Olympus_Mons",
        company_currency="dollars",
        ref_number_prefix="MUCH-TOO-LONG",
        qbxml_version="16.0",
        shipping_item_name="x" * 32,
        income_account="  ",
    )

    # when
    with pytest.raises(PreferencesInvalid) as raised:
        Preferences.from_config(bad)

    # then
    assert sorted(raised.value.fields) == sorted([
        "export_mode", "check_duplicates", "export_start_date", "eligible_statuses",
        "orders_per_request", "run_every_minutes", "time_zone", "company_currency",
        "ref_number_prefix", "qbxml_version", "shipping_item_name", "income_account"])
    codes = {e.field: e.code for e in raised.value.errors}
    assert codes["export_mode"] == "invalid_choice"
    assert codes["orders_per_request"] == "out_of_range"
    assert codes["ref_number_prefix"] == "too_long"
    assert codes["income_account"] == "required"
    assert "check_duplicates: 'maybe' is not a yes/no value" in str(raised.value)


@pytest.mark.parametrize(("raw", "value"), [
    ("false", False), ("False", False), ("0", False), ("no", False), ("off", False),
    ("", False), (False, False), (0, False),
    ("true", True), (" TRUE ", True), ("1", True), ("yes", True), ("on", True), (True, True),
])
def test_booleans_are_read_strictly(raw, value):
    # when
    preferences = Preferences.from_config({"check_duplicates": raw})

    # then
    assert preferences.check_duplicates is value


@pytest.mark.parametrize("raw", ["maybe", "2", "nein", "truee"])
def test_a_word_that_is_not_yes_or_no_is_an_error(raw):
    # when
    with pytest.raises(PreferencesInvalid) as raised:
        Preferences.from_config({"check_duplicates": raw})

    # then
    assert raised.value.fields == ["check_duplicates"]


@pytest.mark.parametrize("status", ["draft", "unconfirmed"])
def test_draft_and_unconfirmed_orders_cannot_be_made_eligible(status):
    # when
    with pytest.raises(PreferencesInvalid) as raised:
        Preferences.from_config({"eligible_statuses": f"fulfilled,{status}"})

    # then
    assert raised.value.fields == ["eligible_statuses"]
    assert "never exported" in str(raised.value)


def test_sales_receipts_need_an_account_to_deposit_to():
    # when
    with pytest.raises(PreferencesInvalid) as raised:
        Preferences.from_config({"transaction_type": "sales_receipt", "deposit_to_account": ""})
    invoices = Preferences.from_config({"transaction_type": "invoice", "deposit_to_account": ""})

    # then
    assert raised.value.fields == ["deposit_to_account"]
    assert invoices.deposit_to_account == ""


def test_the_default_item_is_required_only_when_a_rule_uses_it():
    # when
    with pytest.raises(PreferencesInvalid) as raised:
        Preferences.from_config({"item_mode": "single_item", "default_item_name": " "})
    by_sku = Preferences.from_config({"item_mode": "by_sku", "default_item_name": ""})

    # then
    assert raised.value.fields == ["default_item_name"]
    assert by_sku.default_item_name == ""


@pytest.mark.parametrize("preferences", [
    Preferences(),
    Preferences.from_config(config()),
    Preferences.from_config(config(eligible_statuses="unfulfilled,partially fulfilled,canceled",
                                   channels="", export_start_date="", ref_number_prefix="",
                                   class_name="Web:Store")),
], ids=["defaults", "everything-set", "empty-lists"])
def test_preferences_survive_a_round_trip_through_their_configuration(preferences):
    # when
    again = Preferences.from_config(preferences.to_config())

    # then
    assert again == preferences
    assert again.web_connector_password == preferences.web_connector_password


def test_the_configuration_holds_only_plain_values():
    # when
    stored = Preferences.from_config(config()).to_config()

    # then
    assert set(stored) == set(Preferences.field_names())
    assert all(isinstance(v, str | int | bool) or v is None for v in stored.values())
    assert stored["export_start_date"] == "2026-01-15"
    assert stored["eligible_statuses"] == "fulfilled,partially fulfilled"


def test_the_password_is_never_printed():
    # when
    shown = repr(Preferences(web_connector_password="s3cret-hash"))

    # then
    assert "s3cret-hash" not in shown


@pytest.mark.parametrize("raw", [date(2026, 1, 15), datetime(2026, 1, 15, 9, 30),
                                 " 2026-01-15 "])
def test_the_export_start_date_is_a_date_whatever_form_it_comes_in(raw):
    # when
    preferences = Preferences.from_config({"export_start_date": raw})

    # then
    assert type(preferences.export_start_date) is date
    assert preferences.export_start_date == date(2026, 1, 15)
    assert Preferences.from_config(preferences.to_config()) == preferences


def test_a_setting_is_read_by_the_parser_it_is_declared_with_and_defaults_as_declared():
    # given
    declared = SETTINGS["orders_per_request"]

    # when
    with pytest.raises(PreferencesInvalid) as raised:
        Preferences.from_config({"orders_per_request": "501"})

    # then
    assert declared.kind is Kind.NUMBER
    assert declared.parse("orders_per_request", " 25 ") == 25
    with pytest.raises(PreferenceError) as parsed:
        declared.parse("orders_per_request", "501")
    assert str(raised.value) == str(parsed.value) == (
        "orders_per_request: must be between 1 and 500")
    assert Preferences().orders_per_request == 250


def test_every_field_is_a_declared_setting_with_words_for_each_form():
    # then
    assert list(SETTINGS) == list(Preferences.field_names())
    for setting in SETTINGS.values():
        assert setting.label and setting.help_text and setting.description
    assert SETTING_LABELS["income_account"] == "Income account"
    assert [n for n, s in SETTINGS.items() if s.kind is Kind.PASSWORD] == [PASSWORD_FIELD]
