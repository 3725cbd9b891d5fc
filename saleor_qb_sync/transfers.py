"""Transfers: preview, queue, pending operations, automatic selection, and the export ledger.

This is the on-demand order transfer of the product: a person filters orders (customer, dates,
previously exported or not), previews them, unchecks some and queues the rest as one pending
operation; Web Connector picks it up on its next run. In automatic mode every eligible order
that is not in QuickBooks yet is picked up without anyone queuing it.

Every function takes the ``OrderSource`` (the host's orders) explicitly; orders are stored by
their Saleor UUID. The engine (``qbwc/engine.py``) claims work here and records each answer here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .documents import OrderDocument
from .errors import MappingError, TransferError
from .models import (
    OPEN_OPERATION_STATUSES,
    ExportedOrder,
    ExportRecord,
    ExportState,
    ItemState,
    OperationStatus,
    PendingOperation,
    PendingOperationOrder,
    WebConnectorSession,
    queued_items,
)
from .order_source import OrderFilter, OrderRef, OrderSource, OrderSummary
from .preferences import NEVER_EXPORTED_STATUSES, ExportMode, Preferences
from .qbxml.mapping import map_order
from .saleor_ids import InvalidGlobalId, to_global_id, uuid_from_global_id

#: The most orders one queue request may cover (a filter can select more than a page shows).
MAX_QUEUE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking: a staff user or an app, and the channels they may see (None = all)."""

    user_id: str = ""
    email: str = ""
    app: str = ""
    channels: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        return self.email or self.app or self.user_id or "unknown"


@dataclass(frozen=True, slots=True)
class LastExport:
    at: datetime
    transaction_type: str
    txn_id: str
    ref_number: str


@dataclass(frozen=True, slots=True)
class PreviewRow:
    order: OrderSummary
    exported: bool
    last_export: LastExport | None
    planned_transaction_type: str | None
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PreviewPage:
    rows: list[PreviewRow]
    total: int
    #: orders the filter matches that are left out because they wait in a pending operation
    queued: int = 0


# --- filters ----------------------------------------------------------------------------------


def transfer_filter(
    preferences: Preferences,
    actor: Actor,
    *,
    customer: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    include_exported: bool = False,
    channel: str | None = None,
    skip_queued: bool = True,
) -> OrderFilter:
    """The filter of the transfer screen, checked: a wrong range is an error, not an empty list.

    Orders already waiting in a pending operation are left out (``skip_queued``): queueing them
    again would send nothing more, and a preview that ticks them looks like new work."""
    if date_from and date_to and date_from > date_to:
        raise TransferError("The start date is after the end date.", field="dateTo",
                            code="invalid_date_range")
    customer = (customer or "").strip() or None
    if customer and len(customer) > 254:
        raise TransferError("The customer is not an e-mail address or a user ID.",
                            field="customer", code="invalid")
    channels, allowed = preferences.channels, actor.channels
    if channel:
        if channels and channel not in channels:
            allowed = ()  # a channel the store does not export: nothing matches
        channels = (channel,)
    return OrderFilter(
        customer=customer,
        date_from=date_from,
        date_to=date_to,
        include_exported=include_exported,
        channels=channels,
        statuses=preferences.eligible_statuses,
        time_zone=preferences.time_zone,
        allowed_channels=allowed,
        skip_queued=skip_queued,
    )


def automatic_filter(preferences: Preferences) -> OrderFilter:
    """Every eligible order not yet in QuickBooks and not already tried automatically."""
    start = None
    if preferences.export_start_date:
        start = datetime.combine(preferences.export_start_date, time.min,
                                 tzinfo=ZoneInfo(preferences.time_zone))
    return OrderFilter(
        statuses=preferences.eligible_statuses,
        channels=preferences.channels,
        created_not_before=start,
        time_zone=preferences.time_zone,
        skip_automatic_attempts=True,
        skip_queued=True,
    )


# --- preview ----------------------------------------------------------------------------------


