"""qbXML 13.0 requests built with lxml, in exactly the element order Intuit's schema requires.

QuickBooks answers a misordered or malformed request only with "QuickBooks found an error when
parsing the provided XML text stream" (HRESULT 0x80040400), for the whole message set. So every
builder here follows the ``xsd:sequence`` of ``qbxmlops130.xsd`` element by element (reference
notes sections 5, 7 and 8), omits what is empty instead of sending it empty, formats numbers as
the schema's patterns demand (``AMTTYPE``: exactly two decimals; ``PRICETYPE``/``QUANTYPE``: at
most five, never an exponent), and escapes text exactly as lxml serialises it. The tests
validate every request against the XSD.

Requests are written as text (``…_xml``; a write set carries 250 orders of some 50 elements
each, and building them as lxml elements cost more than mapping the orders): the same bytes
lxml writes for the same tree, which ``message_set`` joins as they are. The element builders
(``transaction_add``…) parse that text, for callers that read or combine elements.

Builders take the already-fitted records of ``mapping``; they do not shorten or transliterate
(a reference must use exactly the name the customer or item was created with) but refuse, with
``ValueError``, a string that is too long or not Latin-1: that is a bug upstream, and sending it
would fail the whole message set.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from ..documents import to_cents
from . import limits
from .records import (
    CardRefund,
    CustomerRecord,
    ItemKind,
    ItemRecord,
    QbAddress,
    ReceivedPayment,
    Transaction,
    TransactionLine,
    TxnKind,
)

#: the XML declaration QuickBooks expects (double quotes, lower-case utf-8; qbwc#69)
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
#: the processing instruction naming the qbXML spec the request is validated against
QBXML_PI_TARGET = "qbxml"
DEFAULT_VERSION = "13.0"
#: ``QBXMLMsgsRq/@onError`` values; ``rollbackOnError`` is in the schema but not honoured by
#: QuickBooks Desktop, so we never offer it
STOP_ON_ERROR = "stopOnError"
CONTINUE_ON_ERROR = "continueOnError"
ON_ERROR_VALUES = (STOP_ON_ERROR, CONTINUE_ON_ERROR)
#: US default sales tax codes (``SalesTaxCodeRef`` FullName, ``limits.SALES_TAX_CODE``)
TAXABLE_CODE = "Tax"
NON_TAXABLE_CODE = "Non"
#: ``IncludeRetElement`` values: enough of each record to confirm a match and store its IDs
TXN_ADD_RET_ELEMENTS = ("TxnID", "EditSequence", "TxnDate", "RefNumber", "ExternalGUID")
LIST_RET_ELEMENTS = ("ListID", "EditSequence", "Name", "FullName", "IsActive")
_TXN_QUERY_RET_COMMON = ("TxnID", "EditSequence", "TxnDate", "RefNumber", "CustomerRef",
                         "Subtotal", "SalesTaxTotal")
TXN_QUERY_RET_ELEMENTS: dict[TxnKind, tuple[str, ...]] = {
    # InvoiceRet has no TotalAmount: the total is Subtotal + SalesTaxTotal
    TxnKind.INVOICE: (*_TXN_QUERY_RET_COMMON, "Memo", "ExternalGUID"),
    TxnKind.SALES_RECEIPT: (*_TXN_QUERY_RET_COMMON, "TotalAmount", "Memo", "ExternalGUID"),
    TxnKind.SALES_ORDER: (*_TXN_QUERY_RET_COMMON, "TotalAmount", "Memo", "ExternalGUID"),
    TxnKind.CREDIT_MEMO: (*_TXN_QUERY_RET_COMMON, "TotalAmount", "Memo", "ExternalGUID"),
}

#: digits before the decimal point that AMTTYPE (13) and PRICETYPE/QUANTYPE (10) allow
AMOUNT_INTEGER_DIGITS = 13
PRICE_INTEGER_DIGITS = 10
_FIVE_PLACES = Decimal("0.00001")
_VERSION_PATTERN = re.compile(r"[0-9]{1,2}\.[0-9]")


# --- the envelope -------------------------------------------------------------------------


def message_set(
    requests: Iterable[etree._Element | str],
    *,
    on_error: str = CONTINUE_ON_ERROR,
    version: str = DEFAULT_VERSION,
    new_message_set_id: str | None = None,
    old_message_set_id: str | None = None,
) -> bytes:
    """Wrap ``…Rq`` requests (elements, or the text of the ``…_xml`` builders) in
    ``<QBXML><QBXMLMsgsRq>`` with both declarations, as UTF-8 bytes: what lxml writes for the
    same tree."""
    if on_error not in ON_ERROR_VALUES:
        raise ValueError(f"on_error must be one of {ON_ERROR_VALUES}, not {on_error!r}")
    if not _VERSION_PATTERN.fullmatch(version):
        raise ValueError(f"{version!r} is not a qbXML version such as 13.0")
    # attribute order as in Intuit's samples: oldMessageSetID, newMessageSetID, onError
    attributes = "".join(f' {name}="{_attribute(value)}"' for name, value in (
        ("oldMessageSetID", old_message_set_id), ("newMessageSetID", new_message_set_id),
        ("onError", on_error)) if value)
    body = []
    for request in requests:
        if isinstance(request, str):
            match = _REQUEST_TAG.match(request)
            tag, xml = (match.group(1) if match else request[:20]), request
        else:
            tag, xml = request.tag, etree.tostring(request, encoding="unicode")
        if not tag.endswith("Rq"):
            raise ValueError(f"<{tag}> is not a qbXML request")
        body.append(xml)
    msgs = (f"<QBXMLMsgsRq{attributes}>{''.join(body)}</QBXMLMsgsRq>" if body
            else f"<QBXMLMsgsRq{attributes}/>")
    return XML_DECLARATION + (f'<?{QBXML_PI_TARGET} version="{version}"?><QBXML>{msgs}'
                              "</QBXML>").encode()


# --- transactions ---------------------------------------------------------------------------


def transaction_add(txn: Transaction, request_id: str) -> etree._Element:
    """``InvoiceAddRq`` / ``SalesReceiptAddRq`` / ``SalesOrderAddRq`` for one mapped order, or
    ``CreditMemoAddRq`` for a refund of one."""
    return _element(transaction_add_xml(txn, request_id))


def transaction_add_xml(txn: Transaction, request_id: str) -> str:
    """``transaction_add`` as text."""
    kind = TxnKind(txn.kind)
    if not txn.lines:
        raise ValueError(f"order {txn.order_number}: a transaction needs at least one line")
    out = [_open_request(f"{kind}AddRq", request_id), f"<{kind}Add>"]
    _ref(out, "CustomerRef", txn.customer_name, limits.CUSTOMER_FULL_NAME, required=True)
    _ref(out, "ClassRef", txn.class_name, limits.FULL_NAME_REF)
    if kind in (TxnKind.INVOICE, TxnKind.CREDIT_MEMO):
        _ref(out, "ARAccountRef", txn.ar_account, limits.FULL_NAME_REF)
    _leaf(out, "TxnDate", _date(txn.txn_date))
    _string(out, "RefNumber", txn.ref_number, limits.REF_NUMBER)
    _address(out, "BillAddress", txn.bill_address)
    _address(out, "ShipAddress", txn.ship_address)
    _ref(out, "ItemSalesTaxRef", txn.item_sales_tax, limits.ITEM_SALES_TAX_REF)
    _string(out, "Memo", txn.memo, limits.MEMO)
    if kind == TxnKind.SALES_RECEIPT:
        _ref(out, "DepositToAccountRef", txn.deposit_to_account, limits.FULL_NAME_REF)
    _exchange_rate(out, txn.exchange_rate)
    _leaf(out, "ExternalGUID", txn.guid or external_guid(txn.order_id))
    line_tag = f"{kind}LineAdd"
    for line in txn.lines:
        out.append(f"<{line_tag}>")
        _ref(out, "ItemRef", line.item_name, limits.FULL_NAME_REF, required=True)
        _string(out, "Desc", line.description, limits.LINE_DESC)
        if line.quantity is not None:
            _leaf(out, "Quantity", format_quantity(line.quantity))
        rate = sent_rate(line)
        if rate is not None:
            _leaf(out, "Rate", rate)
        _leaf(out, "Amount", format_amount(line.amount))
        code = sales_tax_code(line)
        if code:
            _ref(out, "SalesTaxCodeRef", code, limits.SALES_TAX_CODE)
        out.append(f"</{line_tag}>")
    out.append(f"</{kind}Add>")
    out.append(_TXN_ADD_RET)
    out.append(f"</{kind}AddRq>")
    return "".join(out)


def sent_rate(line: TransactionLine) -> str | None:
    """The ``Rate`` a line is sent with, or None. With Quantity and Amount, QuickBooks derives
    the rate; a rate that does not give the same amount would contradict it, so it is left
    out."""
    if line.rate is None or (line.quantity is not None
                             and to_cents(line.quantity * line.rate) != to_cents(line.amount)):
        return None
    return format_price(line.rate)


def sales_tax_code(line: TransactionLine) -> str:
    """The line's ``SalesTaxCodeRef`` (Tax / Non); empty leaves the item's own code."""
    if line.taxable is None:
        return ""
    return TAXABLE_CODE if line.taxable else NON_TAXABLE_CODE


def transaction_query_by_ref(
    kind: TxnKind, ref_numbers: Sequence[str], request_id: str
) -> etree._Element:
    """``InvoiceQueryRq`` (etc.) by RefNumber, returning what confirms a match.

    QuickBooks does not enforce unique RefNumbers, so the answer may hold several records;
    compare Memo, ExternalGUID, date and total before treating one as ours.
    """
    kind = TxnKind(kind)
    return _query_by_ref(f"{kind}QueryRq", ref_numbers, request_id, limits.REF_NUMBER,
                         TXN_QUERY_RET_ELEMENTS[kind])


# --- updates of a transaction after an edit in Saleor (qbxml/edits.py) -----------------------

#: what a query by TxnID before an update, and the update itself, return
TXN_MOD_RET_ELEMENTS = ("TxnID", "EditSequence", "RefNumber", "BillAddress", "ShipAddress")
_ADDRESS_LIMITS = {**{f"Addr{i}": limits.ADDRESS_LINE for i in range(1, 6)},
                   "City": limits.CITY, "State": limits.STATE,
                   "PostalCode": limits.POSTAL_CODE, "Country": limits.COUNTRY}
#: the header aggregates a Mod may carry here, in the order of InvoiceMod, SalesReceiptMod and
#: SalesOrderMod (after TxnID and EditSequence, CustomerRef…RefNumber, which we never send)
_MOD_AGGREGATES = ("BillAddress", "ShipAddress")


def transaction_query_by_id(kind: str, txn_ids: Sequence[str], request_id: str
                            ) -> etree._Element:
    """``InvoiceQueryRq`` (etc.) by TxnID: each transaction's EditSequence and header."""
    kind = TxnKind(kind)
    tag = f"{kind}QueryRq"
    out = [_open_request(tag, request_id)]
    for txn_id in _unique(txn_ids, "txn_ids"):
        _string(out, "TxnID", txn_id, limits.ID, required=True)
    out += [_ret_elements(TXN_MOD_RET_ELEMENTS), f"</{tag}>"]
    return _element("".join(out))


