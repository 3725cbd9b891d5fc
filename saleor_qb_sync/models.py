"""Our tables in the store's database: pending operations, the export ledger, QBWC sessions.

Saleor orders and users are referenced by their ids (UUID / number, user id and e-mail), never
by foreign key: our migrations must not depend on Saleor's apps, and the accounting trail must
outlive a deleted order.

- ``PendingOperation`` + ``PendingOperationOrder``: a transfer someone queued; one row per order.
- ``ExportRecord``: the ledger, one row per attempt to put an order into QuickBooks (history).
- ``ExportedOrder``: which orders are in QuickBooks right now (one row per order, the ledger row
  that put it there); "exclude already exported" is a subquery on this table.
- ``FollowUpRecord``: the ledger of what follows an order into QuickBooks (payments received
  against its invoice, credit memos, refunds, voids), one row per attempt.
- ``WebConnectorSession``, ``MessageSet``: the state of Web Connector conversations, so that any
  API worker can serve any call and a lost response is reconciled in the next session.
- ``QuickBooksName``: names we know exist in QuickBooks (customers, items), to skip look-ups.
- ``QuickBooksListEntry``, ``QuickBooksListPull``: our copy of QuickBooks' lists (accounts,
  items, customers, sales tax codes, classes, payment methods) and, per list, when it was last
  read; written by ``quickbooks_lists`` alone.
- ``AuthenticationAttempt``: failed Web Connector log-ins (user name, address), for the record.
- ``LoginThrottle``: per address and user name, failed passwords and the back-off they earned.
- ``WebConnectorCheckIn``, ``WebConnectorOutage``: when Web Connector last logged in, and the
  stretches it missed its schedule (staff are told once per outage).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from .qbxml import limits


class OperationKind(models.TextChoices):
    PUSH_ORDERS = "push_orders", "Transfer orders"
    #: on demand: what Saleor did since on orders in QuickBooks (payments, refunds, voids)
    FOLLOW_UPS = "follow_ups", "Payments, refunds and voids"
    #: read QuickBooks' lists (accounts, items, customers, ...) at the next update
    REFRESH_LISTS = "refresh_lists", "Refresh QuickBooks lists"


class OperationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    DELETED = "deleted", "Deleted"


#: operations whose orders may still be handed to Web Connector
OPEN_OPERATION_STATUSES = (OperationStatus.QUEUED, OperationStatus.IN_PROGRESS)


class ItemState(models.TextChoices):
    PENDING = "pending", "Waiting for Web Connector"
    CLAIMED = "claimed", "In a Web Connector session"
    DONE = "done", "Exported"
    FAILED = "failed", "Failed"


class ExportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent to QuickBooks"
    DONE = "done", "In QuickBooks"
    FAILED = "failed", "Failed"
    NEEDS_RECONCILING = "needs_reconciling", "Response lost; checking QuickBooks"
    RESET = "reset", "Marked as not exported"


class PendingOperation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=32, choices=OperationKind.choices,
                            default=OperationKind.PUSH_ORDERS)
    status = models.CharField(max_length=16, choices=OperationStatus.choices,
                              default=OperationStatus.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    created_by_user_id = models.CharField(max_length=64, blank=True, default="")
    created_by_email = models.CharField(max_length=254, blank=True, default="")
    created_by_app = models.CharField(max_length=255, blank=True, default="")
    #: what the person asked for (filter, exclusions), for the record
    request = models.JSONField(default=dict, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["status", "created_at"], name="qb_op_status_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id} ({self.status})"


class PendingOperationOrder(models.Model):
    operation = models.ForeignKey(PendingOperation, on_delete=models.CASCADE, related_name="items")
    order_id = models.UUIDField()
    order_number = models.BigIntegerField()
    channel_slug = models.CharField(max_length=255, blank=True, default="")
    state = models.CharField(max_length=16, choices=ItemState.choices, default=ItemState.PENDING)
    session = models.ForeignKey("WebConnectorSession", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="claimed_items")
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("order_number",)
        constraints = [models.UniqueConstraint(fields=["operation", "order_id"],
                                               name="qb_op_item_unique_order")]
        indexes = [
            models.Index(fields=["state", "operation"], name="qb_op_item_state"),
            models.Index(fields=["order_id"], name="qb_op_item_order"),
        ]


def queued_items(kind: str = OperationKind.PUSH_ORDERS) -> models.QuerySet[PendingOperationOrder]:
    """Orders waiting in, or claimed from, an operation of ``kind`` that is still open: what
    "queued" means for the preview, the status line and a second queueing (transfers by
    default; their follow-ups on demand with ``FOLLOW_UPS``)."""
    return PendingOperationOrder.objects.filter(
        state__in=[ItemState.PENDING, ItemState.CLAIMED],
        operation__status__in=OPEN_OPERATION_STATUSES,
        operation__kind=kind)


class ExportRecord(models.Model):
    """One attempt to put one order into QuickBooks, and what became of it."""

    order_id = models.UUIDField()
    order_number = models.BigIntegerField()
    channel_slug = models.CharField(max_length=255, blank=True, default="")
    transaction_type = models.CharField(max_length=16)  # Invoice, SalesReceipt, SalesOrder
    ref_number = models.CharField(max_length=limits.REF_NUMBER)
    txn_id = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField(max_length=20, choices=ExportState.choices, default=ExportState.QUEUED)
    status_code = models.IntegerField(null=True, blank=True)
    status_message = models.TextField(blank=True, default="")
    #: the advice shown to a person when the export failed
    action = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    operation = models.ForeignKey(PendingOperation, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="export_records")
    session = models.ForeignKey("WebConnectorSession", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="export_records")
    automatic = models.BooleanField(default=False)
    message_set = models.ForeignKey("MessageSet", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="export_records")
    request_id = models.CharField(max_length=limits.REQUEST_ID, blank=True, default="")
    linked_existing = models.BooleanField(
        default=False, help_text="QuickBooks already had it; linked instead of added again")
    total_amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    #: the QuickBooks customer of the transaction (its payments go to the same one); empty on
    #: rows written before it was kept
    customer_name = models.CharField(max_length=limits.CUSTOMER_FULL_NAME, blank=True,
                                     default="")
    reset_by_email = models.CharField(max_length=254, blank=True, default="")
    #: why a failed attempt failed, when a later session can tell the cause is gone
    #: (``preflight.Cause.to_json``: a missing account or item, or the settings then in force);
    #: empty for reasons only a person can remove (closing date, a rejected value)
    cause = models.JSONField(default=dict, blank=True)
    #: the transaction's header as sent, the part a Saleor edit can change (BillAddress,
    #: ShipAddress; ``qbxml/edits.header_of``); empty on rows written before it was kept
    header = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["order_id", "-created_at"], name="qb_export_order"),
            models.Index(fields=["-created_at"], name="qb_export_created"),
            models.Index(fields=["state", "-created_at"], name="qb_export_state"),
            models.Index(fields=["order_number"], name="qb_export_number"),
        ]


class ExportedOrder(models.Model):
    """An order that is in QuickBooks now; deleted when a person resets it."""

    order_id = models.UUIDField(primary_key=True)
    order_number = models.BigIntegerField()
    record = models.ForeignKey(ExportRecord, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now)
    #: when a session last compared the order's Saleor charges with the payments on its
    #: invoice (invoices only): the least recently checked are checked first
    payments_checked_at = models.DateTimeField(null=True, blank=True)
    #: when a session last compared the order's Saleor refunds with its credit memos
    refunds_checked_at = models.DateTimeField(null=True, blank=True)
    #: the transaction's header as QuickBooks has it, as far as the ledger knows: what the
    #: add sent, then what each confirmed update set (``qbxml/edits.py``)
    header = models.JSONField(default=dict, blank=True)
    #: when a session (or the order's popup) last compared that header with the order
    header_checked_at = models.DateTimeField(null=True, blank=True)
    #: what changed in Saleor since: [{"field", "before", "after"}] (empty: nothing)
    changes = models.JSONField(default=list, blank=True)
    #: when those changes were first noticed
    changes_noticed_at = models.DateTimeField(null=True, blank=True)
    #: a person asked for the changes to be sent to QuickBooks (``update_edited_orders=ask``)
    update_requested_at = models.DateTimeField(null=True, blank=True)
    update_requested_by = models.CharField(max_length=254, blank=True, default="")


#: the states of a follow-up attempt that stand for a document QuickBooks has or may have
LIVE_FOLLOW_UP_STATES = (ExportState.SENT, ExportState.DONE, ExportState.NEEDS_RECONCILING)


class FollowUpKind(models.TextChoices):
    """The QuickBooks documents that follow an order's transaction, named as their qbXML."""

    PAYMENT = "ReceivePayment", "Payment received"
    CREDIT_MEMO = "CreditMemo", "Credit memo"
    REFUND = "ARRefundCreditCard", "Refund"
    VOID = "TxnVoid", "Void"
    #: InvoiceMod / SalesReceiptMod / SalesOrderMod: the order's transaction updated after
    #: an edit in Saleor (its addresses)
    MODIFICATION = "TxnMod", "Update"


