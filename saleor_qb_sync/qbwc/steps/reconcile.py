"""Step 2: attempts whose answer was lost are looked up in QuickBooks before anything else.

By RefNumber, one query per transaction type; an attempt is ours only if QuickBooks' record
carries our ExternalGUID or memo (RefNumbers are not unique in QuickBooks). Found: the ledger
records it as exported. Not there: the attempt ends and the order is sent again. An answer
that cannot be trusted: the attempt waits for the next session (asked once per session, so a
QuickBooks that cannot say never makes a session loop).
"""

from __future__ import annotations

from ... import ledger
from ...models import ExportRecord, MessageSet, MessageSetKind
from ...qbxml import build
from ...qbxml.answers import Answers, query_problem
from ...qbxml.records import TxnKind
from ...qbxml.status import StatusClass
from .context import Context
from .matching import matching_record


def pending(ctx: Context) -> bool:
    """Attempts wait to be looked up, not yet asked about in this session."""
    return ledger.to_reconcile(excluding=ctx.session.work.reconcile_asked).exists()


def request(ctx: Context) -> str | None:
    work = ctx.session.work
    records = list(ledger.to_reconcile(excluding=work.reconcile_asked)
                   [:ctx.preferences.orders_per_request])
    if not records:
        return None
    work.reconcile_asked += [r.pk for r in records]
    by_kind: dict[str, list[ExportRecord]] = {}
    for record in records:
        by_kind.setdefault(record.transaction_type, []).append(record)
    requests, meta = [], {}
    for index, (kind, group) in enumerate(sorted(by_kind.items())):
        request_id = f"r{index}"
        requests.append(build.transaction_query_by_ref(
            TxnKind(kind), [r.ref_number for r in group], request_id))
        meta[request_id] = {"kind": "reconcile", "records": [r.pk for r in group]}
    return ctx.store(MessageSetKind.RECONCILE, requests, meta)


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    wanted = [pk for meta in message_set.requests.values() for pk in meta["records"]]
    records = ledger.to_reconcile().in_bulk(wanted)
    confirmed: list[ledger.Outcome] = []
    absent: list[ExportRecord] = []
    for request_id, meta in message_set.requests.items():
        verdict = answers.answer(request_id)
        answer = verdict.item
        group = [records[pk] for pk in meta["records"] if pk in records]
        problem = verdict.problem
        if answer is not None and group:
            problem = query_problem(answer, ret_type=group[0].transaction_type,
                                    ref_numbers=answers.ref_numbers(request_id),
                                    id_field="TxnID")
        if problem:
            ledger.still_checking(group, f"Still checking QuickBooks: {problem}.")
        if answer is None or problem or answer.status_class not in (
                StatusClass.SUCCESS, StatusClass.NOT_FOUND):
            continue  # ask again next time; never guess
        for record in group:
            match = matching_record(answer, record.ref_number, str(record.order_id),
                                    record.order_number)
            if match is None:
                absent.append(record)
                continue
            confirmed.append(ledger.Outcome(record, True, txn_id=match["TxnID"], message=(
                "Confirmed in QuickBooks after a lost answer" if not record.status_message
                else f"Confirmed in QuickBooks by looking it up ({record.status_message})")))
    ledger.record_outcomes(confirmed)
    ctx.session.done(len(confirmed))
    # QuickBooks never got these: the attempts end and the orders are sent again
    ledger.not_in_quickbooks(absent, "Web Connector lost the answer and QuickBooks does not "
                             "have this order; it is sent again.", action="resent")
