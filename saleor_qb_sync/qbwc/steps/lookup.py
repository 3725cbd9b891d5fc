"""Step 3: for a wave of orders, what QuickBooks already has, asked in one message set.

- ``check_duplicates``: one query per transaction type with every RefNumber of the wave; an
  order QuickBooks already has (our ExternalGUID or memo) is linked, not added again; a number
  QuickBooks uses for another document fails the order with what to change.
- The missing-item rule ``use_default`` or ``fail``: one query with the item names not known
  yet; with ``create`` no look-up is needed (the adds go at the head of the write set, and a
  name QuickBooks has answers 3100, which counts as present).

Nothing is written to QuickBooks here; the answer is read from the set's own record (what each
order is, kept with the request), so the orders are not mapped again to read it.
"""

from __future__ import annotations

from ... import ledger
from ...models import MessageSet, MessageSetKind
from ...preferences import MissingItemAction
from ...qbxml import build
from ...qbxml.answers import Answers, query_problem
from ...qbxml.records import TxnKind
from .. import names
from .context import Context
from .matching import matching_record
from .orders import Numbered, items_need_lookup, number, prepare


def request(ctx: Context) -> str | None:
    """The look-ups of the current wave, or None (the wave is then looked up)."""
    requests, meta = plan(ctx)
    return ctx.store(MessageSetKind.LOOKUP, requests, meta) if requests else None


def plan(ctx: Context) -> tuple[list, dict]:
    """The wave's look-up queries and what each asks; none needed: the wave is looked up."""
    work = ctx.session.work
    wave = work.wave
    lookups_items = items_need_lookup(ctx)
    if not ctx.preferences.check_duplicates and not lookups_items:
        wave.looked_up = True
        return [], {}
    requests, meta = [], {}
    if lookups_items:  # the rule needs each order's items: map them
        prepared, unsent = prepare(ctx, wave.claims)
        numbered = [Numbered(p.claim, p.mapped.transaction.kind, p.mapped.transaction.ref_number)
                    for p in prepared]
        wanted = {i.name for p in prepared for i in p.mapped.items}
        known = names.known((), wanted)
        unknown = sorted(n for n in wanted if (names.ITEM, n) not in known)
        if unknown:
            requests.append(build.item_query(unknown, "qi"))
            meta["qi"] = {"kind": "items", "names": unknown, "orders": {
                p.claim.order_id: {"items": sorted({i.name for i in p.mapped.items}),
                                   "txn": p.mapped.transaction.kind.value,
                                   "ref": p.mapped.transaction.ref_number}
                for p in prepared}}
    else:  # duplicates only: the RefNumber and type are all the look-up needs
        numbered, unsent = number(ctx, wave.claims)
    if unsent:
        ledger.fail_unsent(ctx.session.row, unsent)
        ctx.session.failed(len(unsent))
        wave.claims = [n.claim for n in numbered]
    if ctx.preferences.check_duplicates:
        by_kind: dict[TxnKind, dict] = {}
        for n in numbered:
            by_kind.setdefault(n.kind, {})[n.claim.order_id] = {"ref": n.ref_number}
        for kind, orders in sorted(by_kind.items()):
            request_id = f"qd{kind.value}"
            requests.append(build.transaction_query_by_ref(
                kind, [o["ref"] for o in orders.values()], request_id))
            meta[request_id] = {"kind": "duplicates", "txn": kind.value, "orders": orders}
    if not requests:
        wave.looked_up = True
    return requests, meta


