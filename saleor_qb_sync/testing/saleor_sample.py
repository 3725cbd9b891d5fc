"""Real Saleor orders, as Saleor's GraphQL API returns them, turned into ``OrderDocument``s.

``../shared/saleor-sample/orders-populatedb.json`` is one ``orders(first: 100)`` answer of a real
Saleor. Reading it here gives tests, the demo and benchmarks real shapes (guest orders, lines
without SKU, variant names that are global IDs, two currencies) without running Saleor.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

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

DEFAULT_SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "saleor-sample" / (
    "orders-populatedb.json"
)


def sample_path() -> Path:
    return Path(os.environ.get("SALEOR_SAMPLE", DEFAULT_SAMPLE))


def load_sample_orders(path: str | Path | None = None) -> list[OrderDocument]:
    data = json.loads(Path(path or sample_path()).read_text(encoding="utf-8"))
    return [order_from_graphql(edge["node"]) for edge in data["data"]["orders"]["edges"]]


def status_from_graphql(value: str) -> str:
    """GraphQL's ``PARTIALLY_FULFILLED`` is the database's ``partially fulfilled``."""
    lowered = value.lower()
    return "partially fulfilled" if lowered == "partially_fulfilled" else lowered


def _amount(node: dict | None, *path: str) -> Decimal:
    for key in path:
        if node is None:
            return ZERO
        node = node.get(key)
    return Decimal(str(node)) if node is not None else ZERO


def _address(node: dict | None) -> Address | None:
    if not node:
        return None
    return Address(
        first_name=node.get("firstName", ""),
        last_name=node.get("lastName", ""),
        company_name=node.get("companyName", ""),
        street_address_1=node.get("streetAddress1", ""),
        street_address_2=node.get("streetAddress2", ""),
        city=node.get("city", ""),
        city_area=node.get("cityArea", ""),
        postal_code=node.get("postalCode", ""),
        country_code=(node.get("country") or {}).get("code", ""),
        country_area=node.get("countryArea", ""),
        phone=node.get("phone", "") or "",
    )


def _line(node: dict[str, Any]) -> OrderLine:
    return OrderLine(
        line_id=node["id"],
        product_name=node["productName"],
        variant_name=node.get("variantName") or "",
        sku=node.get("productSku"),
        variant_id=node.get("productVariantId"),
        quantity=int(node["quantity"]),
        unit_price_net=_amount(node, "unitPrice", "net", "amount"),
        unit_price_gross=_amount(node, "unitPrice", "gross", "amount"),
        total_price_net=_amount(node, "totalPrice", "net", "amount"),
        total_price_gross=_amount(node, "totalPrice", "gross", "amount"),
        undiscounted_unit_price_net=_amount(node, "undiscountedUnitPrice", "net", "amount"),
        undiscounted_unit_price_gross=_amount(node, "undiscountedUnitPrice", "gross", "amount"),
        undiscounted_total_price_net=_amount(node, "undiscountedUnitPrice", "net", "amount")
        * int(node["quantity"]),
        undiscounted_total_price_gross=_amount(node, "undiscountedUnitPrice", "gross", "amount")
        * int(node["quantity"]),
        tax_rate=Decimal(str(node["taxRate"])) if node.get("taxRate") is not None else None,
        is_gift_card=bool(node.get("isGiftCard", False)),
        tax_class_name=node.get("taxClassName"),
    )


def order_from_graphql(node: dict[str, Any]) -> OrderDocument:
    from ..saleor_ids import uuid_from_global_id

    user = node.get("user") or {}
    billing = _address(node.get("billingAddress"))
    lines = tuple(_line(line) for line in node.get("lines", []))
    shipping = None
    if node.get("shippingMethodName") or _amount(node, "shippingPrice", "gross", "amount"):
        shipping = Shipping(
            method_name=node.get("shippingMethodName") or "",
            price_net=_amount(node, "shippingPrice", "net", "amount"),
            price_gross=_amount(node, "shippingPrice", "gross", "amount"),
            tax_rate=Decimal(str(node["shippingTaxRate"]))
            if node.get("shippingTaxRate") is not None else None,
        )
    total_gross = _amount(node, "total", "gross", "amount")
    subtotal = sum((line.total_price_gross for line in lines), ZERO)
    shipping_gross = shipping.price_gross if shipping else ZERO
    gift_card_amount = ZERO
    if node.get("giftCards"):
        gift_card_amount = max(ZERO, subtotal + shipping_gross - total_gross)
    payments = tuple(
        Payment(method="other", name=t.get("name") or "", psp_reference=t.get("pspReference")
                or "", amount=_amount(t, "chargedAmount", "amount"),
                payment_id=f"transaction:{t['id']}" if t.get("id") else "")
        for t in node.get("transactions") or []
    ) + tuple(
        Payment(method=p.get("gateway") or "other", amount=_amount(p, "capturedAmount", "amount"),
                payment_id=f"payment:{p['id']}" if p.get("id") else "")
        for p in node.get("payments") or []
    )
    discounts = tuple(
        Discount(kind=(d.get("type") or "manual").lower(), amount=_amount(d, "amount", "amount"),
                 name=d.get("name") or "", voucher_code=d.get("voucherCode"),
                 value_type=(d.get("valueType") or "fixed").lower(),
                 value=Decimal(str(d.get("value") or 0)))
        for d in node.get("discounts") or []
    )
    return OrderDocument(
        order_id=str(uuid_from_global_id(node["id"], "Order")),
        number=int(node["number"]),
        created_at=datetime.fromisoformat(node["created"]),
        channel_slug=node["channel"]["slug"],
        currency=node["channel"].get("currencyCode") or node["total"]["net"]["currency"],
        status=status_from_graphql(node["status"]),
        charge_status=ChargeStatus(node["chargeStatus"].lower()),
        customer=Customer(
            email=node.get("userEmail") or user.get("email") or "",
            user_id=user.get("id"),
            first_name=user.get("firstName", "") if user else "",
            last_name=user.get("lastName", "") if user else "",
        ),
        lines=lines,
        total_net=_amount(node, "total", "net", "amount"),
        total_gross=total_gross,
        billing_address=billing,
        shipping_address=_address(node.get("shippingAddress")),
        shipping=shipping,
        discounts=discounts,
        voucher_code=node.get("voucherCode"),
        gift_card_amount=gift_card_amount,
        payments=payments,
        total_charged=_amount(node, "totalCharged", "amount"),
        customer_note=node.get("customerNote") or "",
        undiscounted_total_gross=_amount(node, "undiscountedTotal", "gross", "amount"),
    )
