"""Transfers: preview, queue, pending operations and automatic selection.

This is the on-demand order transfer of the product: a person filters orders (customer, dates,
previously exported or not), previews them, unchecks some and queues the rest as one pending
operation; Web Connector picks it up on its next run. In automatic mode every eligible order
that is not in QuickBooks yet is picked up without anyone queuing it.

Every function takes the ``OrderSource`` (the host's orders) explicitly; orders are stored by
their Saleor UUID. What was sent and what QuickBooks answered is the ledger's
(``ledger.py``): this module queues and resets through it, and reads it for the history.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from . import clock, ledger, mappings
from .company import known_currencies
from .counting import count_alongside
from .documents import OrderDocument
from .errors import MappingError, TransferError
from .models import (
    OPEN_OPERATION_STATUSES,
    ExportedOrder,
    ExportRecord,
    ExportState,
    FollowUpKind,
    ItemState,
    OperationKind,
    OperationStatus,
    PendingOperation,
    PendingOperationOrder,
    queued_items,
)
from .order_source import OneOf, OrderFilter, OrderRef, OrderSource, OrderSummary
from .preferences import NEVER_EXPORTED_STATUSES, ExportMode, Preferences
from .qbxml.currency import CompanyCurrencies
from .qbxml.mapping import Plan, plan_order
from .qbxml.records import NO_MAPPINGS, NameMappings
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
    #: the QuickBooks customer its transaction would name (a mapped one first); None when it
    #: cannot be exported
    quickbooks_customer: str | None = None


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


def automatic_work(preferences: Preferences) -> OrderFilter | None:
    """The orders automatic mode takes unqueued, or None when the store exports on demand."""
    return automatic_filter(preferences) if preferences.is_automatic else None


# --- preview ----------------------------------------------------------------------------------


def preview(source: OrderSource, preferences: Preferences, flt: OrderFilter, *,
            offset: int = 0, limit: int = 100) -> PreviewPage:
    queued = None
    if flt.skip_queued and not queued_items().exists():
        # nothing waits in a pending operation (the usual state between Web Connector runs):
        # no match is left out for it, so neither the count nor the page asks about the queue
        flt = replace(flt, skip_queued=False)
    elif flt.skip_queued:
        queued = count_alongside(source.filtered(replace(flt, skip_queued=False,
                                                         only_queued=True)))
    # the number of all matches is counted beside the page (counting.py): half its time
    total = count_alongside(source.filtered(flt))
    summaries = source.search(flt, offset=offset, limit=limit)
    ids = [s.order_id for s in summaries]
    documents = source.load(ids)
    last = last_exports(ids)
    currencies = known_currencies()
    by_hand = mappings.current() if documents else NO_MAPPINGS
    rows = []
    for summary in summaries:
        document = documents.get(summary.order_id)
        plan, warnings = (_plan(document, preferences, currencies, by_hand) if document
                          else (None, ()))
        rows.append(PreviewRow(
            order=summary,
            exported=summary.order_id in last,
            last_export=last.get(summary.order_id),
            planned_transaction_type=plan.kind.value if plan else None,
            warnings=warnings,
            quickbooks_customer=plan.customer_name if plan else None,
        ))
    return PreviewPage(rows=rows, total=total(), queued=queued() if queued else 0)


def _plan(document: OrderDocument, preferences: Preferences, currencies: CompanyCurrencies,
          by_hand: NameMappings) -> tuple[Plan | None, tuple[str, ...]]:
    warnings: list[str] = []
    if preferences.export_start_date:
        local = document.created_at.astimezone(ZoneInfo(preferences.time_zone)).date()
        if local < preferences.export_start_date:
            warnings.append(f"the order is older than the export start date "
                            f"({preferences.export_start_date.isoformat()})")
    try:
        # the checks and warnings of the mapping, without the records a preview does not show
        plan = plan_order(document, preferences, currencies, by_hand)
    except MappingError as exc:
        return None, (*warnings, f"cannot be exported: {exc.message}")
    return plan, (*warnings, *plan.warnings)


def last_exports(order_ids: Sequence[str]) -> dict[str, LastExport]:
    """For each order in QuickBooks now: when and as what it was exported."""
    rows = (ExportedOrder.objects.filter(OneOf("order_id", order_ids))
            .values_list("order_id", "exported_at", "record__transaction_type",
                         "record__txn_id", "record__ref_number"))
    return {
        str(order_id): LastExport(at=at, transaction_type=kind, txn_id=txn_id,
                                  ref_number=ref)
        for order_id, at, kind, txn_id, ref in rows
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
    #: the QuickBooks documents that followed its transaction (each attempt), newest first
    documents: tuple = ()
    #: what changed in Saleor since its export (``edits.SinceExport``), None when not followed
    since_export: object = None

    @property
    def payments(self) -> tuple:
        return tuple(d for d in self.documents if d.kind == FollowUpKind.PAYMENT)


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
                            automatic_note=note, documents=tuple(ledger.follow_ups_of(ids[0])))


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


def chosen_orders(source: OrderSource, actor: Actor, order_ids: Iterable[str], *,
                   empty: str) -> tuple[list[str], dict[str, OrderSummary]]:
    """The chosen orders' UUIDs and summaries; refuses an empty choice (saying ``empty``) and
    orders that do not exist or are in a channel the actor cannot see."""
    ids = parse_order_ids(order_ids)
    if not ids:
        raise TransferError(empty, field="orderIds", code="empty_selection")
    flt = OrderFilter(order_ids=tuple(ids), include_exported=True, any_status=True,
                      allowed_channels=actor.channels)
    summaries = source.search(flt, offset=0, limit=len(ids))
    found = {summary.order_id: summary for summary in summaries}
    missing = [i for i in ids if i not in found]
    if missing:
        raise TransferError(
            f"{plural(len(missing), 'of the chosen orders does', 'of the chosen orders do')} "
            f"not exist or {'is' if len(missing) == 1 else 'are'} in a channel you cannot see: "
            + ", ".join(to_global_id("Order", i) for i in missing[:5])
            + (" ..." if len(missing) > 5 else ""),
            field="orderIds", code="not_found")
    return ids, found


def queue_orders(source: OrderSource, preferences: Preferences, actor: Actor,
                 order_ids: Iterable[str]) -> PendingOperation:
    """Queue exactly these orders (Saleor global ids or UUIDs)."""
    ids, found = chosen_orders(source, actor, order_ids,
                                empty="Choose at least one order to transfer.")
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


def queue_follow_ups(source: OrderSource, preferences: Preferences, actor: Actor,
                     order_ids: Iterable[str]) -> PendingOperation:
    """On demand: queue what Saleor did since on these orders in QuickBooks (payments, refunds,
    voids) for the next Web Connector update, as one pending operation."""
    if preferences.is_automatic:
        raise TransferError(
            "Automatic mode sends payments, refunds and voids with every Web Connector update; "
            "there is nothing to queue.", field="orderIds", code="automatic_mode")
    ids, found = chosen_orders(source, actor, order_ids, empty="Choose at least one order.")
    in_quickbooks = {str(pk) for pk in ExportedOrder.objects.filter(order_id__in=ids)
                     .values_list("order_id", flat=True)}
    if absent := [i for i in ids if i not in in_quickbooks]:
        raise TransferError(
            "Not in QuickBooks yet, so nothing can follow it there: order "
            + ", ".join(f"#{found[i].number}" for i in absent[:5])
            + ". Transfer the order first.", field="orderIds", code="not_exported")
    waiting = {str(pk) for pk in queued_items(OperationKind.FOLLOW_UPS).filter(order_id__in=ids)
               .values_list("order_id", flat=True)}
    if waiting:
        raise TransferError(
            "Already waiting for the next Web Connector update: the payments and refunds of "
            "order " + ", ".join(f"#{found[i].number}" for i in ids if i in waiting)
            + " (see Pending operations); nothing was queued.",
            field="orderIds", code="already_queued")
    refs = [OrderRef(i, found[i].number, found[i].channel_slug) for i in ids]
    return ledger.queue(refs, user_id=actor.user_id, email=actor.email, app=actor.app,
                        request={"orderIds": ids}, kind=OperationKind.FOLLOW_UPS,
                        summary=f"payments, refunds and voids of "
                        f"{plural(len(refs), 'order', 'orders')} queued by {actor.label}")


def queue_lists_refresh(actor: Actor, *, full: bool = False) -> PendingOperation:
    """Ask the next Web Connector update to read QuickBooks' lists (what changed since the last
    read; ``full``: all of them, which also drops what was deleted in QuickBooks), as a pending
    operation without orders, deletable until it is picked up."""
    if ledger.list_refresh_waiting():
        raise TransferError(
            "A refresh of the QuickBooks lists already waits for the next Web Connector update "
            "(see Pending operations); nothing was queued.", field=None, code="already_queued")
    return ledger.queue([], user_id=actor.user_id, email=actor.email, app=actor.app,
                        request={"full": full}, kind=OperationKind.REFRESH_LISTS,
                        summary=f"{'full ' if full else ''}refresh of the QuickBooks lists "
                        f"queued by {actor.label}")


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
    return ledger.queue(orders, user_id=actor.user_id, email=actor.email, app=actor.app,
                        request=request,
                        summary=f"{plural(len(orders), 'order', 'orders')} queued by {actor.label}")


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
        now = clock.now()
        for op in operations:
            op.status = OperationStatus.DELETED
            op.deleted_at = now
            op.summary = f"{op.summary}; deleted by {actor.label}"
            op.save(update_fields=["status", "deleted_at", "summary"])
    return operations


def queued_counts() -> tuple[int, int]:
    """(queued or running operations, orders in them still waiting)."""
    operations = PendingOperation.objects.filter(status__in=OPEN_OPERATION_STATUSES).count()
    return operations, queued_items().count()


def reset_orders(order_ids: Iterable[str], actor: Actor) -> int:
    """Mark orders as not exported (a store switching tools); recorded in the ledger."""
    ids = parse_order_ids(order_ids)
    if not ids:
        raise TransferError("Choose at least one order.", field="orderIds",
                            code="empty_selection")
    return ledger.mark_not_exported(ids, by_label=actor.label, by_email=actor.email,
                                    channels=actor.channels)


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
    summaries = source.search(flt, offset=0, limit=len(failed))
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
            channels: tuple[str, ...] | None = None,
            changed_since_export: bool | None = None) -> tuple[list[ExportRecord], int]:
    # the attempt that put its order in QuickBooks, when the order changed since in Saleor
    changed = ExportedOrder.objects.filter(record_id=OuterRef("pk")).exclude(changes=[])
    qs = ExportRecord.objects.annotate(changed_since_export=Exists(changed))
    if changed_since_export is not None:
        qs = qs.filter(changed_since_export=changed_since_export)
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