def preview(source: OrderSource, preferences: Preferences, flt: OrderFilter, *,
            offset: int = 0, limit: int = 100) -> PreviewPage:
    summaries, total = source.search(flt, offset=offset, limit=limit)
    queued = 0
    if flt.skip_queued:
        queued = source.search(replace(flt, skip_queued=False), offset=0,
                               limit=0)[1] - total
    ids = [s.order_id for s in summaries]
    documents = source.load(ids)
    last = last_exports(ids)
    rows = []
    for summary in summaries:
        document = documents.get(summary.order_id)
        planned, warnings = _plan(document, preferences) if document else (None, ())
        rows.append(PreviewRow(
            order=summary,
            exported=summary.order_id in last,
            last_export=last.get(summary.order_id),
            planned_transaction_type=planned,
            warnings=warnings,
        ))
    return PreviewPage(rows=rows, total=total, queued=queued)


def _plan(document: OrderDocument, preferences: Preferences) -> tuple[str | None, tuple[str, ...]]:
    warnings: list[str] = []
    if document.currency != preferences.company_currency:
        warnings.append(f"the order is in {document.currency} but the QuickBooks company uses "
                        f"{preferences.company_currency}; amounts are not converted")
    if preferences.export_start_date:
        local = document.created_at.astimezone(ZoneInfo(preferences.time_zone)).date()
        if local < preferences.export_start_date:
            warnings.append(f"the order is older than the export start date "
                            f"({preferences.export_start_date.isoformat()})")
    try:
        mapped = map_order(document, preferences)
    except MappingError as exc:
        return None, (*warnings, f"cannot be exported: {exc.message}")
    return mapped.transaction.kind.value, (*warnings, *mapped.warnings)


def last_exports(order_ids: Sequence[str]) -> dict[str, LastExport]:
    """For each order in QuickBooks now: when and as what it was exported."""
    rows = (ExportedOrder.objects.filter(order_id__in=list(order_ids))
            .select_related("record"))
    return {
        str(row.order_id): LastExport(
            at=row.exported_at, transaction_type=row.record.transaction_type,
            txn_id=row.record.txn_id, ref_number=row.record.ref_number)
        for row in rows
    }


# --- queue ------------------------------------------------------------------------------------


def plural(count: int, one: str, many: str) -> str:
    """``1 order``, ``2 orders``."""
    return f"{count} {one if count == 1 else many}"



@dataclass(frozen=True, slots=True)
class OrderExportState:
    """One order as its page in the Dashboard explains it: what QuickBooks has, whether it
    waits, and, if it cannot be exported, why (a sentence naming the setting to change)."""

    row: PreviewRow
    queued: bool
    #: why it cannot go to QuickBooks; None when it can
    reason: str | None
    #: automatic mode takes it at the next Web Connector update without being queued
    automatic: bool
    #: what automatic mode does with it, when that is not the obvious (e.g. skipped: why)
    automatic_note: str | None


def status_label(status: str) -> str:
    return status.replace("_", " ")


def ineligibility(order: OrderSummary, preferences: Preferences) -> str | None:
    """Why this order cannot be exported under ``preferences``, or None."""
    status = status_label(order.status)
    if order.status in NEVER_EXPORTED_STATUSES:
        return (f"Order #{order.number} is {status}: draft and unconfirmed orders are never "
                "exported. Confirm it in Saleor first.")
    if preferences.eligible_statuses and order.status not in preferences.eligible_statuses:
        allowed = ", ".join(status_label(s) for s in preferences.eligible_statuses)
        return (f"Order #{order.number} is {status}; the store exports only orders that are "
                f"{allowed} (setting “Order statuses to export”).")
    if preferences.channels and order.channel_slug not in preferences.channels:
        return (f"Order #{order.number} is in the channel “{order.channel_slug}”, which the "
                f"store does not export (setting “Channels”: {', '.join(preferences.channels)}).")
    return None


def order_export_state(source: OrderSource, preferences: Preferences, actor: Actor,
                       order_id: str) -> OrderExportState:
    """Everything the order's popup says; an order the actor cannot see is not found."""
    ids = parse_order_ids([order_id], field="orderId")
    flt = OrderFilter(order_ids=tuple(ids), include_exported=True, any_status=True,
                      allowed_channels=actor.channels)
    page = preview(source, preferences, flt, limit=1)
    if not page.rows:
        raise TransferError("There is no such order, or it is in a channel you cannot see.",
                            field="orderId", code="not_found")
    row = page.rows[0]
    queued = bool(queued_order_ids(ids))
    reason = ineligibility(row.order, preferences)
    automatic, note = False, None
    if (preferences.export_mode is ExportMode.AUTOMATIC and reason is None and not row.exported
            and not queued):
        automatic_flt = replace(automatic_filter(preferences), order_ids=tuple(ids))
        if not source.search_ids(replace(automatic_flt, skip_automatic_attempts=False)):
            note = (f"Automatic mode skips orders placed before the export start date "
                    f"({preferences.export_start_date}); queue it to send it anyway.")
        elif not source.search_ids(automatic_flt):
            note = ("Automatic mode tried this order and it failed (see its export history); "
                    "queue it to try again once the cause is fixed.")
        else:
            automatic = True
    return OrderExportState(row=row, queued=queued, reason=reason, automatic=automatic,
                            automatic_note=note)