def transaction_mod(kind: str, txn_id: str, edit_sequence: str,
                    aggregates: Sequence[tuple[str, Sequence[tuple[str, str]]]],
                    request_id: str) -> etree._Element:
    """``InvoiceModRq`` / ``SalesReceiptModRq`` / ``SalesOrderModRq`` of header aggregates
    only (``BillAddress``, ``ShipAddress``): each as (part, value) pairs in the schema's order,
    an empty value clearing that part. Lines and everything else stay as they are."""
    kind = TxnKind(kind)
    if kind not in (TxnKind.INVOICE, TxnKind.SALES_RECEIPT, TxnKind.SALES_ORDER):
        raise ValueError(f"a {kind} is not updated after an edit")
    sent = dict(aggregates)
    if not sent or set(sent) - set(_MOD_AGGREGATES):
        raise ValueError(f"an update carries some of {', '.join(_MOD_AGGREGATES)}; got "
                         f"{', '.join(sent) or 'nothing'}")
    out = [_open_request(f"{kind}ModRq", request_id), f"<{kind}Mod>"]
    _string(out, "TxnID", txn_id, limits.ID, required=True)
    _string(out, "EditSequence", edit_sequence, limits.EDIT_SEQUENCE, required=True)
    for tag in _MOD_AGGREGATES:
        if tag not in sent:
            continue
        out.append(f"<{tag}>")
        order = list(_ADDRESS_LIMITS)
        for part, value in sorted(sent[tag], key=lambda pair: order.index(pair[0])):
            out.append(f"<{part}>{_text(_checked(part, value, _ADDRESS_LIMITS[part]))}</{part}>")
        out.append(f"</{tag}>")
    out += [f"</{kind}Mod>", _ret_elements(TXN_MOD_RET_ELEMENTS), f"</{kind}ModRq>"]
    return _element("".join(out))


