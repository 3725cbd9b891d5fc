"""The QuickBooks records an order becomes: a transaction, its lines, a customer and items, and
later the payments received against it.

Plain frozen data, apart from the mapping that produces them (``mapping.map_order``) and the
builders that send them (``build``). Strings in a record are already fitted to QuickBooks'
limits (``limits``, ``text.fit``), so a builder sends exactly the names a transaction references.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ..documents import ZERO


class TxnKind(StrEnum):
    """The transaction an order becomes, named as its qbXML aggregate (``InvoiceAdd``…)."""

    INVOICE = "Invoice"
    SALES_RECEIPT = "SalesReceipt"
    SALES_ORDER = "SalesOrder"
    #: not what an order becomes: what a refund of one does (``refunds.py``)
    CREDIT_MEMO = "CreditMemo"


#: what an order can become
ORDER_TXN_KINDS = (TxnKind.INVOICE, TxnKind.SALES_RECEIPT, TxnKind.SALES_ORDER)


class ItemKind(StrEnum):
    """The item types we create, named as their qbXML aggregates (``ItemNonInventoryAdd``…)."""

    NON_INVENTORY = "ItemNonInventory"
    OTHER_CHARGE = "ItemOtherCharge"


@dataclass(frozen=True, slots=True)
class QbAddress:
    lines: tuple[str, ...]  # Addr1.. (at most limits.ADDRESS_LINES)
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    name: str
    company_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    bill_address: QbAddress | None = None
    ship_address: QbAddress | None = None
    #: QuickBooks' name of the customer's currency (multicurrency); empty: the home currency
    currency: str = ""
    #: a customer staff mapped to one QuickBooks already has: referenced, never added
    existing: bool = False


@dataclass(frozen=True, slots=True)
class MappedCustomer:
    """The QuickBooks customer staff chose for a Saleor buyer."""

    full_name: str
    #: its currency in QuickBooks (multicurrency), as our copy of the list says; "" if unknown
    currency: str = ""


@dataclass(frozen=True, slots=True)
class NameMappings:
    """What staff mapped by hand, read once per batch (``mappings.current``) and passed in:
    Saleor SKUs to QuickBooks items named differently, buyers to QuickBooks customers."""

    #: a SKU as Saleor spells it (trimmed) → the QuickBooks item's full name
    items: Mapping[str, str] = field(default_factory=dict)
    #: a buyer's e-mail in lower case (``documents.customer_key``) → the QuickBooks customer
    customers: Mapping[str, MappedCustomer] = field(default_factory=dict)

    def item_for(self, sku: str | None) -> str | None:
        return self.items.get(sku.strip()) if sku else None

    def customer_for(self, key: str) -> MappedCustomer | None:
        return self.customers.get(key) if key else None


#: nothing mapped (the default of every mapping function)
NO_MAPPINGS = NameMappings()


@dataclass(frozen=True, slots=True)
class ItemRecord:
    name: str
    kind: ItemKind
    description: str
    account: str


@dataclass(frozen=True, slots=True)
class TransactionLine:
    item_name: str
    description: str
    amount: Decimal
    quantity: Decimal | None = None
    rate: Decimal | None = None
    #: True/False → SalesTaxCodeRef Tax/Non; None leaves the item's own code
    taxable: bool | None = None


@dataclass(frozen=True, slots=True)
class Transaction:
    kind: TxnKind
    order_id: str
    order_number: int
    ref_number: str
    txn_date: date
    customer_name: str
    lines: tuple[TransactionLine, ...]
    memo: str
    currency: str
    bill_address: QbAddress | None = None
    ship_address: QbAddress | None = None
    class_name: str = ""
    ar_account: str = ""
    deposit_to_account: str = ""
    #: set in quickbooks_tax_item mode: the sales tax item QuickBooks computes tax with
    item_sales_tax: str = ""
    #: the ExternalGUID when it is not the order's own (a credit memo's)
    guid: str = ""
    #: home currency per unit of ``currency`` when it is foreign (multicurrency); None leaves
    #: QuickBooks' own rate (and is all a home-currency transaction has)
    exchange_rate: Decimal | None = None

    @property
    def lines_total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def external_guid(self) -> str:
        return self.guid or "{" + self.order_id + "}"


@dataclass(frozen=True, slots=True)
class MappedOrder:
    """One order as QuickBooks records, with the warnings a person can act on."""

    transaction: Transaction
    customer: CustomerRecord
    items: tuple[ItemRecord, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrderOnFile:
    """An order's transaction as the ledger knows it: in QuickBooks, with this TxnID (what a
    payment, a credit memo or a void applies to)."""

    order_id: str
    order_number: int
    kind: str
    txn_id: str
    ref_number: str
    customer_name: str
    currency: str
    #: what QuickBooks has as its total (None on rows written before the ledger kept it)
    total: Decimal | None = None
    record_pk: int | None = None
    channel_slug: str = ""


@dataclass(frozen=True, slots=True)
class ReceivedPayment:
    """Part of a Saleor payment received in QuickBooks against the order's invoice
    (``ReceivePaymentAdd`` with one ``AppliedToTxnAdd``)."""

    order_id: str
    order_number: int
    #: Saleor's payment ("transaction:<token>" / "payment:<pk>") and which of its charges
    payment_id: str
    sequence: int
    ref_number: str
    txn_date: date
    customer_name: str
    amount: Decimal
    currency: str
    invoice_txn_id: str
    memo: str
    payment_method: str = ""
    deposit_to_account: str = ""
    ar_account: str = ""
    #: as ``Transaction.exchange_rate``
    exchange_rate: Decimal | None = None

    @property
    def external_guid(self) -> str:
        return payment_guid(self.order_id, self.payment_id, self.sequence)


_PAYMENT_NAMESPACE = uuid.UUID("5a1e0bb5-9a7c-4c9b-8d1e-7061796d656e")


@dataclass(frozen=True, slots=True)
class CreditMemo:
    """A Saleor refund as a QuickBooks credit memo, and the items its lines need."""

    source_id: str
    sequence: int
    transaction: Transaction
    items: tuple[ItemRecord, ...]


@dataclass(frozen=True, slots=True)
class CardRefund:
    """Money given back against a credit memo (``ARRefundCreditCardAdd``)."""

    order_id: str
    order_number: int
    source_id: str
    sequence: int
    ref_number: str
    txn_date: date
    customer_name: str
    amount: Decimal
    currency: str
    credit_memo_txn_id: str
    memo: str
    payment_method: str = ""
    refund_from_account: str = ""
    ar_account: str = ""
    #: as ``Transaction.exchange_rate``
    exchange_rate: Decimal | None = None

    @property
    def external_guid(self) -> str:
        return document_guid("ARRefundCreditCard", self.order_id, self.source_id,
                             self.sequence)


def document_guid(kind: str, order_id: str, source_id: str, sequence: int) -> str:
    """The ExternalGUID of a document that follows an order (a credit memo, a refund): ours,
    the same on every resend, so a lost answer can be matched in QuickBooks."""
    return "{" + str(uuid.uuid5(_PAYMENT_NAMESPACE,
                                f"{kind}/{order_id}/{source_id}/{sequence}")) + "}"


def payment_guid(order_id: str, payment_id: str, sequence: int) -> str:
    """The ExternalGUID of a Saleor charge's payment: ours, and the same on every resend, so a
    lost answer can be matched in QuickBooks (lower case, in braces)."""
    return "{" + str(uuid.uuid5(_PAYMENT_NAMESPACE, f"{order_id}/{payment_id}/{sequence}")) + "}"
