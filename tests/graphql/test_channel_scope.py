"""Staff limited to some channels see and touch only those channels' customers, operations and
history, as Saleor's own API limits them."""

from __future__ import annotations

import pytest

from saleor_qb_sync.models import ExportRecord
from saleor_qb_sync.transfers import Actor, queue_orders

URL = "/plugins/global/saleor_qb_sync/graphql/"
USD_ONLY = {"HTTP_AUTHORIZATION": "Bearer usd-only-token"}
EVERYONE = Actor(email="staff@example.com")

CUSTOMERS = "{ qbCustomers(first: 100) { totalCount edges { node { email } } } }"
OPERATIONS = "{ qbPendingOperations(first: 100) { totalCount } }"
HISTORY = "{ qbTransferHistory(first: 100) { totalCount edges { node { orderNumber } } } }"
DELETE = """mutation($ids: [ID!]!) { qbPendingOperationDelete(ids: $ids) {
  errors { field code message } } }"""


def run(client, query, variables=None):
    response = client.post(URL, {"query": query, "variables": variables or {}},
                           content_type="application/json", **USD_ONLY)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def two_channel_store(configure, orders, source):
    preferences = configure()
    documents = [d for d in orders(40, seed=61) if d.status in preferences.eligible_statuses]
    usd = [d for d in documents if d.channel_slug == "default-channel"]
    other = [d for d in documents if d.channel_slug != "default-channel"]
    assert usd and other
    return preferences, source, usd, other


@pytest.mark.django_db
def test_customers_of_other_channels_are_not_listed(client, two_channel_store):
    # given
    _, _, usd, _ = two_channel_store

    # when
    data = run(client, CUSTOMERS)["data"]["qbCustomers"]

    # then
    assert {e["node"]["email"] for e in data["edges"]} == {d.customer.email for d in usd}


@pytest.mark.django_db
def test_operations_with_orders_of_other_channels_are_hidden_and_cannot_be_deleted(
        client, two_channel_store):
    # given
    preferences, source, usd, other = two_channel_store
    queue_orders(source, preferences, EVERYONE, [usd[0].order_id])
    foreign = queue_orders(source, preferences, EVERYONE, [other[0].order_id, usd[1].order_id])

    # when
    listed = run(client, OPERATIONS)["data"]["qbPendingOperations"]["totalCount"]
    from saleor_qb_sync.saleor_ids import to_global_id

    deleted = run(client, DELETE, {"ids": [to_global_id("QbPendingOperation",
                                                        foreign.public_id)]})

    # then
    assert listed == 1
    errors = deleted["data"]["qbPendingOperationDelete"]["errors"]
    assert errors and errors[0]["code"] == "NOT_FOUND"
    foreign.refresh_from_db()
    assert foreign.status == "queued"


@pytest.mark.django_db
def test_history_of_other_channels_is_not_shown(client, two_channel_store):
    # given
    _, _, usd, other = two_channel_store
    for document in (usd[0], other[0]):
        ExportRecord.objects.create(order_id=document.order_id, order_number=document.number,
                                    channel_slug=document.channel_slug,
                                    transaction_type="Invoice", ref_number=str(document.number),
                                    state="done")

    # when
    data = run(client, HISTORY)["data"]["qbTransferHistory"]

    # then
    assert [e["node"]["orderNumber"] for e in data["edges"]] == [usd[0].number]
