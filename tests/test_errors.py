"""One exception tree: callers catch ``QbSyncError`` and read a code and a person's message."""

from __future__ import annotations

import pytest

from saleor_qb_sync import errors
from saleor_qb_sync.errors import (
    AuthenticationError,
    HostileXmlError,
    MappingError,
    PreferenceError,
    PreferencesInvalid,
    QbSyncError,
    QbXmlError,
    TransferError,
)


def test_every_error_of_the_package_has_one_root_and_its_own_code():
    # given
    classes = [value for value in vars(errors).values()
               if isinstance(value, type) and issubclass(value, Exception)]

    # then
    assert all(issubclass(cls, QbSyncError) for cls in classes)
    codes = [cls.code for cls in classes]
    assert len(codes) == len(set(codes)), codes
    assert issubclass(HostileXmlError, QbXmlError)


def test_the_message_is_what_str_gives_and_a_code_can_be_more_precise():
    # when
    default = QbSyncError("QuickBooks is busy.")
    precise = AuthenticationError("You need MANAGE_ORDERS.", code="permission_denied")

    # then
    assert (str(default), default.message, default.code) == (
        "QuickBooks is busy.", "QuickBooks is busy.", "error")
    assert (precise.code, AuthenticationError.code) == ("permission_denied", "unauthenticated")


def test_a_preference_error_names_its_field_and_keeps_the_reason_apart():
    # when
    error = PreferenceError("company_currency", "must be three letters")

    # then
    assert str(error) == "company_currency: must be three letters"
    assert (error.field, error.reason, error.code) == (
        "company_currency", "must be three letters", "invalid_preference")


def test_several_bad_preferences_are_reported_together_in_order():
    # given
    first = PreferenceError("export_mode", "not a choice", code="invalid_choice")
    second = PreferenceError("web_connector_username", "is required", code="required")

    # when
    error = PreferencesInvalid([first, second])

    # then
    assert error.fields == ["export_mode", "web_connector_username"]
    assert error.errors == [first, second]
    assert str(error) == "export_mode: not a choice; web_connector_username: is required"


def test_a_mapping_error_says_which_order():
    # when
    error = MappingError(1042, "its item is missing in QuickBooks", code="missing_item")

    # then
    assert str(error) == "Order #1042: its item is missing in QuickBooks"
    assert (error.order_number, error.code) == (1042, "missing_item")


def test_a_transfer_error_may_name_the_input_field():
    # when
    with pytest.raises(QbSyncError) as caught:
        raise TransferError("The start date is after the end date.", field="dateTo",
                            code="invalid_date_range")

    # then
    assert (caught.value.field, caught.value.code) == ("dateTo", "invalid_date_range")
    assert TransferError("Nothing chosen.").field is None
