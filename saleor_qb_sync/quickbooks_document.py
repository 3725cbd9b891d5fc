"""The QuickBooks document an order becomes, before it is sent: what the order's popup shows.

Built by the export's own code: ``map_order`` under the store's settings, what QuickBooks last
said of its currencies (``company``) and what staff mapped (``mappings``), then the same builder
that writes the add, so the qbXML shown is the request a Web Connector run would send for it
(its ``requestID`` aside). What the preview cannot know until the run: whether QuickBooks has
the customer and the items (a mapped one it has; a missing customer is added at the head of the
set; a missing item is created, or replaced by the default item, as ``missing_item_action``
says) and what a duplicate check finds.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import mappings
from .company import known_currencies
from .errors import MappingError
from .order_source import OrderSource
from .preferences import Preferences
from .qbxml import build
from .qbxml.mapping import map_order
from .qbxml.records import MappedOrder

#: the requestID of a previewed request (a run numbers its requests itself)
PREVIEW_REQUEST_ID = "preview"


@dataclass(frozen=True, slots=True)
class DocumentPreview:
    """An order as QuickBooks would receive it, or why it cannot become a document."""

    mapped: MappedOrder | None
    #: the transaction's ``…AddRq``, as a run would send it; empty when it cannot be mapped
    qbxml: str = ""
    #: why the order cannot become a transaction (the mapping's reason); None when it can
    reason: str | None = None


def document_for(source: OrderSource, preferences: Preferences,
                 order_id: str) -> DocumentPreview | None:
    """The document the order ``order_id`` (a UUID) becomes now; None when Saleor lacks it."""
    document = source.load([order_id]).get(order_id)
    if document is None:
        return None
    try:
        mapped = map_order(document, preferences, known_currencies(), mappings.current())
    except MappingError as exc:
        return DocumentPreview(None, reason=exc.message)
    return DocumentPreview(mapped, build.transaction_add_xml(mapped.transaction,
                                                             PREVIEW_REQUEST_ID))
