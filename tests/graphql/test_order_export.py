"""``qbOrderExport``: what an order's popup says (in QuickBooks, waiting, or why it cannot go),
and the preview's ``queuedCount`` (orders left out because they already wait)."""

from __future__ import annotations

from dataclasses import replace

from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.standalone.order_source import store_sample_orders
from saleor_qb_sync.testing.sample_orders import generate_orders

from .conftest import USD_ONLY_TOKEN
from .mutations.test_order_transfer_queue import QUEUE_MUTATION, eligible

ORDER_EXPORT = """
query($id: ID!) {
  qbOrderExport(orderId: $id) {
    order { number exported plannedTransactionType }
    queued canQueue reason automatic automaticNote
  }
}
"""
PREVIEW = """
query { qbOrderTransferPreview(filter: {}, first: 100) {
  totalCount queuedCount edges { node { number } } } }
"""


def export_state(api, order_id, **kwargs):
    return api(ORDER_EXPORT, {"id": to_global_id("Order", order_id)}, **kwargs)


def test_an_exportable_order_can_be_queued_and_then_says_it_waits(api, orders):
    # given
    document = eligible(orders(20, seed=31))[0]

    # when
    before = export_state(api, document.order_id).data["qbOrderExport"]
    api(QUEUE_MUTATION, {"input": {"orderIds": [document.order_id]}})
    after = export_state(api, document.order_id).data["qbOrderExport"]

    # then
    assert before["canQueue"] and not before["queued"] and before["reason"] is None
    assert before["order"]["number"] == document.number
    assert after["queued"] and not after["canQueue"]


def test_an_unconfirmed_order_says_why_it_cannot_go(api, db):
    # given
    document = replace(generate_orders(1, seed=32)[0], status="unconfirmed")
    store_sample_orders([document])

    # when
    state = export_state(api, document.order_id).data["qbOrderExport"]

    # then
    assert not state["canQueue"] and not state["automatic"]
    assert "unconfirmed" in state["reason"] and "Confirm it in Saleor" in state["reason"]


def test_an_order_of_a_channel_not_exported_names_the_setting(api, orders, configure):
    # given
    configure(channels="default-channel")
    document = next(d for d in eligible(orders(30, seed=33))
                    if d.channel_slug != "default-channel")

    # when
    state = export_state(api, document.order_id).data["qbOrderExport"]

    # then
    assert not state["canQueue"]
    assert "setting “Channels”" in state["reason"]


def test_in_automatic_mode_an_eligible_order_goes_without_being_queued(api, orders, configure):
    # given
    configure(export_mode="automatic")
    document = eligible(orders(20, seed=34))[0]

    # when
    state = export_state(api, document.order_id).data["qbOrderExport"]

    # then
    assert state["automatic"] and state["automaticNote"] is None


def test_in_automatic_mode_an_order_before_the_start_date_is_explained(api, orders, configure):
    # given
    configure(export_mode="automatic", export_start_date="2100-01-01")
    document = eligible(orders(20, seed=35))[0]

    # when
    state = export_state(api, document.order_id).data["qbOrderExport"]

    # then
    assert not state["automatic"]
    assert "export start date (2100-01-01)" in state["automaticNote"]


def test_an_order_of_a_channel_the_caller_cannot_see_is_not_found(api, orders):
    # given
    document = next(d for d in eligible(orders(30, seed=36))
                    if d.channel_slug != "default-channel")

    # when
    result = export_state(api, document.order_id, token=USD_ONLY_TOKEN)

    # then
    assert result.error_codes == ["NOT_FOUND"]


def test_the_preview_leaves_out_queued_orders_and_counts_them(api, orders):
    # given
    documents = eligible(orders(20, seed=37))
    api(QUEUE_MUTATION, {"input": {"orderIds": [d.order_id for d in documents[:3]]}})

    # when
    page = api(PREVIEW).data["qbOrderTransferPreview"]

    # then
    listed = {e["node"]["number"] for e in page["edges"]}
    assert page["queuedCount"] == 3
    assert page["totalCount"] == len(documents) - 3
    assert listed.isdisjoint({d.number for d in documents[:3]})


PAYMENTS = """
query($id: ID!) {
  qbOrderExport(orderId: $id) {
    payments { amount { amount currency } refNumber txnId state message action paymentMethod }
  }
}
"""


def test_an_order_lists_the_payments_quickbooks_received_against_its_invoice(
        api, configure, stored_order, source, quickbooks):
    # given: an invoice in QuickBooks, then charged 12.50 in Saleor, and a Web Connector update
    from decimal import Decimal

    from saleor_qb_sync.documents import ChargeStatus
    from saleor_qb_sync.transfers import queue_orders

    from ..qbwc.conftest import STAFF
    from ..qbwc.engine_driver import drive
    from ..qbwc.steps.test_follow_ups import charge

    preferences = configure(transaction_type="invoice", check_duplicates=False,
                            payment_methods="card=Credit Card", export_mode="automatic")
    document = stored_order(1, charge_status=ChargeStatus.NONE)
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks()
    drive(preferences, source, qb)
    before = export_state(api, document.order_id).data["qbOrderExport"]
    charge(document, ("a", "12.50"))
    drive(preferences, source, qb)

    # when
    state = api(PAYMENTS, {"id": to_global_id("Order", document.order_id)}).data[
        "qbOrderExport"]

    # then
    assert "payments" not in before  # the old query is unchanged
    [payment] = state["payments"]
    assert payment["amount"] == {"amount": 12.5, "currency": "USD"}
    assert (payment["refNumber"], payment["state"], payment["paymentMethod"]) == (
        "1-1", "DONE", "Credit Card")
    assert payment["txnId"] == qb.transactions("ReceivePayment")[0].txn_id
    assert Decimal(str(payment["amount"]["amount"])) == Decimal("12.50")