class FollowUpRecord(models.Model):
    """One attempt to put a document that follows an order's transaction into QuickBooks (a
    payment received against its invoice, a credit memo for a refund, the refund of money, a
    void), and what became of it.

    ``source_id`` names what in Saleor it stands for (a payment, a granted refund, the order's
    cancellation) and ``sequence`` which part of it: a Saleor payment keeps a running charged
    total, and each increase is one QuickBooks payment (1, 2, …). At most one live attempt (sent,
    in QuickBooks, or being checked after a lost answer) exists per kind, source and part: a
    database constraint, so no retry, restart or second worker can put the same money in twice."""

    kind = models.CharField(max_length=32, choices=FollowUpKind.choices)
    order_id = models.UUIDField()
    order_number = models.BigIntegerField()
    channel_slug = models.CharField(max_length=255, blank=True, default="")
    #: e.g. "transaction:<token>" or "payment:<pk>" for a payment
    source_id = models.CharField(max_length=128)
    sequence = models.PositiveIntegerField(default=1)
    #: the transaction it applies to (a payment: the invoice; a refund: the credit memo)
    applied_to_txn_id = models.CharField(max_length=64, blank=True, default="")
    #: the ledger row of the order's transaction
    order_record = models.ForeignKey(ExportRecord, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="follow_ups")
    customer_name = models.CharField(max_length=limits.CUSTOMER_FULL_NAME, blank=True,
                                     default="")
    ref_number = models.CharField(max_length=limits.PAYMENT_REF_NUMBER, blank=True, default="")
    amount = models.DecimalField(max_digits=20, decimal_places=2)
    currency = models.CharField(max_length=3, blank=True, default="")
    payment_method = models.CharField(max_length=limits.FULL_NAME_REF, blank=True, default="")
    txn_id = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField(max_length=20, choices=ExportState.choices,
                             default=ExportState.SENT)
    status_code = models.IntegerField(null=True, blank=True)
    status_message = models.TextField(blank=True, default="")
    action = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    session = models.ForeignKey("WebConnectorSession", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="follow_ups")
    message_set = models.ForeignKey("MessageSet", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="follow_ups")
    request_id = models.CharField(max_length=limits.REQUEST_ID, blank=True, default="")
    #: an update (``MODIFICATION``): the header aggregates it set
    header = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.UniqueConstraint(
            fields=["kind", "source_id", "sequence"], name="qb_follow_up_once",
            condition=models.Q(state__in=LIVE_FOLLOW_UP_STATES))]
        indexes = [
            models.Index(fields=["order_id", "-created_at"], name="qb_follow_up_order"),
            models.Index(fields=["state", "kind"], name="qb_follow_up_state"),
        ]


