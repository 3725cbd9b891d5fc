"""The ledger: the only module that writes export records, exported orders and claims.

What it owns:

- ``ExportRecord``: one row per attempt to put an order into QuickBooks, and its outcome;
- ``ExportedOrder``: which orders are in QuickBooks now (the attempt that put each one there);
- ``PendingOperationOrder``: the orders of a pending operation, and which Web Connector session
  holds (claims) each one; with them the operation's own progress (picked up, finished);
- ``FollowUpRecord``: one row per attempt at a document that follows an order's transaction
  into QuickBooks (a payment against its invoice, a credit memo, a refund, a void), and
  ``ExportedOrder.payments_checked_at`` (when its charges were last compared).

The export engine asks the ledger (claim these orders, this attempt was sent, QuickBooks said
this, that answer was lost) and never updates those tables itself; the transfer screens queue
and reset through it. Every write reads the one clock (``clock.now``). Each function runs a
constant number of statements however many orders it is given, so a round trip of 250 orders
costs what a round trip of 10 costs.

The rule it keeps: an order (or a payment) counts as in QuickBooks only on a real confirmation
(a TxnID QuickBooks returned, or a transaction found in QuickBooks carrying our ExternalGUID or
memo).
An attempt whose answer never came is ``NEEDS_RECONCILING`` until QuickBooks is asked.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.db import connection, transaction
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from . import clock
from .models import (
    LIVE_FOLLOW_UP_STATES,
    OPEN_OPERATION_STATUSES,
    ExportedOrder,
    ExportRecord,
    ExportState,
    FollowUpKind,
    FollowUpRecord,
    ItemState,
    MessageSet,
    OperationKind,
    OperationStatus,
    PendingOperation,
    PendingOperationOrder,
    WebConnectorSession,
)
from .order_source import OneOf, OrderFilter, OrderRef, OrderSource
from .qbxml.payments import Received
from .qbxml.records import OrderOnFile, TxnKind

#: ``ExportRecord.ref_number``'s width: a RefNumber too long for QuickBooks is itself the reason
#: an order failed, and is recorded cut to the column
_REF_NUMBER_COLUMN = ExportRecord._meta.get_field("ref_number").max_length


# --- claims: which session holds which order ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    order_id: str
    order_number: int
    operation_id: int | None  # None for automatic mode
    channel_slug: str = ""

    def to_json(self) -> list:
        return [self.order_id, self.order_number, self.operation_id, self.channel_slug]

    @classmethod
    def from_json(cls, row: Sequence) -> Claim:
        return cls(str(row[0]), int(row[1]), row[2], str(row[3]) if len(row) > 3 else "")


#: a queue of at least this many orders refreshes the planner's statistics of the queue
LARGE_QUEUE = 1000


def queue(orders: Sequence[OrderRef], *, user_id: str, email: str, app: str, request: dict,
          summary: str, kind: str = OperationKind.PUSH_ORDERS) -> PendingOperation:
    """A new pending operation holding ``orders``, waiting for the next Web Connector update:
    their export (``PUSH_ORDERS``) or, on demand, what followed it (``FOLLOW_UPS``)."""
    with transaction.atomic():
        operation = PendingOperation.objects.create(
            kind=kind, created_by_user_id=user_id, created_by_email=email, created_by_app=app,
            request=request, summary=summary, created_at=clock.now())
        PendingOperationOrder.objects.bulk_create(
            [PendingOperationOrder(operation=operation, order_id=ref.order_id,
                                   order_number=ref.number, channel_slug=ref.channel_slug)
             for ref in orders], batch_size=2000)
        if len(orders) >= LARGE_QUEUE:
            transaction.on_commit(_analyze_queue, robust=True)
    return operation


def _analyze_queue() -> None:
    """Statistics of the queue tables as they are now. Every preview leaves out queued orders
    (``order_source.is_queued``); planned on statistics from before a large queue (autovacuum
    may be slow, or off), that anti-join became a nested loop over every queued order for each
    order listed: 28,589 queued orders took a page of 100 from 0.1 s to over a second."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PendingOperationOrder._meta.db_table}, "
                       f"{PendingOperation._meta.db_table}")


def waiting_items(kind: str = OperationKind.PUSH_ORDERS) -> QuerySet[PendingOperationOrder]:
    """Orders of open operations (of ``kind``) that no Web Connector session holds yet."""
    return PendingOperationOrder.objects.filter(state=ItemState.PENDING, operation__kind=kind,
                                                operation__status__in=OPEN_OPERATION_STATUSES)


