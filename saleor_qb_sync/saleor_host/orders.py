"""``OrderSource`` on Saleor's ORM: search, bulk loading into ``OrderDocument``, customers.

Loading a page of orders costs a fixed number of queries (orders with their addresses, user
and channel in one; lines, discounts, payments, transactions and gift cards prefetched), never
one per order. Draft and unconfirmed orders are never returned: their prices are not final.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import CharField, Count, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from saleor.order.models import Order
from saleor.order.models import OrderLine as SaleorOrderLine

from ..documents import (
    ZERO,
    Address,
    ChargeStatus,
    Customer,
    Discount,
    OrderDocument,
    OrderLine,
    Payment,
    Refund,
    RefundLine,
    Shipping,
)
from ..order_source import (
    CustomerSummary,
    OrderFilter,
    OrderRef,
    OrderSummary,
    SkuSummary,
    filter_orders,
)
from ..saleor_ids import InvalidGlobalId, from_global_id


def _customer_name_expression():
    user_name = NullIf(Trim(Concat("user__first_name", Value(" "), "user__last_name")), Value(""))
    billing_name = NullIf(Trim(Concat("billing_address__first_name", Value(" "),
                                      "billing_address__last_name")), Value(""))
    # Order.user_email is an EmailField, the names CharFields: PostgreSQL takes them all as
    # text, Django needs to be told
    return Coalesce(user_name, billing_name, "user_email", output_field=CharField())


class SaleorOrderSource:
    def filtered(self, flt: OrderFilter) -> QuerySet[Order]:
        return filter_orders(Order.objects.all(), flt, pk="id", channel="channel__slug",
                             emails=("user_email", "user__email"), user="user_id",
                             user_pk=_user_pk)

    def search(self, flt: OrderFilter, *, offset: int, limit: int) -> list[OrderSummary]:
        if limit <= 0:
            return []
        rows = (self.filtered(flt).order_by("-created_at", "-number")
                .annotate(customer_name=_customer_name_expression())
                .values("id", "number", "created_at", "channel__slug", "currency",
                        "total_gross_amount", "status", "charge_status", "user_email",
                        "user__email", "customer_name", "user_id")[offset:offset + limit])
        return [
            OrderSummary(
                order_id=str(r["id"]), number=r["number"], created_at=r["created_at"],
                channel_slug=r["channel__slug"], currency=r["currency"],
                total_gross=r["total_gross_amount"], status=r["status"],
                charge_status=r["charge_status"],
                customer_email=r["user_email"] or r["user__email"] or "",
                customer_name=r["customer_name"] or "",
                customer_user_id=str(r["user_id"]) if r["user_id"] else None)
            for r in rows
        ]

    def search_ids(self, flt: OrderFilter, *, exclude: Iterable[str] = (),
                   limit: int | None = None) -> list[OrderRef]:
        qs = self.filtered(flt)
        excluded = [uuid.UUID(str(e)) for e in exclude]
        if excluded:
            qs = qs.exclude(id__in=excluded)
        rows = qs.order_by("created_at", "number").values_list("id", "number", "channel__slug")
        if limit is not None:
            rows = rows[:limit]
        return [OrderRef(str(pk), number, channel) for pk, number, channel in rows]

    def load(self, order_ids: Sequence[str]) -> dict[str, OrderDocument]:
        orders = (Order.objects.filter(id__in=[uuid.UUID(str(i)) for i in order_ids])
                  .select_related("user", "billing_address", "shipping_address", "channel")
                  .prefetch_related("lines", "discounts", "payment_transactions", "payments",
                                    "payments__transactions", "granted_refunds__lines",
                                    "fulfillments__lines",
                                    "gift_cards"))
        return {str(order.id): order_document(order) for order in orders}

    def customers(self, search: str, flt: OrderFilter, *, offset: int, limit: int
                  ) -> tuple[list[CustomerSummary], int]:
        qs = self.filtered(flt)
        if search:
            qs = qs.filter(Q(user_email__icontains=search) | Q(user__email__icontains=search)
                           | Q(user__first_name__icontains=search)
                           | Q(user__last_name__icontains=search)
                           | Q(billing_address__last_name__icontains=search))
        grouped = (qs.annotate(email=Coalesce(NullIf("user_email", Value("")), "user__email"))
                   .values("email")
                   .annotate(order_count=Count("id"), name=Max(_customer_name_expression()),
                             user_id=Max("user_id"))
                   .order_by("email"))
        total = grouped.count()
        return [CustomerSummary(email=r["email"] or "", name=r["name"] or "",
                                user_id=str(r["user_id"]) if r["user_id"] else None,
                                order_count=r["order_count"])
                for r in grouped[offset:offset + limit]], total

    def skus(self, flt: OrderFilter) -> list[SkuSummary]:
        rows = (SaleorOrderLine.objects.filter(order_id__in=self.filtered(flt).values("id"))
                .exclude(product_sku__isnull=True).exclude(product_sku="")
                .exclude(is_gift_card=True)
                .values("product_sku")
                .annotate(order_count=Count("order_id", distinct=True),
                          product_name=Max("product_name"))
                .order_by("product_sku"))
        return [SkuSummary(r["product_sku"], r["product_name"] or "", r["order_count"])
                for r in rows]


def _user_pk(value: str) -> str:
    try:
        type_name, pk = from_global_id(value)
    except InvalidGlobalId:
        return value if value.isdigit() else "0"
    return pk if type_name == "User" and pk.isdigit() else "0"


#: a granted refund whose money went back (Saleor's OrderGrantedRefundStatus.FULL)
_GRANTED_REFUND_DONE = "full"
#: fulfillments that stand for refunded lines (Saleor's FulfillmentStatus)
_REFUND_FULFILLMENTS = ("refunded", "refunded_and_returned")


def _refunds(order) -> tuple[Refund, ...]:
    """The refunds Saleor made with what they were for: granted refunds it processed, and the
    legacy flow's refund fulfillments."""
    granted = tuple(
        Refund(refund_id=f"granted:{g.pk}", amount=g.amount_value,
               refunded_lines=tuple(RefundLine(str(line.order_line_id), line.quantity)
                                    for line in g.lines.all()),
               shipping=g.shipping_costs_included, reason=g.reason or "",
               created_at=g.updated_at)
        for g in order.granted_refunds.all() if g.status == _GRANTED_REFUND_DONE)
    legacy = tuple(
        Refund(refund_id=f"fulfillment:{f.pk}", amount=f.total_refund_amount,
               refunded_lines=tuple(RefundLine(str(line.order_line_id), line.quantity)
                                    for line in f.lines.all()),
               shipping=bool(f.shipping_refund_amount), reason=f.reason or "",
               created_at=f.created_at)
        for f in order.fulfillments.all()
        if f.status in _REFUND_FULFILLMENTS and f.total_refund_amount)
    return granted + legacy


