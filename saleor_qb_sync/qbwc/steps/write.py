"""Step 4: the adds. One message set carries, in this order:

1. ``CustomerAdd`` and item adds for the names of its orders that QuickBooks is not known to
   have (a name it has answers 3100, which counts as present; QuickBooks processes a set in
   order, so the transactions after them find them);
2. one transaction add per order (``continueOnError``: one bad order never blocks the others),
   each with its own ``requestID`` and the ledger attempt stored before the set leaves.

A set holds at most ``orders_per_request`` orders and ``MAX_SET_BYTES`` of qbXML, whichever
comes first. Why these defaults: QuickBooks processes a whole set before Web Connector gets the
answer, and Web Connector waits about two minutes for it; connectors in the field keep a sync
to "approximately 50-250 orders" for that reason (Connex), and a typical order here is 2 to
3 KB of qbXML, so 250 orders are well under 1 MB, a size Web Connector (a .NET SOAP client)
carries without trouble.
"""

from __future__ import annotations

from ... import ledger
from ...ledger import Claim, Unsent
from ...models import MessageSet, MessageSetKind
from ...qbxml import build
from ...qbxml.answers import Answers, add_problem
from ...qbxml.edits import header_of
from ...qbxml.status import StatusClass, classify, describe
from ...transfers import automatic_work
from .. import names, preflight
from ..session import Wave
from .context import Context
from .orders import items_need_lookup, prepare

#: the most qbXML one write set may carry
MAX_SET_BYTES = 1_000_000
#: a wave is this many write sets of orders, looked up together, at most ``MAX_WAVE_ORDERS``
WAVE_SETS = 4
MAX_WAVE_ORDERS = 1_000


def wave_size(preferences) -> int:
    """The most orders one wave takes."""
    return min(MAX_WAVE_ORDERS, WAVE_SETS * preferences.orders_per_request)


def next_wave(ctx: Context, *, claim: bool = True) -> bool:
    """Start the next wave: one held back (halves of an unreadable set, orders tried again),
    else (``claim``) newly claimed orders. False when there is nothing left."""
    work = ctx.session.work
    if work.next_waves:
        work.wave = work.next_waves.pop(0)
        return True
    if not claim:
        return False
    size = wave_size(ctx.preferences)
    claims = ledger.claim_orders(ctx.session.row, ctx.source, size,
                                 automatic=automatic_work(ctx.preferences))
    work.wave = Wave(claims)
    return bool(claims)