def claim_orders(session: WebConnectorSession, source: OrderSource, limit: int, *,
                 automatic: OrderFilter | None = None) -> list[Claim]:
    """Hand up to ``limit`` orders to this session; no order is ever handed to two sessions.

    Queued operations come first (row locks with SKIP LOCKED, so concurrent workers split the
    work), then, in automatic mode (``automatic``: the orders it takes), eligible orders nobody
    queued; that filter leaves out queued orders in the database (``skip_queued``), since they
    are the queue's to hand out and another session may hold them now.
    """
    claims: list[Claim] = []
    now = clock.now()
    active = OPEN_OPERATION_STATUSES
    #: (pk, order_id, order_number, operation_id, channel_slug) of each item: a wave claims a
    #: thousand, and rows cost less than model instances
    fields = ("pk", "order_id", "order_number", "operation_id", "channel_slug")
    with transaction.atomic():
        items = list(
            PendingOperationOrder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=ItemState.PENDING, operation__status__in=active,
                    operation__kind=OperationKind.PUSH_ORDERS)
            .order_by("operation__created_at", "operation_id", "order_number")
            .values_list(*fields)[:limit])
        if items:
            # The same order queued in several operations is sent once: its twins in other
            # operations are claimed with it and finish with it (see ``_finish_items``).
            twins = list(
                PendingOperationOrder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(OneOf("order_id", {order_id for _, order_id, *_ in items}),
                        state=ItemState.PENDING, operation__status__in=active,
                        operation__kind=OperationKind.PUSH_ORDERS)
                .exclude(OneOf("pk", [pk for pk, *_ in items], "bigint"))
                .values_list(*fields))
            items += twins
            # The status read above may predate a delete committed since; lock the operations
            # (in pk order, as every claimer does) and read it again.
            live = set(PendingOperation.objects.select_for_update()
                       .filter(pk__in={item[3] for item in items}, status__in=active)
                       .order_by("pk").values_list("pk", flat=True))
            items = [item for item in items if item[3] in live]
        if items:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {PendingOperationOrder._meta.db_table} SET state = %s, "  # noqa: S608 - names from our model
                    "session_id = %s, claimed_at = %s WHERE id = ANY(%s::bigint[])",
                    [ItemState.CLAIMED, session.pk, now, _array(pk for pk, *_ in items)])
            PendingOperation.objects.filter(
                pk__in={item[3] for item in items}, status=OperationStatus.QUEUED,
            ).update(status=OperationStatus.IN_PROGRESS, picked_up_at=now)
        seen: set[str] = set()
        for _, order_id, number, operation_id, channel in items:
            if str(order_id) not in seen:
                seen.add(str(order_id))
                claims.append(Claim(str(order_id), number, operation_id, channel))
    if automatic is not None and len(claims) < limit:
        claims.extend(Claim(ref.order_id, ref.number, None, ref.channel_slug)
                      for ref in source.search_ids(automatic, limit=limit - len(claims)))
    return claims


def claim_follow_ups(session: WebConnectorSession) -> list[str]:
    """On demand: the orders staff queued for their payments, refunds and voids, handed to
    this session (with those it already holds), oldest operation first. Comparing an order
    twice sends nothing twice (the follow-up ledger), so an order in two operations, or one a
    dropped session held, is simply compared again."""
    now = clock.now()
    with transaction.atomic():
        items = list(
            PendingOperationOrder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=ItemState.PENDING, operation__kind=OperationKind.FOLLOW_UPS,
                    operation__status__in=OPEN_OPERATION_STATUSES)
            .values_list("pk", "operation_id"))
        if items:
            PendingOperationOrder.objects.filter(pk__in=[pk for pk, _ in items]).update(
                state=ItemState.CLAIMED, session=session, claimed_at=now)
            PendingOperation.objects.filter(
                pk__in={op for _, op in items}, status=OperationStatus.QUEUED,
            ).update(status=OperationStatus.IN_PROGRESS, picked_up_at=now)
    held = (PendingOperationOrder.objects
            .filter(session=session, state=ItemState.CLAIMED,
                    operation__kind=OperationKind.FOLLOW_UPS)
            .order_by("operation__created_at", "order_number").values_list("order_id", flat=True))
    return list(dict.fromkeys(str(order_id) for order_id in held))


def finish_follow_ups(session: WebConnectorSession) -> None:
    """This session compared and sent all it could of the follow-ups it held: their items are
    done, and operations with nothing left waiting too."""
    now = clock.now()
    items = PendingOperationOrder.objects.filter(
        session=session, state=ItemState.CLAIMED, operation__kind=OperationKind.FOLLOW_UPS)
    operations = set(items.values_list("operation_id", flat=True))
    items.update(state=ItemState.DONE, finished_at=now)
    _finish_operations(operations, now)


def claim_list_refreshes() -> list[tuple[int, dict]]:
    """The "Refresh QuickBooks lists" operations staff queued (or a dropped session held:
    they hold no orders, so one not finished is simply taken again), now in progress: each
    one's id and what was asked (``{"full": bool}``)."""
    now = clock.now()
    with transaction.atomic():
        claimed = list(PendingOperation.objects.select_for_update(skip_locked=True)
                       .filter(kind=OperationKind.REFRESH_LISTS,
                               status__in=OPEN_OPERATION_STATUSES)
                       .order_by("created_at", "id").values_list("pk", "request"))
        if claimed:
            PendingOperation.objects.filter(pk__in=[pk for pk, _ in claimed],
                                            status=OperationStatus.QUEUED).update(
                status=OperationStatus.IN_PROGRESS, picked_up_at=now)
    return [(pk, request or {}) for pk, request in claimed]


def finish_list_refreshes(ids: Sequence[int], summary: str) -> None:
    """The lists were read (``summary`` says what): those operations are done."""
    if ids:
        PendingOperation.objects.filter(pk__in=list(ids)).exclude(
            status=OperationStatus.DELETED).update(status=OperationStatus.DONE,
                                                   completed_at=clock.now(), summary=summary)


def list_refresh_waiting() -> bool:
    return PendingOperation.objects.filter(kind=OperationKind.REFRESH_LISTS,
                                           status__in=OPEN_OPERATION_STATUSES).exists()


def release_claims(session: WebConnectorSession, order_ids: Iterable[str] | None = None) -> int:
    """Give claimed but unsent orders back to the queue (session ended before sending them)."""
    qs = PendingOperationOrder.objects.filter(session=session, state=ItemState.CLAIMED)
    if order_ids is not None:
        qs = qs.filter(order_id__in=list(order_ids))
    return _requeue(qs)


def release_unsent(session: WebConnectorSession) -> int:
    """The session ends: what it claimed and has no attempt in flight for goes back."""
    in_flight = ExportRecord.objects.filter(
        session=session, state__in=[ExportState.SENT, ExportState.NEEDS_RECONCILING],
    ).values_list("order_id", flat=True)
    return _requeue(PendingOperationOrder.objects.filter(
        session=session, state=ItemState.CLAIMED).exclude(order_id__in=in_flight))


