"""The settings check: once per session, its findings shown and used."""

from __future__ import annotations

import pytest

from ..engine_driver import drive

pytestmark = pytest.mark.django_db


def test_a_missing_income_account_is_said_and_blocks_the_orders_that_need_it(
        queued, source, quickbooks):
    preferences, _ = queued(2, income_account="Nowhere Income", check_duplicates=False)
    qb = quickbooks()

    run = drive(preferences, source, qb)

    assert run.sets[0][0] == "AccountQueryRq"
    assert qb.transactions() == []
    from saleor_qb_sync.models import ExportRecord

    reasons = set(ExportRecord.objects.values_list("status_message", flat=True))
    assert reasons and all("Nowhere Income" in r for r in reasons)


def test_the_check_runs_once_per_session(queued, source, quickbooks):
    preferences, _ = queued(25, orders_per_request=10, check_duplicates=False)
    run = drive(preferences, source, quickbooks())
    assert sum("AccountQueryRq" in s for s in run.sets) == 1


CURRENCY_ANSWER = """<?xml version="1.0"?><QBXML><QBXMLMsgsRs>
<CurrencyQueryRs requestID="pc" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<CurrencyRet><ListID>1</ListID><Name>US Dollar</Name><IsActive>true</IsActive>
<CurrencyCode>USD</CurrencyCode></CurrencyRet>
<CurrencyRet><ListID>2</ListID><Name>Euro</Name><IsActive>true</IsActive>
<CurrencyCode>EUR</CurrencyCode></CurrencyRet>
<CurrencyRet><ListID>3</ListID><Name>British Pound Sterling</Name><IsActive>false</IsActive>
<CurrencyCode>GBP</CurrencyCode></CurrencyRet>
</CurrencyQueryRs></QBXMLMsgsRs></QBXML>"""


def test_the_currency_list_gives_each_codes_name_and_the_home_currency_by_its_name():
    from saleor_qb_sync.qbwc.steps.check import read_currencies
    from saleor_qb_sync.qbxml.parse import parse_response

    [answer] = parse_response(CURRENCY_ANSWER)
    currencies = read_currencies(answer, "US Dollar")
    assert currencies.multicurrency and currencies.home == "USD"
    assert currencies.names == (("USD", "US Dollar"), ("EUR", "Euro"))
    assert currencies.inactive == ("GBP",)
    # no answer: multicurrency with nothing known, so no foreign order goes
    assert read_currencies(None, "US Dollar").names == ()