def request(ctx: Context) -> str | None:
    """The next write set of the wave, or None if none of its next orders can be sent (each
    then failed with its reason)."""
    session, work = ctx.session, ctx.session.work
    prepared, unsent = prepare(ctx, work.wave.claims[:ctx.preferences.orders_per_request])
    known = names.known({p.mapped.customer.name for p in prepared},
                        {i.name for p in prepared for i in p.mapped.items})
    checked = work.preflight or preflight.Preflight()
    message_set = MessageSet(session=session.row, kind=MessageSetKind.WRITE, request_xml="",
                             requests={})
    adds: list[str] = []
    txns: list[str] = []
    meta: dict[str, dict] = {}
    added: set[tuple[str, str]] = set()
    #: each sent order's attempt, made once the set is saved
    attempts: list[dict] = []
    sent: list[Claim] = []
    size = 0
    for p in prepared:
        txn = p.mapped.transaction
        to_create = [i.name for i in p.mapped.items if (names.ITEM, i.name) not in known]
        blocked = preflight.blocker(p.mapped, to_create, checked, ctx.preferences)
        if blocked is not None:
            unsent.append(Unsent(p.claim, blocked.message, "missing_in_quickbooks",
                                 txn.kind.value, txn.ref_number, blocked.cause))
            continue
        request_id = f"t{len(txns)}"
        try:
            txn_request = build.transaction_add_xml(txn, request_id)
        except ValueError as exc:  # the builder refused it: this order fails, not the set
            unsent.append(Unsent(p.claim, str(exc), "build_failed", txn.kind.value,
                                 txn.ref_number))
            continue
        new_adds = _adds_for(p.mapped, known | added, len(adds))
        cost = sum(_size(xml) for xml, _, _ in new_adds) + _size(txn_request)
        if sent and size + cost > MAX_SET_BYTES:
            break  # this order and the rest go in the next set
        size += cost
        for xml, add_id, info in new_adds:
            adds.append(xml)
            meta[add_id] = info
            added.add((info["kind"], info["name"]))
        txns.append(txn_request)
        sent.append(p.claim)
        attempts.append(dict(
            order_id=p.claim.order_id, order_number=p.claim.order_number,
            transaction_type=txn.kind.value, ref_number=txn.ref_number, session=session.row,
            operation_id=p.claim.operation_id, request_id=request_id,
            total_amount=txn.lines_total, currency=txn.currency,
            channel_slug=p.claim.channel_slug, customer_name=txn.customer_name,
            header=header_of(txn)))
        meta[request_id] = {
            "kind": "txn", "order_id": p.claim.order_id, "number": p.claim.order_number,
            "operation_id": p.claim.operation_id, "customer": p.mapped.customer.name,
            "items": sorted({i.name for i in p.mapped.items})}
    ledger.fail_unsent(session.row, unsent)
    session.failed(len(unsent))
    gone = {c.order_id for c in sent} | {u.claim.order_id for u in unsent}
    work.wave.claims = [c for c in work.wave.claims if c.order_id not in gone]
    if not sent:
        return None
    message_set.save()
    for record in ledger.sent([ledger.new_attempt(**attempt, message_set=message_set)
                               for attempt in attempts]):
        meta[record.request_id]["record"] = record.pk
    work.in_flight = sent
    return ctx.store(MessageSetKind.WRITE, adds + txns, meta, message_set=message_set)


def _size(xml: str) -> int:
    """A request's bytes as ASCII with character references, the measure of ``MAX_SET_BYTES``."""
    return len(xml.encode("ascii", "xmlcharrefreplace"))


