"""``qbPendingOperationDelete``: withdraw queued operations Web Connector has not picked up."""

from __future__ import annotations

import graphene

from ...errors import TransferError
from ...saleor_ids import InvalidGlobalId, uuid_from_global_id
from ...transfers import delete_operations
from ..types import QbPendingOperation
from .mutation_common import QbSyncBaseMutation, with_counts


class QbPendingOperationDelete(QbSyncBaseMutation):
    pending_operations = graphene.List(
        graphene.NonNull(QbPendingOperation), required=True,
        description="The pending operations that were deleted.")

    class Arguments:
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True,
                            description="IDs of the pending operations to delete.")

    class Meta:
        description = (
            "Delete queued pending operations, all or none; refused once Web Connector picked "
            "one up. Requires MANAGE_ORDERS.")

    @classmethod
    def perform_mutation(cls, root, info, /, ids):
        public_ids = []
        for value in ids:
            try:
                public_ids.append(uuid_from_global_id(value, "QbPendingOperation"))
            except InvalidGlobalId as exc:
                raise TransferError(exc.message, field="ids", code="invalid_id") from None
        operations = delete_operations(public_ids, info.context.actor)
        return cls(pending_operations=with_counts(operations), errors=[])

    @classmethod
    def failed(cls, errors):
        return cls(pending_operations=[], errors=errors)
