"""``OrderSource`` on our sample-order table, for the standalone server, tests and benchmarks."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet

from ..documents import OrderDocument, document_from_json, document_to_json
from ..order_source import (
    CustomerSummary,
    OrderFilter,
    OrderRef,
    OrderSummary,
    SkuSummary,
    filter_orders,
)
from ..saleor_ids import InvalidGlobalId, from_global_id
from .models import SampleOrder, SampleOrderDocument


class SampleOrderSource:
    def filtered(self, flt: OrderFilter) -> QuerySet[SampleOrder]:
        return filter_orders(SampleOrder.objects.all(), flt, pk="order_id",
                             channel="channel_slug", emails=("customer_email",),
                             user="customer_user_id", user_pk=_user_pk)

    def search(self, flt, *, offset, limit):
        if limit <= 0:
            return []
        # rows as tuples in the summary's field order: a look-up step asks for 1,000 at once
        rows = (self.filtered(flt).order_by("-created_at", "-number")
                .values_list(*_SUMMARY_FIELDS)[offset:offset + limit])
        return [OrderSummary(str(order_id), *rest) for order_id, *rest in rows]

    def search_ids(self, flt, *, exclude: Iterable[str] = (), limit: int | None = None):
        qs = self.filtered(flt)
        excluded = [uuid.UUID(str(e)) for e in exclude]
        if excluded:
            qs = qs.exclude(order_id__in=excluded)
        rows = qs.order_by("created_at", "number").values_list("order_id", "number",
                                                                "channel_slug")
        if limit is not None:
            rows = rows[:limit]
        return [OrderRef(str(pk), n, channel) for pk, n, channel in rows]

    def load(self, order_ids: Sequence[str]) -> dict[str, OrderDocument]:
        ids = [uuid.UUID(str(i)) for i in order_ids]
        if not ids:
            return {}
        # one array parameter instead of one per id, and the JSON as text for json.loads: a
        # write set loads 250 documents, and Django's per-row conversions cost more than that
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT order_id, document::text FROM {SampleOrderDocument._meta.db_table} "  # noqa: S608 - our model's table
                "WHERE order_id = ANY(%s::uuid[])",
                ["{" + ",".join(str(i) for i in ids) + "}"])
            rows = cursor.fetchall()
        return {str(pk): document_from_json(json.loads(doc)) for pk, doc in rows}

    def customers(self, search, flt, *, offset, limit):
        qs = self.filtered(flt)
        if search:
            qs = qs.filter(Q(customer_email__icontains=search) | Q(customer_name__icontains=search))
        grouped = (qs.values("customer_email").annotate(
            order_count=Count("order_id"), name=Max("customer_name"),
            user_id=Max("customer_user_id")).order_by("customer_email"))
        total = grouped.count()
        return [CustomerSummary(email=r["customer_email"], name=r["name"] or "",
                                user_id=r["user_id"], order_count=r["order_count"])
                for r in grouped[offset:offset + limit]], total

    def skus(self, flt: OrderFilter) -> list[SkuSummary]:
        orders, params = self.filtered(flt).values("order_id").query.sql_with_params()
        table = SampleOrderDocument._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT btrim(line->>'sku') AS sku, max(line->>'product_name'), "  # noqa: S608 - our model's table and Django's own SQL
                f"count(DISTINCT d.order_id) FROM {table} d, "
                "jsonb_array_elements(d.document->'lines') AS line "
                f"WHERE d.order_id IN ({orders}) AND coalesce(btrim(line->>'sku'), '') <> '' "
                "AND NOT coalesce((line->>'is_gift_card')::boolean, false) "
                "GROUP BY 1 ORDER BY 1", params)
            return [SkuSummary(sku, name or "", count) for sku, name, count in cursor.fetchall()]


#: ``OrderSummary``'s fields, in order: the columns of the same names
_SUMMARY_FIELDS = tuple(f.name for f in dataclasses.fields(OrderSummary))


def _user_pk(value: str) -> str:
    """A Saleor user id given globally ("VXNlcjo0Mg==") or raw ("42")."""
    try:
        type_name, pk = from_global_id(value)
    except InvalidGlobalId:
        return value
    return pk if type_name == "User" else value


def store_sample_orders(orders: Iterable[OrderDocument], *, batch_size: int = 2000) -> int:
    """Insert (or replace) orders in the sample table; returns how many were written."""
    orders = list(orders)
    rows = [
        SampleOrder(
            order_id=o.order_id, number=o.number, created_at=o.created_at,
            channel_slug=o.channel_slug, status=o.status, charge_status=o.charge_status.value,
            currency=o.currency, total_gross=o.total_gross, customer_email=o.customer.email,
            customer_user_id=o.customer.user_id, customer_name=o.customer_name,
        )
        for o in orders
    ]
    documents = [SampleOrderDocument(order_id=o.order_id, document=document_to_json(o))
                 for o in orders]
    with transaction.atomic():
        SampleOrder.objects.bulk_create(
            rows, batch_size=batch_size, update_conflicts=True, unique_fields=["order_id"],
            update_fields=["number", "created_at", "channel_slug", "status", "charge_status",
                           "currency", "total_gross", "customer_email", "customer_user_id",
                           "customer_name"])
        SampleOrderDocument.objects.bulk_create(
            documents, batch_size=batch_size, update_conflicts=True, unique_fields=["order"],
            update_fields=["document"])
    return len(rows)