class SessionState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    DROPPED = "dropped", "Dropped"


class WebConnectorSession(models.Model):
    #: SHA-256 of the ticket: the ticket is a bearer secret, so we keep only its digest
    ticket_digest = models.CharField(max_length=64, unique=True)
    username = models.CharField(max_length=100)
    state = models.CharField(max_length=16, choices=SessionState.choices,
                             default=SessionState.OPEN)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    company_file = models.TextField(blank=True, default="")
    qbxml_version = models.CharField(max_length=8, blank=True, default="")
    host_info = models.JSONField(default=dict, blank=True)
    automatic = models.BooleanField(default=False)
    #: the engine's working state between callbacks (current step, counters)
    work = models.JSONField(default=dict, blank=True)
    orders_total = models.IntegerField(default=0)
    orders_done = models.IntegerField(default=0)
    orders_failed = models.IntegerField(default=0)
    round_trips = models.IntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    summary = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("-started_at", "-id")
        indexes = [models.Index(fields=["state", "last_seen_at"], name="qb_session_state")]


class MessageSetKind(models.TextChoices):
    LOOKUP = "lookup", "Look-ups"
    WRITE = "write", "Adds"
    RECONCILE = "reconcile", "Reconciliation"
    PREFLIGHT = "preflight", "Settings check"
    FOLLOW_UPS = "follow_ups", "Payments, refunds, voids"
    EDITS = "edits", "Updates of edited orders"
    LISTS = "lists", "QuickBooks lists"