def _give_back(records: Sequence[ExportRecord]) -> None:
    """These attempts' orders are to be sent again: their claims return to the queue."""
    if not records:
        return
    _requeue(PendingOperationOrder.objects.filter(
        Q(operation_id__in={r.operation_id for r in records if r.operation_id})
        | Q(session_id__in={r.session_id for r in records if r.session_id},
            state=ItemState.CLAIMED),
        order_id__in=[r.order_id for r in records],
        state__in=[ItemState.PENDING, ItemState.CLAIMED]))


def _requeue(items: QuerySet[PendingOperationOrder]) -> int:
    """These orders wait for the next session again, held by none."""
    return items.update(state=ItemState.PENDING, session=None, claimed_at=None)


# --- attempts -----------------------------------------------------------------------------------


def new_attempt(*, order_id: str, order_number: int, transaction_type: str, ref_number: str,
                session: WebConnectorSession | None, operation_id: int | None, message_set=None,
                request_id: str = "", total_amount: Decimal | None = None,
                currency: str = "", channel_slug: str = "", customer_name: str = "",
                header: dict | None = None) -> ExportRecord:
    """An unsaved ledger row for an order about to be sent (``sent`` saves many at once);
    ``message_set``, if given, is saved already; ``header`` is what the transaction's header
    says (``qbxml/edits.header_of``)."""
    if message_set is not None and message_set.pk is None:
        raise ValueError("the message set of an attempt is saved before the attempt is made")
    now = clock.now()
    values = {
        "order_id": order_id, "order_number": order_number, "channel_slug": channel_slug,
        "transaction_type": transaction_type, "ref_number": ref_number,
        "state": ExportState.SENT, "session_id": session.pk if session is not None else None,
        "operation_id": operation_id,
        "automatic": operation_id is None,
        "message_set_id": message_set.pk if message_set is not None else None,
        "request_id": request_id, "total_amount": total_amount, "currency": currency,
        "customer_name": customer_name, "header": header or {}, "created_at": now,
        "updated_at": now}
    # every field in order, by its column's attribute: Django's quick path for a new row (a
    # write set makes 250; by keyword, with the related rows, each cost twice as much)
    return ExportRecord(*[values[name] if name in values else field.get_default()
                          for name, field in _ATTEMPT_FIELDS])


#: (attribute name, field) of each of ``ExportRecord``'s columns, in order
_ATTEMPT_FIELDS = tuple((f.attname, f) for f in ExportRecord._meta.concrete_fields)


def sent(attempts: list[ExportRecord]) -> list[ExportRecord]:
    """These attempts leave in a message set now (one statement); each gets its primary key."""
    if not attempts:
        return attempts
    columns = _columns(ExportRecord)
    names = ", ".join(column for column, _, _ in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ExportRecord._meta.db_table} ({names}) SELECT {names} "  # noqa: S608 - names from our model
            f"FROM json_to_recordset(%s::json) AS x({_types(columns)}) RETURNING id",
            [_rows(attempts, columns)])
        pks = [pk for pk, in cursor.fetchall()]
    for attempt, pk in zip(attempts, pks, strict=True):
        attempt.pk = pk
        attempt._state.adding = False
        attempt._state.db = connection.alias
    return attempts


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
    now = clock.now()
    released = [record for record in _open_failures().only("pk", "cause")
                if (cause := Cause.from_json(record.cause)) is not None
                and cause.gone(fingerprint, present)]
    for record in released:
        record.cause = {**record.cause, "released": now.isoformat()}
    ExportRecord.objects.bulk_update(released, ["cause"])
    return len(released)


# --- what QuickBooks said -----------------------------------------------------------------------


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
    now = clock.now()
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
        _write_states([o.record for o in outcomes])
        done = [o.record for o in outcomes if o.done]
        _exported_now(done, now)
        operation_ids: set[int] = set()
        for state, group in ((ItemState.DONE, done),
                             (ItemState.FAILED, [o.record for o in outcomes if not o.done])):
            if group:
                operation_ids |= _finish_items(group, state, now)
        _finish_operations(operation_ids, now)


def _write_states(records: Sequence[ExportRecord]) -> None:
    """Store the state fields of many attempts in one statement (the rows travel as one JSON
    document, much cheaper to send than ``bulk_update``'s CASE expressions)."""
    if not records:
        return
    latest = {record.pk: record for record in records}  # a record named twice: its last state
    columns = [_column(ExportRecord, name) for name in _STATE_FIELDS]
    assignments = ", ".join(f"{column} = x.{column}" for column, _, _ in columns[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ExportRecord._meta.db_table} AS t SET {assignments} "  # noqa: S608 - names from our model
            f"FROM json_to_recordset(%s::json) AS x({_types(columns)}) WHERE t.id = x.id",
            [_rows(latest.values(), columns)])


def _exported_now(records: Sequence[ExportRecord], now: datetime) -> None:
    """These orders are in QuickBooks now, put there by these attempts (one statement). Their
    refunds and cancellations count as compared now: the transaction was mapped from the order
    as it is, and the next sessions compare them in turn (``orders_for_refunds``), so a first
    sync of thousands of orders does not load each of them a second time."""
    if not records:
        return
    table = ExportedOrder._meta.db_table
    # the header QuickBooks has is the one just sent: nothing has changed since (edits.py)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (order_id, order_number, record_id, exported_at, "  # noqa: S608 - names from our model
            "refunds_checked_at, header, header_checked_at, changes, update_requested_by) "
            "SELECT order_id, order_number, record_id, %s, %s, coalesce(header, '{}'), %s, "
            "'[]', '' FROM json_to_recordset(%s::json) AS x(order_id uuid, "
            "order_number bigint, record_id bigint, header jsonb) ON CONFLICT (order_id) DO "
            "UPDATE SET order_number = EXCLUDED.order_number, record_id = EXCLUDED.record_id, "
            "exported_at = EXCLUDED.exported_at, "
            "refunds_checked_at = EXCLUDED.refunds_checked_at, header = EXCLUDED.header, "
            "header_checked_at = EXCLUDED.header_checked_at, changes = '[]', "
            "changes_noticed_at = NULL, update_requested_at = NULL, update_requested_by = ''",
            [now, now, now, _json([{"order_id": r.order_id, "order_number": r.order_number,
                                    "record_id": r.pk, "header": r.header or {}}
                                   for r in records])])


