"""Factories with keyword defaults for orders and mapped records used by the qbXML tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from saleor_qb_sync.documents import (
    Address,
    ChargeStatus,
    Customer,
    OrderDocument,
    OrderLine,
    Shipping,
)
from saleor_qb_sync.qbxml.records import (
    CustomerRecord,
    ItemKind,
    ItemRecord,
    QbAddress,
    Transaction,
    TransactionLine,
    TxnKind,
)

ORDER_ID = "5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10"


def order_line(*, quantity: int = 2, unit_net: str = "10.00", tax_rate: str = "0",
               discount: str = "0", sku: str | None = "TEE-M", name: str = "T-Shirt",
               variant: str = "M", is_gift_card: bool = False) -> OrderLine:
    """A line priced Saleor's way: total = unit × quantity - discount, gross = net + tax."""
    rate = Decimal(tax_rate)
    unit = Decimal(unit_net)
    undiscounted = unit * quantity
    net = undiscounted - Decimal(discount)
    gross = net + (net * rate).quantize(Decimal("0.01"))
    return OrderLine(
        line_id="T3JkZXJMaW5lOjE=", product_name=name, variant_name=variant, sku=sku,
        quantity=quantity, unit_price_net=net / quantity, unit_price_gross=gross / quantity,
        total_price_net=net, total_price_gross=gross, undiscounted_unit_price_net=unit,
        undiscounted_unit_price_gross=unit * (1 + rate), undiscounted_total_price_net=undiscounted,
        undiscounted_total_price_gross=undiscounted * (1 + rate), tax_rate=rate,
        is_gift_card=is_gift_card,
    )


def order(*, lines: tuple[OrderLine, ...] | None = None, shipping: Shipping | None = None,
          gift_card_amount: str = "0", number: int = 1001,
          charge_status: ChargeStatus = ChargeStatus.FULL,
          customer: Customer | None = None, billing: Address | None = None,
          created_at: datetime | None = None, **overrides) -> OrderDocument:
    """An order whose totals add up: lines + shipping - legacy gift cards."""
    lines = lines if lines is not None else (order_line(),)
    ship_net = shipping.price_net if shipping else Decimal(0)
    ship_gross = shipping.price_gross if shipping else Decimal(0)
    gift = Decimal(gift_card_amount)
    values = {
        "order_id": ORDER_ID,
        "number": number,
        "created_at": created_at or datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        "channel_slug": "default-channel",
        "currency": "USD",
        "status": "unfulfilled",
        "charge_status": charge_status,
        "customer": customer or Customer(email="jane@example.com", user_id="VXNlcjox",
                                         first_name="Jane", last_name="Doe"),
        "lines": lines,
        "total_net": sum((ln.total_price_net for ln in lines), Decimal(0)) + ship_net - gift,
        "total_gross": sum((ln.total_price_gross for ln in lines), Decimal(0)) + ship_gross
        - gift,
        "billing_address": billing or Address(
            first_name="Jane", last_name="Doe", street_address_1="1 Main St",
            city="Springfield", postal_code="62701", country_code="US", country_area="IL"),
        "shipping": shipping,
        "gift_card_amount": gift,
    }
    values.update(overrides)
    return OrderDocument(**values)


def qb_address(**overrides) -> QbAddress:
    values = {"lines": ("Jane Doe", "1 Main St"), "city": "Springfield", "state": "IL",
              "postal_code": "62701", "country": "US"}
    values.update(overrides)
    return QbAddress(**values)


def transaction_line(**overrides) -> TransactionLine:
    values = {"item_name": "T-Shirt", "description": "T-Shirt, size M",
              "amount": Decimal("39.98"), "quantity": Decimal(2), "rate": Decimal("19.99"),
              "taxable": True}
    values.update(overrides)
    return TransactionLine(**values)


def transaction(**overrides) -> Transaction:
    """An invoice with every optional header field we can send filled in."""
    values = {
        "kind": TxnKind.INVOICE,
        "order_id": ORDER_ID,
        "order_number": 1001,
        "ref_number": "W1001",
        "txn_date": date(2024, 5, 1),
        "customer_name": "Doe, Jane",
        "lines": (
            transaction_line(),
            transaction_line(item_name="Saleor Discount", description="Discount (SPRING10)",
                             amount=Decimal("-3"), quantity=None, rate=None, taxable=None),
        ),
        "memo": "Saleor order #1001",
        "currency": "USD",
        "bill_address": qb_address(),
        "ship_address": qb_address(),
        "class_name": "Web Store",
        "ar_account": "Accounts Receivable",
        "deposit_to_account": "Undeposited Funds",
        "item_sales_tax": "IL Sales Tax",
    }
    values.update(overrides)
    return Transaction(**values)


def customer_record(**overrides) -> CustomerRecord:
    values = {"name": "Doe, Jane", "company_name": "Acme & Sons", "first_name": "Jane",
              "last_name": "Doe", "email": "jane@example.com", "phone": "+1 555 0100",
              "bill_address": qb_address(), "ship_address": qb_address()}
    values.update(overrides)
    return CustomerRecord(**values)


def item_record(**overrides) -> ItemRecord:
    values = {"name": "TEE-M", "kind": ItemKind.NON_INVENTORY, "description": "T-Shirt",
              "account": "Sales"}
    values.update(overrides)
    return ItemRecord(**values)
