"""The currency an order is booked in, in QuickBooks, or why it cannot be booked.

Without multicurrency, QuickBooks books every amount it is given in the home currency. So an
order in another currency is never sent with its own numbers: it is converted at the rate the
``exchange_rates`` setting gives (home currency per unit of the order's), or refused with a
reason that names the setting. Every amount is multiplied exactly (no rounding here): the
order's own sums still hold, and the mapping rounds to the cent once, where it always does, with
the tax line taking up the difference so the total is the converted total to the cent.

With multicurrency on (QuickBooks' preferences say so at the start of every Web Connector
session, ``CompanyCurrencies``), a transaction is in its customer's currency: an order in EUR is
booked in EUR, with its own amounts, for a customer whose currency is EUR (QuickBooks never
changes a customer's currency once it has transactions, so that customer's name carries the
code), at the rate ``exchange_rates`` gives, or, when it gives none, at the rate of QuickBooks'
own currency list. A currency QuickBooks' list lacks (or has inactive) refuses the order with a
reason naming it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class CompanyCurrencies:
    """What QuickBooks said of its currencies: multicurrency on or off (its preferences) and,
    when on, its currency list (``CurrencyQuery``). ``SINGLE_CURRENCY`` until a session read it."""

    multicurrency: bool = False
    #: the ISO code of QuickBooks' home currency ("" when not known)
    home: str = ""
    #: (ISO code, QuickBooks' name) of the active currencies, e.g. ("EUR", "Euro")
    names: tuple[tuple[str, str], ...] = ()
    #: ISO codes of the currencies the list has but marks inactive
    inactive: tuple[str, ...] = ()

    def name_of(self, code: str) -> str | None:
        return next((name for c, name in self.names if c == code.upper()), None)

    def to_json(self) -> dict:
        return {"multicurrency": self.multicurrency, "home": self.home,
                "names": [list(pair) for pair in self.names], "inactive": list(self.inactive)}

    @classmethod
    def from_json(cls, data: dict | None) -> CompanyCurrencies:
        data = data or {}
        return cls(bool(data.get("multicurrency")), str(data.get("home") or ""),
                   tuple((str(code), str(name)) for code, name in data.get("names") or ()),
                   tuple(str(code) for code in data.get("inactive") or ()))


SINGLE_CURRENCY = CompanyCurrencies()


@dataclass(frozen=True, slots=True)
class Booking:
    """An order booked in its own currency in a multicurrency company."""

    #: QuickBooks' name of the currency (the customer's ``CurrencyRef``)
    currency_name: str
    #: home currency per unit, from the settings; None: QuickBooks' currency list decides
    exchange_rate: Decimal | None


def home_currency(order: OrderDocument, preferences: Preferences,
                  currencies: CompanyCurrencies = SINGLE_CURRENCY) -> OrderDocument:
    """``order`` with its amounts in the currency QuickBooks books it in: its own when that is
    the home currency or, with multicurrency, a currency of QuickBooks' list; else converted to
    the home currency. Raises ``MappingError`` when it can be neither."""
    home = preferences.company_currency
    if currencies.multicurrency:
        _check_multicurrency(order, home, currencies)
        return order
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


def booking(order: OrderDocument, preferences: Preferences,
            currencies: CompanyCurrencies) -> Booking | None:
    """How an order in a foreign currency is booked in a multicurrency company; None when it is
    in the home currency or the company has one currency (after ``home_currency`` passed)."""
    if not currencies.multicurrency or order.currency == preferences.company_currency:
        return None
    name = currencies.name_of(order.currency) or order.currency
    return Booking(name, preferences.rate_for(order.currency))


def booking_note(order: OrderDocument, preferences: Preferences, booked: Booking) -> str:
    """In words, for the order's warnings."""
    home = preferences.company_currency
    rate = (f"at {booked.exchange_rate} {home} per {order.currency} (Exchange rates setting)"
            if booked.exchange_rate is not None
            else f"at the exchange rate of QuickBooks' currency list for {booked.currency_name}")
    return (f"booked in {order.currency} ({booked.currency_name}, QuickBooks multicurrency) "
            f"{rate}, for a customer in {order.currency}")


def in_currency_of(order: OrderDocument, booked_in: str,
                   preferences: Preferences) -> OrderDocument:
    """``order`` in the currency its transaction was booked in (``booked_in``, as the ledger
    recorded it): its own, or converted to the home currency as it was then. What follows an
    order (payments, credit memos) is always in its transaction's currency."""
    if not booked_in or order.currency == booked_in:
        return order
    return home_currency(order, preferences)


def follow_up_rate(currency: str, preferences: Preferences) -> Decimal | None:
    """The ``ExchangeRate`` of a payment or credit memo in ``currency``: None for the home
    currency and when the settings give none (QuickBooks' currency list decides)."""
    if currency.upper() == preferences.company_currency:
        return None
    return preferences.rate_for(currency)


def ar_account_for(currency: str, preferences: Preferences) -> str:
    """The A/R account a document in ``currency`` names: the settings' for the home currency;
    none for another, so QuickBooks uses its A/R account of that currency (it keeps one per
    currency and refuses a home-currency one on a foreign customer's document)."""
    return preferences.ar_account if currency.upper() == preferences.company_currency else ""


def _check_multicurrency(order: OrderDocument, home: str,
                         currencies: CompanyCurrencies) -> None:
    if currencies.home and currencies.home != home:
        name = currencies.name_of(currencies.home)
        label = f"{name} ({currencies.home})" if name else currencies.home
        raise MappingError(
            order.number,
            f"QuickBooks' home currency is {label}, but the setting QuickBooks home currency "
            f"says {home}: set it to {currencies.home}",
            code="home_currency_mismatch")
    if order.currency == home or currencies.name_of(order.currency):
        return
    state = ("is inactive in QuickBooks' currency list: make it active"
             if order.currency in currencies.inactive
             else "is not in QuickBooks' currency list: add it")
    raise MappingError(
        order.number,
        f"it is in {order.currency}, which {state} (Lists → Currency List), or leave its "
        "channel out of Channels",
        code="currency_not_in_quickbooks")


def conversion_note(order: OrderDocument, preferences: Preferences,
                    currencies: CompanyCurrencies = SINGLE_CURRENCY) -> str:
    """How an order was converted, for its memo and warnings; empty when it was not."""
    if order.currency == preferences.company_currency or currencies.multicurrency:
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