#: the fields ``_write_states`` stores (the primary key first)
_STATE_FIELDS = ("id", "state", "txn_id", "status_code", "status_message", "action",
                 "linked_existing", "automatic", "cause", "updated_at")


def _column(model, name: str) -> tuple[str, str, str]:
    """(column, its SQL type, the attribute holding its value) of a model field."""
    field = model._meta.get_field(name)
    return field.column, field.db_type(connection), field.attname


def _columns(model) -> list[tuple[str, str, str]]:
    """Every column of ``model`` but its primary key, as ``_column``."""
    return [(f.column, f.db_type(connection), f.attname)
            for f in model._meta.concrete_fields if not f.primary_key]


def _types(columns: Sequence[tuple[str, str, str]]) -> str:
    return ", ".join(f"{column} {db_type}" for column, db_type, _ in columns)


def _rows(objects: Iterable, columns: Sequence[tuple[str, str, str]]) -> str:
    """The objects' column values as one JSON array of objects, for ``json_to_recordset``."""
    return _json([{column: getattr(o, attname) for column, _, attname in columns}
                  for o in objects])


def _array(values: Iterable[uuid.UUID | str | int]) -> str:
    """A PostgreSQL array literal of UUIDs or integers (``'{1,2}'``, cast in the statement):
    one parameter however many values, where ``__in`` sends one per value."""
    return "{" + ",".join(str(value) for value in values) + "}"


def _json(value) -> str:
    return json.dumps(value, default=_plain, separators=(",", ":"))


def _plain(value):
    """What JSON lacks, as PostgreSQL reads it back exactly: UUIDs, Decimals, datetimes."""
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not stored by the ledger")


def record_success(record: ExportRecord, *, txn_id: str, status_code: int = 0,
                   message: str = "", linked_existing: bool = False) -> None:
    """The order is in QuickBooks: the ledger says so, once, and the pending item is done."""
    record_outcomes([Outcome(record, True, txn_id=txn_id, status_code=status_code,
                             message=message, linked_existing=linked_existing)])


def record_failure(record: ExportRecord, *, status_code: int | None, message: str,
                   action: str = "", cause: Cause | None = None) -> None:
    record_outcomes([Outcome(record, False, status_code=status_code, message=message,
                             action=action, cause=cause)])


@dataclass(frozen=True, slots=True)
class Unsent:
    """An order that could not even be sent (it cannot be mapped, QuickBooks lacks what it
    needs, it is already there under another document), with its reason."""

    claim: Claim
    message: str
    code: str
    transaction_type: str = ""
    ref_number: str = ""
    cause: Cause | None = None


def fail_unsent(session: WebConnectorSession, unsent: Sequence[Unsent]) -> list[ExportRecord]:
    """Record orders that failed before being sent, each with its reason (one statement for
    the rows, one for their pending items, one per operation finished)."""
    if not unsent:
        return []
    now = clock.now()
    with transaction.atomic():
        records = ExportRecord.objects.bulk_create([ExportRecord(
            order_id=u.claim.order_id, order_number=u.claim.order_number,
            channel_slug=u.claim.channel_slug, transaction_type=u.transaction_type,
            ref_number=u.ref_number[:_REF_NUMBER_COLUMN], session=session,
            operation_id=u.claim.operation_id, automatic=u.claim.operation_id is None,
            state=ExportState.FAILED, status_message=u.message, action=u.code,
            cause=u.cause.to_json() if u.cause else {}, created_at=now, updated_at=now)
            for u in unsent])
        _finish_operations(_finish_items(records, ItemState.FAILED, now), now)
    return records


def _finish_items(records: list[ExportRecord], state: str, now) -> set[int]:
    """Finish each order's item in its operation, and its twins claimed with it; returns the
    operations touched (one statement)."""
    operations = {r.operation_id for r in records if r.operation_id}
    sessions = {r.session_id for r in records if r.session_id}
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PendingOperationOrder._meta.db_table} SET state = %s, finished_at = %s "  # noqa: S608 - names from our model
            "WHERE order_id = ANY(%s::uuid[]) AND (operation_id = ANY(%s::bigint[]) "
            "OR (session_id = ANY(%s::bigint[]) AND state = %s)) RETURNING operation_id",
            [state, now, _array(r.order_id for r in records), _array(operations),
             _array(sessions), ItemState.CLAIMED])
        return {operation_id for operation_id, in cursor.fetchall()}


def _finish_operations(operation_ids: Iterable[int], now) -> None:
    """Operations with no order left waiting are done (or failed, when none got through)."""
    ids = sorted(set(operation_ids))
    if not ids:
        return
    finished = (PendingOperationOrder.objects.filter(operation_id__in=ids)
                .values("operation_id")
                .annotate(open=Count("pk", filter=Q(state__in=[ItemState.PENDING,
                                                               ItemState.CLAIMED])),
                          done=Count("pk", filter=Q(state=ItemState.DONE)),
                          failed=Count("pk", filter=Q(state=ItemState.FAILED)))
                .filter(open=0))
    follow_ups = set(PendingOperation.objects.filter(
        pk__in=ids, kind=OperationKind.FOLLOW_UPS).values_list("pk", flat=True))
    for counts in finished:
        status = OperationStatus.FAILED if counts["failed"] and not counts["done"] else (
            OperationStatus.DONE)
        summary = (f"{counts['done']} "
                   + ("compared; what was due was sent (see each order's documents)"
                      if counts["operation_id"] in follow_ups else "exported")
                   + (f", {counts['failed']} failed" if counts["failed"] else ""))
        PendingOperation.objects.filter(pk=counts["operation_id"]).exclude(
            status=OperationStatus.DELETED).update(status=status, completed_at=now,
                                                   summary=summary)


