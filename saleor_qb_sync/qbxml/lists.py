"""Reading QuickBooks' answers to list queries as our list tables keep them.

``parse.ResponseItem.records`` keeps the few fields the export needs; a list pull keeps more
of every record (an item's type, account and description, a customer's e-mail and currency, an
account's type…), and the iterator QuickBooks left open. Answers are untrusted text: they are
parsed by ``parse.parse_xml`` (no DTD, no entity), every value is cut to the column that keeps
it, and an id longer than qbXML allows refuses the answer (``QbXmlError``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from ..errors import QbXmlError
from . import limits
from .parse import parse_xml

#: the longest text kept of each field (the columns of ``QuickBooksListEntry``)
_NAME = limits.CUSTOMER_FULL_NAME
_EMAIL = 1023
_DESCRIPTION = 4095
_TYPE = 40
_CURRENCY = 64


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One record of a QuickBooks list."""

    list_id: str
    edit_sequence: str
    time_modified: datetime | None
    name: str
    full_name: str
    #: AccountType; the item's type (``ItemService``…); PaymentMethodType; Taxable/NonTaxable
    record_type: str
    is_active: bool
    currency: str = ""
    email: str = ""
    account: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class ListPage:
    """What one list query answered: its records and the iterator it left open."""

    entries: tuple[ListEntry, ...]
    #: the iterator to continue with ("" when none was opened)
    iterator_id: str = ""
    #: records the iterator still holds (0: the list is read)
    remaining: int = 0


def read_page(response_xml: str, request_id: str) -> ListPage:
    """The records of the one ``…QueryRs`` numbered ``request_id`` (an empty page when the
    answer has none: its status says why, read by the caller from ``parse.ResponseItem``)."""
    msgs = parse_xml(response_xml).find("QBXMLMsgsRs")
    if msgs is None:
        return ListPage(())
    for rs in msgs:
        if isinstance(rs.tag, str) and rs.get("requestID") == request_id:
            return _page(rs)
    return ListPage(())


def _page(rs: etree._Element) -> ListPage:
    entries = tuple(entry for ret in rs if isinstance(ret.tag, str) and ret.tag.endswith("Ret")
                    if (entry := _entry(ret)) is not None)
    iterator_id = (rs.get("iteratorID") or "").strip()
    if len(iterator_id) > limits.ID + 2:  # a GUID in braces
        raise QbXmlError(f"<{rs.tag}> has an iteratorID of {len(iterator_id)} characters.")
    raw = (rs.get("iteratorRemainingCount") or "0").strip()
    remaining = int(raw) if raw.isdigit() and len(raw) < 10 else 0
    return ListPage(entries, iterator_id, remaining)


def _entry(ret: etree._Element) -> ListEntry | None:
    tag = ret.tag[: -len("Ret")]
    list_id = _text(ret, "ListID")
    if not list_id:
        return None  # nothing to keep it by
    if len(list_id) > limits.ID:
        raise QbXmlError(f"<{ret.tag}> has a ListID of {len(list_id)} characters; qbXML "
                         f"allows at most {limits.ID}.")
    name = _text(ret, "Name")
    full_name = _text(ret, "FullName") or name
    if tag == "Account":
        record_type = _text(ret, "AccountType")
    elif tag.startswith("Item"):
        record_type = tag
    elif tag == "PaymentMethod":
        record_type = _text(ret, "PaymentMethodType")
    elif tag == "SalesTaxCode":
        record_type = "Taxable" if _text(ret, "IsTaxable").lower() in ("true", "1") else (
            "NonTaxable")
    else:
        record_type = ""
    sales = ret.find("SalesOrPurchase")
    both = ret.find("SalesAndPurchase")
    description = (_text(ret, "ItemDesc") or _text(ret, "Desc")
                   or (_text(sales, "Desc") if sales is not None else "")
                   or (_text(both, "SalesDesc") if both is not None else ""))
    account = (_ref(ret, "AccountRef")
               or (_ref(sales, "AccountRef") if sales is not None else "")
               or (_ref(both, "IncomeAccountRef") if both is not None else ""))
    return ListEntry(
        list_id=list_id,
        edit_sequence=_text(ret, "EditSequence")[: limits.EDIT_SEQUENCE],
        time_modified=_time(_text(ret, "TimeModified")),
        name=name[:_NAME], full_name=full_name[:_NAME], record_type=record_type[:_TYPE],
        is_active=_text(ret, "IsActive").lower() not in ("false", "0"),
        currency=_ref(ret, "CurrencyRef")[:_CURRENCY],
        email=_text(ret, "Email")[:_EMAIL],
        account=account[:_NAME],
        description=description[:_DESCRIPTION],
    )


def _text(parent: etree._Element, tag: str) -> str:
    return (parent.findtext(tag) or "").strip()


def _ref(parent: etree._Element, tag: str) -> str:
    node = parent.find(tag)
    return _text(node, "FullName") if node is not None else ""


def _time(value: str) -> datetime | None:
    """A DATETIMETYPE (QuickBooks sends its offset); None when absent or unreadable."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else None
