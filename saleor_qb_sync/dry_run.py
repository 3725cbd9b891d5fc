"""Dry run: the chosen orders through the real export, against a simulated QuickBooks company.

Staff pick orders as for a transfer (the chosen ids, or a filter minus the unchecked ones) and
see what a Web Connector update would do with them: which would land (as what transaction,
numbered how, for what total), which would fail and why, and which customers and items the
update would create, without QuickBooks and without a trace in our ledger.

Same code path. The orders go through the export engine itself (``qbwc.callbacks.Engine``
with ``claim=False``): its settings check, look-ups, write sets and answer reading, the
request builders and the ledger calls, against ``testing.qb_simulator`` (the strict stand-in
built from Intuit's schema) seeded from our copy of QuickBooks' lists
(``quickbooks_lists``), the names earlier updates found (``qbwc.names``) and the company's
preferences and currencies. What a real run would record as each order's outcome (its reason
and advice, the setting named) is read back from the ledger rows the engine wrote.

Why a rolled-back transaction, not a ledger that records in memory: the engine writes through
the ledger, the session row, the message sets and the name cache, dozens of functions in all;
diverting each would make a second engine that can drift from the first, the thing a dry run
must not be. Instead the whole run is one database transaction (a savepoint when the caller is
in one already) that is always rolled back, whether the run ends, fails midway or raises:
PostgreSQL then guarantees that no row written, updated or deleted survives, and, since the
work is uncommitted, no other session ever sees it (a real Web Connector update running at the
same time neither claims the dry run's orders nor meets its session). What remains are
sequence numbers skipped (ids are never reused) and, for the seconds the run takes, the row
locks of what it wrote: a real update inserting the same name into the name cache, or
releasing a failed automatic order the settings check re-examined, waits for the dry run to
end. A run is bounded (``MAX_ORDERS``) so that wait stays short.

Why not driven through Web Connector's SOAP: the engine is the protocol's core
(``Engine.send_request_xml`` / ``receive_response_xml``, what ``qbwc/service.py`` calls); SOAP
adds only the envelope, and the dry run runs in the API request that asks for it.

What a simulated company cannot know: QuickBooks' closing date, vendors' and employees' names
(a customer named like one is refused by QuickBooks, 3100), sales tax rates (totals shown are
the ones sent, Saleor's), whether the edition has sales orders, and anything changed in
QuickBooks since its lists were read. The result says which lists were never read.

Intuit's schema: the simulator validates every request against it when ``QBXML_SCHEMA_DIR``
names it; a store does not have it, and then requests are not checked against the XSD (the
result says so).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.db import transaction

from . import ledger, quickbooks_lists
from .company import known_currencies
from .errors import TransferError
from .ledger import Claim
from .models import ExportState
from .order_source import OrderFilter, OrderSource, OrderSummary
from .preferences import SETTING_LABELS, Preferences, TaxMode
from .qbwc import names
from .qbwc import session as sessions
from .qbwc.callbacks import PERCENT_DONE, Engine
from .qbwc.steps import write
from .testing.qb_company import (
    DEFAULT_CURRENCY_RATES,
    AccountSpec,
    Company,
    CurrencySpec,
    CustomerSpec,
    ItemSpec,
    SalesTaxCodeSpec,
    SalesTaxItemSpec,
)
from .testing.qb_simulator import (
    SCHEMA_DIR_ENV,
    QuickBooksError,
    QuickBooksSimulator,
    SchemaNotConfigured,
    default_schema,
)
from .transfers import (
    Actor,
    chosen_orders,
    ineligibility,
    last_exports,
    parse_order_ids,
    queued_order_ids,
)

logger = logging.getLogger(__name__)

#: the most orders one dry run takes: the run is one transaction, holding what it wrote
#: locked until it ends (module docstring); 500 orders take a few seconds
MAX_ORDERS = 500
#: the Web Connector user name of a dry run's session (never committed, never seen)
SESSION_USER = "dry run"
#: round trips after which a run is a bug, not work (500 orders take about ten)
MAX_ROUND_TRIPS = 200

#: what QuickBooks calls each kind of item we read, as the simulator names it
_ITEM_KINDS = {"ItemService": "Service", "ItemNonInventory": "NonInventory",
               "ItemOtherCharge": "OtherCharge", "ItemDiscount": "Discount"}
#: the account type each account the settings name has, when QuickBooks' accounts were never
#: read (the dry run then assumes the settings are right about them)
_SETTING_ACCOUNTS = (("income_account", "Income"), ("deposit_to_account", "OtherCurrentAsset"),
                     ("ar_account", "AccountsReceivable"),
                     ("sales_tax_account", "OtherCurrentLiability"),
                     ("gift_card_account", "OtherCurrentLiability"))


class DryRunOutcome(StrEnum):
    WOULD_LAND = "would_land"
    WOULD_FAIL = "would_fail"
    ALREADY_IN_QUICKBOOKS = "already_in_quickbooks"


@dataclass(frozen=True, slots=True)
class OrderVerdict:
    """What a Web Connector update would do with one order."""

    order_id: str
    number: int
    outcome: DryRunOutcome
    transaction_type: str = ""
    ref_number: str = ""
    #: the transaction's total as sent (None when it would not be sent)
    total: Decimal | None = None
    currency: str = ""
    #: the QuickBooks customer of the transaction
    customer: str = ""
    #: why it would fail, as a real run records it (QuickBooks' message or our reason)
    reason: str = ""
    #: what a person should do about it, as a real run records it
    action: str = ""
    #: the setting to change (a ``Preferences`` field), when the failure is one's
    setting: str = ""
    status_code: int | None = None
    #: it waits in a pending operation already (the next update sends it anyway)
    queued: bool = False

    @property
    def setting_label(self) -> str:
        return SETTING_LABELS.get(self.setting, "")


@dataclass(frozen=True, slots=True)
class DryRunResult:
    orders: tuple[OrderVerdict, ...]
    #: customers and items the update would create in QuickBooks
    customers_created: tuple[str, ...]
    items_created: tuple[str, ...]
    #: our copy of QuickBooks' lists: the lists never read (labels), and when the oldest of
    #: those read was last read (None when none was)
    lists_never_read: tuple[str, ...]
    lists_read_at: datetime | None
    #: the requests were checked against Intuit's qbXML schema
    schema_checked: bool
    #: what the person should know to read the result (plain sentences)
    notes: tuple[str, ...] = ()

    def count(self, outcome: DryRunOutcome) -> int:
        return sum(1 for o in self.orders if o.outcome == outcome)


# --- choosing the orders --------------------------------------------------------------------------


def dry_run_orders(source: OrderSource, preferences: Preferences, actor: Actor,
                   order_ids: Iterable[str]) -> DryRunResult:
    """A dry run of exactly these orders (Saleor global ids or UUIDs)."""
    ids = parse_order_ids(order_ids)
    _check_size(len(ids), field="orderIds")
    _, found = chosen_orders(source, actor, ids, empty="Choose at least one order.")
    return dry_run([found[i] for i in ids], source, preferences)


def dry_run_filter(source: OrderSource, preferences: Preferences, flt: OrderFilter,
                   exclude_order_ids: Iterable[str] = ()) -> DryRunResult:
    """A dry run of every order the transfer filter matches but the ones unchecked."""
    excluded = parse_order_ids(exclude_order_ids, field="excludeOrderIds")
    matches = source.search_ids(flt, exclude=excluded, limit=MAX_ORDERS + 1)
    if not matches:
        raise TransferError("No orders match this selection; nothing was tried.",
                            field="filter", code="empty_selection")
    _check_size(len(matches), field="filter")
    summaries = source.search(
        OrderFilter(order_ids=tuple(m.order_id for m in matches), include_exported=True,
                    any_status=True, allowed_channels=flt.allowed_channels),
        offset=0, limit=len(matches))
    by_id = {s.order_id: s for s in summaries}
    return dry_run([by_id[m.order_id] for m in matches if m.order_id in by_id], source,
                   preferences)


def _check_size(count: int, *, field: str) -> None:
    if count > MAX_ORDERS:
        raise TransferError(
            f"A dry run takes at most {MAX_ORDERS} orders at once; this selection has more. "
            "Narrow the date range or choose fewer orders.", field=field, code="too_many")


# --- the run --------------------------------------------------------------------------------------


def dry_run(orders: Sequence[OrderSummary], source: OrderSource,
            preferences: Preferences) -> DryRunResult:
    """What a Web Connector update would do with these orders (at most ``MAX_ORDERS``), in
    their order; nothing is kept (module docstring)."""
    if len(orders) > MAX_ORDERS:
        raise ValueError(f"a dry run takes at most {MAX_ORDERS} orders")
    ids = [o.order_id for o in orders]
    exported = last_exports(ids)
    waiting = queued_order_ids(ids)
    verdicts: dict[str, OrderVerdict] = {}
    claims: list[Claim] = []
    for order in orders:
        reason = ineligibility(order, preferences)
        if reason is not None:
            verdicts[order.order_id] = OrderVerdict(
                order.order_id, order.number, DryRunOutcome.WOULD_FAIL, reason=reason,
                action="It cannot be queued for QuickBooks.", queued=order.order_id in waiting)
        elif (last := exported.get(order.order_id)) is not None:
            verdicts[order.order_id] = OrderVerdict(
                order.order_id, order.number, DryRunOutcome.ALREADY_IN_QUICKBOOKS,
                transaction_type=last.transaction_type, ref_number=last.ref_number,
                currency=order.currency, reason=(
                    f"Exported on {last.at:%Y-%m-%d} as {last.transaction_type} "
                    f"{last.ref_number}. " + (
                        "Sent again, the duplicate check would find it there and link it."
                        if preferences.check_duplicates else
                        "Sent again, it would be added a second time: the duplicate check "
                        "is off.")),
                setting="" if preferences.check_duplicates else "check_duplicates",
                queued=order.order_id in waiting)
        else:
            claims.append(Claim(order.order_id, order.number, None, order.channel_slug))
    company, never_read, read_at = simulated_company(preferences)
    schema, schema_note = _schema()
    run = _simulate(preferences, source, claims, company, schema) if claims else _Run()
    for claim in claims:
        verdicts[claim.order_id] = _verdict(claim, run, claim.order_id in waiting)
    notes = list(_notes(preferences, never_read))
    if schema_note:
        notes.append(schema_note)
    return DryRunResult(
        orders=tuple(verdicts[i] for i in ids), customers_created=run.customers,
        items_created=run.items, lists_never_read=never_read, lists_read_at=read_at,
        schema_checked=schema is not None, notes=tuple(notes))


@dataclass(frozen=True, slots=True)
class _Run:
    """What the engine did, read before the rollback."""

    records: dict[str, ledger.ExportRecord] | None = None
    customers: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    #: what the session said last (Web Connector's getLastError)
    said: str = ""


def _simulate(preferences: Preferences, source: OrderSource, claims: list[Claim],
              company: Company, schema) -> _Run:
    """The engine against a simulated company, in a transaction that is always rolled back."""
    quickbooks = QuickBooksSimulator(company, schema=schema, validate_schema=schema is not None)
    seeded_customers = {c.full_name.casefold() for c in quickbooks.customers}
    seeded_items = {i.name.casefold() for i in quickbooks.items}
    size = write.wave_size(preferences)
    work = sessions.Work(next_waves=[sessions.Wave(claims[i:i + size])
                                     for i in range(0, len(claims), size)])
    engine = Engine(preferences, source, claim=False)
    with transaction.atomic():
        try:
            ticket = sessions.start(SESSION_USER, automatic=False, total=len(claims), work=work)
            hcp = quickbooks.hcp_response()
            major, minor = quickbooks.max_qbxml_version
            for _ in range(MAX_ROUND_TRIPS):
                request = engine.send_request_xml(ticket, hcp, company.file_path,
                                                  company.country, major, minor)
                hcp = ""
                if not request:
                    break
                try:
                    response, hresult, message = quickbooks.process(request), "", ""
                except QuickBooksError as exc:
                    response, hresult, message = "", exc.hresult, exc.message
                percent = engine.receive_response_xml(ticket, response, hresult, message)
                if percent < 0 or percent >= PERCENT_DONE:
                    break
            else:
                raise RuntimeError(f"a dry run took more than {MAX_ROUND_TRIPS} round trips")
            session = sessions.find(ticket, touch=False, include_closed=True)
            return _Run(
                records=ledger.latest_attempts(session.row),
                customers=tuple(c.full_name for c in quickbooks.customers
                                if c.full_name.casefold() not in seeded_customers),
                items=tuple(i.name for i in quickbooks.items
                            if i.name.casefold() not in seeded_items),
                said=session.row.last_error)
        finally:
            # nothing of the run is kept, however it ended
            transaction.set_rollback(True)


def _verdict(claim: Claim, run: _Run, queued: bool) -> OrderVerdict:
    record = (run.records or {}).get(claim.order_id)
    if record is None:
        return OrderVerdict(claim.order_id, claim.order_number, DryRunOutcome.WOULD_FAIL,
                            reason=run.said or "The update ended before this order was sent.",
                            queued=queued)
    cause = ledger.Cause.from_json(record.cause)
    common = dict(transaction_type=record.transaction_type, ref_number=record.ref_number,
                  total=record.total_amount, currency=record.currency,
                  customer=record.customer_name, status_code=record.status_code,
                  queued=queued)
    if record.state == ExportState.DONE:
        return OrderVerdict(claim.order_id, claim.order_number, DryRunOutcome.WOULD_LAND,
                            reason=record.status_message, **common)
    reason = record.status_message
    if record.state != ExportState.FAILED:  # sent, but QuickBooks' answer proved nothing
        reason = reason or "QuickBooks' answer did not confirm this order."
    return OrderVerdict(claim.order_id, claim.order_number, DryRunOutcome.WOULD_FAIL,
                        reason=reason, action=record.action,
                        setting=cause.setting if cause is not None else "", **common)


def _notes(preferences: Preferences, never_read: tuple[str, ...]) -> Iterable[str]:
    if never_read:
        yield ("QuickBooks' lists were never read (" + ", ".join(never_read) + "): every "
               "customer and item counts as new unless an earlier Web Connector update found "
               "it, and the accounts the settings name are assumed to exist. Refresh "
               "QuickBooks lists (Web Connector set-up) and run the dry run again after the "
               "next update for a closer answer.")
    if preferences.tax_mode == TaxMode.QUICKBOOKS_TAX_ITEM:
        yield ("QuickBooks computes the tax with its sales tax item, whose rate our copy of "
               "the lists does not hold: totals shown are before QuickBooks' tax.")


def _schema():
    """Intuit's schema when ``QBXML_SCHEMA_DIR`` names it (then every request is checked
    against it), else None, with a sentence saying why."""
    if not os.environ.get(SCHEMA_DIR_ENV):
        return None, ("Requests were not checked against Intuit's qbXML schema (not installed "
                      "on this server); QuickBooks checks them.")
    try:
        return default_schema(), ""
    except SchemaNotConfigured as exc:
        logger.warning("saleor-qb-sync: dry run without Intuit's schema: %s", exc)
        return None, (f"Requests were not checked against Intuit's qbXML schema: {exc}")


# --- the simulated company ------------------------------------------------------------------------


def simulated_company(preferences: Preferences
                      ) -> tuple[Company, tuple[str, ...], datetime | None]:
    """A company file like the store's QuickBooks as we last read it: its accounts, items
    (with their types), customers, sales tax codes, classes and payment methods, its
    preferences (sales tax, multicurrency, home currency) and currency list, and the names
    earlier updates found. Items of types the simulator does not model (inventory, groups…)
    are non-inventory items there: a line names them the same way. Returns the company, the
    labels of the lists never read, and when the oldest of the lists read was read."""
    pulls = {s.key: s.pulled_at for s in quickbooks_lists.summaries()}
    keys = [lst.key for lst in quickbooks_lists.LISTS]
    never_read = tuple(lst.label for lst in quickbooks_lists.LISTS if pulls.get(lst.key) is None)
    read = [pulls[k] for k in keys if pulls.get(k) is not None]
    read_at = min(read) if read else None

    def entries(key: str):
        return [e for e in quickbooks_lists.entries(key) if e.full_name]

    company_prefs = quickbooks_lists.company_preferences()
    currencies = known_currencies()
    multicurrency = (company_prefs.multi_currency if company_prefs.multi_currency is not None
                     else currencies.multicurrency)
    home = (company_prefs.home_currency or currencies.name_of(currencies.home or "")
            or _currency_name(preferences.company_currency))
    currency_specs: list[CurrencySpec] = []
    if multicurrency:
        for code, name in currencies.names:
            currency_specs.append(CurrencySpec(name, code, _rate(preferences, code)))
        for code in currencies.inactive:
            currency_specs.append(CurrencySpec(_currency_name(code), code,
                                               _rate(preferences, code), is_active=False))
        if home.casefold() not in {c.name.casefold() for c in currency_specs}:
            currency_specs.insert(0, CurrencySpec(home, currencies.home or
                                                  preferences.company_currency, Decimal(1)))
    spelled = {c.name.casefold() for c in currency_specs}

    def currency(value: str) -> str | None:
        """A record's currency when the simulated company can hold it (else its home one)."""
        return value if multicurrency and value and value.casefold() in spelled else None

    if pulls.get(quickbooks_lists.ACCOUNTS.key) is not None:
        accounts = tuple(AccountSpec(e.full_name, e.record_type or "OtherCurrentAsset",
                                     e.is_active, currency(e.currency))
                         for e in entries(quickbooks_lists.ACCOUNTS.key))
    else:
        named = {getattr(preferences, setting).strip(): kind
                 for setting, kind in reversed(_SETTING_ACCOUNTS)
                 if getattr(preferences, setting).strip()}
        accounts = tuple(AccountSpec(name, kind) for name, kind in named.items())

    items: dict[str, ItemSpec] = {}
    tax_items: dict[str, SalesTaxItemSpec] = {}
    for e in entries(quickbooks_lists.ITEMS.key):
        if e.record_type == quickbooks_lists.SALES_TAX_ITEM:
            # the rate is not in our copy of the lists; QuickBooks' own tax is not predicted
            tax_items[e.full_name.casefold()] = SalesTaxItemSpec(
                e.full_name, Decimal(0), e.description or None, e.is_active)
        else:
            items[e.full_name.casefold()] = ItemSpec(
                e.full_name, kind=_ITEM_KINDS.get(e.record_type, "NonInventory"),
                account=e.account or None, description=e.description or None,
                sales_tax_code=None, is_active=e.is_active)
    if (pulls.get(quickbooks_lists.ITEMS.key) is None
            and preferences.tax_mode == TaxMode.QUICKBOOKS_TAX_ITEM
            and preferences.sales_tax_item_name):
        name = preferences.sales_tax_item_name
        tax_items.setdefault(name.casefold(), SalesTaxItemSpec(name, Decimal(0)))
    customers = {e.full_name.casefold(): CustomerSpec(
        e.full_name, e.is_active, email=e.email or None, currency=currency(e.currency))
        for e in entries(quickbooks_lists.CUSTOMERS.key)}
    # what earlier updates found in QuickBooks: the export never adds these again
    for kind, name in names.every():
        if kind == names.CUSTOMER and name.casefold() not in customers:
            customers[name.casefold()] = CustomerSpec(name)
        elif (kind == names.ITEM and name.casefold() not in items
              and name.casefold() not in tax_items):
            items[name.casefold()] = ItemSpec(name, account=preferences.income_account or None,
                                              sales_tax_code=None)

    extra: dict[str, object] = {}
    if pulls.get(quickbooks_lists.SALES_TAX_CODES.key) is not None:
        extra["sales_tax_codes"] = tuple(
            SalesTaxCodeSpec(e.full_name, e.record_type == "Taxable", e.description or None)
            for e in entries(quickbooks_lists.SALES_TAX_CODES.key))
    if pulls.get(quickbooks_lists.CLASSES.key) is not None:
        extra["classes"] = tuple(e.full_name for e in entries(quickbooks_lists.CLASSES.key)
                                 if e.is_active)
    elif preferences.class_name:
        extra["classes"] = (preferences.class_name,)
    if pulls.get(quickbooks_lists.PAYMENT_METHODS.key) is not None:
        extra["payment_methods"] = tuple(
            e.full_name for e in entries(quickbooks_lists.PAYMENT_METHODS.key) if e.is_active)
    active_tax = [t.name for t in tax_items.values() if t.is_active]
    sales_tax = company_prefs.sales_tax if company_prefs.sales_tax is not None else bool(
        active_tax)
    company = Company(
        accounts=accounts, items=tuple(items.values()), customers=tuple(customers.values()),
        sales_tax_items=tuple(tax_items.values()),
        default_item_sales_tax=active_tax[0] if sales_tax and active_tax else None,
        multicurrency=bool(multicurrency), home_currency=home,
        currencies=tuple(currency_specs), **extra)
    return company, never_read, read_at


def _currency_name(code: str) -> str:
    """QuickBooks' name of a built-in currency (the code itself when it is not one)."""
    return next((name for name, c, _ in DEFAULT_CURRENCY_RATES if c == code.upper()), code)


def _rate(preferences: Preferences, code: str) -> Decimal:
    """The rate the simulated currency list holds: the store's, else 1 (QuickBooks' own rates
    are not in our copy; the export sends the store's rate when it has one)."""
    rate = preferences.rate_for(code)
    return rate if rate is not None and rate > 0 else Decimal(1)


__all__ = ["MAX_ORDERS", "DryRunOutcome", "DryRunResult", "OrderVerdict", "dry_run",
           "dry_run_filter", "dry_run_orders", "simulated_company"]
