"""A stand-in for QuickBooks Desktop's request processor, for tests that cannot run QuickBooks.

The export has to be proven against the behaviour that matters in production: whole message
sets rejected on a parse error, ``stopOnError`` versus ``continueOnError``, the real status
codes (1, 500, 3070, 3100, 3120, 3140, 3171, 3200, 3210, 3250…), QuickBooks' own arithmetic
for line amounts and sales tax, payments and credits on invoices, SDK error recovery by
message-set ID, and connections that fail or lose responses.
:class:`QuickBooksSimulator` processes a qbXML request message set the way QuickBooks does and
answers with the response message set, so the Web Connector emulator can hand it to the
plugin exactly as QBWC would.

It is written from the protocol notes and Intuit's qbXML 13.0 XSD only; it deliberately does
not import the project's qbXML builders or parsers (the code under test).

Usage::

    sim = QuickBooksSimulator(Company.default())      # needs QBXML_SCHEMA_DIR (see below)
    response_xml = sim.process(request_xml)           # may raise QuickBooksError / ResponseLost
    sim.find_transaction("W1001").total_amount

Fault injection (consumed by the next calls to :meth:`QuickBooksSimulator.process`)::

    sim.faults.inject("lose_response")                # process + store, then raise ResponseLost
    sim.faults.inject("connection_failure", times=2)  # raise QuickBooksError(0x80040408) twice
    sim.faults.inject("busy", on_call=3)              # the 3rd call from now fails (0x80040401)
    sim.faults.inject("slow", seconds=1.5)            # sleep, then process normally
    sim.faults.inject("rewrite_response", rewrite=f)  # process + store, answer f(response)

Schema: ``default_schema()`` loads ``qbxmlops130.xsd`` from the folder named by the
``QBXML_SCHEMA_DIR`` environment variable (Intuit's qbXML SDK schema; not redistributed here).
``QuickBooksSimulator(validate_schema=False)`` runs without it (``make demo`` on a clone that
lacks Intuit's files): requests are then not checked against the XSD at all, so a structural
mistake QuickBooks would refuse with 0x80040400 goes through. Tests always validate.

Modelling choices, each from the reference notes:

- A document that is not well formed or does not validate is rejected as a whole with HRESULT
  0x80040400 (nothing processed). Exception: a string longer than its ``maxLength`` facet is
  not a parse error in QuickBooks; the request carrying it fails with status 3070.
- Characters outside Windows-1252 written literally make QuickBooks fail to parse; the same
  characters sent as numeric character references are accepted and stored as ``?``.
- ``stopOnError``: the first request with severity Error ends the set; later requests get no
  response at all. Warnings (500, 530) and "no match" (1) do not stop.
- Error recovery follows the SDK guide's table (oldMessageSetID / newMessageSetID): a set with
  a new ID is processed and its response stored; sending that ID again (alone, or as both old
  and new ID: the status check) returns the stored response without processing anything;
  an old ID alone clears the stored state; ``ClearAllMessageSets`` clears everything.
  ``messageSetStatusCode``: 0 ok, 600 unknown old ID, 9001 same ID but different requests,
  9004 ID longer than 24 characters. QuickBooks keeps one stored message set per application.
- Payments (ReceivePaymentAdd) apply to the paying customer's invoices; an invoice's open
  balance, ``AppliedAmount`` and ``IsPaid`` are worked out from the payments and credits on it
  whenever it is answered. ``AppliedAmount`` is negative, as QuickBooks reports it (an
  invoice of 125.00 paid in full: ``<AppliedAmount>-125.00</AppliedAmount>``,
  ``<BalanceRemaining>0.00</BalanceRemaining>``); so is a payment's ``LinkedTxn/Amount`` on
  the invoice. The rules and status codes are in :meth:`QuickBooksSimulator._receive_payment_add`.

Multicurrency (``Company(multicurrency=True)``; off by default, and then nothing below
applies and no currency element is answered but ``IsMultiCurrencyOn`` false). Sources:
Intuit's SDK tutorial "Using the multicurrency feature with the SDK" (built-in currencies,
active / inactive ones, CurrencyQuery, IsUserDefinedCurrency), Intuit's community article "Set
up and use multicurrency" (QuickBooks Desktop: one currency per customer, vendor and A/R, A/P,
bank or credit card account; existing names get the home currency; "The currency can't be
changed for names that already have transactions recorded against them"), the multicurrency
overview relayed by quickbooks.ninja (income and expense accounts are always in the home
currency), Intuit's QuickBooks Online guide "Manage multiple currencies" (rates are "the
number of home currency units it takes to equal one foreign currency unit", as in Desktop),
and qbxml130.xsd for every element and its position. The rest is the simulator's choice:

- PreferencesRet has MultiCurrencyPreferences/IsMultiCurrencyOn (also when false) and, when
  on, HomeCurrencyRef, between AccountingPreferences and SalesAndCustomersPreferences.
- CurrencyQuery answers the currency list (ListID / FullName / ListFilter with
  FromModifiedDate, ToModifiedDate, ActiveStatus, NameFilter); with multicurrency off, 3250
  (choice: no recorded QuickBooks answer found; the list does not exist before the preference
  is turned on). Built-in currencies only (IsUserDefinedCurrency false), AsOfDate the day the
  simulator started.
- A customer has one currency: CustomerAdd's CurrencyRef, else its parent's (a job), else the
  home currency. CurrencyRef with multicurrency off is 3250; an unknown or inactive currency
  is 3140 like any other reference. CustomerMod may change it only while neither the customer
  nor its jobs have transactions (3180 otherwise, Intuit's reason quoted).
- A sales form, payment or card refund is in its customer's currency; all its amounts
  (lines, totals, balances, credit left, unused payment) are in that currency. ExchangeRate
  (home units per unit) is the request's, else the currency list's. In the home currency
  the rate is 1 and any other is 3210; a rate of zero or less is 3210; with multicurrency
  off an ExchangeRate is 3250 (choice: refused rather than ignored, so a client that sends
  it to a single-currency company hears of it).
- A/R: an ARAccountRef must be in the transaction's currency (3180 naming both currencies);
  without one, the first A/R account in that currency, and for a foreign currency without
  any, QuickBooks makes one as the transaction is saved, named "Accounts Receivable - EUR"
  (the ISO code after a dash). That name is from recollection of QuickBooks Desktop reports
  (QuickBooks Online names them "Accounts Receivable (A/R) - EUR"); unverified.
- DepositToAccountRef / RefundFromAccountRef: Undeposited Funds (and any non-bank account)
  takes any currency; a bank or credit card account must be in the home currency or the
  transaction's (3180, simulator's wording).
- A payment or refund applies only to its customer's transactions (3120 otherwise), and a
  customer's transactions share its currency, so applying across currencies is that 3120.
- Rets carry CurrencyRef, ExchangeRate and the schema's home-currency element of the kind:
  BalanceRemainingInHomeCurrency (InvoiceRet), CreditRemainingInHomeCurrency (CreditMemoRet),
  TotalAmountInHomeCurrency (SalesReceipt, SalesOrder, ReceivePayment, ARRefundCreditCard),
  CreditRemainingInHomeCurrency and RefundAmountInHomeCurrency in RefundAppliedToTxnRet;
  each the amount times the rate, rounded half up to the cent. CustomerRet and AccountRet
  carry CurrencyRef. CurrencyFilter selects in customer and transaction queries.
- Not modelled: exchange gains and losses, home-currency balances of accounts, CurrencyAdd /
  CurrencyMod, price levels per currency, vendors.

Inspection for tests, besides :meth:`~QuickBooksSimulator.transactions` (``"ReceivePayment"``,
``"CreditMemo"``, ``"ARRefundCreditCard"`` too)::

    sim.find_transaction_by_id(txn_id)        # any kind
    sim.balance_remaining(invoice_txn_id)     # Decimal: total less payments and credits
    sim.payments_applied(invoice_txn_id)      # [(ReceivePayment Transaction, Decimal)]
    sim.unused_payment(payment_txn_id)        # Decimal: a payment's credit left
    sim.credit_remaining(credit_memo_txn_id)  # Decimal
    sim.currencies, sim.home_currency, sim.find_currency("EUR")     # multicurrency
    txn.currency, txn.exchange_rate, txn.total_amount_in_home_currency
    sim.balance_remaining_in_home_currency(invoice_txn_id)          # Decimal, to the cent
    sim.find_customer("Müller GmbH").currency                       # "Euro"
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from lxml import etree

from saleor_qb_sync.testing.qb_company import (
    FIRST_LIST_ID_COUNTER,
    FIRST_TXN_ID_COUNTER,
    Account,
    AppliedTxn,
    Company,
    Currency,
    Customer,
    Item,
    ListRecord,
    NameIndex,
    SalesTaxCode,
    SimpleListEntry,
    Transaction,
    TxnLine,
)

__all__ = [
    "Company",
    "FaultInjector",
    "QuickBooksError",
    "QuickBooksSimulator",
    "ResponseLost",
    "SchemaNotConfigured",
    "default_schema",
]

# --------------------------------------------------------------------------------------------
# Protocol constants
# --------------------------------------------------------------------------------------------

#: Environment variable naming the folder that holds Intuit's qbXML 13.0 XSD files.
SCHEMA_DIR_ENV = "QBXML_SCHEMA_DIR"
#: Root schema file of the qbXML 13.0 set (it includes the three others).
SCHEMA_ROOT_FILE = "qbxmlops130.xsd"

#: HRESULT for a request that is not well formed or does not match the qbXML spec.
HRESULT_PARSE_ERROR = "0x80040400"
#: Message QuickBooks pairs with :data:`HRESULT_PARSE_ERROR`.
MESSAGE_PARSE_ERROR = "QuickBooks found an error when parsing the provided XML text stream."
#: HRESULT for a ``<?qbxml version?>`` the request processor does not support.
HRESULT_UNSUPPORTED_VERSION = "0x80042500"
#: Message paired with :data:`HRESULT_UNSUPPORTED_VERSION`.
MESSAGE_UNSUPPORTED_VERSION = (
    "The version of QBXML that was requested is not supported or is unknown."
)
#: HRESULT when QuickBooks cannot be started (not running, no unattended permission, …).
HRESULT_COULD_NOT_START = "0x80040408"
#: Message paired with :data:`HRESULT_COULD_NOT_START`.
MESSAGE_COULD_NOT_START = "Could not start QuickBooks."
#: HRESULT when QuickBooks cannot be accessed right now (company file busy); transient.
HRESULT_COULD_NOT_ACCESS = "0x80040401"
#: Message paired with :data:`HRESULT_COULD_NOT_ACCESS`.
MESSAGE_COULD_NOT_ACCESS = "Could not access QuickBooks."

#: Status: success.
STATUS_OK = 0
#: Status: a query found nothing (severity Info).
STATUS_NO_MATCH = 1
#: Status: a list query found some of the requested objects only (severity Warn).
STATUS_PARTIAL = 500
#: Status: a field is not supported by this edition; ignored (severity Warn).
STATUS_UNSUPPORTED_FIELD = 530
#: Status: the request type is not supported (here: not implemented by the simulator).
STATUS_UNSUPPORTED_REQUEST = 1030
#: Status: requestID longer than 50 characters.
STATUS_INVALID_REQUEST_ID = 1060
#: Status: a string is longer than QuickBooks allows for its field.
STATUS_STRING_TOO_LONG = 3070
#: Status: a list element name is already in use.
STATUS_NAME_IN_USE = 3100
#: Status: a TxnID (or ListID) that names no object of the expected kind.
STATUS_OBJECT_NOT_FOUND = 3120
#: Status: a reference to a missing parent in a list.
STATUS_INVALID_PARENT = 3130
#: Status: a reference to a missing or inactive list element.
STATUS_INVALID_REFERENCE = 3140
#: Status: a transaction dated on or before the company closing date.
STATUS_CLOSING_DATE = 3171
#: Status: QuickBooks refused to save the object (its own message follows the prefix).
STATUS_SAVE_ERROR = 3180
#: Status: a Mod whose EditSequence is not the object's current one.
STATUS_EDIT_SEQUENCE_OUT_OF_DATE = 3200
#: Status: a field's value breaks a business rule (e.g. paying more than the amount due).
STATUS_INVALID_VALUE = 3210
#: Status: the feature is not enabled in this company / edition.
STATUS_FEATURE_UNAVAILABLE = 3250
#: Status: a ``useMacro`` naming no macro of the message set. Intuit's table reserves
#: 9100-9199 for macro errors; the exact code and text are the simulator's.
STATUS_MACRO_UNDEFINED = 9100
#: Status: a required element is missing (e.g. MaxReturned on an iterating query).
STATUS_MISSING_ELEMENT = 3150
#: Status: an iteratorID QuickBooks does not know (another session's, finished, or made up).
STATUS_ITERATOR_INVALID = 3391

#: Message of :data:`STATUS_OK`.
MESSAGE_OK = "Status OK"
#: Message of :data:`STATUS_NO_MATCH`.
MESSAGE_NO_MATCH = "A query request did not find a matching object in QuickBooks"
#: Message of :data:`STATUS_FEATURE_UNAVAILABLE`.
MESSAGE_FEATURE_UNAVAILABLE = (
    "This feature is not enabled or not available in this version of QuickBooks."
)
#: Tail QuickBooks appends to a 3140 message.
MESSAGE_INVALID_REFERENCE_TAIL = (
    "QuickBooks error message: Invalid argument. The specified record does not exist in the list."
)

#: QuickBooks' own message in the 3210 answer to paying (or refunding) more than is open.
MESSAGE_MORE_THAN_DUE = "You cannot pay more than the amount due."
#: Field name QuickBooks puts in that 3210 message for an ``AppliedToTxnAdd/PaymentAmount``.
#: Quoted from a QuickBooks answer relayed in Connex's error page (help.syncwithconnex.com,
#: "You cannot pay more than the amount due"): ``The "AppliedToTxnAdd payment amount" field
#: has an invalid value "…". QuickBooks error message: You cannot pay more than the amount due.``
FIELD_PAYMENT_AMOUNT = "AppliedToTxnAdd payment amount"

#: Message-set status: fine.
MSGSET_OK = 0
#: Message-set status: the oldMessageSetID matches no stored ID and no newMessageSetID given.
MSGSET_UNKNOWN_ID = 600
#: Message-set status: the newMessageSetID matches the stored one, but the requests differ.
MSGSET_CHECKSUM_MISMATCH = 9001
#: Message-set status: a message-set ID longer than :data:`MAX_MESSAGE_SET_ID_LENGTH`.
MSGSET_ID_TOO_LONG = 9004
#: Longest message-set ID the SDK accepts.
MAX_MESSAGE_SET_ID_LENGTH = 24
#: oldMessageSetID value that clears every stored message set of the application.
CLEAR_ALL_MESSAGE_SETS = "ClearAllMessageSets"

#: Longest requestID QuickBooks accepts (status 1060 otherwise).
MAX_REQUEST_ID_LENGTH = 50
#: Character repertoire QuickBooks Desktop stores (it is not Unicode-capable).
QB_CHARSET = "cp1252"

CENT = Decimal("0.01")
PRICE_QUANTUM = Decimal("0.00001")
HUNDRED = Decimal(100)

_QBXML_VERSION_RE = re.compile(r"^\s*(\d+)\.(\d+)\s*$")
_ENCODING_RE = re.compile(r"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")

# --------------------------------------------------------------------------------------------
# Exceptions
# --------------------------------------------------------------------------------------------


class QuickBooksError(Exception):
    """QuickBooks' request processor failed as a whole: no response, an HRESULT instead.

    The Web Connector passes ``hresult`` and ``message`` to ``receiveResponseXML`` (or to
    ``connectionError`` when the connection itself failed).
    """

    def __init__(self, hresult: str, message: str) -> None:
        super().__init__(f"{hresult}: {message}")
        self.hresult = hresult
        self.message = message


class ResponseLost(Exception):  # noqa: N818 - names the event, as the brief asks
    """QuickBooks processed the message set but the response never reached the caller.

    ``response_xml`` is what QuickBooks produced (and stored, with error recovery on).
    """

    def __init__(self, response_xml: str) -> None:
        super().__init__("QuickBooks processed the request, but its response was lost")
        self.response_xml = response_xml


class SchemaNotConfigured(RuntimeError):
    """The qbXML XSD is not available (it is Intuit's, not shipped with this project)."""


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_schema(directory: str) -> etree.XMLSchema:
    """Load (once per folder) the qbXML 13.0 schema from ``directory``."""
    root = Path(directory) / SCHEMA_ROOT_FILE
    if not root.is_file():
        raise SchemaNotConfigured(
            f"{root} does not exist. {SCHEMA_DIR_ENV} must name the folder holding Intuit's "
            f"qbXML 13.0 schema ({SCHEMA_ROOT_FILE}, qbxml130.xsd, qbxmltypes130.xsd, "
            "qbxmlso130.xsd), as shipped in the QuickBooks Desktop SDK (xsd folder)."
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(root), parser))


def default_schema() -> etree.XMLSchema:
    """The qbXML 13.0 schema from ``$QBXML_SCHEMA_DIR`` (cached)."""
    directory = os.environ.get(SCHEMA_DIR_ENV)
    if not directory:
        raise SchemaNotConfigured(
            f"Set {SCHEMA_DIR_ENV} to the folder holding Intuit's qbXML 13.0 schema "
            f"({SCHEMA_ROOT_FILE} and its includes). Get it from the QuickBooks Desktop SDK "
            "(developer.intuit.com → QuickBooks Desktop → Download the SDK; the xsd folder)."
        )
    return load_schema(directory)


# --------------------------------------------------------------------------------------------
# Fault injection
# --------------------------------------------------------------------------------------------

#: Fault kinds understood by :meth:`FaultInjector.inject`.
FAULT_KINDS = ("lose_response", "connection_failure", "busy", "slow", "rewrite_response")


@dataclass
class _Fault:
    kind: str
    remaining: int
    skip: int
    seconds: float
    hresult: str | None
    message: str | None
    rewrite: Callable[[str], str] | None = None
    #: only calls whose message set holds this request element count (``on_request``)
    on_request: str | None = None


