"""``qbOrderExportReset``: mark orders as not exported (a store switching from another tool)."""

from __future__ import annotations

import graphene

from ...transfers import reset_orders
from .mutation_common import QbSyncBaseMutation


class QbOrderExportReset(QbSyncBaseMutation):
    reset_count = graphene.Int(
        required=True, description="How many of the orders were exported and are now not.")

    class Arguments:
        order_ids = graphene.List(graphene.NonNull(graphene.ID), required=True,
                                  description="Saleor Order IDs to mark as not exported.")

    class Meta:
        description = (
            "Mark orders as not exported, so that preview and automatic mode offer them again; "
            "QuickBooks is not changed and the ledger records who did it. Requires "
            "MANAGE_ORDERS.")

    @classmethod
    def perform_mutation(cls, root, info, /, order_ids):
        count = reset_orders(order_ids, info.context.actor)
        return cls(reset_count=count, errors=[])

    @classmethod
    def failed(cls, errors):
        return cls(reset_count=0, errors=errors)
