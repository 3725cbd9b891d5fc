"""What every step works with during one callback, and how a set is kept before it leaves."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ... import mappings
from ...company import known_currencies, session_currencies
from ...models import MessageSet, MessageSetKind, MessageSetState
from ...order_source import OrderSource
from ...preferences import Preferences
from ...qbxml import build
from ...qbxml.answers import with_asked
from ...qbxml.currency import CompanyCurrencies
from ...qbxml.records import NameMappings
from ..session import Session


@dataclass(slots=True)
class Context:
    """What every step works with during one callback."""

    preferences: Preferences
    source: OrderSource
    session: Session
    #: what staff mapped, read at most once per callback (``name_mappings``)
    _mappings: NameMappings | None = None

    def name_mappings(self) -> NameMappings:
        """SKUs and buyers staff mapped to QuickBooks items and customers (``mappings``), read
        on first use in this callback and reused by every batch of it."""
        if self._mappings is None:
            self._mappings = mappings.current()
        return self._mappings

    @property
    def currencies(self) -> CompanyCurrencies:
        """What QuickBooks said of its currencies in this session (its settings check), else in
        the newest session that asked."""
        return session_currencies(self.session.row) or known_currencies()

    def store(self, kind: str, requests: list[etree._Element | str], meta: dict, *,
              message_set: MessageSet | None = None) -> str:
        """Keep the set (and what each request is for) before it leaves: its answer, or its
        loss, is read against this record."""
        message_set = message_set or MessageSet(session=self.session.row, kind=kind,
                                                requests={}, request_xml="")
        # QuickBooks accepts message-set IDs of at most 24 characters; only adds carry one
        new_id = message_set.message_set_id.hex[:24] if kind == MessageSetKind.WRITE else None
        xml = build.message_set(requests, on_error=build.CONTINUE_ON_ERROR,
                                version=self.preferences.qbxml_version,
                                new_message_set_id=new_id).decode("utf-8")
        message_set.kind = kind
        message_set.request_xml = xml
        message_set.requests = with_asked(requests, meta)
        message_set.state = MessageSetState.SENT
        message_set.save()
        return xml
