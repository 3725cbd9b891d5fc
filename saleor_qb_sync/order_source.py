"""How the core asks the host for orders, without knowing whether the host is Saleor.

``OrderSource`` is the seam: ``saleor_host/orders.py`` implements it on Saleor's ORM, and
``standalone/order_source.py`` on our sample-order table. Both run in the same database as our
ledger, so "exclude already exported" is a database subquery (``is_exported``), never a loop.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, Exists, F, Func, Lookup, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Trim

from .documents import OrderDocument
from .models import ExportedOrder
from .preferences import NEVER_EXPORTED_STATUSES


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Which orders a person (or automatic mode) asks for. Empty tuples mean "no restriction"."""

    #: a Saleor user id (global or raw) or an e-mail address
    customer: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    include_exported: bool = False
    channels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    #: orders created before this moment are left out (the export start date)
    created_not_before: datetime | None = None
    #: the store's time zone: date_from/date_to are whole days there
    time_zone: str = "UTC"
    #: channels the caller may see; None means all
    allowed_channels: tuple[str, ...] | None = None
    order_ids: tuple[str, ...] = field(default=())
    #: leave out orders automatic mode already tried (see ``attempted_automatically``)
    skip_automatic_attempts: bool = False
    #: leave out orders waiting in (or claimed from) an open pending operation
    skip_queued: bool = False
    #: only orders waiting in (or claimed from) an open pending operation: counting them is an
    #: index look-up per queued order, where "all matches minus the unqueued" is a second scan
    only_queued: bool = False
    #: also match draft and unconfirmed orders (to say why one cannot be exported)
    any_status: bool = False
    #: leave out orders whose buyer staff mapped to a QuickBooks customer (``mappings``), and
    #: orders without an e-mail address, which cannot be mapped
    skip_mapped_customers: bool = False

    def created_range(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) in aware datetimes; date_to is inclusive."""
        tz = ZoneInfo(self.time_zone)
        start = datetime.combine(self.date_from, time.min, tzinfo=tz) if self.date_from else None
        end = (datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=tz)
               if self.date_to else None)
        if self.created_not_before and (start is None or self.created_not_before > start):
            start = self.created_not_before
        return start, end

    def effective_channels(self) -> tuple[str, ...] | None:
        """The channels to search: the requested ones within what the caller may see.

        Returns None for "all channels" and an empty tuple when nothing is visible."""
        requested = set(self.channels) if self.channels else None
        allowed = set(self.allowed_channels) if self.allowed_channels is not None else None
        if requested is None and allowed is None:
            return None
        if requested is None:
            return tuple(sorted(allowed))
        if allowed is None:
            return tuple(sorted(requested))
        return tuple(sorted(requested & allowed))


@dataclass(frozen=True, slots=True)
class OrderSummary:
    order_id: str
    number: int
    created_at: datetime
    channel_slug: str
    currency: str
    total_gross: Decimal
    status: str
    charge_status: str
    customer_email: str
    customer_name: str
    customer_user_id: str | None


@dataclass(frozen=True, slots=True)
class SkuSummary:
    """A SKU of the store's order lines (gift cards aside)."""

    sku: str
    #: the product name of its newest line
    product_name: str
    #: how many orders have it
    order_count: int


class OrderRef(NamedTuple):
    order_id: str
    number: int
    channel_slug: str


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    email: str
    name: str
    user_id: str | None
    order_count: int


class OrderSource(Protocol):
    def filtered(self, flt: OrderFilter) -> QuerySet:
        """Every order ``flt`` matches, unordered: to count them (``.count()``, or
        ``counting.count_alongside``)."""

    def search(self, flt: OrderFilter, *, offset: int, limit: int) -> list[OrderSummary]:
        """A page of matching orders, newest first."""

    def search_ids(self, flt: OrderFilter, *, exclude: Iterable[str] = (),
                   limit: int | None = None) -> list[OrderRef]:
        """Every match minus ``exclude`` (at most ``limit``), oldest first."""

    def load(self, order_ids: Sequence[str]) -> dict[str, OrderDocument]:
        """Full documents by order id, in bulk; unknown ids are simply absent."""

    def customers(self, search: str, flt: OrderFilter, *, offset: int, limit: int
                  ) -> tuple[list[CustomerSummary], int]:
        """Customers who have orders ``flt`` matches (so their counts are what the preview
        lists: exported channels, eligible statuses, the caller's channels), by name or e-mail."""

    def skus(self, flt: OrderFilter) -> list[SkuSummary]:
        """Every SKU of the lines of the orders ``flt`` matches (lines without SKU and gift
        cards left out), by SKU, in one query."""