def finish_operation_if_complete(operation_id: int) -> None:
    _finish_operations([operation_id], clock.now())


# --- answers that did not come, or did not count ------------------------------------------------


def answers_lost(*, session: WebConnectorSession | None = None,
                 message_set: MessageSet | None = None) -> int:
    """The answer to these attempts never came (the session dropped, the answer was unreadable):
    whether QuickBooks has them is asked before they are ever sent again."""
    lost = 0
    for model in (ExportRecord, FollowUpRecord):
        qs = model.objects.filter(state=ExportState.SENT)
        qs = qs.filter(session=session) if session is not None else qs.filter(
            message_set=message_set)
        lost += qs.update(state=ExportState.NEEDS_RECONCILING, updated_at=clock.now())
    return lost


def unconfirmed(records: Sequence[tuple[ExportRecord, str]]) -> None:
    """QuickBooks answered these attempts with nothing that proves they were added: each is
    looked up (RefNumber and our ExternalGUID) before it is sent again."""
    now = clock.now()
    for record, message in records:
        record.state = ExportState.NEEDS_RECONCILING
        record.status_message = message
        record.updated_at = now
    _write_states([record for record, _ in records])


def to_reconcile(excluding: Iterable[int] = ()) -> QuerySet[ExportRecord]:
    """Attempts whose answer was lost, oldest first, except those named."""
    return ExportRecord.objects.filter(state=ExportState.NEEDS_RECONCILING).exclude(
        pk__in=list(excluding)).order_by("id")


def still_checking(records: Sequence[ExportRecord], message: str) -> None:
    """QuickBooks' answer about these could not be trusted: they wait for the next session."""
    ExportRecord.objects.filter(pk__in=[r.pk for r in records]).update(
        status_message=message, updated_at=clock.now())


def not_in_quickbooks(records: Sequence[ExportRecord], message: str, *, action: str) -> None:
    """QuickBooks processed nothing of these attempts (it does not have them, or it could not
    read the set): the attempts end and their orders wait to be sent again."""
    now = clock.now()
    for record in records:
        record.state = ExportState.FAILED
        record.status_message = message
        record.action = action
        record.automatic = False
        record.updated_at = now
    with transaction.atomic():
        _write_states(records)
        _give_back(records)


def withdraw(message_set: MessageSet, reason: str) -> list[ExportRecord]:
    """QuickBooks processed nothing of this set: its attempts end, the orders go back."""
    records = list(ExportRecord.objects.filter(message_set=message_set, state=ExportState.SENT))
    not_in_quickbooks(records, f"Not processed: {reason}", action="resent")
    follow_ups_not_in_quickbooks(
        list(FollowUpRecord.objects.filter(message_set=message_set, state=ExportState.SENT)),
        f"Not processed: {reason}")
    return records


def sent_in(message_set: MessageSet) -> list[ExportRecord]:
    """The attempts of a set still waiting for an answer."""
    return list(ExportRecord.objects.filter(message_set=message_set, state=ExportState.SENT))


def retried(records: Sequence[tuple[ExportRecord, int, str]]) -> None:
    """These attempts failed on a name we believed QuickBooks had (3140): each ends, and its
    order, still claimed by the session, is sent once more with the name added."""
    now = clock.now()
    for record, status_code, message in records:
        record.state = ExportState.FAILED
        record.status_code = status_code
        record.status_message = message
        record.action = "retried"
        record.updated_at = now
    _write_states([record for record, _, _ in records])


# --- staff actions ------------------------------------------------------------------------------


def mark_not_exported(order_ids: Sequence[str], *, by_label: str, by_email: str,
                      channels: tuple[str, ...] | None) -> int:
    """Orders are no longer counted as in QuickBooks (a store switching tools); each reset is
    an entry of its own in the history."""
    now = clock.now()
    with transaction.atomic():
        current = ExportedOrder.objects.select_for_update().select_related("record").filter(
            order_id__in=list(order_ids))
        if channels is not None:  # staff limited to some channels reset only those
            current = current.filter(record__channel_slug__in=channels)
        current = list(current)
        ExportRecord.objects.bulk_create([ExportRecord(
            order_id=row.order_id, order_number=row.order_number,
            transaction_type=row.record.transaction_type, ref_number=row.record.ref_number,
            txn_id=row.record.txn_id, state=ExportState.RESET,
            status_message=f"Marked as not exported by {by_label}",
            reset_by_email=by_email, created_at=now, updated_at=now) for row in current])
        ExportedOrder.objects.filter(order_id__in=[r.order_id for r in current]).delete()
    return len(current)


def attempts(pks: Iterable[int]) -> dict[int, ExportRecord]:
    """Attempts by primary key (the records a write set's requests stand for)."""
    pks = list(pks)
    return {record.pk: record for record in
            ExportRecord.objects.filter(OneOf("pk", pks, "bigint"))} if pks else {}


def latest_attempts(session: WebConnectorSession) -> dict[str, ExportRecord]:
    """Each order's latest attempt in this session (a dry run reads what its session did)."""
    latest: dict[str, ExportRecord] = {}
    for record in ExportRecord.objects.filter(session=session).order_by("id"):
        latest[str(record.order_id)] = record
    return latest


