"""An order in the QuickBooks company's home currency, or why it cannot be.

QuickBooks books every amount it is given in the home currency (without multicurrency; with it,
the amounts would need the customer's currency and an exchange rate, which we do not send yet).
So an order in another currency is never sent with its own numbers: it is converted at the rate
the ``exchange_rates`` setting gives (home currency per unit of the order's), or refused with a
reason that names the setting. Every amount is multiplied exactly (no rounding here): the
order's own sums still hold, and the mapping rounds to the cent once, where it always does, with
the tax line taking up the difference so the total is the converted total to the cent.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from functools import cache
from operator import attrgetter

from ..documents import (
    Discount,
    OrderDocument,
    OrderLine,
    Payment,
    Refund,
    Shipping,
    record_of,
)
from ..errors import MappingError
from ..preferences import Preferences

_MONEY = {
    OrderLine: ("unit_price_net", "unit_price_gross", "total_price_net", "total_price_gross",
                "undiscounted_unit_price_net", "undiscounted_unit_price_gross",
                "undiscounted_total_price_net", "undiscounted_total_price_gross"),
    Shipping: ("price_net", "price_gross"),
    Discount: ("amount",),
    Payment: ("amount", "refunded"),
    Refund: ("amount",),
}
_ORDER_MONEY = ("total_net", "total_gross", "gift_card_amount", "total_charged",
                "undiscounted_total_gross")


def home_currency(order: OrderDocument, preferences: Preferences) -> OrderDocument:
    """``order`` with its amounts in the home currency; raises ``MappingError`` when it is in
    another currency the settings give no rate for."""
    home = preferences.company_currency
    if order.currency == home:
        return order
    rate = preferences.rate_for(order.currency)
    if rate is None:
        raise MappingError(
            order.number,
            f"it is in {order.currency} and QuickBooks' home currency is {home}: QuickBooks "
            f"would book the {order.currency} amounts as {home}. Add its rate to Exchange "
            f"rates (e.g. {order.currency}=0.25 for 0.25 {home} per {order.currency}) to "
            "convert it, or leave its channel out of Channels",
            code="foreign_currency")
    return _scaled(order, rate, home)


def conversion_note(order: OrderDocument, preferences: Preferences) -> str:
    """How an order was converted, for its memo and warnings; empty when it was not."""
    if order.currency == preferences.company_currency:
        return ""
    rate = preferences.rate_for(order.currency)
    return (f"converted from {order.total_gross} {order.currency} at {rate} "
            f"{preferences.company_currency} per {order.currency}")


def _scaled(record, rate: Decimal, home: str = ""):
    """``record`` with its money fields (``_MONEY``) times ``rate``, its records' too, and
    (an order) its currency ``home``: what ``dataclasses.replace`` gives, built without looking
    the fields up again or going through the frozen ``__init__`` (a write set converts hundreds
    of orders)."""
    read, layout = _layout(type(record))
    return record_of(type(record), [
        value if kind is _KEEP else value * rate if kind is _TIMES else home if kind is _HOME
        else None if value is None else _scaled(value, rate) if kind is _RECORD
        else tuple(_scaled(v, rate) for v in value)
        for value, kind in zip(read(record), layout, strict=True)])


#: what ``_scaled`` does with a field: keeps it, multiplies it, sets the home currency, scales
#: the record or each of the records it holds
_KEEP, _TIMES, _HOME, _RECORD, _RECORDS = "keep", "times", "home", "record", "records"
#: an order's own fields that are not kept as they are
_ORDER_FIELDS = {**dict.fromkeys(_ORDER_MONEY, _TIMES), "currency": _HOME, "shipping": _RECORD,
                 "lines": _RECORDS, "discounts": _RECORDS, "payments": _RECORDS,
                 "refunds": _RECORDS}


@cache
def _layout(cls) -> tuple[attrgetter, tuple[str, ...]]:
    """A getter of all of ``cls``'s fields, in order, and what ``_scaled`` does with each."""
    kinds = _ORDER_FIELDS if cls is OrderDocument else dict.fromkeys(_MONEY[cls], _TIMES)
    names = [f.name for f in dataclasses.fields(cls)]
    return attrgetter(*names), tuple(kinds.get(name, _KEEP) for name in names)
