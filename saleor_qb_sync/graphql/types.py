"""Object and input types of the QuickBooks sync API (all prefixed ``Qb``, apart from Saleor's)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import graphene
from graphene.utils.str_converters import to_camel_case

from ..dry_run import DryRunOutcome
from ..ledger import first_order_numbers
from ..qbxml import build
from ..qbxml.edits import address_text
from ..quickbooks_document import document_for
from ..saleor_ids import to_global_id
from ..transfers import operations_with_counts
from .enums import (
    QbDocumentKind,
    QbDryRunOutcome,
    QbEditUpdates,
    QbExportMode,
    QbExportState,
    QbOrderChangeField,
    QbPendingOperationKind,
    QbPendingOperationStatus,
    QbWebConnectorSessionState,
)
from .pagination import CountableConnection

#: a ``models.PendingOperation`` as the resolvers fetched it (types never import the models:
#: they read what resolvers fetched and never query the ORM themselves)
PendingOperation = Any

#: how many order numbers a pending operation lists (``QbPendingOperation.orders``)
ORDER_NUMBERS_SHOWN = 10


def saleor_enum_name(value: str) -> str:
    """Saleor's database value as its GraphQL enum name (PARTIALLY_FULFILLED)."""
    return value.strip().upper().replace(" ", "_").replace("-", "_")


# --- inputs -------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class Date(graphene.Date):
    """graphene's Date, reading only ``YYYY-MM-DD`` (years 1-9999): graphene's own parser
    raises on ``""`` (IndexError) or ``"-0001-01-01"`` (NotImplementedError), which escapes
    graphql-core 2 as a 500; here any other value is invalid, reported by field."""

    class Meta:
        name = "Date"
        description = graphene.Date._meta.description

    @staticmethod
    def parse_value(value):
        if isinstance(value, datetime.datetime):
            return None
        if isinstance(value, datetime.date):
            return value
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None


class QbOrderTransferFilterInput(graphene.InputObjectType):
    customer = graphene.String(
        description="A Saleor user ID (global, e.g. \"VXNlcjo3\", or raw) or an e-mail address; "
        "omit for every customer.")
    date_from = Date(
        description="Orders placed on or after this day (in the store's time zone).")
    date_to = Date(
        description="Orders placed on or before this day (in the store's time zone).")
    include_exported = graphene.Boolean(
        default_value=False,
        description="Include orders that are already in QuickBooks.")
    channel = graphene.String(description="Only orders of this channel (slug).")

    class Meta:
        description = "Which orders to transfer: customer, dates, already exported or not."


class QbOrderTransferQueueInput(graphene.InputObjectType):
    order_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        description="Exactly these orders (Saleor Order IDs). Give this or filter, not both.")
    filter = graphene.Field(
        QbOrderTransferFilterInput,
        description="Every order this filter matches. Give this or orderIds, not both.")
    exclude_order_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        description="Orders to leave out of the filter's matches (unchecked in the preview).")

    class Meta:
        description = "The orders to queue for the next Web Connector run."


class QbTransferHistoryFilterInput(graphene.InputObjectType):
    state = QbExportState(description="Only attempts in this state.")
    order_number = graphene.Int(description="Only attempts for the order with this number.")
    order_id = graphene.ID(description="Only attempts for this order (Saleor Order ID).")
    changed_since_export = graphene.Boolean(
        description="true: only the attempts that put an order in QuickBooks which was edited "
        "in Saleor since (its addresses); false: all others.")

    class Meta:
        description = "Which export attempts to list."


# --- orders and their preview -------------------------------------------------------------------


class QbMoney(graphene.ObjectType):
    amount = graphene.Float(required=True, description="Amount of money.")
    currency = graphene.String(required=True, description="Currency code (ISO 4217).")

    class Meta:
        description = "An amount in a currency."


class QbLastExport(graphene.ObjectType):
    at = graphene.DateTime(required=True, description="When the order went into QuickBooks.")
    transaction_type = graphene.String(
        required=True, description="The QuickBooks transaction: Invoice, SalesReceipt or "
        "SalesOrder.")
    txn_id = graphene.String(required=True, description="QuickBooks' TxnID of the transaction.")
    ref_number = graphene.String(required=True,
                                 description="The transaction's RefNumber in QuickBooks.")

    class Meta:
        description = "The export that put an order into QuickBooks."


class QbFollowUpDue(graphene.ObjectType):
    kind = QbDocumentKind(required=True, description="Which document.")
    amount = graphene.Field(QbMoney, required=True, description="Its amount (zero for a void).")
    description = graphene.String(required=True, description="What it is, in words.")

    class Meta:
        description = ("A document QuickBooks lacks for an order it has: what the next Web "
                       "Connector update would send (automatic mode), or will send once queued "
                       "with qbFollowUpsQueue (on demand).")

    @staticmethod
    def resolve_amount(root, info):
        return QbMoney(amount=root.amount, currency=root.currency)


