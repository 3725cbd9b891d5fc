"""Step 1, once per session: do the accounts and items the settings name exist in QuickBooks,
and, when its preferences say multicurrency is on, which currencies does it have?

What it finds blocks the orders that need a missing record (``write``), is shown to the person
at Web Connector, and, in automatic mode, frees failed orders whose cause is gone. The currency
list (``CurrencyQuery``, a few dozen entries) decides how orders in other currencies are booked
(``qbxml.currency``); it is kept with the session (``company``).
"""

from __future__ import annotations

import logging

from lxml import etree

from ... import ledger
from ...company import known_currencies, remember_currencies
from ...models import MessageSet, MessageSetKind
from ...qbxml import build
from ...qbxml.answers import Answers
from ...qbxml.currency import SINGLE_CURRENCY, CompanyCurrencies
from ...qbxml.parse import ResponseItem
from .. import names, preflight
from .context import Context

logger = logging.getLogger(__name__)

#: requestID of the currency list's query, and its kind in the set's meta
CURRENCIES_REQUEST = "pc"
CURRENCIES = "currencies"


def plan(ctx: Context) -> tuple[list[etree._Element], dict]:
    """The check's queries and what each asks; none needed: the check is done (empty)."""
    needed = preflight.requirements(ctx.preferences, ledger.open_causes())
    requests, meta = preflight.requests(needed)
    says = (ctx.session.row.host_info or {}).get("multi_currency")
    if says is True:
        requests.append(build.currency_query(CURRENCIES_REQUEST))
        meta[CURRENCIES_REQUEST] = {"kind": CURRENCIES,
                                    "home": ctx.session.row.host_info.get("home_currency", "")}
    else:
        # off, or not said (then as the newest session that asked found it)
        remember_currencies(ctx.session.row,
                            SINGLE_CURRENCY if says is False else known_currencies())
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
    asked_currencies = message_set.requests.get(CURRENCIES_REQUEST)
    if asked_currencies is not None and asked_currencies.get("kind") == CURRENCIES:
        currencies = read_currencies(answers.get(CURRENCIES_REQUEST),
                                     asked_currencies.get("home", ""))
        remember_currencies(ctx.session.row, currencies)
        if not currencies.names:
            ctx.session.say("QuickBooks has multicurrency on but did not give its currency "
                            "list; orders in other currencies wait for the next update.")
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


def read_currencies(answer: ResponseItem | None, home_name: str) -> CompanyCurrencies:
    """QuickBooks' currency list, as codes and names; the home currency found by its name
    (``HomeCurrencyRef`` of the preferences). No answer: multicurrency with no currency known,
    so no order in another currency goes (each says why)."""
    names: list[tuple[str, str]] = []
    inactive: list[str] = []
    home = ""
    for record in answer.records if answer is not None and answer.ok else ():
        code = (record.get("CurrencyCode") or "").upper()
        name = record.get("Name") or record.get("FullName") or ""
        if not code or not name:
            continue
        if record.get("IsActive", "true").lower() == "false":
            inactive.append(code)
        else:
            names.append((code, name))
        if name.casefold() == home_name.casefold():
            home = code
    return CompanyCurrencies(True, home, tuple(names), tuple(inactive))