DOCUMENTS = """
query($id: ID!) {
  qbOrderExport(orderId: $id) {
    documents { kind amount { amount currency } refNumber txnId state message }
  }
}
"""


def test_an_order_lists_every_document_that_followed_it_payments_and_a_refund(
        api, configure, source, quickbooks):
    # given: a paid sales receipt, then Saleor refunded 5.00 of it, and an update ran
    from saleor_qb_sync.transfers import queue_orders

    from ..qbwc.conftest import STAFF
    from ..qbwc.engine_driver import drive
    from ..qbwc.steps.test_follow_ups import refund, taxed_receipt

    preferences = configure(check_duplicates=False, export_mode="automatic")
    document = taxed_receipt()
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks()
    drive(preferences, source, qb)
    refund(document, "5.00")
    drive(preferences, source, qb)

    # when
    state = api(DOCUMENTS, {"id": to_global_id("Order", document.order_id)}).data[
        "qbOrderExport"]

    # then: newest first, the refund then its credit memo, both in QuickBooks
    assert [(d["kind"], d["state"], d["amount"]["amount"]) for d in state["documents"]] == [
        ("REFUND", "DONE", 5.0), ("CREDIT_MEMO", "DONE", 5.0)]
    assert [d["txnId"] for d in state["documents"]] == [
        qb.transactions("ARRefundCreditCard")[0].txn_id, qb.transactions("CreditMemo")[0].txn_id]


QUICKBOOKS_DOCUMENT = """
query($id: ID!) {
  qbOrderExport(orderId: $id) {
    quickbooksDocument {
      transactionType refNumber txnDate customer customerCurrency
      lines { item description quantity rate amount { amount currency } taxCode }
      total { amount currency } exchangeRate arAccount depositToAccount memo
      billAddress shipAddress warnings qbxml
    }
  }
}
"""


def test_the_quickbooks_document_shown_is_what_quickbooks_then_records_line_by_line(
        api, configure, source, quickbooks, web_connector):
    # given: an order with a discount, shipping, a legacy gift card and tax
    from decimal import Decimal

    from saleor_qb_sync.documents import Discount, Shipping
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import order_uuid
    from ..qbwc.conftest import STAFF
    from ..qbxml.factories import order, order_line

    preferences = configure(check_duplicates=False)
    document = order(number=41, order_id=order_uuid(41),
                     lines=(order_line(quantity=3, unit_net="12.00", tax_rate="0.08",
                                       discount="3.00"),),
                     shipping=Shipping("UPS Ground", Decimal("7.50"), Decimal("8.10"),
                                       Decimal("0.08")),
                     gift_card_amount="5.00", voucher_code="SPRING10",
                     discounts=(Discount(kind="voucher", amount=Decimal("3.00"), name="Spring",
                                         voucher_code="SPRING10"),))
    store_sample_orders([document])
    order_id = to_global_id("Order", document.order_id)

    # when: the popup's document, then the order exported through Web Connector
    shown = api(QUICKBOOKS_DOCUMENT, {"id": order_id}).data["qbOrderExport"][
        "quickbooksDocument"]
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks()
    web_connector(qb).run_update()

    # then: QuickBooks recorded exactly that, line by line
    [recorded] = qb.transactions()
    assert shown["transactionType"] == recorded.kind
    assert (shown["refNumber"], shown["customer"]) == (recorded.ref_number,
                                                       recorded.customer_name)
    assert [(ln["item"], ln["description"], ln["quantity"], ln["amount"]["amount"])
            for ln in shown["lines"]] == [
        (ln.item_name, ln.description or "",
         None if ln.quantity is None else f"{ln.quantity.normalize():f}", float(ln.amount))
        for ln in recorded.lines]
    assert {ln["item"] for ln in shown["lines"]} >= {"TEE-M", "Saleor Discount", "Shipping",
                                                      "Gift Card", "Saleor Sales Tax"}
    assert Decimal(str(shown["total"]["amount"])) == recorded.total_amount
    assert f'<{recorded.kind}AddRq requestID="preview">' in shown["qbxml"]
    assert shown["txnDate"] == recorded.txn_date.isoformat()


def test_an_order_that_cannot_become_a_document_has_none_and_says_why(api, configure,
                                                                       stored_order):
    configure(exchange_rates="")
    document = stored_order(42, currency="CHF")
    state = api("""query($id: ID!) { qbOrderExport(orderId: $id) {
                   quickbooksDocument { refNumber } order { warnings } } }""",
                {"id": to_global_id("Order", document.order_id)}).data["qbOrderExport"]
    assert state["quickbooksDocument"] is None
    assert any("CHF" in w for w in state["order"]["warnings"])