# --- payments -------------------------------------------------------------------------------

PAYMENT_RET_ELEMENTS = ("TxnID", "EditSequence", "TxnDate", "RefNumber", "CustomerRef",
                        "TotalAmount", "Memo", "ExternalGUID")


def receive_payment_add(payment: ReceivedPayment, request_id: str) -> etree._Element:
    """``ReceivePaymentAddRq``: part of a Saleor payment, applied to the order's invoice."""
    if payment.amount <= 0:
        raise ValueError(f"order {payment.order_number}: a payment must be above zero")
    out = [_open_request("ReceivePaymentAddRq", request_id), "<ReceivePaymentAdd>"]
    _ref(out, "CustomerRef", payment.customer_name, limits.CUSTOMER_FULL_NAME, required=True)
    _ref(out, "ARAccountRef", payment.ar_account, limits.FULL_NAME_REF)
    _leaf(out, "TxnDate", _date(payment.txn_date))
    _string(out, "RefNumber", payment.ref_number, limits.PAYMENT_REF_NUMBER)
    _leaf(out, "TotalAmount", format_amount(payment.amount))
    _exchange_rate(out, payment.exchange_rate)
    _ref(out, "PaymentMethodRef", payment.payment_method, limits.FULL_NAME_REF)
    _string(out, "Memo", payment.memo, limits.MEMO)
    _ref(out, "DepositToAccountRef", payment.deposit_to_account, limits.FULL_NAME_REF)
    _leaf(out, "ExternalGUID", payment.external_guid)
    out.append("<AppliedToTxnAdd>")
    _string(out, "TxnID", payment.invoice_txn_id, limits.ID, required=True)
    _leaf(out, "PaymentAmount", format_amount(payment.amount))
    out += ["</AppliedToTxnAdd>", "</ReceivePaymentAdd>", _TXN_ADD_RET,
            "</ReceivePaymentAddRq>"]
    return _element("".join(out))


