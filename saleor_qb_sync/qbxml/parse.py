"""Reading what QuickBooks sends back: hardened XML parsing, response statuses, the HCP answer.

Anything arriving over the Web Connector is untrusted text. ``parse_xml`` is the one place XML
is parsed: it never loads a DTD, never expands an entity, never touches the network, and refuses
any document carrying a DOCTYPE or entity declaration (``HostileXmlError``), so a "billion laughs"
or an external entity pointing at ``file:///etc/passwd`` is rejected before anything is expanded.

Responses are read leniently, by element name rather than by schema: QuickBooks' answers do not
always follow its own XSD (reference notes section 1), and one odd element must not lose the
TxnID of an order QuickBooks did create. What no QuickBooks sends is refused (``QbXmlError``)
before it can reach the database: an id longer than qbXML allows (``ID_LIMITS``), a statusCode,
retCount or requestID out of bounds; an amount out of range reads as unknown, a status message
is cut to ``MAX_STATUS_MESSAGE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from ..errors import HostileXmlError, QbXmlError
from . import limits
from .status import SEVERITY_ERROR, StatusClass, classify

#: markers of DTDs and entity declarations, refused before parsing
_HOSTILE_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
#: a leading XML declaration; lxml refuses one inside an already decoded ``str``
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_RET_SUFFIX = "Ret"
_RS_SUFFIX = "Rs"
#: elements copied into ``ResponseItem.records`` from each ``…Ret``
RECORD_FIELDS = (
    "TxnID", "ListID", "EditSequence", "TxnDate", "RefNumber", "Name", "FullName", "IsActive",
    "Memo", "ExternalGUID", "TotalAmount", "Subtotal", "SalesTaxTotal", "CurrencyCode",
)
#: the longest value qbXML 13.0 allows in each record field we keep (a GUID in braces is 38
#: characters, a date 10, "false" 5); longer means the answer is not QuickBooks'
ID_LIMITS = {
    "TxnID": limits.ID, "ListID": limits.ID, "EditSequence": limits.EDIT_SEQUENCE,
    # a received payment's RefNumber may be 20 long, a sales transaction's 11: what we sent is
    # compared anyway (answers.add_problem)
    "RefNumber": limits.PAYMENT_REF_NUMBER,
    "ExternalGUID": 38, "TxnDate": 10, "IsActive": 5,
    "Name": limits.CUSTOMER_FULL_NAME, "FullName": limits.CUSTOMER_FULL_NAME,
    "CustomerRef": limits.CUSTOMER_FULL_NAME, "Memo": limits.MEMO,
    "TotalAmount": 32, "Subtotal": 32, "SalesTaxTotal": 32, "CurrencyCode": 64,
}
#: statusCode and retCount fit the database's integer (a requestID, ``limits.REQUEST_ID``, its
#: column); as text they are at most as long as the most negative
MAX_STATUS_CODE = 2**31 - 1
_MAX_INT_TEXT = len(str(-MAX_STATUS_CODE))
#: a status message longer than this is cut (QuickBooks' are a sentence or two)
MAX_STATUS_MESSAGE = 2000
#: amounts at or above this are not amounts (the ledger holds 18 digits before the point)
MAX_AMOUNT = Decimal(10) ** 18


def _parser() -> etree.XMLParser:
    # a fresh parser per call: lxml parsers keep state and are not thread-safe
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,  # nothing we read needs them; spyne fails on one inside the body
        collect_ids=False,
    )


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse untrusted XML safely; ``HostileXmlError`` for DTDs/entities, else ``QbXmlError``."""
    if isinstance(data, str):
        raw = data.encode("utf-8", errors="replace")
        source: bytes | str = _XML_DECLARATION.sub("", data, count=1).lstrip()
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        source = raw.lstrip()
    else:
        raise QbXmlError(f"expected XML text, got {type(data).__name__}")
    if any(marker in raw for marker in _HOSTILE_MARKERS):
        raise HostileXmlError(
            "The XML contains a DOCTYPE or entity declaration, which QuickBooks never sends; "
            "it was rejected without being read."
        )
    if not source.strip():
        raise QbXmlError("The XML document is empty.")
    try:
        root = etree.fromstring(source, _parser())
    except etree.XMLSyntaxError as exc:
        raise QbXmlError(f"The XML is not well-formed: {exc}") from exc
    except ValueError as exc:  # e.g. an unsupported encoding declaration
        raise QbXmlError(f"The XML cannot be read: {exc}") from exc
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise HostileXmlError("The XML contains a DOCTYPE, which QuickBooks never sends.")
    # ``iter(etree.Entity)`` walks the tree in C: a 600 KB answer has ~80,000 nodes
    if next(root.iter(etree.Entity), None) is not None:
        raise HostileXmlError("The XML contains an entity reference, which is never expanded.")
    return root