class MessageSetState(models.TextChoices):
    SENT = "sent", "Sent, waiting for the answer"
    ANSWERED = "answered", "Answered"
    LOST = "lost", "Answer lost"
    RECONCILED = "reconciled", "Reconciled"


class MessageSet(models.Model):
    """A qbXML request we handed to Web Connector, stored before we returned it."""

    message_set_id = models.UUIDField(default=uuid.uuid4, unique=True)
    session = models.ForeignKey(WebConnectorSession, on_delete=models.CASCADE,
                                related_name="message_sets")
    kind = models.CharField(max_length=16, choices=MessageSetKind.choices)
    state = models.CharField(max_length=16, choices=MessageSetState.choices,
                             default=MessageSetState.SENT)
    request_xml = models.TextField()
    response_xml = models.TextField(blank=True, default="")
    #: requestID → what it was for: {"order_id", "kind": "txn"|"customer"|"item"|"dup", ...}
    requests = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["kind", "state"], name="qb_msgset_kind_state")]


class QuickBooksName(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        ITEM = "item", "Item"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=limits.CUSTOMER_FULL_NAME)  # the longest list name
    list_id = models.CharField(max_length=64, blank=True, default="")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "name"],
                                               name="qb_name_unique")]


class AuthenticationAttempt(models.Model):
    username = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now)
    succeeded = models.BooleanField(default=False)
    #: the client's address (``qbwc/login.py``: REMOTE_ADDR, or a trusted proxy's word)
    address = models.CharField(max_length=45, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["username", "at"], name="qb_auth_user_at")]


class LoginThrottle(models.Model):
    """Failed Web Connector passwords from one address for one user name, and until when that
    address waits before its next check; one row per pair, locked (SELECT … FOR UPDATE) while
    its password is checked, so counting and checking are one step. Written only by
    ``qbwc/login.py``."""

    address = models.CharField(max_length=45)
    username = models.CharField(max_length=100)
    failures = models.IntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "username"],
                                               name="qb_login_throttle_unique")]
        indexes = [models.Index(fields=["last_failure_at"], name="qb_login_throttle_last")]


class WebConnectorCheckIn(models.Model):
    """One row: when Web Connector last logged in (with or without work to do), so staff can
    be warned when its schedule stops; written only by ``checkin.py``."""

    last_check_in_at = models.DateTimeField(null=True, blank=True)