#: the orders of the preview page being resolved, whose due documents are read together
PAGE_IN_QUICKBOOKS = "_qb_page_in_quickbooks"
_DUE = "_qb_follow_ups_due"


def follow_ups_due(info, order_id: str) -> tuple:
    """The documents due for ``order_id``, read with the rest of its page's orders in
    QuickBooks (once per request)."""
    from ..qbwc.steps.follow_ups import due_documents

    context = info.context
    cache = getattr(context, _DUE, None)
    if cache is None:
        cache = {}
        setattr(context, _DUE, cache)
    if order_id not in cache:
        ids = [i for i in getattr(context, PAGE_IN_QUICKBOOKS, ()) if i not in cache]
        ids = ids if order_id in ids else [order_id]
        cache.update(dict.fromkeys(ids, ()))
        cache.update(due_documents(context.preferences, context.source, ids))
    return cache[order_id]


class QbOrderTransferPreviewRow(graphene.ObjectType):
    order_id = graphene.ID(required=True, description="The Saleor Order ID.")
    number = graphene.Int(required=True, description="The order number.")
    created_at = graphene.DateTime(required=True, description="When the order was placed.")
    channel = graphene.String(required=True, description="The order's channel (slug).")
    customer_name = graphene.String(required=True, description="The customer's name.")
    customer_email = graphene.String(required=True, description="The customer's e-mail.")
    total = graphene.Field(QbMoney, required=True, description="The order's gross total.")
    status = graphene.String(required=True,
                             description="Saleor's order status, e.g. UNFULFILLED.")
    charge_status = graphene.String(
        required=True, description="Saleor's charge status: NONE, PARTIAL, FULL, OVERCHARGED.")
    exported = graphene.Boolean(required=True, description="Whether it is in QuickBooks now.")
    last_export = graphene.Field(
        QbLastExport, description="The export that put it into QuickBooks, if it is there.")
    planned_transaction_type = graphene.String(
        description="What it would become in QuickBooks (Invoice, SalesReceipt, SalesOrder); "
        "null when it cannot be exported (see warnings).")
    warnings = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="What a person should know before transferring it.")
    quickbooks_customer = graphene.String(
        name="quickbooksCustomer",
        description="The QuickBooks customer its transaction would name: the one the customer "
        "is mapped to, else by the customer rule; null when it cannot be exported.")
    follow_ups_due = graphene.List(
        graphene.NonNull(QbFollowUpDue), required=True,
        description="For an order in QuickBooks: the payments, credit memos, refunds and voids "
        "QuickBooks lacks (what Saleor did since the export); empty otherwise.")

    class Meta:
        description = "An order as it would be transferred to QuickBooks."

    @staticmethod
    def resolve_follow_ups_due(root, info):
        return follow_ups_due(info, root.order.order_id) if root.exported else ()

    @staticmethod
    def resolve_order_id(root, info):
        return to_global_id("Order", root.order.order_id)

    @staticmethod
    def resolve_number(root, info):
        return root.order.number

    @staticmethod
    def resolve_created_at(root, info):
        return root.order.created_at

    @staticmethod
    def resolve_channel(root, info):
        return root.order.channel_slug

    @staticmethod
    def resolve_customer_name(root, info):
        return root.order.customer_name or ""

    @staticmethod
    def resolve_customer_email(root, info):
        return root.order.customer_email or ""

    @staticmethod
    def resolve_total(root, info):
        return QbMoney(amount=root.order.total_gross, currency=root.order.currency)

    @staticmethod
    def resolve_status(root, info):
        return saleor_enum_name(root.order.status)

    @staticmethod
    def resolve_charge_status(root, info):
        return saleor_enum_name(str(root.order.charge_status))

    @staticmethod
    def resolve_last_export(root, info):
        export = root.last_export
        if export is None:
            return None
        return QbLastExport(at=export.at, transaction_type=export.transaction_type,
                            txn_id=export.txn_id, ref_number=export.ref_number)


class QbOrderTransferPreviewConnection(CountableConnection):
    queued_count = graphene.Int(
        required=True,
        description=("Orders the filter matches that are not listed because they already wait "
                     "in a pending operation (see qbPendingOperations)."))

    class Meta:
        node = graphene.NonNull(QbOrderTransferPreviewRow)
        description = "A page of the transfer preview, newest orders first."


