"""``qbOrderExportReset``: a store switching tools marks orders as not exported."""

from __future__ import annotations

from saleor_qb_sync.models import ExportedOrder, ExportRecord
from saleor_qb_sync.saleor_ids import to_global_id

from ..conftest import NO_PERMISSION_TOKEN, USD_ONLY_TOKEN

RESET = """
mutation Reset($ids: [ID!]!) {
  qbOrderExportReset(orderIds: $ids) { resetCount errors { field message code } }
}
"""


def export(document):
    record = ExportRecord.objects.create(
        order_id=document.order_id, order_number=document.number,
        channel_slug=document.channel_slug, transaction_type="Invoice",
        ref_number=str(document.number), txn_id=f"T-{document.number}", state="done")
    ExportedOrder.objects.create(order_id=document.order_id, order_number=document.number,
                                 record=record)


def test_reset_marks_orders_not_exported_and_records_who_did_it(api, orders):
    # given
    documents = orders(3, seed=4)
    for document in documents:
        export(document)

    # when
    result = api(RESET, {"ids": [to_global_id("Order", d.order_id) for d in documents[:2]]})

    # then
    assert result.data["qbOrderExportReset"] == {"resetCount": 2, "errors": []}
    assert list(ExportedOrder.objects.values_list("order_number", flat=True)) == [
        documents[2].number]
    resets = ExportRecord.objects.filter(state="reset")
    assert sorted(r.order_number for r in resets) == sorted(d.number for d in documents[:2])
    assert all(r.reset_by_email == "staff@example.com" for r in resets)


def test_reset_refuses_malformed_ids_with_a_typed_error(api, db):
    # when
    result = api(RESET, {"ids": ["not-an-id"]})

    # then
    errors = result.data["qbOrderExportReset"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("orderIds", "INVALID_ID")]


def test_reset_needs_manage_orders_and_runs_nothing_without_it(api, orders):
    # given
    document = orders(1, seed=5)[0]
    export(document)

    # when
    result = api(RESET, {"ids": [to_global_id("Order", document.order_id)]},
                 token=NO_PERMISSION_TOKEN)

    # then
    assert result.error_codes == ["PERMISSION_DENIED"]
    assert ExportedOrder.objects.count() == 1


def test_channel_restricted_staff_reset_only_their_channels(api, orders):
    # given
    documents = orders(30, seed=6)
    usd = next(d for d in documents if d.channel_slug == "default-channel")
    other = next(d for d in documents if d.channel_slug != "default-channel")
    export(usd)
    export(other)

    # when
    result = api(RESET, {"ids": [to_global_id("Order", d.order_id) for d in (usd, other)]},
                 token=USD_ONLY_TOKEN)

    # then
    assert result.data["qbOrderExportReset"]["resetCount"] == 1
    assert [str(i) for i in ExportedOrder.objects.values_list("order_id", flat=True)] == [
        other.order_id]
