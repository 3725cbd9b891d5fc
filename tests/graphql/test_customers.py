from __future__ import annotations

from saleor_qb_sync.saleor_ids import to_global_id

from .conftest import NO_PERMISSION_TOKEN, edges, paginate

CUSTOMERS_QUERY = """
query Customers($search: String, $first: Int, $after: String) {
  qbCustomers(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { email name userId orderCount } }
  }
}
"""


ELIGIBLE = ("unfulfilled", "partially fulfilled", "fulfilled")


def test_customers_with_their_order_counts(api, orders):
    # given
    documents = orders(40, seed=61, customers=12)
    counts: dict[str, int] = {}
    for document in documents:
        if document.status in ELIGIBLE:  # what the preview would list
            counts[document.customer.email] = counts.get(document.customer.email, 0) + 1

    # when
    nodes = paginate(api, CUSTOMERS_QUERY, "qbCustomers", first=5)

    # then
    assert {n["email"]: n["orderCount"] for n in nodes} == counts
    registered = next(d.customer for d in documents if d.customer.user_id)
    node = next(n for n in nodes if n["email"] == registered.email)
    assert node["userId"] == to_global_id("User", registered.user_id)


def test_customers_search(api, orders):
    # given
    orders(40, seed=62, customers=12)

    # when
    result = api(CUSTOMERS_QUERY, {"search": "customer1"})

    # then
    emails = [n["email"] for n in edges(result.data["qbCustomers"])]
    assert emails and all("customer1" in e for e in emails)


def test_customers_refuse_an_overlong_search(api, db):
    # when
    result = api(CUSTOMERS_QUERY, {"search": "x" * 255})

    # then
    assert result.error_codes == ["INVALID"]


def test_customers_need_manage_orders(api, db):
    # when
    result = api(CUSTOMERS_QUERY, token=NO_PERMISSION_TOKEN)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]


def test_customer_counts_leave_out_channels_the_store_does_not_export(api, orders, configure):
    # given: orders in two channels; the store exports only one of them
    documents = orders(30, seed=63, customers=4)
    channels = sorted({d.channel_slug for d in documents})
    assert len(channels) > 1, channels
    configure(channels=channels[0])
    counts: dict[str, int] = {}
    for document in documents:
        if document.status in ELIGIBLE and document.channel_slug == channels[0]:
            counts[document.customer.email] = counts.get(document.customer.email, 0) + 1

    # when
    nodes = paginate(api, CUSTOMERS_QUERY, "qbCustomers", first=50)
    preview = api("""query($c: String) { qbOrderTransferPreview(filter: {customer: $c,
        includeExported: true}, first: 100) { totalCount } }""", {"c": nodes[0]["email"]})

    # then: each count is what the preview then lists for that customer
    assert {n["email"]: n["orderCount"] for n in nodes} == counts
    assert preview.data["qbOrderTransferPreview"]["totalCount"] == nodes[0]["orderCount"]