class QbPayment(graphene.ObjectType):
    at = graphene.DateTime(required=True, description="When the attempt last changed.")
    amount = graphene.Field(QbMoney, required=True, description="The amount received.")
    ref_number = graphene.String(required=True,
                                 description="The payment's RefNumber in QuickBooks.")
    txn_id = graphene.String(required=True,
                             description="QuickBooks' TxnID; empty until QuickBooks has it.")
    state = QbExportState(required=True, description="What became of the attempt.")
    message = graphene.String(required=True,
                              description="QuickBooks' statusMessage or our reason.")
    action = graphene.String(required=True,
                             description="What a person should do about a failure.")
    payment_method = graphene.String(required=True,
                                     description="The QuickBooks payment method; may be empty.")

    class Meta:
        description = ("A Saleor charge received in QuickBooks as a payment applied to the "
                       "order's invoice (one attempt).")

    @staticmethod
    def resolve_amount(root, info):
        return QbMoney(amount=root.amount, currency=root.currency)


class QbDocument(graphene.ObjectType):
    kind = QbDocumentKind(required=True, description="Which document.")
    at = graphene.DateTime(required=True, description="When the attempt last changed.")
    amount = graphene.Field(QbMoney, required=True,
                            description="Its amount (zero for a void or an update).")
    ref_number = graphene.String(required=True, description="Its RefNumber in QuickBooks.")
    txn_id = graphene.String(required=True,
                             description="QuickBooks' TxnID; empty until QuickBooks has it.")
    state = QbExportState(required=True, description="What became of the attempt.")
    message = graphene.String(required=True,
                              description="QuickBooks' statusMessage or our reason.")
    action = graphene.String(required=True,
                             description="What a person should do about a failure.")

    class Meta:
        description = ("A QuickBooks document that followed the order's transaction (one "
                       "attempt): a payment, a credit memo, a refund, a void, or an update of "
                       "the transaction after an edit in Saleor.")

    @staticmethod
    def resolve_amount(root, info):
        return QbMoney(amount=root.amount, currency=root.currency)


class QbOrderChange(graphene.ObjectType):
    field = QbOrderChangeField(required=True, description="What changed.")
    label = graphene.String(required=True, description="What changed, in words.")
    before = graphene.String(required=True,
                             description="What QuickBooks has, on one line (empty: none).")
    after = graphene.String(required=True,
                            description="What the order says now, on one line (empty: none).")

    class Meta:
        description = ("A part of the order's QuickBooks transaction that differs from the "
                       "order in Saleor now.")

    @staticmethod
    def resolve_before(root, info):
        return address_text(root.before)

    @staticmethod
    def resolve_after(root, info):
        return address_text(root.after)


class QbOrderExport(graphene.ObjectType):
    order = graphene.Field(QbOrderTransferPreviewRow, required=True,
                           description="The order as the transfer preview shows it.")
    queued = graphene.Boolean(
        required=True, description="It waits in a pending operation for the next Web Connector "
        "update.")
    can_queue = graphene.Boolean(
        required=True, description="Staff can queue it now (exportable, not already waiting).")
    reason = graphene.String(
        description="Why it cannot go to QuickBooks, naming the setting to change; null when "
        "it can.")
    automatic = graphene.Boolean(
        required=True, description="Automatic mode takes it at the next Web Connector update "
        "without being queued.")
    automatic_note = graphene.String(
        description="Why automatic mode leaves it out although it could be exported (e.g. "
        "placed before the export start date); null otherwise.")
    payments = graphene.List(
        graphene.NonNull(QbPayment), required=True,
        description="Its Saleor charges received in QuickBooks against its invoice, each "
        "attempt, newest first.")
    documents = graphene.List(
        graphene.NonNull(QbDocument), required=True,
        description="Every QuickBooks document that followed its transaction (payments, "
        "credit memos, refunds, voids, updates), each attempt, newest first.")
    changed_since_export = graphene.Boolean(
        required=True, description="The order was edited in Saleor since its transaction went "
        "to QuickBooks (compared now; false when it is not in QuickBooks or edits are off).")
    changes_since_export = graphene.List(
        graphene.NonNull(QbOrderChange), required=True,
        description="What differs between its QuickBooks transaction and the order now.")
    changes_noticed_at = graphene.DateTime(description="When those changes were first seen.")
    changes_problem = graphene.String(
        description="Why the order could not be compared with QuickBooks now; null when it "
        "was.")
    update_requested_at = graphene.DateTime(
        description="When someone chose Update in QuickBooks; the next Web Connector update "
        "sends the changes. Null when nobody did (or they were sent).")
    update_requested_by = graphene.String(description="Who chose Update in QuickBooks.")
    edit_updates = QbEditUpdates(
        required=True, description="What happens to changes (the Orders edited after export "
        "setting).")
    quickbooks_document = graphene.Field(
        lambda: QbQuickBooksDocument,
        description="The transaction it becomes in QuickBooks now, line by line, as a Web "
        "Connector run would send it; null when it cannot become one (see the order's "
        "warnings).")

    class Meta:
        description = "One order's place in the export: what QuickBooks has and what is next."

    @staticmethod
    def resolve_quickbooks_document(root, info):
        preview = document_for(info.context.source, info.context.preferences,
                               root.row.order.order_id)
        return preview if preview is not None and preview.mapped is not None else None

    @staticmethod
    def resolve_changed_since_export(root, info):
        return bool(_since_export(root, "changed", False))

    @staticmethod
    def resolve_changes_since_export(root, info):
        return list(_since_export(root, "changes", ()))

    @staticmethod
    def resolve_changes_noticed_at(root, info):
        return _since_export(root, "noticed_at")

    @staticmethod
    def resolve_changes_problem(root, info):
        return _since_export(root, "problem") or None

    @staticmethod
    def resolve_update_requested_at(root, info):
        return _since_export(root, "update_requested_at")

    @staticmethod
    def resolve_update_requested_by(root, info):
        return _since_export(root, "update_requested_by") or None

    @staticmethod
    def resolve_edit_updates(root, info):
        return info.context.preferences.update_edited_orders

    @staticmethod
    def resolve_order(root, info):
        return root.row

    @staticmethod
    def resolve_can_queue(root, info):
        return root.reason is None and not root.queued


