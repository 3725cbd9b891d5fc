"""Which part of QuickBooks' answer answers which of our requests, and what it proves.

A response message set is untrusted text (parse.py reads it leniently). Before an answer may
mark an order exported, link a duplicate or settle a lost answer, it has to be the answer to
*that* request: exactly one ``…Rs`` carrying the ``requestID`` we sent, of the type we asked
for (``InvoiceAddRs`` for ``InvoiceAddRq``), and consistent with itself (an add that succeeded
returns its ``…Ret`` with a TxnID and our RefNumber; a query that found something returns the
records, of the kind asked for, with the RefNumbers asked for). Each check returns what is wrong
in a sentence, or ``""``: the engine decides what a doubt means (reconcile, ask again, stop).

Responses whose ``requestID`` we never sent are ignored; they prove nothing about our requests.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from .parse import ResponseItem, parse_xml
from .status import ADDED_WITH_WARNING_CODES, STATUS_NO_MATCH, STATUS_OK, STATUS_PARTIAL

#: statuses a query answers with when it did its job: found all, found none, found some
_QUERY_STATUSES = frozenset({STATUS_OK, STATUS_NO_MATCH, STATUS_PARTIAL})


@dataclass(frozen=True, slots=True)
class Answer:
    """QuickBooks' answer to one request: ``item`` when there is exactly one of the type we
    asked for, else ``None`` and ``problem`` saying why (empty when nothing came at all)."""

    item: ResponseItem | None
    problem: str = ""


class Answers:
    """A response message set, read against the request message set it answers."""

    def __init__(self, request_xml: str, items: Iterable[ResponseItem], *,
                 meta: dict | None = None) -> None:
        """``meta``: the set's ``MessageSet.requests``; when each names what it asked
        (``with_asked``), the request set is not parsed again."""
        sent = _asked_in(meta) if meta else None
        if sent is None:
            sent = _requests(request_xml)
        self.asked = {rid: rq_type for rid, (rq_type, _) in sent.items()}
        self._refs = {rid: refs for rid, (_, refs) in sent.items()}
        self._by_id: dict[str, list[ResponseItem]] = defaultdict(list)
        for item in items:
            self._by_id[item.request_id].append(item)

    @property
    def unasked(self) -> list[ResponseItem]:
        """Responses to requestIDs we never sent (ignored)."""
        return [i for rid, items in self._by_id.items() if rid not in self.asked for i in items]

    def get(self, request_id: str) -> ResponseItem | None:
        """The answer to ``request_id`` if it is one of the type asked for, else ``None`` (the
        ``dict.get`` of a ``requestID → ResponseItem`` map, with the checks)."""
        return self.answer(request_id).item

    def ref_numbers(self, request_id: str) -> tuple[str, ...]:
        """The RefNumbers request ``request_id`` asked for (queries by RefNumber)."""
        return self._refs.get(request_id, ())

    def answer(self, request_id: str) -> Answer:
        asked = self.asked.get(request_id)
        found = self._by_id.get(request_id, [])
        if not found:
            return Answer(None, "")
        if asked is None:
            return Answer(None, f"we never sent a request numbered {request_id!r}")
        if len(found) > 1:
            return Answer(None, f"QuickBooks' answer holds {len(found)} responses for request "
                                f"{request_id}, where one was expected")
        item = found[0]
        if item.request_type != asked:
            return Answer(None, f"QuickBooks answered request {request_id} with "
                                f"{item.request_type}Rs, but it was a {asked}Rq")
        if asked.endswith("Query") and (problem := query_problem(item)):
            return Answer(None, problem)  # contradicts itself (found something, sent nothing)
        return Answer(item)


def _requests(request_xml: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """requestID → (request type without ``Rq``, e.g. ``InvoiceAdd``; the RefNumbers a query
    asks for), read from the message set we sent."""
    msgs = parse_xml(request_xml).find("QBXMLMsgsRq") if request_xml else None
    if msgs is None:
        return {}
    return dict(_asked(rq) for rq in msgs if isinstance(rq.tag, str) and rq.tag.endswith("Rq"))


def _asked(rq: etree._Element) -> tuple[str, tuple[str, tuple[str, ...]]]:
    return rq.get("requestID", ""), (rq.tag.removesuffix("Rq"), tuple(
        (r.text or "").strip() for r in rq.iterfind("RefNumber")))


#: the head of a request's text (``build``'s ``…_xml`` builders): its tag and requestID
_REQUEST_HEAD = re.compile(r'<([A-Za-z][A-Za-z0-9]*Rq) requestID="([^"&<]*)"[ >]')


def with_asked(requests: Iterable[etree._Element | str], meta: dict) -> dict:
    """``meta`` (requestID → what the request is for) with what each request asked, as
    ``_requests`` would read it from the set (type, RefNumbers), when ``meta`` covers every
    request of the set: an answer to 250 orders is then read without parsing the 600 KB
    request again. Otherwise ``meta`` as it is."""
    asked = {}
    for request in requests:
        head = _REQUEST_HEAD.match(request) if isinstance(request, str) else None
        if head is not None and not head.group(1).endswith("QueryRq"):
            asked[head.group(2)] = (head.group(1).removesuffix("Rq"), ())  # an add: no query
        else:
            rq = etree.fromstring(request) if isinstance(request, str) else request
            rid, what = _asked(rq)
            asked[rid] = what
    if asked.keys() != meta.keys():
        return meta
    return {rid: {**info, ASKED: [asked[rid][0], list(asked[rid][1])]}
            for rid, info in meta.items()}


#: the key ``with_asked`` adds to each request's meta
ASKED = "asked"


def _asked_in(meta: dict) -> dict[str, tuple[str, tuple[str, ...]]] | None:
    """What ``with_asked`` kept, or None when a request's meta lacks it."""
    try:
        return {rid: (str(info[ASKED][0]), tuple(info[ASKED][1])) for rid, info in meta.items()}
    except (KeyError, TypeError, IndexError):
        return None


