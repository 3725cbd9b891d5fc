"""The Web Connector session engine: QBWC callbacks in, qbXML work out, answers into the ledger.

No framework here: ``Engine`` methods take and return the plain values of the QBWC contract,
so the spyne service (``service.py``) stays thin and tests can drive the engine directly. All
session state lives in the database (``WebConnectorSession``, ``MessageSet``), so any API worker
can serve any call and a restarted server picks up where the last one stopped.

One batch of ``orders_per_request`` orders takes at most two round trips:

1. look-ups: customers and items not in our cache of QuickBooks names and, with
   ``check_duplicates``, the RefNumbers of the orders (skipped when there is nothing to ask);
2. adds: the missing customers and items, then one transaction per order, ``continueOnError``,
   each request with its own ``requestID``; stored with a ``newMessageSetID`` before we answer.

Exactly once: a write whose answer never came (Web Connector dropped, server restarted) is
reconciled first in the next session, by asking QuickBooks for those RefNumbers and checking the
ExternalGUID we set, before anything is sent again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from .. import __version__
from ..checkin import record_check_in
from ..errors import MappingError, QbXmlError
from ..models import (
    ExportRecord,
    ExportState,
    ItemState,
    MessageSet,
    MessageSetKind,
    MessageSetState,
    PendingOperationOrder,
    QuickBooksName,
    SessionState,
    WebConnectorSession,
)
from ..order_source import OrderSource
from ..preferences import ItemMode, MissingItemAction, Preferences
from ..qbxml import build
from ..qbxml.answers import Answers, add_problem, query_problem
from ..qbxml.mapping import ItemKind, ItemRecord, MappedOrder, TxnKind, map_order
from ..qbxml.parse import ResponseItem, parse_hcp_response, parse_response
from ..qbxml.status import (
    HRESULT_PARSE_ERROR,
    StatusClass,
    classify,
    describe,
    describe_hresult,
    parse_hresult,
)
from ..transfers import (
    Cause,
    CauseKind,
    Claim,
    Outcome,
    automatic_filter,
    claim_orders,
    fail_unsent,
    has_retryable_failures,
    new_attempt,
    open_causes,
    record_attempt,
    record_failure,
    record_outcomes,
    record_success,
    release_claims,
    release_resolved_failures,
    waiting_items,
)
from . import preflight
from .login import check_login

logger = logging.getLogger(__name__)

#: authenticate() answers (second array element) defined by QBWC
AUTH_NONE = "none"
AUTH_INVALID_USER = "nvu"
AUTH_BUSY = "busy"
#: getLastError() answer that makes QBWC wait a few seconds and ask for work again
NO_OP = "NoOp"
#: connectionError() answer that ends the session
DONE = "done"
#: receiveResponseXML() answer for "finished" and for "session-level error"
PERCENT_DONE = 100
PERCENT_ERROR = -1

#: a session that has not called for this long is considered dropped: Web Connector gives up on
#: a callback after two minutes, so a session silent for longer has lost its Web Connector
SESSION_TIMEOUT = timedelta(minutes=3)
#: an open session silent this long yields to a new authenticate with the right password (its
#: Web Connector crashed or was closed): within a session Web Connector calls again as soon as
#: QuickBooks has answered, seconds apart (5 s after a NoOp), so 45 s of silence means it is
#: gone, and a run scheduled a minute later is not turned away; what it left unanswered is
#: reconciled like any lost answer
SESSION_YIELDS_AFTER = timedelta(seconds=45)
#: lowest Web Connector we accept (older builds lack the protocol features we rely on)
MIN_CLIENT_VERSION = (2, 1, 0, 30)
#: advisory lock key that serialises "is a session open?" + "open one"
_SESSION_LOCK_KEY = 0x51B5_0C
EXPIRED_MESSAGE = ("This Web Connector session has expired or is unknown; the next update "
                   "starts a new one.")


def ticket_digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("utf-8", "replace")).hexdigest()


@dataclass
class _Batch:
    """The orders of one batch, mapped; built afresh from the database on every callback."""

    claims: list[Claim]
    mapped: dict[str, MappedOrder]


class Engine:
    """One instance per request: the store's preferences and orders, and a clock."""

    def __init__(self, preferences: Preferences, source: OrderSource,
                 now: Callable[[], datetime] = timezone.now) -> None:
        self.preferences = preferences
        self.source = source
        self.now = now

    # --- the QBWC callbacks ------------------------------------------------------------------

    def server_version(self) -> str:
        return f"saleor-qb-sync {__version__}"

    def client_version(self, version: str | None) -> str:
        parts = []
        for piece in (version or "").split(".")[:4]:
            if not (piece.isascii() and piece.isdigit()) or len(piece) > 9:
                return ""  # unknown format: let it through rather than block a bookkeeper
            parts.append(int(piece))
        if parts and tuple(parts) < MIN_CLIENT_VERSION:
            return ("E:This QuickBooks Web Connector is too old for saleor-qb-sync; install "
                    "version 2.1.0.30 or newer from Intuit.")
        return ""

    def authenticate(self, username: str | None, password: str | None,
                     address: str = "") -> list[str]:
        """``address``: the client's, as the SOAP layer determined it (throttling key)."""
        username, password = username or "", password or ""
        login = check_login(address, username,
                            lambda: self._credentials_ok(username, password), now=self.now())
        if login.wait_seconds:
            # not checked: this address failed too often. "busy", not "nvu": Web Connector then
            # shows "Application busy" and tries at its next run instead of asking for the
            # password again, and the answer says nothing about the password
            return ["", AUTH_BUSY]
        if not login.ok:
            return ["", AUTH_INVALID_USER]
        record_check_in(self.now())  # Web Connector keeps its schedule (checkin.py)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SESSION_LOCK_KEY])
            # the right password: a session whose Web Connector fell silent gives way
            self._expire_stale_sessions(SESSION_YIELDS_AFTER)
            if WebConnectorSession.objects.filter(state=SessionState.OPEN).exists():
                return ["", AUTH_BUSY]
            total = self._work_estimate()
            if total == 0:
                return ["", AUTH_NONE]
            ticket = secrets.token_hex(16)  # 128 random bits
            WebConnectorSession.objects.create(
                ticket_digest=ticket_digest(ticket), username=username,
                started_at=self.now(), last_seen_at=self.now(),
                automatic=self.preferences.is_automatic, orders_total=total,
                work={"retried": [], "isolate": []})
        return [ticket, self.preferences.company_file]

    def send_request_xml(self, ticket: str | None, hcp_response: str | None,
                         company_file: str | None, country: str | None,
                         major: int | None, minor: int | None) -> str:
        session = self._session(ticket)
        if session is None:
            return ""
        if hcp_response and not session.host_info:
            host = parse_hcp_response(hcp_response)
            session.host_info = {"product": host.product_name, "country": host.country,
                                 "company": host.company_name,
                                 "versions": list(host.supported_versions),
                                 "sales_tax": host.sales_tax_enabled}
            session.company_file = company_file or ""
        version = self.preferences.qbxml_version
        if major is not None and _version_tuple(f"{major}.{minor or 0}") < _version_tuple(version):
            session.last_error = (
                f"This QuickBooks supports qbXML {major}.{minor or 0}, but saleor-qb-sync needs "
                f"{version}. Update QuickBooks Desktop (2015 or newer) and run Web Connector "
                "again.")
            session.save()
            return ""
        session.qbxml_version = version
        try:
            request = self._next_request(session)
        except Exception:  # noqa: BLE001 - a server bug must end the session cleanly, logged
            logger.exception("saleor-qb-sync could not prepare work for Web Connector")
            session.last_error = ("saleor-qb-sync hit an internal error while preparing orders; "
                                  "the details are in the server log. Nothing was sent.")
            release_claims(session)
            session.save()
            return ""
        if request is None:
            # Web Connector asked although nothing is left (every remaining order was settled
            # without sending): answer a harmless query, and 100 % when its answer comes back
            request = self._store(session, MessageSetKind.LOOKUP,
                                  [etree.Element("HostQueryRq", requestID="noop")],
                                  {"noop": {"kind": "noop"}}, on_error=build.CONTINUE_ON_ERROR)
        session.round_trips += 1
        session.save()
        return request

    def receive_response_xml(self, ticket: str | None, response: str | None,
                             hresult: str | None, message: str | None) -> int:
        session = self._session(ticket)
        if session is None:
            return PERCENT_ERROR
        pending = (MessageSet.objects.filter(session=session, state=MessageSetState.SENT)
                   .order_by("-created_at").first())
        if pending is None:
            session.last_error = "Web Connector sent an answer we did not ask for."
            session.save()
            return PERCENT_ERROR
        if hresult:
            return self._on_hresult(session, pending, hresult, message or "")
        try:
            items = parse_response(response or "")
        except QbXmlError as exc:
            session.last_error = f"QuickBooks' answer could not be read: {exc.message}"
            self._return_unanswered(session, pending)
            session.save()
            return PERCENT_ERROR
        answers = Answers(pending.request_xml, items)
        if pending.kind == MessageSetKind.LOOKUP and (problem := _lookup_problem(pending,
                                                                                 answers)):
            # nothing was written: the look-ups are asked again in the next session
            session.last_error = (f"QuickBooks' answer to the look-ups cannot be trusted "
                                  f"({problem}); nothing was sent, the orders wait for the next "
                                  "update.")
            self._return_unanswered(session, pending)
            session.save()
            return PERCENT_ERROR
        with transaction.atomic():
            pending.response_xml = response or ""
            pending.state = MessageSetState.ANSWERED
            pending.answered_at = self.now()
            pending.save(update_fields=["response_xml", "state", "answered_at"])
            handler = {
                MessageSetKind.RECONCILE: self._on_reconcile,
                MessageSetKind.LOOKUP: self._on_lookup,
                MessageSetKind.WRITE: self._on_write,
                MessageSetKind.PREFLIGHT: self._on_preflight,
            }[MessageSetKind(pending.kind)]
            handler(session, pending, answers)
            session.save()
        return self._percentage(session)

    def connection_error(self, ticket: str | None, hresult: str | None,
                         message: str | None) -> str:
        session = self._session(ticket)
        if session is None:
            return DONE
        session.last_error = describe_hresult(hresult or "", message or "")
        self._close(session, SessionState.CLOSED)
        return DONE

    def get_last_error(self, ticket: str | None) -> str:
        session = self._session(ticket, touch=False, include_closed=True)
        if session is None:
            return EXPIRED_MESSAGE
        if session.state != SessionState.OPEN:  # never "NoOp": that would make QBWC ask again
            return session.last_error or EXPIRED_MESSAGE
        return session.last_error or NO_OP

    def close_connection(self, ticket: str | None) -> str:
        session = self._session(ticket, include_closed=True)
        if session is None:
            return "OK"
        if session.state == SessionState.OPEN:
            self._close(session, SessionState.CLOSED)
        return session.summary or "OK"

    # --- authentication ---------------------------------------------------------------------

    def _credentials_ok(self, username: str, password: str) -> bool:
        expected_user = self.preferences.web_connector_username
        stored = self.preferences.web_connector_password
        user_ok = hmac.compare_digest(username.encode(), expected_user.encode())
        # check_password runs even for a wrong user name, so timing says nothing about which
        password_ok = bool(stored) and check_password(password, stored)
        return bool(expected_user) and user_ok and password_ok

    # --- sessions ---------------------------------------------------------------------------

    def _session(self, ticket: str | None, *, touch: bool = True,
                 include_closed: bool = False) -> WebConnectorSession | None:
        if not ticket:
            return None
        session = WebConnectorSession.objects.filter(ticket_digest=ticket_digest(ticket)).first()
        if session is None:
            return None
        if session.state != SessionState.OPEN and not include_closed:
            return None
        if session.state == SessionState.OPEN and self.now() - session.last_seen_at > (
                SESSION_TIMEOUT):
            self._drop(session)
            return session if include_closed else None
        if touch and session.state == SessionState.OPEN:
            session.last_seen_at = self.now()
        return session

    def _expire_stale_sessions(self, idle: timedelta = SESSION_TIMEOUT) -> None:
        cutoff = self.now() - idle
        for session in WebConnectorSession.objects.filter(state=SessionState.OPEN,
                                                          last_seen_at__lt=cutoff):
            self._drop(session)

    def _drop(self, session: WebConnectorSession) -> None:
        """A session that stopped calling: unsent orders go back, sent ones get reconciled."""
        with transaction.atomic():
            MessageSet.objects.filter(session=session, state=MessageSetState.SENT).update(
                state=MessageSetState.LOST)
            ExportRecord.objects.filter(session=session, state=ExportState.SENT).update(
                state=ExportState.NEEDS_RECONCILING, updated_at=self.now())
            self._release_unsent(session)
            session.state = SessionState.DROPPED
            session.closed_at = self.now()
            session.summary = session.summary or self._summary(session) + " (session dropped)"
            session.save()

    def _release_unsent(self, session: WebConnectorSession) -> None:
        in_flight = ExportRecord.objects.filter(
            session=session, state__in=[ExportState.SENT, ExportState.NEEDS_RECONCILING],
        ).values_list("order_id", flat=True)
        PendingOperationOrder.objects.filter(session=session, state=ItemState.CLAIMED).exclude(
            order_id__in=in_flight).update(state=ItemState.PENDING, session=None, claimed_at=None)

    def _close(self, session: WebConnectorSession, state: str) -> None:
        with transaction.atomic():
            lost = MessageSet.objects.filter(session=session, state=MessageSetState.SENT)
            if lost.exists():
                lost.update(state=MessageSetState.LOST)
                ExportRecord.objects.filter(session=session, state=ExportState.SENT).update(
                    state=ExportState.NEEDS_RECONCILING, updated_at=self.now())
            self._release_unsent(session)
            session.state = state
            session.closed_at = self.now()
            session.work = {**session.work, "batch": []}
            session.summary = self._summary(session)
            session.save()

    def _summary(self, session: WebConnectorSession) -> str:
        done, failed = session.orders_done, session.orders_failed
        text = f"{done} order{'s' if done != 1 else ''} exported"
        if failed:
            text += f", {failed} failed: see history"
        return text

    def _work_estimate(self) -> int:
        queued = waiting_items().count()
        reconcile = ExportRecord.objects.filter(state=ExportState.NEEDS_RECONCILING).count()
        automatic = 0
        if self.preferences.is_automatic:
            automatic = self.source.search(automatic_filter(self.preferences), offset=0,
                                           limit=0)[1]
            # failed orders whose cause may be gone: the session's preflight checks them
            automatic += int(automatic == 0 and has_retryable_failures())
        return queued + reconcile + automatic

    def _percentage(self, session: WebConnectorSession) -> int:
        if session.work.get("batch") or self._has_more_work(session):
            finished = session.orders_done + session.orders_failed
            total = max(session.orders_total, finished + 1)
            return max(0, min(99, (100 * finished) // total))
        self._close(session, SessionState.CLOSED)
        return PERCENT_DONE

    def _has_more_work(self, session: WebConnectorSession) -> bool:
        if self._to_reconcile(session).exists():
            return True
        if waiting_items().exists():
            return True
        if self.preferences.is_automatic:
            return bool(self.source.search_ids(automatic_filter(self.preferences), limit=1))
        return False

    # --- choosing the next request ----------------------------------------------------------

    def _next_request(self, session: WebConnectorSession) -> str | None:
        if "preflight" not in session.work:
            return self._preflight_request(session)
        reconcile = self._reconcile_request(session)
        if reconcile is not None:
            return reconcile
        work = session.work
        if not work.get("batch"):
            claims = self._claim_batch(session)
            if not claims:
                return None
            work["batch"] = [_claim_row(c) for c in claims]
            work["step"] = "lookup"
            work["duplicates"] = {}
            work["missing_items"] = []
        batch = self._load_batch(session)
        if not batch.claims:
            work["batch"] = []
            return self._next_request(session)
        if work.get("step") == "lookup":
            lookup = self._lookup_request(session, batch)
            if lookup is not None:
                return lookup
            work["step"] = "write"
        return self._write_request(session, batch)

    def _claim_batch(self, session: WebConnectorSession) -> list[Claim]:
        isolate = session.work.get("isolate") or []
        if isolate:
            return [Claim(*isolate.pop(0))]
        return claim_orders(session, self.source, self.preferences,
                            self.preferences.orders_per_request)

    def _load_batch(self, session: WebConnectorSession) -> _Batch:
        """Map the batch's orders; an order that cannot be mapped fails here, with its reason."""
        claims = [Claim(*row) for row in session.work.get("batch") or []]
        documents = self.source.load([c.order_id for c in claims])
        kept, mapped = [], {}
        for claim in claims:
            document = documents.get(claim.order_id)
            if document is None:
                self._fail_unsent(session, claim, "The order no longer exists in Saleor.",
                                  "order_missing")
                continue
            try:
                mapped[claim.order_id] = self._apply_item_rule(
                    map_order(document, self.preferences), session)
            except MappingError as exc:
                # the settings may be what is wrong (a prefix too long): tried again when changed
                self._fail_unsent(session, claim, exc.message, exc.code, cause=Cause(
                    CauseKind.SETTINGS, self.preferences.fingerprint()))
                continue
            kept.append(claim)
        if len(kept) != len(claims):
            session.work["batch"] = [_claim_row(c) for c in kept]
        return _Batch(kept, mapped)

    def _apply_item_rule(self, mapped: MappedOrder, session: WebConnectorSession) -> MappedOrder:
        """With ``use_default``, product items QuickBooks lacks are replaced by the default."""
        missing = set(session.work.get("missing_items") or [])
        if (not missing or self.preferences.missing_item_action != MissingItemAction.USE_DEFAULT
                or self.preferences.item_mode == ItemMode.SINGLE_ITEM):
            return mapped
        from dataclasses import replace

        default = self.preferences.default_item_name[:31]
        lines = tuple(replace(line, item_name=default) if line.item_name in missing else line
                      for line in mapped.transaction.lines)
        items = {i.name: i for i in mapped.items if i.name not in missing}
        items.setdefault(default, ItemRecord(default, ItemKind.NON_INVENTORY, "Saleor product",
                                             self.preferences.income_account))
        return replace(mapped, transaction=replace(mapped.transaction, lines=lines),
                       items=tuple(items.values()))

    def _fail_unsent(self, session, claim: Claim, message: str, code: str,
                     cause: Cause | None = None) -> None:
        fail_unsent(claim, session=session, transaction_type="", ref_number="",
                    message=message, code=code, cause=cause)
        session.orders_failed += 1

    # --- round trip 0: the preflight (do the accounts and items the settings name exist?) ----

    def _preflight_request(self, session: WebConnectorSession) -> str | None:
        needed = preflight.requirements(self.preferences, open_causes())
        requests, meta = preflight.requests(needed)
        if not requests:
            session.work["preflight"] = preflight.Preflight().to_json()
            return self._next_request(session)
        return self._store(session, MessageSetKind.PREFLIGHT, requests, meta,
                           on_error=build.CONTINUE_ON_ERROR)

    def _on_preflight(self, session, message_set: MessageSet, answers):
        result = preflight.read_answers(message_set.requests, answers.get)
        session.work["preflight"] = result.to_json()
        _remember_names(QuickBooksName.Kind.ITEM,
                        preflight.found_item_names(result, message_set.requests))
        if result.problems:
            session.last_error = " ".join(result.messages())
        if self.preferences.is_automatic:
            released = release_resolved_failures(self.preferences.fingerprint(), result.present)
            if released:
                logger.info("saleor-qb-sync: %d failed orders are tried again (cause gone)",
                            released)

    # --- round trip 0: reconcile what a lost answer left open ---------------------------------

    def _to_reconcile(self, session: WebConnectorSession):
        """Attempts whose answer was lost, not yet asked about in this session (a record that
        QuickBooks cannot confirm either way waits for the next session, never loops here)."""
        return ExportRecord.objects.filter(state=ExportState.NEEDS_RECONCILING).exclude(
            pk__in=session.work.get("reconcile_asked") or [])

    def _reconcile_request(self, session: WebConnectorSession) -> str | None:
        records = list(self._to_reconcile(session).order_by("id")[
            :self.preferences.orders_per_request])
        if not records:
            return None
        session.work["reconcile_asked"] = (session.work.get("reconcile_asked") or []) + [
            r.pk for r in records]
        requests, meta = [], {}
        by_kind: dict[str, list[ExportRecord]] = {}
        for record in records:
            by_kind.setdefault(record.transaction_type, []).append(record)
        for index, (kind, group) in enumerate(sorted(by_kind.items())):
            request_id = f"r{index}"
            requests.append(build.transaction_query_by_ref(
                TxnKind(kind), [r.ref_number for r in group], request_id))
            meta[request_id] = {"kind": "reconcile", "records": [r.pk for r in group]}
        return self._store(session, MessageSetKind.RECONCILE, requests, meta,
                           on_error=build.CONTINUE_ON_ERROR)

    def _on_reconcile(self, session, message_set: MessageSet, by_id: Answers):
        for request_id, meta in message_set.requests.items():
            verdict = by_id.answer(request_id)
            answer = verdict.item
            records = list(ExportRecord.objects.filter(pk__in=meta["records"],
                                                       state=ExportState.NEEDS_RECONCILING))
            problem = verdict.problem
            if answer is not None and records:
                problem = query_problem(answer, ret_type=records[0].transaction_type,
                                        ref_numbers=by_id.ref_numbers(request_id),
                                        id_field="TxnID")
            if problem:
                ExportRecord.objects.filter(pk__in=[r.pk for r in records]).update(
                    status_message=f"Still checking QuickBooks: {problem}.",
                    updated_at=self.now())
            for record in records:
                if answer is None or problem or answer.status_class not in (
                        StatusClass.SUCCESS, StatusClass.NOT_FOUND):
                    continue  # ask again next time; never guess
                match = _matching_record(answer, record.ref_number, str(record.order_id),
                                         record.order_number)
                if match is not None:
                    record_success(record, txn_id=match["TxnID"], message=(
                        "Confirmed in QuickBooks after a lost answer" if not record.status_message
                        else f"Confirmed in QuickBooks by looking it up ({record.status_message})"))
                    session.orders_done += 1
                    continue
                # QuickBooks never got it: close this attempt and send the order again
                record.state = ExportState.FAILED
                record.status_message = ("Web Connector lost the answer and QuickBooks does not "
                                         "have this order; it is sent again.")
                record.action = "resent"
                record.automatic = False
                record.updated_at = self.now()
                record.save()
                PendingOperationOrder.objects.filter(
                    Q(operation_id=record.operation_id)
                    | Q(session_id=record.session_id, state=ItemState.CLAIMED),
                    order_id=record.order_id,
                ).update(state=ItemState.PENDING, session=None, claimed_at=None)

    # --- round trip 1: look-ups -------------------------------------------------------------

    def _lookup_request(self, session: WebConnectorSession, batch: _Batch) -> str | None:
        customers = sorted({m.customer.name for m in batch.mapped.values()})
        items = sorted({i.name for m in batch.mapped.values() for i in m.items})
        known = _known_names(customers, items)
        unknown_customers = [n for n in customers if ("customer", n) not in known]
        unknown_items = [n for n in items if ("item", n) not in known]
        requests, meta = [], {}
        if unknown_customers:
            requests.append(build.customer_query(unknown_customers, "qc"))
            meta["qc"] = {"kind": "customers", "names": unknown_customers}
        if unknown_items:
            requests.append(build.item_query(unknown_items, "qi"))
            meta["qi"] = {"kind": "items", "names": unknown_items}
        if self.preferences.check_duplicates:
            by_kind: dict[TxnKind, list[str]] = {}
            for claim in batch.claims:
                txn = batch.mapped[claim.order_id].transaction
                by_kind.setdefault(txn.kind, []).append(claim.order_id)
            for kind, order_ids in sorted(by_kind.items()):
                request_id = f"qd{kind.value}"
                refs = [batch.mapped[o].transaction.ref_number for o in order_ids]
                requests.append(build.transaction_query_by_ref(kind, refs, request_id))
                meta[request_id] = {"kind": "duplicates", "orders": order_ids}
        if not requests:
            return None
        return self._store(session, MessageSetKind.LOOKUP, requests, meta,
                           on_error=build.CONTINUE_ON_ERROR)

    def _on_lookup(self, session, message_set: MessageSet, by_id: Answers):
        """Only called once ``_lookup_problem`` found every look-up answered as asked."""
        work = session.work
        batch = self._load_batch(session)
        for request_id, meta in message_set.requests.items():
            answer = by_id.get(request_id)
            if meta["kind"] in ("customers", "items"):
                kind = "customer" if meta["kind"] == "customers" else "item"
                # QuickBooks names are case-insensitive: "doe, jane" finds "Doe, Jane"
                found = {n.casefold() for n in answer.found_names} if answer else set()
                present = [n for n in meta["names"] if n.casefold() in found]
                _remember_names(kind, present)
                if kind == "item":
                    work["missing_items"] = [n for n in meta["names"] if n.casefold() not in found]
            elif meta["kind"] == "duplicates" and answer is not None:
                for order_id in meta["orders"]:
                    mapped = batch.mapped.get(order_id)
                    if mapped is None:
                        continue
                    txn = mapped.transaction
                    match = _matching_record(answer, txn.ref_number, order_id, txn.order_number)
                    if match is not None:
                        work["duplicates"][order_id] = match.get("TxnID", "")
                    elif any(r.get("RefNumber") == txn.ref_number for r in answer.records):
                        work["duplicates"][order_id] = None  # same number, another document
        work["step"] = "write"
        self._settle(session, batch)

    # --- round trip 2: adds -------------------------------------------------------------------

    def _settle(self, session: WebConnectorSession, batch: _Batch) -> None:
        """After the look-ups: link orders QuickBooks already has, fail those that cannot go,
        and keep in the batch only the orders that will really be sent."""
        work = session.work
        duplicates: dict = work.get("duplicates") or {}
        missing_items = set(work.get("missing_items") or [])
        to_send: list[Claim] = []
        for claim in batch.claims:
            mapped = batch.mapped[claim.order_id]
            txn = mapped.transaction
            if claim.order_id in duplicates:
                record = record_attempt(
                    order_id=claim.order_id, order_number=claim.order_number,
                    transaction_type=txn.kind.value, ref_number=txn.ref_number, session=session,
                    operation_id=claim.operation_id, total_amount=txn.lines_total,
                    currency=txn.currency, channel_slug=claim.channel_slug)
                txn_id = duplicates[claim.order_id]
                if txn_id is None:
                    record_failure(record, status_code=None, message=(
                        f"QuickBooks already has a {txn.kind.value} numbered {txn.ref_number} "
                        "that is not this order."),
                        action="Set a RefNumber prefix in the plugin settings so Saleor numbers "
                               "do not collide with numbers already used in QuickBooks.")
                    session.orders_failed += 1
                else:
                    record_success(record, txn_id=txn_id, linked_existing=True,
                                   message="Already in QuickBooks; linked, not added again")
                    session.orders_done += 1
                continue
            if (missing_items and self.preferences.missing_item_action == MissingItemAction.FAIL
                    and (absent := sorted({i.name for i in mapped.items} & missing_items))):
                fail_unsent(
                    claim, session=session, transaction_type=txn.kind.value,
                    ref_number=txn.ref_number,
                    message=f"QuickBooks has no item named {', '.join(absent)}.",
                    code="Create the item in QuickBooks or change the missing item rule.",
                    cause=Cause(CauseKind.ITEM, self.preferences.fingerprint(), absent[0]))
                session.orders_failed += 1
                continue
            to_send.append(claim)
        work["duplicates"] = {}
        work["batch"] = [_claim_row(c) for c in to_send]
        batch.claims = to_send

    def _write_request(self, session: WebConnectorSession, batch: _Batch) -> str | None:
        to_send = batch.claims
        if not to_send:
            session.work["batch"] = []
            return self._next_request(session)

        known = _known_names(
            {batch.mapped[c.order_id].customer.name for c in to_send},
            {i.name for c in to_send for i in batch.mapped[c.order_id].items})
        checked = preflight.Preflight.from_json(session.work.get("preflight"))
        kept = []
        for claim in to_send:
            mapped = batch.mapped[claim.order_id]
            to_create = [i.name for i in mapped.items if ("item", i.name) not in known]
            blocked = preflight.blocker(mapped, to_create, checked, self.preferences)
            if blocked is None:
                kept.append(claim)
                continue
            fail_unsent(claim, session=session, transaction_type=mapped.transaction.kind.value,
                        ref_number=mapped.transaction.ref_number, message=blocked.message,
                        code="missing_in_quickbooks", cause=blocked.cause)
            session.orders_failed += 1
        if len(kept) != len(to_send):
            session.work["batch"] = [_claim_row(c) for c in kept]
        to_send = batch.claims = kept
        if not to_send:
            session.work["batch"] = []
            return self._next_request(session)
        requests, meta = [], {}
        added: set[tuple[str, str]] = set()
        for claim in to_send:
            mapped = batch.mapped[claim.order_id]
            key = ("customer", mapped.customer.name)
            if key not in known and key not in added and mapped.customer.name:
                request_id = f"c{len(added)}"
                requests.append(build.customer_add(mapped.customer, request_id))
                meta[request_id] = {"kind": "customer", "name": mapped.customer.name}
                added.add(key)
        for claim in to_send:
            for item in batch.mapped[claim.order_id].items:
                key = ("item", item.name)
                if key not in known and key not in added:
                    request_id = f"i{len(added)}"
                    requests.append(build.item_add(item, request_id))
                    meta[request_id] = {"kind": "item", "name": item.name,
                                        "account": item.account}
                    added.add(key)
        message_set = MessageSet(session=session, kind=MessageSetKind.WRITE, request_xml="",
                                 requests={})
        message_set.save()
        attempts: list[tuple[str, ExportRecord]] = []
        for index, claim in enumerate(to_send):
            txn = batch.mapped[claim.order_id].transaction
            request_id = f"t{index}"
            try:
                requests.append(build.transaction_add(txn, request_id))
            except ValueError as exc:  # the builder refused it: this order fails, not the batch
                fail_unsent(claim, session=session, transaction_type=txn.kind.value,
                            ref_number=txn.ref_number, message=str(exc), code="build_failed")
                session.orders_failed += 1
                continue
            attempts.append((request_id, new_attempt(
                order_id=claim.order_id, order_number=claim.order_number,
                transaction_type=txn.kind.value, ref_number=txn.ref_number, session=session,
                operation_id=claim.operation_id, message_set=message_set,
                request_id=request_id, total_amount=txn.lines_total, currency=txn.currency,
                channel_slug=claim.channel_slug)))
        ExportRecord.objects.bulk_create([record for _, record in attempts])
        for request_id, record in attempts:
            mapped = batch.mapped[str(record.order_id)]
            meta[request_id] = {"kind": "txn", "record": record.pk,
                                "order_id": str(record.order_id),
                                "number": record.order_number,
                                "operation_id": record.operation_id,
                                "customer": mapped.customer.name,
                                "items": sorted({i.name for i in mapped.items})}
        return self._store(session, MessageSetKind.WRITE, requests, meta,
                           on_error=build.CONTINUE_ON_ERROR, message_set=message_set)

    def _on_write(self, session, message_set: MessageSet, by_id: Answers):
        work = session.work
        retried = set(work.get("retried") or [])
        #: items QuickBooks would not create in this set: name → why (a preflight.Blocker)
        refused: dict[str, preflight.Blocker] = {}
        retry: list[list] = []
        outcomes: list[Outcome] = []
        records = ExportRecord.objects.in_bulk(
            [m["record"] for m in message_set.requests.values() if m["kind"] == "txn"])
        for request_id, meta in message_set.requests.items():
            verdict = by_id.answer(request_id)
            answer = verdict.item
            if meta["kind"] in ("customer", "item"):
                if answer is not None and (answer.status_code == 3100 or answer.ok and not (
                        add_problem(answer, ret_type=meta["kind"].capitalize(),
                                    ref_number=None))):
                    _remember_names(meta["kind"], {meta["name"]})
                elif answer is not None and meta["kind"] == "item":
                    refused[meta["name"]] = preflight.refused_item(
                        meta["name"], meta.get("account", ""), answer.message, self.preferences)
                continue
            record = records[meta["record"]]
            problem = verdict.problem or ("" if answer is None or not answer.ok else add_problem(
                answer, ret_type=record.transaction_type, ref_number=record.ref_number))
            if answer is None or problem:
                # QuickBooks said nothing about it, or nothing that proves it was added: whether
                # it was is asked (RefNumber and our ExternalGUID) before it is ever sent again
                record.state = ExportState.NEEDS_RECONCILING
                record.status_message = (f"Checking QuickBooks: {problem}." if problem else
                                         "Checking QuickBooks: its answer said nothing about "
                                         "this order.")
                record.updated_at = self.now()
                record.save(update_fields=["state", "status_message", "updated_at"])
                continue
            if answer.ok:
                outcomes.append(Outcome(record, True, txn_id=answer.txn_id,
                                        status_code=answer.status_code,
                                        message=answer.message if answer.status_code else ""))
                session.orders_done += 1
            elif answer.status_code == 3140 and (why := next(
                    (refused[i] for i in meta.get("items") or () if i in refused), None)):
                # the order failed because an item it needs could not be created: say why
                outcomes.append(Outcome(record, False, status_code=answer.status_code,
                                        message=answer.message, action=why.message,
                                        cause=why.cause))
                session.orders_failed += 1
                session.last_error = f"Order #{record.order_number}: {why.message}"
            elif answer.status_code == 3140 and meta["order_id"] not in retried:
                # names we believed were in QuickBooks are not: forget the order's names (QuickBooks
                # quotes only the first missing one) and try the order once more
                _forget_names(meta.get("customer"), meta.get("items") or ())
                record.state = ExportState.FAILED
                record.status_code = answer.status_code
                record.status_message = answer.message
                record.action = "retried"
                record.updated_at = self.now()
                record.save()
                retried.add(meta["order_id"])
                retry.append([meta["order_id"], meta["number"], meta["operation_id"],
                              record.channel_slug])
            else:
                advice, cause = self._failure_reason(answer)
                outcomes.append(Outcome(record, False, status_code=answer.status_code,
                                        message=answer.message, action=advice, cause=cause))
                session.orders_failed += 1
                session.last_error = f"Order #{record.order_number}: {advice}"
        record_outcomes(outcomes)
        work["retried"] = sorted(retried)
        if retry:
            work["batch"] = retry
            work["step"] = "lookup"
            work["duplicates"] = {}
            work["missing_items"] = []
        else:
            work["batch"] = []

    def _failure_reason(self, answer) -> tuple[str, Cause | None]:
        """What to tell a person about a refused order, and the cause a later session checks
        (none for what only a person can clear, such as the closing date)."""
        if answer.status_code == 3140:
            named = preflight.reference_failure(answer.message, self.preferences)
            if named is not None:
                return named.message, named.cause
            return (describe(answer.status_code, answer.message),
                    Cause(CauseKind.SETTINGS, self.preferences.fingerprint()))
        advice = describe(answer.status_code, answer.message)
        if classify(answer.status_code, answer.severity) == StatusClass.TRANSIENT:
            return advice, Cause(CauseKind.TRANSIENT, self.preferences.fingerprint())
        return advice, None

    # --- QuickBooks could not answer at all ---------------------------------------------------

    def _on_hresult(self, session, message_set: MessageSet, hresult: str, message: str) -> int:
        """QuickBooks threw instead of answering: nothing of the set was processed."""
        reason = describe_hresult(hresult, message)
        with transaction.atomic():
            message_set.state = MessageSetState.ANSWERED
            message_set.answered_at = self.now()
            message_set.response_xml = f"hresult={hresult} {message}"
            message_set.save()
            session.last_error = reason
            if message_set.kind == MessageSetKind.WRITE and (
                    parse_hresult(hresult) == HRESULT_PARSE_ERROR):
                batch = session.work.get("batch") or []
                if len(batch) > 1:
                    # QuickBooks could not read the set: send each order alone to find the bad one
                    self._withdraw_records(message_set, reason)
                    session.work["isolate"] = (session.work.get("isolate") or []) + batch
                else:
                    for record in ExportRecord.objects.filter(message_set=message_set,
                                                              state=ExportState.SENT):
                        record_failure(record, status_code=None, message=reason, action=(
                            "QuickBooks could not read the request for this order; send the "
                            "qbXML from the history to support."))
                        session.orders_failed += 1
                session.work["batch"] = []
                session.save()
                return self._percentage(session)
            # QuickBooks busy or unreachable: the orders go back and wait for the next update
            self._withdraw_records(message_set, reason)
            self._close(session, SessionState.CLOSED)
        return PERCENT_ERROR

    def _withdraw_records(self, message_set: MessageSet, reason: str) -> None:
        """QuickBooks processed nothing of this set: its attempts end, the orders go back."""
        records = list(ExportRecord.objects.filter(message_set=message_set,
                                                   state=ExportState.SENT))
        for record in records:
            record.state = ExportState.FAILED
            record.status_message = f"Not processed: {reason}"
            record.action = "resent"
            record.automatic = False
            record.updated_at = self.now()
            record.save()
        PendingOperationOrder.objects.filter(
            order_id__in=[r.order_id for r in records], state=ItemState.CLAIMED,
            session=message_set.session).update(state=ItemState.PENDING, session=None,
                                                claimed_at=None)

    def _return_unanswered(self, session, message_set: MessageSet) -> None:
        message_set.state = MessageSetState.LOST
        message_set.save(update_fields=["state"])
        ExportRecord.objects.filter(message_set=message_set, state=ExportState.SENT).update(
            state=ExportState.NEEDS_RECONCILING, updated_at=self.now())
        session.work["batch"] = []

    # --- storing a request before it leaves --------------------------------------------------

    def _store(self, session, kind: str, requests, meta: dict, *, on_error: str,
               message_set: MessageSet | None = None) -> str:
        message_set = message_set or MessageSet(session=session, kind=kind, requests={},
                                                request_xml="")
        # QuickBooks accepts message-set IDs of at most 24 characters
        new_id = message_set.message_set_id.hex[:24] if kind == MessageSetKind.WRITE else None
        xml = build.message_set(requests, on_error=on_error,
                                version=self.preferences.qbxml_version,
                                new_message_set_id=new_id).decode("utf-8")
        message_set.kind = kind
        message_set.request_xml = xml
        message_set.requests = meta
        message_set.state = MessageSetState.SENT
        message_set.save()
        return xml


# --- helpers ------------------------------------------------------------------------------


def _claim_row(claim: Claim) -> list:
    """A claim as stored in the session's JSON work state (``Claim(*row)`` reads it back)."""
    return [claim.order_id, claim.order_number, claim.operation_id, claim.channel_slug]


def _version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (0,)


def _known_names(customers: Iterable[str], items: Iterable[str]) -> set[tuple[str, str]]:
    customers, items = list(customers), list(items)
    rows = QuickBooksName.objects.filter(
        kind=QuickBooksName.Kind.CUSTOMER, name__in=customers).values_list("kind", "name")
    rows = list(rows) + list(QuickBooksName.objects.filter(
        kind=QuickBooksName.Kind.ITEM, name__in=items).values_list("kind", "name"))
    return {(k, n) for k, n in rows}


def _remember_names(kind: str, names: Iterable[str]) -> None:
    QuickBooksName.objects.bulk_create(
        [QuickBooksName(kind=kind, name=n) for n in names], ignore_conflicts=True)


def _forget_names(customer: str | None, items: Iterable[str]) -> None:
    if customer:
        QuickBooksName.objects.filter(kind=QuickBooksName.Kind.CUSTOMER, name=customer).delete()
    QuickBooksName.objects.filter(kind=QuickBooksName.Kind.ITEM, name__in=list(items)).delete()


def _lookup_problem(message_set: MessageSet, answers: Answers) -> str:
    """What makes a look-up answer unusable, or "": every look-up must have exactly one answer
    of the type asked, whose records are of the kind asked (with TxnIDs and only the RefNumbers
    asked, for duplicate checks); a doubt would let us add a duplicate or skip an order."""
    for request_id, meta in message_set.requests.items():
        kind = meta.get("kind")
        if kind not in ("customers", "items", "duplicates"):
            continue  # the harmless HostQuery of a session with nothing left
        verdict = answers.answer(request_id)
        if verdict.item is None:
            return verdict.problem or f"no answer to look-up {request_id}"
        ret_type = {"customers": "Customer", "items": "Item"}.get(
            kind, verdict.item.request_type.removesuffix("Query"))
        problem = query_problem(verdict.item, ret_type=ret_type,
                                ref_numbers=answers.ref_numbers(request_id),
                                id_field="TxnID" if kind == "duplicates" else "")
        if problem:
            return problem
    return ""


def _matching_record(answer: ResponseItem, ref_number: str, order_id: str,
                     order_number: int) -> dict | None:
    """The QuickBooks transaction that is this order: same RefNumber and our ExternalGUID or
    our memo (QuickBooks does not keep RefNumbers unique, so the number alone proves nothing)."""
    guid = "{" + order_id.lower() + "}"
    memo_mark = re.compile(rf"\bSaleor order #{order_number}(?!\d)")
    for record in answer.records:
        if record.get("RefNumber") != ref_number:
            continue
        if record.get("ExternalGUID", "").lower() == guid or memo_mark.search(
                record.get("Memo", "")):
            return record
    return None
