"""Our copy of QuickBooks' lists: the one owner of ``QuickBooksListEntry`` and
``QuickBooksListPull``.

Web Connector reads them at the end of a session (``qbwc/steps/lists``): accounts, items of
every type (sales tax items among them, ``ItemSalesTax``), customers, sales tax codes, classes
and payment methods, each record with its ListID, EditSequence and TimeModified and the time we
read it; the company's preferences (sales tax, multicurrency, home currency) come with every
session from Web Connector itself and are kept under ``PREFERENCES``.

Incremental reads. The first pull of a list reads all of it; the next ones only what changed
since (``FromModifiedDate`` = the start of the last complete pull, on our clock, less
``OVERLAP``: ``TimeModified`` is stamped by the QuickBooks PC's clock, which may be behind ours,
and a record changed while a pull was running is read again rather than missed; reading a
record twice only writes it twice). qbXML list queries cannot show deletions incrementally
(only ``ListDeletedQuery`` can); instead a pull is full again once the last full one is older
than ``FULL_PULL_EVERY``, and a full pull that completes removes what it did not see.

A pull that does not complete (the session dropped, QuickBooks refused the query) leaves what it
read stored and the list's watermark where it was, so the next session reads that list again
from the same point.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.db.models.functions import Lower

from . import clock
from .models import QuickBooksListEntry, QuickBooksListPull
from .qbxml.lists import ListEntry

#: records read per round trip of an iterating list (``MaxReturned``): QuickBooks answers only
#: after processing the whole set and Web Connector waits about two minutes per callback;
#: 1,000 customers are an answer of about 0.3 MB
CHUNK = 1000
#: how far an incremental pull reaches back before the last one (clock skew, see above)
OVERLAP = timedelta(minutes=10)
#: a pull is full (and sees deletions) when the last full one is older than this
FULL_PULL_EVERY = timedelta(days=7)
#: the company's preferences, kept with the lists
PREFERENCES = "preferences"


@dataclass(frozen=True, slots=True)
class QuickBooksList:
    key: str
    #: the query that reads it
    query: str
    label: str


ACCOUNTS = QuickBooksList("accounts", "AccountQueryRq", "Accounts")
SALES_TAX_CODES = QuickBooksList("sales_tax_codes", "SalesTaxCodeQueryRq", "Sales tax codes")
CLASSES = QuickBooksList("classes", "ClassQueryRq", "Classes")
PAYMENT_METHODS = QuickBooksList("payment_methods", "PaymentMethodQueryRq", "Payment methods")
ITEMS = QuickBooksList("items", "ItemQueryRq", "Items")
CUSTOMERS = QuickBooksList("customers", "CustomerQueryRq", "Customers")
#: in the order a session reads them: the short lists together first, then the long ones
LISTS = (ACCOUNTS, SALES_TAX_CODES, CLASSES, PAYMENT_METHODS, ITEMS, CUSTOMERS)
BY_KEY = {lst.key: lst for lst in LISTS}
#: sales tax items are the items of this type
SALES_TAX_ITEM = "ItemSalesTax"


def due(max_age_hours: int) -> list[str]:
    """The lists older than ``max_age_hours`` (or never read), in reading order; none with
    0 (only on demand)."""
    if max_age_hours <= 0:
        return []
    cutoff = clock.now() - timedelta(hours=max_age_hours)
    fresh = set(QuickBooksListPull.objects.filter(pulled_at__gte=cutoff)
                .values_list("list", flat=True))
    return [lst.key for lst in LISTS if lst.key not in fresh]


def since(key: str) -> datetime | None:
    """``FromModifiedDate`` of the next pull of ``key``; None: read all of it (never read
    completely, or the last full read is older than ``FULL_PULL_EVERY``)."""
    pull = QuickBooksListPull.objects.filter(list=key).first()
    if pull is None or pull.pulled_at is None or pull.full_pulled_at is None:
        return None
    if clock.now() - pull.full_pulled_at > FULL_PULL_EVERY:
        return None
    return pull.pulled_at - OVERLAP


def store(key: str, entries: Sequence[ListEntry]) -> int:
    """Keep what QuickBooks answered (one statement per chunk): new records added, known ones
    (by ListID) replaced."""
    if not entries:
        return 0
    now = clock.now()
    rows = {e.list_id: QuickBooksListEntry(
        list=key, list_id=e.list_id, name=e.name, full_name=e.full_name,
        record_type=e.record_type, is_active=e.is_active, currency=e.currency, email=e.email,
        account=e.account, description=e.description, edit_sequence=e.edit_sequence,
        time_modified=e.time_modified, read_at=now) for e in entries}
    QuickBooksListEntry.objects.bulk_create(
        list(rows.values()), update_conflicts=True, unique_fields=["list", "list_id"],
        update_fields=["name", "full_name", "record_type", "is_active", "currency", "email",
                       "account", "description", "edit_sequence", "time_modified",
                       "read_at"])
    return len(rows)


def finish(key: str, started_at: datetime, *, full: bool, records: int,
           round_trips: int) -> int:
    """A pull of ``key`` that began at ``started_at`` read everything it asked for: the next
    one reads from there. A full pull removes what it did not see (deleted in QuickBooks);
    returns how many."""
    removed = 0
    if full:
        removed, _ = QuickBooksListEntry.objects.filter(list=key,
                                                        read_at__lt=started_at).delete()
    values = {"pulled_at": started_at, "records_read": records, "round_trips": round_trips}
    if full:
        values["full_pulled_at"] = started_at
    QuickBooksListPull.objects.update_or_create(list=key, defaults=values)
    return removed


def remember_preferences(host_info: dict) -> None:
    """The company's preferences as Web Connector passed them this session."""
    details = {"sales_tax": host_info.get("sales_tax"),
               "multi_currency": host_info.get("multi_currency"),
               "home_currency": host_info.get("home_currency") or ""}
    now = clock.now()
    QuickBooksListPull.objects.update_or_create(
        list=PREFERENCES, defaults={"details": details, "pulled_at": now,
                                    "full_pulled_at": now})


