"""Real Saleor orders through our GraphQL route: preview, queue, and the cost of a preview page."""

from __future__ import annotations

import graphene
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.order import OrderStatus

from saleor_qb_sync.documents import to_cents
from saleor_qb_sync.models import PendingOperation, PendingOperationOrder
from saleor_qb_sync.saleor_host.orders import SaleorOrderSource

from .conftest import qb_graphql

PREVIEW = """
query preview($filter: QbOrderTransferFilterInput!, $first: Int) {
  qbOrderTransferPreview(filter: $filter, first: $first) {
    totalCount
    edges { node {
      orderId number channel customerName customerEmail
      total { amount currency } status chargeStatus exported plannedTransactionType warnings
    } }
  }
}
"""

QUEUE = """
mutation queue($input: QbOrderTransferQueueInput!) {
  qbOrderTransferQueue(input: $input) {
    errors { field code message }
    pendingOperation { id orderCount status orders }
  }
}
"""


def preview(client, flt=None, first=50):
    response = qb_graphql(client, PREVIEW, {"filter": flt or {}, "first": first})
    assert response.status_code == 200, response.content
    content = response.json()
    assert "errors" not in content, content["errors"]
    return content["data"]["qbOrderTransferPreview"]


def global_id(order) -> str:
    return graphene.Node.to_global_id("Order", order.id)


@pytest.fixture
def store_orders(voucher_order, order_with_lines_channel_PLN, guest_order, gift_card_order):
    """Four placed orders: a voucher (USD), another channel (PLN), a guest, a gift card."""
    return {"voucher": voucher_order, "pln": order_with_lines_channel_PLN,
            "guest": guest_order, "gift_card": gift_card_order}


def test_saleor_orders_become_consistent_documents(qb_plugin, store_orders):
    # when
    documents = SaleorOrderSource().load([str(o.id) for o in store_orders.values()])

    # then: lines + shipping - legacy gift cards = Saleor's total, to the cent, for each
    for name, order in store_orders.items():
        document = documents[str(order.id)]
        assert document.totals_problem() is None, (name, document.totals_problem())
        assert to_cents(document.total_gross) == to_cents(order.total_gross_amount)
        assert document.currency == order.currency
    voucher = documents[str(store_orders["voucher"].id)]
    assert store_orders["voucher"].status == OrderStatus.UNFULFILLED
    assert voucher.voucher_code and voucher.discounts
    assert voucher.total_gross < voucher.undiscounted_total_gross
    assert all(line.tax_amount > 0 for line in voucher.lines)  # Saleor's taxes
    guest = documents[str(store_orders["guest"].id)]
    assert guest.customer.is_guest and guest.customer.email == "guest.buyer@example.com"
    assert guest.billing_address.country_code == "US"
    gift = documents[str(store_orders["gift_card"].id)]
    assert gift.gift_card_amount > 0 and not gift.customer.is_guest
    assert documents[str(store_orders["pln"].id)].channel_slug == "c-pln"


