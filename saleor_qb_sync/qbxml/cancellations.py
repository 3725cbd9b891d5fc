"""What a Saleor cancellation does to an order that is in QuickBooks.

An order cancelled in Saleor whose invoice or sales receipt is in QuickBooks is voided there
(``TxnVoid``: the transaction stays, at zero, its memo marked "VOID:"), when no money moved:
nothing charged in Saleor, nothing received, credited or refunded in QuickBooks. When money did
move, a void would undo a payment or a refund QuickBooks recorded, so it is left to a person,
with the reason (money refunded in Saleor reaches QuickBooks as credit memos anyway). A sales
order is not a posting transaction and qbXML cannot void one: a person closes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..documents import ZERO, OrderDocument
from .records import OrderOnFile, TxnKind

#: Saleor's status of a cancelled order
CANCELED = "canceled"
#: what TxnVoid can void of what an order becomes
VOIDABLE = (TxnKind.INVOICE.value, TxnKind.SALES_RECEIPT.value)


@dataclass(frozen=True, slots=True)
class Cancellation:
    """What to do about one cancelled order: void its transaction, or tell a person why not."""

    order_id: str
    order_number: int
    txn_kind: str
    txn_id: str
    ref_number: str
    #: empty: void it; else why a person must decide
    for_a_person: str = ""

    @property
    def source_id(self) -> str:
        return cancellation_source(self.order_id)


def cancellation_source(order_id: str) -> str:
    return f"cancel:{order_id}"


def cancellation(order: OrderDocument, on_file: OrderOnFile, *, money_in_quickbooks: bool
                 ) -> Cancellation | None:
    """None unless ``order`` is cancelled. ``money_in_quickbooks``: a payment, credit memo or
    refund of the order is (or may be) in QuickBooks."""
    if order.status != CANCELED:
        return None
    charged = sum((p.charged_ever for p in order.payments), ZERO)
    reason = ""
    if on_file.kind not in VOIDABLE:
        reason = (f"Order #{order.number} was cancelled in Saleor; its {on_file.kind} "
                  f"{on_file.ref_number} cannot be voided through Web Connector: close it in "
                  "QuickBooks.")
    elif charged > ZERO or money_in_quickbooks:
        reason = (f"Order #{order.number} was cancelled in Saleor, but money moved "
                  f"({charged} {order.currency} charged): its {on_file.kind} "
                  f"{on_file.ref_number} was not voided. Refunds made in Saleor reach "
                  "QuickBooks as credit memos; check the rest in QuickBooks.")
    return Cancellation(order.order_id, order.number, on_file.kind, on_file.txn_id,
                        on_file.ref_number, reason)