def _since_export(state, name: str, default=None):
    """An attribute of what changed since the order's export (``edits.SinceExport``), or
    ``default`` when edits are not followed for it."""
    since = state.since_export
    return default if since is None else getattr(since, name)


class QbCustomer(graphene.ObjectType):
    email = graphene.String(required=True, description="The customer's e-mail address.")
    name = graphene.String(required=True, description="The customer's name, if known.")
    user_id = graphene.ID(description="The Saleor User ID; null for guests.")
    order_count = graphene.Int(required=True, description="How many orders they placed.")

    class Meta:
        description = "A customer who has orders, to filter the transfer by."

    @staticmethod
    def resolve_user_id(root, info):
        return to_global_id("User", root.user_id) if root.user_id else None


class QbCustomerConnection(CountableConnection):
    class Meta:
        node = graphene.NonNull(QbCustomer)
        description = "A page of customers, by e-mail address."


# --- pending operations -------------------------------------------------------------------------


class QbPendingOperation(graphene.ObjectType):
    id = graphene.ID(required=True, description="The ID of the pending operation.")
    kind = QbPendingOperationKind(required=True, description="What the operation does.")
    status = QbPendingOperationStatus(required=True, description="Where the operation is.")
    created_at = graphene.DateTime(required=True, description="When it was queued.")
    created_by = graphene.String(required=True,
                                 description="Who queued it: a staff e-mail or an app.")
    order_count = graphene.Int(required=True, description="How many orders it covers.")
    done_count = graphene.Int(required=True, description="How many are in QuickBooks.")
    failed_count = graphene.Int(required=True, description="How many failed.")
    picked_up_at = graphene.DateTime(
        description="When Web Connector picked it up; it cannot be deleted after that.")
    completed_at = graphene.DateTime(description="When its last order was done or failed.")
    summary = graphene.String(required=True, description="What happened, in a sentence.")
    orders = graphene.List(
        graphene.NonNull(graphene.Int), required=True,
        description=f"The numbers of its first {ORDER_NUMBERS_SHOWN} orders, lowest first.")

    class Meta:
        description = "Orders someone queued for the next Web Connector run."

    @staticmethod
    def resolve_id(root: PendingOperation, info):
        return to_global_id("QbPendingOperation", root.public_id)

    @staticmethod
    def resolve_created_by(root: PendingOperation, info):
        return root.created_by_email or root.created_by_app or root.created_by_user_id

    @staticmethod
    def resolve_order_count(root: PendingOperation, info):
        return _count(root, "order_count")

    @staticmethod
    def resolve_done_count(root: PendingOperation, info):
        return _count(root, "done_count")

    @staticmethod
    def resolve_failed_count(root: PendingOperation, info):
        return _count(root, "failed_count")

    @staticmethod
    def resolve_orders(root: PendingOperation, info):
        numbers = getattr(root, "_qb_order_numbers", None)
        if numbers is None:
            numbers = first_order_numbers([root.pk], ORDER_NUMBERS_SHOWN)[root.pk]
        return numbers


def _count(operation: PendingOperation, name: str) -> int:
    value = getattr(operation, name, None)
    if value is None:
        annotated = operations_with_counts().get(pk=operation.pk)
        for field in ("order_count", "done_count", "failed_count"):
            setattr(operation, field, getattr(annotated, field))
        value = getattr(operation, name)
    return value


