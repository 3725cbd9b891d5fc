"""Our tables' own guarantees, enforced by PostgreSQL rather than by code paths."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from saleor_qb_sync.models import (
    ExportedOrder,
    ExportRecord,
    Installation,
    OperationStatus,
    PendingOperation,
    PendingOperationOrder,
    QuickBooksName,
    WebConnectorSession,
)

pytestmark = pytest.mark.django_db

ORDER = "5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10"


def export_record(**overrides) -> ExportRecord:
    values = {"order_id": ORDER, "order_number": 1, "transaction_type": "Invoice",
              "ref_number": "1"}
    values.update(overrides)
    return ExportRecord.objects.create(**values)


def test_an_operation_holds_an_order_once():
    # given
    operation = PendingOperation.objects.create()
    PendingOperationOrder.objects.create(operation=operation, order_id=ORDER, order_number=1)

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingOperationOrder.objects.create(operation=operation, order_id=ORDER,
                                             order_number=1)


def test_a_new_operation_is_queued_with_its_own_public_id():
    # when
    first, second = PendingOperation.objects.create(), PendingOperation.objects.create()

    # then
    assert first.status == second.status == OperationStatus.QUEUED
    assert first.public_id != second.public_id
    assert list(PendingOperation.objects.all()) == [second, first]
    assert str(first).startswith("Transfer orders ")


def test_an_order_is_in_quickbooks_at_most_once():
    # given
    ExportedOrder.objects.create(order_id=ORDER, order_number=1, record=export_record())

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportedOrder.objects.create(order_id=ORDER, order_number=1, record=export_record())


def test_the_ledger_row_of_an_exported_order_cannot_be_deleted():
    # given
    record = export_record()
    ExportedOrder.objects.create(order_id=ORDER, order_number=1, record=record)

    # when / then
    with pytest.raises(ProtectedError):
        record.delete()


def test_deleting_a_session_keeps_the_ledger_and_frees_its_items():
    # given
    session = WebConnectorSession.objects.create(ticket_digest="a" * 64, username="qb")
    operation = PendingOperation.objects.create()
    item = PendingOperationOrder.objects.create(operation=operation, order_id=ORDER,
                                                order_number=1, session=session)
    record = export_record(session=session, operation=operation)

    # when
    session.delete()

    # then
    item.refresh_from_db()
    record.refresh_from_db()
    assert item.session is None
    assert record.session is None and record.operation == operation


def test_a_ticket_digest_opens_one_session():
    # given
    WebConnectorSession.objects.create(ticket_digest="b" * 64, username="qb")

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        WebConnectorSession.objects.create(ticket_digest="b" * 64, username="qb")


def test_a_quickbooks_name_is_known_once_per_kind():
    # given
    QuickBooksName.objects.create(kind=QuickBooksName.Kind.ITEM, name="Shipping")
    QuickBooksName.objects.create(kind=QuickBooksName.Kind.CUSTOMER, name="Shipping")

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        QuickBooksName.objects.create(kind=QuickBooksName.Kind.ITEM, name="Shipping")


def test_the_installation_identifiers_never_change():
    # when
    first = Installation.current()
    again = Installation.current()

    # then
    assert (first.owner_id, first.file_id) == (again.owner_id, again.file_id)
    assert Installation.objects.count() == 1
    assert isinstance(first.owner_id, uuid.UUID)