def first_order_numbers(operation_pks: Sequence[int], shown: int) -> dict[int, list[int]]:
    """The ``shown`` lowest order numbers of each operation, in one query."""
    numbers: dict[int, list[int]] = {pk: [] for pk in operation_pks}
    rows = (PendingOperationOrder.objects.filter(operation_id__in=list(operation_pks))
            .annotate(position=Window(RowNumber(), partition_by=[F("operation_id")],
                                      order_by=F("order_number").asc()))
            .filter(position__lte=shown)
            .order_by("operation_id", "order_number")
            .values_list("operation_id", "order_number"))
    for operation_id, number in rows:
        numbers[operation_id].append(number)
    return numbers


# --- what follows an order into QuickBooks: payments, credit memos, refunds, voids ----------------


def _live(kind: str) -> QuerySet[FollowUpRecord]:
    return FollowUpRecord.objects.filter(kind=kind, state__in=LIVE_FOLLOW_UP_STATES)


def _open_invoices() -> QuerySet[ExportedOrder]:
    """Orders in QuickBooks as invoices whose live payments do not cover them."""
    paid = (_live(FollowUpKind.PAYMENT).filter(order_id=OuterRef("order_id"))
            .values("order_id").annotate(total=Sum("amount")).values("total"))
    return (ExportedOrder.objects
            .filter(record__transaction_type=TxnKind.INVOICE.value,
                    record__state=ExportState.DONE, record__total_amount__isnull=False)
            .exclude(record__txn_id="")
            .annotate(paid=Coalesce(Subquery(paid), Decimal("0"),
                                    output_field=DecimalField(max_digits=20,
                                                              decimal_places=2)))
            .filter(paid__lt=F("record__total_amount")))


def _on_file_orders(qs: QuerySet[ExportedOrder]) -> list[OrderOnFile]:
    """The orders' transactions as the ledger knows them (one query)."""
    rows = qs.values_list("order_id", "order_number", "record_id", "record__transaction_type",
                          "record__txn_id", "record__ref_number", "record__total_amount",
                          "record__customer_name", "record__currency", "record__channel_slug")
    return [OrderOnFile(order_id=str(order_id), order_number=number, kind=kind, txn_id=txn_id,
                        ref_number=ref, total=total, customer_name=customer, currency=currency,
                        record_pk=record_pk, channel_slug=channel)
            for order_id, number, record_pk, kind, txn_id, ref, total, customer, currency,
            channel in rows]


def _least_recently_compared(qs: QuerySet[ExportedOrder], column: str, limit: int, *,
                             checked_before, mark: bool) -> list[OrderOnFile]:
    """Those of ``qs`` not compared with Saleor (``column``) since ``checked_before``, least
    recently compared first; with ``mark``, they count as compared now (two statements)."""
    orders = _on_file_orders(
        qs.filter(Q(**{f"{column}__isnull": True}) | Q(**{f"{column}__lt": checked_before}))
        .order_by(F(column).asc(nulls_first=True), "order_number")[:limit])
    if orders and mark:
        ExportedOrder.objects.filter(OneOf("order_id", [o.order_id for o in orders])).update(
            **{column: clock.now()})
    return orders


def open_invoices(limit: int, *, checked_before, mark: bool = True) -> list[OrderOnFile]:
    """Open invoices not compared with Saleor's charges since ``checked_before``."""
    return _least_recently_compared(_open_invoices(), "payments_checked_at", limit,
                                    checked_before=checked_before, mark=mark)


def invoices_of(order_ids: Sequence[str]) -> list[OrderOnFile]:
    """The open invoices of these orders (one query)."""
    return _on_file_orders(_open_invoices().filter(OneOf("order_id", order_ids))
                           .order_by("order_number"))


def received(order_ids: Sequence[str], kind: str = FollowUpKind.PAYMENT
             ) -> dict[str, dict[str, Received]]:
    """Per order, per source (a Saleor payment; for credit memos, a refund): what QuickBooks
    has or may have, and the amount it last refused (two queries)."""
    out: dict[str, dict[str, Received]] = {}
    rows = (_live(kind).filter(OneOf("order_id", order_ids))
            .values("order_id", "source_id")
            .annotate(total=Sum("amount"), count=Count("pk"))
            .values_list("order_id", "source_id", "total", "count"))
    for order_id, payment_id, total, count in rows:
        out.setdefault(str(order_id), {})[payment_id] = Received(total, count)
    refusals = (FollowUpRecord.objects.filter(OneOf("order_id", order_ids), kind=kind,
                                              state=ExportState.FAILED)
                .exclude(action=RESENT).order_by("id")
                .values_list("order_id", "source_id", "sequence", "amount"))
    for order_id, payment_id, sequence, amount in refusals:
        payments = out.setdefault(str(order_id), {})
        known = payments.get(payment_id, Received())
        if sequence == known.count + 1:  # the latest refusal of the next charge wins
            payments[payment_id] = Received(known.amount, known.count, amount)
    return out


#: the action of an attempt QuickBooks never processed: what it stood for is due again
RESENT = "resent"


def _on_file() -> QuerySet[ExportedOrder]:
    """Orders in QuickBooks as invoices or sales receipts (what a refund can credit)."""
    return (ExportedOrder.objects
            .filter(record__transaction_type__in=[TxnKind.INVOICE.value,
                                                  TxnKind.SALES_RECEIPT.value],
                    record__state=ExportState.DONE)
            .exclude(record__txn_id=""))


def orders_for_refunds(limit: int, *, checked_before, mark: bool = True) -> list[OrderOnFile]:
    """Orders a refund could credit, not compared with Saleor's refunds since
    ``checked_before``."""
    return _least_recently_compared(_on_file(), "refunds_checked_at", limit,
                                    checked_before=checked_before, mark=mark)


def orders_for_refunds_of(order_ids: Sequence[str]) -> list[OrderOnFile]:
    return _on_file_orders(_on_file().filter(OneOf("order_id", order_ids))
                           .order_by("order_number"))


