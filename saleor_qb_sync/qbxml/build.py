"""qbXML 13.0 requests built with lxml, in exactly the element order Intuit's schema requires.

QuickBooks answers a misordered or malformed request only with "QuickBooks found an error when
parsing the provided XML text stream" (HRESULT 0x80040400), for the whole message set. So every
builder here follows the ``xsd:sequence`` of ``qbxmlops130.xsd`` element by element (reference
notes sections 5, 7 and 8), omits what is empty instead of sending it empty, formats numbers as
the schema's patterns demand (``AMTTYPE``: exactly two decimals; ``PRICETYPE``/``QUANTYPE``: at
most five, never an exponent), and leaves all escaping to lxml. The tests validate every request
against the XSD.

Builders take the already-fitted records of ``mapping``; they do not shorten or transliterate
(a reference must use exactly the name the customer or item was created with) but refuse, with
``ValueError``, a string that is too long or not Latin-1: that is a bug upstream, and sending it
would fail the whole message set.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
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
    requests: Iterable[etree._Element],
    *,
    on_error: str = CONTINUE_ON_ERROR,
    version: str = DEFAULT_VERSION,
    new_message_set_id: str | None = None,
    old_message_set_id: str | None = None,
) -> bytes:
    """Wrap ``…Rq`` elements in ``<QBXML><QBXMLMsgsRq>`` with both declarations, as UTF-8 bytes.

    The elements are moved into the new document (lxml elements have one parent).
    """
    if on_error not in ON_ERROR_VALUES:
        raise ValueError(f"on_error must be one of {ON_ERROR_VALUES}, not {on_error!r}")
    if not _VERSION_PATTERN.fullmatch(version):
        raise ValueError(f"{version!r} is not a qbXML version such as 13.0")
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRq")
    # attribute order as in Intuit's samples: oldMessageSetID, newMessageSetID, onError
    if old_message_set_id:
        msgs.set("oldMessageSetID", old_message_set_id)
    if new_message_set_id:
        msgs.set("newMessageSetID", new_message_set_id)
    msgs.set("onError", on_error)
    for request in requests:
        if not request.tag.endswith("Rq"):
            raise ValueError(f"<{request.tag}> is not a qbXML request")
        msgs.append(request)
    root.addprevious(etree.ProcessingInstruction(QBXML_PI_TARGET, f'version="{version}"'))
    body = etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=False)
    return XML_DECLARATION + body


# --- transactions ---------------------------------------------------------------------------


def transaction_add(txn: Transaction, request_id: str) -> etree._Element:
    """``InvoiceAddRq`` / ``SalesReceiptAddRq`` / ``SalesOrderAddRq`` for one mapped order, or
    ``CreditMemoAddRq`` for a refund of one."""
    kind = TxnKind(txn.kind)
    if not txn.lines:
        raise ValueError(f"order {txn.order_number}: a transaction needs at least one line")
    rq = _request(f"{kind}AddRq", request_id)
    add = etree.SubElement(rq, f"{kind}Add")
    _ref(add, "CustomerRef", txn.customer_name, limits.CUSTOMER_FULL_NAME, required=True)
    _ref(add, "ClassRef", txn.class_name, limits.FULL_NAME_REF)
    if kind in (TxnKind.INVOICE, TxnKind.CREDIT_MEMO):
        _ref(add, "ARAccountRef", txn.ar_account, limits.FULL_NAME_REF)
    _leaf(add, "TxnDate", _date(txn.txn_date))
    _string(add, "RefNumber", txn.ref_number, limits.REF_NUMBER)
    _address(add, "BillAddress", txn.bill_address)
    _address(add, "ShipAddress", txn.ship_address)
    _ref(add, "ItemSalesTaxRef", txn.item_sales_tax, limits.ITEM_SALES_TAX_REF)
    _string(add, "Memo", txn.memo, limits.MEMO)
    if kind == TxnKind.SALES_RECEIPT:
        _ref(add, "DepositToAccountRef", txn.deposit_to_account, limits.FULL_NAME_REF)
    _leaf(add, "ExternalGUID", txn.guid or external_guid(txn.order_id))
    for line in txn.lines:
        el = etree.SubElement(add, f"{kind}LineAdd")
        _ref(el, "ItemRef", line.item_name, limits.FULL_NAME_REF, required=True)
        _string(el, "Desc", line.description, limits.LINE_DESC)
        if line.quantity is not None:
            _leaf(el, "Quantity", format_quantity(line.quantity))
        if line.rate is not None and (
            line.quantity is None or to_cents(line.quantity * line.rate) == to_cents(line.amount)
        ):
            # With Quantity and Amount, QuickBooks derives the rate; a rate that does not give
            # the same amount would contradict it, so it is left out.
            _leaf(el, "Rate", format_price(line.rate))
        _leaf(el, "Amount", format_amount(line.amount))
        if line.taxable is not None:
            code = TAXABLE_CODE if line.taxable else NON_TAXABLE_CODE
            _ref(el, "SalesTaxCodeRef", code, limits.SALES_TAX_CODE)
    for name in TXN_ADD_RET_ELEMENTS:
        _leaf(rq, "IncludeRetElement", name)
    return rq


def transaction_query_by_ref(
    kind: TxnKind, ref_numbers: Sequence[str], request_id: str
) -> etree._Element:
    """``InvoiceQueryRq`` (etc.) by RefNumber, returning what confirms a match.

    QuickBooks does not enforce unique RefNumbers, so the answer may hold several records;
    compare Memo, ExternalGUID, date and total before treating one as ours.
    """
    kind = TxnKind(kind)
    rq = _request(f"{kind}QueryRq", request_id)
    refs = _unique(ref_numbers, "ref_numbers")
    for ref in refs:
        _string(rq, "RefNumber", ref, limits.REF_NUMBER, required=True)
    for name in TXN_QUERY_RET_ELEMENTS[kind]:
        _leaf(rq, "IncludeRetElement", name)
    return rq


# --- payments -------------------------------------------------------------------------------

PAYMENT_RET_ELEMENTS = ("TxnID", "EditSequence", "TxnDate", "RefNumber", "CustomerRef",
                        "TotalAmount", "Memo", "ExternalGUID")


def receive_payment_add(payment: ReceivedPayment, request_id: str) -> etree._Element:
    """``ReceivePaymentAddRq``: part of a Saleor payment, applied to the order's invoice."""
    if payment.amount <= 0:
        raise ValueError(f"order {payment.order_number}: a payment must be above zero")
    rq = _request("ReceivePaymentAddRq", request_id)
    add = etree.SubElement(rq, "ReceivePaymentAdd")
    _ref(add, "CustomerRef", payment.customer_name, limits.CUSTOMER_FULL_NAME, required=True)
    _ref(add, "ARAccountRef", payment.ar_account, limits.FULL_NAME_REF)
    _leaf(add, "TxnDate", _date(payment.txn_date))
    _string(add, "RefNumber", payment.ref_number, limits.PAYMENT_REF_NUMBER)
    _leaf(add, "TotalAmount", format_amount(payment.amount))
    _ref(add, "PaymentMethodRef", payment.payment_method, limits.FULL_NAME_REF)
    _string(add, "Memo", payment.memo, limits.MEMO)
    _ref(add, "DepositToAccountRef", payment.deposit_to_account, limits.FULL_NAME_REF)
    _leaf(add, "ExternalGUID", payment.external_guid)
    applied = etree.SubElement(add, "AppliedToTxnAdd")
    _string(applied, "TxnID", payment.invoice_txn_id, limits.ID, required=True)
    _leaf(applied, "PaymentAmount", format_amount(payment.amount))
    for name in TXN_ADD_RET_ELEMENTS:
        _leaf(rq, "IncludeRetElement", name)
    return rq


