"""What the mapping API tests share: our copy of QuickBooks' lists as a completed read leaves it,
and orders of named buyers and SKUs in the standalone store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from saleor_qb_sync import quickbooks_lists
from saleor_qb_sync.documents import Customer
from saleor_qb_sync.qbxml.lists import ListEntry
from saleor_qb_sync.standalone.order_source import store_sample_orders
from tests.conftest import order_uuid
from tests.qbxml.factories import order, order_line

READ_AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def pulled(key: str, *records: tuple) -> None:
    """``pulled("items", ("I1", "Shirts:T-shirt red M"), ("I2", "Mugs", {"is_active": False}))``"""
    entries = []
    for list_id, full_name, *extra in records:
        fields = {"edit_sequence": "1", "time_modified": READ_AT, "record_type": "",
                  "is_active": True, **(extra[0] if extra else {})}
        entries.append(ListEntry(list_id=list_id, name=full_name.rpartition(":")[2],
                                 full_name=full_name, **fields))
    quickbooks_lists.store(key, entries)
    quickbooks_lists.finish(key, READ_AT, full=True, records=len(entries), round_trips=1)


def stored(number: int, *skus: str, email: str = "jane@example.com", first_name: str = "Jane",
           last_name: str = "Doe", channel: str = "default-channel", currency: str = "USD"):
    document = order(number=number, order_id=order_uuid(number), channel_slug=channel,
                     currency=currency, status="unfulfilled",
                     lines=tuple(replace(order_line(sku=sku), line_id=f"l{number}-{n}")
                                 for n, sku in enumerate(skus)),
                     customer=Customer(email=email, first_name=first_name,
                                       last_name=last_name))
    store_sample_orders([document])
    return document
