"""The order as we export it: a host-neutral, immutable snapshot of one Saleor order.

Saleor's ORM (``saleor_host/orders.py``), its GraphQL answers (``testing/saleor_sample.py``) and
our sample-order generator all produce ``OrderDocument``; everything downstream (qbXML mapping,
preview, engine) reads only this. Money is ``Decimal`` everywhere, in the order's currency.

Saleor's own invariants, which ``OrderDocument.totals_problem`` checks:
- a line's ``total_price`` already includes its share of order-level discounts and vouchers;
- sum of line totals + shipping price = order total, minus gift cards used in the legacy flow
  (which reduce ``total`` but not ``subtotal``); gift cards paid through the Transaction API do not
  reduce the total and appear as payments instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache, partial
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0")


def to_cents(amount: Decimal) -> Decimal:
    """Round half up to two decimals, as QuickBooks stores amounts."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class ChargeStatus(StrEnum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    OVERCHARGED = "overcharged"


#: the charge statuses of an order paid in full (a sales receipt, by payment status)
FULLY_CHARGED = frozenset({ChargeStatus.FULL, ChargeStatus.OVERCHARGED})


@dataclass(frozen=True, slots=True)
class Address:
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    street_address_1: str = ""
    street_address_2: str = ""
    city: str = ""
    city_area: str = ""
    postal_code: str = ""
    country_code: str = ""
    country_area: str = ""
    phone: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


def customer_key(email: str) -> str:
    """A buyer's e-mail as a customer mapping keys it: trimmed, in lower case."""
    return (email or "").strip().lower()


@dataclass(frozen=True, slots=True)
class Customer:
    """Who bought: a registered user (``user_id`` set) or a guest known only by e-mail."""

    email: str
    user_id: str | None = None
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def mapping_key(self) -> str:
        """How a customer mapping names this buyer: the e-mail address in lower case (what a
        guest and a registered user both have; the customers list groups orders by it)."""
        return customer_key(self.email)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass(frozen=True, slots=True)
class OrderLine:
    line_id: str
    product_name: str
    variant_name: str
    sku: str | None
    quantity: int
    unit_price_net: Decimal
    unit_price_gross: Decimal
    total_price_net: Decimal
    total_price_gross: Decimal
    undiscounted_unit_price_net: Decimal
    undiscounted_unit_price_gross: Decimal
    undiscounted_total_price_net: Decimal
    undiscounted_total_price_gross: Decimal
    tax_rate: Decimal | None = None
    variant_id: str | None = None
    is_gift_card: bool = False
    tax_class_name: str | None = None

    @property
    def tax_amount(self) -> Decimal:
        return self.total_price_gross - self.total_price_net

    @property
    def is_taxed(self) -> bool:
        return self.tax_amount != ZERO or bool(self.tax_rate)

    @property
    def description(self) -> str:
        """Product and variant as a person reads them; Saleor fills an unnamed variant's name
        with its global ID, which says nothing to a bookkeeper, so it is left out."""
        variant = self.variant_name.strip()
        if not variant or variant == self.variant_id:
            return self.product_name
        return f"{self.product_name} ({variant})"


@dataclass(frozen=True, slots=True)
class Shipping:
    method_name: str
    price_net: Decimal
    price_gross: Decimal
    tax_rate: Decimal | None = None

    @property
    def tax_amount(self) -> Decimal:
        return self.price_gross - self.price_net


@dataclass(frozen=True, slots=True)
class Discount:
    """An order-level discount or voucher; its amount is already spread into line totals."""

    kind: str  # voucher, manual, promotion, order_promotion, sale
    amount: Decimal
    name: str = ""
    voucher_code: str | None = None
    value_type: str = "fixed"  # fixed or percentage
    value: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Payment:
    """One Saleor payment (a legacy ``Payment`` or a ``TransactionItem``) and what it charged so
    far: ``amount`` is what Saleor holds as charged now (captured or charged value), so a payment
    charged in two parts shows a larger amount the second time; a refund moves money from
    ``amount`` to ``refunded`` (Saleor's own bookkeeping), so ``charged_ever`` only grows."""

    method: str  # card, gift_card, other (Saleor's payment_method_type) or a gateway name
    amount: Decimal
    name: str = ""
    psp_reference: str = ""
    #: Saleor's own identity of the payment ("transaction:<token>" or "payment:<pk>"); empty for
    #: documents that predate it, whose charges are then never recorded on their own
    payment_id: str = ""
    #: when Saleor last changed it (the date a charge is recorded in QuickBooks)
    charged_at: datetime | None = None
    #: what Saleor refunded of it
    refunded: Decimal = ZERO

    @property
    def charged_ever(self) -> Decimal:
        return self.amount + self.refunded