def _adds_for(mapped, present: set[tuple[str, str]], start: int
              ) -> list[tuple[str, str, dict]]:
    """The customer and item adds this order needs beyond the names ``present``: each as text,
    with its requestID and what it is for."""
    out: list[tuple[str, str, dict]] = []
    customer = mapped.customer
    # a customer staff mapped is one QuickBooks has: never added
    if customer.name and not customer.existing and (names.CUSTOMER, customer.name) not in present:
        request_id = f"a{start}"
        out.append((build.customer_add_xml(customer, request_id), request_id,
                    {"kind": "customer", "name": customer.name}))
    seen = set()
    for item in mapped.items:
        if (names.ITEM, item.name) in present or item.name in seen:
            continue
        seen.add(item.name)
        request_id = f"a{start + len(out)}"
        out.append((build.item_add_xml(item, request_id), request_id,
                    {"kind": "item", "name": item.name, "account": item.account}))
    return out


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    session, work = ctx.session, ctx.session.work
    retried = set(work.retried)
    #: items QuickBooks would not create in this set: name → why (a preflight.Blocker)
    refused: dict[str, preflight.Blocker] = {}
    confirmed_names: list[tuple[str, str]] = []
    outcomes: list[ledger.Outcome] = []
    unconfirmed: list[tuple[ledger.ExportRecord, str]] = []
    again: list[tuple[ledger.ExportRecord, int, str]] = []
    retry: list[Claim] = []
    records = ledger.attempts([m["record"] for m in message_set.requests.values()
                               if m["kind"] == "txn"])
    for request_id, meta in message_set.requests.items():
        verdict = answers.answer(request_id)
        answer = verdict.item
        if meta["kind"] in ("customer", "item"):
            if answer is not None and (answer.status_code == 3100 or answer.ok and not (
                    add_problem(answer, ret_type=meta["kind"].capitalize(),
                                ref_number=None))):
                confirmed_names.append((meta["kind"], meta["name"]))
            elif answer is not None and meta["kind"] == "item":
                refused[meta["name"]] = preflight.refused_item(
                    meta["name"], meta.get("account", ""), answer.message, ctx.preferences)
            continue
        record = records[meta["record"]]
        problem = verdict.problem or ("" if answer is None or not answer.ok else add_problem(
            answer, ret_type=record.transaction_type, ref_number=record.ref_number))
        if answer is None or problem:
            # QuickBooks said nothing about it, or nothing that proves it was added: whether
            # it was is asked (RefNumber and our ExternalGUID) before it is ever sent again
            unconfirmed.append((record, f"Checking QuickBooks: {problem}." if problem else
                                "Checking QuickBooks: its answer said nothing about this "
                                "order."))
            continue
        if answer.ok:
            outcomes.append(ledger.Outcome(record, True, txn_id=answer.txn_id,
                                           status_code=answer.status_code,
                                           message=answer.message if answer.status_code else ""))
            session.done()
        elif answer.status_code == 3140 and (why := next(
                (refused[i] for i in meta.get("items") or () if i in refused), None)):
            # the order failed because an item it needs could not be created: say why
            outcomes.append(ledger.Outcome(record, False, status_code=answer.status_code,
                                           message=answer.message, action=why.message,
                                           cause=why.cause))
            session.failed()
            session.say(f"Order #{record.order_number}: {why.message}")
        elif answer.status_code == 3140 and meta["order_id"] not in retried:
            # names we believed were in QuickBooks are not: forget the order's names (QuickBooks
            # quotes only the first missing one) and try the order once more, adding them
            names.forget([meta.get("customer") or ""], meta.get("items") or ())
            again.append((record, answer.status_code, answer.message))
            retried.add(meta["order_id"])
            retry.append(Claim(meta["order_id"], meta["number"], meta["operation_id"],
                               record.channel_slug))
        else:
            advice, cause = failure_reason(ctx, answer)
            outcomes.append(ledger.Outcome(record, False, status_code=answer.status_code,
                                           message=answer.message, action=advice, cause=cause))
            session.failed()
            session.say(f"Order #{record.order_number}: {advice}")
    names.remember(confirmed_names)
    ledger.record_outcomes(outcomes)
    ledger.unconfirmed(unconfirmed)
    ledger.retried(again)
    work.retried = sorted(retried)
    work.in_flight = []
    if retry:
        work.next_waves.insert(0, Wave(retry, looked_up=not items_need_lookup(ctx)))


def failure_reason(ctx: Context, answer) -> tuple[str, ledger.Cause | None]:
    """What to tell a person about a refused order, and the cause a later session checks
    (none for what only a person can clear, such as the closing date)."""
    fingerprint = ctx.preferences.fingerprint()
    if answer.status_code == 3140:
        named = preflight.reference_failure(answer.message, ctx.preferences)
        if named is not None:
            return named.message, named.cause
        return (describe(answer.status_code, answer.message),
                ledger.Cause(ledger.CauseKind.SETTINGS, fingerprint))
    advice = describe(answer.status_code, answer.message)
    if classify(answer.status_code, answer.severity) == StatusClass.TRANSIENT:
        return advice, ledger.Cause(ledger.CauseKind.TRANSIENT, fingerprint)
    return advice, None


def unreadable(ctx: Context, message_set: MessageSet, reason: str) -> None:
    """QuickBooks could not read this set (a parse-error HRESULT): nothing of it was processed.
    Its orders are split in two halves sent apart, until the order it cannot read is alone;
    that one fails with the reason."""
    work = ctx.session.work
    orders, work.in_flight = work.in_flight, []
    if len(orders) > 1:
        ledger.withdraw(message_set, reason)
        half = len(orders) // 2
        work.next_waves[:0] = [Wave(orders[:half], looked_up=True),
                               Wave(orders[half:], looked_up=True)]
        return
    failed = [ledger.Outcome(record, False, message=reason, action=(
        "QuickBooks could not read the request for this order; send the qbXML from the "
        "history to support.")) for record in ledger.sent_in(message_set)]
    ledger.record_outcomes(failed)
    ctx.session.failed(len(failed))
