"""Step 5: payments. Once the session's orders are written, what Saleor charged on orders that
are in QuickBooks as invoices is received there, applied to each invoice.

In order, each set carries:

1. payments whose answer was lost, looked up by RefNumber and matched by our ExternalGUID
   (found: received; absent: the attempt ends and the charge is due again);
2. ``ReceivePaymentAdd`` for the charges QuickBooks has not received, at most
   ``orders_per_request`` orders' payments a set.

Which invoices to compare: those whose live payments do not cover them (``ledger``), least
recently compared first, at most ``MAX_INVOICES_PER_SESSION`` a session; Saleor's charge status
rules out the unpaid ones without loading them. Off with the ``record_payments`` setting.
"""

from __future__ import annotations

from dataclasses import replace

from ... import clock, ledger
from ...documents import ChargeStatus
from ...errors import MappingError
from ...models import FollowUpKind, MessageSet, MessageSetKind
from ...order_source import OrderFilter, OrderSource
from ...preferences import Preferences
from ...qbxml import build
from ...qbxml.answers import Answers, add_problem, query_problem
from ...qbxml.mapping import map_order
from ...qbxml.payments import InvoiceOnFile, due_payments
from ...qbxml.records import ReceivedPayment, payment_guid
from ...qbxml.status import StatusClass, describe
from .context import Context

#: open invoices one session compares with Saleor at most (the least recently compared first)
MAX_INVOICES_PER_SESSION = 5_000
#: invoices compared at a time: a callback's statements stay the same up to this many
COMPARE_AT_ONCE = 500


def pending(ctx: Context) -> bool:
    """Payments are to be looked up or sent in this session. Compares open invoices with
    Saleor until some are due (they wait in the session's work) or none are left."""
    work = ctx.session.work
    if not ctx.preferences.record_payments or work.payments_finished:
        return False
    if work.payments_due or _lost(ctx).exists():
        return True
    while work.payments_scanned < MAX_INVOICES_PER_SESSION:
        invoices = ledger.open_invoices(
            min(COMPARE_AT_ONCE, MAX_INVOICES_PER_SESSION - work.payments_scanned),
            checked_before=ctx.session.row.started_at)
        if not invoices:
            break
        work.payments_scanned += len(invoices)
        work.payments_due = list(dict.fromkeys(p.order_id for p, _ in _due_now(ctx, invoices)))
        if work.payments_due:
            return True
    work.payments_finished = True
    return False


def waiting(preferences: Preferences, source: OrderSource) -> int:
    """How many orders have payments to look up or send, for ``authenticate`` (compares the
    ``COMPARE_AT_ONCE`` least recently compared invoices, marking nothing)."""
    if not preferences.record_payments:
        return 0
    invoices = ledger.open_invoices(COMPARE_AT_ONCE, checked_before=clock.now(), mark=False)
    due, _ = _due(preferences, source, invoices)
    lost = ledger.follow_ups_to_reconcile().filter(kind=FollowUpKind.PAYMENT).count()
    return lost + len({p.order_id for p, _ in due})


def request(ctx: Context) -> str | None:
    if not pending(ctx):
        return None
    work = ctx.session.work
    lost = list(_lost(ctx)[:ctx.preferences.orders_per_request])
    if lost:
        work.payments_asked += [r.pk for r in lost]
        return ctx.store(MessageSetKind.FOLLOW_UPS,
                         [build.payment_query_by_ref([r.ref_number for r in lost], "pq")],
                         {"pq": {"kind": "payment_lookup", "records": [r.pk for r in lost]}})
    orders, work.payments_due = (work.payments_due[:ctx.preferences.orders_per_request],
                                 work.payments_due[ctx.preferences.orders_per_request:])
    due = _due_now(ctx, ledger.invoices_of(orders))
    if not due:
        return request(ctx)  # Saleor changed in between: compare the next invoices
    message_set = MessageSet(session=ctx.session.row, kind=MessageSetKind.FOLLOW_UPS,
                             request_xml="", requests={})
    requests, sent, refused = [], [], []
    for payment, invoice in due:
        request_id = f"p{len(sent) + len(refused)}"
        try:
            requests.append(build.receive_payment_add(payment, request_id))
        except ValueError as exc:  # the builder refused it: this payment fails, not the set
            refused.append((_follow_up(payment, invoice, request_id), str(exc)))
            continue
        sent.append(_follow_up(payment, invoice, request_id))
    message_set.save()
    records = ledger.follow_ups_sent(ctx.session.row, message_set,
                                     sent + [f for f, _ in refused])
    ledger.record_follow_up_outcomes([
        ledger.FollowUpOutcome(record, False, message=why, action="Check the order's payment "
                               "in Saleor and the invoice in QuickBooks.")
        for record, (_, why) in zip(records[len(sent):], refused, strict=True)])
    if not sent:
        return request(ctx)
    meta = {record.request_id: {"kind": "payment", "record": record.pk}
            for record in records[:len(sent)]}
    return ctx.store(MessageSetKind.FOLLOW_UPS, requests, meta, message_set=message_set)


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    pks = [pk for meta in message_set.requests.values()
           for pk in meta.get("records") or [meta.get("record")]]
    records = ledger.follow_up_attempts(pks)
    outcomes: list[ledger.FollowUpOutcome] = []
    absent = []
    for request_id, meta in message_set.requests.items():
        verdict = answers.answer(request_id)
        answer = verdict.item
        if meta["kind"] == "payment_lookup":
            group = [records[pk] for pk in meta["records"] if pk in records]
            problem = verdict.problem or (query_problem(
                answer, ret_type="ReceivePayment", ref_numbers=answers.ref_numbers(request_id),
                id_field="TxnID") if answer is not None else "")
            if answer is None or problem or answer.status_class not in (
                    StatusClass.SUCCESS, StatusClass.NOT_FOUND):
                continue  # asked again in the next session; never guessed
            for record in group:
                guid = payment_guid(str(record.order_id), record.source_id, record.sequence)
                match = next((r for r in answer.records if r.get("RefNumber") ==
                              record.ref_number and r.get("ExternalGUID", "").lower() == guid),
                             None)
                if match is None:
                    absent.append(record)
                else:
                    outcomes.append(ledger.FollowUpOutcome(
                        record, True, txn_id=match["TxnID"],
                        message="Confirmed in QuickBooks after a lost answer"))
            continue
        record = records[meta["record"]]
        problem = verdict.problem or ("" if answer is None or not answer.ok else add_problem(
            answer, ret_type="ReceivePayment", ref_number=record.ref_number))
        if answer is None or problem:
            outcomes.append(ledger.FollowUpOutcome(
                record, None, message=f"Checking QuickBooks: {problem}." if problem else
                "Checking QuickBooks: its answer said nothing about this payment."))
        elif answer.ok:
            outcomes.append(ledger.FollowUpOutcome(
                record, True, txn_id=answer.txn_id, status_code=answer.status_code,
                message=answer.message if answer.status_code else ""))
        else:
            advice = _advice(record, answer.status_code, answer.message)
            outcomes.append(ledger.FollowUpOutcome(record, False, status_code=answer.status_code,
                                                  message=answer.message, action=advice))
            ctx.session.say(f"Order #{record.order_number}: {advice}")
    ledger.record_follow_up_outcomes(outcomes)
    ledger.follow_ups_not_in_quickbooks(absent, "Web Connector lost the answer and QuickBooks "
                                        "does not have this payment; it is sent again.")


