"""GraphQL enums lifted from the models' choices (names upper-case, as Saleor's enums are)."""

from __future__ import annotations

from enum import Enum

import graphene

from .. import quickbooks_lists
from ..dry_run import DryRunOutcome
from ..list_checks import Severity
from ..models import ExportState, FollowUpKind, OperationKind, OperationStatus, SessionState
from ..preferences import (
    NEVER_EXPORTED_STATUSES,
    SALEOR_ORDER_STATUSES,
    CustomerMode,
    CustomerNameFormat,
    EditUpdates,
    ExportMode,
    ItemMode,
    MissingItemAction,
    TaxMode,
    TransactionType,
)


def _described(type_description: str):
    """Graphene 2 takes a callable to describe each value; the choices' labels serve."""

    def describe(value):
        if value is None:
            return type_description
        return str(getattr(value, "label", "") or value.value.replace("_", " ").capitalize())

    return describe


class QbPendingOperationKind(graphene.Enum):
    class Meta:
        enum = OperationKind
        description = _described("What a pending operation does.")


class QbPendingOperationStatus(graphene.Enum):
    class Meta:
        enum = OperationStatus
        description = _described("Where a pending operation is.")


class QbExportState(graphene.Enum):
    class Meta:
        enum = ExportState
        description = _described("What became of one attempt to put an order into QuickBooks.")


class QbDocumentKind(graphene.Enum):
    class Meta:
        enum = FollowUpKind
        description = _described("A QuickBooks document that followed an order's transaction: "
                                 "a payment received, a credit memo, a refund, a void, an "
                                 "update.")


class QbWebConnectorSessionState(graphene.Enum):
    class Meta:
        enum = SessionState
        description = _described("The state of a Web Connector session.")


def _explained(type_description: str, explanations: dict):
    """Each value described in a bookkeeper's words (a choice in the app's Settings tab)."""

    def describe(value):
        return type_description if value is None else explanations[value]

    return describe


class QbExportMode(graphene.Enum):
    class Meta:
        enum = ExportMode
        description = _explained(
            "How orders reach QuickBooks: queued by a person, or every eligible order.", {
                ExportMode.AUTOMATIC: "Every new eligible order goes to QuickBooks on each Web "
                "Connector run.",
                ExportMode.ON_DEMAND: "Only orders staff queue in Transfer orders go to "
                "QuickBooks.",
            })


class QbTransactionType(graphene.Enum):
    class Meta:
        enum = TransactionType
        description = _explained("What an order becomes in QuickBooks.", {
            TransactionType.INVOICE: "An invoice: the customer owes it until it is paid.",
            TransactionType.SALES_RECEIPT: "A sales receipt: paid at the time of sale.",
            TransactionType.SALES_ORDER: "A sales order: recorded, not yet invoiced.",
            TransactionType.BY_PAYMENT_STATUS: "Fully paid orders become sales receipts, the "
            "others invoices.",
        })


class QbCustomerMode(graphene.Enum):
    class Meta:
        enum = CustomerMode
        description = _explained("Which QuickBooks customer an order goes to.", {
            CustomerMode.PER_CUSTOMER: "One QuickBooks customer per buyer.",
            CustomerMode.SINGLE_CUSTOMER: "Every order goes to one customer (the single "
            "customer name).",
        })


class QbCustomerNameFormat(graphene.Enum):
    class Meta:
        enum = CustomerNameFormat
        description = _explained("How a buyer's QuickBooks customer is named.", {
            CustomerNameFormat.FIRST_LAST: "First name, then last name (Jane Doe).",
            CustomerNameFormat.LAST_FIRST: "Last name, then first name (Doe, Jane).",
            CustomerNameFormat.EMAIL: "The buyer's e-mail address.",
            CustomerNameFormat.COMPANY_OR_NAME: "The billing address's company, else first "
            "and last name.",
        })


class QbItemMode(graphene.Enum):
    class Meta:
        enum = ItemMode
        description = _explained("Which QuickBooks item a product line uses.", {
            ItemMode.BY_SKU: "The item named by the product's SKU.",
            ItemMode.SINGLE_ITEM: "Every product line uses the default item.",
        })