def _legacy_refunded(payment) -> Decimal:
    """What Saleor refunded of a legacy payment (it takes refunds off ``captured_amount``)."""
    return sum((t.amount for t in payment.transactions.all()
                if t.kind == "refund" and t.is_success), ZERO)


def _address(address) -> Address | None:
    if address is None:
        return None
    return Address(
        first_name=address.first_name, last_name=address.last_name,
        company_name=address.company_name, street_address_1=address.street_address_1,
        street_address_2=address.street_address_2, city=address.city,
        city_area=address.city_area, postal_code=address.postal_code,
        country_code=getattr(address.country, "code", str(address.country or "")),
        country_area=address.country_area, phone=str(address.phone or ""),
    )


def _line(line) -> OrderLine:
    quantity = line.quantity
    return OrderLine(
        line_id=str(line.id),
        product_name=line.product_name,
        variant_name=line.variant_name or "",
        sku=line.product_sku,
        variant_id=line.product_variant_id,
        quantity=quantity,
        unit_price_net=line.unit_price_net_amount,
        unit_price_gross=line.unit_price_gross_amount,
        total_price_net=line.total_price_net_amount,
        total_price_gross=line.total_price_gross_amount,
        undiscounted_unit_price_net=line.undiscounted_unit_price_net_amount,
        undiscounted_unit_price_gross=line.undiscounted_unit_price_gross_amount,
        undiscounted_total_price_net=line.undiscounted_total_price_net_amount,
        undiscounted_total_price_gross=line.undiscounted_total_price_gross_amount,
        tax_rate=line.tax_rate,
        is_gift_card=line.is_gift_card,
        tax_class_name=line.tax_class_name,
    )


def order_document(order: Order) -> OrderDocument:
    """One Saleor order (with the prefetches of ``SaleorOrderSource.load``) as a document."""
    lines = tuple(_line(line) for line in order.lines.all())
    shipping = None
    if order.shipping_method_name or order.shipping_price_gross_amount:
        shipping = Shipping(
            method_name=order.shipping_method_name or order.collection_point_name or "",
            price_net=order.shipping_price_net_amount,
            price_gross=order.shipping_price_gross_amount,
            tax_rate=order.shipping_tax_rate,
        )
    subtotal = sum((line.total_price_gross for line in lines), ZERO)
    shipping_gross = shipping.price_gross if shipping else ZERO
    gift_card_amount = ZERO
    if list(order.gift_cards.all()):  # the legacy flow: cards reduced the order total
        gift_card_amount = max(ZERO, subtotal + shipping_gross - order.total_gross_amount)
    payments = tuple(
        Payment(method=t.payment_method_type or "other", amount=t.charged_value,
                name=t.payment_method_name or t.name or "", psp_reference=t.psp_reference or "",
                payment_id=f"transaction:{t.token}", charged_at=t.modified_at,
                refunded=t.refunded_value)
        for t in order.payment_transactions.all()
    ) + tuple(
        Payment(method=p.payment_method_type or p.gateway, amount=p.captured_amount,
                name=p.gateway, psp_reference=p.psp_reference or "",
                payment_id=f"payment:{p.pk}", charged_at=p.modified_at,
                refunded=_legacy_refunded(p))
        for p in order.payments.all() if p.is_active
    )
    discounts = tuple(
        Discount(kind=str(d.type), amount=d.amount_value, name=d.name or "",
                 voucher_code=d.voucher_code, value_type=str(d.value_type),
                 value=Decimal(d.value))
        for d in order.discounts.all()
    )
    user = order.user
    return OrderDocument(
        order_id=str(order.id),
        number=order.number,
        created_at=order.created_at,
        channel_slug=order.channel.slug,
        currency=order.currency,
        status=order.status,
        charge_status=ChargeStatus(order.charge_status),
        customer=Customer(
            email=order.user_email or (user.email if user else ""),
            user_id=str(user.pk) if user else None,
            first_name=user.first_name if user else "",
            last_name=user.last_name if user else "",
        ),
        lines=lines,
        total_net=order.total_net_amount,
        total_gross=order.total_gross_amount,
        billing_address=_address(order.billing_address),
        shipping_address=_address(order.shipping_address),
        shipping=shipping,
        discounts=discounts,
        voucher_code=order.voucher_code,
        gift_card_amount=gift_card_amount,
        payments=payments,
        total_charged=order.total_charged_amount,
        customer_note=order.customer_note or "",
        undiscounted_total_gross=order.undiscounted_total_gross_amount,
        refunds=_refunds(order),
    )