def queued_order_ids(order_ids: Sequence[str]) -> set[str]:
    """Those of ``order_ids`` that wait in (or were claimed from) an open pending operation."""
    return {str(pk) for pk in queued_items().filter(order_id__in=list(order_ids))
            .values_list("order_id", flat=True)}


def parse_order_ids(values: Iterable[str], *, field: str = "orderIds") -> list[str]:
    ids = []
    for value in values:
        try:
            ids.append(str(uuid_from_global_id(str(value), "Order")))
        except InvalidGlobalId as exc:
            raise TransferError(exc.message, field=field, code="invalid_id") from None
    return list(dict.fromkeys(ids))


def queue_orders(source: OrderSource, preferences: Preferences, actor: Actor,
                 order_ids: Iterable[str]) -> PendingOperation:
    """Queue exactly these orders (Saleor global ids or UUIDs)."""
    ids = parse_order_ids(order_ids)
    if not ids:
        raise TransferError("Choose at least one order to transfer.", field="orderIds",
                            code="empty_selection")
    flt = OrderFilter(order_ids=tuple(ids), include_exported=True, any_status=True,
                      allowed_channels=actor.channels)
    summaries, _ = source.search(flt, offset=0, limit=len(ids))
    found = {summary.order_id: summary for summary in summaries}
    missing = [i for i in ids if i not in found]
    if missing:
        raise TransferError(
            f"{plural(len(missing), 'of the chosen orders does', 'of the chosen orders do')} "
            f"not exist or {'is' if len(missing) == 1 else 'are'} in a channel you cannot see: "
            + ", ".join(to_global_id("Order", i) for i in missing[:5])
            + (" ..." if len(missing) > 5 else ""),
            field="orderIds", code="not_found")
    refused = [reason for i in ids if (reason := ineligibility(found[i], preferences))]
    if refused:
        raise TransferError(" ".join(refused[:5]) + (" ..." if len(refused) > 5 else ""),
                            field="orderIds", code="not_exportable")
    waiting = queued_order_ids(ids)
    if waiting:
        numbers = ", ".join(f"#{found[i].number}" for i in ids if i in waiting)
        raise TransferError(
            f"Already waiting for the next Web Connector update: order {numbers} (see Pending "
            "operations); nothing was queued.", field="orderIds", code="already_queued")
    refs = [OrderRef(i, found[i].number, found[i].channel_slug) for i in ids]
    return _create_operation(actor, refs, request={"orderIds": ids})


def queue_filter(source: OrderSource, actor: Actor, flt: OrderFilter,
                 exclude_order_ids: Iterable[str] = ()) -> PendingOperation:
    """Queue every order the filter matches except the ones the person unchecked."""
    excluded = parse_order_ids(exclude_order_ids, field="excludeOrderIds")
    matches = source.search_ids(flt, exclude=excluded)
    if not matches:
        raise TransferError("No orders match this selection; nothing was queued.",
                            field="filter", code="empty_selection")
    if len(matches) > MAX_QUEUE_SIZE:
        raise TransferError(
            f"The selection has {len(matches)} orders; queue at most {MAX_QUEUE_SIZE} at once "
            "(narrow the date range).", field="filter", code="too_many")
    return _create_operation(actor, matches, request={
        "filter": _filter_record(flt), "excludeOrderIds": excluded})


def _filter_record(flt: OrderFilter) -> dict:
    return {
        "customer": flt.customer,
        "dateFrom": flt.date_from.isoformat() if flt.date_from else None,
        "dateTo": flt.date_to.isoformat() if flt.date_to else None,
        "includeExported": flt.include_exported,
        "channels": list(flt.channels),
    }


