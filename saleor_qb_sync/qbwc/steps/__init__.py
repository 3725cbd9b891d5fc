"""The steps of a session: each plans the next message set and reads QuickBooks' answer to it.

In order, each callback asks the first step that has work:

1. ``check``: do the accounts and items the settings name exist? (once per session);
2. ``reconcile``: attempts whose answer was lost are looked up before anything is sent again;
3. ``lookup``: for a wave of orders, the RefNumbers QuickBooks may already have
   (``check_duplicates``) and the item names the missing-item rule needs to know about;
4. ``write``: customers and items QuickBooks lacks at the head of the set, then one
   transaction per order, as many orders as fit the set's count and size.

A step reads and writes the session's typed work (``session.Work``); what QuickBooks confirmed
goes to the ledger; the names it has go to the name cache (``names``).
"""

from __future__ import annotations

from ...models import MessageSet, MessageSetKind
from ...qbxml.answers import Answers
from . import check, lookup, reconcile, write
from .context import Context

__all__ = ["Context", "next_request", "read_answer"]


def next_request(ctx: Context) -> str | None:
    """The next message set for Web Connector, or None when nothing is left."""
    work = ctx.session.work
    if work.preflight is None:
        checks = check.plan(ctx)
        if checks[0] and (reconcile.pending(ctx) or not _first_wave_needs_lookup(ctx)):
            return ctx.store(MessageSetKind.PREFLIGHT, *checks)
        if checks[0]:  # the check rides at the head of the first wave's look-up set
            return lookup.request(ctx, riding=checks) or ctx.store(
                MessageSetKind.PREFLIGHT, *checks)
    if (request := reconcile.request(ctx)) is not None:
        return request
    while True:
        if not work.wave.claims and not write.next_wave(ctx):
            return None
        if not work.wave.looked_up and (request := lookup.request(ctx)) is not None:
            return request
        if work.wave.claims and (request := write.request(ctx)) is not None:
            return request


def _first_wave_needs_lookup(ctx: Context) -> bool:
    """Claim the first wave and tell whether it has anything to look up."""
    work = ctx.session.work
    if not work.wave.claims and not write.next_wave(ctx):
        return False
    return not work.wave.looked_up and (ctx.preferences.check_duplicates
                                        or lookup.items_need_lookup(ctx))


def read_answer(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    reader = {
        MessageSetKind.PREFLIGHT: check.read,
        MessageSetKind.RECONCILE: reconcile.read,
        MessageSetKind.LOOKUP: lookup.read,
        MessageSetKind.WRITE: write.read,
    }[MessageSetKind(message_set.kind)]
    if message_set.kind == MessageSetKind.LOOKUP and ctx.session.work.preflight is None and any(
            m.get("kind") == "preflight" for m in message_set.requests.values()):
        check.read(ctx, message_set, answers)  # the settings check rode in this set
    reader(ctx, message_set, answers)