def card_refund_add(refund: CardRefund, request_id: str) -> etree._Element:
    """``ARRefundCreditCardAddRq``: money given back against a credit memo."""
    if refund.amount <= 0:
        raise ValueError(f"order {refund.order_number}: a refund must be above zero")
    out = [_open_request("ARRefundCreditCardAddRq", request_id), "<ARRefundCreditCardAdd>"]
    _ref(out, "CustomerRef", refund.customer_name, limits.CUSTOMER_FULL_NAME, required=True)
    _ref(out, "RefundFromAccountRef", refund.refund_from_account, limits.FULL_NAME_REF)
    _ref(out, "ARAccountRef", refund.ar_account, limits.FULL_NAME_REF)
    _leaf(out, "TxnDate", _date(refund.txn_date))
    _string(out, "RefNumber", refund.ref_number, limits.REF_NUMBER)
    _ref(out, "PaymentMethodRef", refund.payment_method, limits.FULL_NAME_REF)
    _string(out, "Memo", refund.memo, limits.MEMO)
    _exchange_rate(out, refund.exchange_rate)
    _leaf(out, "ExternalGUID", refund.external_guid)
    out.append("<RefundAppliedToTxnAdd>")
    _string(out, "TxnID", refund.credit_memo_txn_id, limits.ID, required=True)
    _leaf(out, "RefundAmount", format_amount(refund.amount))
    out += ["</RefundAppliedToTxnAdd>", "</ARRefundCreditCardAdd>", _TXN_ADD_RET,
            "</ARRefundCreditCardAddRq>"]
    return _element("".join(out))