def _create_operation(actor: Actor, orders: list[OrderRef], *,
                      request: dict) -> PendingOperation:
    with transaction.atomic():
        operation = PendingOperation.objects.create(
            created_by_user_id=actor.user_id, created_by_email=actor.email,
            created_by_app=actor.app, request=request,
            summary=f"{plural(len(orders), 'order', 'orders')} queued by {actor.label}")
        PendingOperationOrder.objects.bulk_create(
            [PendingOperationOrder(operation=operation, order_id=ref.order_id,
                                   order_number=ref.number, channel_slug=ref.channel_slug)
             for ref in orders], batch_size=2000)
    return operation


# --- pending operations -------------------------------------------------------------------------


def operations_with_counts() -> QuerySet[PendingOperation]:
    return PendingOperation.objects.annotate(
        order_count=Count("items"),
        done_count=Count("items", filter=Q(items__state=ItemState.DONE)),
        failed_count=Count("items", filter=Q(items__state=ItemState.FAILED)),
    )


def visible_operations(channels: tuple[str, ...] | None) -> QuerySet[PendingOperation]:
    """Operations a caller limited to ``channels`` may see: none of their orders elsewhere."""
    qs = PendingOperation.objects.exclude(status=OperationStatus.DELETED)
    if channels is not None:
        qs = qs.exclude(items__in=PendingOperationOrder.objects.exclude(
            channel_slug__in=channels))
    return qs


def list_operations(*, offset: int = 0, limit: int = 50, include_finished: bool = True,
                    channels: tuple[str, ...] | None = None
                    ) -> tuple[list[PendingOperation], int]:
    qs = visible_operations(channels)
    if not include_finished:
        qs = qs.filter(status__in=OPEN_OPERATION_STATUSES)
    total = qs.count()
    page = list(operations_with_counts().filter(pk__in=qs.values("pk"))
                .order_by("-created_at", "-id")[offset:offset + limit])
    return page, total


def delete_operations(public_ids: Iterable[str | uuid.UUID], actor: Actor
                      ) -> list[PendingOperation]:
    """Delete queued operations; all or nothing, refused once Web Connector picked one up."""
    ids = []
    for value in public_ids:
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            raise TransferError(f"{value!r} is not a pending operation ID.", field="ids",
                                code="invalid_id") from None
    if not ids:
        raise TransferError("Choose at least one pending operation.", field="ids",
                            code="empty_selection")
    with transaction.atomic():
        visible = visible_operations(actor.channels).filter(public_id__in=ids)
        operations = list(PendingOperation.objects.select_for_update()
                          .filter(pk__in=visible.values("pk")))
        found = {op.public_id for op in operations}
        if missing := [str(i) for i in ids if i not in found]:
            raise TransferError(f"No pending operation with ID {', '.join(missing)}.",
                                field="ids", code="not_found")
        for op in operations:
            if op.status != OperationStatus.QUEUED:
                raise TransferError(
                    f"The operation queued {op.created_at:%Y-%m-%d %H:%M} was picked up by Web "
                    f"Connector at {op.picked_up_at:%Y-%m-%d %H:%M} and can no longer be "
                    "deleted; its orders are being exported.",
                    field="ids", code="already_picked_up")
        now = timezone.now()
        for op in operations:
            op.status = OperationStatus.DELETED
            op.deleted_at = now
            op.summary = f"{op.summary}; deleted by {actor.label}"
            op.save(update_fields=["status", "deleted_at", "summary"])
    return operations


def waiting_items() -> QuerySet[PendingOperationOrder]:
    """Orders of open operations that no Web Connector session holds yet."""
    return PendingOperationOrder.objects.filter(state=ItemState.PENDING,
                                                operation__status__in=OPEN_OPERATION_STATUSES)


def queued_counts() -> tuple[int, int]:
    """(queued or running operations, orders in them still waiting)."""
    operations = PendingOperation.objects.filter(status__in=OPEN_OPERATION_STATUSES).count()
    return operations, queued_items().count()


# --- claiming work for a Web Connector session ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    order_id: str
    order_number: int
    operation_id: int | None  # None for automatic mode
    channel_slug: str = ""


