"""The QuickBooks document an order becomes, before it is sent: the export's own mapping and
builder, under what QuickBooks last said of its currencies."""

from __future__ import annotations

import pytest

from saleor_qb_sync.qbxml import build
from saleor_qb_sync.quickbooks_document import PREVIEW_REQUEST_ID, document_for

pytestmark = pytest.mark.django_db


def test_the_document_is_the_mapped_transaction_and_the_add_a_run_would_send(
        configure, stored_order, source):
    preferences = configure()
    document = stored_order(5)
    preview = document_for(source, preferences, document.order_id)
    assert preview.reason is None
    assert preview.mapped.transaction.ref_number == "5"
    assert preview.qbxml == build.transaction_add_xml(preview.mapped.transaction,
                                                      PREVIEW_REQUEST_ID)


def test_after_quickbooks_said_multicurrency_is_on_a_euro_order_is_shown_in_euros(
        configure, stored_order, source):
    from saleor_qb_sync.company import remember_currencies
    from saleor_qb_sync.models import WebConnectorSession
    from saleor_qb_sync.qbxml.currency import CompanyCurrencies

    preferences = configure()
    document = stored_order(6, currency="EUR")
    converted = document_for(source, preferences, document.order_id)
    row = WebConnectorSession.objects.create(ticket_digest="d" * 64, username="qb")
    remember_currencies(row, CompanyCurrencies(True, "USD", (("USD", "US Dollar"),
                                                             ("EUR", "Euro"))))
    row.save()
    booked = document_for(source, preferences, document.order_id)
    assert converted.mapped.transaction.currency == "USD"
    assert booked.mapped.transaction.currency == "EUR"
    assert booked.mapped.customer.currency == "Euro"


def test_an_order_that_cannot_be_mapped_says_why_and_a_missing_one_is_none(
        configure, stored_order, source):
    preferences = configure(exchange_rates="")
    document = stored_order(7, currency="CHF")
    refused = document_for(source, preferences, document.order_id)
    assert refused.mapped is None and "CHF" in refused.reason and refused.qbxml == ""
    assert document_for(source, preferences, "00000000-0000-0000-0000-000000000000") is None