def follow_up_query_by_ref(kind: str, ref_numbers: Sequence[str], request_id: str
                           ) -> etree._Element:
    """``CreditMemoQueryRq`` / ``ARRefundCreditCardQueryRq`` by RefNumber (not unique in
    QuickBooks: compare the ExternalGUID before treating one as ours)."""
    return _query_by_ref(f"{kind}QueryRq", ref_numbers, request_id, limits.REF_NUMBER,
                         PAYMENT_RET_ELEMENTS)


def txn_void(kind: str, txn_id: str, request_id: str) -> etree._Element:
    """``TxnVoidRq``: the transaction stays in QuickBooks at zero, marked "VOID:"."""
    out = [_open_request("TxnVoidRq", request_id)]
    _leaf(out, "TxnVoidType", kind)
    _string(out, "TxnID", txn_id, limits.ID, required=True)
    out.append("</TxnVoidRq>")
    return _element("".join(out))


def payment_query_by_ref(ref_numbers: Sequence[str], request_id: str) -> etree._Element:
    """``ReceivePaymentQueryRq`` by RefNumber (not unique in QuickBooks: compare the
    ExternalGUID before treating one as ours)."""
    return _query_by_ref("ReceivePaymentQueryRq", ref_numbers, request_id,
                         limits.PAYMENT_REF_NUMBER, PAYMENT_RET_ELEMENTS)


def _query_by_ref(tag: str, ref_numbers: Sequence[str], request_id: str, limit: int,
                  ret_elements: Sequence[str]) -> etree._Element:
    """A transaction query by RefNumbers (each at most ``limit`` long), returning
    ``ret_elements``."""
    out = [_open_request(tag, request_id)]
    for ref in _unique(ref_numbers, "ref_numbers"):
        _string(out, "RefNumber", ref, limit, required=True)
    out += [_ret_elements(ret_elements), f"</{tag}>"]
    return _element("".join(out))


# --- lists ----------------------------------------------------------------------------------


def customer_add(customer: CustomerRecord, request_id: str) -> etree._Element:
    """``CustomerAddRq``: the name plus whatever contact details the order had."""
    return _element(customer_add_xml(customer, request_id))


def customer_add_xml(customer: CustomerRecord, request_id: str) -> str:
    """``customer_add`` as text."""
    out = [_open_request("CustomerAddRq", request_id), "<CustomerAdd>"]
    _string(out, "Name", customer.name, limits.CUSTOMER_NAME, required=True)
    _string(out, "CompanyName", customer.company_name, limits.COMPANY_NAME)
    _string(out, "FirstName", customer.first_name, limits.PERSON_NAME)
    _string(out, "LastName", customer.last_name, limits.PERSON_NAME)
    _address(out, "BillAddress", customer.bill_address)
    _address(out, "ShipAddress", customer.ship_address)
    _string(out, "Phone", customer.phone, limits.PHONE)
    _string(out, "Email", customer.email, limits.EMAIL)
    _ref(out, "CurrencyRef", customer.currency, limits.FULL_NAME_REF)
    out.append("</CustomerAdd>")
    out.append(_LIST_RET)
    out.append("</CustomerAddRq>")
    return "".join(out)