def is_exported(order_pk_field: str) -> Exists:
    """The subquery "this order is in QuickBooks now"; filter with ``~is_exported(...)``."""
    return Exists(ExportedOrder.objects.filter(order_id=OuterRef(order_pk_field)))


def attempted_automatically(order_pk_field: str) -> Exists:
    """Automatic mode already tried this order (in flight, or failed and waiting for a person)."""
    from .models import ExportRecord, ExportState

    return Exists(ExportRecord.objects.filter(
        order_id=OuterRef(order_pk_field), automatic=True,
        state__in=[ExportState.QUEUED, ExportState.SENT, ExportState.NEEDS_RECONCILING,
                   ExportState.FAILED],
    ).exclude(cause__has_key="released"))  # failed, but its cause is gone (transfers.py)


def is_queued(order_pk_field: str) -> Exists:
    """The order waits in, or was claimed from, a pending operation that is still open."""
    from .models import queued_items

    return Exists(queued_items().filter(order_id=OuterRef(order_pk_field)))


class OneOf(Lookup):
    """``column = ANY(%s::uuid[])`` (or ``bigint[]``): one of these values, sent as one array
    parameter. A look-up of a thousand orders by id (a wave's RefNumbers, the charges of 500
    invoices, a wave's claims) otherwise sends a thousand placeholders, each prepared by Django
    and psycopg in turn. Used as an expression: ``filter(OneOf("order_id", ids))``."""

    lookup_name = "qb_one_of"
    prepare_rhs = False
    #: the array types it sends, and how each value is checked
    TYPES: dict[str, Callable[[object], object]] = {
        "uuid": lambda value: uuid.UUID(str(value)), "bigint": int}

    def __init__(self, column: str, values: Iterable, db_type: str = "uuid") -> None:
        self.db_type = db_type
        check = self.TYPES[db_type]
        super().__init__(F(column), "{" + ",".join(str(check(v)) for v in values) + "}")

    def as_sql(self, compiler, connection):
        if self.rhs == "{}":
            raise EmptyResultSet  # as ``__in=[]``: no query for nothing (excluding nothing: all)
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{self.db_type}[])", [*params, self.rhs]


def filter_orders(qs: QuerySet, flt: OrderFilter, *, pk: str, channel: str,
                  emails: Sequence[str], user: str,
                  user_pk: Callable[[str], str] = str) -> QuerySet:
    """Apply ``flt`` to a host's order queryset; the keywords name the host's columns.

    ``emails``: the lookups that may hold the buyer's e-mail (matched case-insensitively);
    ``user_pk`` turns a user id as the caller gave it (global or raw) into the column's value.
    """
    statuses = flt.statuses
    if not flt.any_status:
        if statuses:
            # the statuses asked for, less the never-exported ones: one test per order instead
            # of two (a preview counts every match, and each test costs on 100,000 orders)
            statuses = tuple(s for s in statuses if s not in NEVER_EXPORTED_STATUSES)
        else:
            qs = qs.exclude(status__in=NEVER_EXPORTED_STATUSES)
    if flt.order_ids:
        qs = qs.filter(OneOf(pk, flt.order_ids))
    if flt.customer:
        if "@" in flt.customer:
            match = Q()
            for lookup in emails:
                match |= Q(**{f"{lookup}__iexact": flt.customer})
            qs = qs.filter(match)
        else:
            qs = qs.filter(**{user: user_pk(flt.customer)})
    start, end = flt.created_range()
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lt=end)
    channels = flt.effective_channels()
    if channels is not None:
        qs = qs.filter(**{f"{channel}__in": channels})
    if flt.statuses:
        qs = qs.filter(status__in=statuses)
    if not flt.include_exported:
        qs = qs.filter(~is_exported(pk))
    if flt.skip_automatic_attempts:
        qs = qs.filter(~attempted_automatically(pk))
    if flt.skip_queued:
        qs = qs.filter(~is_queued(pk))
    if flt.only_queued:
        qs = qs.filter(is_queued(pk))
    if flt.skip_mapped_customers:
        qs = qs.alias(qb_customer_key=customer_key_expression(emails)).exclude(
            qb_customer_key="").filter(~is_mapped_customer("qb_customer_key"))
    return qs


def customer_key_expression(emails: Sequence[str]) -> Func:
    """The buyer's e-mail as a customer mapping keys it (``documents.customer_key``): the first
    of ``emails`` that is not empty, trimmed, in lower case."""
    return Lower(Trim(Coalesce(*(NullIf(F(e), Value("")) for e in emails), Value(""),
                               output_field=CharField())))


def is_mapped_customer(key_field: str) -> Exists:
    """The subquery "staff mapped this buyer to a QuickBooks customer"."""
    from .models import CustomerMapping

    return Exists(CustomerMapping.objects.filter(email=OuterRef(key_field)))
