"""Step 6: orders edited in Saleor since their export (``qbxml/edits.py``: their addresses).

After the follow-ups, in sets of their own:

1. updates whose answer was lost: their transaction is read by TxnID; if it says what the
   update set, the update is in QuickBooks; if not, the attempt ends and the update is due
   again (a Mod changes nothing twice: it needs the EditSequence QuickBooks has now);
2. the orders in QuickBooks are compared with Saleor, the least recently compared first
   (``ledger.orders_for_edits``), and what changed is kept on the order for the app to show;
3. the updates due (asked for by a person, or all with ``update_edited_orders=automatic``):
   each transaction read by TxnID (its EditSequence, and the header it has now), then one
   ``InvoiceMod`` / ``SalesReceiptMod`` / ``SalesOrderMod`` each with that EditSequence and
   only the changed aggregates. QuickBooks' 3200 (the transaction changed since it was read)
   is read again and sent again, ``MAX_TRIES`` times a session; any other refusal is kept
   with its reason and waits for a person.

Off with ``update_edited_orders=off`` (lost answers are still settled).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ... import clock, ledger
from ...documents import ZERO
from ...errors import MappingError
from ...models import FollowUpKind, FollowUpRecord, MessageSet, MessageSetKind
from ...order_source import OrderSource
from ...preferences import EditUpdates, Preferences
from ...qbxml import build
from ...qbxml.answers import Answers
from ...qbxml.edits import (
    HeaderChange,
    HeaderUpdate,
    changes_between,
    current_header,
    described,
    has_landed,
    queried_transactions,
)
from ...qbxml.records import OrderOnFile
from ...qbxml.status import STATUS_NO_MATCH, STATUS_OK, STATUS_PARTIAL, describe
from . import follow_ups
from .context import Context

#: orders one session compares with Saleor at most
MAX_COMPARED_PER_SESSION = 5_000
#: orders compared at a time
COMPARE_AT_ONCE = 500
#: how often one session reads and updates one transaction (QuickBooks' 3200 each time)
MAX_TRIES = 3
#: QuickBooks: "The provided edit sequence … is out-of-date"
STATUS_EDIT_SEQUENCE_OUT_OF_DATE = 3200
#: QuickBooks: the object (here: the transaction by TxnID) cannot be found
STATUS_NOT_FOUND = 3120


@dataclass(slots=True)
class EditWork:
    """What this step keeps between callbacks (``session.Work.edits``)."""

    scanned: int = 0
    #: lost updates already looked up in this session
    asked: list[int] = field(default_factory=list)
    #: order → how often its transaction was read for an update in this session
    tried: dict[str, int] = field(default_factory=dict)
    #: updates read and ready to send (``_plan_json``)
    planned: list[dict] = field(default_factory=list)
    finished: bool = False

    def to_json(self) -> dict:
        return {"scanned": self.scanned, "asked": self.asked, "tried": self.tried,
                "planned": self.planned, "finished": self.finished}

    @classmethod
    def from_json(cls, data: dict | None) -> EditWork:
        data = data or {}
        return cls(int(data.get("scanned") or 0), [int(pk) for pk in data.get("asked") or ()],
                   {str(k): int(v) for k, v in (data.get("tried") or {}).items()},
                   list(data.get("planned") or ()), bool(data.get("finished")))


def _work(ctx: Context) -> EditWork:
    return EditWork.from_json(ctx.session.work.edits)


def _keep(ctx: Context, work: EditWork) -> None:
    ctx.session.work.edits = work.to_json()


def pending(ctx: Context) -> bool:
    """Updates are to be looked up or sent in this session; compares orders with Saleor until
    some are due or none are left."""
    work = _work(ctx)
    try:
        if work.finished:
            return False
        if work.planned or _lost(work).exists():
            return True
        mode = ctx.preferences.update_edited_orders
        if mode == EditUpdates.OFF:
            work.finished = True
            return False
        while work.scanned < MAX_COMPARED_PER_SESSION:
            orders = ledger.orders_for_edits(
                min(COMPARE_AT_ONCE, MAX_COMPARED_PER_SESSION - work.scanned),
                checked_before=ctx.session.row.started_at)
            if not orders:
                break
            work.scanned += len(orders)
            for warning in compare(ctx.preferences, ctx.source, orders):
                ctx.session.say(warning)
        if _due(ctx, work, 1):
            return True
        work.finished = True
        return False
    finally:
        _keep(ctx, work)


def waiting(preferences: Preferences, source: OrderSource) -> int:
    """How many orders have updates to look up or send (for ``authenticate``, when nothing
    else is to do). The ``COMPARE_AT_ONCE`` least recently compared orders are compared on
    the way, and what changed is kept: in ``ask`` mode a Web Connector run with nothing to
    send still notices edits for the app to show."""
    count = ledger.follow_ups_to_reconcile(kind=FollowUpKind.MODIFICATION).count()
    mode = preferences.update_edited_orders
    if mode != EditUpdates.OFF:
        compare(preferences, source, ledger.orders_for_edits(COMPARE_AT_ONCE,
                                                             checked_before=clock.now()))
        count += len(ledger.updates_due(COMPARE_AT_ONCE,
                                        automatic=mode == EditUpdates.AUTOMATIC))
    return count


def compare(preferences: Preferences, source: OrderSource, orders: list[OrderOnFile]
            ) -> list[str]:
    """Compare these orders' headers with the orders now and keep what changed; returns what
    a person should know (an order that no longer maps)."""
    headers = ledger.headers_on_file([o.order_id for o in orders])
    documents = source.load(list(headers))
    found: dict[str, list[dict]] = {}
    warnings: list[str] = []
    for on_file in orders:
        document = documents.get(on_file.order_id)
        if document is None or on_file.order_id not in headers:
            continue
        try:
            now = current_header(document, preferences)
        except MappingError as exc:
            warnings.append(f"Order #{on_file.order_number}: its edits cannot be compared: "
                            f"{exc.message}")
            continue
        found[on_file.order_id] = [c.to_json() for c in changes_between(
            headers[on_file.order_id], now)]
    ledger.note_changes(found)
    return warnings


def request(ctx: Context) -> str | None:
    while pending(ctx):
        work = _work(ctx)
        xml, finished = _next(ctx, work)
        _keep(ctx, work)
        if xml is not None or finished:
            return xml
    return None


def _next(ctx: Context, work: EditWork) -> tuple[str | None, bool]:
    """The next set, or (None, True) when nothing is left, (None, False) when what was planned
    could not be sent (each refused with its reason) and the step goes on."""
    limit = ctx.preferences.orders_per_request
    lost = list(_lost(work).select_related("order_record")[:limit])
    if lost:
        work.asked += [r.pk for r in lost]
        wanted = [(r.order_record.transaction_type, r.applied_to_txn_id, {"lost": r.pk})
                  for r in lost if r.order_record is not None and r.applied_to_txn_id]
        return (_query(ctx, wanted) if wanted else None), False
    if work.planned:
        planned, work.planned = work.planned[:limit], work.planned[limit:]
        return _send(ctx, [_plan_from_json(p) for p in planned]), False
    due = _due(ctx, work, limit)
    if due:
        for on_file in due:
            work.tried[on_file.order_id] = work.tried.get(on_file.order_id, 0) + 1
        return _query(ctx, [(o.kind, o.txn_id, {"order": _on_file_json(o)}) for o in due]), False
    work.finished = True
    return None, True


def _due(ctx: Context, work: EditWork, limit: int) -> list[OrderOnFile]:
    mode = ctx.preferences.update_edited_orders
    if mode == EditUpdates.OFF:
        return []
    return ledger.updates_due(limit, automatic=mode == EditUpdates.AUTOMATIC, excluding=[
        order_id for order_id, tries in work.tried.items() if tries >= MAX_TRIES])


def _lost(work: EditWork):
    return ledger.follow_ups_to_reconcile(work.asked, kind=FollowUpKind.MODIFICATION)


# --- reading transactions by TxnID ----------------------------------------------------------


def _query(ctx: Context, wanted: list[tuple[str, str, dict]]) -> str:
    """One query by TxnID per transaction (an absent one then answers alone)."""
    requests, meta = [], {}
    for index, (kind, txn_id, info) in enumerate(wanted):
        request_id = f"q{index}"
        requests.append(build.transaction_query_by_id(kind, [txn_id], request_id))
        meta[request_id] = {"kind": "query", "txn_kind": kind, "txn_id": txn_id, **info}
    return ctx.store(MessageSetKind.EDITS, requests, meta)


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    work = _work(ctx)
    try:
        if any(m["kind"] == FollowUpKind.MODIFICATION for m in message_set.requests.values()):
            _read_mods(ctx, message_set, answers)
        else:
            _read_queries(ctx, work, message_set, answers)
    finally:
        _keep(ctx, work)


def _queried(message_set: MessageSet, answers: Answers, request_id: str, txn_id: str):
    """(known, transaction): whether QuickBooks' answer can be taken as its word, and the
    transaction it returned (None: QuickBooks does not have it)."""
    verdict = answers.answer(request_id)
    item = verdict.item
    if item is None or verdict.problem:
        return False, None
    if item.status_code == STATUS_OK:
        found = queried_transactions(message_set.response_xml, request_id).get(txn_id)
        return found is not None, found
    if item.status_code in (STATUS_NO_MATCH, STATUS_PARTIAL, STATUS_NOT_FOUND) and not (
            item.records):
        return True, None
    return False, None


def _read_queries(ctx: Context, work: EditWork, message_set: MessageSet,
                  answers: Answers) -> None:
    metas = message_set.requests
    lost = ledger.follow_up_attempts([m["lost"] for m in metas.values() if "lost" in m])
    landed: list[ledger.FollowUpOutcome] = []
    absent: list[FollowUpRecord] = []
    gone: list[ledger.FollowUpOutcome] = []
    due: list[tuple[dict, object]] = []
    for request_id, meta in metas.items():
        known, txn = _queried(message_set, answers, request_id, meta["txn_id"])
        if not known:
            continue  # asked again later; never guessed
        if "lost" in meta:
            record = lost.get(meta["lost"])
            if record is None:
                continue
            if txn is not None and has_landed(txn, record.header):
                landed.append(ledger.FollowUpOutcome(
                    record, True, txn_id=txn.txn_id,
                    message="Confirmed in QuickBooks after a lost answer"))
            elif txn is not None:
                absent.append(record)
            else:
                gone.append(ledger.FollowUpOutcome(
                    record, False, message="QuickBooks no longer has the transaction.",
                    action=_gone(record.order_number)))
        else:
            due.append((meta["order"], txn))
    ledger.record_follow_up_outcomes(landed + gone)
    ledger.updates_landed([o.record for o in landed])
    ledger.follow_ups_not_in_quickbooks(absent, "Web Connector lost the answer and QuickBooks "
                                        "does not show the update; it is sent again.")
    _plan(ctx, work, due)


def _plan(ctx: Context, work: EditWork, due: list[tuple[dict, object]]) -> None:
    """The updates to send for these orders, each from the order as it is now and the
    transaction as QuickBooks has it (what to clear comes from QuickBooks' own)."""
    if not due:
        return
    ids = [order["order_id"] for order, _ in due]
    headers = ledger.headers_on_file(ids)
    documents = ctx.source.load(ids)
    nothing: dict[str, list[dict]] = {}
    refused: list[tuple[OrderOnFile, str]] = []
    for order, txn in due:
        on_file = OrderOnFile(**order)
        document = documents.get(on_file.order_id)
        if document is None or on_file.order_id not in headers:
            continue
        try:
            now = current_header(document, ctx.preferences)
        except MappingError as exc:
            ctx.session.say(f"Order #{on_file.order_number}: its edit cannot go to "
                            f"QuickBooks: {exc.message}")
            continue
        changes = changes_between(headers[on_file.order_id], now)
        if not changes:
            nothing[on_file.order_id] = []
            continue
        if txn is None:
            refused.append((on_file, _gone(on_file.order_number)))
            continue
        work.planned.append(_plan_json(HeaderUpdate(
            kind=on_file.kind, txn_id=txn.txn_id, edit_sequence=txn.edit_sequence,
            order_id=on_file.order_id, order_number=on_file.order_number,
            ref_number=on_file.ref_number,
            changes=tuple(HeaderChange(c.field, txn.header.get(c.field, {}), c.after)
                          for c in changes)), on_file))
    ledger.note_changes(nothing)
    if refused:
        _refuse(ctx, refused)


def _refuse(ctx: Context, refused: list[tuple[OrderOnFile, str]]) -> None:
    """Updates that cannot be sent at all: each recorded as refused, with the reason."""
    message_set = MessageSet.objects.create(session=ctx.session.row, kind=MessageSetKind.EDITS,
                                            request_xml="", requests={})
    sequences = ledger.update_sequences([o.order_id for o, _ in refused])
    records = ledger.follow_ups_sent(ctx.session.row, message_set, [
        _follow_up(on_file, sequences[on_file.order_id], "", {}) for on_file, _ in refused])
    ledger.record_follow_up_outcomes([
        ledger.FollowUpOutcome(record, False, message="Not updated.", action=why)
        for record, (_, why) in zip(records, refused, strict=True)])
    ledger.updates_refused([o.order_id for o, _ in refused])
    for on_file, why in refused:
        ctx.session.say(f"Order #{on_file.order_number}: {why}")


def _gone(order_number: int) -> str:
    return (f"The transaction of order #{order_number} is no longer in QuickBooks (deleted "
            "there); its edit was not sent. Reset the order's export to send it again.")


# --- sending the updates ----------------------------------------------------------------------


def _send(ctx: Context, planned: list[tuple[HeaderUpdate, OrderOnFile]]) -> str | None:
    sequences = ledger.update_sequences([u.order_id for u, _ in planned])
    return follow_ups.send(ctx, [
        (_follow_up(on_file, sequences[update.order_id], f"m{index}", update.header),
         _mod_request, update) for index, (update, on_file) in enumerate(planned)],
        kind=MessageSetKind.EDITS)


def _mod_request(update: HeaderUpdate, request_id: str):
    return update.request(request_id)


def _read_mods(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    records = ledger.follow_up_attempts([m["record"] for m in message_set.requests.values()])
    outcomes: list[ledger.FollowUpOutcome] = []
    stale: list[FollowUpRecord] = []
    refused: list[str] = []
    for request_id, meta in message_set.requests.items():
        record = records[meta["record"]]
        verdict = answers.answer(request_id)
        answer = verdict.item
        problem = verdict.problem
        if answer is not None and answer.ok and not problem and (
                answer.txn_id != record.applied_to_txn_id):
            problem = (f"QuickBooks reported updating {answer.txn_id or 'nothing'}, not "
                       f"{record.applied_to_txn_id}")
        if answer is None or problem:
            outcomes.append(ledger.FollowUpOutcome(
                record, None, message=f"Checking QuickBooks: {problem}." if problem else
                "Checking QuickBooks: its answer said nothing about this update."))
        elif answer.ok:
            what = described([HeaderChange(f, {}, parts) for f, parts in record.header.items()])
            outcomes.append(ledger.FollowUpOutcome(
                record, True, txn_id=answer.txn_id, status_code=answer.status_code,
                message=f"Updated in QuickBooks: {what}."))
        elif answer.status_code == STATUS_EDIT_SEQUENCE_OUT_OF_DATE:
            stale.append(record)
        else:
            advice = describe(answer.status_code, answer.message)
            outcomes.append(ledger.FollowUpOutcome(
                record, False, status_code=answer.status_code, message=answer.message,
                action=advice))
            refused.append(str(record.order_id))
            ctx.session.say(f"Order #{record.order_number}: its update was refused: {advice}")
    ledger.record_follow_up_outcomes(outcomes)
    ledger.updates_landed([o.record for o in outcomes if o.done])
    ledger.updates_refused(refused)
    # changed in QuickBooks since it was read: read again and sent again (not a person's task)
    ledger.follow_ups_not_in_quickbooks(stale, "QuickBooks had a newer version of the "
                                        "transaction (EditSequence out of date); it is read "
                                        "again and the update sent again.")


# --- what travels between callbacks -------------------------------------------------------------


def _on_file_json(on_file: OrderOnFile) -> dict:
    return {"order_id": on_file.order_id, "order_number": on_file.order_number,
            "kind": on_file.kind, "txn_id": on_file.txn_id, "ref_number": on_file.ref_number,
            "customer_name": on_file.customer_name, "currency": on_file.currency,
            "record_pk": on_file.record_pk, "channel_slug": on_file.channel_slug}


def _plan_json(update: HeaderUpdate, on_file: OrderOnFile) -> dict:
    return {"on_file": _on_file_json(on_file), "edit_sequence": update.edit_sequence,
            "txn_id": update.txn_id, "changes": [c.to_json() for c in update.changes]}


def _plan_from_json(data: dict) -> tuple[HeaderUpdate, OrderOnFile]:
    on_file = OrderOnFile(**data["on_file"])
    return HeaderUpdate(
        kind=on_file.kind, txn_id=data["txn_id"], edit_sequence=data["edit_sequence"],
        order_id=on_file.order_id, order_number=on_file.order_number,
        ref_number=on_file.ref_number,
        changes=tuple(HeaderChange.from_json(c) for c in data["changes"])), on_file


def _follow_up(on_file: OrderOnFile, sequence: int, request_id: str, header: dict
               ) -> ledger.FollowUp:
    return ledger.FollowUp(
        kind=FollowUpKind.MODIFICATION, order_id=on_file.order_id,
        order_number=on_file.order_number, source_id=f"header:{on_file.order_id}",
        sequence=sequence, ref_number=on_file.ref_number, amount=ZERO,
        currency=on_file.currency, request_id=request_id or "-",
        applied_to_txn_id=on_file.txn_id, order_record_pk=on_file.record_pk,
        channel_slug=on_file.channel_slug, customer_name=on_file.customer_name,
        header=header)