def customer_query(names: Sequence[str], request_id: str) -> etree._Element:
    """``CustomerQueryRq`` by FullName. If only some exist QuickBooks answers status 500 with
    the ones it found; the others are absent."""
    return _list_query("CustomerQueryRq", names, request_id, limits.CUSTOMER_FULL_NAME)


def item_query(names: Sequence[str], request_id: str) -> etree._Element:
    """``ItemQueryRq`` by FullName, any item type (the answer's ``…Ret`` tag says which)."""
    return _list_query("ItemQueryRq", names, request_id, limits.FULL_NAME_REF)


def account_query(names: Sequence[str], request_id: str) -> etree._Element:
    """``AccountQueryRq`` by FullName (inactive accounts are returned too: check IsActive)."""
    return _list_query("AccountQueryRq", names, request_id, limits.FULL_NAME_REF)


def item_sales_tax_query(names: Sequence[str], request_id: str) -> etree._Element:
    """``ItemSalesTaxQueryRq`` by FullName; a sales tax item's Ret carries Name, not FullName."""
    return _list_query("ItemSalesTaxQueryRq", names, request_id, limits.ITEM_SALES_TAX_REF)


def currency_query(request_id: str) -> etree._Element:
    """``CurrencyQueryRq`` for the whole currency list, inactive currencies too (a few dozen
    entries): what each currency is called in QuickBooks and whether it is active."""
    out = [_open_request("CurrencyQueryRq", request_id), "<ActiveStatus>All</ActiveStatus>",
           _ret_elements(("Name", "IsActive", "CurrencyCode")), "</CurrencyQueryRq>"]
    return _element("".join(out))


def item_add(item: ItemRecord, request_id: str) -> etree._Element:
    """``ItemNonInventoryAddRq`` / ``ItemOtherChargeAddRq`` posting sales to ``item.account``.

    No price: every line we send carries its own amount.
    """
    return _element(item_add_xml(item, request_id))


def item_add_xml(item: ItemRecord, request_id: str) -> str:
    """``item_add`` as text."""
    kind = ItemKind(item.kind)
    out = [_open_request(f"{kind}AddRq", request_id), f"<{kind}Add>"]
    _string(out, "Name", item.name, limits.ITEM_NAME, required=True)
    out.append("<SalesOrPurchase>")
    _string(out, "Desc", item.description, limits.LINE_DESC)
    _ref(out, "AccountRef", item.account, limits.FULL_NAME_REF, required=True)
    out.append("</SalesOrPurchase>")
    out.append(f"</{kind}Add>")
    out.append(_LIST_RET)
    out.append(f"</{kind}AddRq>")
    return "".join(out)


# --- values ---------------------------------------------------------------------------------


def format_amount(value: Decimal) -> str:
    """AMTTYPE: rounded half up to cents, exactly two decimals (``5.00``, ``-3.10``)."""
    cents = to_cents(Decimal(value))
    if cents == 0:
        cents = abs(cents)
    result = f"{cents:.2f}"
    if len(result.lstrip("-").split(".")[0]) > AMOUNT_INTEGER_DIGITS:
        raise ValueError(f"{value} is too large for a QuickBooks amount")
    return result


def format_price(value: Decimal) -> str:
    """PRICETYPE/QUANTYPE: at most five decimals, trailing zeros dropped, no exponent."""
    rounded = Decimal(value).quantize(_FIVE_PLACES, rounding=ROUND_HALF_UP).normalize()
    if rounded == 0:
        rounded = Decimal(0)
    result = format(rounded, "f")
    if len(result.lstrip("-").split(".")[0]) > PRICE_INTEGER_DIGITS:
        raise ValueError(f"{value} is too large for a QuickBooks price or quantity")
    return result


format_quantity = format_price


def format_rate(value: Decimal) -> str:
    """An exchange rate (FLOATTYPE): home currency per unit, as given, no exponent."""
    rate = Decimal(value)
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"{value} is not an exchange rate")
    return format(rate.normalize(), "f")


