"""Step 5: what follows an order into QuickBooks. Once the session's orders are written, what
Saleor did since on orders that are in QuickBooks goes there too, one kind of document a set:

1. documents whose answer was lost, looked up by RefNumber and matched by our ExternalGUID
   (found: in QuickBooks; absent: the attempt ends and what it stood for is due again);
2. payments: what Saleor charged on an invoice, received against it (``qbxml/payments.py``);
3. credit memos: what Saleor refunded (``qbxml/refunds.py``), with the items their lines need
   at the head of the set;
4. refunds: the money of each credit memo given back (``refund_money``);
5. voids: an order cancelled in Saleor, when no money moved (``qbxml/cancellations.py``).

Which orders to compare: in automatic mode, payments look at invoices their live payments do
not cover, refunds at invoices and sales receipts; each the least recently compared first, at
most ``MAX_COMPARED_PER_SESSION`` a session. On demand, only the orders staff queued for it (a
``FOLLOW_UPS`` pending operation), whose items are done once the session compared them and
sent what was due. Off with ``record_payments``, ``record_refunds``, ``void_cancelled``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from lxml import etree

from ... import clock, ledger, mappings
from ...documents import ZERO, ChargeStatus
from ...errors import MappingError
from ...models import FollowUpKind, FollowUpRecord, MessageSet, MessageSetKind, OperationKind
from ...order_source import OrderFilter, OrderSource
from ...preferences import Preferences
from ...qbxml import build
from ...qbxml.answers import Answers, add_problem, query_problem
from ...qbxml.cancellations import Cancellation, cancellation
from ...qbxml.mapping import map_order
from ...qbxml.payments import due_payments
from ...qbxml.records import (
    NO_MAPPINGS,
    CreditMemo,
    NameMappings,
    OrderOnFile,
    ReceivedPayment,
    document_guid,
    payment_guid,
)
from ...qbxml.refunds import card_refund, due_credit_memos
from ...qbxml.status import StatusClass, describe
from .. import names
from .context import Context

#: orders one session compares with Saleor at most, for payments and for refunds each
MAX_COMPARED_PER_SESSION = 5_000
#: orders compared at a time: a callback's statements stay the same up to this many
COMPARE_AT_ONCE = 500


def pending(ctx: Context) -> bool:
    """Documents are to be looked up or sent in this session. Compares orders with Saleor
    until some are due (they wait in the session's work) or none are left."""
    work = ctx.session.work
    if work.payments_finished:
        return False
    if work.payments_due or work.refunds_due or _lost(ctx).exists():
        return True
    prefs = ctx.preferences
    queued = _queued(ctx)
    if queued is not None:
        return _compare_queued(ctx, queued)
    while prefs.record_payments and work.payments_scanned < MAX_COMPARED_PER_SESSION:
        invoices = ledger.open_invoices(
            min(COMPARE_AT_ONCE, MAX_COMPARED_PER_SESSION - work.payments_scanned),
            checked_before=ctx.session.row.started_at)
        if not invoices:
            break
        work.payments_scanned += len(invoices)
        work.payments_due = _orders(_payments_now(ctx, invoices))
        if work.payments_due:
            return True
    while (prefs.record_refunds or prefs.void_cancelled) and (
            work.refunds_scanned < MAX_COMPARED_PER_SESSION):
        orders = ledger.orders_for_refunds(
            min(COMPARE_AT_ONCE, MAX_COMPARED_PER_SESSION - work.refunds_scanned),
            checked_before=ctx.session.row.started_at)
        if not orders:
            break
        work.refunds_scanned += len(orders)
        memos, voids = _refunds_now(ctx, orders)
        work.refunds_due = list(dict.fromkeys(_orders(memos) + _orders(voids)))
        if work.refunds_due:
            return True
    if prefs.record_refunds and prefs.refund_money and ledger.credit_memos_to_refund(1):
        return True
    _finish(ctx)
    return False


def _queued(ctx: Context) -> list[str] | None:
    """On demand, the orders staff queued for their follow-ups (claimed once a session); None
    in automatic mode, which compares every order in QuickBooks in turn."""
    if ctx.preferences.is_automatic:
        return None
    work = ctx.session.work
    if work.follow_ups_queued is None:
        work.follow_ups_queued = ledger.claim_follow_ups(ctx.session.row)
    return work.follow_ups_queued


def _compare_queued(ctx: Context, queued: list[str]) -> bool:
    """``pending`` on demand: the queued orders compared once, what is due kept in the work."""
    work, prefs = ctx.session.work, ctx.preferences
    if not work.queued_compared:
        work.queued_compared = True
        if prefs.record_payments and queued:
            work.payments_due = _orders(_payments_now(ctx, ledger.invoices_of(queued)))
        if (prefs.record_refunds or prefs.void_cancelled) and queued:
            memos, voids = _refunds_now(ctx, ledger.orders_for_refunds_of(queued))
            work.refunds_due = list(dict.fromkeys(_orders(memos) + _orders(voids)))
        if work.payments_due or work.refunds_due:
            return True
    if queued and prefs.record_refunds and prefs.refund_money and (
            ledger.credit_memos_to_refund(1, queued)):
        return True
    _finish(ctx)
    return False


def _finish(ctx: Context) -> None:
    """Everything that follows the orders was compared and sent; on demand, the queued orders'
    items are done."""
    ctx.session.work.payments_finished = True
    if ctx.session.work.follow_ups_queued is not None:
        ledger.finish_follow_ups(ctx.session.row)


def waiting(preferences: Preferences, source: OrderSource) -> int:
    """How many orders have documents to look up or send, for ``authenticate`` (compares the
    ``COMPARE_AT_ONCE`` least recently compared orders of each kind, marking nothing; on
    demand, counts the orders queued for it)."""
    count = ledger.follow_ups_to_reconcile().count()
    if not preferences.is_automatic:
        return count + ledger.waiting_items(OperationKind.FOLLOW_UPS).count()
    now = clock.now()
    if preferences.record_payments:
        count += len(_orders(_payments(preferences, source, ledger.open_invoices(
            COMPARE_AT_ONCE, checked_before=now, mark=False))[0]))
    if preferences.record_refunds or preferences.void_cancelled:
        memos, voids, _ = _refunds(preferences, source, ledger.orders_for_refunds(
            COMPARE_AT_ONCE, checked_before=now, mark=False))
        count += len(set(_orders(memos) + _orders(voids)))
        if preferences.refund_money:
            count += len(ledger.credit_memos_to_refund(COMPARE_AT_ONCE))
    return count


def request(ctx: Context) -> str | None:
    if not pending(ctx):
        return None
    work, limit = ctx.session.work, ctx.preferences.orders_per_request
    lost = list(_lost(ctx)[:limit])
    if lost:
        return _look_up(ctx, lost)
    if work.payments_due:
        orders, work.payments_due = work.payments_due[:limit], work.payments_due[limit:]
        due = _payments_now(ctx, ledger.invoices_of(orders))
        return send(ctx, [(_payment(p, i, f"p{n}"), build.receive_payment_add, p)
                           for n, (p, i) in enumerate(due)]) or request(ctx)
    if work.refunds_due:
        orders, work.refunds_due = work.refunds_due[:limit], work.refunds_due[limit:]
        memos, voids = _refunds_now(ctx, ledger.orders_for_refunds_of(orders))
        planned = [(_credit_memo(m, o, f"c{n}"), _credit_memo_add, m)
                   for n, (m, o) in enumerate(memos)]
        planned += [(_void(c, o, f"v{n}"), _void_request, c) for n, (c, o) in enumerate(voids)]
        return send(ctx, planned, head=_item_adds([m for m, _ in memos])) or request(ctx)
    memos = ledger.credit_memos_to_refund(limit, work.follow_ups_queued)
    if memos and ctx.preferences.refund_money and ctx.preferences.record_refunds:
        on_file = {o.order_id: o for o in ledger.orders_for_refunds_of(
            [str(m.order_id) for m in memos])}
        documents = ctx.source.load(list(on_file))
        today = clock.now().date()
        refunds = [(card_refund(m, on_file[str(m.order_id)], documents.get(str(m.order_id)),
                                ctx.preferences, today=today), m)
                   for m in memos if str(m.order_id) in on_file]
        return send(ctx, [(_refund(r, m, f"r{n}"), build.card_refund_add, r)
                           for n, (r, m) in enumerate(refunds)]) or request(ctx)
    _finish(ctx)
    return None


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    pks = [pk for meta in message_set.requests.values()
           for pk in meta.get("records") or [meta.get("record")] if pk]
    records = ledger.follow_up_attempts(pks)
    outcomes: list[ledger.FollowUpOutcome] = []
    absent: list[FollowUpRecord] = []
    confirmed_items: list[tuple[str, str]] = []
    for request_id, meta in message_set.requests.items():
        verdict = answers.answer(request_id)
        answer = verdict.item
        if meta["kind"] == "item":
            if answer is not None and (answer.status_code == 3100 or answer.ok):
                confirmed_items.append((names.ITEM, meta["name"]))
            continue
        if meta["kind"] == "lookup":
            _read_lookup(answers, request_id, [records[pk] for pk in meta["records"]
                                               if pk in records], outcomes, absent)
            continue
        record = records[meta["record"]]
        problem = verdict.problem or ("" if answer is None or not answer.ok else _problem(
            answer, record))
        if answer is None or problem:
            outcomes.append(ledger.FollowUpOutcome(
                record, None, message=f"Checking QuickBooks: {problem}." if problem else
                "Checking QuickBooks: its answer said nothing about this document."))
        elif answer.ok:
            outcomes.append(ledger.FollowUpOutcome(
                record, True, txn_id=answer.txn_id, status_code=answer.status_code,
                message=answer.message if answer.status_code else ""))
        else:
            advice = _advice(record, answer.status_code, answer.message)
            outcomes.append(ledger.FollowUpOutcome(
                record, False, status_code=answer.status_code, message=answer.message,
                action=advice))
            ctx.session.say(f"Order #{record.order_number}: {advice}")
    names.remember(confirmed_items)
    ledger.record_follow_up_outcomes(outcomes)
    ledger.follow_ups_not_in_quickbooks(absent, "Web Connector lost the answer and QuickBooks "
                                        "does not have this document; it is sent again.")


# --- sending --------------------------------------------------------------------------------


def send(ctx: Context, planned, *, head=(), kind: str = MessageSetKind.FOLLOW_UPS
         ) -> str | None:
    """Store and return a set of ``planned`` (follow-up, builder, record) after ``head``
    (item adds); a document the builder refuses fails alone. None when nothing is left."""
    message_set = MessageSet(session=ctx.session.row, kind=kind, request_xml="", requests={})
    requests: list[etree._Element] = []
    sent, refused = [], []
    for follow_up, builder, document in planned:
        try:
            requests.append(builder(document, follow_up.request_id))
        except ValueError as exc:
            refused.append((follow_up, str(exc)))
            continue
        sent.append(follow_up)
    if not sent and not refused:
        return None
    message_set.save()
    records = ledger.follow_ups_sent(ctx.session.row, message_set,
                                     sent + [f for f, _ in refused])
    ledger.record_follow_up_outcomes([
        ledger.FollowUpOutcome(record, False, message=why,
                               action="Check the order in Saleor and in QuickBooks.")
        for record, (_, why) in zip(records[len(sent):], refused, strict=True)])
    if not sent:
        return None
    meta = {element.get("requestID"): info for element, info in head}
    meta.update({r.request_id: {"kind": r.kind, "record": r.pk} for r in records[:len(sent)]})
    return ctx.store(kind, [e for e, _ in head] + requests, meta, message_set=message_set)


def _problem(answer, record: FollowUpRecord) -> str:
    """Why a successful-looking answer does not prove the document is in QuickBooks."""
    if record.kind != FollowUpKind.VOID:
        return add_problem(answer, ret_type=record.kind, ref_number=record.ref_number)
    if answer.txn_id != record.applied_to_txn_id:
        return (f"QuickBooks reported voiding {answer.txn_id or 'nothing'}, not "
                f"{record.applied_to_txn_id}")
    return ""


def _look_up(ctx: Context, lost: list[FollowUpRecord]) -> str | None:
    ctx.session.work.payments_asked += [r.pk for r in lost]
    # a void has nothing to look up, and voiding again is harmless (QuickBooks answers a void
    # of a voided transaction with success): it is simply sent again
    voids = [r for r in lost if r.kind == FollowUpKind.VOID]
    ledger.follow_ups_not_in_quickbooks(voids, "Web Connector lost the answer; the void is "
                                        "sent again (voiding twice changes nothing).")
    lost = [r for r in lost if r.kind != FollowUpKind.VOID]
    if not lost:
        return request(ctx)
    by_kind: dict[str, list[FollowUpRecord]] = {}
    for record in lost:
        by_kind.setdefault(record.kind, []).append(record)
    requests, meta = [], {}
    for index, (kind, group) in enumerate(sorted(by_kind.items())):
        request_id = f"q{index}"
        refs = [r.ref_number for r in group]
        requests.append(build.payment_query_by_ref(refs, request_id)
                        if kind == FollowUpKind.PAYMENT
                        else build.follow_up_query_by_ref(kind, refs, request_id))
        meta[request_id] = {"kind": "lookup", "records": [r.pk for r in group]}
    return ctx.store(MessageSetKind.FOLLOW_UPS, requests, meta)


def _read_lookup(answers: Answers, request_id: str, group: list[FollowUpRecord],
                 outcomes: list, absent: list) -> None:
    verdict = answers.answer(request_id)
    answer = verdict.item
    if not group:
        return
    problem = verdict.problem or (query_problem(
        answer, ret_type=group[0].kind, ref_numbers=answers.ref_numbers(request_id),
        id_field="TxnID") if answer is not None else "")
    if answer is None or problem or answer.status_class not in (StatusClass.SUCCESS,
                                                                 StatusClass.NOT_FOUND):
        return  # asked again in the next session; never guessed
    for record in group:
        guid = _guid(record)
        match = next((r for r in answer.records if r.get("RefNumber") == record.ref_number
                      and r.get("ExternalGUID", "").lower() == guid), None)
        if match is None:
            absent.append(record)
        else:
            outcomes.append(ledger.FollowUpOutcome(
                record, True, txn_id=match["TxnID"],
                message="Confirmed in QuickBooks after a lost answer"))


def _guid(record: FollowUpRecord) -> str:
    if record.kind == FollowUpKind.PAYMENT:
        return payment_guid(str(record.order_id), record.source_id, record.sequence)
    return document_guid(record.kind, str(record.order_id), record.source_id, record.sequence)


def _lost(ctx: Context):
    return ledger.follow_ups_to_reconcile(excluding=ctx.session.work.payments_asked)


def _orders(due) -> list[str]:
    """The orders of (document, order on file) pairs, each once."""
    return list(dict.fromkeys(on_file.order_id for _, on_file in due))


# --- payments -------------------------------------------------------------------------------


def _said(ctx: Context, compare, orders: list[OrderOnFile]):
    """``compare(preferences, source, orders)``'s findings, its warnings said in the session's
    log (the last of what it returns)."""
    *found, warnings = compare(ctx.preferences, ctx.source, orders)
    for warning in warnings:
        ctx.session.say(warning)
    return found


def _payments_now(ctx: Context, invoices: list[OrderOnFile]
                  ) -> list[tuple[ReceivedPayment, OrderOnFile]]:
    return _said(ctx, _payments, invoices)[0]


def _payments(preferences: Preferences, source: OrderSource, invoices: list[OrderOnFile]
              ) -> tuple[list[tuple[ReceivedPayment, OrderOnFile]], list[str]]:
    """The payments to send for these invoices, and what a person should know; invoices Saleor
    has not charged anything on are ruled out by their summaries, the rest loaded once."""
    charged = _charged(source, [i.order_id for i in invoices])
    invoices = [i for i in invoices if i.order_id in charged]
    if not invoices:
        return [], []
    documents = source.load([i.order_id for i in invoices])
    received = ledger.received([i.order_id for i in invoices])
    today = clock.now().date()
    out: list[tuple[ReceivedPayment, OrderOnFile]] = []
    warnings: list[str] = []
    for invoice in invoices:
        document = documents.get(invoice.order_id)
        if document is None:
            continue
        invoice = _with_customer(preferences, invoice, document)
        if invoice is None:
            continue
        due = due_payments(document, invoice, received.get(invoice.order_id, {}),
                           preferences, today=today)
        warnings += [f"Order #{invoice.order_number}: {w}" for w in due.warnings]
        out += [(payment, invoice) for payment in due.payments]
    return out, warnings


def _charged(source: OrderSource, order_ids: list[str]) -> set[str]:
    """Those of these orders Saleor has charged something on (from their summaries)."""
    if not order_ids:
        return set()
    summaries = source.search(
        OrderFilter(order_ids=tuple(order_ids), include_exported=True, any_status=True),
        offset=0, limit=len(order_ids))
    return {s.order_id for s in summaries if s.charge_status != ChargeStatus.NONE}


def _payment(payment: ReceivedPayment, invoice: OrderOnFile, request_id: str
             ) -> ledger.FollowUp:
    return ledger.FollowUp(
        kind=FollowUpKind.PAYMENT, order_id=payment.order_id, order_number=payment.order_number,
        source_id=payment.payment_id, sequence=payment.sequence, ref_number=payment.ref_number,
        amount=payment.amount, currency=payment.currency, request_id=request_id,
        applied_to_txn_id=payment.invoice_txn_id, order_record_pk=invoice.record_pk,
        channel_slug=invoice.channel_slug, customer_name=payment.customer_name,
        payment_method=payment.payment_method)


# --- credit memos and refunds -----------------------------------------------------------------


def _refunds_now(ctx: Context, orders: list[OrderOnFile]):
    return _said(ctx, _refunds, orders)


def _refunds(preferences: Preferences, source: OrderSource, orders: list[OrderOnFile]
             ) -> tuple[list[tuple[CreditMemo, OrderOnFile]],
                        list[tuple[Cancellation, OrderOnFile]], list[str]]:
    """The credit memos these orders' refunds need and the voids their cancellations do,
    and what a person should know (documents loaded once)."""
    if not orders:
        return [], [], []
    ids = [o.order_id for o in orders]
    documents = source.load(ids)
    # what staff mapped: a refunded line of a mapped SKU goes back on the item it was sold on
    by_hand = mappings.current() if preferences.record_refunds and documents else NO_MAPPINGS
    credited = ledger.received(ids, FollowUpKind.CREDIT_MEMO)
    paid = ledger.received(ids, FollowUpKind.PAYMENT) if preferences.void_cancelled else {}
    voided = ledger.received(ids, FollowUpKind.VOID) if preferences.void_cancelled else {}
    today = clock.now().date()
    memos: list[tuple[CreditMemo, OrderOnFile]] = []
    voids: list[tuple[Cancellation, OrderOnFile]] = []
    warnings: list[str] = []
    for on_file in orders:
        document = documents.get(on_file.order_id)
        if document is None:
            continue
        if preferences.void_cancelled and not voided.get(on_file.order_id):
            cancelled = cancellation(document, on_file, money_in_quickbooks=bool(
                paid.get(on_file.order_id) or credited.get(on_file.order_id)))
            if cancelled is not None:
                voids.append((cancelled, on_file))
        if not preferences.record_refunds or not (document.refunds or document.total_refunded):
            continue
        on_file = _with_customer(preferences, on_file, document, by_hand)
        if on_file is None:
            continue
        try:
            due = due_credit_memos(document, on_file, credited.get(on_file.order_id, {}),
                                   preferences, today=today, mappings=by_hand)
        except MappingError as exc:
            warnings.append(f"Order #{on_file.order_number}: its refund cannot go to "
                            f"QuickBooks: {exc.message}")
            continue
        memos += [(memo, on_file) for memo in due.credit_memos]
    return memos, voids, warnings


def _void_request(cancelled: Cancellation, request_id: str) -> etree._Element:
    if cancelled.for_a_person:
        raise ValueError(cancelled.for_a_person)  # recorded as refused, with the reason
    return build.txn_void(cancelled.txn_kind, cancelled.txn_id, request_id)


def _void(cancelled: Cancellation, on_file: OrderOnFile, request_id: str) -> ledger.FollowUp:
    return ledger.FollowUp(
        kind=FollowUpKind.VOID, order_id=cancelled.order_id,
        order_number=cancelled.order_number, source_id=cancelled.source_id, sequence=1,
        ref_number=cancelled.ref_number, amount=ZERO, currency=on_file.currency,
        request_id=request_id, applied_to_txn_id=cancelled.txn_id,
        order_record_pk=on_file.record_pk, channel_slug=on_file.channel_slug,
        customer_name=on_file.customer_name)


def _credit_memo_add(memo: CreditMemo, request_id: str) -> etree._Element:
    return build.transaction_add(memo.transaction, request_id)


def _item_adds(memos: list[CreditMemo]) -> list[tuple[etree._Element, dict]]:
    """Item adds for the items the credit memos' lines need that QuickBooks is not known to
    have (an item it has answers 3100, which counts as present)."""
    wanted = {item.name: item for memo in memos for item in memo.items}
    known = names.known((), wanted)
    return [(build.item_add(item, f"i{n}"), {"kind": "item", "name": item.name})
            for n, item in enumerate(i for name, i in wanted.items()
                                     if (names.ITEM, name) not in known)]


def _credit_memo(memo: CreditMemo, on_file: OrderOnFile, request_id: str) -> ledger.FollowUp:
    txn = memo.transaction
    return ledger.FollowUp(
        kind=FollowUpKind.CREDIT_MEMO, order_id=txn.order_id, order_number=txn.order_number,
        source_id=memo.source_id, sequence=memo.sequence, ref_number=txn.ref_number,
        amount=txn.lines_total, currency=txn.currency, request_id=request_id,
        applied_to_txn_id=on_file.txn_id, order_record_pk=on_file.record_pk,
        channel_slug=on_file.channel_slug, customer_name=txn.customer_name)


def _refund(refund, memo: FollowUpRecord, request_id: str) -> ledger.FollowUp:
    return ledger.FollowUp(
        kind=FollowUpKind.REFUND, order_id=refund.order_id, order_number=refund.order_number,
        source_id=refund.source_id, sequence=refund.sequence, ref_number=refund.ref_number,
        amount=refund.amount, currency=refund.currency, request_id=request_id,
        applied_to_txn_id=refund.credit_memo_txn_id, order_record_pk=memo.order_record_id,
        channel_slug=memo.channel_slug, customer_name=refund.customer_name,
        payment_method=refund.payment_method)


def _with_customer(preferences: Preferences, on_file: OrderOnFile, document,
                   by_hand: NameMappings = NO_MAPPINGS) -> OrderOnFile | None:
    """``on_file`` with its QuickBooks customer: the one the ledger kept, else (rows written
    before it kept one, all in the home currency) the mapping's now; None when the order no
    longer maps."""
    if on_file.customer_name:
        return on_file
    try:
        return replace(on_file, customer_name=map_order(
            document, preferences, mappings=by_hand).customer.name)
    except MappingError:
        return None


def _advice(record: FollowUpRecord, status_code: int, message: str) -> str:
    if record.kind == FollowUpKind.PAYMENT and status_code == 3210:
        return (f"QuickBooks would not receive {record.amount} {record.currency} against "
                f"invoice {record.ref_number.rsplit('-', 1)[0]}: it is more than the invoice's "
                "open balance. Was the payment already received in QuickBooks by hand?")
    if record.kind == FollowUpKind.REFUND and status_code == 3210:
        return (f"QuickBooks would not give back {record.amount} {record.currency} against "
                f"credit memo {record.ref_number}: its credit was already used (applied to an "
                "invoice or refunded by hand in QuickBooks).")
    if status_code == 3120:
        return (f"The transaction of order #{record.order_number} this applies to is no longer "
                "in QuickBooks (deleted or voided there); nothing was recorded.")
    return describe(status_code, message)


# --- what is due, for the preview (on demand, staff queue it) ------------------------------


@dataclass(frozen=True, slots=True)
class DueDocument:
    """A document QuickBooks lacks for an order it has: what the next run would send."""

    kind: str
    amount: Decimal
    currency: str
    description: str


def due_documents(preferences: Preferences, source: OrderSource, order_ids: list[str]
                  ) -> dict[str, tuple[DueDocument, ...]]:
    """For those of ``order_ids`` in QuickBooks: the payments, credit memos, refunds of money
    and voids a Web Connector run would send now, by the same comparison as the run's (nothing
    is marked, nothing written)."""
    out: dict[str, list[DueDocument]] = {}
    if not order_ids:
        return {}
    if preferences.record_payments:
        for payment, invoice in _payments(preferences, source,
                                          ledger.invoices_of(order_ids))[0]:
            out.setdefault(invoice.order_id, []).append(DueDocument(
                FollowUpKind.PAYMENT, payment.amount, payment.currency,
                f"payment {payment.ref_number} against invoice {invoice.ref_number}"))
    if preferences.record_refunds or preferences.void_cancelled:
        memos, voids, _ = _refunds(preferences, source, ledger.orders_for_refunds_of(order_ids))
        for memo, on_file in memos:
            txn = memo.transaction
            out.setdefault(on_file.order_id, []).append(DueDocument(
                FollowUpKind.CREDIT_MEMO, txn.lines_total, txn.currency,
                f"credit memo {txn.ref_number} for a refund"))
        for cancelled, on_file in voids:
            out.setdefault(on_file.order_id, []).append(DueDocument(
                FollowUpKind.VOID, ZERO, on_file.currency,
                cancelled.for_a_person or f"void {on_file.kind} {on_file.ref_number} "
                "(cancelled in Saleor)"))
    if preferences.record_refunds and preferences.refund_money:
        for memo in ledger.credit_memos_to_refund(len(order_ids) * 4, order_ids):
            out.setdefault(str(memo.order_id), []).append(DueDocument(
                FollowUpKind.REFUND, memo.amount, memo.currency,
                f"money back against credit memo {memo.ref_number}"))
    return {order_id: tuple(documents) for order_id, documents in out.items()}