def _lost(ctx: Context):
    return ledger.follow_ups_to_reconcile(excluding=ctx.session.work.payments_asked).filter(
        kind=FollowUpKind.PAYMENT)


def _follow_up(payment: ReceivedPayment, invoice: InvoiceOnFile, request_id: str
               ) -> ledger.FollowUp:
    return ledger.FollowUp(
        kind=FollowUpKind.PAYMENT, order_id=payment.order_id, order_number=payment.order_number,
        source_id=payment.payment_id, sequence=payment.sequence, ref_number=payment.ref_number,
        amount=payment.amount, currency=payment.currency, request_id=request_id,
        applied_to_txn_id=payment.invoice_txn_id, order_record_pk=invoice.record_pk,
        channel_slug=invoice.channel_slug, customer_name=payment.customer_name,
        payment_method=payment.payment_method)


def _due_now(ctx: Context, invoices: list[InvoiceOnFile]
             ) -> list[tuple[ReceivedPayment, InvoiceOnFile]]:
    due, warnings = _due(ctx.preferences, ctx.source, invoices)
    for warning in warnings:
        ctx.session.say(warning)
    return due


def _due(preferences: Preferences, source: OrderSource, invoices: list[InvoiceOnFile]
         ) -> tuple[list[tuple[ReceivedPayment, InvoiceOnFile]], list[str]]:
    """The payments to send for these invoices, and what a person should know; invoices Saleor
    has not charged anything on are ruled out by their summaries, the rest loaded once."""
    if not invoices:
        return [], []
    ids = tuple(i.order_id for i in invoices)
    summaries, _ = source.search(
        OrderFilter(order_ids=ids, include_exported=True, any_status=True),
        offset=0, limit=len(ids))
    charged = {s.order_id for s in summaries if s.charge_status != ChargeStatus.NONE}
    invoices = [i for i in invoices if i.order_id in charged]
    if not invoices:
        return [], []
    documents = source.load([i.order_id for i in invoices])
    received = ledger.received([i.order_id for i in invoices])
    today = clock.now().date()
    out: list[tuple[ReceivedPayment, InvoiceOnFile]] = []
    warnings: list[str] = []
    for invoice in invoices:
        document = documents.get(invoice.order_id)
        if document is None:
            continue
        if not invoice.customer_name:  # exported before the ledger kept the customer
            invoice = _with_customer(preferences, invoice, document)
            if invoice is None:
                continue
        due = due_payments(document, invoice, received.get(invoice.order_id, {}),
                           preferences, today=today)
        warnings += [f"Order #{invoice.order_number}: {w}" for w in due.warnings]
        out += [(payment, invoice) for payment in due.payments]
    return out, warnings


def _with_customer(preferences: Preferences, invoice: InvoiceOnFile, document
                   ) -> InvoiceOnFile | None:
    try:
        name = map_order(document, preferences).customer.name
    except MappingError:
        return None
    return replace(invoice, customer_name=name)


def _advice(record, status_code: int, message: str) -> str:
    if status_code == 3210:
        return (f"QuickBooks would not receive {record.amount} {record.currency} against "
                f"invoice {record.ref_number.rsplit('-', 1)[0]}: it is more than the invoice's "
                "open balance. Was the payment already received in QuickBooks by hand?")
    if status_code == 3120:
        return (f"The invoice of order #{record.order_number} is no longer in QuickBooks "
                "(deleted or voided there); the payment was not received.")
    return describe(status_code, message)