def claim_orders(session: WebConnectorSession, source: OrderSource, preferences: Preferences,
                 limit: int) -> list[Claim]:
    """Hand up to ``limit`` orders to this session; no order is ever handed to two sessions.

    Queued operations come first (row locks with SKIP LOCKED, so concurrent workers split the
    work), then, in automatic mode, eligible orders nobody queued.
    """
    claims: list[Claim] = []
    now = timezone.now()
    active = OPEN_OPERATION_STATUSES
    with transaction.atomic():
        items = list(
            PendingOperationOrder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=ItemState.PENDING, operation__status__in=active)
            .order_by("operation__created_at", "operation_id", "order_number")[:limit])
        if items:
            # The same order queued in several operations is sent once: its twins in other
            # operations are claimed with it and finish with it (see ``_finish_items``).
            twins = list(
                PendingOperationOrder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=ItemState.PENDING, operation__status__in=active,
                        order_id__in={i.order_id for i in items})
                .exclude(pk__in=[i.pk for i in items]))
            items += twins
            # The status read above may predate a delete committed since; lock the operations
            # (in pk order, as every claimer does) and read it again.
            live = set(PendingOperation.objects.select_for_update()
                       .filter(pk__in={i.operation_id for i in items}, status__in=active)
                       .order_by("pk").values_list("pk", flat=True))
            items = [i for i in items if i.operation_id in live]
        if items:
            PendingOperationOrder.objects.filter(pk__in=[i.pk for i in items]).update(
                state=ItemState.CLAIMED, session=session, claimed_at=now)
            PendingOperation.objects.filter(
                pk__in={i.operation_id for i in items}, status=OperationStatus.QUEUED,
            ).update(status=OperationStatus.IN_PROGRESS, picked_up_at=now)
        seen: set[str] = set()
        for item in items:
            if str(item.order_id) not in seen:
                seen.add(str(item.order_id))
                claims.append(Claim(str(item.order_id), item.order_number, item.operation_id,
                                    item.channel_slug))
    if preferences.is_automatic and len(claims) < limit:
        # orders in a queue are the queue's to hand out (another session may hold them now):
        # ``automatic_filter`` leaves them out in the database (``skip_queued``)
        claims.extend(Claim(ref.order_id, ref.number, None, ref.channel_slug)
                      for ref in source.search_ids(automatic_filter(preferences),
                                                   limit=limit - len(claims)))
    return claims


def release_claims(session: WebConnectorSession, order_ids: Iterable[str] | None = None) -> int:
    """Give claimed but unsent orders back to the queue (session ended before sending them)."""
    qs = PendingOperationOrder.objects.filter(session=session, state=ItemState.CLAIMED)
    if order_ids is not None:
        qs = qs.filter(order_id__in=list(order_ids))
    return qs.update(state=ItemState.PENDING, session=None, claimed_at=None)


# --- the ledger ---------------------------------------------------------------------------------


def new_attempt(*, order_id: str, order_number: int, transaction_type: str, ref_number: str,
                session: WebConnectorSession, operation_id: int | None, message_set=None,
                request_id: str = "", total_amount: Decimal | None = None,
                currency: str = "", channel_slug: str = "") -> ExportRecord:
    """An unsaved ledger row for an order about to be sent (save it, or bulk-create many)."""
    return ExportRecord(
        order_id=order_id, order_number=order_number, channel_slug=channel_slug,
        transaction_type=transaction_type,
        ref_number=ref_number, state=ExportState.SENT, session=session,
        operation_id=operation_id, automatic=operation_id is None, message_set=message_set,
        request_id=request_id, total_amount=total_amount, currency=currency)


def record_attempt(**fields) -> ExportRecord:
    record = new_attempt(**fields)
    record.save()
    return record


class CauseKind(StrEnum):
    #: an account the settings name (or an item posts to) is missing or inactive in QuickBooks
    ACCOUNT = "account"
    #: an item is missing in QuickBooks and the export may not create it
    ITEM = "item"
    #: the sales tax item QuickBooks computes tax with is missing
    TAX_ITEM = "tax_item"
    #: the settings then in force (e.g. a RefNumber prefix too long): tried again once they change
    SETTINGS = "settings"
    #: QuickBooks busy or a record in use: tried again in the next session
    TRANSIENT = "transient"