def credit_memos_to_refund(limit: int, order_ids: Sequence[str] | None = None
                           ) -> list[FollowUpRecord]:
    """Credit memos in QuickBooks (of ``order_ids``, when given) whose money has not been given
    back against them (nor refused by QuickBooks), oldest first."""
    refund = FollowUpRecord.objects.filter(
        kind=FollowUpKind.REFUND, order_id=OuterRef("order_id"),
        source_id=OuterRef("source_id"), sequence=OuterRef("sequence")).filter(
        Q(state__in=LIVE_FOLLOW_UP_STATES) | Q(state=ExportState.FAILED) & ~Q(action=RESENT))
    memos = FollowUpRecord.objects.filter(kind=FollowUpKind.CREDIT_MEMO, state=ExportState.DONE)
    if order_ids is not None:
        memos = memos.filter(order_id__in=list(order_ids))
    return list(memos.exclude(txn_id="").filter(~Exists(refund)).order_by("id")[:limit])


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up document about to leave in a message set."""

    kind: str
    order_id: str
    order_number: int
    source_id: str
    sequence: int
    ref_number: str
    amount: Decimal
    currency: str
    request_id: str
    applied_to_txn_id: str = ""
    order_record_pk: int | None = None
    channel_slug: str = ""
    customer_name: str = ""
    payment_method: str = ""
    #: an update: the header aggregates it sets
    header: dict | None = None


def follow_ups_sent(session: WebConnectorSession, message_set: MessageSet,
                    follow_ups: Sequence[FollowUp]) -> list[FollowUpRecord]:
    """These documents leave in a message set now (one statement). The database refuses a
    second live attempt at the same thing (``qb_follow_up_once``)."""
    now = clock.now()
    return FollowUpRecord.objects.bulk_create([FollowUpRecord(
        kind=f.kind, order_id=f.order_id, order_number=f.order_number,
        channel_slug=f.channel_slug, source_id=f.source_id, sequence=f.sequence,
        applied_to_txn_id=f.applied_to_txn_id, order_record_id=f.order_record_pk,
        customer_name=f.customer_name, ref_number=f.ref_number, amount=f.amount,
        currency=f.currency, payment_method=f.payment_method, state=ExportState.SENT,
        session=session, message_set=message_set, request_id=f.request_id,
        header=f.header or {}, created_at=now, updated_at=now) for f in follow_ups])


@dataclass(frozen=True, slots=True)
class FollowUpOutcome:
    record: FollowUpRecord
    #: True: QuickBooks has it (TxnID); False: it does not, and said why; None: unproven, it
    #: is looked up before it is ever sent again
    done: bool | None
    txn_id: str = ""
    status_code: int | None = None
    message: str = ""
    action: str = ""


def record_follow_up_outcomes(outcomes: Sequence[FollowUpOutcome]) -> None:
    """QuickBooks' word on many documents (one pipelined statement). A refused one is no
    longer live: what it stood for may be sent again when its cause is gone."""
    if not outcomes:
        return
    now = clock.now()
    for o in outcomes:
        o.record.state = {True: ExportState.DONE, False: ExportState.FAILED,
                          None: ExportState.NEEDS_RECONCILING}[o.done]
        o.record.txn_id = o.txn_id or o.record.txn_id
        o.record.status_code = o.status_code
        o.record.status_message = o.message
        o.record.action = o.action
        o.record.updated_at = now
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {FollowUpRecord._meta.db_table} SET state = %s, txn_id = %s, "  # noqa: S608 - table name from our model
            "status_code = %s, status_message = %s, action = %s, updated_at = %s "
            "WHERE id = %s",
            [(o.record.state, o.record.txn_id, o.record.status_code, o.record.status_message,
              o.record.action, o.record.updated_at, o.record.pk) for o in outcomes])


def follow_ups_to_reconcile(excluding: Iterable[int] = (), *,
                            kind: str | None = None) -> QuerySet[FollowUpRecord]:
    """Documents whose answer was lost, oldest first, except those named; updates
    (``MODIFICATION``, looked up by TxnID: ``qbwc/steps/edits.py``) only when asked by kind."""
    qs = FollowUpRecord.objects.filter(state=ExportState.NEEDS_RECONCILING).exclude(
        pk__in=list(excluding))
    qs = qs.filter(kind=kind) if kind else qs.exclude(kind=FollowUpKind.MODIFICATION)
    return qs.order_by("id")


def follow_ups_not_in_quickbooks(records: Sequence[FollowUpRecord], message: str) -> None:
    """QuickBooks does not have these documents: the attempts end; what they stood for is
    due again."""
    record_follow_up_outcomes([FollowUpOutcome(r, False, message=message, action=RESENT)
                               for r in records])


def follow_up_attempts(pks: Iterable[int]) -> dict[int, FollowUpRecord]:
    return FollowUpRecord.objects.in_bulk(list(pks))


@dataclass(frozen=True, slots=True)
class FollowUpEntry:
    """A document that followed an order into QuickBooks, as the order's page lists it."""

    kind: str
    at: object  # datetime
    amount: Decimal
    currency: str
    ref_number: str
    txn_id: str
    state: str
    message: str
    action: str
    payment_method: str


def follow_ups_of(order_id: str, kind: str | None = None) -> list[FollowUpEntry]:
    """Every attempt at a document that follows this order, newest first."""
    qs = FollowUpRecord.objects.filter(order_id=order_id)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return [FollowUpEntry(r.kind, r.updated_at, r.amount, r.currency, r.ref_number, r.txn_id,
                          r.state, r.status_message, r.action, r.payment_method)
            for r in qs.order_by("-id")]


# --- edits after export: the transaction's header and its updates (qbxml/edits.py) ---------------