def prefetch_order_numbers(operations: list[PendingOperation]) -> list[PendingOperation]:
    """Each operation with its first order numbers, read for the whole page in one query."""
    numbers = first_order_numbers([op.pk for op in operations], ORDER_NUMBERS_SHOWN)
    for op in operations:
        op._qb_order_numbers = numbers[op.pk]
    return operations


class QbPendingOperationConnection(CountableConnection):
    class Meta:
        node = graphene.NonNull(QbPendingOperation)
        description = "A page of pending operations, newest first."


# --- the ledger ---------------------------------------------------------------------------------


class QbExportRecord(graphene.ObjectType):
    id = graphene.ID(required=True, description="The ID of the attempt.")
    order_id = graphene.ID(required=True, description="The Saleor Order ID.")
    order_number = graphene.Int(required=True, description="The order number.")
    transaction_type = graphene.String(
        required=True, description="The QuickBooks transaction: Invoice, SalesReceipt or "
        "SalesOrder.")
    ref_number = graphene.String(required=True, description="The RefNumber sent to QuickBooks.")
    txn_id = graphene.String(required=True,
                             description="QuickBooks' TxnID; empty until QuickBooks has it.")
    state = QbExportState(required=True, description="What became of the attempt.")
    status_code = graphene.Int(description="QuickBooks' statusCode, when it answered.")
    status_message = graphene.String(required=True,
                                     description="QuickBooks' statusMessage or our reason.")
    action = graphene.String(required=True,
                             description="What a person should do about a failure.")
    created_at = graphene.DateTime(required=True, description="When the attempt started.")
    updated_at = graphene.DateTime(required=True, description="When it last changed.")
    automatic = graphene.Boolean(
        required=True, description="Whether automatic mode sent it (nobody queued it).")
    linked_existing = graphene.Boolean(
        required=True,
        description="QuickBooks already had the transaction; it was linked, not added again.")
    changed_since_export = graphene.Boolean(
        required=True, description="This attempt put the order in QuickBooks and the order "
        "was edited in Saleor since (as last compared).")

    class Meta:
        description = "One attempt to put one order into QuickBooks."

    @staticmethod
    def resolve_changed_since_export(root, info):
        return bool(getattr(root, "changed_since_export", False))

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("QbExportRecord", root.pk)

    @staticmethod
    def resolve_order_id(root, info):
        return to_global_id("Order", root.order_id)


class QbExportRecordConnection(CountableConnection):
    class Meta:
        node = graphene.NonNull(QbExportRecord)
        description = "A page of the transfer history, newest first."


# --- status -------------------------------------------------------------------------------------


class QbLastCheckIn(graphene.ObjectType):
    at = graphene.DateTime(required=True, description="When Web Connector last talked to us.")
    started_at = graphene.DateTime(required=True, description="When that session started.")
    summary = graphene.String(required=True, description="What the session did, in a sentence.")
    state = QbWebConnectorSessionState(required=True, description="The session's state.")
    orders_done = graphene.Int(required=True, description="Orders it put into QuickBooks.")
    orders_failed = graphene.Int(required=True, description="Orders that failed in it.")
    last_error = graphene.String(required=True, description="The session's last error, if any.")

    class Meta:
        description = "The latest Web Connector session."

    @staticmethod
    def resolve_at(root, info):
        return root.last_seen_at


class QbSyncStatus(graphene.ObjectType):
    export_mode = QbExportMode(required=True, description="How orders reach QuickBooks.")
    last_check_in = graphene.Field(
        QbLastCheckIn, description="The latest Web Connector session; null before the first.")
    queued_operations = graphene.Int(
        required=True, description="Pending operations queued or in progress.")
    queued_orders = graphene.Int(
        required=True, description="Orders in them still waiting for Web Connector.")
    configuration_complete = graphene.Boolean(
        required=True, description="Whether Web Connector can connect with these settings.")
    missing_configuration = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="The settings still to fill in before Web Connector can connect.")
    web_connector_username = graphene.String(
        required=True, description="The user name to enter in Web Connector.")
    run_every_minutes = graphene.Int(
        required=True, description="Web Connector's schedule (the .qwc file's RunEveryNMinutes).")
    expected_check_in_by = graphene.DateTime(
        description="When Web Connector must have connected again before staff are warned (a "
        "few missed runs after the last check-in); null before the first check-in.")
    check_in_overdue = graphene.Boolean(
        required=True, description="Web Connector missed several scheduled runs: orders are not "
        "reaching QuickBooks. Staff with MANAGE_ORDERS get one e-mail per outage.")
    quickbooks_problems = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="Accounts and sales tax items the settings name that the QuickBooks "
        "company lacked at the latest check, each naming the setting to change.")
    quickbooks_multicurrency = graphene.Boolean(
        required=True, description="Whether QuickBooks' preferences said multicurrency is on "
        "at the newest session that read them (false before any): then orders in a currency "
        "of its list are booked in that currency, else converted or refused.")
    quickbooks_currencies = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="With multicurrency on: the ISO codes of the active currencies of "
        "QuickBooks' currency list, as the newest session read it.")

    class Meta:
        description = "How the QuickBooks connection is doing."