def external_guid(order_id: str) -> str:
    """``{uuid}`` for a Saleor order UUID; empty (so omitted) when it is not a UUID."""
    try:
        return "{" + str(uuid.UUID(order_id)) + "}"
    except (ValueError, TypeError, AttributeError):
        return ""


def _exchange_rate(out: list[str], rate: Decimal | None) -> None:
    if rate is not None:
        _leaf(out, "ExchangeRate", format_rate(rate))


def _date(value: date) -> str:
    return value.isoformat()


# --- text helpers ---------------------------------------------------------------------------
# Each appends to ``out``, the pieces of one request's text, what lxml writes for the element
# it stands for: ``&``, ``<``, ``>`` and a carriage return escaped in text, and in attributes
# also ``"`` and the other whitespace; characters XML cannot carry are refused (``ValueError``).

_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTRIBUTE_ESCAPES = {**_TEXT_ESCAPES, '"': "&quot;", "\t": "&#9;", "\n": "&#10;"}
#: what ``_text`` must look at: escapes, and characters XML 1.0 forbids (lxml refuses them)
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r]')
#: the tag a request's text opens with
_REQUEST_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)[\s/>]")


def _text(value: str) -> str:
    if _TEXT_SPECIAL.search(value) is None:
        return value  # the common case
    if _NOT_XML.search(value):
        raise ValueError(f"XML cannot carry the control characters of {value!r}")
    return "".join(_TEXT_ESCAPES.get(char, char) for char in value)


def _attribute(value: str) -> str:
    if _NOT_XML.search(value):
        raise ValueError(f"XML cannot carry the control characters of {value!r}")
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return "".join(_ATTRIBUTE_ESCAPES.get(char, char) for char in value)


def _element(xml: str) -> etree._Element:
    """A request's text as an element (our own text: no DTD, nothing to resolve)."""
    return etree.fromstring(xml)


def _open_request(tag: str, request_id: str) -> str:
    request_id = str(request_id)
    if not request_id or len(request_id) > limits.REQUEST_ID:
        raise ValueError(f"requestID must be 1 to {limits.REQUEST_ID} characters: {request_id!r}")
    return f'<{tag} requestID="{_attribute(request_id)}">'


def _leaf(out: list[str], tag: str, value: str) -> None:
    if value:
        out.append(f"<{tag}>{_text(value)}</{tag}>")


def _ret_elements(names: Iterable[str]) -> str:
    return "".join(f"<IncludeRetElement>{name}</IncludeRetElement>" for name in names)


_TXN_ADD_RET = _ret_elements(TXN_ADD_RET_ELEMENTS)
_LIST_RET = _ret_elements(LIST_RET_ELEMENTS)


def _checked(tag: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(f"<{tag}> allows {limit} characters; got {len(value)}: {value!r}")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"<{tag}> must be Latin-1 text for QuickBooks: {value!r}") from None
    return value


def _string(
    out: list[str], tag: str, value: str | None, limit: int, *, required: bool = False
) -> None:
    if not value:
        if required:
            raise ValueError(f"<{tag}> must not be empty")
        return
    _leaf(out, tag, _checked(tag, value, limit))


def _ref(
    out: list[str], tag: str, full_name: str | None, limit: int, *, required: bool = False
) -> None:
    """A list reference by FullName (``<XRef><FullName>…</FullName></XRef>``)."""
    if not full_name:
        if required:
            raise ValueError(f"<{tag}> needs a name")
        return
    name = _text(_checked(f"{tag}/FullName", full_name, limit))
    out.append(f"<{tag}><FullName>{name}</FullName></{tag}>")


def _address(out: list[str], tag: str, address: QbAddress | None) -> None:
    if address is None:
        return
    fields = [(f"Addr{i}", line, limits.ADDRESS_LINE)
              for i, line in enumerate(address.lines[:limits.ADDRESS_LINES], start=1)]
    fields += [
        ("City", address.city, limits.CITY),
        ("State", address.state, limits.STATE),
        ("PostalCode", address.postal_code, limits.POSTAL_CODE),
        ("Country", address.country, limits.COUNTRY),
    ]
    if not any(value for _, value, _ in fields):
        return
    out.append(f"<{tag}>")
    for name, value, limit in fields:
        _string(out, name, value, limit)
    out.append(f"</{tag}>")


