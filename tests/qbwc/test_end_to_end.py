"""Web Connector emulator → our live SOAP endpoint → QuickBooks simulator, end to end."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_qb_sync.models import ExportedOrder, ExportRecord, ExportState
from saleor_qb_sync.transfers import Actor, queue_orders

from ..conftest import booked_total

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = Actor(user_id="7", email="staff@example.com")


def queue_all(source, preferences, documents):
    return queue_orders(source, preferences, STAFF, [d.order_id for d in documents])


def eligible(documents, preferences):
    return [d for d in documents if d.status in preferences.eligible_statuses]


def test_a_queued_transfer_puts_every_order_into_quickbooks_once_to_the_cent(
        configure, orders, source, quickbooks, web_connector):
    # given
    preferences = configure()
    documents = eligible(orders(25, seed=11), preferences)
    queue_all(source, preferences, documents)
    qb = quickbooks()

    # when
    report = web_connector(qb, strict=True).run_update()

    # then
    assert report.calls[:3] == ["serverVersion", "clientVersion", "authenticate"]
    assert report.calls[-1] == "closeConnection"
    assert ExportedOrder.objects.count() == len(documents)
    for document in documents:
        txn = qb.find_transaction(document.number_ref if hasattr(document, "number_ref")
                                  else str(document.number))
        assert txn is not None, document.number
        assert txn.total_amount == booked_total(document)
    assert not ExportRecord.objects.filter(state=ExportState.FAILED).exists()


def test_a_second_update_finds_nothing_new_and_says_none(
        configure, orders, source, quickbooks, web_connector):
    # given
    preferences = configure()
    documents = eligible(orders(5, seed=2), preferences)
    queue_all(source, preferences, documents)
    qb = quickbooks()
    web_connector(qb).run_update()

    # when
    second = web_connector(qb).run_update()

    # then
    assert second.calls == ["serverVersion", "clientVersion", "authenticate"]
    assert second.authenticate.status == "none"
    assert len(qb.transactions()) == len(documents)


def test_a_wrong_password_is_refused_with_nvu(configure, orders, quickbooks, web_connector):
    # given
    configure()

    # when
    report = web_connector(quickbooks(), password="guess").run_update()

    # then
    assert report.authenticate.status == "nvu"
    assert "sendRequestXML" not in report.calls


def test_totals_match_for_a_larger_store(configure, orders, source, quickbooks, web_connector):
    # given
    preferences = configure(orders_per_request=50, ref_number_prefix="W")
    documents = eligible(orders(120, seed=5), preferences)
    queue_all(source, preferences, documents)
    qb = quickbooks()

    # when
    web_connector(qb, strict=True).run_update()

    # then
    totals = {t.ref_number: t.total_amount for t in qb.transactions()}
    assert totals == {f"W{d.number}": booked_total(d) for d in documents}
    assert sum(totals.values(), Decimal(0)) == sum(
        (booked_total(d) for d in documents), Decimal(0))