# --- the QuickBooks document an order becomes (before it is sent) ------------------------------


class QbQuickBooksLine(graphene.ObjectType):
    item = graphene.String(required=True, description="The QuickBooks item (ItemRef).")
    description = graphene.String(required=True, description="The line's Desc.")
    quantity = graphene.String(description="Quantity as sent; null for a line without one.")
    rate = graphene.String(
        description="Rate as sent (at most five decimals); null when QuickBooks derives it "
        "from the quantity and amount.")
    amount = graphene.Field(QbMoney, required=True, description="The line's Amount.")
    tax_code = graphene.String(
        required=True, description="SalesTaxCodeRef: Tax or Non; empty leaves the item's own.")

    class Meta:
        description = "One line of the transaction, as QuickBooks will receive it."

    @staticmethod
    def resolve_quantity(root, info):
        line, _ = root
        return build.format_quantity(line.quantity) if line.quantity is not None else None

    @staticmethod
    def resolve_rate(root, info):
        return build.sent_rate(root[0])

    @staticmethod
    def resolve_amount(root, info):
        line, currency = root
        return QbMoney(amount=line.amount, currency=currency)

    @staticmethod
    def resolve_item(root, info):
        return root[0].item_name

    @staticmethod
    def resolve_description(root, info):
        return root[0].description

    @staticmethod
    def resolve_tax_code(root, info):
        return build.sales_tax_code(root[0])


class QbQuickBooksDocument(graphene.ObjectType):
    transaction_type = graphene.String(
        required=True, description="Invoice, SalesReceipt or SalesOrder.")
    ref_number = graphene.String(required=True, description="Its RefNumber.")
    txn_date = Date(required=True, description="Its TxnDate (the store's day).")
    customer = graphene.String(required=True, description="The QuickBooks customer (CustomerRef).")
    customer_currency = graphene.String(
        required=True, description="QuickBooks' name of the customer's currency when it is not "
        "the home currency (multicurrency); empty otherwise.")
    lines = graphene.List(graphene.NonNull(QbQuickBooksLine), required=True,
                          description="Every line, in order: products, discount, shipping, gift "
                          "cards, tax.")
    total = graphene.Field(QbMoney, required=True, description="The lines' total.")
    exchange_rate = graphene.String(
        description="ExchangeRate (home currency per unit) of a foreign-currency transaction; "
        "null otherwise, or when QuickBooks' own rate applies.")
    ar_account = graphene.String(required=True, description="ARAccountRef; may be empty.")
    deposit_to_account = graphene.String(required=True,
                                         description="DepositToAccountRef; may be empty.")
    class_name = graphene.String(required=True, description="ClassRef; may be empty.")
    item_sales_tax = graphene.String(
        required=True, description="ItemSalesTaxRef (QuickBooks computes the tax); may be empty.")
    memo = graphene.String(required=True, description="Its Memo.")
    bill_address = graphene.List(graphene.NonNull(graphene.String), required=True,
                                 description="BillAddress, one line each.")
    ship_address = graphene.List(graphene.NonNull(graphene.String), required=True,
                                 description="ShipAddress, one line each.")
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="What a person should know before it is sent.")
    qbxml = graphene.String(
        required=True, description="The add request itself, as a Web Connector run sends it "
        "(customers and items QuickBooks lacks go before it in the same set).")

    class Meta:
        description = ("The transaction an order becomes in QuickBooks, built by the export's "
                       "own mapping and builder.")

    @staticmethod
    def resolve_transaction_type(root, info):
        return root.mapped.transaction.kind.value

    @staticmethod
    def resolve_ref_number(root, info):
        return root.mapped.transaction.ref_number

    @staticmethod
    def resolve_txn_date(root, info):
        return root.mapped.transaction.txn_date

    @staticmethod
    def resolve_customer(root, info):
        return root.mapped.transaction.customer_name

    @staticmethod
    def resolve_ar_account(root, info):
        return root.mapped.transaction.ar_account

    @staticmethod
    def resolve_deposit_to_account(root, info):
        return root.mapped.transaction.deposit_to_account

    @staticmethod
    def resolve_class_name(root, info):
        return root.mapped.transaction.class_name

    @staticmethod
    def resolve_item_sales_tax(root, info):
        return root.mapped.transaction.item_sales_tax

    @staticmethod
    def resolve_memo(root, info):
        return root.mapped.transaction.memo

    @staticmethod
    def resolve_lines(root, info):
        txn = root.mapped.transaction
        return [(line, txn.currency) for line in txn.lines]

    @staticmethod
    def resolve_total(root, info):
        txn = root.mapped.transaction
        return QbMoney(amount=txn.lines_total, currency=txn.currency)

    @staticmethod
    def resolve_exchange_rate(root, info):
        rate = root.mapped.transaction.exchange_rate
        return build.format_rate(rate) if rate is not None else None

    @staticmethod
    def resolve_customer_currency(root, info):
        return root.mapped.customer.currency

    @staticmethod
    def resolve_bill_address(root, info):
        return _address_lines(root.mapped.transaction.bill_address)

    @staticmethod
    def resolve_ship_address(root, info):
        return _address_lines(root.mapped.transaction.ship_address)

    @staticmethod
    def resolve_warnings(root, info):
        return list(root.mapped.warnings)


