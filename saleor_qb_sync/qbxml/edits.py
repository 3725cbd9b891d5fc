"""Edits after export: the part of a transaction's header a Saleor edit can change, what
changed, and the update (``…Mod``) that brings QuickBooks in line.

What Saleor lets staff change once an order is past draft/unconfirmed (the only orders we
export): its billing and shipping addresses, the customer's e-mail and user, its external
reference, language and metadata (``orderUpdate``, ``ORDER_UPDATE_FIELDS``); lines, shipping,
discounts and the customer note only while the order is editable (``ORDER_EDITABLE_STATUS``),
and returns and refunds go to QuickBooks as credit memos. Of what ``mapping.map_order`` puts in
a transaction's header, only ``BillAddress`` and ``ShipAddress`` come from what ``orderUpdate``
changes: the memo is made of the order number, its voucher, gift card payments and the
customer note, none of which an order past draft changes (and of the currency conversion,
which follows the settings, not the order); the customer keeps the QuickBooks customer the
transaction was booked to (its payments and credit memos go there), and the e-mail lives
on that customer, not on the transaction.

A header here is plain JSON: ``{"BillAddress": {"Addr1": …, "City": …}, "ShipAddress": {}}``,
each address by its qbXML element names, only the parts that have a value (an empty dict: no
address). ``header_of`` makes it from the mapped transaction, at export and when compared, so
what is compared is exactly what the export sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..documents import OrderDocument
from ..preferences import Preferences
from . import build
from .mapping import map_order
from .parse import parse_xml
from .records import QbAddress, Transaction

#: the header aggregates an edit in Saleor can change, in the order the Mods' schema lists them
HEADER_FIELDS = ("BillAddress", "ShipAddress")
#: each, in a bookkeeper's words
FIELD_LABELS = {"BillAddress": "Billing address", "ShipAddress": "Shipping address"}
#: an address's parts, in the schema's order (``AddressData``; Note is never sent)
ADDRESS_PARTS = ("Addr1", "Addr2", "Addr3", "Addr4", "Addr5", "City", "State", "PostalCode",
                 "Country")

Header = dict[str, dict[str, str]]


def address_parts(address: QbAddress | None) -> dict[str, str]:
    """A mapped address as its qbXML parts (those with a value)."""
    if address is None:
        return {}
    values = [*address.lines[:5], *[""] * (5 - min(len(address.lines), 5)),
              address.city, address.state, address.postal_code, address.country]
    return {part: value for part, value in zip(ADDRESS_PARTS, values, strict=True) if value}


def header_of(txn: Transaction) -> Header:
    """What the transaction's header says of what an edit can change."""
    return {"BillAddress": address_parts(txn.bill_address),
            "ShipAddress": address_parts(txn.ship_address)}


def current_header(order: OrderDocument, preferences: Preferences) -> Header:
    """The header the order would be exported with now (raises ``MappingError``)."""
    return header_of(map_order(order, preferences).transaction)


@dataclass(frozen=True, slots=True)
class HeaderChange:
    """One header aggregate that differs: what QuickBooks has, what the order says now."""

    field: str
    before: dict[str, str]
    after: dict[str, str]

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    def to_json(self) -> dict:
        return {"field": self.field, "before": self.before, "after": self.after}

    @classmethod
    def from_json(cls, data: Mapping) -> HeaderChange:
        return cls(str(data["field"]), dict(data.get("before") or {}),
                   dict(data.get("after") or {}))


def changes_between(before: Mapping, after: Mapping) -> list[HeaderChange]:
    """The aggregates of ``after`` that differ from ``before`` (an empty ``before`` header,
    from a row written before headers were kept, compares as unknown: no changes)."""
    if not before:
        return []
    return [HeaderChange(field, dict(before.get(field) or {}), dict(after.get(field) or {}))
            for field in HEADER_FIELDS
            if dict(before.get(field) or {}) != dict(after.get(field) or {})]


def address_text(parts: Mapping[str, str]) -> str:
    """An address on one line, as a person reads it ("" for none)."""
    lines = [parts.get(f"Addr{i}", "") for i in range(1, 6)]
    town = " ".join(p for p in (parts.get("City", ""), parts.get("State", ""),
                                parts.get("PostalCode", "")) if p)
    return ", ".join(p for p in (*lines, town, parts.get("Country", "")) if p)


def described(changes: list[HeaderChange]) -> str:
    """The changes in a sentence: "shipping address, billing address"."""
    return ", ".join(c.label.lower() for c in changes)


@dataclass(frozen=True, slots=True)
class HeaderUpdate:
    """An order's transaction to bring in line: ``…Mod`` of these aggregates (their new
    parts; a part ``before`` had and the new one lacks is cleared)."""

    kind: str
    txn_id: str
    edit_sequence: str
    order_id: str
    order_number: int
    ref_number: str
    changes: tuple[HeaderChange, ...]

    @property
    def header(self) -> Header:
        """What the update sets."""
        return {c.field: c.after for c in self.changes}

    def aggregates(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each changed aggregate as (part, value) pairs: its new parts, and an empty value
        for each part QuickBooks has that the new address lacks (a Mod keeps what it is not
        sent, so a dropped line must be cleared)."""
        return [(c.field, [(part, c.after.get(part, "")) for part in ADDRESS_PARTS
                           if part in c.after or part in c.before])
                for c in self.changes]

    def request(self, request_id: str):
        """The ``…ModRq`` (``ValueError`` when it cannot be built)."""
        return build.transaction_mod(self.kind, self.txn_id, self.edit_sequence,
                                     self.aggregates(), request_id)


@dataclass(frozen=True, slots=True)
class QueriedTxn:
    """A transaction as a query by TxnID returned it."""

    txn_id: str
    edit_sequence: str
    ref_number: str
    header: Header


def queried_transactions(response_xml: str, request_id: str) -> dict[str, QueriedTxn]:
    """The transactions the ``…QueryRs`` numbered ``request_id`` returned, by TxnID, with
    their header (read from the answer's text: ``parse.ResponseItem`` keeps no addresses).
    The caller has checked the answer is the one response to that request."""
    msgs = parse_xml(response_xml).find("QBXMLMsgsRs")
    found: dict[str, QueriedTxn] = {}
    if msgs is None:
        return found
    for rs in msgs:
        if not isinstance(rs.tag, str) or rs.get("requestID") != request_id:
            continue
        for ret in rs:
            if not isinstance(ret.tag, str) or not ret.tag.endswith("Ret"):
                continue
            txn_id = (ret.findtext("TxnID") or "").strip()
            if not txn_id:
                continue
            header: Header = {}
            for field in HEADER_FIELDS:
                node = ret.find(field)
                header[field] = {} if node is None else {
                    part: text for part in ADDRESS_PARTS
                    if (text := (node.findtext(part) or "").strip())}
            found[txn_id] = QueriedTxn(txn_id, (ret.findtext("EditSequence") or "").strip(),
                                       (ret.findtext("RefNumber") or "").strip(), header)
    return found


def has_landed(queried: QueriedTxn, header: Mapping) -> bool:
    """QuickBooks' transaction says what the update ``header`` set (every aggregate in it)."""
    return all(dict(queried.header.get(field) or {}) == dict(parts or {})
               for field, parts in header.items())