class FaultInjector:
    """Schedules transport faults for the next calls to :meth:`QuickBooksSimulator.process`."""

    def __init__(self) -> None:
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()

    def inject(
        self,
        kind: str,
        *,
        times: int = 1,
        on_call: int = 1,
        seconds: float = 0.0,
        hresult: str | None = None,
        message: str | None = None,
        rewrite: Callable[[str], str] | None = None,
        on_request: str | None = None,
    ) -> None:
        """Make calls ``on_call`` … ``on_call + times - 1`` (1 = the next call) fail with ``kind``.

        ``on_request`` (e.g. ``"SalesReceiptAddRq"``, or ``"AddRq"`` for any add): count only
        the calls whose message set holds a request whose name ends so, so a test hits the write
        set however many look-ups come first.

        ``lose_response``: process and store, then raise :class:`ResponseLost`.
        ``connection_failure``: raise :class:`QuickBooksError` 0x80040408 before processing.
        ``busy``: raise :class:`QuickBooksError` 0x80040401 before processing.
        ``slow``: sleep ``seconds``, then process normally.
        ``rewrite_response``: process and store, then answer ``rewrite(response_xml)`` instead
        (a response QuickBooks did not send as such: of another type, without its ``…Ret``…).
        ``hresult`` / ``message`` override the defaults of the two error kinds.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; expected one of {FAULT_KINDS}")
        if (kind == "rewrite_response") != (rewrite is not None):
            raise ValueError("rewrite= goes with the rewrite_response fault, and only with it")
        if times < 1 or on_call < 1:
            raise ValueError("times and on_call start at 1")
        with self._lock:
            self._faults.append(_Fault(kind, times, on_call - 1, seconds, hresult, message,
                                       rewrite, on_request))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> int:
        """How many faulty calls are still scheduled."""
        with self._lock:
            return sum(f.remaining for f in self._faults)

    def _next_call(self, request_xml: str | bytes = "") -> list[_Fault]:
        """Advance one call; return the faults that fire on it."""
        fired: list[_Fault] = []
        text = request_xml.decode("utf-8", "replace") if isinstance(request_xml, bytes) \
            else request_xml
        with self._lock:
            for fault in list(self._faults):
                if fault.on_request and not re.search(
                        rf"<\w*{re.escape(fault.on_request)}[\s>/]", text):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fired.append(fault)
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
        return fired


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


class _StatusError(Exception):
    """A request-level failure: becomes the Rs element's status attributes."""

    def __init__(self, code: int, message: str, severity: str = "Error") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.severity = severity


@dataclass
class _Outcome:
    code: int = STATUS_OK
    severity: str = "Info"
    message: str = MESSAGE_OK
    rets: list[etree._Element] | None = None
    attrs: dict[str, str] | None = None


@dataclass(frozen=True)
class ProcessedRequest:
    """One request QuickBooks answered: its type, requestID and status code (for tests)."""

    request_type: str
    request_id: str | None
    status_code: int


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt_money(value: Decimal) -> str:
    return f"{_money(value):.2f}"


