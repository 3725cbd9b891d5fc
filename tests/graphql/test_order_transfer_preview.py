from __future__ import annotations

from datetime import UTC, date, datetime

from saleor_qb_sync.ledger import record_attempt, record_success
from saleor_qb_sync.models import PendingOperation
from saleor_qb_sync.saleor_ids import to_global_id

from .conftest import NO_PERMISSION_TOKEN, USD_ONLY_TOKEN, edges, paginate

PREVIEW_QUERY = """
query Preview($filter: QbOrderTransferFilterInput!, $first: Int, $after: String) {
  qbOrderTransferPreview(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
    edges {
      cursor
      node {
        orderId number createdAt channel customerName customerEmail
        total { amount currency }
        status chargeStatus exported
        lastExport { at transactionType txnId refNumber }
        plannedTransactionType warnings
      }
    }
  }
}
"""


def eligible(documents, **conditions):
    statuses = ("unfulfilled", "partially fulfilled", "fulfilled")
    return [d for d in documents if d.status in statuses
            and all(getattr(d, k) == v for k, v in conditions.items())]


def test_preview_lists_eligible_orders_newest_first(api, orders):
    # given
    documents = orders(12, seed=5)
    expected = sorted(eligible(documents), key=lambda d: d.created_at, reverse=True)

    # when
    result = api(PREVIEW_QUERY, {"filter": {}, "first": 100})

    # then
    connection = result.data["qbOrderTransferPreview"]
    rows = edges(connection)
    assert connection["totalCount"] == len(expected)
    assert [r["number"] for r in rows] == [d.number for d in expected]
    first, document = rows[0], expected[0]
    assert first["orderId"] == to_global_id("Order", document.order_id)
    assert first["total"] == {"amount": float(document.total_gross),
                              "currency": document.currency}
    assert first["customerEmail"] == document.customer.email
    assert first["status"] == document.status.upper().replace(" ", "_")
    assert first["chargeStatus"] == document.charge_status.value.upper()
    assert first["exported"] is False and first["lastExport"] is None
    assert first["plannedTransactionType"] in ("Invoice", "SalesReceipt", "SalesOrder", None)
    non_usd = next(r for r in rows if r["total"]["currency"] != "USD")
    assert any("amounts converted from" in w for w in non_usd["warnings"])


def test_preview_paginates_to_the_end(api, orders):
    # given
    documents = orders(30, seed=2)
    expected = eligible(documents)

    # when
    nodes = paginate(api, PREVIEW_QUERY, "qbOrderTransferPreview", {"filter": {}}, first=4)

    # then
    assert sorted(n["number"] for n in nodes) == sorted(d.number for d in expected)
    assert len({n["orderId"] for n in nodes}) == len(expected)


def test_preview_page_info_and_cursors(api, orders):
    # given
    orders(20, seed=2)
    first_page = api(PREVIEW_QUERY, {"filter": {}, "first": 3}).data["qbOrderTransferPreview"]

    # when
    second_page = api(PREVIEW_QUERY, {
        "filter": {}, "first": 3, "after": first_page["pageInfo"]["endCursor"],
    }).data["qbOrderTransferPreview"]

    # then
    assert first_page["pageInfo"]["hasPreviousPage"] is False
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert first_page["pageInfo"]["startCursor"] == first_page["edges"][0]["cursor"]
    assert second_page["pageInfo"]["hasPreviousPage"] is True
    assert not {e["cursor"] for e in first_page["edges"]} & {
        e["cursor"] for e in second_page["edges"]}


def test_preview_defaults_to_twenty_rows(api, orders):
    # given
    orders(40, seed=3)

    # when
    result = api(PREVIEW_QUERY, {"filter": {}})

    # then
    assert len(result.data["qbOrderTransferPreview"]["edges"]) == 20


def test_preview_refuses_a_page_over_the_cap(api, orders):
    # given
    orders(3)

    # when
    result = api(PREVIEW_QUERY, {"filter": {}, "first": 101})

    # then
    assert result.status == 200
    assert result.content["data"] is None
    assert result.error_codes == ["INVALID"]
    assert result.content["errors"][0]["extensions"]["exception"]["field"] == "first"
    assert "between 1 and 100" in result.content["errors"][0]["message"]


def test_preview_refuses_a_zero_page_and_a_foreign_cursor(api, db):
    # when
    zero = api(PREVIEW_QUERY, {"filter": {}, "first": 0})
    garbage = api(PREVIEW_QUERY, {"filter": {}, "after": "not-a-cursor"})
    negative = api(PREVIEW_QUERY, {"filter": {}, "after": "YXJyYXljb25uZWN0aW9uOi0x"})

    # then
    assert zero.error_codes == ["INVALID"]
    assert garbage.error_codes == ["INVALID"]
    assert negative.error_codes == ["INVALID"]


def test_preview_refuses_a_start_date_after_the_end_date(api, db):
    # when
    result = api(PREVIEW_QUERY, {"filter": {"dateFrom": "2026-03-02", "dateTo": "2026-03-01"}})

    # then
    assert result.error_codes == ["INVALID_DATE_RANGE"]
    assert result.content["errors"][0]["extensions"]["exception"]["field"] == "dateTo"
    assert result.content["errors"][0]["path"] == ["qbOrderTransferPreview"]


def test_preview_refuses_a_malformed_date(api, db):
    # when
    result = api(PREVIEW_QUERY, {"filter": {"dateFrom": "2026-13-45"}})

    # then
    assert result.status == 400
    assert result.error_codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert "data" not in result.content


