"""Sorting QuickBooks status codes and HRESULTs, and explaining them to a bookkeeper."""

from __future__ import annotations

import pytest

from saleor_qb_sync.qbxml.status import (
    StatusClass,
    classify,
    classify_hresult,
    describe,
    describe_hresult,
    parse_hresult,
)


@pytest.mark.parametrize(("code", "severity", "expected"), [
    (0, "Info", StatusClass.SUCCESS),
    (1, "Info", StatusClass.NOT_FOUND),
    (500, "Warn", StatusClass.FIXABLE),
    (530, "Warn", StatusClass.SUCCESS),
    (550, "Warn", StatusClass.SUCCESS),
    (560, "Warn", StatusClass.SUCCESS),
    (600, "Info", StatusClass.SUCCESS),
    (3100, "Error", StatusClass.FIXABLE),
    (3120, "Error", StatusClass.FIXABLE),
    (3130, "Error", StatusClass.FIXABLE),
    (3140, "Error", StatusClass.FIXABLE),
    (3000, "Error", StatusClass.FIXABLE),
    (9001, "Error", StatusClass.FIXABLE),
    (3200, "Error", StatusClass.FIXABLE),
    (3391, "Error", StatusClass.FIXABLE),
    (1000, "Error", StatusClass.TRANSIENT),
    (1010, "Error", StatusClass.TRANSIENT),
    (3170, "Error", StatusClass.TRANSIENT),
    (3175, "Error", StatusClass.TRANSIENT),
    (3176, "Error", StatusClass.TRANSIENT),
    (1030, "Error", StatusClass.NEEDS_PERSON),
    (1060, "Error", StatusClass.NEEDS_PERSON),
    (3010, "Error", StatusClass.NEEDS_PERSON),
    (3070, "Error", StatusClass.NEEDS_PERSON),
    (3150, "Error", StatusClass.NEEDS_PERSON),
    (3171, "Error", StatusClass.NEEDS_PERSON),
    (3180, "Error", StatusClass.NEEDS_PERSON),
    (3210, "Error", StatusClass.NEEDS_PERSON),
    (3250, "Error", StatusClass.NEEDS_PERSON),
    (3260, "Error", StatusClass.NEEDS_PERSON),
    (3261, "Error", StatusClass.NEEDS_PERSON),
    (9999, "Error", StatusClass.NEEDS_PERSON),
    (-1, None, StatusClass.NEEDS_PERSON),
])
def test_each_status_code_falls_in_the_class_the_reference_policy_gives(code, severity, expected):
    assert classify(code, severity) == expected


def test_a_warning_below_one_thousand_is_still_a_success_but_an_error_severity_is_not():
    assert classify(510, "Warn") == StatusClass.SUCCESS
    assert classify(510, "Error") == StatusClass.NEEDS_PERSON


def test_a_closing_date_refusal_tells_the_bookkeeper_what_to_do():
    # when
    text = describe(3171, "The transaction date is on or before the closing date.")
    # then
    assert text.startswith("QuickBooks refused the date")
    assert "closing date" in text and "administrator" in text
    assert "status 3171: The transaction date is on or before the closing date." in text


@pytest.mark.parametrize("code", [0, 1, 500, 1000, 3070, 3100, 3140, 3175, 3250, 3045, 3099,
                                  4321, 250, 750])
def test_every_code_gets_a_sentence_a_person_can_read(code):
    # when
    text = describe(code)
    # then
    assert text and text[0].isupper() and text.endswith(".")


def test_an_unknown_error_passes_quickbooks_message_through_on_one_line():
    # when
    text = describe(4321, "Something\n  odd   happened")
    # then
    assert text.endswith("(QuickBooks said, status 4321: Something odd happened)")


@pytest.mark.parametrize(("raw", "expected"), [
    ("0x80040400", 0x80040400), ("0X80040400", 0x80040400), ("80040400", 0x80040400),
    ("-2147220480", 0x80040400), (-2147220480, 0x80040400), ("", None), ("nonsense", None),
])
def test_hresults_are_read_in_the_forms_the_web_connector_uses(raw, expected):
    assert parse_hresult(raw) == expected


def test_a_parse_error_hresult_is_explained_and_needs_a_person():
    # when
    text = describe_hresult("0x80040400", "QuickBooks found an error when parsing the provided "
                            "XML text stream.")
    # then
    assert "could not read the request" in text
    assert "0x80040400" in text and "parsing the provided XML" in text
    assert classify_hresult("0x80040400") == StatusClass.NEEDS_PERSON


def test_a_could_not_access_quickbooks_hresult_is_transient():
    assert classify_hresult("0x80040401") == StatusClass.TRANSIENT
    assert "try again" in describe_hresult("0x80040401")


@pytest.mark.parametrize("hresult", ["0x80040408", "0x80040416", "0x80040418", "0x80040420"])
def test_hresults_about_access_and_starting_quickbooks_need_a_person(hresult):
    assert classify_hresult(hresult) == StatusClass.NEEDS_PERSON
    assert describe_hresult(hresult).endswith(f"({hresult.upper().replace('0X', '0x')})")


def test_an_unknown_hresult_is_described_and_retried():
    assert classify_hresult("0x8004FFFF") == StatusClass.TRANSIENT
    assert "Web Connector" in describe_hresult("0x8004FFFF", "odd")