def _fmt_price(value: Decimal) -> str:
    text = format(value.quantize(PRICE_QUANTUM, rounding=ROUND_HALF_UP).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _fmt_rate(value: Decimal) -> str:
    """An exchange rate (FLOATTYPE) without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _fmt_bool(value: bool) -> str:
    return "true" if value else "false"


def _fmt_time(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _child(parent: etree._Element, tag: str) -> etree._Element | None:
    return parent.find(tag)


def _text(parent: etree._Element, tag: str) -> str | None:
    """Text of a child as QuickBooks stores it (trimmed, Windows-1252 only, '?' otherwise)."""
    node = parent.find(tag)
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    return value.encode(QB_CHARSET, errors="replace").decode(QB_CHARSET)


def _decimal(parent: etree._Element, tag: str) -> Decimal | None:
    value = _text(parent, tag)
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except InvalidOperation as error:  # the schema pattern makes this unreachable
        raise _StatusError(3040, f'There was an error when converting the amount "{value}" '
                                 f'in the field "{tag}".') from error


def _bool(parent: etree._Element, tag: str) -> bool | None:
    value = _text(parent, tag)
    if value is None:
        return None
    return value.lower() in ("true", "1")


def _date(parent: etree._Element, tag: str) -> date | None:
    value = _text(parent, tag)
    if not value:
        return None
    return date.fromisoformat(value[:10])


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, tag)
    if text is not None:
        node.text = text
    return node


def _ref(parent: etree._Element, tag: str, record: ListRecord | None) -> None:
    if record is None:
        return
    node = _sub(parent, tag)
    _sub(node, "ListID", record.list_id)
    _sub(node, "FullName", record.full_name)


_ADDRESS_FIELDS = (
    "Addr1", "Addr2", "Addr3", "Addr4", "Addr5", "City", "State", "PostalCode", "Country", "Note",
)


def _read_address(parent: etree._Element, tag: str) -> dict[str, str] | None:
    node = parent.find(tag)
    if node is None:
        return None
    return {f: v for f in _ADDRESS_FIELDS if (v := _text(node, f)) is not None}


def _write_address(parent: etree._Element, tag: str, address: object) -> None:
    if not isinstance(address, dict):
        return
    node = _sub(parent, tag)
    for name in _ADDRESS_FIELDS:
        if name in address:
            _sub(node, name, address[name])


def _invalid_reference(kind: str, value: str, where: str) -> _StatusError:
    return _StatusError(
        STATUS_INVALID_REFERENCE,
        f'There is an invalid reference to QuickBooks {kind} "{value}" in the {where}. '
        f"{MESSAGE_INVALID_REFERENCE_TAIL}",
    )


def _object_not_found(txn_id: str) -> _StatusError:
    return _StatusError(
        STATUS_OBJECT_NOT_FOUND, f'Object "{txn_id}" specified in the request cannot be found.'
    )


def _save_error(txn: Transaction, reason: str) -> _StatusError:
    """3180, QuickBooks' "error when saving" with a reason of the simulator's wording."""
    return _saving_error(_TXN_LABELS[txn.kind], txn.ref_number or txn.txn_id, reason)


def _saving_error(label: str, shown: str, reason: str) -> _StatusError:
    """3180 for a record not stored yet (``label``: the form, ``shown``: its RefNumber)."""
    return _StatusError(
        STATUS_SAVE_ERROR,
        f'There was an error when saving a {label} "{shown}". QuickBooks error message: '
        f"{reason}",
    )


def _partial_message(name: str) -> str:
    return ("The query request has not been fully completed. There was a required element "
            f'("{name}") that could not be found in QuickBooks.')


def _name_in_use(name: str) -> _StatusError:
    return _StatusError(
        STATUS_NAME_IN_USE, f'The name "{name}" of the list element is already in use.'
    )


#: How a 3140 message names the transaction ("… in the Invoice."); the names of the last three
#: are QuickBooks' window titles (Receive Payments, Credit Memos/Refunds, Customer Credit Card
#: Refund), as no verbatim 3140 text for them was found.
_TXN_LABELS = {
    "Invoice": "Invoice", "SalesReceipt": "Sales Receipt", "SalesOrder": "Sales Order",
    "CreditMemo": "Credit Memo", "ReceivePayment": "Payment",
    "ARRefundCreditCard": "Credit Card Refund",
}

#: Header elements of transaction adds kept verbatim (as text) and echoed in the Ret.
_TXN_TEXT_FIELDS = (
    "IsPending", "IsFinanceCharge", "CheckNumber", "PONumber", "DueDate", "FOB", "ShipDate",
    "IsManuallyClosed", "Memo", "IsToBePrinted", "IsToBeEmailed", "Other", "ExternalGUID",
)

#: Header elements of ReceivePaymentAdd / ARRefundCreditCardAdd kept verbatim and echoed.
_MONEY_TEXT_FIELDS = ("RefNumber", "Memo", "ExternalGUID")

#: Simple-list references on transaction headers: element → (list, label in 3140 messages).
_TXN_SIMPLE_REFS = {
    "ClassRef": ("classes", "Class"),
    "TemplateRef": ("templates", "Template"),
    "PaymentMethodRef": ("payment_methods", "PaymentMethod"),
    "TermsRef": ("terms", "Terms"),
    "SalesRepRef": ("sales_reps", "SalesRep"),
    "ShipMethodRef": ("ship_methods", "ShipMethod"),
    "CustomerMsgRef": ("customer_messages", "CustomerMsg"),
}

#: The schema's TxnCore group (every transaction Ret starts so), then CustomerRef.
_TXN_CORE = ("TxnID", "TimeCreated", "TimeModified", "EditSequence", "TxnNumber", "CustomerRef")

#: Response element order per transaction kind (qbxml130.xsd InvoiceRet, SalesReceiptRet,
#: SalesOrderRet, CreditMemoRet, ReceivePaymentRet, ARRefundCreditCardRet), limited to the
#: elements the simulator produces.
_RET_ORDER = {
    "Invoice": (
        *_TXN_CORE,
        "ClassRef", "ARAccountRef", "TemplateRef", "TxnDate", "RefNumber", "BillAddress",
        "ShipAddress", "IsPending", "IsFinanceCharge", "PONumber", "TermsRef", "DueDate",
        "SalesRepRef", "FOB", "ShipDate", "ShipMethodRef", "Subtotal", "ItemSalesTaxRef",
        "SalesTaxPercentage", "SalesTaxTotal", "AppliedAmount", "BalanceRemaining",
        "CurrencyRef", "ExchangeRate", "BalanceRemainingInHomeCurrency", "Memo", "IsPaid",
        "CustomerMsgRef", "IsToBePrinted", "IsToBeEmailed", "CustomerSalesTaxCodeRef",
        "Other", "ExternalGUID",
    ),
    "SalesReceipt": (
        *_TXN_CORE,
        "ClassRef", "TemplateRef", "TxnDate", "RefNumber", "BillAddress", "ShipAddress",
        "IsPending", "CheckNumber", "PaymentMethodRef", "DueDate", "SalesRepRef", "ShipDate",
        "ShipMethodRef", "FOB", "Subtotal", "ItemSalesTaxRef", "SalesTaxPercentage",
        "SalesTaxTotal", "TotalAmount", "CurrencyRef", "ExchangeRate",
        "TotalAmountInHomeCurrency", "Memo", "CustomerMsgRef", "IsToBePrinted",
        "IsToBeEmailed", "CustomerSalesTaxCodeRef", "DepositToAccountRef", "Other",
        "ExternalGUID",
    ),
    "SalesOrder": (
        *_TXN_CORE,
        "ClassRef", "TemplateRef", "TxnDate", "RefNumber", "BillAddress", "ShipAddress",
        "PONumber", "TermsRef", "DueDate", "SalesRepRef", "FOB", "ShipDate", "ShipMethodRef",
        "Subtotal", "ItemSalesTaxRef", "SalesTaxPercentage", "SalesTaxTotal", "TotalAmount",
        "CurrencyRef", "ExchangeRate", "TotalAmountInHomeCurrency",
        "IsManuallyClosed", "IsFullyInvoiced", "Memo", "CustomerMsgRef", "IsToBePrinted",
        "IsToBeEmailed", "CustomerSalesTaxCodeRef", "Other", "ExternalGUID",
    ),
    "CreditMemo": (
        *_TXN_CORE,
        "ClassRef", "ARAccountRef", "TemplateRef", "TxnDate", "RefNumber", "BillAddress",
        "ShipAddress", "IsPending", "PONumber", "TermsRef", "DueDate", "SalesRepRef", "FOB",
        "ShipDate", "ShipMethodRef", "Subtotal", "ItemSalesTaxRef", "SalesTaxPercentage",
        "SalesTaxTotal", "TotalAmount", "CreditRemaining", "CurrencyRef", "ExchangeRate",
        "CreditRemainingInHomeCurrency", "Memo", "CustomerMsgRef",
        "IsToBePrinted", "IsToBeEmailed", "CustomerSalesTaxCodeRef", "Other", "ExternalGUID",
    ),
    # ReceivePaymentRet; its AppliedToTxnRet elements follow ExternalGUID
    "ReceivePayment": (
        *_TXN_CORE,
        "ARAccountRef", "TxnDate", "RefNumber", "TotalAmount", "CurrencyRef", "ExchangeRate",
        "TotalAmountInHomeCurrency", "PaymentMethodRef", "Memo", "DepositToAccountRef",
        "UnusedPayment", "UnusedCredits", "ExternalGUID",
    ),
    # ARRefundCreditCardRet; its RefundAppliedToTxnRet elements follow ExternalGUID
    "ARRefundCreditCard": (
        *_TXN_CORE,
        "RefundFromAccountRef", "ARAccountRef", "TxnDate", "RefNumber", "TotalAmount",
        "CurrencyRef", "ExchangeRate", "TotalAmountInHomeCurrency", "Address",
        "PaymentMethodRef", "Memo", "ExternalGUID",
    ),
}

#: Kinds whose lines are ``<kind>LineAdd`` / ``<kind>LineRet`` (the sales forms).
_SALES_KINDS = ("Invoice", "SalesReceipt", "SalesOrder", "CreditMemo")

#: Elements of the Add aggregates that a US QuickBooks Desktop does not support (QBOE or
#: CA/UK/AU only): ignored with status 530.
_UNSUPPORTED_US_FIELDS = (
    "IsTaxIncluded", "DiscountLineAdd", "SalesTaxLineAdd", "ShippingLineAdd",
)
_UNSUPPORTED_US_LINE_FIELDS = ("TaxAmount", "IsTaxable")

_CUSTOMER_TEXT_FIELDS = (
    "CompanyName", "Salutation", "FirstName", "MiddleName", "LastName", "JobTitle",
    "BillAddress", "ShipAddress", "PrintAs", "Phone", "Mobile", "Pager", "AltPhone", "Fax",
    "Email", "Cc", "Contact", "AltContact", "TermsRef", "SalesRepRef", "Balance",
    "TotalBalance", "SalesTaxCodeRef", "ItemSalesTaxRef", "ResaleNumber", "AccountNumber",
    "CreditLimit", "JobStatus", "Notes", "PreferredDeliveryMethod", "ExternalGUID",
)


# --------------------------------------------------------------------------------------------
# The simulator
# --------------------------------------------------------------------------------------------


class QuickBooksSimulator:
    """A QuickBooks Desktop company file answering qbXML message sets (thread-safe)."""

    def __init__(
        self,
        company: Company | None = None,
        *,
        schema: etree.XMLSchema | None = None,
        validate_schema: bool = True,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.company = company or Company.default()
        #: None only with validate_schema=False: requests are then not checked against the XSD
        self.schema: etree.XMLSchema | None = None
        if validate_schema:
            self.schema = schema if schema is not None else default_schema()
        self._clock = clock or (lambda: datetime.now().astimezone())
        self._sleep = sleep
        self._lock = threading.RLock()
        self.faults = FaultInjector()
        self.closing_date: date | None = self.company.closing_date
        self.call_count = 0
        self.history: list[ProcessedRequest] = []
        self._list_counter = FIRST_LIST_ID_COUNTER
        self._txn_counter = FIRST_TXN_ID_COUNTER
        self._txn_number = 0
        self._line_counter = 0
        self._auto_ref: dict[str, int] = {}
        self._recovery: tuple[str, str, str] | None = None  # (ID, checksum, response)
        #: defMacro name → the TxnID / ListID it stands for (one message set's worth)
        self._macros: dict[str, str] = {}
        self._accounts = NameIndex()
        self._items = NameIndex()
        self._customers = NameIndex()
        self._tax_codes = NameIndex()
        self._names = NameIndex()  # customers, vendors, employees, other names
        self._currencies = NameIndex()  # filled only with multicurrency on
        self._simple: dict[str, NameIndex] = {}
        self._by_id: dict[str, ListRecord] = {}
        self._transactions: list[Transaction] = []
        self._txn_by_id: dict[str, Transaction] = {}
        #: TxnID → (payment / refund / invoice, application) for what is applied to it
        self._applied_to: dict[str, list[tuple[Transaction, AppliedTxn]]] = {}
        #: credit memo TxnID → the applications that set it on an invoice
        self._credit_set_by: dict[str, list[tuple[Transaction, AppliedTxn]]] = {}
        #: open iterators of this session: iteratorID → (records still to give, their Ret)
        self._iterators: dict[str, tuple[list[ListRecord],
                                         Callable[[ListRecord], etree._Element]]] = {}
        #: how many iterators were ever started (tests)
        self.iterators_started = 0
        self._seed()

    # ---------------------------------------------------------------- seeding and identity --

    def _now(self) -> datetime:
        moment = self._clock()
        return moment if moment.tzinfo else moment.astimezone()

    def _new_list_id(self) -> str:
        list_id = f"{self._list_counter:X}-{int(self._now().timestamp())}"
        self._list_counter += 1
        return list_id

    def _new_txn_id(self) -> str:
        txn_id = f"{self._txn_counter:X}-{int(self._now().timestamp())}"
        self._txn_counter += 1
        return txn_id

    def _stamp(self, record: ListRecord) -> ListRecord:
        now = self._now()
        record.time_created = now
        record.time_modified = now
        record.edit_sequence = str(int(now.timestamp()))
        self._by_id[record.list_id] = record
        return record

    def _seed(self) -> None:
        c = self.company
        now = self._now()
        for spec in c.accounts:
            self._accounts.add(spec.name, self._stamp(Account(
                self._new_list_id(), spec.name, now, spec.is_active,
                account_type=spec.account_type, currency=self._currency_name(spec.currency))))
        for code in c.sales_tax_codes:
            self._tax_codes.add(code.name, self._stamp(SalesTaxCode(
                self._new_list_id(), code.name, now, True,
                is_taxable=code.is_taxable, description=code.description)))
        for list_name in ("classes", "terms", "payment_methods", "ship_methods", "sales_reps",
                          "customer_messages", "templates"):
            index = self._simple.setdefault(list_name, NameIndex())
            for name in getattr(c, list_name):
                index.add(name, self._stamp(SimpleListEntry(
                    self._new_list_id(), name, now, list_kind=list_name)))
        for kind, names in (("Vendor", c.vendors), ("Employee", c.employees),
                            ("OtherName", c.other_names)):
            for name in names:
                self._names.add(name, self._stamp(SimpleListEntry(
                    self._new_list_id(), name, now, list_kind=kind)))
        for tax in c.sales_tax_items:
            self._items.add(tax.name, self._stamp(Item(
                self._new_list_id(), tax.name, now, tax.is_active, kind="SalesTax",
                description=tax.description, tax_rate=tax.rate_percent)))
        for spec in c.items:
            self._items.add(spec.name, self._stamp(Item(
                self._new_list_id(), spec.name, now, spec.is_active, kind=spec.kind,
                description=spec.description, price=spec.price,
                price_percent=spec.price_percent, account=spec.account,
                sales_tax_code=spec.sales_tax_code, discount_rate=spec.discount_rate,
                discount_rate_percent=spec.discount_rate_percent)))
        for spec in c.customers:
            fields: dict[str, object] = {}
            if spec.company_name:
                fields["CompanyName"] = spec.company_name
            if spec.email:
                fields["Email"] = spec.email
            customer = Customer(self._new_list_id(), spec.name, now, spec.is_active,
                                fields=fields, sales_tax_code=spec.sales_tax_code,
                                item_sales_tax=spec.item_sales_tax,
                                currency=self._currency_name(spec.currency))
            self._stamp(customer)
            self._customers.add(spec.name, customer)
            self._names.add(spec.name, customer)
        if c.multicurrency:
            # After every other list, so the other ListIDs do not depend on the preference.
            for currency in c.currencies:
                self._currencies.add(currency.name, self._stamp(Currency(
                    self._new_list_id(), currency.name, now, currency.is_active,
                    code=currency.code, exchange_rate=currency.exchange_rate,
                    as_of_date=now.date())))

    def _currency_name(self, name: str | None) -> str:
        """A seed's currency as the company list spells it (None: the home currency)."""
        wanted = (name or self.company.home_currency).casefold()
        spelled = (c.name for c in self.company.currencies if c.name.casefold() == wanted)
        return next(spelled, name or self.company.home_currency)

    # ------------------------------------------------------------------- inspection (tests) --

    @property
    def customers(self) -> list[Customer]:
        with self._lock:
            return list(self._customers.values())  # type: ignore[arg-type]

    @property
    def items(self) -> list[Item]:
        with self._lock:
            return list(self._items.values())  # type: ignore[arg-type]

    @property
    def accounts(self) -> list[Account]:
        with self._lock:
            return list(self._accounts.values())  # type: ignore[arg-type]

    def add_account(self, name: str, account_type: str, currency: str | None = None) -> Account:
        """Create an account, as a bookkeeper does in Lists → Chart of Accounts (tests);
        ``currency`` (multicurrency only) defaults to the home currency."""
        with self._lock:
            if currency is not None and self._currency_of_name(currency) is None:
                raise ValueError(f"no currency {currency!r} in the company's currency list")
            account = Account(self._new_list_id(), name, self._now(), True,
                              account_type=account_type,
                              currency=self._currency_name(currency))
            self._accounts.add(name, self._stamp(account))
            return account

    def add_customer(self, name: str, email: str | None = None) -> Customer:
        """Create a customer, as a bookkeeper does in the Customer Center (tests)."""
        with self._lock:
            if name in self._names:
                raise ValueError(f"the name {name!r} is in use")
            customer = Customer(self._new_list_id(), name, self._now(), True,
                                fields={"Email": email} if email else {},
                                currency=self._currency_name(None))
            self._stamp(customer)
            self._customers.add(name, customer)
            self._names.add(name, customer)
            return customer

    def edit_customer(self, name: str, *, email: str | None = None,
                      is_active: bool | None = None) -> Customer:
        """Change a customer by hand in QuickBooks (tests): TimeModified moves on."""
        with self._lock:
            customer = self._customers.get(name)
            if customer is None:
                raise KeyError(name)
            if email is not None:
                customer.fields["Email"] = email
            if is_active is not None:
                customer.is_active = is_active
            self._touch(customer)
            return customer  # type: ignore[return-value]

    @property
    def currencies(self) -> list[Currency]:
        """The currency list (empty with multicurrency off), in the company's order."""
        with self._lock:
            return list(self._currencies.values())  # type: ignore[arg-type]

    @property
    def home_currency(self) -> str:
        """The home currency's name (every amount is in it with multicurrency off)."""
        return self._currency_name(None)

    def find_currency(self, name_or_code: str) -> Currency | None:
        """The currency of that name or ISO code (None: not in the list)."""
        with self._lock:
            return self._currency_of_name(name_or_code)

    def _currency_of_name(self, name_or_code: str) -> Currency | None:
        found = self._currencies.get(name_or_code)
        if found is None:
            wanted = name_or_code.strip().casefold()
            found = next((c for c in self._currencies.values()
                          if c.code.casefold() == wanted), None)  # type: ignore[attr-defined]
        return found  # type: ignore[return-value]

    def transactions(self, kind: str | None = None) -> list[Transaction]:
        """Transactions in creation order; ``kind`` is Invoice, SalesReceipt or SalesOrder."""
        with self._lock:
            return [t for t in self._transactions if kind is None or t.kind == kind]

    def find_transaction(self, ref_number: str, kind: str | None = None) -> Transaction | None:
        """The latest transaction with that RefNumber (QuickBooks does not enforce uniqueness)."""
        with self._lock:
            for txn in reversed(self._transactions):
                if txn.ref_number == ref_number and (kind is None or txn.kind == kind):
                    return txn
        return None

    def find_customer(self, full_name: str) -> Customer | None:
        with self._lock:
            return self._customers.get(full_name)  # type: ignore[return-value]

    def find_item(self, name: str) -> Item | None:
        with self._lock:
            return self._items.get(name)  # type: ignore[return-value]

    def counts(self) -> dict[str, int]:
        """Number of customers, items, accounts and transactions (per kind)."""
        with self._lock:
            result = {
                "customers": len(self.customers),
                "items": len(self.items),
                "accounts": len(self.accounts),
                "transactions": len(self._transactions),
            }
            for kind in _RET_ORDER:
                result[kind] = sum(1 for t in self._transactions if t.kind == kind)
            return result

    @property
    def max_qbxml_version(self) -> tuple[int, int]:
        """(major, minor) — what QBWC passes as qbXMLMajorVers / qbXMLMinorVers."""
        major, _, minor = str(self.company.max_qbxml_version).partition(".")
        return int(major), int(minor or 0)

    def hcp_response(self) -> str:
        """HostQuery + CompanyQuery + PreferencesQuery responses (QBWC's ``strHCPResponse``).

        Not a call to :meth:`process`: no faults apply and nothing is counted.
        """
        major, minor = self.max_qbxml_version
        request = (
            f'<?xml version="1.0"?><?qbxml version="{major}.{minor}"?><QBXML>'
            '<QBXMLMsgsRq onError="continueOnError">'
            '<HostQueryRq requestID="0"/><CompanyQueryRq requestID="1"/>'
            '<PreferencesQueryRq requestID="2"/></QBXMLMsgsRq></QBXML>'
        )
        with self._lock:
            return self._process_document(request, record=False)

    def end_session(self) -> None:
        """Web Connector's EndSession / CloseConnection: QuickBooks forgets the session's
        iterators (a later ``Continue`` with one of their IDs answers 3391)."""
        with self._lock:
            self._iterators.clear()

    # ------------------------------------------------------------------------ entry point --

    def process(self, request_xml: str | bytes) -> str:
        """Process one qbXML request message set; return the response message set.

        Raises :class:`QuickBooksError` when QuickBooks would answer with an HRESULT instead
        of a response (parse error, unsupported version, injected connection faults) and
        :class:`ResponseLost` when a fault drops a response that was processed.
        """
        fired = self.faults._next_call(request_xml)
        with self._lock:
            self.call_count += 1
            for fault in fired:
                if fault.kind == "slow":
                    self._sleep(fault.seconds)
            for fault in fired:
                if fault.kind == "connection_failure":
                    raise QuickBooksError(fault.hresult or HRESULT_COULD_NOT_START,
                                          fault.message or MESSAGE_COULD_NOT_START)
                if fault.kind == "busy":
                    raise QuickBooksError(fault.hresult or HRESULT_COULD_NOT_ACCESS,
                                          fault.message or MESSAGE_COULD_NOT_ACCESS)
            response = self._process_document(request_xml, record=True)
            if any(fault.kind == "lose_response" for fault in fired):
                raise ResponseLost(response)
            for fault in fired:
                if fault.rewrite is not None:
                    response = fault.rewrite(response)
            return response

    # ------------------------------------------------------------------- document handling --

    def _parse(self, request_xml: str | bytes) -> etree._Element:
        try:
            if isinstance(request_xml, bytes):
                match = _ENCODING_RE.match(request_xml[:200].decode("latin-1"))
                request_xml = request_xml.decode(match.group(1) if match else "utf-8")
            match = _ENCODING_RE.match(request_xml)
            # Literal text outside Windows-1252 is something QuickBooks cannot parse.
            request_xml.encode(QB_CHARSET)
            data = request_xml.encode(match.group(1) if match else "utf-8")
        except (UnicodeError, LookupError) as error:
            raise QuickBooksError(HRESULT_PARSE_ERROR, MESSAGE_PARSE_ERROR) from error
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
            dtd_validation=False,
        )
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as error:
            raise QuickBooksError(HRESULT_PARSE_ERROR, MESSAGE_PARSE_ERROR) from error
        if root.getroottree().docinfo.doctype:
            raise QuickBooksError(HRESULT_PARSE_ERROR, MESSAGE_PARSE_ERROR)
        return root

    def _check_version(self, root: etree._Element) -> None:
        version = None
        node = root.getprevious()
        while node is not None:
            if isinstance(node, etree._ProcessingInstruction) and node.target == "qbxml":
                version = node.get("version")
            node = node.getprevious()
        if version is None:
            raise QuickBooksError(HRESULT_PARSE_ERROR, MESSAGE_PARSE_ERROR)
        match = _QBXML_VERSION_RE.match(version)
        if match is None:
            raise QuickBooksError(HRESULT_UNSUPPORTED_VERSION, MESSAGE_UNSUPPORTED_VERSION)
        requested = (int(match.group(1)), int(match.group(2)))
        if requested > self.max_qbxml_version:
            raise QuickBooksError(HRESULT_UNSUPPORTED_VERSION, MESSAGE_UNSUPPORTED_VERSION)

    def _validate(self, root: etree._Element) -> dict[etree._Element, tuple[str, str]]:
        """Validate against the XSD; return over-long strings per request element.

        QuickBooks rejects structural errors with a parse error but reports an over-long
        string as status 3070 on its request, so ``maxLength`` violations are set aside.
        """
        if self.schema is None or self.schema.validate(root):
            return {}
        too_long: dict[etree._Element, tuple[str, str]] = {}
        tree = root.getroottree()
        for error in self.schema.error_log:
            if error.type_name != "SCHEMAV_CVC_MAXLENGTH_VALID" or not error.path:
                raise QuickBooksError(HRESULT_PARSE_ERROR, MESSAGE_PARSE_ERROR)
            parts = error.path.split("/")
            found = tree.xpath(error.path)
            request = tree.xpath("/".join(parts[:4]))
            if not found or not request:
                raise QuickBooksError(HRESULT_PARSE_ERROR, MESSAGE_PARSE_ERROR)
            field = found[0]
            too_long.setdefault(request[0], (etree.QName(field).localname, field.text or ""))
        return too_long

    def _process_document(self, request_xml: str | bytes, *, record: bool) -> str:
        root = self._parse(request_xml)
        self._check_version(root)
        too_long = self._validate(root)
        msgs = root.find("QBXMLMsgsRq")
        if root.tag != "QBXML" or msgs is None:
            raise QuickBooksError(HRESULT_PARSE_ERROR, MESSAGE_PARSE_ERROR)
        on_error = msgs.get("onError")
        if on_error not in ("stopOnError", "continueOnError"):
            # rollbackOnError: "not valid and will produce an error" (SDK attribute table).
            raise QuickBooksError(HRESULT_PARSE_ERROR, MESSAGE_PARSE_ERROR)
        requests = [el for el in msgs if isinstance(el.tag, str)]
        old_id = msgs.get("oldMessageSetID")
        new_id = msgs.get("newMessageSetID")

        out_root = etree.Element("QBXML")
        out_msgs = _sub(out_root, "QBXMLMsgsRs")

        if old_id is not None or new_id is not None:
            stored = self._recover(out_msgs, requests, old_id, new_id)
            if stored is not None:
                return stored
            if new_id is None and not requests:
                return self._serialize(out_root)

        include_data = msgs.get("responseData", "includeAll") != "includeNone"
        self._macros = {}
        for request in requests:
            rs = self._answer(request, too_long.get(request), include_data)
            out_msgs.append(rs)
            if record:
                self.history.append(ProcessedRequest(
                    request.tag, request.get("requestID"), int(rs.get("statusCode"))))
            if on_error == "stopOnError" and rs.get("statusSeverity") == "Error":
                break
        response = self._serialize(out_root)
        if new_id is not None and out_msgs.get("messageSetStatusCode") == str(MSGSET_OK):
            self._recovery = (new_id, self._checksum(requests), response)
        return response

    # ---------------------------------------------------------------------- error recovery --

    @staticmethod
    def _checksum(requests: Iterable[etree._Element]) -> str:
        digest = hashlib.sha256()
        for request in requests:
            digest.update(etree.tostring(request, method="c14n"))
        return digest.hexdigest()

    def _recover(
        self,
        out_msgs: etree._Element,
        requests: list[etree._Element],
        old_id: str | None,
        new_id: str | None,
    ) -> str | None:
        """Apply the message-set ID rules; return a stored response to send back, if any."""
        stored_id = self._recovery[0] if self._recovery else None
        if new_id is not None:
            out_msgs.set("newMessageSetID", new_id)
        for given in (old_id, new_id):
            if given is not None and given != CLEAR_ALL_MESSAGE_SETS and (
                len(given) > MAX_MESSAGE_SET_ID_LENGTH
            ):
                out_msgs.set("messageSetStatusCode", str(MSGSET_ID_TOO_LONG))
                return self._serialize(out_msgs.getparent())
        status = MSGSET_OK
        if old_id == CLEAR_ALL_MESSAGE_SETS:
            self._recovery = None
        elif old_id is not None and old_id != new_id:
            if old_id == stored_id:
                self._recovery = None
            elif new_id is None:
                status = MSGSET_UNKNOWN_ID
        elif new_id is not None and new_id == stored_id:
            # Status check (old == new) or a resend of a stored set: answer from the store.
            assert self._recovery is not None
            _, checksum, response = self._recovery
            if old_id is None and requests and checksum != self._checksum(requests):
                out_msgs.set("messageSetStatusCode", str(MSGSET_CHECKSUM_MISMATCH))
                return self._serialize(out_msgs.getparent())
            return response
        elif new_id is not None and old_id == new_id:
            status = MSGSET_UNKNOWN_ID
            out_msgs.set("messageSetStatusCode", str(status))
            return self._serialize(out_msgs.getparent())
        out_msgs.set("messageSetStatusCode", str(status))
        return None

    @staticmethod
    def _serialize(root: etree._Element) -> str:
        return '<?xml version="1.0" ?>\n' + etree.tostring(root, encoding="unicode")

    # ------------------------------------------------------------------------ per request --

    def _answer(
        self,
        request: etree._Element,
        too_long: tuple[str, str] | None,
        include_data: bool,
    ) -> etree._Element:
        tag = request.tag
        rs_tag = tag[:-2] + "Rs" if tag.endswith("Rq") else tag + "Rs"
        rs = etree.Element(rs_tag)
        request_id = request.get("requestID")
        if request_id is not None:
            rs.set("requestID", request_id)
        try:
            if request_id is not None and len(request_id) > MAX_REQUEST_ID_LENGTH:
                raise _StatusError(
                    STATUS_INVALID_REQUEST_ID,
                    f'The requestID "{request_id}" is invalid, possibly too long. '
                    f"The maximum length is {MAX_REQUEST_ID_LENGTH} characters.",
                )
            if too_long is not None:
                field, value = too_long
                raise _StatusError(
                    STATUS_STRING_TOO_LONG,
                    f'The string "{value}" in the field "{field}" is too long.',
                )
            handler = _HANDLERS.get(tag)
            if handler is None:
                raise _StatusError(
                    STATUS_UNSUPPORTED_REQUEST,
                    f"The request {tag} is not supported by the QuickBooks simulator.",
                )
            if request.xpath(".//*[@useMacro]"):
                request = self._expand_macros(request)
            outcome = handler(self, request)
            self._define_macro(request, outcome)
        except _StatusError as error:
            outcome = _Outcome(error.code, error.severity, error.message)
        rs.set("statusCode", str(outcome.code))
        rs.set("statusSeverity", outcome.severity)
        rs.set("statusMessage", outcome.message)
        for name, value in (outcome.attrs or {}).items():
            rs.set(name, value)
        if include_data:
            wanted = [el.text for el in request.findall("IncludeRetElement") if el.text]
            for ret in outcome.rets or []:
                if wanted:
                    for node in list(ret):
                        if node.tag not in wanted:
                            ret.remove(node)
                rs.append(ret)
        return rs

    # ------------------------------------------------------------------------------ macros --

    def _expand_macros(self, request: etree._Element) -> etree._Element:
        """A copy of the request with each ``useMacro`` element holding the ID its macro
        stands for (the original stays as sent: error recovery compares requests)."""
        request = copy.deepcopy(request)
        for node in request.xpath(".//*[@useMacro]"):
            name = node.get("useMacro")
            if name not in self._macros:
                raise _StatusError(
                    STATUS_MACRO_UNDEFINED,
                    f'The macro "{name}" is not defined: no earlier request of this message '
                    "set defined it with defMacro.",
                )
            node.text = self._macros[name]
        return request

    def _define_macro(self, request: etree._Element, outcome: _Outcome) -> None:
        """``<InvoiceAdd defMacro="TxnID:x">``: later requests of the set may name the new
        object ``<TxnID useMacro="TxnID:x"/>`` (SDK guide, "Requests that define and use
        macros"). Only a successful add defines its macro."""
        aggregate = request.find("*[@defMacro]")
        if aggregate is None or outcome.severity == "Error" or not outcome.rets:
            return
        name = aggregate.get("defMacro") or ""
        value = outcome.rets[0].findtext(name.partition(":")[0] or "TxnID")
        if value:
            self._macros[name] = value

    # ----------------------------------------------------------------------- reference lookup --

    def _lookup(self, index: NameIndex, ref: etree._Element) -> ListRecord | None:
        list_id = _text(ref, "ListID")
        if list_id is not None:
            record = self._by_id.get(list_id)
            return record if record is not None and index.get(record.full_name) is record \
                else None
        return index.get(_text(ref, "FullName"))  # type: ignore[return-value]

    def _resolve(
        self, parent: etree._Element, tag: str, index: NameIndex, kind: str, where: str,
    ) -> ListRecord | None:
        """Resolve an optional ``…Ref``; a missing or inactive target is status 3140."""
        ref = _child(parent, tag)
        if ref is None:
            return None
        record = self._lookup(index, ref)
        if record is None or not record.is_active:
            shown = _text(ref, "ListID") or _text(ref, "FullName") or ""
            raise _invalid_reference(kind, shown, where)
        return record

    # ----------------------------------------------------------------------------- lists --

    def _customer_add(self, request: etree._Element) -> _Outcome:
        add = request.find("CustomerAdd")
        name = _text(add, "Name") or ""
        parent = None
        parent_ref = _child(add, "ParentRef")
        if parent_ref is not None:
            parent = self._lookup(self._customers, parent_ref)
            if parent is None:
                shown = _text(parent_ref, "ListID") or _text(parent_ref, "FullName") or ""
                raise _StatusError(
                    STATUS_INVALID_PARENT,
                    f'There is an invalid reference to a parent "{shown}" in the Customer list.',
                )
        full_name = f"{parent.full_name}:{name}" if parent is not None else name
        if parent is None and full_name in self._names:
            raise _name_in_use(name)
        if parent is not None and full_name in self._customers:
            raise _name_in_use(name)
        where = "Customer"
        self._resolve(add, "ClassRef", self._simple["classes"], "Class", where)
        refs = {
            "TermsRef": self._resolve(add, "TermsRef", self._simple["terms"], "Terms", where),
            "SalesRepRef": self._resolve(add, "SalesRepRef", self._simple["sales_reps"],
                                         "SalesRep", where),
        }
        code = self._resolve(add, "SalesTaxCodeRef", self._tax_codes, "SalesTaxCode", where)
        tax_item = self._resolve(add, "ItemSalesTaxRef", self._items, "ItemSalesTax", where)
        if tax_item is not None and tax_item.kind != "SalesTax":  # type: ignore[attr-defined]
            raise _invalid_reference("ItemSalesTax", tax_item.name, where)
        currency = self._customer_currency(add, parent)
        fields = self._customer_fields(add, refs)
        is_active = _bool(add, "IsActive")
        customer = Customer(
            self._new_list_id(), name, self._now(), True if is_active is None else is_active,
            parent=parent,  # type: ignore[arg-type]
            fields=fields,
            sales_tax_code=code.name if code else None,
            item_sales_tax=tax_item.name if tax_item else None,
            currency=currency,
        )
        self._stamp(customer)
        self._customers.add(customer.full_name, customer)
        if parent is None:
            self._names.add(name, customer)
        return _Outcome(rets=[self._customer_ret(customer)])

    @staticmethod
    def _customer_fields(
        node: etree._Element, refs: dict[str, ListRecord | None],
    ) -> dict[str, object]:
        """The contact fields, addresses and resolved TermsRef / SalesRepRef a CustomerAdd or
        CustomerMod sends (those it does not send are absent)."""
        fields: dict[str, object] = {}
        for tag in _CUSTOMER_TEXT_FIELDS:
            if tag in ("BillAddress", "ShipAddress"):
                address = _read_address(node, tag)
                if address is not None:
                    fields[tag] = address
            elif tag in ("TermsRef", "SalesRepRef"):
                if refs[tag] is not None:
                    fields[tag] = refs[tag]
            elif tag not in ("SalesTaxCodeRef", "ItemSalesTaxRef", "Balance", "TotalBalance") \
                    and (value := _text(node, tag)) is not None:
                fields[tag] = value
        return fields

    def _resolve_currency(self, parent: etree._Element, where: str) -> Currency | None:
        """An optional ``CurrencyRef``: 3250 with multicurrency off, 3140 when the currency
        is not in the list or inactive."""
        if _child(parent, "CurrencyRef") is None:
            return None
        if not self.company.multicurrency:
            raise _StatusError(STATUS_FEATURE_UNAVAILABLE, MESSAGE_FEATURE_UNAVAILABLE)
        return self._resolve(parent, "CurrencyRef", self._currencies, "Currency",  # type: ignore
                             where)

    def _customer_currency(self, add: etree._Element, parent: ListRecord | None) -> str:
        """A new customer's currency: CurrencyRef, else its parent's (a job bills in its
        customer's currency), else the home currency."""
        currency = self._resolve_currency(add, "Customer")
        inherited = parent.currency if isinstance(parent, Customer) else None
        if currency is not None and inherited is not None and currency.name != inherited:
            raise _StatusError(
                STATUS_SAVE_ERROR,
                f'There was an error when saving a Customer "{_text(add, "Name")}". QuickBooks '
                f'error message: A job uses the currency of its customer ("{inherited}").')
        if currency is not None:
            return currency.name
        return inherited or self.home_currency

    def _customer_mod(self, request: etree._Element) -> _Outcome:
        """CustomerMod, for what a customer record holds here (SDK "Mod" rules).

        - ListID must be a customer (3120); EditSequence its current one (3200).
        - Elements sent replace the stored ones (contact fields, addresses, IsActive, tax
          defaults, terms, sales rep); a new Name must be free (3100) and is refused for a
          customer with jobs (their full names would change: the simulator's limit, 3180).
        - CurrencyRef: 3250 with multicurrency off, 3140 unknown or inactive; another
          currency than the customer's is refused once the customer (or a job of it) has
          transactions: "The currency can't be changed for names that already have
          transactions recorded against them" (Intuit, "Set up and use multicurrency"),
          status 3180 with that reason.
        - ParentRef is not supported by the simulator (ignored, status 530).
        """
        mod = request.find("CustomerMod")
        list_id = _text(mod, "ListID") or ""
        customer = self._by_id.get(list_id)
        if not isinstance(customer, Customer):
            raise _object_not_found(list_id)
        edit_sequence = _text(mod, "EditSequence") or ""
        if edit_sequence != customer.edit_sequence:
            raise _StatusError(STATUS_EDIT_SEQUENCE_OUT_OF_DATE,
                               f'The provided edit sequence "{edit_sequence}" is out-of-date.')
        where = "Customer"

        def refused(reason: str) -> _StatusError:
            return _StatusError(
                STATUS_SAVE_ERROR, f'There was an error when saving a Customer '
                f'"{customer.full_name}". QuickBooks error message: {reason}')

        name = _text(mod, "Name")
        renamed = name is not None and NameIndex.key(name) != NameIndex.key(customer.name)
        if renamed:
            if any(c.parent is customer for c in self._customers.values()):  # type: ignore
                raise refused("The simulator does not rename a customer that has jobs.")
            new_full = f"{customer.parent.full_name}:{name}" if customer.parent else name
            if (customer.parent is None and name in self._names) or new_full in self._customers:
                raise _name_in_use(name or "")
        refs = {tag: self._resolve(mod, tag, self._simple[list_name], label, where)
                for tag, list_name, label in (("TermsRef", "terms", "Terms"),
                                              ("SalesRepRef", "sales_reps", "SalesRep"))}
        self._resolve(mod, "ClassRef", self._simple["classes"], "Class", where)
        code = self._resolve(mod, "SalesTaxCodeRef", self._tax_codes, "SalesTaxCode", where)
        tax_item = self._resolve(mod, "ItemSalesTaxRef", self._items, "ItemSalesTax", where)
        if tax_item is not None and tax_item.kind != "SalesTax":  # type: ignore[attr-defined]
            raise _invalid_reference("ItemSalesTax", tax_item.name, where)
        currency = self._resolve_currency(mod, where)
        if currency is not None and currency.name != customer.currency:
            family = {customer.full_name.casefold()}
            family |= {c.full_name.casefold() for c in self._customers.values()  # type: ignore
                       if c.full_name.casefold().startswith(customer.full_name.casefold() + ":")}
            if any((t.customer_name or "").casefold() in family for t in self._transactions):
                raise refused("The currency can't be changed for names that already have "
                              "transactions recorded against them.")

        # All checks passed: from here on the company file changes.
        if renamed and name is not None:
            old_full = customer.full_name
            self._customers.remove(old_full)
            if customer.parent is None:
                self._names.remove(old_full)
            customer.name = name
            self._customers.add(customer.full_name, customer)
            if customer.parent is None:
                self._names.add(name, customer)
            for txn in self._transactions:
                if txn.customer_name == old_full:
                    txn.customer_name = customer.full_name
        is_active = _bool(mod, "IsActive")
        if is_active is not None:
            customer.is_active = is_active
        customer.fields.update(self._customer_fields(mod, refs))
        if code is not None:
            customer.sales_tax_code = code.name
        if tax_item is not None:
            customer.item_sales_tax = tax_item.name
        if currency is not None:
            customer.currency = currency.name
        self._touch(customer)
        warnings = ["ParentRef"] if _child(mod, "ParentRef") is not None else []
        return self._with_warnings(_Outcome(rets=[self._customer_ret(customer)]), warnings)

    def _customer_ret(self, customer: Customer) -> etree._Element:
        ret = etree.Element("CustomerRet")
        self._list_core(ret, customer)
        _sub(ret, "Name", customer.name)
        _sub(ret, "FullName", customer.full_name)
        _sub(ret, "IsActive", _fmt_bool(customer.is_active))
        _ref(ret, "ParentRef", customer.parent)
        _sub(ret, "Sublevel", str(customer.sublevel))
        balance = self._customer_balance(customer.full_name)
        for tag in _CUSTOMER_TEXT_FIELDS:
            if tag in ("BillAddress", "ShipAddress"):
                _write_address(ret, tag, customer.fields.get(tag))
            elif tag in ("TermsRef", "SalesRepRef"):
                _ref(ret, tag, customer.fields.get(tag))  # type: ignore[arg-type]
            elif tag in ("Balance", "TotalBalance"):
                _sub(ret, tag, _fmt_money(balance))
            elif tag == "SalesTaxCodeRef":
                _ref(ret, tag, self._tax_codes.get(customer.sales_tax_code))  # type: ignore
            elif tag == "ItemSalesTaxRef":
                _ref(ret, tag, self._items.get(customer.item_sales_tax))  # type: ignore
            elif tag == "JobStatus":
                _sub(ret, tag, str(customer.fields.get(tag, "None")))
            elif tag in customer.fields:
                _sub(ret, tag, str(customer.fields[tag]))
        if self.company.multicurrency:
            _ref(ret, "CurrencyRef", self._currencies.get(customer.currency))  # type: ignore
        return ret

    def _customer_balance(self, full_name: str) -> Decimal:
        """Open invoices less unused credit memos and unused payments (the A/R balance)."""
        balance = Decimal(0)
        for txn in self._transactions:
            if txn.customer_name != full_name:
                continue
            if txn.kind == "Invoice":
                balance += txn.total_amount - self._applied_to_invoice(txn)
            elif txn.kind == "CreditMemo":
                balance -= self._credit_remaining(txn)
            elif txn.kind == "ReceivePayment":
                balance -= self._unused_payment(txn)
        return balance

    @staticmethod
    def _list_core(ret: etree._Element, record: ListRecord) -> None:
        _sub(ret, "ListID", record.list_id)
        _sub(ret, "TimeCreated", _fmt_time(record.time_created))
        _sub(ret, "TimeModified", _fmt_time(record.time_modified or record.time_created))
        _sub(ret, "EditSequence", record.edit_sequence)

    def _item_add(self, request: etree._Element) -> _Outcome:
        kind = request.tag[len("Item"):-len("AddRq")]
        add = request.find(f"Item{kind}Add")
        name = _text(add, "Name") or ""
        where = f"Item{kind}"
        if name in self._items:
            raise _name_in_use(name)
        self._resolve(add, "ClassRef", self._simple["classes"], "Class", where)
        if _child(add, "ParentRef") is not None:
            self._resolve(add, "ParentRef", self._items, "Item", where)
        code = self._resolve(add, "SalesTaxCodeRef", self._tax_codes, "SalesTaxCode", where)
        item = Item(self._new_list_id(), name, self._now(), _bool(add, "IsActive") is not False,
                    kind=kind, sales_tax_code=code.name if code else None)
        if kind == "SalesTax":
            item.description = _text(add, "ItemDesc")
            item.tax_rate = _decimal(add, "TaxRate") or Decimal(0)
            vendor = _child(add, "TaxVendorRef")
            if vendor is not None:
                record = self._lookup(self._names, vendor)
                if not isinstance(record, SimpleListEntry) or record.list_kind != "Vendor":
                    raise _invalid_reference(
                        "Vendor", _text(vendor, "ListID") or _text(vendor, "FullName") or "",
                        where)
                item.extra["TaxVendorRef"] = record
        elif kind == "Discount":
            item.description = _text(add, "ItemDesc")
            item.discount_rate = _decimal(add, "DiscountRate")
            item.discount_rate_percent = _decimal(add, "DiscountRatePercent")
            account = self._resolve(add, "AccountRef", self._accounts, "Account", where)
            if account is None:
                raise _invalid_reference("Account", "", where)
            item.account = account.name
        else:
            sales = add.find("SalesOrPurchase")
            if sales is not None:
                item.description = _text(sales, "Desc")
                item.price = _decimal(sales, "Price")
                item.price_percent = _decimal(sales, "PricePercent")
                account = self._resolve(sales, "AccountRef", self._accounts, "Account", where)
            else:
                sales = add.find("SalesAndPurchase")
                item.sales_and_purchase = True
                item.description = _text(sales, "SalesDesc")
                item.price = _decimal(sales, "SalesPrice")
                account = self._resolve(sales, "IncomeAccountRef", self._accounts, "Account",
                                        where)
                expense = self._resolve(sales, "ExpenseAccountRef", self._accounts, "Account",
                                        where)
                item.extra["PurchaseDesc"] = _text(sales, "PurchaseDesc")
                item.extra["PurchaseCost"] = _decimal(sales, "PurchaseCost")
                item.extra["ExpenseAccountRef"] = expense
            if account is None:
                raise _invalid_reference("Account", "", where)
            item.account = account.name
        self._stamp(item)
        self._items.add(name, item)
        return _Outcome(rets=[self._item_ret(item)])

    def _item_ret(self, item: Item) -> etree._Element:
        ret = etree.Element(f"Item{item.kind}Ret")
        self._list_core(ret, item)
        _sub(ret, "Name", item.name)
        if item.kind != "SalesTax":
            _sub(ret, "FullName", item.full_name)
        _sub(ret, "IsActive", _fmt_bool(item.is_active))
        if item.kind == "SalesTax":
            if item.description is not None:
                _sub(ret, "ItemDesc", item.description)
            _sub(ret, "TaxRate", _fmt_price(item.tax_rate or Decimal(0)))
            _ref(ret, "TaxVendorRef", item.extra.get("TaxVendorRef"))  # type: ignore[arg-type]
            return ret
        _sub(ret, "Sublevel", "0")
        if item.kind == "Discount":
            if item.description is not None:
                _sub(ret, "ItemDesc", item.description)
            _ref(ret, "SalesTaxCodeRef", self._tax_codes.get(item.sales_tax_code))  # type: ignore
            if item.discount_rate is not None:
                _sub(ret, "DiscountRate", _fmt_price(item.discount_rate))
            elif item.discount_rate_percent is not None:
                _sub(ret, "DiscountRatePercent", _fmt_price(item.discount_rate_percent))
            _ref(ret, "AccountRef", self._accounts.get(item.account))  # type: ignore[arg-type]
            return ret
        _ref(ret, "SalesTaxCodeRef", self._tax_codes.get(item.sales_tax_code))  # type: ignore
        account = self._accounts.get(item.account)
        if item.sales_and_purchase:
            block = _sub(ret, "SalesAndPurchase")
            if item.description is not None:
                _sub(block, "SalesDesc", item.description)
            if item.price is not None:
                _sub(block, "SalesPrice", _fmt_price(item.price))
            _ref(block, "IncomeAccountRef", account)  # type: ignore[arg-type]
            if item.extra.get("PurchaseDesc") is not None:
                _sub(block, "PurchaseDesc", str(item.extra["PurchaseDesc"]))
            if item.extra.get("PurchaseCost") is not None:
                _sub(block, "PurchaseCost", _fmt_price(item.extra["PurchaseCost"]))  # type: ignore
            _ref(block, "ExpenseAccountRef", item.extra.get("ExpenseAccountRef"))  # type: ignore
        else:
            block = _sub(ret, "SalesOrPurchase")
            if item.description is not None:
                _sub(block, "Desc", item.description)
            if item.price is not None:
                _sub(block, "Price", _fmt_price(item.price))
            elif item.price_percent is not None:
                _sub(block, "PricePercent", _fmt_price(item.price_percent))
            _ref(block, "AccountRef", account)  # type: ignore[arg-type]
        return ret

    def _account_ret(self, account: Account) -> etree._Element:
        ret = etree.Element("AccountRet")
        self._list_core(ret, account)
        _sub(ret, "Name", account.name)
        _sub(ret, "FullName", account.full_name)
        _sub(ret, "IsActive", _fmt_bool(account.is_active))
        _sub(ret, "Sublevel", "0")
        _sub(ret, "AccountType", account.account_type)
        _sub(ret, "Balance", "0.00")
        _sub(ret, "TotalBalance", "0.00")
        if self.company.multicurrency:
            _ref(ret, "CurrencyRef", self._currencies.get(account.currency))  # type: ignore
        return ret

    def _list_query(
        self,
        request: etree._Element,
        index: NameIndex,
        to_ret: Callable[[ListRecord], etree._Element],
        extra_filter: Callable[[ListRecord], bool] | None = None,
    ) -> _Outcome:
        ids = [t for el in request.findall("ListID") if (t := (el.text or "").strip())]
        names = [t for el in request.findall("FullName") if (t := (el.text or "").strip())]
        records = list(index.values())
        if ids or names:
            found: list[ListRecord] = []
            missing: list[str] = []
            for list_id in ids:
                record = self._by_id.get(list_id)
                if record is not None and index.get(record.full_name) is record:
                    found.append(record)
                else:
                    missing.append(list_id)
            for name in names:
                record = index.get(name)  # type: ignore[assignment]
                if record is not None:
                    found.append(record)
                else:
                    missing.append(name)
            # a list query by ListID / FullName that finds none of them is a warning 500 naming
            # the first one, like one that finds only some (reference notes section 10): status
            # 1 ("no match") is the answer of filters (NameFilter, ranges, RefNumber)
            return self._query_outcome(request, [to_ret(r) for r in found], missing,
                                       partial_when_none=True)
        if request.get("iterator") in ("Continue", "Stop"):
            return self._continue(request)
        active = _text(request, "ActiveStatus") or "ActiveOnly"
        low = self._moment(_text(request, "FromModifiedDate"), end_of_day=False)
        high = self._moment(_text(request, "ToModifiedDate"), end_of_day=True)
        selected: list[ListRecord] = []
        for record in sorted(records, key=lambda r: r.full_name.casefold()):
            if active == "ActiveOnly" and not record.is_active:
                continue
            if active == "InactiveOnly" and record.is_active:
                continue
            changed = record.time_modified or record.time_created
            if (low and changed < low) or (high and changed > high):
                continue
            if not self._matches_name_filter(request, record.full_name):
                continue
            if extra_filter is not None and not extra_filter(record):
                continue
            selected.append(record)
        max_returned = _text(request, "MaxReturned")
        if request.get("iterator") == "Start":
            if not max_returned:
                raise _StatusError(STATUS_MISSING_ELEMENT,
                                   'There is a missing element: "MaxReturned".')
            iterator_id = "{" + str(uuid.uuid4()) + "}"
            self.iterators_started += 1
            self._iterators[iterator_id] = (selected, to_ret)
            return self._next_chunk(iterator_id, int(max_returned))
        if max_returned:
            selected = selected[: int(max_returned)]
        return self._query_outcome(request, [to_ret(r) for r in selected], [])

    def _continue(self, request: etree._Element) -> _Outcome:
        """``iterator="Continue"`` (or ``Stop``) with an iteratorID this session opened."""
        iterator_id = request.get("iteratorID") or ""
        if iterator_id not in self._iterators:
            raise _StatusError(STATUS_ITERATOR_INVALID,
                               f'The iteratorID "{iterator_id}" is not valid.')
        if request.get("iterator") == "Stop":
            del self._iterators[iterator_id]
            return _Outcome(STATUS_NO_MATCH, "Info", MESSAGE_NO_MATCH, [],
                            {"iteratorRemainingCount": "0", "iteratorID": iterator_id})
        max_returned = _text(request, "MaxReturned")
        if not max_returned:
            raise _StatusError(STATUS_MISSING_ELEMENT,
                               'There is a missing element: "MaxReturned".')
        return self._next_chunk(iterator_id, int(max_returned))

    def _next_chunk(self, iterator_id: str, limit: int) -> _Outcome:
        """The next ``limit`` records of an iterator; it closes once it has given them all."""
        records, to_ret = self._iterators[iterator_id]
        chunk, rest = records[:limit], records[limit:]
        if rest:
            self._iterators[iterator_id] = (rest, to_ret)
        else:
            del self._iterators[iterator_id]
        attrs = {"iteratorRemainingCount": str(len(rest)), "iteratorID": iterator_id}
        if not chunk:
            return _Outcome(STATUS_NO_MATCH, "Info", MESSAGE_NO_MATCH, [], attrs)
        attrs["retCount"] = str(len(chunk))
        return _Outcome(rets=[to_ret(r) for r in chunk], attrs=attrs)

    @staticmethod
    def _matches_name_filter(request: etree._Element, name: str) -> bool:
        name_filter = request.find("NameFilter")
        if name_filter is not None:
            criterion = _text(name_filter, "MatchCriterion")
            wanted = (_text(name_filter, "Name") or "").casefold()
            value = name.casefold()
            return {
                "StartsWith": value.startswith(wanted),
                "Contains": wanted in value,
                "EndsWith": value.endswith(wanted),
            }[criterion or "StartsWith"]
        name_range = request.find("NameRangeFilter")
        if name_range is not None:
            low = (_text(name_range, "FromName") or "").casefold()
            high = _text(name_range, "ToName")
            value = name.casefold()
            return value >= low and (high is None or value <= high.casefold())
        return True

    @staticmethod
    def _query_outcome(
        request: etree._Element, rets: list[etree._Element], missing: list[str],
        *, partial_when_none: bool = False,
    ) -> _Outcome:
        attrs: dict[str, str] = {}
        if request.get("iterator") is not None:
            attrs["iteratorRemainingCount"] = "0"
            attrs["iteratorID"] = "{" + str(uuid.uuid4()) + "}"
        count = len(rets)
        if count == 0 and missing and partial_when_none:
            return _Outcome(STATUS_PARTIAL, "Warn", _partial_message(missing[0]), [],
                            attrs or None)
        if count == 0:
            return _Outcome(STATUS_NO_MATCH, "Info", MESSAGE_NO_MATCH, [], attrs or None)
        attrs["retCount"] = str(count)
        if request.get("metaData") == "MetaDataOnly":
            rets = []
        if missing:
            return _Outcome(STATUS_PARTIAL, "Warn", _partial_message(missing[0]), rets, attrs)
        return _Outcome(rets=rets, attrs=attrs)

    def _customer_query(self, request: etree._Element) -> _Outcome:
        return self._list_query(request, self._customers, self._customer_ret,  # type: ignore
                                self._currency_filter(request))

    def _currency_filter(
        self, request: etree._Element,
    ) -> Callable[[ListRecord | Transaction], bool] | None:
        """``CurrencyFilter`` (ListID+ | FullName+) as a predicate on a record's currency;
        None without one (or with multicurrency off, where everything is in one currency)."""
        node = request.find("CurrencyFilter")
        if node is None or not self.company.multicurrency:
            return None
        wanted: set[str] = set()
        for el in node:
            value = (el.text or "").strip()
            record = self._by_id.get(value) if el.tag == "ListID" \
                else self._currencies.get(value)
            if isinstance(record, Currency):
                wanted.add(record.name)
        return lambda record: getattr(record, "currency", None) in wanted

    def _currency_query(self, request: etree._Element) -> _Outcome:
        """CurrencyQuery: the currency list. With multicurrency off QuickBooks has no
        currency list to answer from: status 3250, the SDK's answer for a feature that is
        not turned on (the simulator's choice; no recorded answer was found)."""
        if not self.company.multicurrency:
            raise _StatusError(STATUS_FEATURE_UNAVAILABLE, MESSAGE_FEATURE_UNAVAILABLE)
        return self._list_query(request, self._currencies, self._currency_ret)

    def _currency_ret(self, currency: ListRecord) -> etree._Element:
        assert isinstance(currency, Currency)
        ret = etree.Element("CurrencyRet")
        self._list_core(ret, currency)
        _sub(ret, "Name", currency.name)
        _sub(ret, "IsActive", _fmt_bool(currency.is_active))
        _sub(ret, "CurrencyCode", currency.code)
        currency_format = _sub(ret, "CurrencyFormat")
        _sub(currency_format, "ThousandSeparator", "Comma")
        _sub(currency_format, "ThousandSeparatorGrouping", "XX_XXX_XXX")
        _sub(currency_format, "DecimalPlaces", "2")
        _sub(currency_format, "DecimalSeparator", "Period")
        _sub(ret, "IsUserDefinedCurrency", "false")
        _sub(ret, "ExchangeRate", _fmt_rate(currency.exchange_rate))
        if currency.as_of_date is not None:
            _sub(ret, "AsOfDate", currency.as_of_date.isoformat())
        return ret

    def _item_query(self, request: etree._Element) -> _Outcome:
        return self._list_query(request, self._items, self._item_ret)  # type: ignore[arg-type]

    def _item_sales_tax_query(self, request: etree._Element) -> _Outcome:
        sales_tax = NameIndex()
        for item in self._items.values():
            if item.kind == "SalesTax":  # type: ignore[attr-defined]
                sales_tax.add(item.name, item)  # type: ignore[attr-defined]
        return self._list_query(request, sales_tax, self._item_ret)  # type: ignore[arg-type]

    def _account_query(self, request: etree._Element) -> _Outcome:
        types = {el.text for el in request.findall("AccountType")}
        return self._list_query(
            request, self._accounts, self._account_ret,  # type: ignore[arg-type]
            (lambda r: r.account_type in types) if types else None,  # type: ignore[attr-defined]
        )

    def _sales_tax_code_query(self, request: etree._Element) -> _Outcome:
        def ret_of(code: ListRecord) -> etree._Element:
            assert isinstance(code, SalesTaxCode)
            ret = etree.Element("SalesTaxCodeRet")
            self._list_core(ret, code)
            _sub(ret, "Name", code.name)
            _sub(ret, "IsActive", _fmt_bool(code.is_active))
            _sub(ret, "IsTaxable", _fmt_bool(code.is_taxable))
            if code.description:
                _sub(ret, "Desc", code.description)
            return ret

        return self._list_query(request, self._tax_codes, ret_of)

    def _class_query(self, request: etree._Element) -> _Outcome:
        def ret_of(entry: ListRecord) -> etree._Element:
            ret = etree.Element("ClassRet")
            self._list_core(ret, entry)
            _sub(ret, "Name", entry.name)
            _sub(ret, "FullName", entry.full_name)
            _sub(ret, "IsActive", _fmt_bool(entry.is_active))
            _sub(ret, "Sublevel", "0")
            return ret

        return self._list_query(request, self._simple["classes"], ret_of)

    def _payment_method_query(self, request: etree._Element) -> _Outcome:
        def ret_of(entry: ListRecord) -> etree._Element:
            ret = etree.Element("PaymentMethodRet")
            self._list_core(ret, entry)
            _sub(ret, "Name", entry.name)
            _sub(ret, "IsActive", _fmt_bool(entry.is_active))
            _sub(ret, "PaymentMethodType", "OtherCreditCard" if "card" in entry.name.lower()
                 else "Other")
            return ret

        return self._list_query(request, self._simple["payment_methods"], ret_of)

    # --------------------------------------------------------------------------- host etc. --

    def _host_query(self, request: etree._Element) -> _Outcome:
        ret = etree.Element("HostRet")
        _sub(ret, "ProductName", self.company.product_name)
        _sub(ret, "MajorVersion", str(self.company.product_major_version))
        _sub(ret, "MinorVersion", "0")
        _sub(ret, "Country", self.company.country)
        major, minor = self.max_qbxml_version
        for version in _supported_versions(major, minor):
            _sub(ret, "SupportedQBXMLVersion", version)
        _sub(ret, "IsAutomaticLogin", "false")
        _sub(ret, "QBFileMode", "SingleUser")
        return _Outcome(rets=[ret])

    def _company_query(self, request: etree._Element) -> _Outcome:
        ret = etree.Element("CompanyRet")
        _sub(ret, "IsSampleCompany", "false")
        _sub(ret, "CompanyName", self.company.name)
        _sub(ret, "LegalCompanyName", self.company.name)
        _sub(ret, "FirstMonthFiscalYear", "January")
        _sub(ret, "FirstMonthIncomeTaxYear", "January")
        _sub(ret, "TaxForm", "OtherOrNone")
        return _Outcome(rets=[ret])

    def _preferences_query(self, request: etree._Element) -> _Outcome:
        ret = etree.Element("PreferencesRet")
        accounting = _sub(ret, "AccountingPreferences")
        _sub(accounting, "IsUsingAccountNumbers", "false")
        _sub(accounting, "IsRequiringAccounts", "true")
        _sub(accounting, "IsUsingClassTracking", _fmt_bool(bool(self.company.classes)))
        _sub(accounting, "IsUsingAuditTrail", "true")
        _sub(accounting, "IsAssigningJournalEntryNumbers", "true")
        if self.closing_date is not None:
            _sub(accounting, "ClosingDate", self.closing_date.isoformat())
        multicurrency = _sub(ret, "MultiCurrencyPreferences")
        _sub(multicurrency, "IsMultiCurrencyOn", _fmt_bool(self.company.multicurrency))
        if self.company.multicurrency:
            _ref(multicurrency, "HomeCurrencyRef",
                 self._currencies.get(self.home_currency))  # type: ignore[arg-type]
        sales = _sub(ret, "SalesAndCustomersPreferences")
        _sub(sales, "IsTrackingReimbursedExpensesAsIncome", "false")
        _sub(sales, "IsAutoApplyingPayments", "true")
        default_tax = self._items.get(self.company.default_item_sales_tax)
        taxable = next((c for c in self._tax_codes.values() if c.is_taxable), None)  # type: ignore
        non_taxable = next(
            (c for c in self._tax_codes.values() if not c.is_taxable), None)  # type: ignore
        if default_tax is not None and taxable is not None and non_taxable is not None:
            tax = _sub(ret, "SalesTaxPreferences")
            _ref(tax, "DefaultItemSalesTaxRef", default_tax)  # type: ignore[arg-type]
            _sub(tax, "PaySalesTax", "Monthly")
            _ref(tax, "DefaultTaxableSalesTaxCodeRef", taxable)
            _ref(tax, "DefaultNonTaxableSalesTaxCodeRef", non_taxable)
        rights = _sub(ret, "CurrentAppAccessRights")
        _sub(rights, "IsAutomaticLoginAllowed", "true")
        _sub(rights, "IsPersonalDataAccessAllowed", "false")
        return _Outcome(rets=[ret])

    # ------------------------------------------------------------------------ transactions --

    def _txn_add(self, request: etree._Element) -> _Outcome:
        kind = request.tag[: -len("AddRq")]
        if kind == "SalesOrder" and not self.company.supports_sales_orders:
            raise _StatusError(STATUS_FEATURE_UNAVAILABLE, MESSAGE_FEATURE_UNAVAILABLE)
        values, credits, warnings = self._sales_values(kind, request.find(f"{kind}Add"), "added")

        # All checks passed: from here on the company file changes.
        values["ref_number"] = values["ref_number"] or self._next_ref_number(kind)
        self._keep_new_accounts(values["fields"])  # type: ignore[arg-type]
        txn = self._store_txn(kind, **values)  # type: ignore[arg-type]
        if credits:  # credit memos set on the invoice as it is made: it applies them to itself
            self._link(txn, [AppliedTxn(txn.txn_id, Decimal("0.00"), credits)])
        return self._with_warnings(_Outcome(rets=[self._txn_ret(txn, include_lines=True)]),
                                   warnings)

    @staticmethod
    def _with_warnings(outcome: _Outcome, warnings: list[str]) -> _Outcome:
        """Status 530 for the first element a US QuickBooks ignores, if any was sent."""
        if warnings:
            outcome.code = STATUS_UNSUPPORTED_FIELD
            outcome.severity = "Warn"
            outcome.message = (
                f'The field "{warnings[0]}" is not supported by this implementation; '
                "it was ignored."
            )
        return outcome

    def _sales_values(
        self, kind: str, add: etree._Element, verb: str,
    ) -> tuple[dict[str, object], list[tuple[str, Decimal]], list[str]]:
        """Check a sales form (an ``…Add``, or a Mod merged onto one) and work out its lines
        and totals: the Transaction's fields, the credits it sets, the ignored elements.
        Nothing is stored."""
        where = _TXN_LABELS[kind]
        header: dict[str, object] = {}

        customer = self._resolve(add, "CustomerRef", self._customers, "Customer", where)
        header["CustomerRef"] = customer
        currency = customer.currency if isinstance(customer, Customer) and customer.currency \
            else self.home_currency
        exchange_rate = self._exchange_rate(add, currency)
        shown = _text(add, "RefNumber") or ""
        if self.company.multicurrency:
            header["CurrencyRef"] = self._currencies.get(currency)
        if kind in ("Invoice", "CreditMemo"):
            header["ARAccountRef"] = self._ar_account(add, where, currency, shown)
        if kind == "SalesReceipt":
            deposit = self._resolve(add, "DepositToAccountRef", self._accounts, "Account", where)
            if deposit is None:
                deposit = self._accounts.get("Undeposited Funds")
            self._check_money_account(deposit, currency, where, shown)
            header["DepositToAccountRef"] = deposit
        for tag, (list_name, label) in _TXN_SIMPLE_REFS.items():
            header[tag] = self._resolve(add, tag, self._simple[list_name], label, where)

        tax_item = self._resolve(add, "ItemSalesTaxRef", self._items, "ItemSalesTax", where)
        if tax_item is not None and tax_item.kind != "SalesTax":  # type: ignore[attr-defined]
            raise _invalid_reference("ItemSalesTax", tax_item.name, where)
        if tax_item is None and isinstance(customer, Customer) and customer.item_sales_tax:
            tax_item = self._items.get(customer.item_sales_tax)  # type: ignore[assignment]
        if tax_item is None and self.company.default_item_sales_tax:
            tax_item = self._items.get(self.company.default_item_sales_tax)  # type: ignore
        customer_code = self._resolve(add, "CustomerSalesTaxCodeRef", self._tax_codes,
                                      "SalesTaxCode", where)
        if customer_code is None and isinstance(customer, Customer) and customer.sales_tax_code:
            customer_code = self._tax_codes.get(customer.sales_tax_code)  # type: ignore
        header["CustomerSalesTaxCodeRef"] = customer_code
        header["ItemSalesTaxRef"] = tax_item

        txn_date = _date(add, "TxnDate") or self._now().date()
        self._check_closing_date(txn_date, verb)
        for tag in _TXN_TEXT_FIELDS:
            value = _text(add, tag)
            if value is not None:
                header[tag] = value
        for tag in ("BillAddress", "ShipAddress"):
            header[tag] = _read_address(add, tag)

        warnings = [tag for tag in _UNSUPPORTED_US_FIELDS if _child(add, tag) is not None]
        lines = self._txn_lines(kind, add, where, warnings)
        credits = self._set_credits(add, customer.full_name, {}) \
            if kind == "Invoice" and customer is not None else []

        subtotal = sum((line.amount for line in lines), Decimal(0))
        taxable_total = sum((line.amount for line in lines if line.is_taxable), Decimal(0))
        customer_taxable = customer_code is None or customer_code.is_taxable  # type: ignore
        rate = tax_item.tax_rate if tax_item is not None else None  # type: ignore[union-attr]
        sales_tax = _money(taxable_total * rate / HUNDRED) \
            if rate is not None and customer_taxable else Decimal("0.00")
        credited = sum((amount for _, amount in credits), Decimal(0))
        if credited > _money(subtotal + sales_tax):
            raise _StatusError(
                STATUS_INVALID_VALUE,
                f'The "SetCredit applied amount" field has an invalid value '
                f'"{_fmt_money(credited)}". QuickBooks error message: {MESSAGE_MORE_THAN_DUE}',
            )
        values: dict[str, object] = {
            "txn_date": txn_date,
            "ref_number": _text(add, "RefNumber"),
            "customer_name": customer.full_name if customer is not None else None,
            "lines": lines,
            "subtotal": _money(subtotal),
            "sales_tax_item": tax_item.name if tax_item is not None else None,
            "sales_tax_percentage": rate,
            "sales_tax_total": sales_tax,
            "total_amount": _money(subtotal + sales_tax),
            "memo": header.get("Memo"),
            "fields": header,
            "currency": currency,
            "exchange_rate": exchange_rate,
        }
        return values, credits, warnings

    def _exchange_rate(self, add: etree._Element, currency: str) -> Decimal:
        """The transaction's rate (home units per unit of ``currency``): ``ExchangeRate`` when
        given, else the currency list's. With multicurrency off an ExchangeRate is 3250; in
        the home currency the rate is 1 and any other is 3210; a rate must be positive."""
        given = _decimal(add, "ExchangeRate")
        if not self.company.multicurrency:
            if _child(add, "ExchangeRate") is not None:
                raise _StatusError(STATUS_FEATURE_UNAVAILABLE, MESSAGE_FEATURE_UNAVAILABLE)
            return Decimal(1)

        def invalid(reason: str) -> _StatusError:
            return _StatusError(
                STATUS_INVALID_VALUE,
                f'The "ExchangeRate" field has an invalid value "{_text(add, "ExchangeRate")}". '
                f"QuickBooks error message: {reason}",
            )

        if currency == self.home_currency:
            if given is not None and given != 1:
                raise invalid(f"A transaction in the home currency ({currency}) has an "
                              "exchange rate of 1.")
            return Decimal(1)
        if given is not None:
            if given <= 0:
                raise invalid("The exchange rate must be greater than zero.")
            return given
        record = self._currencies.get(currency)
        assert isinstance(record, Currency)
        return record.exchange_rate

    def _check_money_account(
        self, account: ListRecord | None, currency: str, label: str, shown: str,
    ) -> None:
        """Money received or refunded in ``currency`` goes through Undeposited Funds (any
        currency) or a bank / credit card account in that currency or the home currency
        (Intuit: bank and credit card accounts have a currency; income and other accounts
        are in the home currency). Else 3180, simulator's wording."""
        if not self.company.multicurrency or not isinstance(account, Account):
            return
        if account.account_type in ("Bank", "CreditCard") and \
                account.currency not in (currency, self.home_currency):
            raise _saving_error(
                label, shown,
                f'The account "{account.full_name}" is in {account.currency}; this transaction '
                f"is in {currency}, so its money goes to an account in {currency} or in the "
                f"home currency ({self.home_currency}).")

    def _txn_date(self, add: etree._Element) -> date:
        """``TxnDate`` (today when absent); on or before the closing date is status 3171."""
        txn_date = _date(add, "TxnDate") or self._now().date()
        self._check_closing_date(txn_date, "added")
        return txn_date

    def _check_closing_date(self, txn_date: date, verb: str) -> None:
        if self.closing_date is not None and txn_date <= self.closing_date:
            raise _StatusError(
                STATUS_CLOSING_DATE,
                f"The transaction date {txn_date.isoformat()} is on or before the closing date "
                f"of the company ({self.closing_date.isoformat()}). Transactions dated on or "
                f"before the closing date cannot be {verb}.",
            )

    def _ar_account(
        self, add: etree._Element, where: str, currency: str | None = None, shown: str = "",
    ) -> ListRecord | None:
        """``ARAccountRef`` (an Accounts Receivable account, else 3140), or the company's A/R.

        With multicurrency on the A/R account is in the transaction's ``currency``: one given
        in another currency is 3180 (naming both); none given is the first A/R account in that
        currency, and for a foreign currency without one QuickBooks makes
        "Accounts Receivable - EUR" (ISO code) as the transaction is saved: the record is
        returned without a ListID and :meth:`_keep_new_accounts` stores it."""
        ar = self._resolve(add, "ARAccountRef", self._accounts, "Account", where)
        if ar is not None and ar.account_type != "AccountsReceivable":  # type: ignore[attr-defined]
            raise _invalid_reference("Account", ar.full_name, where)
        if not self.company.multicurrency:
            if ar is None:
                ar = next((a for a in self._accounts.values()
                           if a.account_type == "AccountsReceivable"), None)  # type: ignore
            return ar
        currency = currency or self.home_currency
        if ar is not None:
            if ar.currency != currency:  # type: ignore[attr-defined]
                raise _saving_error(
                    where, shown,
                    f'The A/R account "{ar.full_name}" is in {ar.currency}, '  # type: ignore
                    f"but this transaction is in {currency}: a transaction in {currency} "
                    f"needs an Accounts Receivable account in {currency}.")
            return ar
        ar = next((a for a in self._accounts.values()  # type: ignore[assignment]
                   if a.account_type == "AccountsReceivable"  # type: ignore[attr-defined]
                   and a.currency == currency), None)  # type: ignore[attr-defined]
        if ar is None and currency != self.home_currency:
            record = self._currencies.get(currency)
            assert isinstance(record, Currency)
            name = f"Accounts Receivable - {record.code}"
            if name in self._accounts:
                raise _saving_error(where, shown, f'The account "{name}" QuickBooks makes for '
                                    f"receivables in {currency} exists with another type or "
                                    "currency.")
            ar = Account("", name, self._now(), True, account_type="AccountsReceivable",
                         currency=currency)
        return ar

    def _keep_new_accounts(self, header: dict[str, object]) -> None:
        """Store the accounts :meth:`_ar_account` made for a transaction being saved."""
        for value in header.values():
            if isinstance(value, Account) and not value.list_id:
                value.list_id = self._new_list_id()
                self._accounts.add(value.name, self._stamp(value))

    def _next_ref_number(self, kind: str) -> str:
        used = [int(t.ref_number) for t in self._transactions
                if t.kind == kind and t.ref_number and t.ref_number.isdigit()]
        return str(max(used, default=0) + 1)

    def _txn_lines(
        self, kind: str, add: etree._Element, where: str, warnings: list[str],
    ) -> list[TxnLine]:
        lines: list[TxnLine] = []
        for node in add:
            if node.tag == f"{kind}LineGroupAdd":
                group = node.find("ItemGroupRef")
                shown = _text(group, "ListID") or _text(group, "FullName") or ""
                raise _invalid_reference("ItemGroup", shown, where)
            if node.tag != f"{kind}LineAdd":
                continue
            warnings.extend(t for t in _UNSUPPORTED_US_LINE_FIELDS if _child(node, t) is not None)
            item = self._resolve(node, "ItemRef", self._items, "Item", where)
            assert item is None or isinstance(item, Item)
            code = self._resolve(node, "SalesTaxCodeRef", self._tax_codes, "SalesTaxCode", where)
            for tag, list_name, label in (("ClassRef", "classes", "Class"),):
                self._resolve(node, tag, self._simple[list_name], label, where)
            self._resolve(node, "OverrideItemAccountRef", self._accounts, "Account", where)
            if _child(node, "PriceLevelRef") is not None:
                ref = node.find("PriceLevelRef")
                raise _invalid_reference(
                    "PriceLevel", _text(ref, "ListID") or _text(ref, "FullName") or "", where)
            quantity = _decimal(node, "Quantity")
            rate = _decimal(node, "Rate")
            rate_percent = _decimal(node, "RatePercent")
            amount = _decimal(node, "Amount")
            previous = lines[-1].amount if lines else Decimal(0)
            if amount is None:
                amount, rate, rate_percent = self._line_amount(
                    item, quantity, rate, rate_percent, previous)
            elif rate is None and rate_percent is None and quantity:
                rate = (amount / quantity).quantize(PRICE_QUANTUM, rounding=ROUND_HALF_UP)
            if code is None and item is not None and item.sales_tax_code:
                code = self._tax_codes.get(item.sales_tax_code)  # type: ignore[assignment]
            if code is None and item is not None and item.kind != "SalesTax":
                code = next((c for c in self._tax_codes.values()  # type: ignore[assignment]
                             if not c.is_taxable), None)
            fields: dict[str, object] = {}
            for tag in ("ServiceDate", "Other1", "Other2", "IsManuallyClosed", "UnitOfMeasure"):
                value = _text(node, tag)
                if value is not None:
                    fields[tag] = value
            self._line_counter += 1
            lines.append(TxnLine(
                txn_line_id=f"{self._line_counter:X}-{int(self._now().timestamp())}",
                item_name=item.full_name if item is not None else None,
                description=_text(node, "Desc") if _child(node, "Desc") is not None
                else (item.description if item is not None else None),
                quantity=quantity,
                rate=rate,
                rate_percent=rate_percent,
                amount=_money(amount),
                sales_tax_code=code.name if code is not None else None,
                is_taxable=bool(code is not None and code.is_taxable),  # type: ignore[attr-defined]
                fields=fields,
            ))
        return lines

    @staticmethod
    def _line_amount(
        item: Item | None,
        quantity: Decimal | None,
        rate: Decimal | None,
        rate_percent: Decimal | None,
        previous: Decimal,
    ) -> tuple[Decimal, Decimal | None, Decimal | None]:
        """QuickBooks' line arithmetic: Rate × Quantity, item price, or a percentage."""
        is_discount = item is not None and item.kind == "Discount"
        if rate is None and rate_percent is None and item is not None:
            if is_discount:
                if item.discount_rate is not None:
                    rate = item.discount_rate
                else:
                    rate_percent = item.discount_rate_percent
            elif item.price is not None:
                rate = item.price
            elif item.price_percent is not None:
                rate_percent = item.price_percent
        if rate is not None:
            amount = _money(rate * (quantity if quantity is not None else Decimal(1)))
            return (-abs(amount) if is_discount else amount), rate, None
        if rate_percent is not None:
            amount = _money(previous * rate_percent / HUNDRED)
            return (-abs(amount) if is_discount else amount), None, rate_percent
        return Decimal("0.00"), None, None

    def _txn_ret(
        self, txn: Transaction, *, include_lines: bool, include_linked: bool = False,
    ) -> etree._Element:
        ret = etree.Element(f"{txn.kind}Ret")
        f = txn.fields
        computed: dict[str, str] = {
            "TxnID": txn.txn_id,
            "TimeCreated": _fmt_time(txn.time_created),
            "TimeModified": _fmt_time(txn.time_modified or txn.time_created),
            "EditSequence": txn.edit_sequence,
            "TxnNumber": str(txn.txn_number),
            "TxnDate": txn.txn_date.isoformat(),
            "Subtotal": _fmt_money(txn.subtotal),
            "SalesTaxTotal": _fmt_money(txn.sales_tax_total),
            "TotalAmount": _fmt_money(txn.total_amount),
            "IsManuallyClosed": str(f.get("IsManuallyClosed", "false")),
            "IsFullyInvoiced": "false",
        }
        if txn.memo is not None:
            computed["Memo"] = txn.memo
        if txn.kind == "Invoice":
            applied = self._applied_to_invoice(txn)
            balance = txn.total_amount - applied
            # QuickBooks reports what was applied as a negative amount (-125.00 paid → 0.00)
            computed["AppliedAmount"] = _fmt_money(-applied)
            computed["BalanceRemaining"] = _fmt_money(balance)
            computed["IsPaid"] = _fmt_bool(balance <= 0)
        elif txn.kind == "CreditMemo":
            computed["CreditRemaining"] = _fmt_money(self._credit_remaining(txn))
        elif txn.kind == "ReceivePayment":
            computed["UnusedPayment"] = _fmt_money(self._unused_payment(txn))
            computed["UnusedCredits"] = "0.00"
        if self.company.multicurrency:
            computed.update(self._home_currency_fields(txn, computed))
        if txn.ref_number is not None:
            computed["RefNumber"] = txn.ref_number
        if txn.sales_tax_percentage is not None:
            computed["SalesTaxPercentage"] = _fmt_price(txn.sales_tax_percentage)
        for tag in _RET_ORDER[txn.kind]:
            if tag in computed:
                _sub(ret, tag, computed[tag])
            elif tag in ("BillAddress", "ShipAddress", "Address"):
                _write_address(ret, tag, f.get(tag))
            elif tag.endswith("Ref"):
                _ref(ret, tag, f.get(tag))  # type: ignore[arg-type]
            elif tag in f:
                _sub(ret, tag, str(f[tag]))
        if txn.kind == "ReceivePayment":
            if include_lines:
                for applied_txn in txn.applied:
                    ret.append(self._applied_to_txn_ret(applied_txn))
            return ret
        if txn.kind == "ARRefundCreditCard":
            for applied_txn in txn.applied:
                ret.append(self._refund_applied_ret(applied_txn, txn))
            return ret
        if include_linked and txn.kind == "Invoice":
            for source, amount in self._links_to_invoice(txn):
                ret.append(self._linked_txn(source, -amount))
        if include_lines:
            for line in txn.lines:
                ret.append(self._line_ret(txn.kind, line))
        return ret

    @staticmethod
    def _home_currency_fields(txn: Transaction, computed: dict[str, str]) -> dict[str, str]:
        """ExchangeRate and the ``…InHomeCurrency`` element the kind's Ret has (qbxml130.xsd:
        BalanceRemaining on invoices, CreditRemaining on credit memos, TotalAmount on the
        others), each the transaction-currency amount at the rate, to the cent."""
        fields = {"ExchangeRate": _fmt_rate(txn.exchange_rate)}
        if txn.kind == "Invoice":
            fields["BalanceRemainingInHomeCurrency"] = _fmt_money(
                Decimal(computed["BalanceRemaining"]) * txn.exchange_rate)
        elif txn.kind == "CreditMemo":
            fields["CreditRemainingInHomeCurrency"] = _fmt_money(
                Decimal(computed["CreditRemaining"]) * txn.exchange_rate)
        else:
            fields["TotalAmountInHomeCurrency"] = _fmt_money(txn.total_amount_in_home_currency)
        return fields

    # ------------------------------------------------------------ payments and credits --

    def find_transaction_by_id(self, txn_id: str) -> Transaction | None:
        """The transaction with that TxnID, of any kind (None when there is none)."""
        with self._lock:
            return self._txn_by_id.get(txn_id)

    def balance_remaining(self, invoice_txn_id: str) -> Decimal:
        """What is still open on an invoice: its total less the payments and credits on it."""
        with self._lock:
            invoice = self._txn_of(invoice_txn_id, "Invoice")
            return invoice.total_amount - self._applied_to_invoice(invoice)

    def balance_remaining_in_home_currency(self, invoice_txn_id: str) -> Decimal:
        """:meth:`balance_remaining` at the invoice's exchange rate, to the cent."""
        with self._lock:
            invoice = self._txn_of(invoice_txn_id, "Invoice")
            return _money(self.balance_remaining(invoice_txn_id) * invoice.exchange_rate)

    def payments_applied(self, invoice_txn_id: str) -> list[tuple[Transaction, Decimal]]:
        """(ReceivePayment, amount) for each payment applied to the invoice, in order; the
        amount is what the payment pays plus the credit memos it sets on the invoice."""
        with self._lock:
            invoice = self._txn_of(invoice_txn_id, "Invoice")
            totals: dict[str, tuple[Transaction, Decimal]] = {}
            for payment, applied in self._applications_to(invoice.txn_id):
                if payment.kind != "ReceivePayment":
                    continue
                paid = applied.amount + sum((a for _, a in applied.credits), Decimal(0))
                previous = totals.get(payment.txn_id, (payment, Decimal(0)))[1]
                totals[payment.txn_id] = (payment, previous + paid)
            return list(totals.values())

    def credit_remaining(self, credit_memo_txn_id: str) -> Decimal:
        """What is left of a credit memo after the invoices it was set on and its refunds."""
        with self._lock:
            return self._credit_remaining(self._txn_of(credit_memo_txn_id, "CreditMemo"))

    def unused_payment(self, payment_txn_id: str) -> Decimal:
        """A payment's amount applied to no invoice (a customer credit) and not refunded."""
        with self._lock:
            return self._unused_payment(self._txn_of(payment_txn_id, "ReceivePayment"))

    def _txn_of(self, txn_id: str, kind: str) -> Transaction:
        txn = self.find_transaction_by_id(txn_id)
        if txn is None or txn.kind != kind:
            raise KeyError(f"no {kind} with TxnID {txn_id!r}")
        return txn

    def _applications_to(self, txn_id: str) -> list[tuple[Transaction, AppliedTxn]]:
        """(payment or refund, application) for everything applied to that TxnID."""
        return list(self._applied_to.get(txn_id, ()))

    def _applied_to_invoice(self, invoice: Transaction) -> Decimal:
        return sum((amount for _, amount in self._links_to_invoice(invoice)), Decimal(0))

    def _links_to_invoice(self, invoice: Transaction) -> list[tuple[Transaction, Decimal]]:
        """(payment or credit memo, amount) for each payment and each credit on the invoice."""
        links: list[tuple[Transaction, Decimal]] = []
        for payment, applied in self._applications_to(invoice.txn_id):
            if applied.amount:
                links.append((payment, applied.amount))
            for credit_id, amount in applied.credits:
                credit = self.find_transaction_by_id(credit_id)
                if credit is not None and amount:
                    links.append((credit, amount))
        return links

    def _credit_remaining(self, credit: Transaction) -> Decimal:
        used = sum((amount for _, a in self._credit_set_by.get(credit.txn_id, ())
                    for credit_id, amount in a.credits if credit_id == credit.txn_id),
                   Decimal(0))
        refunded = sum((a.amount for _, a in self._applications_to(credit.txn_id)), Decimal(0))
        return credit.total_amount - used - refunded

    def _unused_payment(self, payment: Transaction) -> Decimal:
        applied = sum((a.amount for a in payment.applied), Decimal(0))
        refunded = sum((a.amount for _, a in self._applications_to(payment.txn_id)), Decimal(0))
        return payment.total_amount - applied - refunded

    @staticmethod
    def _link_head(tag: str, txn: Transaction) -> etree._Element:
        """TxnID, TxnType, TxnDate, RefNumber: how LinkedTxn and the …AppliedToTxnRet start."""
        node = etree.Element(tag)
        _sub(node, "TxnID", txn.txn_id)
        _sub(node, "TxnType", txn.kind)
        _sub(node, "TxnDate", txn.txn_date.isoformat())
        if txn.ref_number is not None:
            _sub(node, "RefNumber", txn.ref_number)
        return node

    def _linked_txn(self, txn: Transaction, amount: Decimal) -> etree._Element:
        node = self._link_head("LinkedTxn", txn)
        _sub(node, "LinkType", "AMTTYPE")
        _sub(node, "Amount", _fmt_money(amount))
        return node

    def _applied_to_txn_ret(self, applied: AppliedTxn) -> etree._Element:
        invoice = self._txn_of(applied.txn_id, "Invoice")
        node = self._link_head("AppliedToTxnRet", invoice)
        _sub(node, "BalanceRemaining",
             _fmt_money(invoice.total_amount - self._applied_to_invoice(invoice)))
        _sub(node, "Amount", _fmt_money(applied.amount))
        for credit_id, amount in applied.credits:
            node.append(self._linked_txn(self._txn_of(credit_id, "CreditMemo"), -amount))
        return node

    def _refund_applied_ret(self, applied: AppliedTxn, refund: Transaction) -> etree._Element:
        target = self.find_transaction_by_id(applied.txn_id)
        assert target is not None
        remaining = self._credit_remaining(target) if target.kind == "CreditMemo" \
            else self._unused_payment(target)
        node = self._link_head("RefundAppliedToTxnRet", target)
        _sub(node, "CreditRemaining", _fmt_money(remaining))
        _sub(node, "RefundAmount", _fmt_money(applied.amount))
        if self.company.multicurrency:
            _sub(node, "CreditRemainingInHomeCurrency",
                 _fmt_money(remaining * target.exchange_rate))
            _sub(node, "RefundAmountInHomeCurrency",
                 _fmt_money(applied.amount * refund.exchange_rate))
        return node

    def _line_ret(self, kind: str, line: TxnLine) -> etree._Element:
        ret = etree.Element(f"{kind}LineRet")
        _sub(ret, "TxnLineID", line.txn_line_id)
        _ref(ret, "ItemRef", self._items.get(line.item_name))  # type: ignore[arg-type]
        if line.description is not None:
            _sub(ret, "Desc", line.description)
        if line.quantity is not None:
            _sub(ret, "Quantity", _fmt_price(line.quantity))
        if "UnitOfMeasure" in line.fields:
            _sub(ret, "UnitOfMeasure", str(line.fields["UnitOfMeasure"]))
        if line.rate is not None:
            _sub(ret, "Rate", _fmt_price(line.rate))
        elif line.rate_percent is not None:
            _sub(ret, "RatePercent", _fmt_price(line.rate_percent))
        _sub(ret, "Amount", _fmt_money(line.amount))
        if kind != "SalesOrder" and "ServiceDate" in line.fields:
            _sub(ret, "ServiceDate", str(line.fields["ServiceDate"]))
        _ref(ret, "SalesTaxCodeRef", self._tax_codes.get(line.sales_tax_code))  # type: ignore
        if kind == "SalesOrder":
            _sub(ret, "Invoiced", "0")
            _sub(ret, "IsManuallyClosed", str(line.fields.get("IsManuallyClosed", "false")))
        for tag in ("Other1", "Other2"):
            if tag in line.fields:
                _sub(ret, tag, str(line.fields[tag]))
        return ret

    def _txn_query(self, request: etree._Element) -> _Outcome:
        kind = request.tag[: -len("QueryRq")]
        candidates = [t for t in self._transactions if t.kind == kind]
        include_lines = _bool(request, "IncludeLineItems") is True
        include_linked = _bool(request, "IncludeLinkedTxns") is True

        def ret_of(txn: Transaction) -> etree._Element:
            return self._txn_ret(txn, include_lines=include_lines, include_linked=include_linked)

        txn_ids = [t for el in request.findall("TxnID") if (t := (el.text or "").strip())]
        refs = [t for el in request.findall("RefNumber") if (t := (el.text or "").strip())]
        exact = [t for el in request.findall("RefNumberCaseSensitive")
                 if (t := (el.text or "").strip())]
        if txn_ids or refs or exact:
            found: list[Transaction] = []
            missing: list[str] = []
            for wanted in txn_ids:
                hits = [t for t in candidates if t.txn_id == wanted]
                found += hits
                missing += [] if hits else [wanted]
            for wanted in refs:
                hits = [t for t in candidates
                        if (t.ref_number or "").casefold() == wanted.casefold()]
                found += hits
                missing += [] if hits else [wanted]
            for wanted in exact:
                hits = [t for t in candidates if t.ref_number == wanted]
                found += hits
                missing += [] if hits else [wanted]
            return self._query_outcome(request, [ret_of(t) for t in found], missing)
        selected = [t for t in candidates if self._matches_txn_filter(request, t)]
        max_returned = _text(request, "MaxReturned")
        if max_returned:
            selected = selected[: int(max_returned)]
        return self._query_outcome(request, [ret_of(t) for t in selected], [])

    def _matches_txn_filter(self, request: etree._Element, txn: Transaction) -> bool:
        ref_filter = request.find("RefNumberFilter")
        if ref_filter is not None:
            criterion = _text(ref_filter, "MatchCriterion") or "StartsWith"
            wanted = (_text(ref_filter, "RefNumber") or "").casefold()
            value = (txn.ref_number or "").casefold()
            if not {"StartsWith": value.startswith(wanted), "Contains": wanted in value,
                    "EndsWith": value.endswith(wanted)}[criterion]:
                return False
        ref_range = request.find("RefNumberRangeFilter")
        if ref_range is not None:
            low, high = _text(ref_range, "FromRefNumber"), _text(ref_range, "ToRefNumber")
            value = txn.ref_number or ""
            if (low and value < low) or (high and value > high):
                return False
        date_range = request.find("TxnDateRangeFilter")
        if date_range is not None:
            low_date, high_date = _date(date_range, "FromTxnDate"), _date(date_range, "ToTxnDate")
            if (low_date and txn.txn_date < low_date) or (high_date and txn.txn_date > high_date):
                return False
        modified = request.find("ModifiedDateRangeFilter")
        if modified is not None:
            low_time = self._moment(_text(modified, "FromModifiedDate"), end_of_day=False)
            high_time = self._moment(_text(modified, "ToModifiedDate"), end_of_day=True)
            changed = txn.time_modified or txn.time_created
            if (low_time and changed < low_time) or (high_time and changed > high_time):
                return False
        entity = request.find("EntityFilter")
        if entity is not None:
            names = {(el.text or "").strip().casefold() for el in entity.findall("FullName")}
            for el in entity.findall("ListID"):
                record = self._by_id.get((el.text or "").strip())
                if record is not None:
                    names.add(record.full_name.casefold())
            if (txn.customer_name or "").casefold() not in names:
                return False
        by_currency = self._currency_filter(request)
        if by_currency is not None and not by_currency(txn):
            return False
        paid_status = _text(request, "PaidStatus")
        if txn.kind == "Invoice" and paid_status in ("PaidOnly", "NotPaidOnly"):
            is_paid = txn.total_amount - self._applied_to_invoice(txn) <= 0
            if is_paid != (paid_status == "PaidOnly"):
                return False
        return True

    def _moment(self, value: str | None, *, end_of_day: bool) -> datetime | None:
        """A DATETIMETYPE filter bound; a bare date covers that whole day, local time."""
        if not value:
            return None
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, datetime.max.time() if end_of_day
                                      else datetime.min.time())
        else:
            moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=self._now().tzinfo)

    # ------------------------------------------------------------------------ payments --

    def _receive_payment_add(self, request: etree._Element) -> _Outcome:
        """ReceivePaymentAdd: money from a customer, applied to that customer's invoices.

        Everything is checked before anything is stored, so a refused payment changes no
        invoice. The rules (each a QuickBooks answer, or the simulator's choice where noted):

        - CustomerRef, ARAccountRef, PaymentMethodRef, DepositToAccountRef must resolve (3140);
          DepositToAccountRef defaults to Undeposited Funds, ARAccountRef to the A/R account.
        - AppliedToTxnAdd/TxnID must be an Invoice *of this customer*: QuickBooks looks the
          TxnID up among the customer's open transactions (the Receive Payments window lists
          only those), so an unknown TxnID, a sales receipt's and another customer's (a job's
          invoice paid by its parent, too) are all 3120 "cannot be found".
        - PaymentAmount (0 when absent) plus the credits it sets must not exceed the invoice's
          open balance: 3210 "You cannot pay more than the amount due."
        - SetCredit/CreditTxnID must be a credit memo of the customer (3120) with at least
          AppliedAmount left (3210, simulator's wording for the field).
        - The amounts applied must not exceed TotalAmount (3210, simulator's wording); what
          TotalAmount leaves over is UnusedPayment, a credit on the customer's account.
          TotalAmount defaults to the sum of the PaymentAmounts.
        - IsAutoApply true applies TotalAmount the way QuickBooks' "automatically apply
          payments" does: to an open invoice of exactly that balance if there is one, else to
          the open invoices oldest first (TxnDate, then entry order); false applies nothing.
        """
        kind = "ReceivePayment"
        add = request.find(f"{kind}Add")
        customer, header, txn_date, rate = self._money_header(add, kind, "DepositToAccountRef")
        total = _decimal(add, "TotalAmount")
        applied: list[AppliedTxn] = []
        if _child(add, "IsAutoApply") is not None:
            if _bool(add, "IsAutoApply") and total is not None:
                applied = self._auto_apply(customer.full_name, _money(total))
        else:
            applied = self._applications(add, customer.full_name)
        paid = sum((a.amount for a in applied), Decimal(0))
        if total is None:
            total = paid
        total = _money(total)
        if paid > total:
            raise _StatusError(
                STATUS_INVALID_VALUE,
                f'The "TotalAmount" field has an invalid value "{_fmt_money(total)}". '
                "QuickBooks error message: The amount applied to invoices "
                f"({_fmt_money(paid)}) is more than the amount received.",
            )
        txn = self._new_money_txn(kind, txn_date, customer, total, header, applied, rate)
        return _Outcome(rets=[self._txn_ret(txn, include_lines=True)])

    def _ar_refund_add(self, request: etree._Element) -> _Outcome:
        """ARRefundCreditCardAdd: money back to a customer's card, out of their credits.

        qbXML 13.0 has no other A/R refund request (a refund by cheque is a CheckAdd to the
        customer, outside this simulator). Each RefundAppliedToTxnAdd names a credit memo, or
        a payment with an unused amount, of the customer (else 3120) and takes RefundAmount
        of what is left on it (more is 3210, simulator's wording). RefundFromAccountRef must
        resolve (3140; Undeposited Funds when absent, where card receipts wait to be
        deposited), PaymentMethodRef too. TotalAmount is the sum refunded.
        """
        kind = "ARRefundCreditCard"
        add = request.find(f"{kind}Add")
        customer, header, txn_date, rate = self._money_header(add, kind, "RefundFromAccountRef")
        header["Address"] = _read_address(add, "Address")
        applied: list[AppliedTxn] = []
        pending: dict[str, Decimal] = {}
        for node in add.findall("RefundAppliedToTxnAdd"):
            txn_id = _text(node, "TxnID") or ""
            target = self.find_transaction_by_id(txn_id)
            if target is None or target.kind not in ("CreditMemo", "ReceivePayment"):
                raise _object_not_found(txn_id)
            target = self._customer_txn(txn_id, target.kind, customer.full_name)
            left = self._credit_remaining(target) if target.kind == "CreditMemo" \
                else self._unused_payment(target)
            left -= pending.get(txn_id, Decimal(0))
            amount = _money(_decimal(node, "RefundAmount") or Decimal(0))
            if amount > left:
                raise _StatusError(
                    STATUS_INVALID_VALUE,
                    f'The "RefundAmount" field has an invalid value "{_fmt_money(amount)}". '
                    "QuickBooks error message: The refund is more than the credit remaining "
                    f"({_fmt_money(left)}).",
                )
            pending[txn_id] = pending.get(txn_id, Decimal(0)) + amount
            applied.append(AppliedTxn(txn_id, amount))
        total = sum((a.amount for a in applied), Decimal("0.00"))
        txn = self._new_money_txn(kind, txn_date, customer, total, header, applied, rate)
        return _Outcome(rets=[self._txn_ret(txn, include_lines=True)])

    def _money_header(
        self, add: etree._Element, kind: str, account_tag: str,
    ) -> tuple[Customer, dict[str, object], date, Decimal]:
        """Customer, header fields, date and exchange rate of a payment or refund (3140 /
        3171 checked; the currency is the customer's, see :meth:`_exchange_rate`).

        ``account_tag`` (DepositToAccountRef / RefundFromAccountRef) must resolve; absent, it
        is Undeposited Funds, where QuickBooks puts received money until a deposit. With
        multicurrency on, :meth:`_ar_account` and :meth:`_check_money_account` apply."""
        where = _TXN_LABELS[kind]
        customer = self._resolve(add, "CustomerRef", self._customers, "Customer", where)
        assert isinstance(customer, Customer)  # CustomerRef is required by the schema
        currency = customer.currency or self.home_currency
        exchange_rate = self._exchange_rate(add, currency)
        shown = _text(add, "RefNumber") or ""
        account = self._resolve(add, account_tag, self._accounts, "Account", where)
        header: dict[str, object] = {
            "CustomerRef": customer,
            "ARAccountRef": self._ar_account(add, where, currency, shown),
            "PaymentMethodRef": self._resolve(add, "PaymentMethodRef",
                                              self._simple["payment_methods"], "PaymentMethod",
                                              where),
            account_tag: account if account is not None
            else self._accounts.get("Undeposited Funds"),
        }
        self._check_money_account(header[account_tag], currency,  # type: ignore[arg-type]
                                  where, shown)
        if self.company.multicurrency:
            header["CurrencyRef"] = self._currencies.get(currency)
        txn_date = self._txn_date(add)
        for tag in _MONEY_TEXT_FIELDS:
            value = _text(add, tag)
            if value is not None:
                header[tag] = value
        return customer, header, txn_date, exchange_rate

    def _open_invoices(self, customer_name: str) -> list[Transaction]:
        """The customer's invoices with a balance, oldest first (TxnDate, then entry)."""
        invoices = [t for t in self._transactions if t.kind == "Invoice"
                    and t.customer_name == customer_name
                    and t.total_amount - self._applied_to_invoice(t) > 0]
        return sorted(invoices, key=lambda t: (t.txn_date, t.txn_number))

    def _auto_apply(self, customer_name: str, total: Decimal) -> list[AppliedTxn]:
        open_invoices = self._open_invoices(customer_name)
        exact = next((t for t in open_invoices
                      if t.total_amount - self._applied_to_invoice(t) == total), None)
        if exact is not None:
            return [AppliedTxn(exact.txn_id, total)]
        applied: list[AppliedTxn] = []
        left = total
        for invoice in open_invoices:
            if left <= 0:
                break
            amount = min(left, invoice.total_amount - self._applied_to_invoice(invoice))
            applied.append(AppliedTxn(invoice.txn_id, amount))
            left -= amount
        return applied

    def _applications(self, add: etree._Element, customer_name: str) -> list[AppliedTxn]:
        """The AppliedToTxnAdd elements, checked against open balances (nothing is stored)."""
        applied: list[AppliedTxn] = []
        pending: dict[str, Decimal] = {}  # invoice / credit memo TxnID → applied so far here
        for node in add.findall("AppliedToTxnAdd"):
            txn_id = _text(node, "TxnID") or ""
            invoice = self._customer_txn(txn_id, "Invoice", customer_name)
            amount = _money(_decimal(node, "PaymentAmount") or Decimal(0))
            credits = self._set_credits(node, customer_name, pending)
            open_balance = invoice.total_amount - self._applied_to_invoice(invoice) \
                - pending.get(txn_id, Decimal(0))
            used = amount + sum((a for _, a in credits), Decimal(0))
            if used > open_balance:
                raise _StatusError(
                    STATUS_INVALID_VALUE,
                    f'The "{FIELD_PAYMENT_AMOUNT}" field has an invalid value '
                    f'"{_fmt_money(amount)}". QuickBooks error message: {MESSAGE_MORE_THAN_DUE}',
                )
            pending[txn_id] = pending.get(txn_id, Decimal(0)) + used
            applied.append(AppliedTxn(invoice.txn_id, amount, credits))
        return applied

    def _set_credits(
        self, parent: etree._Element, customer_name: str, pending: dict[str, Decimal],
    ) -> list[tuple[str, Decimal]]:
        """The SetCredit elements: credit memos of the customer (else 3120) with at least
        AppliedAmount left (else 3210, simulator's wording); ``pending`` counts what this
        request has set already."""
        credits: list[tuple[str, Decimal]] = []
        for node in parent.findall("SetCredit"):
            credit_id = _text(node, "CreditTxnID") or ""
            credit = self._customer_txn(credit_id, "CreditMemo", customer_name)
            amount = _money(_decimal(node, "AppliedAmount") or Decimal(0))
            available = self._credit_remaining(credit) - pending.get(credit_id, Decimal(0))
            if amount > available:
                raise _StatusError(
                    STATUS_INVALID_VALUE,
                    f'The "SetCredit applied amount" field has an invalid value '
                    f'"{_fmt_money(amount)}". QuickBooks error message: The credit applied '
                    f"is more than the credit available ({_fmt_money(available)}).",
                )
            pending[credit_id] = pending.get(credit_id, Decimal(0)) + amount
            credits.append((credit.txn_id, amount))
        return credits

    def _customer_txn(self, txn_id: str, kind: str, customer_name: str) -> Transaction:
        """The customer's transaction of that kind with that TxnID, else status 3120."""
        txn = self.find_transaction_by_id(txn_id)
        if txn is None or txn.kind != kind or txn.customer_name != customer_name:
            raise _object_not_found(txn_id)
        return txn

    def _new_money_txn(
        self, kind: str, txn_date: date, customer: Customer, total: Decimal,
        header: dict[str, object], applied: list[AppliedTxn], exchange_rate: Decimal,
    ) -> Transaction:
        """Store a payment or refund (every check has passed)."""
        self._keep_new_accounts(header)
        txn = self._store_txn(
            kind, txn_date,
            ref_number=header.pop("RefNumber", None),
            customer_name=customer.full_name,
            lines=[],
            subtotal=total,
            sales_tax_item=None,
            sales_tax_percentage=None,
            sales_tax_total=Decimal("0.00"),
            total_amount=total,
            memo=header.pop("Memo", None),
            fields=header,
            currency=customer.currency or self.home_currency,
            exchange_rate=exchange_rate,
        )
        self._link(txn, applied)
        return txn

    def _store_txn(self, kind: str, txn_date: date, **values: object) -> Transaction:
        """Give a new transaction its TxnID, number and times, and keep it."""
        now = self._now()
        self._txn_number += 1
        txn = Transaction(
            kind=kind, txn_id=self._new_txn_id(), txn_number=self._txn_number,
            time_created=now, edit_sequence=str(int(now.timestamp())), txn_date=txn_date,
            **values,  # type: ignore[arg-type]
        )
        self._transactions.append(txn)
        self._txn_by_id[txn.txn_id] = txn
        return txn

    def _link(self, txn: Transaction, applied: list[AppliedTxn]) -> None:
        """Record what ``txn`` applies (payments, refunds, credits set on an invoice)."""
        txn.applied = applied
        for application in applied:
            self._applied_to.setdefault(application.txn_id, []).append((txn, application))
            for credit_id in dict(application.credits):
                self._credit_set_by.setdefault(credit_id, []).append((txn, application))

    def _unlink(self, txn: Transaction) -> None:
        for index in (self._applied_to, self._credit_set_by):
            for key in list(index):
                index[key] = [(t, a) for t, a in index[key] if t is not txn]

    # -------------------------------------------------------------------------- voiding --

    def _txn_void(self, request: etree._Element) -> _Outcome:
        """TxnVoid: the transaction stays, its amounts become zero, its memo starts "VOID:".

        - TxnVoidType must be the kind of the TxnID (else 3120, as for any unknown TxnID).
          qbXML 13.0's TxnVoidType has no ReceivePayment (a payment is undone by TxnDel), so
          voiding a payment fails the schema: HRESULT 0x80040400, nothing processed.
        - A transaction dated on or before the closing date is 3171 (Intuit: "might or might
          not get an error, depending on the permissions and passwords"; the simulator is
          the company with a closing-date password).
        - An invoice with payments or credits on it, and a credit memo already set on an
          invoice or refunded, are refused with 3180 (simulator's wording): Intuit's TxnVoid
          page says voiding fails while a linked transaction is in use, and QuickBooks
          will not leave a payment applied to an invoice of zero. Remove the link first
          (TxnDel the payment, or void the refund). TxnDel refuses likewise.
        - Voiding a refund gives its amount back to the credit memo / payment it came from.
        - Voiding a void is a no-op answered with status 0.
        """
        txn = self._removable(request, "TxnVoidType", "voided")
        if not txn.is_voided:
            for line in txn.lines:
                line.amount = Decimal("0.00")
            for applied in txn.applied:
                applied.amount = Decimal("0.00")
                applied.credits = [(credit_id, Decimal("0.00")) for credit_id, _ in
                                   applied.credits]
            txn.subtotal = txn.sales_tax_total = txn.total_amount = Decimal("0.00")
            txn.memo = txn.fields["Memo"] = f"VOID: {txn.memo}" if txn.memo else "VOID:"
            txn.is_voided = True
            self._touch(txn)
        ret = etree.Element("TxnVoidRs")  # the group's elements go straight into the Rs
        _sub(ret, "TxnVoidType", txn.kind)
        _sub(ret, "TxnID", txn.txn_id)
        _sub(ret, "TimeCreated", _fmt_time(txn.time_created))
        _sub(ret, "TimeModified", _fmt_time(txn.time_modified or txn.time_created))
        if txn.ref_number is not None:
            _sub(ret, "RefNumber", txn.ref_number)
        return _Outcome(rets=list(ret))

    def _removable(self, request: etree._Element, type_tag: str, verb: str) -> Transaction:
        """The transaction a TxnVoid / TxnDel names, if nothing stands in the way (3120,
        3171, 3180 with the simulator's wording)."""
        txn_type = _text(request, type_tag) or ""
        txn_id = _text(request, "TxnID") or ""
        txn = self.find_transaction_by_id(txn_id)
        if txn is None or txn.kind != txn_type:
            raise _object_not_found(txn_id)
        self._check_closing_date(txn.txn_date, verb)
        linked = (txn.kind == "Invoice" and self._applied_to_invoice(txn) > 0) or (
            txn.kind == "CreditMemo" and self._credit_remaining(txn) < txn.total_amount) or (
            txn.kind == "ReceivePayment" and any(a.amount for _, a in
                                                 self._applications_to(txn.txn_id)))
        if linked and not txn.is_voided:
            raise _save_error(txn, "This transaction has payments, credits or refunds linked "
                                   f"to it. Remove them before it is {verb}.")
        return txn

    def _txn_del(self, request: etree._Element) -> _Outcome:
        """TxnDel: the transaction is gone; for a payment, the invoices it paid are open again
        (in qbXML 13.0 the way to undo a payment, which TxnVoid cannot name). Refused like
        TxnVoid: 3120, 3171, and 3180 while payments, credits or refunds are linked to it."""
        txn = self._removable(request, "TxnDelType", "deleted")
        self._transactions.remove(txn)
        del self._txn_by_id[txn.txn_id]
        self._unlink(txn)
        ret = etree.Element("TxnDelRs")
        _sub(ret, "TxnDelType", txn.kind)
        _sub(ret, "TxnID", txn.txn_id)
        _sub(ret, "TimeDeleted", _fmt_time(self._now()))
        if txn.ref_number is not None:
            _sub(ret, "RefNumber", txn.ref_number)
        return _Outcome(rets=list(ret))

    def _touch(self, txn: Transaction | ListRecord) -> None:
        """A change: TimeModified is now and the EditSequence moves on (never backwards)."""
        now = self._now()
        txn.time_modified = now
        txn.edit_sequence = str(max(int(txn.edit_sequence) + 1, int(now.timestamp())))

    # ---------------------------------------------------------------------------- mods --

    def _txn_mod(self, request: etree._Element) -> _Outcome:
        """InvoiceMod / SalesReceiptMod / SalesOrderMod, as the SDK documents a Mod.

        - TxnID must be a transaction of that kind (3120); EditSequence must be its current
          one, else 3200 'The provided edit sequence "…" is out-of-date.' (QuickBooks' text).
        - Header elements sent replace the stored ones; those not sent stay. In an address
          (BillAddress, ShipAddress) the same holds per part: a part not sent stays, one sent
          empty is cleared.
        - Lines: with no ``…LineMod`` the lines stay. With any, the transaction's lines become
          exactly the ones listed, in that order: TxnLineID -1 adds a line, an existing
          TxnLineID changes that line (a new Quantity / Rate without Amount recomputes the
          amount), a line not listed is deleted, an unknown TxnLineID is 3120.
        - The result is checked like an add (3140 references, 3171 closing date for the old
          and the new TxnDate) and priced again (line amounts, sales tax).
        - An invoice with payments or credits on it may not change customer, nor drop below
          what is applied; a voided transaction is not modified (both 3180, simulator's
          wording, as no QuickBooks answer for them was found). SetCredit in a Mod is ignored
          (530).
        """
        kind = request.tag[: -len("ModRq")]
        mod = request.find(f"{kind}Mod")
        txn_id = _text(mod, "TxnID") or ""
        txn = self.find_transaction_by_id(txn_id)
        if txn is None or txn.kind != kind:
            raise _object_not_found(txn_id)
        edit_sequence = _text(mod, "EditSequence") or ""
        if edit_sequence != txn.edit_sequence:
            raise _StatusError(STATUS_EDIT_SEQUENCE_OUT_OF_DATE,
                               f'The provided edit sequence "{edit_sequence}" is out-of-date.')
        if txn.is_voided:
            raise _save_error(txn, "The transaction is void.")
        self._check_closing_date(txn.txn_date, "modified")
        merged, kept_ids = self._merge_mod(kind, txn, mod)
        values, _, warnings = self._sales_values(kind, merged, "modified")
        if _child(mod, "SetCredit") is not None:
            warnings.insert(0, "SetCredit")
        applied = self._applied_to_invoice(txn) if kind == "Invoice" else Decimal(0)
        if applied and (values["customer_name"] != txn.customer_name
                        or values["total_amount"] < applied):  # type: ignore[operator]
            raise _save_error(txn, f"This transaction has payments or credits of "
                                   f"{_fmt_money(applied)} applied to it.")

        # All checks passed: from here on the company file changes.
        lines: list[TxnLine] = values["lines"]  # type: ignore[assignment]
        for line, kept in zip(lines, kept_ids, strict=True):
            if kept is not None:
                line.txn_line_id = kept
        values["ref_number"] = values["ref_number"] or txn.ref_number
        if _child(mod, "ExchangeRate") is None and values["currency"] == txn.currency:
            values["exchange_rate"] = txn.exchange_rate  # the rate stays unless sent
        self._keep_new_accounts(values["fields"])  # type: ignore[arg-type]
        for name, value in values.items():
            setattr(txn, name, value)
        self._touch(txn)
        return self._with_warnings(_Outcome(rets=[self._txn_ret(txn, include_lines=True)]),
                                   warnings)

    def _merge_mod(
        self, kind: str, txn: Transaction, mod: etree._Element,
    ) -> tuple[etree._Element, list[str | None]]:
        """The ``…Add`` the modified transaction amounts to, and per line the TxnLineID it
        keeps (None: a new line)."""
        merged = etree.Element(f"{kind}Add")
        sent = {node.tag for node in mod}
        for tag in (*_RET_ORDER[kind], *_UNSUPPORTED_US_FIELDS):
            if tag in sent and tag in ("BillAddress", "ShipAddress"):
                # an address's parts not sent stay; one sent empty is cleared
                address = dict(txn.fields.get(tag) or {})  # type: ignore[arg-type]
                for part in mod.find(tag):
                    value = _text(mod.find(tag), part.tag)
                    if value:
                        address[part.tag] = value
                    else:
                        address.pop(part.tag, None)
                _write_address(merged, tag, address)
            elif tag in sent:
                for node in mod.findall(tag):
                    merged.append(copy.deepcopy(node))
            elif tag == "TxnDate":
                _sub(merged, tag, txn.txn_date.isoformat())
            elif tag == "RefNumber" and txn.ref_number is not None:
                _sub(merged, tag, txn.ref_number)
            elif tag == "ARAccountRef" and "CustomerRef" in sent and self.company.multicurrency:
                continue  # another customer may bill in another currency: its A/R account
            elif tag in ("BillAddress", "ShipAddress"):
                _write_address(merged, tag, txn.fields.get(tag))
            elif tag.endswith("Ref") and isinstance(txn.fields.get(tag), ListRecord):
                ref = _sub(merged, tag)
                _sub(ref, "ListID", txn.fields[tag].list_id)  # type: ignore[union-attr]
            elif tag in _TXN_TEXT_FIELDS and tag in txn.fields:
                _sub(merged, tag, str(txn.fields[tag]))
        line_mods = mod.findall(f"{kind}LineMod")
        by_id = {line.txn_line_id: line for line in txn.lines}
        kept: list[str | None] = []
        if not line_mods:
            for line in txn.lines:
                merged.append(self._line_as_add(kind, line, None))
                kept.append(line.txn_line_id)
            return merged, kept
        for node in line_mods:
            line_id = _text(node, "TxnLineID") or ""
            if line_id == "-1":
                add = self._line_as_add(kind, None, node)
                kept.append(None)
            elif line_id in by_id:
                add = self._line_as_add(kind, by_id[line_id], node)
                kept.append(line_id)
            else:
                raise _object_not_found(line_id)
            merged.append(add)
        return merged, kept

    def _line_as_add(
        self, kind: str, line: TxnLine | None, mod: etree._Element | None,
    ) -> etree._Element:
        """A ``…LineAdd`` for a stored line (amount kept) with a LineMod's elements over it."""
        add = etree.Element(f"{kind}LineAdd")
        sent = {node.tag for node in mod if node.tag != "TxnLineID"} if mod is not None \
            else set()
        if line is not None:
            repriced = bool(sent & {"Quantity", "Rate", "RatePercent"}) and "Amount" not in sent
            item = self._items.get(line.item_name)
            stored: dict[str, str | ListRecord | None] = {
                "ItemRef": item,  # type: ignore[dict-item]
                "Desc": line.description,
                "Quantity": _fmt_price(line.quantity) if line.quantity is not None else None,
                "Rate": _fmt_price(line.rate) if line.rate is not None else None,
                "RatePercent": _fmt_price(line.rate_percent)
                if line.rate_percent is not None else None,
                "Amount": None if repriced else _fmt_money(line.amount),
                "SalesTaxCodeRef": self._tax_codes.get(line.sales_tax_code),  # type: ignore
            }
            if sent & {"Rate", "RatePercent"}:
                stored["Rate"] = stored["RatePercent"] = None
            stored.update({k: str(v) for k, v in line.fields.items()})
            for tag, value in stored.items():
                if tag in sent or value is None:
                    continue
                if isinstance(value, ListRecord):
                    _sub(_sub(add, tag), "ListID", value.list_id)
                else:
                    _sub(add, tag, value)
        if mod is not None:
            for node in mod:
                if node.tag != "TxnLineID":
                    add.append(copy.deepcopy(node))
        return add