def test_preview_refuses_an_id_of_another_type_as_customer(api, db):
    # when
    result = api(PREVIEW_QUERY, {"filter": {"customer": to_global_id("Order", "1")}})

    # then
    assert result.error_codes == ["INVALID_ID"]


def test_preview_refuses_an_overlong_customer(api, db):
    # when
    result = api(PREVIEW_QUERY, {"filter": {"customer": "x" * 300}})

    # then
    assert result.error_codes == ["INVALID"]


def test_preview_filters_by_customer_email_and_user_id(api, orders):
    # given
    documents = eligible(orders(40, seed=4, customers=5))
    registered = next(d for d in documents if d.customer.user_id)
    by_email = [d.number for d in documents if d.customer.email == registered.customer.email]
    by_user = [d.number for d in documents if d.customer.user_id == registered.customer.user_id]

    # when
    email_rows = api(PREVIEW_QUERY, {"filter": {"customer": registered.customer.email},
                                     "first": 100})
    global_rows = api(PREVIEW_QUERY, {
        "filter": {"customer": to_global_id("User", registered.customer.user_id)},
        "first": 100})
    raw_rows = api(PREVIEW_QUERY, {"filter": {"customer": registered.customer.user_id},
                                   "first": 100})

    # then
    numbers = sorted(r["number"] for r in edges(email_rows.data["qbOrderTransferPreview"]))
    assert numbers == sorted(by_email)
    for rows in (global_rows, raw_rows):
        found = sorted(r["number"] for r in edges(rows.data["qbOrderTransferPreview"]))
        assert found == sorted(by_user)


def test_preview_filters_by_date_range(api, orders):
    # given
    documents = eligible(orders(30, seed=6, start=datetime(2026, 1, 1, tzinfo=UTC),
                                span_days=30))
    expected = [d.number for d in documents
                if date(2026, 1, 10) <= d.created_at.date() <= date(2026, 1, 20)]

    # when
    result = api(PREVIEW_QUERY, {"filter": {"dateFrom": "2026-01-10", "dateTo": "2026-01-20"},
                                 "first": 100})

    # then
    rows = edges(result.data["qbOrderTransferPreview"])
    assert sorted(r["number"] for r in rows) == sorted(expected)


def test_preview_hides_exported_orders_unless_asked(api, orders):
    # given
    document = eligible(orders(10, seed=7))[0]
    record = record_attempt(order_id=document.order_id, order_number=document.number,
                            transaction_type="Invoice", ref_number=str(document.number),
                            session=None, operation_id=None)
    record_success(record, txn_id="1A-123")

    # when
    default = api(PREVIEW_QUERY, {"filter": {}, "first": 100})
    included = api(PREVIEW_QUERY, {"filter": {"includeExported": True}, "first": 100})

    # then
    default_numbers = [r["number"] for r in edges(default.data["qbOrderTransferPreview"])]
    assert document.number not in default_numbers
    row = next(r for r in edges(included.data["qbOrderTransferPreview"])
               if r["number"] == document.number)
    assert row["exported"] is True
    assert row["lastExport"]["txnId"] == "1A-123"
    assert row["lastExport"]["transactionType"] == "Invoice"
    assert row["lastExport"]["refNumber"] == str(document.number)


def test_preview_filters_by_channel(api, orders):
    # given
    documents = orders(30, seed=8)
    expected = eligible(documents, channel_slug="channel-pln")

    # when
    result = api(PREVIEW_QUERY, {"filter": {"channel": "channel-pln"}, "first": 100})

    # then
    rows = edges(result.data["qbOrderTransferPreview"])
    assert {r["channel"] for r in rows} == {"channel-pln"}
    assert len(rows) == len(expected)


def test_channel_restricted_staff_see_only_their_channels(api, orders):
    # given
    documents = orders(30, seed=9)
    expected = eligible(documents, channel_slug="default-channel")
    assert len(expected) < len(eligible(documents))

    # when
    result = api(PREVIEW_QUERY, {"filter": {}, "first": 100}, token=USD_ONLY_TOKEN)
    other = api(PREVIEW_QUERY, {"filter": {"channel": "channel-pln"}}, token=USD_ONLY_TOKEN)

    # then
    rows = edges(result.data["qbOrderTransferPreview"])
    assert sorted(r["number"] for r in rows) == sorted(d.number for d in expected)
    assert other.data["qbOrderTransferPreview"]["totalCount"] == 0


def test_preview_needs_manage_orders(api, orders):
    # given
    orders(3)

    # when
    result = api(PREVIEW_QUERY, {"filter": {}}, token=NO_PERMISSION_TOKEN)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]
    assert "data" not in result.content
    assert not PendingOperation.objects.exists()


def test_injection_looking_filter_values_are_plain_text_and_harm_nothing(api, orders):
    # given
    documents = orders(6, seed=8)
    hostile = ["x@example.com' OR '1'='1", "'; DROP TABLE saleor_qb_sync_exportrecord; --@x",
               "<script>alert(1)</script>@example.com", "%_%@%", "\\x00@example.com"]

    # when
    results = [api(PREVIEW_QUERY, {"filter": {"customer": value, "channel": value[:40]}})
               for value in hostile]

    # then: no match, no error beyond a typed one, and the store is intact
    for result in results:
        assert result.error_codes in ([], ["INVALID"], ["INVALID_ID"])
        if not result.error_codes:
            assert result.data["qbOrderTransferPreview"]["totalCount"] == 0
    after = api(PREVIEW_QUERY, {"filter": {"includeExported": True}, "first": 100})
    assert after.data["qbOrderTransferPreview"]["totalCount"] == len(eligible(documents))
