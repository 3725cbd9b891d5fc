"""From GraphQL filter input to the core's ``OrderFilter`` (checked by ``transfer_filter``)."""

from __future__ import annotations

from datetime import date

from ..errors import TransferError
from ..order_source import OrderFilter
from ..saleor_ids import InvalidGlobalId, from_global_id
from ..transfers import transfer_filter
from .context import QbSyncContext

#: the days a filter may name: a day's start and end in the store's time zone (UTC-12 to
#: UTC+14) must be datetimes Python can hold (years 1 to 9999; PostgreSQL holds more)
EARLIEST_DATE = date(1, 1, 2)
LATEST_DATE = date(9999, 12, 30)
#: the longest text a search argument takes (an e-mail address's limit)
MAX_SEARCH_LENGTH = 254


def search_text(search: str | None) -> str:
    """A search argument, trimmed; a longer one than ``MAX_SEARCH_LENGTH`` is refused."""
    search = (search or "").strip()
    if len(search) > MAX_SEARCH_LENGTH:
        raise TransferError(f"Search for at most {MAX_SEARCH_LENGTH} characters.",
                            field="search", code="invalid")
    return search


def orders_with_customers(context: QbSyncContext) -> OrderFilter:
    """The orders whose customers (and SKUs) are listed for choosing: those the store exports
    (its channels and statuses), exported ones included, in the channels the caller may see."""
    return transfer_filter(context.preferences, context.actor, include_exported=True,
                           skip_queued=False)


def check_date(value: date | None, field: str) -> date | None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise TransferError(f"Give a day from {EARLIEST_DATE.isoformat()} to "
                            f"{LATEST_DATE.isoformat()}.", field=field, code="out_of_range")
    return value


def check_customer(value: str | None) -> str | None:
    """An e-mail, a raw user id or a global User id; another type's global id is refused."""
    value = (value or "").strip()
    if not value or "@" in value:
        return value or None
    try:
        type_name, _ = from_global_id(value)
    except InvalidGlobalId:
        return value  # a raw user id
    if type_name != "User":
        raise TransferError(f"{value!r} is a {type_name} ID, not a User ID.", field="customer",
                            code="invalid_id")
    return value


def order_filter(context: QbSyncContext, data) -> OrderFilter:
    data = data or {}
    return transfer_filter(
        context.preferences,
        context.actor,
        customer=check_customer(data.get("customer")),
        date_from=check_date(data.get("date_from"), "dateFrom"),
        date_to=check_date(data.get("date_to"), "dateTo"),
        include_exported=bool(data.get("include_exported")),
        channel=(data.get("channel") or "").strip() or None,
    )
