"""Which QuickBooks transaction is an order's: the proof the ledger accepts."""

from __future__ import annotations

import re

from ...qbxml.parse import ResponseItem


def matching_record(answer: ResponseItem, ref_number: str, order_id: str,
                    order_number: int) -> dict | None:
    """The QuickBooks transaction that is this order: same RefNumber and our ExternalGUID or
    our memo (QuickBooks does not keep RefNumbers unique, so the number alone proves nothing)."""
    guid = "{" + order_id.lower() + "}"
    for record in answer.records:
        if record.get("RefNumber") != ref_number:
            continue
        if record.get("ExternalGUID", "").lower() == guid or re.search(
                rf"\bSaleor order #{order_number}(?!\d)", record.get("Memo", "")):
            return record
    return None
