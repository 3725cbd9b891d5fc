"""``qbOrderUpdateInQuickbooks``: send an exported order's edits (its addresses) to its
QuickBooks transaction at the next Web Connector update."""

from __future__ import annotations

import graphene

from ...edits import request_update
from ..resolvers import resolve_order_export
from ..types import QbOrderExport
from .mutation_common import QbSyncBaseMutation


class QbOrderUpdateInQuickbooks(QbSyncBaseMutation):
    order_export = graphene.Field(
        QbOrderExport, description="The order's place in the export, with the update asked "
        "for; null when nothing was done.")

    class Arguments:
        order_id = graphene.ID(required=True, description="The Saleor Order ID.")

    class Meta:
        description = (
            "Ask for an order's changes since its export (billing and shipping address) to go "
            "to its QuickBooks transaction at the next Web Connector update, as an update of "
            "that transaction (InvoiceMod, SalesReceiptMod or SalesOrderMod), never a second "
            "one. Requires MANAGE_ORDERS.")

    @classmethod
    def perform_mutation(cls, root, info, /, order_id):
        context = info.context
        request_update(context.source, context.preferences, context.actor, order_id)
        return cls(order_export=resolve_order_export(context, order_id), errors=[])
