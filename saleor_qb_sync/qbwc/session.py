"""A Web Connector session: its ticket, its lifetime and its typed work state.

The session row (``WebConnectorSession``) is the one owner of a conversation's state, so any
API worker can serve any call and a restarted server goes on where the last one stopped. What
the steps need between callbacks is ``Work``, stored as JSON in the row and read back typed.

Lifetime: ``authenticate`` opens one session at a time (an advisory lock serialises "is one
open?" and "open one"); each callback touches it; one silent for ``SESSION_TIMEOUT`` is dropped
(its Web Connector gave up), and one silent for ``SESSION_YIELDS_AFTER`` gives way to a new
log-in with the right password. Ending a session, either way, hands back what it claimed and did
not send, and marks what it sent without an answer for reconciliation (``ledger``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction

from .. import clock, ledger
from ..ledger import Claim
from ..models import MessageSet, MessageSetState, SessionState, WebConnectorSession
from .preflight import Preflight

#: a session that has not called for this long is considered dropped: Web Connector gives up on
#: a callback after two minutes, so a session silent for longer has lost its Web Connector
SESSION_TIMEOUT = timedelta(minutes=3)
#: an open session silent this long yields to a new authenticate with the right password (its
#: Web Connector crashed or was closed): within a session Web Connector calls again as soon as
#: QuickBooks has answered, seconds apart (5 s after a NoOp), so 45 s of silence means it is
#: gone, and a run scheduled a minute later is not turned away; what it left unanswered is
#: reconciled like any lost answer
SESSION_YIELDS_AFTER = timedelta(seconds=45)
#: advisory lock key that serialises "is a session open?" + "open one"
_SESSION_LOCK_KEY = 0x51B5_0C


def ticket_digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("utf-8", "replace")).hexdigest()


@dataclass(slots=True)
class Wave:
    """Orders handed to this session together: looked up together (duplicates, item names),
    then written in as many message sets as their size needs."""

    claims: list[Claim]
    #: their look-ups are answered (or none were needed)
    looked_up: bool = False

    def to_json(self) -> dict:
        return {"claims": [c.to_json() for c in self.claims], "looked_up": self.looked_up}

    @classmethod
    def from_json(cls, data: dict) -> Wave:
        return cls([Claim.from_json(row) for row in data.get("claims") or ()],
                   bool(data.get("looked_up")))


@dataclass(slots=True)
class ListPulls:
    """This session's reading of QuickBooks' lists (``steps/lists``), planned once.

    An iterator QuickBooks opened is valid only in the session that opened it: it is kept
    here, never carried to the next session."""

    #: the lists still to read, in order (the first is being read)
    queue: list[str] = field(default_factory=list)
    #: the "Refresh QuickBooks lists" operations this session carries out
    refreshes: list[int] = field(default_factory=list)
    #: per list: when its pull started (our clock, ISO) and its FromModifiedDate (ISO; None
    #: for a full read)
    started: dict[str, str] = field(default_factory=dict)
    since: dict[str, str | None] = field(default_factory=dict)
    #: the iterator of the list being read ("" before its first chunk)
    iterator_id: str = ""
    #: per list: records read and round trips so far
    read: dict[str, int] = field(default_factory=dict)
    round_trips: dict[str, int] = field(default_factory=dict)
    #: lists started over after QuickBooks said their iterator is gone (3391), once each
    restarted: list[str] = field(default_factory=list)
    #: lists QuickBooks would not give in this session
    failed: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"queue": self.queue, "refreshes": self.refreshes, "started": self.started,
                "since": self.since, "iterator_id": self.iterator_id, "read": self.read,
                "round_trips": self.round_trips, "restarted": self.restarted,
                "failed": self.failed}

    @classmethod
    def from_json(cls, data: dict) -> ListPulls:
        return cls(list(data.get("queue") or ()), [int(i) for i in data.get("refreshes") or ()],
                   dict(data.get("started") or {}), dict(data.get("since") or {}),
                   str(data.get("iterator_id") or ""),
                   {k: int(v) for k, v in (data.get("read") or {}).items()},
                   {k: int(v) for k, v in (data.get("round_trips") or {}).items()},
                   list(data.get("restarted") or ()), list(data.get("failed") or ()))


@dataclass(slots=True)
class Work:
    """What the steps keep between callbacks."""

    #: the settings check's findings; None until it ran
    preflight: Preflight | None = None
    #: attempts already asked about in this session (each is asked once per session)
    reconcile_asked: list[int] = field(default_factory=list)
    #: the orders being exported now; empty between waves
    wave: Wave = field(default_factory=lambda: Wave([]))
    #: waves to take before claiming more: the halves of a set QuickBooks could not read, and
    #: orders tried again after a name QuickBooks lacked
    next_waves: list[Wave] = field(default_factory=list)
    #: the orders of the write set waiting for its answer
    in_flight: list[Claim] = field(default_factory=list)
    #: items the look-ups did not find (the missing-item rule decides what becomes of them)
    missing_items: list[str] = field(default_factory=list)
    #: orders already tried again once in this session after a 3140
    retried: list[str] = field(default_factory=list)
    #: follow-up documents whose lost answer was already asked about in this session
    payments_asked: list[int] = field(default_factory=list)
    #: orders found with charges QuickBooks has not received (``steps/follow_ups``)
    payments_due: list[str] = field(default_factory=list)
    #: open invoices compared with Saleor so far in this session
    payments_scanned: int = 0
    #: orders found with refunds QuickBooks has no credit memo for
    refunds_due: list[str] = field(default_factory=list)
    #: orders compared with Saleor's refunds so far in this session
    refunds_scanned: int = 0
    #: everything that follows the orders was compared and sent
    payments_finished: bool = False
    #: on demand: the orders staff queued for their follow-ups, held by this session (None
    #: until claimed, and in automatic mode)
    follow_ups_queued: list[str] | None = None
    #: on demand: those orders were compared with Saleor
    queued_compared: bool = False
    #: the updates of edited orders' transactions (``steps/edits.EditWork``, as JSON)
    edits: dict = field(default_factory=dict)
    #: QuickBooks' lists read in this session; None until the session decided which
    lists: ListPulls | None = None

    @property
    def busy(self) -> bool:
        """Orders are held by this session: in a wave, waiting, or in flight."""
        return bool(self.wave.claims or self.next_waves or self.in_flight)

    def to_json(self) -> dict:
        return {
            "preflight": self.preflight.to_json() if self.preflight is not None else None,
            "reconcile_asked": self.reconcile_asked,
            "wave": self.wave.to_json(),
            "next_waves": [w.to_json() for w in self.next_waves],
            "in_flight": [c.to_json() for c in self.in_flight],
            "missing_items": self.missing_items,
            "retried": self.retried,
            "payments_asked": self.payments_asked,
            "payments_due": self.payments_due,
            "payments_scanned": self.payments_scanned,
            "refunds_due": self.refunds_due,
            "refunds_scanned": self.refunds_scanned,
            "payments_finished": self.payments_finished,
            "follow_ups_queued": self.follow_ups_queued,
            "queued_compared": self.queued_compared,
            "edits": self.edits,
            "lists": self.lists.to_json() if self.lists is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Work:
        data = data or {}
        preflight = data.get("preflight")
        return cls(
            preflight=Preflight.from_json(preflight) if preflight is not None else None,
            reconcile_asked=[int(pk) for pk in data.get("reconcile_asked") or ()],
            wave=Wave.from_json(data.get("wave") or {}),
            next_waves=[Wave.from_json(w) for w in data.get("next_waves") or ()],
            in_flight=[Claim.from_json(row) for row in data.get("in_flight") or ()],
            missing_items=list(data.get("missing_items") or ()),
            retried=list(data.get("retried") or ()),
            payments_asked=[int(pk) for pk in data.get("payments_asked") or ()],
            payments_due=list(data.get("payments_due") or ()),
            payments_scanned=int(data.get("payments_scanned") or 0),
            refunds_due=list(data.get("refunds_due") or ()),
            refunds_scanned=int(data.get("refunds_scanned") or 0),
            payments_finished=bool(data.get("payments_finished")),
            follow_ups_queued=(list(data["follow_ups_queued"])
                               if data.get("follow_ups_queued") is not None else None),
            queued_compared=bool(data.get("queued_compared")),
            edits=dict(data.get("edits") or {}),
            lists=(ListPulls.from_json(data["lists"]) if data.get("lists") is not None
                   else None),
        )


class Session:
    """One open (or just closed) Web Connector session: its row and its work, typed."""

    def __init__(self, row: WebConnectorSession) -> None:
        self.row = row
        self.work = Work.from_json(row.work)

    def save(self) -> None:
        self.row.work = self.work.to_json()
        self.row.save()

    # counters the steps keep
    def done(self, count: int = 1) -> None:
        self.row.orders_done += count

    def failed(self, count: int = 1) -> None:
        self.row.orders_failed += count

    def say(self, message: str) -> None:
        """What getLastError shows the person at Web Connector."""
        self.row.last_error = message


def open_session(username: str, *, automatic: bool, estimate) -> tuple[str, str]:
    """``(ticket, "")`` for a new session, or ``("", reason)``: "busy" while another session
    runs, "none" when ``estimate()`` finds nothing to do."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SESSION_LOCK_KEY])
        # the right password: a session whose Web Connector fell silent gives way
        expire_stale(SESSION_YIELDS_AFTER)
        if WebConnectorSession.objects.filter(state=SessionState.OPEN).exists():
            return "", "busy"
        total = estimate()
        if total == 0:
            return "", "none"
        return start(username, automatic=automatic, total=total), ""