def card_refund_add(refund: CardRefund, request_id: str) -> etree._Element:
    """``ARRefundCreditCardAddRq``: money given back against a credit memo."""
    if refund.amount <= 0:
        raise ValueError(f"order {refund.order_number}: a refund must be above zero")
    rq = _request("ARRefundCreditCardAddRq", request_id)
    add = etree.SubElement(rq, "ARRefundCreditCardAdd")
    _ref(add, "CustomerRef", refund.customer_name, limits.CUSTOMER_FULL_NAME, required=True)
    _ref(add, "RefundFromAccountRef", refund.refund_from_account, limits.FULL_NAME_REF)
    _ref(add, "ARAccountRef", refund.ar_account, limits.FULL_NAME_REF)
    _leaf(add, "TxnDate", _date(refund.txn_date))
    _string(add, "RefNumber", refund.ref_number, limits.REF_NUMBER)
    _ref(add, "PaymentMethodRef", refund.payment_method, limits.FULL_NAME_REF)
    _string(add, "Memo", refund.memo, limits.MEMO)
    _leaf(add, "ExternalGUID", refund.external_guid)
    applied = etree.SubElement(add, "RefundAppliedToTxnAdd")
    _string(applied, "TxnID", refund.credit_memo_txn_id, limits.ID, required=True)
    _leaf(applied, "RefundAmount", format_amount(refund.amount))
    for name in TXN_ADD_RET_ELEMENTS:
        _leaf(rq, "IncludeRetElement", name)
    return rq