#: causes that name a QuickBooks record a session can look up
NAMED_CAUSES = (CauseKind.ACCOUNT, CauseKind.ITEM, CauseKind.TAX_ITEM)


@dataclass(frozen=True, slots=True)
class Cause:
    """Why an attempt failed, in a form a later session can check: the cause is gone when the
    named record exists now, or the settings changed since (``Preferences.fingerprint``).
    Failures only a person can clear (closing date, a value QuickBooks rejects) have none."""

    kind: CauseKind
    #: ``Preferences.fingerprint()`` when it failed
    settings: str
    #: the account or item (QuickBooks' name)
    name: str = ""
    #: the setting that names it, if one does (a ``Preferences`` field)
    setting: str = ""

    def to_json(self) -> dict:
        return {"kind": self.kind.value, "settings": self.settings, "name": self.name,
                "setting": self.setting}

    @classmethod
    def from_json(cls, data: dict | None) -> Cause | None:
        try:
            return cls(CauseKind(data["kind"]), str(data.get("settings", "")),
                       str(data.get("name", "")), str(data.get("setting", "")))
        except (KeyError, TypeError, ValueError):
            return None

    def gone(self, fingerprint: str, present: Callable[[CauseKind, str], bool | None]) -> bool:
        """``present(kind, name)``: True/False when the session checked, None when it did not."""
        if self.kind == CauseKind.TRANSIENT or self.settings != fingerprint:
            return True
        return self.kind in NAMED_CAUSES and present(self.kind, self.name) is True


def _open_failures() -> QuerySet[ExportRecord]:
    """Automatic attempts that failed for a cause a later session may find gone."""
    return ExportRecord.objects.filter(state=ExportState.FAILED, automatic=True).exclude(
        cause={}).exclude(cause__has_key="released")


def has_retryable_failures() -> bool:
    return _open_failures().exists()


def open_causes(limit: int = 200) -> list[Cause]:
    """The distinct causes automatic failures wait on (a session looks up the names)."""
    seen: dict[tuple, Cause] = {}
    for data in _open_failures().order_by("-id").values_list("cause", flat=True)[:limit * 5]:
        cause = Cause.from_json(data)
        if cause is not None:
            seen.setdefault((cause.kind, cause.name.casefold()), cause)
        if len(seen) >= limit:
            break
    return list(seen.values())


def release_resolved_failures(fingerprint: str,
                              present: Callable[[CauseKind, str], bool | None]) -> int:
    """Automatic failures whose cause is gone become eligible for automatic mode again: their
    cause is marked ``released`` (the attempt stays in the history as it was)."""
    now = timezone.now()
    released = [record for record in _open_failures().only("pk", "cause")
                if (cause := Cause.from_json(record.cause)) is not None
                and cause.gone(fingerprint, present)]
    for record in released:
        record.cause = {**record.cause, "released": now.isoformat()}
    ExportRecord.objects.bulk_update(released, ["cause"])
    return len(released)


@dataclass(slots=True)
class Outcome:
    """What QuickBooks did with one attempt: ``done`` with a TxnID, or failed with a reason."""

    record: ExportRecord
    done: bool
    txn_id: str = ""
    status_code: int | None = None
    message: str = ""
    action: str = ""
    linked_existing: bool = False
    cause: Cause | None = None


def record_outcomes(outcomes: list[Outcome]) -> None:
    """Write many answers at once: ledger rows, "exported now", pending items, operations.

    A constant number of statements per call, however many orders a response carries."""
    if not outcomes:
        return
    now = timezone.now()
    with transaction.atomic():
        for outcome in outcomes:
            record = outcome.record
            record.state = ExportState.DONE if outcome.done else ExportState.FAILED
            record.txn_id = outcome.txn_id or record.txn_id
            record.status_code = outcome.status_code
            record.status_message = outcome.message
            record.action = outcome.action
            record.linked_existing = outcome.linked_existing
            record.cause = outcome.cause.to_json() if outcome.cause else {}
            record.updated_at = now
        # one pipelined statement per row: much cheaper than bulk_update's CASE expressions
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {ExportRecord._meta.db_table} SET state = %s, txn_id = %s, "  # noqa: S608 - table name from our model
                "status_code = %s, status_message = %s, action = %s, linked_existing = %s, "
                "cause = %s::jsonb, updated_at = %s WHERE id = %s",
                [(r.state, r.txn_id, r.status_code, r.status_message, r.action,
                  r.linked_existing, json.dumps(r.cause), r.updated_at, r.pk)
                 for r in (o.record for o in outcomes)])
        done = [o.record for o in outcomes if o.done]
        ExportedOrder.objects.bulk_create(
            [ExportedOrder(order_id=r.order_id, order_number=r.order_number, record=r,
                           exported_at=now) for r in done],
            update_conflicts=True, unique_fields=["order_id"],
            update_fields=["order_number", "record", "exported_at"])
        operation_ids: set[int] = set()
        for state, group in ((ItemState.DONE, done),
                             (ItemState.FAILED, [o.record for o in outcomes if not o.done])):
            if group:
                operation_ids |= _finish_items(group, state, now)
        for operation_id in sorted(operation_ids):
            finish_operation_if_complete(operation_id)