# --- responses ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResponseItem:
    """One ``…Rs`` of a response message set."""

    request_id: str
    #: the request's type without ``Rq``/``Rs``, e.g. ``InvoiceAdd``, ``CustomerQuery``
    request_type: str
    status_code: int
    severity: str
    message: str
    txn_id: str = ""
    list_id: str = ""
    ref_number: str = ""
    edit_sequence: str = ""
    name: str = ""
    full_name: str = ""
    #: TotalAmount, or Subtotal + SalesTaxTotal for invoices (whose Ret has no TotalAmount)
    total_amount: Decimal | None = None
    #: one small dict per ``…Ret`` (``type`` is its tag without ``Ret``, e.g. ``Invoice``,
    #: ``ItemNonInventory``), holding the ``RECORD_FIELDS`` present plus ``CustomerRef``
    records: tuple[dict[str, str], ...] = field(default=(), hash=False)
    ret_count: int | None = None

    @property
    def status_class(self) -> StatusClass:
        return classify(self.status_code, self.severity)

    @property
    def ok(self) -> bool:
        return self.status_class == StatusClass.SUCCESS

    @property
    def found_names(self) -> tuple[str, ...]:
        """FullNames the answer returned (list queries): absent names were not found."""
        return tuple(r["FullName"] for r in self.records if r.get("FullName"))


def parse_response(xml: bytes | str | etree._Element) -> list[ResponseItem]:
    """Every ``…Rs`` in a qbXML response, in document order."""
    root = xml if isinstance(xml, etree._Element) else parse_xml(xml)
    if _local(root.tag) != "QBXML":
        raise QbXmlError(f"Expected a <QBXML> response, got <{_local(root.tag)}>.")
    msgs = root.find("QBXMLMsgsRs")
    if msgs is None:
        raise QbXmlError("The response has no <QBXMLMsgsRs>; QuickBooks answered nothing.")
    return [_response_item(rs) for rs in msgs if _is_element(rs) and rs.tag.endswith(_RS_SUFFIX)]


def _response_item(rs: etree._Element) -> ResponseItem:
    code = _bounded_int(rs, "statusCode")
    if code is None:
        raise QbXmlError(f"<{rs.tag}> has no valid statusCode "
                         f"({(rs.get('statusCode') or '')[:20]!r}).")
    request_id = rs.get("requestID", "")
    if len(request_id) > limits.REQUEST_ID:
        raise QbXmlError(f"<{rs.tag}> has a requestID of {len(request_id)} characters; ours "
                         f"have at most {limits.REQUEST_ID}.")
    records = tuple(_record(ret) for ret in rs
                    if _is_element(ret) and ret.tag.endswith(_RET_SUFFIX))
    first = records[0] if records else {}
    ret_count = rs.get("retCount")
    if ret_count and ret_count.strip().isdigit() and _bounded_int(rs, "retCount") is None:
        raise QbXmlError(f"<{rs.tag}> has a retCount out of range ({ret_count[:20]!r}…).")
    # TxnVoidRs / TxnDelRs carry the transaction's TxnID themselves, without a …Ret
    own_txn_id = "" if records else (rs.findtext("TxnID") or "").strip()[:ID_LIMITS["TxnID"]]
    return ResponseItem(
        request_id=request_id,
        request_type=rs.tag[: -len(_RS_SUFFIX)],
        status_code=code,
        severity=rs.get("statusSeverity", SEVERITY_ERROR if code >= 1000 else "")[:16],
        message=rs.get("statusMessage", "")[:MAX_STATUS_MESSAGE],
        txn_id=first.get("TxnID", own_txn_id),
        list_id=first.get("ListID", ""),
        ref_number=first.get("RefNumber", ""),
        edit_sequence=first.get("EditSequence", ""),
        name=first.get("Name", ""),
        full_name=first.get("FullName", ""),
        total_amount=_total(first),
        records=records,
        ret_count=int(ret_count) if ret_count and ret_count.strip().isdigit() else None,
    )


def _bounded_int(el: etree._Element, attribute: str) -> int | None:
    """An integer attribute within ``MAX_STATUS_CODE`` either way, else None."""
    raw = (el.get(attribute) or "").strip()
    if not raw or len(raw) > _MAX_INT_TEXT:
        return None
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if -MAX_STATUS_CODE <= value <= MAX_STATUS_CODE else None


#: ``RECORD_FIELDS``, for one pass over a ``…Ret``'s children
_RECORD_FIELD_SET = frozenset(RECORD_FIELDS)


def _record(ret: etree._Element) -> dict[str, str]:
    # one pass over the children (a 250-order answer has some 4,000 of them), keeping the
    # first of each field, as ``findtext`` would
    found: dict[str, str] = {}
    for child in ret:
        tag = child.tag
        if tag in _RECORD_FIELD_SET:
            if tag not in found:
                found[tag] = (child.text or "").strip()
        elif tag == "CustomerRef" and "CustomerRef" not in found:
            customer = child.findtext("FullName")
            if customer is not None:
                found["CustomerRef"] = customer.strip()
    record = {"type": ret.tag[: -len(_RET_SUFFIX)]}
    record.update((name, found[name]) for name in RECORD_FIELDS if name in found)
    if "CustomerRef" in found:
        record["CustomerRef"] = found["CustomerRef"]
    for name, value in record.items():
        limit = ID_LIMITS.get(name)
        if limit is not None and len(value) > limit:
            raise QbXmlError(f"<{ret.tag}> has a {name} of {len(value)} characters; qbXML "
                             f"allows at most {limit}.")
    return record


