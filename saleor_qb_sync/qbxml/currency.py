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

from dataclasses import replace
from decimal import Decimal

from ..documents import Discount, OrderDocument, OrderLine, Payment, Refund, Shipping
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
    return replace(
        order, currency=home,
        lines=tuple(_scaled(line, rate) for line in order.lines),
        shipping=_scaled(order.shipping, rate) if order.shipping is not None else None,
        discounts=tuple(_scaled(d, rate) for d in order.discounts),
        payments=tuple(_scaled(p, rate) for p in order.payments),
        refunds=tuple(_scaled(r, rate) for r in order.refunds),
        **{name: getattr(order, name) * rate for name in _ORDER_MONEY})


def conversion_note(order: OrderDocument, preferences: Preferences) -> str:
    """How an order was converted, for its memo and warnings; empty when it was not."""
    if order.currency == preferences.company_currency:
        return ""
    rate = preferences.rate_for(order.currency)
    return (f"converted from {order.total_gross} {order.currency} at {rate} "
            f"{preferences.company_currency} per {order.currency}")


def _scaled(record, rate: Decimal):
    names = _MONEY[type(record)]
    return replace(record, **{name: getattr(record, name) * rate for name in names})