@dataclass(frozen=True, slots=True)
class ListSummary:
    """What we hold of one list."""

    key: str
    label: str
    count: int
    active: int
    #: when the last complete read started (None: never read)
    pulled_at: datetime | None
    #: records and round trips of that read
    records_read: int
    round_trips: int
    incremental: bool


@dataclass(frozen=True, slots=True)
class CompanyPreferences:
    sales_tax: bool | None
    multi_currency: bool | None
    home_currency: str
    read_at: datetime | None


def summaries() -> list[ListSummary]:
    """Every list we keep, in reading order, with sales tax items apart (two statements)."""
    counts = {(row["list"], row["sales_tax"]): row for row in (
        QuickBooksListEntry.objects
        .values("list", sales_tax=ExpressionWrapper(Q(record_type=SALES_TAX_ITEM),
                                                    output_field=BooleanField()))
        .annotate(count=Count("pk"), active=Count("pk", filter=Q(is_active=True))))}
    pulls = {p.list: p for p in QuickBooksListPull.objects.all()}
    result = []
    for lst in LISTS:
        pull = pulls.get(lst.key)
        rows = [row for (key, _), row in counts.items() if key == lst.key]
        result.append(_summary(lst.key, lst.label, rows, pull))
        if lst is ITEMS:
            tax = [row for (key, sales_tax), row in counts.items()
                   if key == ITEMS.key and sales_tax]
            result.append(_summary("sales_tax_items", "Sales tax items", tax, pull))
    return result


def _summary(key: str, label: str, rows: Iterable[dict],
             pull: QuickBooksListPull | None) -> ListSummary:
    rows = list(rows)
    return ListSummary(
        key, label, sum(r["count"] for r in rows), sum(r["active"] for r in rows),
        pull.pulled_at if pull else None, pull.records_read if pull else 0,
        pull.round_trips if pull else 0,
        bool(pull and pull.full_pulled_at and pull.pulled_at != pull.full_pulled_at))


def company_preferences() -> CompanyPreferences:
    pull = QuickBooksListPull.objects.filter(list=PREFERENCES).first()
    details = pull.details if pull else {}
    return CompanyPreferences(details.get("sales_tax"), details.get("multi_currency"),
                              details.get("home_currency") or "",
                              pull.pulled_at if pull else None)


def entries(key: str) -> list[QuickBooksListEntry]:
    """The records of one list, by full name."""
    return list(QuickBooksListEntry.objects.filter(list=key).order_by("full_name", "list_id"))


def read_lists(keys: Iterable[str]) -> set[str]:
    """Those of ``keys`` Web Connector has read completely at least once."""
    return set(QuickBooksListPull.objects.filter(list__in=list(keys), pulled_at__isnull=False)
               .values_list("list", flat=True))


def find(key: str, names: Iterable[str]) -> dict[str, QuickBooksListEntry]:
    """The records of ``key`` with these full names, by the lower-cased name (QuickBooks'
    names ignore case); one statement."""
    folded = {name.strip().lower() for name in names if name.strip()}
    if not folded:
        return {}
    rows = (QuickBooksListEntry.objects.annotate(folded=Lower("full_name"))
            .filter(list=key, folded__in=sorted(folded)))
    return {row.full_name.lower(): row for row in rows}


def search(key: str, text: str = "", *, record_types: Collection[str] = (),
           excluded_types: Collection[str] = (), active_only: bool = True, offset: int = 0,
           limit: int = 20) -> tuple[list[QuickBooksListEntry], int]:
    """A page of one list for a picker: records whose full name contains ``text`` (any case),
    those whose name starts with it first, then by full name; ``record_types`` limits the
    types (``ItemSalesTax``…), ``excluded_types`` leaves some out. Returns (page, how many
    match)."""
    rows = QuickBooksListEntry.objects.filter(list=key)
    if record_types:
        rows = rows.filter(record_type__in=list(record_types))
    if excluded_types:
        rows = rows.exclude(record_type__in=list(excluded_types))
    if active_only:
        rows = rows.filter(is_active=True)
    text = text.strip()
    if text:
        rows = rows.filter(full_name__icontains=text)
        rows = rows.annotate(starts=ExpressionWrapper(
            Q(full_name__istartswith=text) | Q(name__istartswith=text),
            output_field=BooleanField())).order_by("-starts", "full_name", "list_id")
    else:
        rows = rows.order_by("full_name", "list_id")
    return list(rows[offset:offset + limit]), rows.count()


def forget_all() -> None:
    """Drop our copy of every list (the demo starts from an empty store)."""
    QuickBooksListEntry.objects.all().delete()
    QuickBooksListPull.objects.all().delete()
