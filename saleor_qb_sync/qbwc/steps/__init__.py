"""The steps of a session: each plans the next message set and reads QuickBooks' answer to it.

In order, each callback asks the first step that has work:

1. ``check``: do the accounts and items the settings name exist? (once per session);
2. ``reconcile``: attempts whose answer was lost are looked up before anything is sent again;
3. ``lookup``: for a wave of orders, the RefNumbers QuickBooks may already have
   (``check_duplicates``) and the item names the missing-item rule needs to know about;
4. ``write``: customers and items QuickBooks lacks at the head of the set, then one
   transaction per order, as many orders as fit the set's count and size;
5. ``follow_ups``: what Saleor did since on orders in QuickBooks: charges received against
   invoices, refunds as credit memos and the money given back (lost answers looked up first);
6. ``edits``: orders edited in Saleor since their export (addresses): their transactions
   read by TxnID and updated (``…Mod`` with the EditSequence read), lost answers looked up.
7. ``lists``: QuickBooks' lists into our tables, when they are older than the preference allows
   or staff asked for a refresh, in iterator chunks, only what changed after the first read.

A step reads and writes the session's typed work (``session.Work``); what QuickBooks confirmed
goes to the ledger; the names it has go to the name cache (``names``).
"""

from __future__ import annotations

from ...models import MessageSet, MessageSetKind
from ...qbxml.answers import Answers
from . import check, edits, follow_ups, lists, lookup, reconcile, write
from .context import Context

__all__ = ["Context", "next_request", "read_answer"]


def next_request(ctx: Context, *, claim: bool = True) -> str | None:
    """The next message set for Web Connector, or None when nothing is left.

    ``claim=False``: only the waves already in the session's work (a dry run puts its orders
    there): no order is claimed, no lost answer reconciled, nothing follows the orders."""
    work = ctx.session.work
    if work.preflight is None and (request := _check(ctx, claim)) is not None:
        return request
    if claim and (request := reconcile.request(ctx)) is not None:
        return request
    while True:
        if not work.wave.claims and not write.next_wave(ctx, claim=claim):
            if not claim:
                return None
            return follow_ups.request(ctx) or edits.request(ctx) or lists.request(ctx)
        if not work.wave.looked_up and (request := lookup.request(ctx)) is not None:
            return request
        if work.wave.claims and (request := write.request(ctx)) is not None:
            return request


def _check(ctx: Context, claim: bool = True) -> str | None:
    """The session's settings check: at the head of the first wave's look-up set, or alone
    when nothing is looked up or a lost answer must be reconciled first; None if not needed."""
    checks, meta = check.plan(ctx)
    if not checks:
        return None
    work = ctx.session.work
    if not (claim and reconcile.pending(ctx)) and (
            work.wave.claims or write.next_wave(ctx, claim=claim)) and not work.wave.looked_up:
        lookups, lookup_meta = lookup.plan(ctx)
        if lookups:
            return ctx.store(MessageSetKind.LOOKUP, checks + lookups, {**meta, **lookup_meta})
    return ctx.store(MessageSetKind.PREFLIGHT, checks, meta)


def read_answer(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    reader = {
        MessageSetKind.PREFLIGHT: check.read,
        MessageSetKind.RECONCILE: reconcile.read,
        MessageSetKind.LOOKUP: lookup.read,
        MessageSetKind.WRITE: write.read,
        MessageSetKind.FOLLOW_UPS: follow_ups.read,
        MessageSetKind.EDITS: edits.read,
        MessageSetKind.LISTS: lists.read,
    }[MessageSetKind(message_set.kind)]
    if message_set.kind == MessageSetKind.LOOKUP and ctx.session.work.preflight is None and any(
            m.get("kind") in ("preflight", check.CURRENCIES)
            for m in message_set.requests.values()):
        check.read(ctx, message_set, answers)  # the settings check rode in this set
    reader(ctx, message_set, answers)