def problem(message_set: MessageSet, answers: Answers) -> str:
    """What makes a look-up answer unusable, or "": every look-up must have exactly one answer
    of the type asked, whose records are of the kind asked (with TxnIDs and only the RefNumbers
    asked, for duplicate checks); a doubt would let us add a duplicate or skip an order."""
    for request_id, meta in message_set.requests.items():
        kind = meta.get("kind")
        if kind not in ("items", "duplicates"):
            continue  # the harmless HostQuery of a session with nothing left
        verdict = answers.answer(request_id)
        if verdict.item is None:
            return verdict.problem or f"no answer to look-up {request_id}"
        ret_type = "Item" if kind == "items" else verdict.item.request_type.removesuffix(
            "Query")
        found = query_problem(verdict.item, ret_type=ret_type,
                              ref_numbers=answers.ref_numbers(request_id),
                              id_field="TxnID" if kind == "duplicates" else "")
        if found:
            return found
    return ""


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    """Only called once ``problem`` found every look-up answered as asked."""
    session, work = ctx.session, ctx.session.work
    by_order = {c.order_id: c for c in work.wave.claims}
    #: claim, type, ref, the matching QuickBooks record (None: the number is another's)
    found: list[tuple[ledger.Claim, str, str, dict | None]] = []
    for request_id, meta in message_set.requests.items():
        answer = answers.get(request_id)
        if meta["kind"] != "duplicates" or answer is None:
            continue
        for order_id, order in meta["orders"].items():
            claim = by_order.get(order_id)
            if claim is None:
                continue
            match = matching_record(answer, order["ref"], order_id, claim.order_number)
            if match is not None:
                found.append((claim, meta["txn"], order["ref"], match))
            elif any(r.get("RefNumber") == order["ref"] for r in answer.records):
                found.append((claim, meta["txn"], order["ref"], None))
    settled = {claim.order_id for claim, *_ in found}
    # the amounts of the few orders QuickBooks has, for the history (mapped only for that)
    mapped = {p.claim.order_id: p.mapped.transaction
              for p in prepare(ctx, [claim for claim, *_ in found])[0]} if found else {}
    attempts: list[tuple[ledger.ExportRecord, str | None, str, str]] = []
    for claim, txn_type, ref, match in found:
        txn = mapped.get(claim.order_id)
        txn_id = match.get("TxnID", "") if match is not None else None
        attempts.append((ledger.new_attempt(
            order_id=claim.order_id, order_number=claim.order_number,
            transaction_type=txn_type, ref_number=ref, session=session.row,
            operation_id=claim.operation_id,
            total_amount=txn.lines_total if txn is not None else None,
            currency=txn.currency if txn is not None else "",
            channel_slug=claim.channel_slug,
            customer_name=(match or {}).get("CustomerRef", "")), txn_id, txn_type, ref))
    ledger.sent([record for record, *_ in attempts])
    outcomes = []
    for record, txn_id, txn_type, ref in attempts:
        if txn_id is None:
            outcomes.append(ledger.Outcome(record, False, message=(
                f"QuickBooks already has a {txn_type} numbered {ref} that is not this order."),
                action="Set a RefNumber prefix in the plugin settings so Saleor numbers do not "
                       "collide with numbers already used in QuickBooks."))
        else:
            outcomes.append(ledger.Outcome(record, True, txn_id=txn_id, linked_existing=True,
                                           message="Already in QuickBooks; linked, not added "
                                                   "again"))
    ledger.record_outcomes(outcomes)
    session.done(sum(o.done for o in outcomes))
    session.failed(sum(not o.done for o in outcomes))
    unsent = _read_items(ctx, message_set, answers, settled, by_order)
    settled |= {u.claim.order_id for u in unsent}
    work.wave.claims = [c for c in work.wave.claims if c.order_id not in settled]
    work.wave.looked_up = True


def _read_items(ctx: Context, message_set: MessageSet, answers: Answers, settled: set[str],
                by_order: dict) -> list[ledger.Unsent]:
    """Remember the items found; with ``fail``, the orders needing a missing one fail here."""
    meta = message_set.requests.get("qi")
    if meta is None:
        return []
    answer = answers.get("qi")
    # QuickBooks names are case-insensitive: "t-shirt" finds "T-Shirt"
    found = {n.casefold() for n in answer.found_names} if answer else set()
    names.remember((names.ITEM, n) for n in meta["names"] if n.casefold() in found)
    missing = {n for n in meta["names"] if n.casefold() not in found}
    work = ctx.session.work
    work.missing_items = sorted(set(work.missing_items) | missing)
    if ctx.preferences.missing_item_action != MissingItemAction.FAIL or not missing:
        return []
    unsent = []
    for order_id, order in meta["orders"].items():
        absent = sorted(set(order["items"]) & missing)
        if order_id in settled or order_id not in by_order or not absent:
            continue
        unsent.append(ledger.Unsent(
            by_order[order_id], f"QuickBooks has no item named {', '.join(absent)}.",
            "Create the item in QuickBooks or change the missing item rule.",
            transaction_type=order["txn"], ref_number=order["ref"],
            cause=ledger.Cause(ledger.CauseKind.ITEM, ctx.preferences.fingerprint(), absent[0])))
    ledger.fail_unsent(ctx.session.row, unsent)
    ctx.session.failed(len(unsent))
    return unsent
