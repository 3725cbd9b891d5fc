"""From GraphQL filter input to the core's ``OrderFilter`` (checked by ``transfer_filter``)."""

from __future__ import annotations

from ..errors import TransferError
from ..order_source import OrderFilter
from ..saleor_ids import InvalidGlobalId, from_global_id
from ..transfers import transfer_filter
from .context import QbSyncContext


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
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        include_exported=bool(data.get("include_exported")),
        channel=(data.get("channel") or "").strip() or None,
    )
