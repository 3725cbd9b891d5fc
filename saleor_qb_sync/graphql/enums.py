"""GraphQL enums lifted from the models' choices (names upper-case, as Saleor's enums are)."""

from __future__ import annotations

import graphene

from ..models import ExportState, OperationKind, OperationStatus, SessionState
from ..preferences import ExportMode


def _described(type_description: str):
    """Graphene 2 takes a callable to describe each value; the choices' labels serve."""

    def describe(value):
        if value is None:
            return type_description
        return str(getattr(value, "label", "") or value.value.replace("_", " ").capitalize())

    return describe


class QbPendingOperationKind(graphene.Enum):
    class Meta:
        enum = OperationKind
        description = _described("What a pending operation does.")


class QbPendingOperationStatus(graphene.Enum):
    class Meta:
        enum = OperationStatus
        description = _described("Where a pending operation is.")


class QbExportState(graphene.Enum):
    class Meta:
        enum = ExportState
        description = _described("What became of one attempt to put an order into QuickBooks.")


class QbWebConnectorSessionState(graphene.Enum):
    class Meta:
        enum = SessionState
        description = _described("The state of a Web Connector session.")


class QbExportMode(graphene.Enum):
    class Meta:
        enum = ExportMode
        description = _described(
            "How orders reach QuickBooks: queued by a person, or every eligible order.")