def _total(record: dict[str, str]) -> Decimal | None:
    if "TotalAmount" in record:
        return _decimal(record["TotalAmount"])
    if "Subtotal" in record:
        subtotal = _decimal(record["Subtotal"])
        tax = _decimal(record.get("SalesTaxTotal", "0"))
        if subtotal is not None and tax is not None:
            return subtotal + tax
    return None


def _decimal(value: str) -> Decimal | None:
    try:
        amount = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        return None
    return amount


def _is_element(node: object) -> bool:
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def _local(tag: str) -> str:
    return etree.QName(tag).localname


# --- the host/company/preferences answer QBWC hands to the first sendRequestXML -------------


@dataclass(frozen=True, slots=True)
class HostInfo:
    """What ``strHCPResponse`` says about the QuickBooks we talk to; ``known`` is False when it
    said nothing readable. ``None`` means "not stated", not "off"."""

    known: bool = False
    product_name: str = ""
    major_version: str = ""
    minor_version: str = ""
    country: str = ""
    supported_versions: tuple[str, ...] = ()
    file_mode: str = ""
    company_name: str = ""
    sales_tax_enabled: bool | None = None
    default_item_sales_tax: str = ""
    closing_date: date | None = None
    class_tracking: bool | None = None
    multi_currency: bool | None = None
    home_currency: str = ""
    automatic_login_allowed: bool | None = None
    personal_data_access_allowed: bool | None = None

    def supports(self, version: str) -> bool:
        """True when QuickBooks listed ``version`` (or, if it listed nothing, assume yes)."""
        if not self.supported_versions:
            return True
        return any(_version_key(v) == _version_key(version) for v in self.supported_versions)


UNKNOWN_HOST = HostInfo()


def parse_hcp_response(hcp: str | bytes | None) -> HostInfo:
    """Read QBWC's ``strHCPResponse``; never raises (returns ``UNKNOWN_HOST`` for "" or junk)."""
    if not hcp:
        return UNKNOWN_HOST
    try:
        root = parse_xml(hcp)
        return _host_info(root)
    except (QbXmlError, ValueError, TypeError):
        # informational only: an unreadable HCP answer must not end the Web Connector session
        return UNKNOWN_HOST


def _host_info(root: etree._Element) -> HostInfo:
    host = _first(root, "HostRet")
    company = _first(root, "CompanyRet")
    prefs = _first(root, "PreferencesRet")
    if host is None and company is None and prefs is None:
        return UNKNOWN_HOST
    values: dict[str, object] = {"known": True}
    if host is not None:
        values.update(
            product_name=_text(host, "ProductName"),
            major_version=_text(host, "MajorVersion"),
            minor_version=_text(host, "MinorVersion"),
            country=_text(host, "Country"),
            supported_versions=tuple(
                v.text.strip() for v in host.findall("SupportedQBXMLVersion")
                if v.text and v.text.strip()
            ),
            file_mode=_text(host, "QBFileMode"),
        )
    if company is not None:
        values["company_name"] = _text(company, "CompanyName")
    if prefs is not None:
        sales_tax = prefs.find("SalesTaxPreferences")
        values["sales_tax_enabled"] = sales_tax is not None
        if sales_tax is not None:
            values["default_item_sales_tax"] = _text(sales_tax, "DefaultItemSalesTaxRef/FullName")
        values["closing_date"] = _date(_text(prefs, "AccountingPreferences/ClosingDate"))
        values["class_tracking"] = _bool(_text(prefs, "AccountingPreferences/IsUsingClassTracking"))
        values["multi_currency"] = _bool(_text(prefs, "MultiCurrencyPreferences/IsMultiCurrencyOn"))
        values["home_currency"] = _text(prefs, "MultiCurrencyPreferences/HomeCurrencyRef/FullName")
        values["automatic_login_allowed"] = _bool(
            _text(prefs, "CurrentAppAccessRights/IsAutomaticLoginAllowed"))
        values["personal_data_access_allowed"] = _bool(
            _text(prefs, "CurrentAppAccessRights/IsPersonalDataAccessAllowed"))
    return HostInfo(**values)  # type: ignore[arg-type]


def _first(root: etree._Element, tag: str) -> etree._Element | None:
    return next(root.iter(tag), None)


def _text(el: etree._Element, path: str) -> str:
    return (el.findtext(path) or "").strip()


def _bool(value: str) -> bool | None:
    lowered = value.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    return None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _version_key(version: str) -> tuple[int, ...]:
    digits = re.findall(r"\d+", version)
    key = tuple(int(d) for d in digits) or (0,)
    return key + (0,) * (2 - len(key)) if len(key) < 2 else key
