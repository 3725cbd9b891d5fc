"""Deterministic, realistic sample orders: for the demo, the tests and the benchmarks.

``generate_orders(count, seed=...)`` gives the same orders for the same seed. They look like a
real store's: registered customers and guests, unicode and over-long names and addresses, lines
without SKU, vouchers and order discounts spread into line totals (as Saleor does), legacy gift
cards that reduce the total, gift-card purchases, shipping with and without tax, zero-priced and
100 %-discounted lines, several channels and currencies, paid and unpaid. Totals always add up
the way Saleor's do.
"""

from __future__ import annotations

import random
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..documents import (
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

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Channel:
    slug: str
    currency: str
    tax_rate: Decimal


CHANNELS = (
    Channel("default-channel", "USD", Decimal("0.0825")),
    Channel("channel-pln", "PLN", Decimal("0.23")),
    Channel("channel-eur", "EUR", Decimal("0.19")),
)

FIRST_NAMES = ("Jacob", "Dustin", "Maria", "Zoë", "Łukasz", "Søren", "François", "Ana-María",
               "陈", "Olúwaseun", "Bartholomew-Maximilian", "Ólafur", "Ștefan", "Anna")
LAST_NAMES = ("Chang", "Gonzalez", "Kowalczyk", "Brzęczyszczykiewicz", "O'Neil", "Müller",
              "Nguyễn", "李", "Van der Westhuizen-Oppenheimer", "Smith", "García Márquez", "Ørsted")
COMPANIES = ("", "", "", "Acme Corporation", "Żabka Polska Sp. z o.o.",
             "The Extraordinarily Long Company Name Incorporated International", "Café & Co")
PRODUCTS = (
    ("Cubes Fountain Tee", ("S", "M", "L", "XL")),
    ("Mighty Mug", ("",)),
    ("Grey Hoodie", ("M", "L")),
    ("Żółta Czapka – Limited “Edition”", ("One size",)),
    ("Enterprise Cloud + On-premises", ("DVD", "Download")),
    ("Battle-tested at brands like Lush", ("DVD",)),
    ("Ultra-Premium Organic Fair-Trade Single-Origin Coffee Beans 1kg 🚀", ("Whole", "Ground")),
    ("Free sticker", ("",)),
)
STREETS = ("97378 Susan Expressway Suite 166", "ul. Świętokrzyska 12/4",
           "1 Infinite Loop, Building 4, Floor 3, Room 301, Attention: Receiving Department",
           "Hauptstraße 5")
CITIES = (("Johnnystad", "RI", "02884", "US"), ("Warszawa", "", "00-116", "PL"),
          ("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", "", "LL61 5UJ", "GB"),
          ("München", "BY", "80331", "DE"))
SHIPPING_METHODS = ("FedEx", "DHL Express", "China Post", "InPost Paczkomaty 24/7")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def generate_orders(count: int, *, seed: int = 1, start_number: int = 1,
                    start: datetime | None = None, span_days: int = 365,
                    customers: int | None = None) -> list[OrderDocument]:
    rng = random.Random(seed)
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    pool = [_customer(rng, i) for i in range(customers or max(5, count // 4))]
    step = timedelta(days=span_days) / max(count, 1)
    return [
        _order(rng, start_number + i, start + step * i + timedelta(seconds=rng.randint(0, 59)),
               rng.choice(pool))
        for i in range(count)
    ]


def _customer(rng: random.Random, index: int) -> tuple[Customer, Address]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"customer{index}@example.com"
    city, area, postal, country = rng.choice(CITIES)
    address = Address(first_name=first, last_name=last, company_name=rng.choice(COMPANIES),
                      street_address_1=rng.choice(STREETS), city=city, country_area=area,
                      postal_code=postal, country_code=country,
                      phone=rng.choice(("", "+14155550100", "+48 22 123 45 67")))
    registered = rng.random() < 0.6
    customer = Customer(email=email, user_id=str(1000 + index) if registered else None,
                        first_name=first if registered else "",
                        last_name=last if registered else "")
    return customer, address


def _order(rng: random.Random, number: int, created: datetime,
           buyer: tuple[Customer, Address]) -> OrderDocument:
    customer, address = buyer
    channel = rng.choice(CHANNELS)
    taxed = rng.random() < 0.7
    lines = []
    for line_no in range(rng.randint(1, 5)):
        product, variants = rng.choice(PRODUCTS)
        variant = rng.choice(variants)
        free = product == "Free sticker"
        unit = ZERO if free else Decimal(rng.randint(99, 25000)) / 100
        quantity = rng.randint(1, 6)
        variant_id = f"UHJvZHVjdFZhcmlhbnQ6{rng.randint(100, 999)}"
        sku_code = zlib.crc32(f"{product}/{variant}".encode()) % 10**8
        lines.append({
            "product": product, "variant": variant or variant_id, "variant_id": variant_id,
            "sku": None if rng.random() < 0.3 else f"SKU-{sku_code}",
            "quantity": quantity, "unit": unit, "line_no": line_no,
            "gift_card": product == "Mighty Mug" and rng.random() < 0.1,
        })
    # order-level discount (voucher or promotion), spread proportionally over lines like Saleor
    subtotal = sum((ln["unit"] * ln["quantity"] for ln in lines), ZERO)
    discount_kind = rng.choices(("none", "voucher", "manual", "full"), (60, 25, 10, 5))[0]
    discount_total = ZERO
    if discount_kind == "voucher":
        discount_total = _cents(subtotal * Decimal(rng.choice((5, 10, 15))) / 100)
    elif discount_kind == "manual":
        discount_total = min(subtotal, Decimal(rng.randint(1, 20)))
    elif discount_kind == "full":
        discount_total = subtotal
    remaining = discount_total
    order_lines = []
    for index, ln in enumerate(lines):
        base = ln["unit"] * ln["quantity"]
        if index == len(lines) - 1:
            share = remaining
        else:
            share = _cents(discount_total * base / subtotal) if subtotal else ZERO
            share = min(share, remaining, base)
        remaining -= share
        net = base - share
        rate = channel.tax_rate if taxed and not ln["gift_card"] else ZERO
        gross = net + _cents(net * rate)
        unit_gross = ln["unit"] + _cents(ln["unit"] * rate)
        order_lines.append(OrderLine(
            line_id=str(uuid.UUID(int=rng.getrandbits(128))),
            product_name=ln["product"], variant_name=ln["variant"], sku=ln["sku"],
            variant_id=ln["variant_id"], quantity=ln["quantity"],
            unit_price_net=_cents(net / ln["quantity"]),
            unit_price_gross=_cents(gross / ln["quantity"]),
            total_price_net=net, total_price_gross=gross,
            undiscounted_unit_price_net=ln["unit"], undiscounted_unit_price_gross=unit_gross,
            undiscounted_total_price_net=base, undiscounted_total_price_gross=unit_gross
            * ln["quantity"],
            tax_rate=rate, is_gift_card=ln["gift_card"],
        ))
    shipping = None
    if rng.random() < 0.85:
        ship_net = Decimal(rng.choice((0, 499, 999, 2500, 4042))) / 100
        ship_rate = channel.tax_rate if taxed and rng.random() < 0.5 else ZERO
        shipping = Shipping(method_name=rng.choice(SHIPPING_METHODS), price_net=ship_net,
                            price_gross=ship_net + _cents(ship_net * ship_rate), tax_rate=ship_rate)
    lines_gross = sum((ln.total_price_gross for ln in order_lines), ZERO)
    lines_net = sum((ln.total_price_net for ln in order_lines), ZERO)
    ship_gross = shipping.price_gross if shipping else ZERO
    ship_net = shipping.price_net if shipping else ZERO
    gift_card = ZERO
    if rng.random() < 0.08:
        gift_card = min(lines_gross + ship_gross, Decimal(rng.choice((10, 25, 50))))
    total_gross = lines_gross + ship_gross - gift_card
    gross_before = lines_gross + ship_gross
    total_net = (lines_net + ship_net) * (total_gross / gross_before) if gross_before else ZERO
    total_net = _cents(total_net)
    paid = rng.random() < 0.75
    payments = (Payment(method="card", amount=total_gross, name="Credit card",
                        psp_reference=f"psp_{number}", payment_id=f"transaction:sample-{number}",
                        charged_at=created),) if paid else ()
    voucher = f"SAVE{rng.randint(5, 30)}" if discount_kind == "voucher" else None
    discounts = ()
    if discount_total:
        discounts = (Discount(kind="voucher" if voucher else "manual", amount=discount_total,
                              name="" if voucher else "Staff discount", voucher_code=voucher),)
    status = rng.choices(("unfulfilled", "partially fulfilled", "fulfilled", "canceled"),
                         (40, 10, 45, 5))[0]
    return OrderDocument(
        order_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        number=number, created_at=created, channel_slug=channel.slug, currency=channel.currency,
        status=status,
        charge_status=ChargeStatus.FULL if paid else rng.choice(
            (ChargeStatus.NONE, ChargeStatus.PARTIAL)),
        customer=customer, lines=tuple(order_lines), total_net=total_net,
        total_gross=total_gross, billing_address=address, shipping_address=address,
        shipping=shipping, discounts=discounts, voucher_code=voucher, gift_card_amount=gift_card,
        payments=payments, total_charged=total_gross if paid else ZERO,
        customer_note=rng.choice(("", "", "Please leave at the door ☺", "Gift wrap, please")),
        undiscounted_total_gross=lines_gross + ship_gross,
    )