def _unique(values: Sequence[str], what: str) -> list[str]:
    if isinstance(values, str):
        raise TypeError(f"{what} must be a list of strings, not one string")
    unique = list(dict.fromkeys(v for v in values if v))
    if not unique:
        # an empty choice would make QuickBooks return every record of the list
        raise ValueError(f"{what} must name at least one record")
    return unique


def _list_query(tag: str, names: Sequence[str], request_id: str, limit: int) -> etree._Element:
    out = [_open_request(tag, request_id)]
    for name in _unique(names, "names"):
        _string(out, "FullName", name, limit, required=True)
    out.append(_LIST_RET)
    out.append(f"</{tag}>")
    return _element("".join(out))


#: what a list query asks each record for: what our list tables keep (``quickbooks_lists``),
#: and no more, so 1,000 customers fit an answer of a few hundred KB
LIST_PULL_RET_ELEMENTS = {
    "CustomerQueryRq": ("ListID", "TimeModified", "EditSequence", "Name", "FullName",
                        "IsActive", "Email", "CurrencyRef"),
    "ItemQueryRq": ("ListID", "TimeModified", "EditSequence", "Name", "FullName", "IsActive",
                    "ItemDesc", "SalesOrPurchase", "SalesAndPurchase", "AccountRef",
                    "IncomeAccountRef", "TaxRate"),
    "AccountQueryRq": ("ListID", "TimeModified", "EditSequence", "Name", "FullName",
                       "IsActive", "AccountType", "CurrencyRef"),
    "SalesTaxCodeQueryRq": ("ListID", "TimeModified", "EditSequence", "Name", "IsActive",
                            "IsTaxable", "Desc"),
    "ClassQueryRq": ("ListID", "TimeModified", "EditSequence", "Name", "FullName", "IsActive"),
    "PaymentMethodQueryRq": ("ListID", "TimeModified", "EditSequence", "Name", "IsActive",
                             "PaymentMethodType"),
}
#: list queries that take an iterator (qbXML 13.0: the others have no ``iterator`` attribute)
ITERATOR_QUERIES = frozenset({"CustomerQueryRq", "ItemQueryRq"})


def list_pull_query(tag: str, request_id: str, *, since: datetime | None = None,
                    max_returned: int | None = None, iterator_id: str = "") -> etree._Element:
    """A whole QuickBooks list, inactive records too, or (``since``) only what changed since
    (``FromModifiedDate``, with its UTC offset). An iterating query (``ITERATOR_QUERIES``)
    reads ``max_returned`` at a time: ``iterator="Start"``, or ``Continue`` with the
    ``iterator_id`` QuickBooks gave, repeating the same filter."""
    if tag not in LIST_PULL_RET_ELEMENTS:
        raise ValueError(f"not a list we pull: {tag}")
    head = _open_request(tag, request_id)
    if tag in ITERATOR_QUERIES:
        if not max_returned or max_returned < 1:
            raise ValueError("an iterating query needs MaxReturned")
        if iterator_id:
            head = head[:-1] + f' iterator="Continue" iteratorID="{_attribute(iterator_id)}">'
        else:
            head = head[:-1] + ' iterator="Start">'
    out = [head]
    if max_returned:
        out.append(f"<MaxReturned>{int(max_returned)}</MaxReturned>")
    out.append("<ActiveStatus>All</ActiveStatus>")
    if since is not None:
        if since.tzinfo is None:
            raise ValueError("FromModifiedDate needs a time zone")
        out.append(f"<FromModifiedDate>{since.replace(microsecond=0).isoformat()}"
                   "</FromModifiedDate>")
    out.append(_ret_elements(LIST_PULL_RET_ELEMENTS[tag]))
    out.append(f"</{tag}>")
    return _element("".join(out))