def _address_lines(address) -> list[str]:
    if address is None:
        return []
    place = " ".join(p for p in (address.city, address.state, address.postal_code) if p)
    return [*address.lines, *(p for p in (place, address.country) if p)]


class QbQuickBooksList(graphene.ObjectType):
    key = graphene.String(required=True, description="The list: accounts, items, "
                          "sales_tax_items (the items of type ItemSalesTax), customers, "
                          "sales_tax_codes, classes or payment_methods.")
    label = graphene.String(required=True, description="Its name, in words.")
    count = graphene.Int(required=True, description="Records we hold of it.")
    active_count = graphene.Int(required=True, description="Those active in QuickBooks.")
    last_read_at = graphene.DateTime(
        description="When the last complete read of it started; null before the first.")
    records_read = graphene.Int(
        required=True, description="Records that read gave (only what changed, when "
        "incremental).")
    round_trips = graphene.Int(required=True,
                               description="Web Connector round trips that read took.")
    incremental = graphene.Boolean(
        required=True, description="That read asked only for what changed since the one "
        "before (FromModifiedDate).")

    class Meta:
        description = "Our copy of one QuickBooks list, as Web Connector last read it."


class QbQuickBooksListEntry(graphene.ObjectType):
    list_id = graphene.String(required=True, description="QuickBooks' ListID of the record.")
    name = graphene.String(required=True, description="Its own name (the last part of a "
                           "sub-account's or sub-item's full name).")
    full_name = graphene.String(
        required=True, description="Its full name (Parent:Child), which settings name.")
    record_type = graphene.String(
        required=True, description="An account's type (Income, Bank…), an item's "
        "(ItemService, ItemSalesTax…), a payment method's; a sales tax code's "
        "Taxable/NonTaxable.")
    is_active = graphene.Boolean(required=True, description="Active in QuickBooks.")
    description = graphene.String(required=True, description="Its description, if any.")
    account = graphene.String(required=True, description="An item's income account.")
    currency = graphene.String(required=True, description="A customer's or account's "
                               "currency (multicurrency); empty for the home currency.")
    email = graphene.String(required=True, description="A customer's e-mail address.")

    class Meta:
        description = "One record of our copy of a QuickBooks list."


class QbQuickBooksListEntryConnection(CountableConnection):
    class Meta:
        node = graphene.NonNull(QbQuickBooksListEntry)
        description = ("A page of a QuickBooks list: names starting with the search first, "
                       "then by full name.")


class QbQuickBooksLists(graphene.ObjectType):
    lists = graphene.List(graphene.NonNull(QbQuickBooksList), required=True,
                          description="Each list, in the order Web Connector reads them.")
    sales_tax_on = graphene.Boolean(
        description="QuickBooks' sales tax preference; null before Web Connector said.")
    multicurrency_on = graphene.Boolean(
        description="QuickBooks' multicurrency preference; null before Web Connector said.")
    home_currency = graphene.String(
        required=True, description="QuickBooks' home currency (multicurrency); empty if not "
        "said.")
    preferences_read_at = graphene.DateTime(
        description="When the company's preferences were last kept; null before.")
    max_age_hours = graphene.Int(
        required=True, description="The setting listsMaxAgeHours: lists older than this are "
        "read again at the next update (0: only when refreshed).")
    refresh_waiting = graphene.Boolean(
        required=True, description="A refresh (qbQuickBooksListsRefresh) waits for, or is in, "
        "a Web Connector update.")

    class Meta:
        description = "What we hold of QuickBooks' lists and when Web Connector read them."


# --- dry run ------------------------------------------------------------------------------------


class QbOrdersDryRunInput(graphene.InputObjectType):
    order_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        description="Exactly these orders (Saleor Order IDs). Give this or filter, not both.")
    filter = graphene.Field(
        QbOrderTransferFilterInput,
        description="Every order this filter matches (as the transfer preview lists them). "
        "Give this or orderIds, not both.")
    exclude_order_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        description="Orders to leave out of the filter's matches (unchecked in the preview).")

    class Meta:
        description = "The orders to try against a simulated QuickBooks company."


