"""``qbOrderTransferQueue``: queue orders for the next Web Connector run."""

from __future__ import annotations

import graphene

from ...transfers import queue_filter, queue_orders
from ..types import QbOrderTransferQueueInput, QbPendingOperation
from .mutation_common import QbSyncBaseMutation, chosen_orders, with_counts


class QbOrderTransferQueue(QbSyncBaseMutation):
    pending_operation = graphene.Field(QbPendingOperation,
                                       description="The pending operation that was queued.")

    class Arguments:
        input = QbOrderTransferQueueInput(required=True,
                                          description="The orders to queue.")

    class Meta:
        description = (
            "Queue orders for QuickBooks as one pending operation: either the chosen orderIds, "
            "or every order a filter matches minus excludeOrderIds. Requires MANAGE_ORDERS; "
            "channel-restricted staff queue only their channels' orders.")

    @classmethod
    def perform_mutation(cls, root, info, /, input):
        context = info.context
        order_ids, flt, exclude = chosen_orders(context, input, "queue")
        if order_ids is not None:
            operation = queue_orders(context.source, context.preferences, context.actor,
                                     order_ids)
        else:
            operation = queue_filter(context.source, context.actor, flt, exclude)
        return cls(pending_operation=with_counts([operation])[0], errors=[])