def follow_up_query_by_ref(kind: str, ref_numbers: Sequence[str], request_id: str
                           ) -> etree._Element:
    """``CreditMemoQueryRq`` / ``ARRefundCreditCardQueryRq`` by RefNumber (not unique in
    QuickBooks: compare the ExternalGUID before treating one as ours)."""
    rq = _request(f"{kind}QueryRq", request_id)
    for ref in _unique(ref_numbers, "ref_numbers"):
        _string(rq, "RefNumber", ref, limits.REF_NUMBER, required=True)
    for name in PAYMENT_RET_ELEMENTS:
        _leaf(rq, "IncludeRetElement", name)
    return rq


def txn_void(kind: str, txn_id: str, request_id: str) -> etree._Element:
    """``TxnVoidRq``: the transaction stays in QuickBooks at zero, marked "VOID:"."""
    rq = _request("TxnVoidRq", request_id)
    _leaf(rq, "TxnVoidType", kind)
    _string(rq, "TxnID", txn_id, limits.ID, required=True)
    return rq


def payment_query_by_ref(ref_numbers: Sequence[str], request_id: str) -> etree._Element:
    """``ReceivePaymentQueryRq`` by RefNumber (not unique in QuickBooks: compare the
    ExternalGUID before treating one as ours)."""
    rq = _request("ReceivePaymentQueryRq", request_id)
    for ref in _unique(ref_numbers, "ref_numbers"):
        _string(rq, "RefNumber", ref, limits.PAYMENT_REF_NUMBER, required=True)
    for name in PAYMENT_RET_ELEMENTS:
        _leaf(rq, "IncludeRetElement", name)
    return rq


# --- lists ----------------------------------------------------------------------------------


def customer_add(customer: CustomerRecord, request_id: str) -> etree._Element:
    """``CustomerAddRq``: the name plus whatever contact details the order had."""
    rq = _request("CustomerAddRq", request_id)
    add = etree.SubElement(rq, "CustomerAdd")
    _string(add, "Name", customer.name, limits.CUSTOMER_NAME, required=True)
    _string(add, "CompanyName", customer.company_name, limits.COMPANY_NAME)
    _string(add, "FirstName", customer.first_name, limits.PERSON_NAME)
    _string(add, "LastName", customer.last_name, limits.PERSON_NAME)
    _address(add, "BillAddress", customer.bill_address)
    _address(add, "ShipAddress", customer.ship_address)
    _string(add, "Phone", customer.phone, limits.PHONE)
    _string(add, "Email", customer.email, limits.EMAIL)
    for name in LIST_RET_ELEMENTS:
        _leaf(rq, "IncludeRetElement", name)
    return rq


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