def test_the_preview_lists_real_orders_of_both_channels(
        qb_configure, store_orders, manage_orders_staff_client, draft_order_list):
    # given: the USD company converts the PLN channel's orders
    qb_configure(exchange_rates="PLN=0.25")

    # when
    page = preview(manage_orders_staff_client)

    # then: drafts (draft_order_list) are never offered
    rows = {row["node"]["number"]: row["node"] for row in page["edges"]}
    assert page["totalCount"] == 4
    assert set(rows) == {o.number for o in store_orders.values()}
    for name, order in store_orders.items():
        row = rows[order.number]
        assert row["orderId"] == global_id(order)
        assert row["total"] == {"amount": float(to_cents(order.total_gross_amount)),
                                "currency": order.currency}
        assert row["exported"] is False
        assert row["plannedTransactionType"] is not None, (name, row["warnings"])
    assert {r["channel"] for r in rows.values()} == {"main", "c-pln"}
    assert any("converted from" in w and "PLN at 0.25 USD per PLN" in w
               for w in rows[store_orders["pln"].number]["warnings"])
    assert rows[store_orders["guest"].number]["customerEmail"] == "guest.buyer@example.com"
    assert rows[store_orders["voucher"].number]["customerName"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_preview_counts_on_a_second_connection(
        qb_configure, store_orders, manage_orders_staff_client):
    # given: committed orders, as a store's preview sees them (no test transaction around it,
    # so the count runs beside the page on a connection of its own: counting.py)
    qb_configure(exchange_rates="PLN=0.25")

    # when
    page = preview(manage_orders_staff_client, first=2)
    one_channel = preview(manage_orders_staff_client, {"channel": "c-pln"})

    # then
    assert page["totalCount"] == 4 and len(page["edges"]) == 2
    assert one_channel["totalCount"] == 1


def test_the_preview_filters_by_channel_and_customer(
        qb_plugin, store_orders, manage_orders_staff_client):
    pln = preview(manage_orders_staff_client, {"channel": "c-pln"})
    assert [r["node"]["number"] for r in pln["edges"]] == [store_orders["pln"].number]
    guest = preview(manage_orders_staff_client, {"customer": "guest.buyer@example.com"})
    assert [r["node"]["number"] for r in guest["edges"]] == [store_orders["guest"].number]
    registered = store_orders["gift_card"].user
    by_user = preview(manage_orders_staff_client,
                      {"customer": graphene.Node.to_global_id("User", registered.pk)})
    assert [r["node"]["number"] for r in by_user["edges"]] == [store_orders["gift_card"].number]


@pytest.mark.requires_saleor(
    "3.23", reason="Saleor's test helper saleor.account.tests.fixtures.user."
                   "dangerously_create_test_user exists from Saleor 3.23 on")
def test_staff_restricted_to_a_channel_sees_only_its_orders(
        qb_plugin, store_orders, permission_manage_orders, channel_PLN):
    # given: a staff member whose only group is restricted to the PLN channel
    from saleor.account.models import Group
    from saleor.account.tests.fixtures.user import dangerously_create_test_user
    from saleor.graphql.tests.fixtures import ApiClient

    group = Group.objects.create(name="PLN staff", restricted_access_to_channels=True)
    group.permissions.add(permission_manage_orders)
    group.channels.add(channel_PLN)
    user = dangerously_create_test_user("pln.staff@example.com", is_staff=True)
    group.user_set.add(user)

    # when
    page = preview(ApiClient(user=user))

    # then
    assert [r["node"]["number"] for r in page["edges"]] == [store_orders["pln"].number]


def test_queueing_chosen_orders_records_a_pending_operation(
        qb_plugin, store_orders, manage_orders_staff_client):
    # given
    chosen = [store_orders["voucher"], store_orders["guest"]]

    # when
    response = qb_graphql(manage_orders_staff_client, QUEUE,
                          {"input": {"orderIds": [global_id(o) for o in chosen]}})

    # then
    data = response.json()["data"]["qbOrderTransferQueue"]
    assert data["errors"] == []
    assert data["pendingOperation"]["orderCount"] == 2
    assert sorted(data["pendingOperation"]["orders"]) == sorted(o.number for o in chosen)
    operation = PendingOperation.objects.get()
    assert operation.created_by_user_id == str(manage_orders_staff_client.user.pk)
    assert set(PendingOperationOrder.objects.values_list("order_id", flat=True)) == {
        o.id for o in chosen}


def test_queueing_by_filter_minus_unchecked_orders(
        qb_plugin, store_orders, manage_orders_staff_client):
    # when
    response = qb_graphql(manage_orders_staff_client, QUEUE, {"input": {
        "filter": {"channel": "main"},
        "excludeOrderIds": [global_id(store_orders["guest"])]}})

    # then
    data = response.json()["data"]["qbOrderTransferQueue"]
    assert data["errors"] == []
    assert sorted(data["pendingOperation"]["orders"]) == sorted(
        [store_orders["voucher"].number, store_orders["gift_card"].number])


def test_a_draft_order_cannot_be_queued(qb_plugin, draft_order, manage_orders_staff_client):
    # when
    response = qb_graphql(manage_orders_staff_client, QUEUE,
                          {"input": {"orderIds": [global_id(draft_order)]}})

    # then: refused, and the message says why (a draft is never exported), not "not found"
    errors = response.json()["data"]["qbOrderTransferQueue"]["errors"]
    assert [e["code"] for e in errors] == ["NOT_EXPORTABLE"]
    assert f"Order #{draft_order.number} is" in errors[0]["message"]
    assert "draft and unconfirmed orders are never exported" in errors[0]["message"]
    assert not PendingOperation.objects.exists()


def test_an_app_token_can_preview_and_queue(
        qb_plugin, store_orders, app_api_client, permission_manage_orders):
    # given
    app_api_client.app.permissions.add(permission_manage_orders)

    # when
    page = preview(app_api_client)
    response = qb_graphql(app_api_client, QUEUE,
                          {"input": {"orderIds": [global_id(store_orders["pln"])]}})

    # then
    assert page["totalCount"] == 4
    assert response.json()["data"]["qbOrderTransferQueue"]["errors"] == []
    assert PendingOperation.objects.get().created_by_app


def _preview_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        page = preview(client, first=20)
    return len(queries), len(page["edges"])


def test_a_preview_page_costs_the_same_queries_for_2_or_10_orders(
        qb_plugin, make_orders, guest_order, gift_card_order, manage_orders_staff_client,
        record_property):
    # given: a warm-up request (Saleor's first-use caches), then a page of a few orders of
    # each kind (order_with_lines, a guest's, a gift card's, two more)
    preview(manage_orders_staff_client)
    make_orders(2)
    with_two = _preview_queries(manage_orders_staff_client)

    # when: 8 more orders on the page
    make_orders(8)
    with_ten = _preview_queries(manage_orders_staff_client)

    # then: no query per order
    record_property("preview_queries", {"orders": [with_two[1], with_ten[1]],
                                        "queries": [with_two[0], with_ten[0]]})
    print(f"\npreview page queries: {with_two[1]} orders -> {with_two[0]}, "
          f"{with_ten[1]} orders -> {with_ten[0]}")
    assert with_ten[1] == with_two[1] + 8
    assert with_two[0] == with_ten[0]
    assert with_ten[0] <= 20
