"""``edits``: an exported order compared live with what QuickBooks has, and a person's "Update
in QuickBooks", with a typed reason whenever it cannot be asked for."""

from __future__ import annotations

from dataclasses import replace

import pytest

from saleor_qb_sync import edits
from saleor_qb_sync.documents import Address
from saleor_qb_sync.errors import TransferError
from saleor_qb_sync.ledger import Outcome, new_attempt, record_outcomes, sent
from saleor_qb_sync.models import ExportedOrder
from saleor_qb_sync.preferences import EditUpdates
from saleor_qb_sync.qbxml.edits import current_header
from saleor_qb_sync.standalone.order_source import store_sample_orders
from saleor_qb_sync.transfers import Actor

pytestmark = pytest.mark.django_db

STAFF = Actor(email="staff@example.com")
ELSEWHERE = Actor(email="pln@example.com", channels=("channel-pln",))
NEW = Address(first_name="Jane", last_name="Doe", street_address_1="77 Harbour Rd",
              city="Portland", postal_code="04101", country_code="US", country_area="ME")


@pytest.fixture
def in_quickbooks(configure, stored_order, session):
    """An order recorded as in QuickBooks with the header it was exported with."""

    def create(number: int = 1, *, header=None, **overrides):
        preferences = configure(**overrides)
        document = stored_order(number)
        record = new_attempt(
            order_id=document.order_id, order_number=document.number,
            transaction_type="Invoice", ref_number=str(document.number), session=session(),
            operation_id=None,
            header=current_header(document, preferences) if header is None else header)
        sent([record])
        record_outcomes([Outcome(record, True, txn_id="TXN-1")])
        return preferences, document

    return create


def test_an_order_as_exported_has_no_changes(in_quickbooks, source):
    preferences, document = in_quickbooks()
    state = edits.since_export(source, preferences, document.order_id)
    assert state is not None and not state.changed and state.changes == ()
    assert state.mode == EditUpdates.ASK


def test_a_changed_address_is_found_live_and_kept_for_the_history(in_quickbooks, source):
    # given
    preferences, document = in_quickbooks()
    store_sample_orders([replace(document, shipping_address=NEW)])
    # when
    state = edits.since_export(source, preferences, document.order_id)
    # then
    assert state.changed and [c.field for c in state.changes] == ["ShipAddress"]
    assert state.changes[0].after["City"] == "Portland"
    assert state.noticed_at is not None
    row = ExportedOrder.objects.get(order_id=document.order_id)
    assert [c["field"] for c in row.changes] == ["ShipAddress"]


def test_asking_for_the_update_records_who_and_when(in_quickbooks, source):
    preferences, document = in_quickbooks()
    store_sample_orders([replace(document, billing_address=NEW)])
    state = edits.request_update(source, preferences, STAFF, document.order_id)
    assert state.update_requested_at is not None
    assert state.update_requested_by == "staff@example.com"


def test_an_edit_undone_before_the_update_leaves_nothing_to_send(in_quickbooks, source):
    preferences, document = in_quickbooks()
    store_sample_orders([replace(document, billing_address=NEW)])
    edits.request_update(source, preferences, STAFF, document.order_id)
    store_sample_orders([document])
    state = edits.since_export(source, preferences, document.order_id)
    assert not state.changed and state.update_requested_at is None


@pytest.mark.parametrize(("case", "code"), [
    ("unchanged", "unchanged"), ("not_exported", "not_exported"), ("unknown", "not_found"),
    ("bad_id", "invalid_id"), ("other_channel", "not_found"), ("off", "updates_off"),
    ("old_row", "not_exported"),
])
def test_an_update_that_cannot_be_asked_for_says_why(in_quickbooks, stored_order, source,
                                                      configure, case, code):
    # given
    preferences, document = in_quickbooks(header={} if case == "old_row" else None)
    store_sample_orders([replace(document, shipping_address=NEW)])
    order_id, actor = document.order_id, STAFF
    if case == "unchanged":
        store_sample_orders([document])
    elif case == "not_exported":
        order_id = stored_order(2).order_id
    elif case == "unknown":
        order_id = "8d3c3b52-0000-4000-8000-000000000000"
    elif case == "bad_id":
        order_id = "not an id"
    elif case == "other_channel":
        actor = ELSEWHERE
    elif case == "off":
        preferences = configure(update_edited_orders="off")
    # when
    with pytest.raises(TransferError) as caught:
        edits.request_update(source, preferences, actor, order_id)
    # then
    assert caught.value.code == code and caught.value.field == "orderId"
    assert caught.value.message


def test_an_order_that_no_longer_maps_says_so(in_quickbooks, source, configure):
    # given: exported, then its line lost its SKU under "fail" for missing items
    preferences, document = in_quickbooks(missing_item_action="fail")
    store_sample_orders([replace(document, shipping_address=NEW, lines=(
        replace(document.lines[0], sku=None),))])
    # when
    state = edits.since_export(source, preferences, document.order_id)
    # then
    assert state.problem and "SKU" in state.problem
    with pytest.raises(TransferError) as caught:
        edits.request_update(source, preferences, STAFF, document.order_id)
    assert caught.value.code == "cannot_map"
