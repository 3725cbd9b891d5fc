"""The QBWC callbacks: Web Connector's calls in, qbXML work out, answers into the ledger.

No framework here: ``Engine`` methods take and return the plain values of the QBWC contract,
so the spyne service (``service.py``) stays thin and tests can drive the engine directly. The
conversation's state is the session's (``session.py``); what each message set asks and how its
answer is read are the steps' (``steps/``); what QuickBooks confirmed is the ledger's.

Exactly once: a write whose answer never came (Web Connector dropped, server restarted) is
reconciled first in the next session, by asking QuickBooks for those RefNumbers and checking the
ExternalGUID we set, before anything is sent again.
"""

from __future__ import annotations

import hmac
import logging

from django.contrib.auth.hashers import check_password
from django.db import transaction
from lxml import etree

from .. import __version__, clock, ledger
from ..checkin import record_check_in
from ..errors import QbXmlError
from ..models import MessageSet, MessageSetKind, MessageSetState, SessionState
from ..order_source import OrderSource
from ..preferences import Preferences
from ..qbxml.answers import Answers
from ..qbxml.parse import parse_hcp_response, parse_response
from ..qbxml.status import HRESULT_PARSE_ERROR, describe_hresult, parse_hresult
from ..transfers import automatic_filter
from . import session as sessions
from . import steps
from .login import check_login
from .steps import edits, follow_ups, lists, lookup, reconcile, write
from .steps.context import Context

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
#: lowest Web Connector we accept (older builds lack the protocol features we rely on)
MIN_CLIENT_VERSION = (2, 1, 0, 30)
EXPIRED_MESSAGE = ("This Web Connector session has expired or is unknown; the next update "
                   "starts a new one.")


