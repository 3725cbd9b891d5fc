"""The transfers layer on PostgreSQL: filters, preview, queue, pending operations, claims, reset.

Orders live in the standalone sample-order table (``SampleOrderSource``), in the same database as
our ledger, exactly as Saleor's orders do inside Saleor.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from saleor_qb_sync import transfers
from saleor_qb_sync.documents import ChargeStatus
from saleor_qb_sync.errors import TransferError
from saleor_qb_sync.ledger import (
    claim_orders,
    record_attempt,
    record_failure,
    record_success,
)
from saleor_qb_sync.models import (
    ExportedOrder,
    ExportRecord,
    ExportState,
    ItemState,
    OperationStatus,
    PendingOperation,
    PendingOperationOrder,
    WebConnectorSession,
)
from saleor_qb_sync.order_source import OrderFilter
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.transfers import (
    Actor,
    automatic_work,
    delete_operations,
    history,
    list_operations,
    preview,
    queue_filter,
    queue_orders,
    queued_counts,
    reset_orders,
    transfer_filter,
)
from tests.conftest import MARCH, mark_exported

pytestmark = pytest.mark.django_db

STAFF = Actor(user_id="7", email="staff@example.com")
USD_ONLY = Actor(user_id="8", email="usd@example.com", channels=("default-channel",))


def numbers(page) -> list[int]:
    return [row.order.number for row in page.rows]


def search(source, preferences, actor=STAFF, *, limit: int = 100, **filters):
    return numbers(preview(source, preferences, transfer_filter(preferences, actor, **filters),
                           limit=limit))


# --- filters ------------------------------------------------------------------------------


def test_the_customer_filter_matches_an_email_address_whatever_its_case(
        configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, email="Jane.Doe@Example.com")
    stored_order(2, email="someone.else@example.com")

    # when
    found = search(source, preferences, customer="  jane.doe@EXAMPLE.COM ")

    # then
    assert found == [1]


def test_the_customer_filter_matches_a_raw_saleor_user_id(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, user_id="42")
    stored_order(2, user_id="420")
    stored_order(3, user_id=None)

    # when
    found = search(source, preferences, customer="42")

    # then
    assert found == [1]


def test_the_customer_filter_matches_a_saleor_global_user_id(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, user_id="42")
    stored_order(2, user_id="43")

    # when
    found = search(source, preferences, customer=to_global_id("User", 42))

    # then
    assert to_global_id("User", 42) == "VXNlcjo0Mg=="
    assert found == [1]


def test_a_global_id_of_another_type_is_not_taken_for_a_user(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, user_id="42")

    # when
    found = search(source, preferences, customer=to_global_id("Order", 42))

    # then
    assert found == []


def test_without_a_customer_filter_every_customer_is_listed(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, email="a@example.com", user_id="1")
    stored_order(2, email="b@example.com", user_id=None)
    stored_order(3, email="c@example.com", user_id="3")

    # when
    found = search(source, preferences, customer="   ")

    # then
    assert sorted(found) == [1, 2, 3]


def test_an_over_long_customer_value_is_refused(configure):
    # given
    preferences = configure()

    # when
    with pytest.raises(TransferError) as raised:
        transfer_filter(preferences, STAFF, customer="x" * 255)

    # then
    assert raised.value.code == "invalid"
    assert raised.value.field == "customer"


def test_the_date_range_is_whole_days_in_the_stores_time_zone(configure, stored_order, source):
    # given: New York is UTC-5 in early March (daylight saving time starts on March 8)
    preferences = configure(time_zone="America/New_York")
    stored_order(1, created_at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))  # Feb 28, 22:00
    stored_order(2, created_at=datetime(2026, 3, 1, 5, 0, tzinfo=UTC))  # Mar 1, 00:00
    stored_order(3, created_at=datetime(2026, 3, 2, 4, 59, 59, tzinfo=UTC))  # Mar 1, 23:59:59
    stored_order(4, created_at=datetime(2026, 3, 2, 5, 0, tzinfo=UTC))  # Mar 2, 00:00

    # when
    first_of_march = search(source, preferences, date_from=date(2026, 3, 1),
                            date_to=date(2026, 3, 1))
    until_february = search(source, preferences, date_to=date(2026, 2, 28))
    from_second = search(source, preferences, date_from=date(2026, 3, 2))

    # then
    assert first_of_march == [3, 2]
    assert until_february == [1]
    assert from_second == [4]


def test_the_date_range_follows_daylight_saving_time(configure, stored_order, source):
    # given: on March 8, 2026 New York moves to UTC-4, so the day ends at 04:00 UTC
    preferences = configure(time_zone="America/New_York")
    stored_order(1, created_at=datetime(2026, 3, 9, 3, 59, tzinfo=UTC))  # Mar 8, 23:59 EDT
    stored_order(2, created_at=datetime(2026, 3, 9, 4, 0, tzinfo=UTC))  # Mar 9, 00:00 EDT

    # when
    found = search(source, preferences, date_from=date(2026, 3, 8), date_to=date(2026, 3, 8))

    # then
    assert found == [1]


def test_in_utc_the_order_of_3_am_is_on_the_first_of_march(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, created_at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))

    # when
    found = search(source, preferences, date_from=date(2026, 3, 1), date_to=date(2026, 3, 1))

    # then
    assert found == [1]


def test_a_start_date_after_the_end_date_is_an_error_not_an_empty_list(configure):
    # given
    preferences = configure()

    # when
    with pytest.raises(TransferError) as raised:
        transfer_filter(preferences, STAFF, date_from=date(2026, 3, 2), date_to=date(2026, 3, 1))

    # then
    assert raised.value.code == "invalid_date_range"
    assert raised.value.field == "dateTo"


def test_previously_exported_orders_are_left_out_unless_asked_for(
        configure, stored_order, source, session):
    # given
    preferences = configure()
    exported = stored_order(1)
    stored_order(2)
    mark_exported(exported, session())

    # when
    without = search(source, preferences)
    with_exported = search(source, preferences, include_exported=True)

    # then
    assert without == [2]
    assert sorted(with_exported) == [1, 2]


def test_a_reset_order_counts_as_not_exported_again(configure, stored_order, source, session):
    # given
    preferences = configure()
    exported = stored_order(1)
    mark_exported(exported, session())
    reset_orders([exported.order_id], STAFF)

    # when
    found = search(source, preferences)

    # then
    assert found == [1]


def test_the_channel_filter_lists_only_that_channel(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, channel="default-channel")
    stored_order(2, channel="channel-pln", currency="PLN")

    # when
    usd = search(source, preferences, channel="default-channel")
    pln = search(source, preferences, channel="channel-pln")
    everything = search(source, preferences)

    # then
    assert usd == [1]
    assert pln == [2]
    assert sorted(everything) == [1, 2]


def test_a_channel_outside_the_exported_channels_matches_nothing(configure, stored_order, source):
    # given
    preferences = configure(channels="channel-pln")
    stored_order(1, channel="default-channel")
    stored_order(2, channel="channel-pln", currency="PLN")

    # when
    requested_other = search(source, preferences, channel="default-channel")
    unfiltered = search(source, preferences)

    # then
    assert requested_other == []
    assert unfiltered == [2]


def test_an_actor_restricted_to_a_channel_sees_only_its_orders(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, channel="default-channel")
    stored_order(2, channel="channel-pln", currency="PLN")

    # when
    everything = search(source, preferences, USD_ONLY)
    asked_for_pln = search(source, preferences, USD_ONLY, channel="channel-pln")

    # then
    assert everything == [1]
    assert asked_for_pln == []


def test_an_actor_with_no_channels_sees_nothing(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1)

    # when
    found = search(source, preferences, Actor(email="nobody@example.com", channels=()))

    # then
    assert found == []


def test_draft_and_unconfirmed_orders_are_never_listed(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, status="draft")
    stored_order(2, status="unconfirmed")
    stored_order(3, status="unfulfilled")
    stored_order(4, status="partially fulfilled")
    stored_order(5, status="fulfilled")
    stored_order(6, status="canceled")

    # when
    found = search(source, preferences)
    unrestricted = numbers(preview(source, preferences, OrderFilter()))

    # then
    assert sorted(found) == [3, 4, 5]
    assert 1 not in unrestricted and 2 not in unrestricted


def test_the_eligible_statuses_preference_is_honoured(configure, stored_order, source):
    # given
    preferences = configure(eligible_statuses="fulfilled,canceled")
    stored_order(1, status="unfulfilled")
    stored_order(2, status="fulfilled")
    stored_order(3, status="canceled")

    # when
    found = search(source, preferences)

    # then
    assert sorted(found) == [2, 3]


# --- preview: pagination ------------------------------------------------------------------


def test_a_preview_page_is_newest_first_and_tells_the_total(configure, stored_order, source):
    # given
    preferences = configure()
    for number in range(1, 8):
        stored_order(number, created_at=MARCH + timedelta(hours=number))

    # when
    page = preview(source, preferences, transfer_filter(preferences, STAFF), offset=2, limit=3)

    # then
    assert numbers(page) == [5, 4, 3]
    assert page.total == 7


def test_orders_created_at_the_same_moment_are_ordered_by_number(configure, stored_order, source):
    # given
    preferences = configure()
    for number in (3, 1, 2):
        stored_order(number, created_at=MARCH)

    # when
    found = search(source, preferences)

    # then
    assert found == [3, 2, 1]


def test_paging_to_the_end_gives_every_order_exactly_once(configure, orders, source):
    # given
    preferences = configure()
    documents = orders(53, seed=5, span_days=20)
    eligible = {d.number for d in documents if d.status in preferences.eligible_statuses}
    flt = transfer_filter(preferences, STAFF)

    # when
    seen, offset, totals = [], 0, set()
    while True:
        page = preview(source, preferences, flt, offset=offset, limit=7)
        totals.add(page.total)
        if not page.rows:
            break
        seen.extend(numbers(page))
        offset += 7

    # then
    assert len(seen) == len(set(seen))
    assert set(seen) == eligible
    assert totals == {len(eligible)}
    created = [row.order.created_at for row in
               preview(source, preferences, flt, limit=100).rows]
    assert created == sorted(created, reverse=True)


# --- preview: rows --------------------------------------------------------------------------


def test_a_preview_row_shows_whether_and_how_the_order_was_exported(
        configure, stored_order, source, session):
    # given
    preferences = configure()
    exported = stored_order(1)
    stored_order(2)
    record = mark_exported(exported, session(), txn_id="ABC-123", transaction_type="Invoice")

    # when
    page = preview(source, preferences, transfer_filter(preferences, STAFF, include_exported=True))

    # then
    rows = {row.order.number: row for row in page.rows}
    assert rows[1].exported is True
    assert rows[1].last_export.txn_id == "ABC-123"
    assert rows[1].last_export.transaction_type == "Invoice"
    assert rows[1].last_export.ref_number == "1"
    assert rows[1].last_export.at == ExportedOrder.objects.get(pk=exported.order_id).exported_at
    assert record.state == ExportState.DONE
    assert rows[2].exported is False
    assert rows[2].last_export is None


def test_a_preview_row_carries_the_order_summary(configure, stored_order, source):
    # given
    preferences = configure()
    document = stored_order(1, email="jane@example.com", user_id="42")

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then
    assert row.order.order_id == document.order_id
    assert row.order.customer_email == "jane@example.com"
    assert row.order.customer_user_id == "42"
    assert row.order.customer_name == "Jane Doe"
    assert row.order.total_gross == document.total_gross
    assert row.order.created_at == document.created_at
    assert row.order.charge_status == "full"


@pytest.mark.parametrize(("charge_status", "planned"), [
    (ChargeStatus.FULL, "SalesReceipt"),
    (ChargeStatus.OVERCHARGED, "SalesReceipt"),
    (ChargeStatus.PARTIAL, "Invoice"),
    (ChargeStatus.NONE, "Invoice"),
])
def test_by_payment_status_plans_a_sales_receipt_only_for_fully_charged_orders(
        configure, stored_order, source, charge_status, planned):
    # given
    preferences = configure(transaction_type="by_payment_status")
    stored_order(1, charge_status=charge_status)

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then
    assert row.planned_transaction_type == planned


def test_the_planned_type_follows_a_fixed_transaction_type(configure, stored_order, source):
    # given
    preferences = configure(transaction_type="sales_order")
    stored_order(1, charge_status=ChargeStatus.FULL)

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then
    assert row.planned_transaction_type == "SalesOrder"


def test_a_clean_order_has_no_warnings(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1)

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then
    assert row.warnings == ()


def test_a_line_without_sku_warns_and_says_the_rule(configure, stored_order, source):
    # given
    preferences = configure(missing_item_action="use_default", default_item_name="Web Item")
    stored_order(1, sku=None)

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then
    assert row.warnings == ('a line has no SKU: it will use the item "Web Item"',)
    assert row.planned_transaction_type == "SalesReceipt"


def test_a_line_without_sku_under_the_fail_rule_says_the_order_cannot_be_exported(
        configure, stored_order, source):
    # given
    preferences = configure(missing_item_action="fail")
    stored_order(1, sku=None)

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then
    assert row.planned_transaction_type is None
    assert len(row.warnings) == 1
    assert row.warnings[0].startswith("cannot be exported: Order #1:")
    assert "has no SKU" in row.warnings[0]


def test_an_order_in_another_currency_is_converted_at_its_rate_and_says_so(
        configure, stored_order, source):
    # given
    preferences = configure(company_currency="USD", exchange_rates="PLN=0.25")
    stored_order(1, channel="channel-pln", currency="PLN")

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then
    assert row.planned_transaction_type is not None
    assert row.warnings == ("amounts converted from 20.00 PLN at 0.25 USD per PLN",)


def test_an_order_in_a_currency_without_a_rate_cannot_be_exported_and_says_why(
        configure, stored_order, source):
    # given: no rate for PLN
    preferences = configure(company_currency="USD", exchange_rates="")
    stored_order(1, channel="channel-pln", currency="PLN")

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then: never booked with PLN numbers as USD
    assert row.planned_transaction_type is None
    [warning] = row.warnings
    assert "it is in PLN and QuickBooks' home currency is USD" in warning
    assert "Add its rate to Exchange rates (e.g. PLN=0.25" in warning


def test_an_order_before_the_export_start_date_warns(configure, stored_order, source):
    # given: 03:00 UTC on March 1 is still February 28 in New York
    preferences = configure(export_start_date="2026-03-01", time_zone="America/New_York")
    stored_order(1, created_at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))
    stored_order(2, created_at=datetime(2026, 3, 1, 5, 0, tzinfo=UTC))

    # when
    page = preview(source, preferences, transfer_filter(preferences, STAFF))

    # then
    rows = {row.order.number: row for row in page.rows}
    assert rows[1].warnings == ("the order is older than the export start date (2026-03-01)",)
    assert rows[2].warnings == ()


def test_a_name_too_long_for_quickbooks_warns_that_it_will_be_shortened(
        configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, first_name="Bartholomew-Maximilian",
                 last_name="Van der Westhuizen-Oppenheimer")

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then
    assert len(row.warnings) == 1
    assert row.warnings[0].startswith("customer name will be shortened ")


def test_an_order_that_cannot_be_mapped_gives_a_warning_not_an_exception(
        configure, stored_order, source):
    # given: "ABCDEFGH" + "1234" is 12 characters, QuickBooks' RefNumber holds 11
    preferences = configure(ref_number_prefix="ABCDEFGH")
    stored_order(1234)
    stored_order(123)

    # when
    page = preview(source, preferences, transfer_filter(preferences, STAFF))

    # then
    rows = {row.order.number: row for row in page.rows}
    assert rows[1234].planned_transaction_type is None
    assert len(rows[1234].warnings) == 1
    assert rows[1234].warnings[0].startswith("cannot be exported: Order #1234: its QuickBooks "
                                             "number 'ABCDEFGH1234' is longer")
    assert rows[123].planned_transaction_type == "SalesReceipt"


def test_every_warning_of_an_order_is_listed_together(configure, stored_order, source):
    # given
    preferences = configure(export_start_date="2026-04-01", ref_number_prefix="ABCDEFGH")
    stored_order(1234, channel="channel-pln", currency="PLN")

    # when
    row = preview(source, preferences, transfer_filter(preferences, STAFF)).rows[0]

    # then: the start date, and the number that cannot fit (the PLN amounts convert)
    assert [w.split(" ")[:3] for w in row.warnings] == [
        ["the", "order", "is"], ["cannot", "be", "exported:"]]
    assert "is longer" in row.warnings[1]


def test_generated_orders_preview_without_errors(configure, orders, source):
    # given
    preferences = configure(eligible_statuses="unfulfilled,partially fulfilled,fulfilled,canceled")
    orders(60, seed=11)

    # when
    page = preview(source, preferences, transfer_filter(preferences, STAFF), limit=100)

    # then
    assert page.total == 60 == len(page.rows)
    assert all(row.planned_transaction_type in ("SalesReceipt", "Invoice") for row in page.rows)


# --- queue ----------------------------------------------------------------------------------


def items_of(operation: PendingOperation) -> list[tuple[str, int]]:
    return sorted(((str(i.order_id), i.order_number) for i in operation.items.all()),
                  key=lambda item: item[1])


def test_orders_are_queued_by_global_order_id_or_uuid(configure, stored_order, source):
    # given
    preferences = configure()
    first, second = stored_order(1), stored_order(2)

    # when
    operation = queue_orders(source, preferences, STAFF,
                             [to_global_id("Order", first.order_id), second.order_id.upper()])

    # then
    assert operation.status == OperationStatus.QUEUED
    assert items_of(operation) == [(first.order_id, 1), (second.order_id, 2)]
    assert operation.created_by_email == "staff@example.com"
    assert operation.created_by_user_id == "7"
    assert operation.request == {"orderIds": [first.order_id, second.order_id]}
    assert operation.summary == "2 orders queued by staff@example.com"
    assert set(operation.items.values_list("state", flat=True)) == {ItemState.PENDING}


def test_an_order_named_twice_is_queued_once(configure, stored_order, source):
    # given
    preferences = configure()
    document = stored_order(1)

    # when
    operation = queue_orders(source, preferences, STAFF,
                             [document.order_id, to_global_id("Order", document.order_id)])

    # then
    assert items_of(operation) == [(document.order_id, 1)]


def test_the_filter_is_queued_minus_the_unchecked_orders(configure, stored_order, source):
    # given
    preferences = configure()
    documents = [stored_order(n, created_at=MARCH + timedelta(days=n)) for n in range(1, 6)]
    stored_order(6, created_at=MARCH + timedelta(days=40))
    flt = transfer_filter(preferences, STAFF, date_from=date(2026, 3, 11),
                          date_to=date(2026, 3, 20))

    # when
    operation = queue_filter(source, STAFF, flt, exclude_order_ids=[
        documents[1].order_id, to_global_id("Order", documents[3].order_id)])

    # then
    assert [n for _, n in items_of(operation)] == [1, 3, 5]
    assert operation.request["excludeOrderIds"] == [documents[1].order_id,
                                                    documents[3].order_id]
    assert operation.request["filter"] == {
        "customer": None, "dateFrom": "2026-03-11", "dateTo": "2026-03-20",
        "includeExported": False, "channels": []}


def test_queuing_by_filter_honours_the_actors_channels(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1, channel="default-channel")
    stored_order(2, channel="channel-pln", currency="PLN")

    # when
    operation = queue_filter(source, USD_ONLY, transfer_filter(preferences, USD_ONLY))

    # then
    assert [n for _, n in items_of(operation)] == [1]


def test_an_empty_selection_is_refused_and_nothing_is_created(configure, stored_order, source):
    # given
    preferences = configure()
    only = stored_order(1)

    # when
    with pytest.raises(TransferError) as by_ids:
        queue_orders(source, preferences, STAFF, [])
    with pytest.raises(TransferError) as by_filter:
        queue_filter(source, STAFF, transfer_filter(preferences, STAFF),
                     exclude_order_ids=[only.order_id])

    # then
    assert by_ids.value.code == "empty_selection"
    assert by_filter.value.code == "empty_selection"
    assert not PendingOperation.objects.exists()
    assert not PendingOperationOrder.objects.exists()


def test_a_selection_above_the_queue_limit_is_refused(configure, stored_order, source,
                                                     monkeypatch):
    # given
    preferences = configure()
    for number in range(1, 4):
        stored_order(number)
    monkeypatch.setattr(transfers, "MAX_QUEUE_SIZE", 2)

    # when
    with pytest.raises(TransferError) as raised:
        queue_filter(source, STAFF, transfer_filter(preferences, STAFF))

    # then
    assert raised.value.code == "too_many"
    assert not PendingOperation.objects.exists()


def test_unknown_orders_are_refused_and_nothing_is_created(configure, stored_order, source):
    # given
    preferences = configure()
    known = stored_order(1)
    unknown = str(uuid.uuid4())

    # when
    with pytest.raises(TransferError) as raised:
        queue_orders(source, preferences, STAFF, [known.order_id, unknown])

    # then
    assert raised.value.code == "not_found"
    assert raised.value.field == "orderIds"
    assert to_global_id("Order", unknown) in raised.value.message
    assert not PendingOperation.objects.exists()
    assert not PendingOperationOrder.objects.exists()


@pytest.mark.parametrize(("status", "says"), [
    ("draft", "draft and unconfirmed orders are never exported"),
    ("unconfirmed", "Confirm it in Saleor first"),
    ("canceled", "setting “Order statuses to export”"),
])
def test_an_order_in_a_status_not_exported_cannot_be_queued_and_the_reason_says_why(
        configure, stored_order, source, status, says):
    # given
    preferences = configure()
    document = stored_order(1, status=status)

    # when
    with pytest.raises(TransferError) as raised:
        queue_orders(source, preferences, STAFF, [document.order_id])

    # then
    assert raised.value.code == "not_exportable"
    assert f"Order #{document.number} is {status}" in raised.value.message
    assert says in raised.value.message
    assert not PendingOperation.objects.exists()


def test_an_order_outside_the_actors_channels_cannot_be_queued(configure, stored_order, source):
    # given
    preferences = configure()
    document = stored_order(1, channel="channel-pln", currency="PLN")

    # when
    with pytest.raises(TransferError) as raised:
        queue_orders(source, preferences, USD_ONLY, [document.order_id])

    # then
    assert raised.value.code == "not_found"
    assert not PendingOperation.objects.exists()


def test_an_order_outside_the_exported_channels_cannot_be_queued(
        configure, stored_order, source):
    # given
    preferences = configure(channels="default-channel")
    document = stored_order(1, channel="channel-pln", currency="PLN")

    # when
    with pytest.raises(TransferError) as raised:
        queue_orders(source, preferences, STAFF, [document.order_id])

    # then
    assert raised.value.code == "not_exportable"
    assert "channel “channel-pln”, which the store does not export" in raised.value.message
    assert "setting “Channels”: default-channel" in raised.value.message
    assert not PendingOperation.objects.exists()


def test_an_order_already_waiting_is_not_queued_twice_and_the_error_names_it(
        configure, stored_order, source):
    # given
    preferences = configure()
    document = stored_order(1)
    queue_orders(source, preferences, STAFF, [document.order_id])

    # when
    with pytest.raises(TransferError) as raised:
        queue_orders(source, preferences, STAFF, [document.order_id])

    # then
    assert raised.value.code == "already_queued"
    assert f"#{document.number}" in raised.value.message
    assert PendingOperation.objects.count() == 1


@pytest.mark.parametrize("bad", [
    "not-an-id",
    to_global_id("Product", "5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10"),
    to_global_id("Order", "42"),
    "",
])
def test_a_malformed_order_id_is_refused(configure, stored_order, source, bad):
    # given
    preferences = configure()
    document = stored_order(1)

    # when
    with pytest.raises(TransferError) as raised:
        queue_orders(source, preferences, STAFF, [document.order_id, bad])

    # then
    assert raised.value.code == "invalid_id"
    assert raised.value.field == "orderIds"
    assert not PendingOperation.objects.exists()


def test_a_malformed_unchecked_id_is_refused(configure, stored_order, source):
    # given
    preferences = configure()
    stored_order(1)

    # when
    with pytest.raises(TransferError) as raised:
        queue_filter(source, STAFF, transfer_filter(preferences, STAFF),
                     exclude_order_ids=["nope"])

    # then
    assert raised.value.code == "invalid_id"
    assert raised.value.field == "excludeOrderIds"
    assert not PendingOperation.objects.exists()


def test_an_order_already_exported_may_be_queued_again(configure, stored_order, source, session):
    # given: the engine decides what to do with it (check_duplicates), not this layer
    preferences = configure()
    document = stored_order(1)
    mark_exported(document, session())

    # when
    operation = queue_orders(source, preferences, STAFF, [document.order_id])

    # then
    assert items_of(operation) == [(document.order_id, 1)]


def test_queue_by_filter_leaves_out_orders_already_waiting(configure, stored_order, source):
    # given: order 1 is queued; orders 1 and 2 match the filter
    preferences = configure()
    first, second = stored_order(1), stored_order(2)
    queue_orders(source, preferences, STAFF, [first.order_id])

    # when
    operation = queue_filter(source, STAFF, transfer_filter(preferences, STAFF))

    # then: the second operation holds only order 2, and the preview said so beforehand
    assert list(operation.items.values_list("order_number", flat=True)) == [second.number]
    assert queued_counts() == (2, 2)
    page = preview(source, preferences, transfer_filter(preferences, STAFF))
    assert page.total == 0 and page.queued == 2


def test_the_preview_counts_only_the_waiting_orders_its_filter_matches(
        configure, stored_order, source):
    # given: orders 1 (Jane) and 2 (someone else) wait; order 3 (Jane) does not
    preferences = configure()
    jane = "jane@example.com"
    first, second = stored_order(1, email=jane), stored_order(2)
    stored_order(3, email=jane)
    queue_orders(source, preferences, STAFF, [first.order_id, second.order_id])

    # when
    page = preview(source, preferences, transfer_filter(preferences, STAFF, customer=jane))

    # then
    assert numbers(page) == [3]
    assert (page.total, page.queued) == (1, 1)


def test_with_nothing_queued_the_preview_asks_nothing_about_the_queue(
        configure, stored_order, source):
    # given: nothing waits in a pending operation
    preferences = configure()
    for number in (1, 2):
        stored_order(number)
    asked = []
    spy = type("Spy", (), {
        "search": lambda _, flt, **kw: asked.append(flt) or source.search(flt, **kw),
        "filtered": lambda _, flt: asked.append(flt) or source.filtered(flt),
        "load": lambda _, ids: source.load(ids)})()

    # when
    page = preview(spy, preferences, transfer_filter(preferences, STAFF))

    # then: the page and its count, neither with the queue's subquery
    assert (numbers(page), page.total, page.queued) == ([2, 1], 2, 0)
    assert [(f.skip_queued, f.only_queued) for f in asked] == [(False, False)] * 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_counts_come_from_a_second_connection_and_agree(
        configure, stored_order, source, session):
    # given: committed orders, as the Dashboard's preview sees them: 1 and 2 wait in a pending
    # operation, 3 is in QuickBooks, 4 and 5 are neither
    preferences = configure()
    documents = [stored_order(number) for number in range(1, 6)]
    queue_orders(source, preferences, STAFF, [documents[0].order_id, documents[1].order_id])
    mark_exported(documents[2], session())

    # when: counted beside the page (counting.py), on a connection of their own
    page = preview(source, preferences, transfer_filter(preferences, STAFF))
    everything = preview(source, preferences,
                         transfer_filter(preferences, STAFF, include_exported=True), limit=1)

    # then
    assert (numbers(page), page.total, page.queued) == ([5, 4], 2, 2)
    assert (numbers(everything), everything.total, everything.queued) == ([5], 3, 2)


# --- pending operations ---------------------------------------------------------------------


def test_pending_operations_are_listed_newest_first_with_their_counts(
        configure, stored_order, source, session):
    # given
    preferences = configure()
    documents = [stored_order(n) for n in range(1, 5)]
    older = queue_orders(source, preferences, STAFF, [d.order_id for d in documents[:3]])
    newer = queue_orders(source, preferences, STAFF, [documents[3].order_id])
    web_connector = session()
    claims = claim_orders(web_connector, source, 2, automatic=automatic_work(preferences))
    done = record_attempt(order_id=claims[0].order_id, order_number=claims[0].order_number,
                          transaction_type="SalesReceipt", ref_number="1",
                          session=web_connector, operation_id=claims[0].operation_id)
    record_success(done, txn_id="T-1")
    failed = record_attempt(order_id=claims[1].order_id, order_number=claims[1].order_number,
                            transaction_type="SalesReceipt", ref_number="2",
                            session=web_connector, operation_id=claims[1].operation_id)
    record_failure(failed, status_code=3100, message="The name is already in use.")

    # when
    page, total = list_operations()

    # then
    assert total == 2
    assert [op.pk for op in page] == [newer.pk, older.pk]
    assert [(op.order_count, op.done_count, op.failed_count) for op in page] == [
        (1, 0, 0), (3, 1, 1)]
    assert page[1].status == OperationStatus.IN_PROGRESS
    assert queued_counts() == (2, 2)


def test_the_operation_list_pages_and_can_hide_finished_operations(
        configure, stored_order, source, session):
    # given
    preferences = configure()
    documents = [stored_order(n) for n in range(1, 4)]
    finished = queue_orders(source, preferences, STAFF, [documents[0].order_id])
    claim = claim_orders(session(), source, 1, automatic=automatic_work(preferences))[0]
    mark_exported(documents[0], WebConnectorSession.objects.get(), operation_id=claim.operation_id)
    waiting = [queue_orders(source, preferences, STAFF, [d.order_id]) for d in documents[1:]]

    # when
    everything, total = list_operations()
    active, active_total = list_operations(include_finished=False)
    second_page, _ = list_operations(offset=1, limit=1)

    # then
    finished.refresh_from_db()
    assert finished.status == OperationStatus.DONE
    assert finished.summary == "1 exported"
    assert total == 3 and [op.pk for op in everything] == [
        waiting[1].pk, waiting[0].pk, finished.pk]
    assert active_total == 2 and [op.pk for op in active] == [waiting[1].pk, waiting[0].pk]
    assert [op.pk for op in second_page] == [waiting[0].pk]


def test_a_queued_operation_can_be_deleted_and_leaves_the_list(configure, stored_order, source):
    # given
    preferences = configure()
    document = stored_order(1)
    operation = queue_orders(source, preferences, STAFF, [document.order_id])

    # when
    deleted = delete_operations([str(operation.public_id)], Actor(email="boss@example.com"))

    # then
    operation.refresh_from_db()
    assert [op.pk for op in deleted] == [operation.pk]
    assert operation.status == OperationStatus.DELETED
    assert operation.deleted_at is not None
    assert operation.summary.endswith("; deleted by boss@example.com")
    assert list_operations() == ([], 0)
    assert queued_counts() == (0, 0)


def test_a_deleted_operation_is_never_handed_to_web_connector(
        configure, stored_order, source, session):
    # given
    preferences = configure()
    document = stored_order(1)
    operation = queue_orders(source, preferences, STAFF, [document.order_id])
    delete_operations([operation.public_id], STAFF)

    # when
    claims = claim_orders(session(), source, 10, automatic=automatic_work(preferences))

    # then
    assert claims == []


def test_an_operation_picked_up_by_web_connector_cannot_be_deleted(
        configure, stored_order, source, session):
    # given
    preferences = configure()
    first, second = stored_order(1), stored_order(2)
    picked = queue_orders(source, preferences, STAFF, [first.order_id])
    claim_orders(session(), source, 1, automatic=automatic_work(preferences))
    still_queued = queue_orders(source, preferences, STAFF, [second.order_id])

    # when
    with pytest.raises(TransferError) as raised:
        delete_operations([still_queued.public_id, picked.public_id], STAFF)

    # then: all or nothing: the queued one is not deleted either
    assert raised.value.code == "already_picked_up"
    picked.refresh_from_db()
    still_queued.refresh_from_db()
    assert picked.status == OperationStatus.IN_PROGRESS
    assert picked.picked_up_at is not None
    assert still_queued.status == OperationStatus.QUEUED
    assert still_queued.deleted_at is None
    assert list_operations()[1] == 2


def test_deleting_an_unknown_or_already_deleted_operation_is_not_found(
        configure, stored_order, source):
    # given
    preferences = configure()
    first, second = stored_order(1), stored_order(2)
    gone = queue_orders(source, preferences, STAFF, [first.order_id])
    kept = queue_orders(source, preferences, STAFF, [second.order_id])
    delete_operations([gone.public_id], STAFF)

    # when
    with pytest.raises(TransferError) as deleted_twice:
        delete_operations([kept.public_id, gone.public_id], STAFF)
    with pytest.raises(TransferError) as unknown:
        delete_operations([uuid.uuid4()], STAFF)

    # then
    assert deleted_twice.value.code == "not_found"
    assert unknown.value.code == "not_found"
    kept.refresh_from_db()
    assert kept.status == OperationStatus.QUEUED


@pytest.mark.parametrize(("ids", "code"), [
    ([], "empty_selection"),
    (["not-a-uuid"], "invalid_id"),
])
def test_deleting_needs_well_formed_operation_ids(ids, code):
    # when
    with pytest.raises(TransferError) as raised:
        delete_operations(ids, STAFF)

    # then
    assert raised.value.code == code
    assert raised.value.field == "ids"


def test_reset_marks_orders_not_exported_and_writes_a_ledger_row(
        configure, stored_order, source, session):
    # given
    configure()
    exported = stored_order(1)
    never = stored_order(2)
    mark_exported(exported, session(), txn_id="TXN-9", transaction_type="Invoice")

    # when
    count = reset_orders([to_global_id("Order", exported.order_id), never.order_id],
                         Actor(email="owner@example.com"))

    # then
    assert count == 1
    assert not ExportedOrder.objects.exists()
    reset = ExportRecord.objects.get(state=ExportState.RESET)
    assert (str(reset.order_id), reset.order_number, reset.txn_id, reset.transaction_type,
            reset.ref_number, reset.reset_by_email) == (
        exported.order_id, 1, "TXN-9", "Invoice", "1", "owner@example.com")
    assert reset.status_message == "Marked as not exported by owner@example.com"


def test_reset_needs_at_least_one_well_formed_id(db):
    # when
    with pytest.raises(TransferError) as empty:
        reset_orders([], STAFF)
    with pytest.raises(TransferError) as malformed:
        reset_orders(["junk"], STAFF)

    # then
    assert empty.value.code == "empty_selection"
    assert malformed.value.code == "invalid_id"


def test_history_lists_attempts_newest_first_and_filters_them(
        configure, stored_order, source, session):
    # given
    configure()
    first, second = stored_order(1), stored_order(2)
    web_connector = session()
    mark_exported(first, web_connector)
    failed = record_attempt(order_id=second.order_id, order_number=2,
                            transaction_type="Invoice", ref_number="2",
                            session=web_connector, operation_id=None)
    record_failure(failed, status_code=500, message="boom")
    reset_orders([first.order_id], STAFF)

    # when
    everything, total = history()
    failures, failure_total = history(state="failed")
    of_first, _ = history(order_id=to_global_id("Order", first.order_id))
    by_number, _ = history(order_number=2)

    # then
    assert total == 3
    assert [r.state for r in everything] == [ExportState.RESET, ExportState.FAILED,
                                             ExportState.DONE]
    assert failure_total == 1 and failures[0].order_number == 2
    assert [r.state for r in of_first] == [ExportState.RESET, ExportState.DONE]
    assert [r.pk for r in by_number] == [failed.pk]
    with pytest.raises(TransferError) as raised:
        history(state="nonsense")
    assert raised.value.code == "invalid"