class QbMissingItemAction(graphene.Enum):
    class Meta:
        enum = MissingItemAction
        description = _explained("What happens when QuickBooks lacks an order's item.", {
            MissingItemAction.CREATE: "Add it to QuickBooks as a non-inventory item.",
            MissingItemAction.USE_DEFAULT: "Use the default item instead.",
            MissingItemAction.FAIL: "Record the order as failed, for a person to fix.",
        })


class QbTaxMode(graphene.Enum):
    class Meta:
        enum = TaxMode
        description = _explained("How sales tax reaches QuickBooks.", {
            TaxMode.LINE_ITEM: "Saleor's tax, to the cent, as one line on the sales tax item.",
            TaxMode.QUICKBOOKS_TAX_ITEM: "QuickBooks computes the tax with its own sales tax "
            "item.",
        })


class QbEditUpdates(graphene.Enum):
    class Meta:
        enum = EditUpdates
        description = _explained(
            "What an edit in Saleor of an order that is in QuickBooks does to its transaction.", {
                EditUpdates.OFF: "Nothing: QuickBooks keeps what was exported.",
                EditUpdates.ASK: "The order shows as changed since export until someone "
                "chooses Update in QuickBooks.",
                EditUpdates.AUTOMATIC: "The next Web Connector run updates the transaction.",
            })


#: the parts of a transaction an edit in Saleor can change (``qbxml/edits.HEADER_FIELDS``)
HeaderField = Enum("HeaderField", {"BILL_ADDRESS": "BillAddress", "SHIP_ADDRESS": "ShipAddress"})


class QbOrderChangeField(graphene.Enum):
    class Meta:
        enum = HeaderField
        description = _explained(
            "What changed on an order in Saleor since its export, as its QuickBooks "
            "transaction's header names it.", {
                HeaderField.BILL_ADDRESS: "The billing address (BillAddress).",
                HeaderField.SHIP_ADDRESS: "The shipping address (ShipAddress).",
            })


def _exportable_status_name(status: str) -> str:
    """Saleor's database value as its GraphQL enum name (PARTIALLY_FULFILLED)."""
    return status.upper().replace(" ", "_")


#: Saleor's order statuses that may be exported (draft and unconfirmed never are)
ExportableOrderStatus = Enum("ExportableOrderStatus", {
    _exportable_status_name(status): status
    for status in SALEOR_ORDER_STATUSES if status not in NEVER_EXPORTED_STATUSES
})


class QbExportableOrderStatus(graphene.Enum):
    class Meta:
        enum = ExportableOrderStatus
        description = _explained(
            "A Saleor order status whose orders may be exported (as Saleor's OrderStatus).",
            {status: status.value.replace("_", " ").capitalize()
             for status in ExportableOrderStatus})


#: the lists we keep of QuickBooks (``quickbooks_lists.LISTS``), by key
QuickBooksListKey = Enum("QuickBooksListKey", {
    lst.key.upper(): lst.key for lst in quickbooks_lists.LISTS})


class QbQuickBooksListKey(graphene.Enum):
    class Meta:
        enum = QuickBooksListKey
        description = _explained(
            "One of the QuickBooks lists Web Connector reads.",
            {key: quickbooks_lists.BY_KEY[key.value].label for key in QuickBooksListKey})


class QbSettingProblemSeverity(graphene.Enum):
    class Meta:
        enum = Severity
        description = _explained("How much a problem of a setting matters.", {
            Severity.ERROR: "Saving refuses it: QuickBooks would refuse what uses it.",
            Severity.NOTICE: "Saved; says what will happen (e.g. the first export adds the "
                             "item)."})


class QbDryRunOutcome(graphene.Enum):
    class Meta:
        enum = DryRunOutcome
        description = _explained(
            "What a Web Connector update would do with an order, as a dry run found.", {
                DryRunOutcome.WOULD_LAND: "It would land in QuickBooks as the transaction shown.",
                DryRunOutcome.WOULD_FAIL: "It would fail, for the reason given.",
                DryRunOutcome.ALREADY_IN_QUICKBOOKS: ("It is in QuickBooks already (exported "
                                                      "before); it was not tried again."),
            })
