"""The API's types: a strict ``Date``, Saleor's enum names, and what the resolvers read."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from saleor_qb_sync.graphql.types import (
    ORDER_NUMBERS_SHOWN,
    Date,
    QbCustomer,
    QbOrderExport,
    QbOrderTransferPreviewRow,
    QbPendingOperation,
    prefetch_order_numbers,
    saleor_enum_name,
)
from saleor_qb_sync.ledger import first_order_numbers
from saleor_qb_sync.models import PendingOperation, PendingOperationOrder
from saleor_qb_sync.order_source import OrderSummary
from saleor_qb_sync.saleor_ids import from_global_id


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-03-01", date(2026, 3, 1)),
    ("0001-01-01", date(1, 1, 1)),
    (date(2026, 3, 1), date(2026, 3, 1)),
    ("", None),
    ("-0001-01-01", None),
    ("2026-02-30", None),
    ("2026-3-1", None),
    ("2026-03-01T00:00:00", None),
    ("２０２６-03-01", None),
    (datetime(2026, 3, 1, tzinfo=UTC), None),
    (20260301, None),
    (None, None),
])
def test_a_date_is_a_calendar_day_written_yyyy_mm_dd_and_nothing_else(value, expected):
    # then: None is how an invalid value is reported (by field, not as a 500)
    assert Date.parse_value(value) == expected


@pytest.mark.parametrize(("value", "name"), [
    ("partially fulfilled", "PARTIALLY_FULFILLED"),
    ("partially_returned", "PARTIALLY_RETURNED"),
    (" full ", "FULL"),
    ("over-charged", "OVER_CHARGED"),
])
def test_saleors_database_values_are_shown_by_their_graphql_names(value, name):
    # then
    assert saleor_enum_name(value) == name


def test_a_preview_row_shows_the_order_as_saleors_api_would():
    # given
    order_id = "5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10"
    summary = OrderSummary(order_id=order_id, number=1042,
                           created_at=datetime(2026, 3, 1, tzinfo=UTC),
                           channel_slug="default-channel", currency="USD",
                           total_gross=Decimal("19.99"), status="partially fulfilled",
                           charge_status="full", customer_email="", customer_name="",
                           customer_user_id=None)
    at = datetime(2026, 3, 2, tzinfo=UTC)
    export = SimpleNamespace(at=at, transaction_type="Invoice", txn_id="T-1", ref_number="1042")
    row = SimpleNamespace(order=summary, last_export=export)

    # then
    assert from_global_id(QbOrderTransferPreviewRow.resolve_order_id(row, None)) == (
        "Order", order_id)
    assert QbOrderTransferPreviewRow.resolve_status(row, None) == "PARTIALLY_FULFILLED"
    assert QbOrderTransferPreviewRow.resolve_charge_status(row, None) == "FULL"
    total = QbOrderTransferPreviewRow.resolve_total(row, None)
    assert (total.amount, total.currency) == (Decimal("19.99"), "USD")
    assert QbOrderTransferPreviewRow.resolve_customer_email(row, None) == ""
    last = QbOrderTransferPreviewRow.resolve_last_export(row, None)
    assert (last.at, last.transaction_type, last.txn_id, last.ref_number) == (
        at, "Invoice", "T-1", "1042")
    assert QbOrderTransferPreviewRow.resolve_last_export(
        SimpleNamespace(order=summary, last_export=None), None) is None


@pytest.mark.parametrize(("reason", "queued", "can_queue"), [
    (None, False, True), (None, True, False), ("Its channel is not exported.", False, False)])
def test_an_order_can_be_queued_only_when_it_may_go_and_does_not_wait_already(reason, queued,
                                                                            can_queue):
    # then
    root = SimpleNamespace(reason=reason, queued=queued)
    assert QbOrderExport.resolve_can_queue(root, None) is can_queue


def test_a_customer_is_named_by_saleors_user_id_or_none_for_a_guest():
    # then
    assert from_global_id(QbCustomer.resolve_user_id(SimpleNamespace(user_id="42"), None)) == (
        "User", "42")
    assert QbCustomer.resolve_user_id(SimpleNamespace(user_id=None), None) is None


def test_an_operation_was_created_by_a_staff_email_else_an_app_else_a_user_id():
    # then
    resolve = QbPendingOperation.resolve_created_by
    assert resolve(PendingOperation(created_by_email="a@example.com", created_by_app="App",
                                    created_by_user_id="7"), None) == "a@example.com"
    assert resolve(PendingOperation(created_by_app="QuickBooks app", created_by_user_id="7"),
                   None) == "QuickBooks app"
    assert resolve(PendingOperation(created_by_user_id="7"), None) == "7"


def operation(*numbers: int) -> PendingOperation:
    op = PendingOperation.objects.create()
    PendingOperationOrder.objects.bulk_create(
        PendingOperationOrder(operation=op, order_id=uuid.uuid4(), order_number=n)
        for n in numbers)
    return op


@pytest.mark.django_db
def test_an_operation_lists_its_first_order_numbers_lowest_first_all_in_one_query(
        django_assert_num_queries):
    # given
    many = operation(*range(120, 100, -1))
    few = operation(7, 3)
    empty = operation()

    # when
    with django_assert_num_queries(1):
        numbers = first_order_numbers([many.pk, few.pk, empty.pk], ORDER_NUMBERS_SHOWN)

    # then
    assert numbers == {many.pk: list(range(101, 101 + ORDER_NUMBERS_SHOWN)),
                       few.pk: [3, 7], empty.pk: []}


@pytest.mark.django_db
def test_prefetched_numbers_are_read_without_a_query(django_assert_num_queries):
    # given
    op = prefetch_order_numbers([operation(5, 4)])[0]

    # when / then
    with django_assert_num_queries(0):
        assert QbPendingOperation.resolve_orders(op, None) == [4, 5]


@pytest.mark.django_db
def test_an_operation_without_counts_gets_them_when_first_asked():
    # given
    op = operation(1, 2, 3)

    # then
    assert QbPendingOperation.resolve_order_count(op, None) == 3
    assert QbPendingOperation.resolve_done_count(op, None) == 0
    assert QbPendingOperation.resolve_failed_count(op, None) == 0
    assert QbPendingOperation.resolve_orders(op, None) == [1, 2, 3]


def test_the_types_module_builds_no_query_itself():
    """Beside the import contract (no ``models``): no Django ORM import, no ``.objects``."""
    import ast
    import pathlib

    import saleor_qb_sync.graphql.types as module

    tree = ast.parse(pathlib.Path(module.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert not {m for m in imported if m and m.startswith("django")}
    assert not [node.lineno for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and node.attr == "objects"]
