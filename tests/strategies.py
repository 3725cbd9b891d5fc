"""Hypothesis strategies for realistic Saleor orders whose totals add up by construction.

Money is generated in integer cents and turned into ``Decimal``; every line follows Saleor's
rules: ``total_price_net`` already includes its share of vouchers and order discounts, the gross
is net plus tax rounded to the cent, and the order total is lines + shipping - gift cards used
in the legacy flow (never below zero). Names and addresses mix plain ASCII with what breaks
QuickBooks: CJK, emoji, Polish letters, accents, XML metacharacters and over-long text.
"""

from __future__ import annotations

import dataclasses
import string
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import strategies as st

from saleor_qb_sync.documents import (
    ZERO,
    Address,
    ChargeStatus,
    Customer,
    Discount,
    OrderDocument,
    OrderLine,
    Payment,
    Shipping,
)
from saleor_qb_sync.preferences import (
    CustomerMode,
    CustomerNameFormat,
    ItemMode,
    MissingItemAction,
    Preferences,
    TaxMode,
    TransactionType,
)

CENT = Decimal("0.01")
CURRENCIES = ("USD", "EUR", "PLN", "GBP")
#: common VAT/sales tax rates, plus any two-decimal percentage up to 25 %
COMMON_TAX_RATES = ("0", "0.05", "0.0625", "0.08", "0.0875", "0.1", "0.2", "0.23", "0.25")

#: text QuickBooks cannot take as is
TRICKY_WORDS = (
    "山田太郎", "東京都渋谷区", "🎉", "🛒 Koszyk", "Łukasz Żółć", "Świętokrzyska", "Gdańsk",
    "José Müller", "Frédérique", "Ærøskøbing", "Straße", "O'Brien & Sons <Ltd>", 'Say "hi"',
    "Łódź", "Ñandú", "Ελληνικά", "Москва", "Tom’s “quote” — dash…", "a\tb", "x\u00a0y",
    "Œuvre", "ﬁne", "€100", "Nº 5", "  spaced   out  ", "line\nbreak",
)
PLAIN = string.ascii_letters + string.digits + " -.'"