class Engine:
    """One instance per request: the store's preferences and orders.

    ``claim=False`` (a dry run, ``dry_run.py``): the session works only on the orders put in
    its work when it was opened; it claims none, reconciles nothing and sends nothing after
    them (payments, edits, lists). Everything else is the same code."""

    def __init__(self, preferences: Preferences, source: OrderSource, *,
                 claim: bool = True) -> None:
        self.preferences = preferences
        self.source = source
        self.claim = claim

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
                            lambda: self._credentials_ok(username, password), now=clock.now())
        if login.wait_seconds:
            # not checked: this address failed too often. "busy", not "nvu": Web Connector then
            # shows "Application busy" and tries at its next run instead of asking for the
            # password again, and the answer says nothing about the password
            return ["", AUTH_BUSY]
        if not login.ok:
            return ["", AUTH_INVALID_USER]
        record_check_in(clock.now())  # Web Connector keeps its schedule (checkin.py)
        ticket, refusal = sessions.open_session(
            username, automatic=self.preferences.is_automatic, estimate=self._work_estimate)
        if not ticket:
            return ["", AUTH_BUSY if refusal == "busy" else AUTH_NONE]
        return [ticket, self.preferences.company_file]

    def send_request_xml(self, ticket: str | None, hcp_response: str | None,
                         company_file: str | None, country: str | None,
                         major: int | None, minor: int | None) -> str:
        session = sessions.find(ticket)
        if session is None:
            return ""
        row = session.row
        if hcp_response and not row.host_info:
            host = parse_hcp_response(hcp_response)
            row.host_info = {"product": host.product_name, "country": host.country,
                             "company": host.company_name,
                             "versions": list(host.supported_versions),
                             "sales_tax": host.sales_tax_enabled,
                             "multi_currency": host.multi_currency,
                             "home_currency": host.home_currency}
            row.company_file = company_file or ""
        version = self.preferences.qbxml_version
        if major is not None and _version_tuple(f"{major}.{minor or 0}") < _version_tuple(version):
            session.say(
                f"This QuickBooks supports qbXML {major}.{minor or 0}, but saleor-qb-sync needs "
                f"{version}. Update QuickBooks Desktop (2015 or newer) and run Web Connector "
                "again.")
            session.save()
            return ""
        row.qbxml_version = version
        ctx = self._context(session)
        try:
            request = steps.next_request(ctx, claim=self.claim)
        except Exception:  # noqa: BLE001 - a server bug must end the session cleanly, logged
            logger.exception("saleor-qb-sync could not prepare work for Web Connector")
            session.say("saleor-qb-sync hit an internal error while preparing orders; the "
                        "details are in the server log. Nothing was sent.")
            ledger.release_claims(row)
            session.save()
            return ""
        if request is None:
            # Web Connector asked although nothing is left (every remaining order was settled
            # without sending): answer a harmless query, and 100 % when its answer comes back
            request = ctx.store(MessageSetKind.LOOKUP,
                                [etree.Element("HostQueryRq", requestID="noop")],
                                {"noop": {"kind": "noop"}})
        row.round_trips += 1
        session.save()
        return request

    def receive_response_xml(self, ticket: str | None, response: str | None,
                             hresult: str | None, message: str | None) -> int:
        session = sessions.find(ticket)
        if session is None:
            return PERCENT_ERROR
        pending = (MessageSet.objects.filter(session=session.row, state=MessageSetState.SENT)
                   .order_by("-created_at").first())
        if pending is None:
            session.say("Web Connector sent an answer we did not ask for.")
            session.save()
            return PERCENT_ERROR
        if hresult:
            return self._on_hresult(session, pending, hresult, message or "")
        try:
            items = parse_response(response or "")
        except QbXmlError as exc:
            session.say(f"QuickBooks' answer could not be read: {exc.message}")
            self._answer_lost(session, pending)
            session.save()
            return PERCENT_ERROR
        answers = Answers(pending.request_xml, items, meta=pending.requests)
        if pending.kind == MessageSetKind.LOOKUP and (problem := lookup.problem(pending,
                                                                                answers)):
            # nothing was written: the look-ups are asked again in the next session
            session.say(f"QuickBooks' answer to the look-ups cannot be trusted ({problem}); "
                        "nothing was sent, the orders wait for the next update.")
            self._answer_lost(session, pending)
            session.save()
            return PERCENT_ERROR
        with transaction.atomic():
            pending.response_xml = response or ""
            pending.state = MessageSetState.ANSWERED
            pending.answered_at = clock.now()
            pending.save(update_fields=["response_xml", "state", "answered_at"])
            steps.read_answer(self._context(session), pending, answers)
            session.save()
        return self._percentage(session)

    def connection_error(self, ticket: str | None, hresult: str | None,
                         message: str | None) -> str:
        session = sessions.find(ticket)
        if session is None:
            return DONE
        session.say(describe_hresult(hresult or "", message or ""))
        sessions.close(session)
        return DONE

    def get_last_error(self, ticket: str | None) -> str:
        session = sessions.find(ticket, touch=False, include_closed=True)
        if session is None:
            return EXPIRED_MESSAGE
        if session.row.state != SessionState.OPEN:  # never "NoOp": QBWC would ask again
            return session.row.last_error or EXPIRED_MESSAGE
        return session.row.last_error or NO_OP

    def close_connection(self, ticket: str | None) -> str:
        session = sessions.find(ticket, include_closed=True)
        if session is None:
            return "OK"
        if session.row.state == SessionState.OPEN:
            sessions.close(session)
        return session.row.summary or "OK"

    # --- helpers ----------------------------------------------------------------------------

    def _context(self, session: sessions.Session) -> Context:
        return Context(self.preferences, self.source, session)

    def _credentials_ok(self, username: str, password: str) -> bool:
        expected_user = self.preferences.web_connector_username
        stored = self.preferences.web_connector_password
        user_ok = hmac.compare_digest(username.encode(), expected_user.encode())
        # check_password runs even for a wrong user name, so timing says nothing about which
        password_ok = bool(stored) and check_password(password, stored)
        return bool(expected_user) and user_ok and password_ok

    def _work_estimate(self) -> int:
        queued = ledger.waiting_items().count()
        reconcile = ledger.to_reconcile().count()
        automatic = 0
        if self.preferences.is_automatic:
            automatic = self.source.filtered(automatic_filter(self.preferences)).count()
            # failed orders whose cause may be gone: the session's preflight checks them
            automatic += int(automatic == 0 and ledger.has_retryable_failures())
        total = queued + reconcile + automatic
        if total == 0:
            total = (follow_ups.waiting(self.preferences, self.source)
                     + edits.waiting(self.preferences, self.source))
        return total or lists.waiting(self.preferences)

    def _percentage(self, session: sessions.Session) -> int:
        """The progress after an answer; the session was saved just before."""
        busy = session.work.busy
        if busy or self._has_more_work(session):
            if not busy:  # what the payments step found to do waits in the work
                session.save()
            row = session.row
            finished = row.orders_done + row.orders_failed
            total = max(row.orders_total, finished + 1)
            return max(0, min(99, (100 * finished) // total))
        sessions.close(session)
        return PERCENT_DONE

    def _has_more_work(self, session: sessions.Session) -> bool:
        if not self.claim:  # only the orders it was given, and none is held any more
            return False
        if reconcile.pending(self._context(session)):
            return True
        if ledger.waiting_items().exists():
            return True
        if self.preferences.is_automatic and self.source.search_ids(
                automatic_filter(self.preferences), limit=1):
            return True
        context = self._context(session)
        return (follow_ups.pending(context) or edits.pending(context)
                or lists.pending(context))

    def _answer_lost(self, session: sessions.Session, message_set: MessageSet) -> None:
        """The answer to this set cannot be used: what it sent is reconciled later."""
        message_set.state = MessageSetState.LOST
        message_set.save(update_fields=["state"])
        ledger.answers_lost(message_set=message_set)
        work = session.work
        work.in_flight = []
        work.wave = sessions.Wave([])
        ledger.release_unsent(session.row)

    def _on_hresult(self, session: sessions.Session, message_set: MessageSet, hresult: str,
                    message: str) -> int:
        """QuickBooks threw instead of answering: nothing of the set was processed."""
        reason = describe_hresult(hresult, message)
        with transaction.atomic():
            message_set.state = MessageSetState.ANSWERED
            message_set.answered_at = clock.now()
            message_set.response_xml = f"hresult={hresult} {message}"
            message_set.save()
            session.say(reason)
            if message_set.kind == MessageSetKind.WRITE and (
                    parse_hresult(hresult) == HRESULT_PARSE_ERROR):
                write.unreadable(self._context(session), message_set, reason)
                session.save()
                return self._percentage(session)
            # QuickBooks busy or unreachable: the orders go back and wait for the next update
            ledger.withdraw(message_set, reason)
            sessions.close(session)
        return PERCENT_ERROR


def _version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (0,)