def _supported_versions(major: int, minor: int) -> list[str]:
    """The qbXML versions a US QuickBooks of that level lists in HostRet."""
    known = ["1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0",
             "9.0", "10.0", "11.0", "12.0", "13.0", "14.0", "15.0", "16.0", "17.0"]
    result = []
    for version in known:
        v_major, v_minor = (int(x) for x in version.split("."))
        if (v_major, v_minor) <= (major, minor):
            result.append(version)
    return result


_HANDLERS: dict[str, Callable[[QuickBooksSimulator, etree._Element], _Outcome]] = {
    "CustomerAddRq": QuickBooksSimulator._customer_add,
    "CustomerQueryRq": QuickBooksSimulator._customer_query,
    "CustomerModRq": QuickBooksSimulator._customer_mod,
    "CurrencyQueryRq": QuickBooksSimulator._currency_query,
    "ItemQueryRq": QuickBooksSimulator._item_query,
    "ItemNonInventoryAddRq": QuickBooksSimulator._item_add,
    "ItemServiceAddRq": QuickBooksSimulator._item_add,
    "ItemOtherChargeAddRq": QuickBooksSimulator._item_add,
    "ItemDiscountAddRq": QuickBooksSimulator._item_add,
    "ItemSalesTaxAddRq": QuickBooksSimulator._item_add,
    "AccountQueryRq": QuickBooksSimulator._account_query,
    "ItemSalesTaxQueryRq": QuickBooksSimulator._item_sales_tax_query,
    "SalesTaxCodeQueryRq": QuickBooksSimulator._sales_tax_code_query,
    "ClassQueryRq": QuickBooksSimulator._class_query,
    "PaymentMethodQueryRq": QuickBooksSimulator._payment_method_query,
    "InvoiceAddRq": QuickBooksSimulator._txn_add,
    "ReceivePaymentAddRq": QuickBooksSimulator._receive_payment_add,
    "ReceivePaymentQueryRq": QuickBooksSimulator._txn_query,
    "SalesReceiptAddRq": QuickBooksSimulator._txn_add,
    "SalesOrderAddRq": QuickBooksSimulator._txn_add,
    "InvoiceQueryRq": QuickBooksSimulator._txn_query,
    "SalesReceiptQueryRq": QuickBooksSimulator._txn_query,
    "SalesOrderQueryRq": QuickBooksSimulator._txn_query,
    "CreditMemoAddRq": QuickBooksSimulator._txn_add,
    "CreditMemoQueryRq": QuickBooksSimulator._txn_query,
    "ARRefundCreditCardAddRq": QuickBooksSimulator._ar_refund_add,
    "ARRefundCreditCardQueryRq": QuickBooksSimulator._txn_query,
    "TxnVoidRq": QuickBooksSimulator._txn_void,
    "TxnDelRq": QuickBooksSimulator._txn_del,
    "InvoiceModRq": QuickBooksSimulator._txn_mod,
    "SalesReceiptModRq": QuickBooksSimulator._txn_mod,
    "SalesOrderModRq": QuickBooksSimulator._txn_mod,
    "HostQueryRq": QuickBooksSimulator._host_query,
    "CompanyQueryRq": QuickBooksSimulator._company_query,
    "PreferencesQueryRq": QuickBooksSimulator._preferences_query,
}