def item_add(item: ItemRecord, request_id: str) -> etree._Element:
    """``ItemNonInventoryAddRq`` / ``ItemOtherChargeAddRq`` posting sales to ``item.account``.

    No price: every line we send carries its own amount.
    """
    kind = ItemKind(item.kind)
    rq = _request(f"{kind}AddRq", request_id)
    add = etree.SubElement(rq, f"{kind}Add")
    _string(add, "Name", item.name, limits.ITEM_NAME, required=True)
    sales = etree.SubElement(add, "SalesOrPurchase")
    _string(sales, "Desc", item.description, limits.LINE_DESC)
    _ref(sales, "AccountRef", item.account, limits.FULL_NAME_REF, required=True)
    for name in LIST_RET_ELEMENTS:
        _leaf(rq, "IncludeRetElement", name)
    return rq


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


def external_guid(order_id: str) -> str:
    """``{uuid}`` for a Saleor order UUID; empty (so omitted) when it is not a UUID."""
    try:
        return "{" + str(uuid.UUID(order_id)) + "}"
    except (ValueError, TypeError, AttributeError):
        return ""


def _date(value: date) -> str:
    return value.isoformat()


# --- element helpers ------------------------------------------------------------------------


def _request(tag: str, request_id: str) -> etree._Element:
    request_id = str(request_id)
    if not request_id or len(request_id) > limits.REQUEST_ID:
        raise ValueError(f"requestID must be 1 to {limits.REQUEST_ID} characters: {request_id!r}")
    return etree.Element(tag, requestID=request_id)


def _leaf(parent: etree._Element, tag: str, value: str) -> etree._Element | None:
    if not value:
        return None
    el = etree.SubElement(parent, tag)
    el.text = value
    return el


def _checked(tag: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(f"<{tag}> allows {limit} characters; got {len(value)}: {value!r}")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"<{tag}> must be Latin-1 text for QuickBooks: {value!r}") from None
    return value


def _string(
    parent: etree._Element, tag: str, value: str | None, limit: int, *, required: bool = False
) -> None:
    if not value:
        if required:
            raise ValueError(f"<{tag}> must not be empty")
        return
    _leaf(parent, tag, _checked(tag, value, limit))


def _ref(
    parent: etree._Element, tag: str, full_name: str | None, limit: int, *, required: bool = False
) -> None:
    """A list reference by FullName (``<XRef><FullName>…</FullName></XRef>``)."""
    if not full_name:
        if required:
            raise ValueError(f"<{tag}> needs a name")
        return
    ref = etree.SubElement(parent, tag)
    _leaf(ref, "FullName", _checked(f"{tag}/FullName", full_name, limit))


def _address(parent: etree._Element, tag: str, address: QbAddress | None) -> None:
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
    el = etree.SubElement(parent, tag)
    for name, value, limit in fields:
        _string(el, name, value, limit)


def _unique(values: Sequence[str], what: str) -> list[str]:
    if isinstance(values, str):
        raise TypeError(f"{what} must be a list of strings, not one string")
    unique = list(dict.fromkeys(v for v in values if v))
    if not unique:
        # an empty choice would make QuickBooks return every record of the list
        raise ValueError(f"{what} must name at least one record")
    return unique


def _list_query(tag: str, names: Sequence[str], request_id: str, limit: int) -> etree._Element:
    rq = _request(tag, request_id)
    for name in _unique(names, "names"):
        _string(rq, "FullName", name, limit, required=True)
    for name in LIST_RET_ELEMENTS:
        _leaf(rq, "IncludeRetElement", name)
    return rq