def record_success(record: ExportRecord, *, txn_id: str, status_code: int = 0,
                   message: str = "", linked_existing: bool = False) -> None:
    """The order is in QuickBooks: the ledger says so, once, and the pending item is done."""
    record_outcomes([Outcome(record, True, txn_id=txn_id, status_code=status_code,
                             message=message, linked_existing=linked_existing)])


def record_failure(record: ExportRecord, *, status_code: int | None, message: str,
                   action: str = "", cause: Cause | None = None) -> None:
    record_outcomes([Outcome(record, False, status_code=status_code, message=message,
                             action=action, cause=cause)])


def fail_unsent(claim: Claim, *, session: WebConnectorSession, transaction_type: str,
                ref_number: str, message: str, code: str,
                cause: Cause | None = None) -> ExportRecord:
    """An order that could not even be sent (mapping failed): recorded with its reason."""
    record = ExportRecord.objects.create(
        order_id=claim.order_id, order_number=claim.order_number,
        channel_slug=claim.channel_slug, transaction_type=transaction_type,
        ref_number=ref_number[:11], session=session,
        operation_id=claim.operation_id, automatic=claim.operation_id is None,
        state=ExportState.FAILED, status_message=message, action=code,
        cause=cause.to_json() if cause else {})
    for operation_id in _finish_items([record], ItemState.FAILED, timezone.now()):
        finish_operation_if_complete(operation_id)
    return record


def _finish_items(records: list[ExportRecord], state: str, now: datetime) -> set[int]:
    """Finish each order's item in its operation, and its twins claimed with it; returns the
    operations touched."""
    operations = {r.operation_id for r in records if r.operation_id}
    sessions = {r.session_id for r in records if r.session_id}
    items = PendingOperationOrder.objects.filter(
        Q(operation_id__in=operations) | Q(session_id__in=sessions, state=ItemState.CLAIMED),
        order_id__in=[r.order_id for r in records])
    operation_ids = set(items.values_list("operation_id", flat=True))
    items.update(state=state, finished_at=now)
    return operation_ids


def finish_operation_if_complete(operation_id: int) -> None:
    # called once per order: the common case (orders still open) must stay an index probe
    if PendingOperationOrder.objects.filter(
            operation_id=operation_id,
            state__in=[ItemState.PENDING, ItemState.CLAIMED]).exists():
        return
    counts = PendingOperationOrder.objects.filter(operation_id=operation_id).aggregate(
        open=Count("pk", filter=Q(state__in=[ItemState.PENDING, ItemState.CLAIMED])),
        done=Count("pk", filter=Q(state=ItemState.DONE)),
        failed=Count("pk", filter=Q(state=ItemState.FAILED)))
    if counts["open"]:
        return
    status = OperationStatus.FAILED if counts["failed"] and not counts["done"] else (
        OperationStatus.DONE)
    summary = f"{counts['done']} exported" + (
        f", {counts['failed']} failed" if counts["failed"] else "")
    PendingOperation.objects.filter(pk=operation_id).exclude(
        status=OperationStatus.DELETED).update(
        status=status, completed_at=timezone.now(), summary=summary)


