"""Orders changed in Saleor since their export, as the app shows them, and the person's
"Update in QuickBooks".

The comparison is ``qbxml/edits.py``'s (the header the order would be exported with now
against the one QuickBooks has, as the ledger knows it); Web Connector sessions make it for
every order in turn (``qbwc/steps/edits.py``), and ``since_export`` makes it live for the one
order a person looks at, keeping what it found so the history's "changed since export" agrees
with the order's popup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import ledger
from .errors import MappingError, TransferError
from .order_source import OrderFilter, OrderSource
from .preferences import EditUpdates, Preferences
from .qbxml.edits import HeaderChange, changes_between, current_header
from .transfers import Actor, parse_order_ids


@dataclass(frozen=True, slots=True)
class SinceExport:
    """What changed on an exported order since QuickBooks got it."""

    changes: tuple[HeaderChange, ...]
    noticed_at: datetime | None
    update_requested_at: datetime | None
    update_requested_by: str
    #: what happens next (``update_edited_orders``)
    mode: EditUpdates
    #: why the order could not be compared now (it no longer maps); "" when it was
    problem: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def since_export(source: OrderSource, preferences: Preferences, order_id: str
                 ) -> SinceExport | None:
    """The order compared now; None when it is not in QuickBooks with a known header, or
    edits are not followed (``update_edited_orders=off``)."""
    if preferences.update_edited_orders == EditUpdates.OFF:
        return None
    state = ledger.edit_state_of(order_id)
    if state is None:
        return None
    document = source.load([order_id]).get(order_id)
    problem = ""
    if document is not None:
        try:
            found = [c.to_json() for c in changes_between(
                state.header, current_header(document, preferences))]
        except MappingError as exc:
            problem = f"It cannot be compared with QuickBooks: {exc.message}"
        else:
            if found != state.changes or state.checked_at is None:
                ledger.note_changes({order_id: found})
                state = ledger.edit_state_of(order_id) or state
    return SinceExport(
        changes=tuple(HeaderChange.from_json(c) for c in state.changes),
        noticed_at=state.noticed_at, update_requested_at=state.update_requested_at,
        update_requested_by=state.update_requested_by,
        mode=preferences.update_edited_orders, problem=problem)


def request_update(source: OrderSource, preferences: Preferences, actor: Actor,
                   order_id: str) -> SinceExport:
    """A person asks for the order's changes to go to QuickBooks at the next Web Connector
    update. Raises ``TransferError`` (field ``orderId``) when it cannot."""
    uuid = parse_order_ids([order_id], field="orderId")[0]
    summaries = source.search(OrderFilter(order_ids=(uuid,), include_exported=True,
                                          any_status=True, allowed_channels=actor.channels),
                              offset=0, limit=1)
    if not summaries:
        raise TransferError("There is no such order, or it is in a channel you cannot see.",
                            field="orderId", code="not_found")
    if preferences.update_edited_orders == EditUpdates.OFF:
        raise TransferError(
            "Updates of edited orders are off in the settings (Orders edited after export).",
            field="orderId", code="updates_off")
    state = since_export(source, preferences, uuid)
    if state is None:
        raise TransferError(
            "The order is not in QuickBooks, or it went there before changes were followed "
            "(or was linked to a transaction QuickBooks already had): there is nothing to "
            "compare it with.", field="orderId", code="not_exported")
    if state.problem:
        raise TransferError(state.problem, field="orderId", code="cannot_map")
    if not state.changed:
        raise TransferError("Nothing changed since the order went to QuickBooks.",
                            field="orderId", code="unchanged")
    ledger.request_update(uuid, by_email=actor.label)
    return since_export(source, preferences, uuid) or state