def add_problem(item: ResponseItem, *, ret_type: str, ref_number: str | None) -> str:
    """Why this successful-looking ``…AddRs`` does not prove the record was added, or ``""``.

    ``ret_type`` is the record kind (``Invoice``, ``Customer``; ``Item`` accepts every item
    type); ``ref_number``, for transactions, the RefNumber we sent."""
    if item.status_code != STATUS_OK and item.status_code not in ADDED_WITH_WARNING_CODES:
        return (f"QuickBooks answered status {item.status_code}, which does not say the "
                f"{ret_type} was added")
    if len(item.records) != 1:
        return (f"QuickBooks reported success but returned {len(item.records)} records "
                f"instead of the one {ret_type} added")
    record = item.records[0]
    if not _is_kind(record.get("type", ""), ret_type):
        return f"QuickBooks reported success but returned a {record.get('type')}, not a {ret_type}"
    key = "ListID" if ref_number is None else "TxnID"
    if not record.get(key):
        return f"QuickBooks reported success but returned no {key}"
    if ref_number is not None and record.get("RefNumber") != ref_number:
        return (f"QuickBooks reported success for a {ret_type} numbered "
                f"{record.get('RefNumber') or '(none)'}, but we sent {ref_number}")
    return ""


def query_problem(item: ResponseItem, *, ret_type: str = "", ref_numbers: Iterable[str] = (),
                  id_field: str = "") -> str:
    """Why this ``…QueryRs`` cannot be taken as QuickBooks' word, or ``""``.

    An error status is left to the caller. Otherwise a usable answer has records exactly when
    its status says it found something, as many as ``retCount`` says, all of kind ``ret_type``
    (if given), each with ``id_field`` (``TxnID``), and, when we asked by RefNumber, only the
    RefNumbers asked for."""
    if item.status_code not in _QUERY_STATUSES:
        return ""  # an error found nothing, and says so: the caller reads the status
    # 500 ("a required element could not be found") comes with the records found, or with
    # none when a query by names found none of them (QuickBooks; the simulator does the same)
    found = item.status_code == STATUS_OK
    if (found and not item.records) or (item.status_code == STATUS_NO_MATCH and item.records):
        return (f"QuickBooks answered status {item.status_code} with {len(item.records)} "
                "records")
    if item.ret_count is not None and item.ret_count != len(item.records):
        return (f"QuickBooks said it returned {item.ret_count} records but sent "
                f"{len(item.records)}")
    asked = set(ref_numbers)
    for record in item.records:
        if ret_type and not _is_kind(record.get("type", ""), ret_type):
            return f"QuickBooks returned a {record.get('type')} when asked for {ret_type} records"
        if id_field and not record.get(id_field):
            return f"QuickBooks returned a {ret_type} without its {id_field}"
        if asked and record.get("RefNumber") not in asked:
            return (f"QuickBooks returned a {ret_type} numbered "
                    f"{record.get('RefNumber') or '(none)'}, which was not asked for")
    return ""


def _is_kind(record_type: str, ret_type: str) -> bool:
    if ret_type == "Item":
        return record_type.startswith("Item")
    return record_type == ret_type
