"""Step 1, once per session: do the accounts and items the settings name exist in QuickBooks?

What it finds blocks the orders that need a missing record (``write``), is shown to the person
at Web Connector, and, in automatic mode, frees failed orders whose cause is gone.
"""

from __future__ import annotations

import logging

from ... import ledger
from ...models import MessageSet, MessageSetKind
from ...qbxml.answers import Answers
from .. import names, preflight
from .context import Context

logger = logging.getLogger(__name__)


def request(ctx: Context) -> str | None:
    needed = preflight.requirements(ctx.preferences, ledger.open_causes())
    requests, meta = preflight.requests(needed)
    if not requests:
        ctx.session.work.preflight = preflight.Preflight()
        return None
    return ctx.store(MessageSetKind.PREFLIGHT, requests, meta)


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    result = preflight.read_answers(message_set.requests, answers.get)
    ctx.session.work.preflight = result
    names.remember((names.ITEM, name)
                   for name in preflight.found_item_names(result, message_set.requests))
    if result.problems:
        ctx.session.say(" ".join(result.messages()))
    if ctx.preferences.is_automatic:
        released = ledger.release_resolved_failures(ctx.preferences.fingerprint(),
                                                    result.present)
        if released:
            logger.info("saleor-qb-sync: %d failed orders are tried again (cause gone)",
                        released)