def start(username: str, *, automatic: bool, total: int, work: Work | None = None) -> str:
    """A new open session row and its ticket, with ``work`` to begin from. ``open_session``
    decides whether one may open; a dry run (``dry_run``) opens its own inside a transaction
    it rolls back, where no other session can see it."""
    ticket = secrets.token_hex(16)  # 128 random bits
    now = clock.now()
    WebConnectorSession.objects.create(
        ticket_digest=ticket_digest(ticket), username=username, started_at=now,
        last_seen_at=now, automatic=automatic, orders_total=total,
        work=(work or Work()).to_json())
    return ticket


def find(ticket: str | None, *, touch: bool = True,
         include_closed: bool = False) -> Session | None:
    """The session of this ticket; None for an unknown ticket, or a closed one unless
    ``include_closed``. A session silent too long is dropped here."""
    if not ticket:
        return None
    row = WebConnectorSession.objects.filter(ticket_digest=ticket_digest(ticket)).first()
    if row is None:
        return None
    if row.state != SessionState.OPEN and not include_closed:
        return None
    if row.state == SessionState.OPEN and clock.now() - row.last_seen_at > SESSION_TIMEOUT:
        drop(row)
        return Session(row) if include_closed else None
    if touch and row.state == SessionState.OPEN:
        row.last_seen_at = clock.now()
    return Session(row)


