"""Step 1, once per session: do the accounts and items the settings name exist in QuickBooks?

What it finds blocks the orders that need a missing record (``write``), is shown to the person
at Web Connector, and, in automatic mode, frees failed orders whose cause is gone.
"""

from __future__ import annotations

import logging

from lxml import etree

from ... import ledger
from ...models import MessageSet, MessageSetKind
from ...qbxml.answers import Answers
from .. import names, preflight
from .context import Context

logger = logging.getLogger(__name__)


def plan(ctx: Context) -> tuple[list[etree._Element], dict]:
    """The check's queries and what each asks; none needed: the check is done (empty)."""
    needed = preflight.requirements(ctx.preferences, ledger.open_causes())
    requests, meta = preflight.requests(needed)
    if not requests:
        ctx.session.work.preflight = preflight.Preflight()
    return requests, meta


def request(ctx: Context) -> str | None:
    requests, meta = plan(ctx)
    return ctx.store(MessageSetKind.PREFLIGHT, requests, meta) if requests else None


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    """Read the check's answers, in a set of its own or riding in the first look-up."""
    meta = {request_id: asked for request_id, asked in message_set.requests.items()
            if asked.get("kind") == "preflight"}
    result = preflight.read_answers(meta, answers.get)
    ctx.session.work.preflight = result
    names.remember((names.ITEM, name) for name in preflight.found_item_names(result, meta))
    if result.problems:
        ctx.session.say(" ".join(result.messages()))
    if ctx.preferences.is_automatic:
        released = ledger.release_resolved_failures(ctx.preferences.fingerprint(),
                                                    result.present)
        if released:
            logger.info("saleor-qb-sync: %d failed orders are tried again (cause gone)",
                        released)