@dataclass(frozen=True, slots=True)
class RefundLine:
    line_id: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Refund:
    """A refund Saleor made with what it was for: a granted refund whose money went back (its
    lines, shipping), or a legacy refund of fulfilled lines. Money refunded without saying what
    for is only in the payments' ``refunded``."""

    refund_id: str  # "granted:<pk>" or "fulfillment:<pk>"
    amount: Decimal
    refunded_lines: tuple[RefundLine, ...] = ()
    #: the order's shipping is part of it
    shipping: bool = False
    reason: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OrderDocument:
    order_id: str  # Saleor's Order UUID
    number: int
    created_at: datetime
    channel_slug: str
    currency: str
    status: str
    charge_status: ChargeStatus
    customer: Customer
    lines: tuple[OrderLine, ...]
    total_net: Decimal
    total_gross: Decimal
    billing_address: Address | None = None
    shipping_address: Address | None = None
    shipping: Shipping | None = None
    discounts: tuple[Discount, ...] = ()
    voucher_code: str | None = None
    #: gift cards used in the legacy flow: they reduced ``total_gross`` below lines + shipping
    gift_card_amount: Decimal = ZERO
    payments: tuple[Payment, ...] = ()
    total_charged: Decimal = ZERO
    customer_note: str = ""
    undiscounted_total_gross: Decimal = ZERO
    refunds: tuple[Refund, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def total_tax(self) -> Decimal:
        return self.total_gross - self.total_net

    @property
    def subtotal_gross(self) -> Decimal:
        return sum((line.total_price_gross for line in self.lines), ZERO)

    @property
    def subtotal_net(self) -> Decimal:
        return sum((line.total_price_net for line in self.lines), ZERO)

    @property
    def total_refunded(self) -> Decimal:
        """What Saleor gave back, over all its payments."""
        return sum((p.refunded for p in self.payments), ZERO)

    @property
    def is_fully_charged(self) -> bool:
        return self.charge_status in FULLY_CHARGED

    @property
    def customer_name(self) -> str:
        """The name a person would use for the buyer: the user, else the billing address."""
        if self.customer.full_name:
            return self.customer.full_name
        if self.billing_address and self.billing_address.full_name:
            return self.billing_address.full_name
        return self.customer.email

    def totals_problem(self) -> str | None:
        """Say what is wrong when lines + shipping - legacy gift cards != total; else None."""
        shipping_gross = self.shipping.price_gross if self.shipping else ZERO
        expected = self.subtotal_gross + shipping_gross - self.gift_card_amount
        if to_cents(expected) != to_cents(self.total_gross):
            return (
                f"lines ({to_cents(self.subtotal_gross)}) + shipping ({to_cents(shipping_gross)})"
                f" - gift cards ({to_cents(self.gift_card_amount)}) = {to_cents(expected)}, "
                f"but the order total is {to_cents(self.total_gross)} {self.currency}"
            )
        return None


# --- JSON form, for storing documents (sample orders, fixtures) -------------------------------

_NESTED = {
    "customer": Customer,
    "billing_address": Address,
    "shipping_address": Address,
    "shipping": Shipping,
}
_SEQUENCES = {"lines": OrderLine, "discounts": Discount, "payments": Payment,
              "refunds": Refund, "refunded_lines": RefundLine}


def document_to_json(order: OrderDocument) -> dict:
    """A JSON-safe dict (Decimals and datetimes as strings) that ``document_from_json`` reverses."""

    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, StrEnum):
            return value.value
        if hasattr(value, "__dataclass_fields__"):
            return {k: plain(getattr(value, k)) for k in value.__dataclass_fields__}
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return plain(order)


def _from_json(cls, data: dict):
    fields, names = _decoders(cls)
    if data.keys() == names:  # every field stored (``document_to_json`` writes them all)
        # the slots set directly: the frozen ``__init__`` sets each field through
        # ``object.__setattr__``, which was most of what decoding a document cost
        record = _new(cls)
        for name, decode, set_slot in fields:
            value = data[name]
            set_slot(record, value if value is None or decode is None else decode(value))
        return record
    kwargs = {}
    for name, decode, _ in fields:
        if name in data:
            value = data[name]
            kwargs[name] = value if value is None or decode is None else decode(value)
    return cls(**kwargs)


_new = object.__new__


def record_of(cls, values: Iterable[Any]):
    """A record of ``cls`` (one of the frozen classes above) from all its field values, in
    field order: its slots set directly, as ``__init__`` would, several times faster (the
    currency conversion rebuilds every record of hundreds of orders a set)."""
    record = _new(cls)
    for (_, _, set_slot), value in zip(_decoders(cls)[0], values, strict=True):
        set_slot(record, value)
    return record


@cache
def _decoders(cls) -> tuple[tuple[tuple[str, Callable[[Any], Any] | None, Callable], ...],
                            frozenset]:
    """Each field of ``cls`` with what turns its JSON value back (None: kept as it is) and the
    setter of its slot, and the set of their names, worked out once per class: a write set
    decodes 250 documents, each with a dozen objects. Setting the slots is what ``__init__``
    would do: these classes have no ``__post_init__`` and no field computed at init."""
    if hasattr(cls, "__post_init__") or not hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__} is decoded slot by slot: no __post_init__, slots only")
    fields = tuple((f.name, _decoder(f.name, f.type), cls.__dict__[f.name].__set__)
                   for f in dataclasses.fields(cls))
    return fields, frozenset(name for name, _, _ in fields)


def _decoder(name: str, type_: str) -> Callable[[Any], Any] | None:
    if name in _NESTED and type_.startswith(_NESTED[name].__name__):
        return partial(_from_json, _NESTED[name])
    if name in _SEQUENCES and type_.startswith("tuple"):
        item = _SEQUENCES[name]
        return lambda values: tuple(_from_json(item, v) for v in values)
    if type_ in ("Decimal", "Decimal | None"):
        return Decimal
    if name in ("created_at", "charged_at"):
        return datetime.fromisoformat
    if name == "charge_status":
        return ChargeStatus
    return None


def document_from_json(data: dict) -> OrderDocument:
    return _from_json(OrderDocument, data)