def expire_stale(idle: timedelta = SESSION_TIMEOUT) -> None:
    cutoff = clock.now() - idle
    for row in WebConnectorSession.objects.filter(state=SessionState.OPEN,
                                                  last_seen_at__lt=cutoff):
        drop(row)


def drop(row: WebConnectorSession) -> None:
    """A session that stopped calling: unsent orders go back, sent ones get reconciled."""
    with transaction.atomic():
        _end(row, SessionState.DROPPED)
        row.summary = row.summary or summary(row) + " (session dropped)"
        row.save()


def close(session: Session, state: str = SessionState.CLOSED) -> None:
    with transaction.atomic():
        _end(session.row, state)
        session.work.wave = Wave([])
        session.work.next_waves = []
        session.work.in_flight = []
        session.row.summary = summary(session.row)
        session.save()


def _end(row: WebConnectorSession, state: str) -> None:
    MessageSet.objects.filter(session=row, state=MessageSetState.SENT).update(
        state=MessageSetState.LOST)
    ledger.answers_lost(session=row)
    ledger.release_unsent(row)
    row.state = state
    row.closed_at = clock.now()


def summary(row: WebConnectorSession) -> str:
    done, failed = row.orders_done, row.orders_failed
    text = f"{done} order{'s' if done != 1 else ''} exported"
    if failed:
        text += f", {failed} failed: see history"
    return text