def _cents_to_money(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@st.composite
def words(draw, *, max_size: int = 30) -> str:
    """A name-like string: plain, tricky, arbitrary unicode, or far too long."""
    kind = draw(st.integers(0, 9))
    if kind <= 3:
        return draw(st.text(PLAIN, min_size=1, max_size=max_size)).strip() or "Name"
    if kind <= 6:
        parts = draw(st.lists(st.sampled_from(TRICKY_WORDS), min_size=1, max_size=3))
        return " ".join(parts)
    if kind == 7:
        return draw(st.text(min_size=0, max_size=max_size))
    if kind == 8:
        return draw(st.text(PLAIN, min_size=60, max_size=300))
    return ""


def addresses() -> st.SearchStrategy[Address | None]:
    return st.one_of(
        st.none(),
        st.builds(
            Address,
            first_name=words(max_size=20),
            last_name=words(max_size=20),
            company_name=st.one_of(st.just(""), words()),
            street_address_1=words(max_size=60),
            street_address_2=st.one_of(st.just(""), words()),
            city=words(max_size=40),
            city_area=st.one_of(st.just(""), words(max_size=10)),
            postal_code=st.one_of(st.just(""), st.text(string.digits + "- ", max_size=20)),
            country_code=st.sampled_from(("US", "PL", "DE", "GB", "JP", "")),
            country_area=st.one_of(st.just(""), st.sampled_from(("CA", "NY", "RI")), words()),
            phone=st.one_of(st.just(""), st.text("+0123456789 ", max_size=30)),
        ),
    )


@st.composite
def customers(draw) -> Customer:
    registered = draw(st.booleans())
    local = draw(st.text(string.ascii_lowercase + string.digits + "._+", min_size=1,
                         max_size=draw(st.sampled_from((12, 64)))))
    email = f"{local}@{draw(st.sampled_from(('example.com', 'przykład.pl', 'x.co')))}"
    if not registered:
        return Customer(email=email)
    return Customer(
        email=email,
        user_id=f"VXNlcjo{draw(st.integers(1, 10**6))}",
        first_name=draw(words(max_size=25)),
        last_name=draw(words(max_size=25)),
        company_name=draw(st.one_of(st.just(""), words())),
    )


def tax_rates() -> st.SearchStrategy[Decimal]:
    return st.one_of(
        st.sampled_from(COMMON_TAX_RATES).map(Decimal),
        st.integers(0, 2500).map(lambda bp: Decimal(bp) / 10000),
    )


@st.composite
def _line_parts(draw, index: int) -> dict:
    """One line before discounts: quantities, undiscounted price, tax rate, flags."""
    is_gift_card = draw(st.integers(0, 11)) == 0
    zero_priced = draw(st.integers(0, 9)) == 0
    unit_cents = 0 if zero_priced else draw(st.integers(1, 250_000))
    quantity = draw(st.one_of(st.integers(1, 5), st.integers(1, 1000)))
    return {
        "line_id": f"T3JkZXJMaW5lOj{index}",
        "product_name": "Gift card" if is_gift_card else draw(words(max_size=60)) or "Product",
        "variant_name": draw(st.one_of(st.just(""), st.just("UHJvZHVjdFZhcmlhbnQ6MzQ1"),
                                       words(max_size=20))),
        "variant_id": "UHJvZHVjdFZhcmlhbnQ6MzQ1",
        "sku": draw(st.one_of(st.none(), st.just(""), st.just("   "),
                              st.text(PLAIN, min_size=1, max_size=20), words(max_size=50))),
        "quantity": quantity,
        "unit_cents": unit_cents,
        "tax_rate": ZERO if is_gift_card else draw(tax_rates()),
        "is_gift_card": is_gift_card,
    }


def _finish_line(parts: dict, discount_cents: int) -> OrderLine:
    """Apply a discount (already capped at the line's value) and compute tax Saleor's way."""
    quantity = parts["quantity"]
    rate = parts["tax_rate"]
    undiscounted_unit_net = _cents_to_money(parts["unit_cents"])
    undiscounted_total_net = undiscounted_unit_net * quantity
    total_net = undiscounted_total_net - _cents_to_money(discount_cents)
    total_gross = total_net + _round(total_net * rate)
    return OrderLine(
        line_id=parts["line_id"],
        product_name=parts["product_name"],
        variant_name=parts["variant_name"],
        sku=parts["sku"],
        quantity=quantity,
        unit_price_net=_round(total_net / quantity),
        unit_price_gross=_round(total_gross / quantity),
        total_price_net=total_net,
        total_price_gross=total_gross,
        undiscounted_unit_price_net=undiscounted_unit_net,
        undiscounted_unit_price_gross=_round(undiscounted_unit_net * (1 + rate)),
        undiscounted_total_price_net=undiscounted_total_net,
        undiscounted_total_price_gross=undiscounted_total_net + _round(
            undiscounted_total_net * rate),
        tax_rate=rate,
        variant_id=parts["variant_id"],
        is_gift_card=parts["is_gift_card"],
    )


@st.composite
def orders(draw) -> OrderDocument:
    """A complete, internally consistent order (``totals_problem()`` is None)."""
    parts = [draw(_line_parts(i)) for i in range(draw(st.integers(1, 6)))]

    # Discounts: per line none, some, or all of it (100 % off), the sum being what the
    # order's vouchers and promotions took; gift card lines are never discounted.
    discounts_cents = []
    for p in parts:
        value = p["unit_cents"] * p["quantity"]
        if p["is_gift_card"] or value == 0:
            discounts_cents.append(0)
            continue
        kind = draw(st.sampled_from(("none", "none", "some", "all")))
        discounts_cents.append(
            0 if kind == "none" else value if kind == "all" else draw(st.integers(0, value)))
    lines = tuple(_finish_line(p, d) for p, d in zip(parts, discounts_cents, strict=True))
    discount_total = _cents_to_money(sum(discounts_cents))
    voucher_code = draw(st.one_of(st.none(), st.text(string.ascii_uppercase + string.digits,
                                                     min_size=3, max_size=40)))
    discounts: tuple[Discount, ...] = ()
    if discount_total:
        discounts = (Discount(
            kind=draw(st.sampled_from(("voucher", "manual", "promotion", "order_promotion"))),
            amount=discount_total,
            name=draw(st.one_of(st.just(""), words())),
            voucher_code=voucher_code,
        ),)

    shipping = None
    if draw(st.booleans()):
        net = _cents_to_money(draw(st.integers(0, 20_000)))
        rate = draw(st.one_of(st.just(ZERO), tax_rates()))
        shipping = Shipping(
            method_name=draw(st.one_of(st.just(""), words(max_size=40))),
            price_net=net, price_gross=net + _round(net * rate), tax_rate=rate,
        )

    subtotal_net = sum((ln.total_price_net for ln in lines), ZERO)
    subtotal_gross = sum((ln.total_price_gross for ln in lines), ZERO)
    shipping_net = shipping.price_net if shipping else ZERO
    shipping_gross = shipping.price_gross if shipping else ZERO
    before_gift_cards = subtotal_gross + shipping_gross
    gift_card_amount = ZERO
    if before_gift_cards > 0 and draw(st.integers(0, 4)) == 0:
        gift_card_amount = _cents_to_money(draw(st.integers(1, int(before_gift_cards * 100))))
    total_gross = before_gift_cards - gift_card_amount
    total_net = max(ZERO, subtotal_net + shipping_net - gift_card_amount)

    charge_status = draw(st.sampled_from(list(ChargeStatus)))
    payments: list[Payment] = []
    if charge_status != ChargeStatus.NONE and total_gross > 0:
        by_gift_card = _cents_to_money(draw(st.integers(0, int(total_gross * 100))))
        if by_gift_card:
            payments.append(Payment("gift_card", by_gift_card, "Gift card"))
        if total_gross - by_gift_card:
            payments.append(Payment("card", total_gross - by_gift_card, "Stripe", "pi_123"))
    billing = draw(addresses())
    return OrderDocument(
        order_id=str(draw(st.uuids())),
        number=draw(st.one_of(st.integers(1, 99_999), st.integers(1, 99_999_999_999))),
        created_at=draw(st.datetimes(min_value=datetime(2015, 1, 1),
                                     max_value=datetime(2035, 12, 31), timezones=st.just(UTC))),
        channel_slug=draw(st.sampled_from(("default-channel", "channel-pln"))),
        currency=draw(st.sampled_from(CURRENCIES)),
        status=draw(st.sampled_from(("unfulfilled", "partially fulfilled", "fulfilled"))),
        charge_status=charge_status,
        customer=draw(customers()),
        lines=lines,
        total_net=total_net,
        total_gross=total_gross,
        billing_address=billing,
        shipping_address=draw(st.one_of(st.just(billing), addresses())),
        shipping=shipping,
        discounts=discounts,
        voucher_code=voucher_code if discounts and discounts[0].kind == "voucher" else None,
        gift_card_amount=gift_card_amount,
        payments=tuple(payments),
        total_charged=sum((p.amount for p in payments), ZERO),
        customer_note=draw(st.one_of(st.just(""), words(max_size=200))),
        undiscounted_total_gross=sum(
            (ln.undiscounted_total_price_gross for ln in lines), ZERO) + shipping_gross,
    )


@st.composite
def preferences(draw, **fixed) -> Preferences:
    """Valid preferences; ``missing_item_action`` never ``fail`` unless fixed by the caller."""
    values = {
        "transaction_type": draw(st.sampled_from(list(TransactionType))),
        "customer_mode": draw(st.sampled_from(list(CustomerMode))),
        "customer_name_format": draw(st.sampled_from(list(CustomerNameFormat))),
        "item_mode": draw(st.sampled_from(list(ItemMode))),
        "missing_item_action": draw(st.sampled_from(
            (MissingItemAction.CREATE, MissingItemAction.USE_DEFAULT))),
        "tax_mode": draw(st.sampled_from(list(TaxMode))),
        "ref_number_prefix": draw(st.sampled_from(("", "W", "SO-"))),
        "class_name": draw(st.sampled_from(("", "Web Store", "Online:Saleor"))),
        "time_zone": draw(st.sampled_from(("UTC", "America/New_York", "Europe/Warsaw",
                                           "Pacific/Kiritimati"))),
        # every generated currency converts (the home currency is USD): rates that do not
        # divide evenly, so the to-the-cent checks see the conversion's rounding
        "exchange_rates": draw(st.sampled_from((
            ("EUR=1.08", "PLN=0.25", "GBP=1.27"),
            ("EUR=1.0833", "PLN=0.2517", "GBP=1.2671"),
            ("EUR=0.93", "PLN=4.1", "GBP=7.77")))),
    }
    values.update(fixed)
    return dataclasses.replace(Preferences(), **values)


def with_fitting_number(order: OrderDocument, prefs: Preferences) -> OrderDocument:
    """The order renumbered, if needed, so prefix + number fits QuickBooks' 11-char RefNumber."""
    room = 11 - len(prefs.ref_number_prefix)
    if len(str(order.number)) <= room:
        return order
    return dataclasses.replace(order, number=order.number % (10**room) or 1)
