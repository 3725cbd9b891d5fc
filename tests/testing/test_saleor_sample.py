"""Saleor's GraphQL orders read as ``OrderDocument``s: the 20 real ones of
``orders-populatedb.json`` (when present), and one written by hand."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saleor_qb_sync.documents import ChargeStatus, to_cents
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.qbxml.mapping import map_order
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.testing.saleor_sample import (
    load_sample_orders,
    order_from_graphql,
    sample_path,
    status_from_graphql,
)

#: the defaults, with the sample's PLN channel converted for the USD company
PREFERENCES = Preferences(exchange_rates=("PLN=0.25",))


@pytest.fixture(scope="module")
def sample():
    if not sample_path().exists():
        pytest.skip(f"the Saleor sample is not at {sample_path()} (set SALEOR_SAMPLE)")
    return load_sample_orders()


def test_all_twenty_orders_load(sample):
    # then
    assert len(sample) == 20
    assert sorted(o.number for o in sample) == list(range(1, 21))
    assert all(uuid.UUID(o.order_id) for o in sample)
    assert {(o.channel_slug, o.currency) for o in sample} == {("default-channel", "USD"),
                                                               ("channel-pln", "PLN")}


def test_every_order_maps_under_the_default_preferences(sample):
    # when
    mapped = [map_order(o, PREFERENCES) for o in sample]

    # then
    assert all(m.transaction.lines_total == to_cents(o.total_gross * PREFERENCES.rate_for(
        o.currency)) for m, o in zip(mapped, sample, strict=True))
    assert all(o.totals_problem() is None for o in sample)


def test_lines_without_sku_get_an_item_named_after_the_product(sample):
    # given
    with_null_sku = [o for o in sample if any(line.sku is None for line in o.lines)]

    # when
    mapped = {o.number: map_order(o, PREFERENCES) for o in with_null_sku}

    # then
    assert len(with_null_sku) >= 10
    assert sum(line.sku is None for o in sample for line in o.lines) == 16
    for document in with_null_sku:
        result = mapped[document.number]
        items = {i.name for i in result.items}
        for line in document.lines:
            if line.sku is None:
                assert line.product_name[:31] in items
        assert any(w.startswith("a line has no SKU: an item named after the product")
                   for w in result.warnings)


def test_guests_have_no_user_id(sample):
    # then
    assert all(o.customer.user_id is None and o.customer.is_guest for o in sample)
    assert all("@" in o.customer.email for o in sample)


def test_statuses_are_the_databases_spelling(sample):
    # when
    statuses = Counter(o.status for o in sample)

    # then
    assert statuses["unconfirmed"] == 2
    assert statuses["partially fulfilled"] > 0
    assert set(statuses) == {"unconfirmed", "unfulfilled", "partially fulfilled", "fulfilled"}


def test_unpaid_orders_become_invoices_and_paid_ones_sales_receipts(sample):
    # when
    kinds = {o.number: map_order(o, PREFERENCES).transaction.kind.value for o in sample}

    # then
    assert [n for n, k in sorted(kinds.items()) if k == "Invoice"] == [1, 2, 11, 12, 18]
    assert all(k == "SalesReceipt" for n, k in kinds.items() if n not in (1, 2, 11, 12, 18))


# --- one order written by hand, as Saleor's GraphQL API answers (no sample file needed) ------

ORDER_ID = "4bc044ce-6f30-4b65-9b0b-68a640f1292c"


def node(**overrides) -> dict:
    value = {
        "id": to_global_id("Order", ORDER_ID), "number": "7",
        "created": "2026-11-25T18:34:49.209133+00:00", "status": "PARTIALLY_FULFILLED",
        "chargeStatus": "PARTIAL", "userEmail": None,
        "user": {"id": "VXNlcjo0Mg==", "email": "jane@example.com", "firstName": "Jane",
                 "lastName": "Doe"},
        "channel": {"slug": "channel-pln", "currencyCode": "PLN"},
        "billingAddress": {"firstName": "Jane", "lastName": "Doe", "country": {"code": "PL"},
                           "phone": None},
        "shippingAddress": None, "shippingMethodName": None,
        "total": {"net": {"amount": 90.0, "currency": "PLN"}, "gross": {"amount": 100.0}},
        "undiscountedTotal": {"gross": {"amount": 130.0}},
        "shippingPrice": {"net": {"amount": 0.0}, "gross": {"amount": 0.0}},
        "voucherCode": "SAVE10",
        "discounts": [{"type": "VOUCHER", "amount": {"amount": 10.0}, "name": None,
                       "voucherCode": "SAVE10", "valueType": "PERCENTAGE", "value": 10}],
        "giftCards": [{"id": "R2lmdENhcmQ6MQ=="}],
        "payments": [{"gateway": "mirumee.payments.dummy", "capturedAmount": {"amount": 5.5}}],
        "transactions": [{"name": None, "pspReference": "psp-1",
                          "chargedAmount": {"amount": 20.0}}],
        "totalCharged": {"amount": 25.5}, "customerNote": None,
        "lines": [{
            "id": "line-1", "productName": "Mighty Mug", "variantName": "", "productSku": None,
            "productVariantId": "UHJvZHVjdFZhcmlhbnQ6MQ==", "quantity": 3,
            "unitPrice": {"net": {"amount": 36.59}, "gross": {"amount": 45.0}},
            "totalPrice": {"net": {"amount": 109.76}, "gross": {"amount": 135.0}},
            "undiscountedUnitPrice": {"net": {"amount": 40.0}, "gross": {"amount": 49.2}},
            "taxRate": 0.23, "isGiftCard": False, "taxClassName": None,
        }],
    }
    value.update(overrides)
    return value


def test_graphqls_status_names_become_the_databases_spelling():
    # then
    assert status_from_graphql("PARTIALLY_FULFILLED") == "partially fulfilled"
    assert status_from_graphql("UNFULFILLED") == "unfulfilled"
    assert status_from_graphql("PARTIALLY_RETURNED") == "partially_returned"


def test_a_graphql_order_becomes_an_order_document_with_exact_money():
    # when
    order = order_from_graphql(node())

    # then
    assert (order.order_id, order.number, order.channel_slug, order.currency) == (
        ORDER_ID, 7, "channel-pln", "PLN")
    assert order.created_at == datetime(2026, 11, 25, 18, 34, 49, 209133, tzinfo=UTC)
    assert (order.status, order.charge_status) == ("partially fulfilled", ChargeStatus.PARTIAL)
    assert (order.customer.email, order.customer.user_id, order.customer.full_name) == (
        "jane@example.com", "VXNlcjo0Mg==", "Jane Doe")
    (line,) = order.lines
    assert (line.sku, line.quantity, line.tax_rate) == (None, 3, Decimal("0.23"))
    assert line.unit_price_net == Decimal("36.59")
    assert line.undiscounted_total_price_gross == Decimal("147.6")
    assert order.billing_address.phone == ""
    assert order.shipping is None and order.shipping_address is None
    assert (order.total_gross, order.total_charged) == (Decimal("100.0"), Decimal("25.5"))


def test_payments_discounts_and_gift_cards_are_read_as_saleor_reports_them():
    # when
    order = order_from_graphql(node())

    # then: the gift card paid what the lines cost beyond the total
    assert order.gift_card_amount == Decimal("35.0")
    assert [(p.method, p.amount, p.psp_reference) for p in order.payments] == [
        ("other", Decimal("20.0"), "psp-1"), ("mirumee.payments.dummy", Decimal("5.5"), "")]
    (discount,) = order.discounts
    assert (discount.kind, discount.amount, discount.value_type, discount.value,
            discount.voucher_code) == ("voucher", Decimal("10.0"), "percentage", Decimal("10"),
                                       "SAVE10")


def test_a_guest_is_known_by_the_orders_email_and_shipping_by_its_method():
    # when
    order = order_from_graphql(node(
        user=None, userEmail="guest@example.com", giftCards=[], shippingMethodName="DHL",
        shippingPrice={"net": {"amount": 8.13}, "gross": {"amount": 10.0}},
        shippingTaxRate=0.23))

    # then
    assert (order.customer.email, order.customer.user_id) == ("guest@example.com", None)
    assert order.customer.is_guest
    assert order.gift_card_amount == Decimal("0")
    assert (order.shipping.method_name, order.shipping.price_gross,
            order.shipping.tax_rate) == ("DHL", Decimal("10.0"), Decimal("0.23"))


def test_a_sample_file_given_by_path_is_read_whole(tmp_path):
    # given
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({"data": {"orders": {"edges": [
        {"node": node()}, {"node": node(number="8", id=to_global_id("Order", uuid.uuid4()))},
    ]}}}), encoding="utf-8")

    # when
    documents = load_sample_orders(path)

    # then
    assert [d.number for d in documents] == [7, 8]