class WebConnectorOutage(models.Model):
    """A stretch in which Web Connector missed its schedule; staff are told once per outage."""

    #: when the first missed check-in was due
    started_at = models.DateTimeField()
    detected_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    #: whom the notification went to (e-mail addresses), for the record
    notified = models.JSONField(default=list, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-started_at", "-id")


class Installation(models.Model):
    """One row: the identifiers Web Connector stamps into the company file (.qwc OwnerID/FileID).

    They are generated once and never change, since changing them forces every Web Connector
    user to authorise the application again."""

    owner_id = models.UUIDField(default=uuid.uuid4)
    file_id = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(default=timezone.now)

    @classmethod
    def current(cls) -> Installation:
        first = cls.objects.order_by("pk").first()
        return first or cls.objects.create()


class QuickBooksListEntry(models.Model):
    """One record of a QuickBooks list as QuickBooks last gave it (``quickbooks_lists``).

    ``record_type``: the account's AccountType, the item's type (``ItemService``,
    ``ItemSalesTax``…), the payment method's PaymentMethodType, ``Taxable``/``NonTaxable`` for
    a sales tax code; ``account`` an item's (income) account; ``currency`` a customer's or an
    account's (multicurrency)."""

    list = models.CharField(max_length=16)
    list_id = models.CharField(max_length=limits.ID)
    name = models.CharField(max_length=limits.CUSTOMER_FULL_NAME, blank=True, default="")
    full_name = models.CharField(max_length=limits.CUSTOMER_FULL_NAME, blank=True, default="")
    record_type = models.CharField(max_length=40, blank=True, default="")
    is_active = models.BooleanField(default=True)
    currency = models.CharField(max_length=64, blank=True, default="")
    email = models.CharField(max_length=1023, blank=True, default="")
    account = models.CharField(max_length=limits.CUSTOMER_FULL_NAME, blank=True, default="")
    description = models.TextField(blank=True, default="")
    edit_sequence = models.CharField(max_length=limits.EDIT_SEQUENCE, blank=True, default="")
    time_modified = models.DateTimeField(null=True, blank=True)
    #: when we read it (our clock)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["list", "list_id"],
                                               name="qb_list_entry_unique")]
        indexes = [models.Index(fields=["list", "full_name"], name="qb_list_entry_name")]


class QuickBooksListPull(models.Model):
    """Per list, its last complete read: the watermark of the next incremental one."""

    list = models.CharField(max_length=16, unique=True)
    #: when the last complete pull started (our clock): the next reads what changed since
    pulled_at = models.DateTimeField(null=True, blank=True)
    #: when the last complete full pull (no FromModifiedDate) started
    full_pulled_at = models.DateTimeField(null=True, blank=True)
    #: records the last complete pull read, and in how many round trips
    records_read = models.IntegerField(default=0)
    round_trips = models.IntegerField(default=0)
    #: the company's preferences (``list="preferences"``): sales tax, multicurrency, home
    #: currency, as Web Connector passed them
    details = models.JSONField(default=dict, blank=True)


class ItemMapping(models.Model):
    """A Saleor SKU that QuickBooks knows under another item name (``mappings``, its one
    writer): its lines use that item, which is never added."""

    #: the SKU as Saleor spells it (trimmed)
    sku = models.CharField(max_length=255, unique=True)
    #: the QuickBooks item's full name ("Parent:Child" for a sub-item)
    item_full_name = models.CharField(max_length=limits.FULL_NAME_REF)
    #: its ListID when it was picked from our copy of QuickBooks' items
    item_list_id = models.CharField(max_length=limits.ID, blank=True, default="")
    #: who set it (staff e-mail or app) and when (our clock)
    set_by = models.CharField(max_length=255, blank=True, default="")
    set_at = models.DateTimeField()


class CustomerMapping(models.Model):
    """A Saleor buyer whose orders go to a customer QuickBooks already has (``mappings``, its
    one writer), confirmed by a person: never added."""

    #: the buyer's e-mail in lower case (``documents.customer_key``)
    email = models.CharField(max_length=254, unique=True)
    #: the QuickBooks customer's full name ("Parent:Job" for a job)
    customer_full_name = models.CharField(max_length=limits.CUSTOMER_FULL_NAME)
    #: its ListID when it was picked from our copy of QuickBooks' customers
    customer_list_id = models.CharField(max_length=limits.ID, blank=True, default="")
    #: its currency in QuickBooks (multicurrency), from our copy of the list
    currency = models.CharField(max_length=64, blank=True, default="")
    #: who confirmed it (staff e-mail or app) and when (our clock)
    confirmed_by = models.CharField(max_length=255, blank=True, default="")
    confirmed_at = models.DateTimeField()
