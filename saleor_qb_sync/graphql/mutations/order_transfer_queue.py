"""``qbOrderTransferQueue``: queue orders for the next Web Connector run."""

from __future__ import annotations

import graphene

from ...errors import TransferError
from ...transfers import queue_filter, queue_orders
from ..filters import order_filter
from ..types import QbOrderTransferQueueInput, QbPendingOperation
from .mutation_common import QbSyncBaseMutation, with_counts


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
        order_ids = input.get("order_ids")
        flt = input.get("filter")
        exclude = input.get("exclude_order_ids") or []
        if order_ids is not None and flt is not None:
            raise TransferError("Give either orderIds or a filter, not both.",
                                field="orderIds", code="invalid")
        if order_ids is None and flt is None:
            raise TransferError("Give the orderIds to queue, or a filter.", field="orderIds",
                                code="required")
        if order_ids is not None:
            if exclude:
                raise TransferError("excludeOrderIds only applies with a filter.",
                                    field="excludeOrderIds", code="invalid")
            operation = queue_orders(context.source, context.preferences, context.actor,
                                     order_ids)
        else:
            operation = queue_filter(context.source, context.actor,
                                     order_filter(context, flt), exclude)
        return cls(pending_operation=with_counts([operation])[0], errors=[])
