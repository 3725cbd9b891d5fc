"""``qbOrderExport.changesSinceExport`` and ``qbOrderUpdateInQuickbooks``: an order edited in
Saleor after its export shows what changed, and a person asks for the update; the history
lists such orders."""

from __future__ import annotations

from dataclasses import replace

import pytest

from saleor_qb_sync.documents import Address
from saleor_qb_sync.ledger import Outcome, new_attempt, record_outcomes, sent
from saleor_qb_sync.models import ExportedOrder
from saleor_qb_sync.qbxml.edits import current_header
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.standalone.host import settings_preferences
from saleor_qb_sync.standalone.order_source import store_sample_orders

from ..conftest import NO_PERMISSION_TOKEN, USD_ONLY_TOKEN, edges

NEW = Address(first_name="Jane", last_name="Doe", street_address_1="77 Harbour Rd",
              city="Portland", postal_code="04101", country_code="US", country_area="ME")

ORDER_EXPORT = """
query($id: ID!) {
  qbOrderExport(orderId: $id) {
    changedSinceExport changesNoticedAt changesProblem updateRequestedAt updateRequestedBy
    editUpdates
    changesSinceExport { field label before after }
    documents { kind state message }
  }
}
"""
UPDATE = """
mutation($id: ID!) {
  qbOrderUpdateInQuickbooks(orderId: $id) {
    orderExport { changedSinceExport updateRequestedAt updateRequestedBy }
    errors { field message code }
  }
}
"""
HISTORY = """
query($changed: Boolean) {
  qbTransferHistory(filter: {changedSinceExport: $changed}, first: 20) {
    totalCount edges { node { orderNumber changedSinceExport } }
  }
}
"""


@pytest.fixture
def exported(stored_order, session):
    def create(number: int = 1, channel: str = "default-channel"):
        document = stored_order(number, channel=channel)
        record = new_attempt(
            order_id=document.order_id, order_number=document.number, channel_slug=channel,
            transaction_type="Invoice", ref_number=str(document.number), session=session(),
            operation_id=None, header=current_header(document, settings_preferences()))
        sent([record])
        record_outcomes([Outcome(record, True, txn_id=f"TXN-{number}")])
        return document

    return create


def gid(document) -> str:
    return to_global_id("Order", document.order_id)


def test_an_edited_order_shows_what_changed_before_and_after(api, exported):
    # given
    document = exported()
    unchanged = api(ORDER_EXPORT, {"id": gid(document)}).data["qbOrderExport"]
    store_sample_orders([replace(document, billing_address=NEW)])
    # when
    state = api(ORDER_EXPORT, {"id": gid(document)}).data["qbOrderExport"]
    # then
    assert not unchanged["changedSinceExport"] and unchanged["changesSinceExport"] == []
    assert state["changedSinceExport"] and state["changesNoticedAt"]
    assert state["editUpdates"] == "ASK" and state["updateRequestedAt"] is None
    [change] = state["changesSinceExport"]
    assert change["field"] == "BILL_ADDRESS" and change["label"] == "Billing address"
    assert change["before"] == "Jane Doe, 1 Main St, Springfield IL 62701, US"
    assert change["after"] == "Jane Doe, 77 Harbour Rd, Portland ME 04101, US"


def test_asking_for_the_update_says_who_and_when(api, exported):
    # given
    document = exported()
    store_sample_orders([replace(document, billing_address=NEW)])
    # when
    result = api(UPDATE, {"id": gid(document)}).data["qbOrderUpdateInQuickbooks"]
    # then
    assert result["errors"] == []
    assert result["orderExport"]["changedSinceExport"]
    assert result["orderExport"]["updateRequestedAt"]
    assert result["orderExport"]["updateRequestedBy"] == "staff@example.com"
    assert ExportedOrder.objects.get(order_id=document.order_id).update_requested_at


@pytest.mark.parametrize(("case", "code"), [
    ("unchanged", "UNCHANGED"), ("not_exported", "NOT_EXPORTED"), ("bad_id", "INVALID_ID"),
    ("other_channel", "NOT_FOUND"),
])
def test_an_update_that_cannot_be_asked_for_is_a_typed_error(api, exported, stored_order,
                                                             case, code):
    # given
    document = exported(channel="channel-pln" if case == "other_channel" else "default-channel")
    if case != "unchanged":
        store_sample_orders([replace(document, billing_address=NEW)])
    order_id = {"not_exported": gid(stored_order(2)), "bad_id": "nope"}.get(case, gid(document))
    token = {"other_channel": USD_ONLY_TOKEN}.get(case)
    kwargs = {"token": token} if token else {}
    # when
    result = api(UPDATE, {"id": order_id}, **kwargs).data["qbOrderUpdateInQuickbooks"]
    # then
    assert result["orderExport"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("orderId", code)]
    assert not ExportedOrder.objects.filter(update_requested_at__isnull=False).exists()


def test_with_updates_off_the_order_shows_no_changes_and_cannot_be_updated(api, exported,
                                                                           configure):
    document = exported()
    store_sample_orders([replace(document, billing_address=NEW)])
    configure(update_edited_orders="off")
    state = api(ORDER_EXPORT, {"id": gid(document)}).data["qbOrderExport"]
    assert not state["changedSinceExport"] and state["editUpdates"] == "OFF"
    errors = api(UPDATE, {"id": gid(document)}).data["qbOrderUpdateInQuickbooks"]["errors"]
    assert [e["code"] for e in errors] == ["UPDATES_OFF"]


def test_without_manage_orders_nothing_is_asked(api, exported):
    document = exported()
    store_sample_orders([replace(document, billing_address=NEW)])
    result = api(UPDATE, {"id": gid(document)}, token=NO_PERMISSION_TOKEN)
    assert result.status == 403
    assert not ExportedOrder.objects.filter(update_requested_at__isnull=False).exists()


def test_the_history_flags_and_filters_orders_changed_since_export(api, exported):
    # given: three exported orders, one edited and looked at
    documents = [exported(n) for n in (1, 2, 3)]
    store_sample_orders([replace(documents[1], shipping_address=NEW)])
    api(ORDER_EXPORT, {"id": gid(documents[1])})
    # when
    everything = api(HISTORY, {"changed": None}).data["qbTransferHistory"]
    changed = api(HISTORY, {"changed": True}).data["qbTransferHistory"]
    others = api(HISTORY, {"changed": False}).data["qbTransferHistory"]
    # then
    assert {n["orderNumber"]: n["changedSinceExport"] for n in edges(everything)} == {
        1: False, 2: True, 3: False}
    assert [n["orderNumber"] for n in edges(changed)] == [2]
    assert sorted(n["orderNumber"] for n in edges(others)) == [1, 3]