def reset_orders(order_ids: Iterable[str], actor: Actor) -> int:
    """Mark orders as not exported (a store switching tools); recorded in the ledger."""
    ids = parse_order_ids(order_ids)
    if not ids:
        raise TransferError("Choose at least one order.", field="orderIds",
                            code="empty_selection")
    with transaction.atomic():
        current = ExportedOrder.objects.select_for_update().select_related("record").filter(
            order_id__in=ids)
        if actor.channels is not None:  # staff limited to some channels reset only those
            current = current.filter(record__channel_slug__in=actor.channels)
        current = list(current)
        for row in current:
            ExportRecord.objects.create(
                order_id=row.order_id, order_number=row.order_number,
                transaction_type=row.record.transaction_type, ref_number=row.record.ref_number,
                txn_id=row.record.txn_id, state=ExportState.RESET,
                status_message=f"Marked as not exported by {actor.label}",
                reset_by_email=actor.email)
        ExportedOrder.objects.filter(order_id__in=[r.order_id for r in current]).delete()
    return len(current)


def failed_order_ids(channels: tuple[str, ...] | None = None) -> list[str]:
    """Orders whose export failed and that are neither in QuickBooks nor on their way there."""
    in_flight = ExportRecord.objects.filter(state__in=[
        ExportState.QUEUED, ExportState.SENT, ExportState.NEEDS_RECONCILING]).values("order_id")
    qs = (ExportRecord.objects.filter(state=ExportState.FAILED)
          .exclude(order_id__in=ExportedOrder.objects.values("order_id"))
          .exclude(order_id__in=in_flight))
    if channels is not None:
        qs = qs.filter(channel_slug__in=channels)
    return [str(pk) for pk in qs.order_by("order_id").values_list("order_id", flat=True)
            .distinct()[:MAX_QUEUE_SIZE + 1]]


def retry_failed_orders(source: OrderSource, preferences: Preferences, actor: Actor,
                        order_ids: Iterable[str] | None = None) -> PendingOperation:
    """Queue failed orders again as one pending operation: the ones named, or every failed
    order the actor may see that can still be exported and does not wait already."""
    failed = set(failed_order_ids(actor.channels))
    if order_ids is not None:
        ids = parse_order_ids(order_ids)
        if not ids:
            raise TransferError("Choose at least one order to retry.", field="orderIds",
                                code="empty_selection")
        if not_failed := [i for i in ids if i not in failed]:
            raise TransferError(
                plural(len(not_failed), "of the chosen orders has", "of the chosen orders have")
                + " not failed (or are in QuickBooks, on their way there, or in a channel you "
                "cannot see): " + ", ".join(to_global_id("Order", i) for i in not_failed[:5]),
                field="orderIds", code="not_failed")
        return queue_orders(source, preferences, actor, ids)
    if len(failed) > MAX_QUEUE_SIZE:
        raise TransferError(f"More than {MAX_QUEUE_SIZE} orders failed; retry them by page.",
                            field="orderIds", code="too_many")
    flt = OrderFilter(order_ids=tuple(sorted(failed)), include_exported=True, any_status=True,
                      allowed_channels=actor.channels)
    summaries, _ = source.search(flt, offset=0, limit=max(len(failed), 1)) if failed else ([], 0)
    waiting = queued_order_ids([s.order_id for s in summaries])
    refs = [OrderRef(s.order_id, s.number, s.channel_slug) for s in summaries
            if s.order_id not in waiting and ineligibility(s, preferences) is None]
    if not refs:
        raise TransferError("No failed order can be retried now (none failed, or they wait in "
                            "a pending operation already, or no longer match the settings).",
                            field="orderIds", code="empty_selection")
    return _create_operation(actor, sorted(refs, key=lambda r: r.number),
                             request={"retryFailed": True})


def history(*, state: str | None = None, order_number: int | None = None,
            order_id: str | None = None, offset: int = 0, limit: int = 50,
            channels: tuple[str, ...] | None = None) -> tuple[list[ExportRecord], int]:
    qs = ExportRecord.objects.all()
    if channels is not None:
        qs = qs.filter(channel_slug__in=channels)
    if state:
        if state not in ExportState.values:
            raise TransferError(f"{state!r} is not an export state.", field="state",
                                code="invalid")
        qs = qs.filter(state=state)
    if order_number is not None:
        qs = qs.filter(order_number=order_number)
    if order_id:
        qs = qs.filter(order_id=parse_order_ids([order_id], field="orderId")[0])
    return list(qs.order_by("-created_at", "-id")[offset:offset + limit]), qs.count()