class QbDryRunOrder(graphene.ObjectType):
    order_id = graphene.ID(required=True, description="The Saleor Order ID.")
    order_number = graphene.Int(required=True, description="The order number.")
    outcome = QbDryRunOutcome(required=True, description="What the update would do with it.")
    transaction_type = graphene.String(
        required=True, description="The QuickBooks transaction it becomes: Invoice, "
        "SalesReceipt or SalesOrder; empty when it would not get that far.")
    ref_number = graphene.String(
        required=True, description="The transaction's RefNumber; empty when it would not get "
        "that far.")
    total = graphene.Field(
        QbMoney, description="The transaction's total as it would be sent; null when it would "
        "not be sent.")
    customer = graphene.String(
        required=True, description="The QuickBooks customer of the transaction; empty when it "
        "would not be sent.")
    reason = graphene.String(
        required=True, description="Why it would fail (QuickBooks' message or ours, as a real "
        "run records it in the history), or a note on how it lands; empty when there is none.")
    action = graphene.String(
        required=True, description="What a person should do about the failure, as a real run "
        "records it; empty when nothing.")
    setting = graphene.String(
        description="The setting to change (its name in qbSettings), when a setting is the "
        "cause; null otherwise.")
    setting_label = graphene.String(
        description="That setting's label in the Settings tab; null when there is none.")
    status_code = graphene.Int(description="QuickBooks' statusCode, when it would answer.")
    queued = graphene.Boolean(
        required=True, description="It waits in a pending operation already: the next Web "
        "Connector update sends it anyway.")

    class Meta:
        description = "One order of a dry run: what a Web Connector update would do with it."

    @staticmethod
    def resolve_order_id(root, info):
        return to_global_id("Order", root.order_id)

    @staticmethod
    def resolve_order_number(root, info):
        return root.number

    @staticmethod
    def resolve_total(root, info):
        if root.total is None:
            return None
        return QbMoney(amount=root.total, currency=root.currency)

    @staticmethod
    def resolve_setting(root, info):
        return to_camel_case(root.setting) if root.setting else None

    @staticmethod
    def resolve_setting_label(root, info):
        return root.setting_label or None


class QbDryRunSummary(graphene.ObjectType):
    would_land = graphene.Int(required=True, description="Orders that would land.")
    would_fail = graphene.Int(required=True, description="Orders that would fail.")
    already_in_quickbooks = graphene.Int(
        required=True, description="Orders that are in QuickBooks already, not tried again.")
    customers_created = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="Customers the update would create in QuickBooks, by name.")
    items_created = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="Items the update would create in QuickBooks, by name.")
    lists_read = graphene.Boolean(
        required=True, description="Whether every QuickBooks list was read at least once; "
        "when not, every customer and item counts as new unless an earlier update found it.")
    lists_never_read = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="The QuickBooks lists never read (their labels, as in qbQuickBooksLists).")
    lists_read_at = graphene.DateTime(
        description="When the oldest of the lists read was last read; null when none was.")
    schema_checked = graphene.Boolean(
        required=True, description="Whether every request was checked against Intuit's qbXML "
        "schema (only where the server has it).")
    notes = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="What to know to read the result, in sentences (e.g. the lists were never "
        "read: refresh them).")

    class Meta:
        description = "What a dry run found, in sum."

    @staticmethod
    def resolve_would_land(root, info):
        return root.count(DryRunOutcome.WOULD_LAND)

    @staticmethod
    def resolve_would_fail(root, info):
        return root.count(DryRunOutcome.WOULD_FAIL)

    @staticmethod
    def resolve_already_in_quickbooks(root, info):
        return root.count(DryRunOutcome.ALREADY_IN_QUICKBOOKS)

    @staticmethod
    def resolve_customers_created(root, info):
        return sorted(root.customers_created, key=str.casefold)

    @staticmethod
    def resolve_items_created(root, info):
        return sorted(root.items_created, key=str.casefold)

    @staticmethod
    def resolve_lists_read(root, info):
        return not root.lists_never_read


class QbDryRun(graphene.ObjectType):
    orders = graphene.List(
        graphene.NonNull(QbDryRunOrder), required=True,
        description="Each order tried, in the order chosen (a filter's: oldest first).")
    summary = graphene.Field(QbDryRunSummary, required=True, description="The counts and "
                             "what the update would create.")

    class Meta:
        description = ("What a Web Connector update would do with the chosen orders, found by "
                       "running them through the export against a simulated QuickBooks company "
                       "seeded from QuickBooks' lists as last read. Nothing was kept.")

    @staticmethod
    def resolve_summary(root, info):
        return root
