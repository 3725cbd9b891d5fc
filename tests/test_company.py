"""What the QuickBooks company said of its currencies, kept from session to session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_qb_sync.company import known_currencies, remember_currencies, session_currencies
from saleor_qb_sync.models import WebConnectorSession
from saleor_qb_sync.qbxml.currency import SINGLE_CURRENCY, CompanyCurrencies

pytestmark = pytest.mark.django_db

EUROS = CompanyCurrencies(True, "USD", (("USD", "US Dollar"), ("EUR", "Euro")))


def session(name: str, minutes_ago: int, **host_info) -> WebConnectorSession:
    return WebConnectorSession.objects.create(
        ticket_digest=name.ljust(64, "0"), username="qb", host_info=host_info,
        started_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_before_any_session_asked_the_company_has_one_currency():
    session("a", 5, product="QuickBooks")  # a session that learned nothing of currencies
    assert known_currencies() == SINGLE_CURRENCY


def test_the_newest_session_that_asked_decides_and_keeps_the_rest_of_its_host_info():
    # given
    older, newer = session("a", 60), session("b", 5, product="QuickBooks")
    remember_currencies(older, SINGLE_CURRENCY)
    older.save()
    remember_currencies(newer, EUROS)
    newer.save()
    session("c", 1)  # newest, but it asked nothing
    # then
    assert known_currencies() == EUROS
    newer.refresh_from_db()
    assert newer.host_info["product"] == "QuickBooks"
    assert session_currencies(newer) == EUROS
    assert session_currencies(session("d", 0)) is None