def _headers_on_file() -> QuerySet[ExportedOrder]:
    """Orders in QuickBooks whose header the ledger knows (rows exported before it kept
    headers, or linked to a transaction QuickBooks already had, are not compared)."""
    return (ExportedOrder.objects.filter(record__state=ExportState.DONE)
            .exclude(record__txn_id="").exclude(header={}))


def orders_for_edits(limit: int, *, checked_before, mark: bool = True) -> list[OrderOnFile]:
    """Orders whose header was not compared with the order since ``checked_before``, least
    recently compared first."""
    return _least_recently_compared(_headers_on_file(), "header_checked_at", limit,
                                    checked_before=checked_before, mark=mark)


def headers_on_file(order_ids: Sequence[str]) -> dict[str, dict]:
    """The header QuickBooks has, as far as the ledger knows, per order (one query)."""
    return {str(order_id): header for order_id, header in _headers_on_file().filter(
        order_id__in=list(order_ids)).values_list("order_id", "header")}


def note_changes(found: dict[str, list[dict]]) -> None:
    """What comparing these orders' headers with the orders found now (an empty list:
    nothing). Changes first seen now are noticed now; an order with none has nothing to
    update (one pipelined statement)."""
    if not found:
        return
    now = clock.now()
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {ExportedOrder._meta.db_table} SET header_checked_at = %s, "  # noqa: S608 - table name from our model
            "changes_noticed_at = CASE WHEN %s::jsonb = '[]'::jsonb THEN NULL "
            "WHEN changes = %s::jsonb THEN changes_noticed_at ELSE %s END, "
            "update_requested_at = CASE WHEN %s::jsonb = '[]'::jsonb THEN NULL "
            "ELSE update_requested_at END, "
            "update_requested_by = CASE WHEN %s::jsonb = '[]'::jsonb THEN '' "
            "ELSE update_requested_by END, changes = %s::jsonb WHERE order_id = %s",
            [(now, *[_json(changes)] * 2, now, *[_json(changes)] * 3, order_id)
             for order_id, changes in found.items()])


@dataclass(frozen=True, slots=True)
class EditState:
    """What changed on an order in Saleor since its transaction went to QuickBooks."""

    changes: list[dict]
    noticed_at: datetime | None
    checked_at: datetime | None
    update_requested_at: datetime | None
    update_requested_by: str
    header: dict


def edit_state_of(order_id: str) -> EditState | None:
    """None when the order is not in QuickBooks or its header is not known."""
    row = _headers_on_file().filter(order_id=order_id).values_list(
        "changes", "changes_noticed_at", "header_checked_at", "update_requested_at",
        "update_requested_by", "header").first()
    return EditState(*row) if row is not None else None


def request_update(order_id: str, *, by_email: str) -> bool:
    """A person asks for the order's changes to go to QuickBooks at the next update; False
    when it has none on file."""
    return bool(_headers_on_file().filter(order_id=order_id).exclude(changes=[]).update(
        update_requested_at=clock.now(), update_requested_by=by_email[:254]))


def _live_update(states) -> QuerySet[FollowUpRecord]:
    return FollowUpRecord.objects.filter(kind=FollowUpKind.MODIFICATION,
                                         order_id=OuterRef("order_id"), state__in=states)


def updates_due(limit: int, *, automatic: bool, excluding: Sequence[str] = ()
                ) -> list[OrderOnFile]:
    """Orders whose changes are to go to QuickBooks now: asked for by a person (or any, with
    ``automatic``), none being sent or checked, and not refused by QuickBooks since they were
    asked for (unasked: since they were noticed; a person looks at a refusal first), the
    longest waiting first."""
    # refused since it was asked for (or, unasked, since the changes were noticed)
    refused = FollowUpRecord.objects.filter(
        kind=FollowUpKind.MODIFICATION, order_id=OuterRef("order_id"),
        state=ExportState.FAILED, created_at__gte=Coalesce(
            OuterRef("update_requested_at"), OuterRef("changes_noticed_at"))).exclude(
        action=RESENT)
    qs = (_headers_on_file().exclude(changes=[])
          .exclude(order_id__in=list(excluding))
          .filter(~Exists(_live_update([ExportState.SENT, ExportState.NEEDS_RECONCILING])))
          .filter(~Exists(refused)))
    if not automatic:
        qs = qs.filter(update_requested_at__isnull=False)
    return _on_file_orders(qs.order_by("changes_noticed_at", "order_number")[:limit])


def update_sequences(order_ids: Sequence[str]) -> dict[str, int]:
    """The number the next update of each order gets: one more than QuickBooks has."""
    done = dict(FollowUpRecord.objects.filter(
        kind=FollowUpKind.MODIFICATION, order_id__in=list(order_ids),
        state=ExportState.DONE).values("order_id").annotate(n=Count("pk"))
        .values_list("order_id", "n"))
    return {order_id: done.get(uuid.UUID(order_id), 0) + 1 for order_id in order_ids}


def updates_landed(records: Sequence[FollowUpRecord]) -> None:
    """These updates are in QuickBooks: its header is now what they set, nothing is left to
    send, and the order is compared again first (it may have changed since it was mapped)."""
    if not records:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {ExportedOrder._meta.db_table} SET header = header || %s::jsonb, "  # noqa: S608 - table name from our model
            "changes = '[]'::jsonb, changes_noticed_at = NULL, update_requested_at = NULL, "
            "update_requested_by = '', header_checked_at = NULL WHERE order_id = %s",
            [(_json(r.header), r.order_id) for r in records])


def updates_refused(order_ids: Sequence[str]) -> None:
    """QuickBooks refused these orders' updates: they wait for a person to ask again."""
    if order_ids:
        ExportedOrder.objects.filter(order_id__in=list(order_ids)).update(
            update_requested_at=None, update_requested_by="")
