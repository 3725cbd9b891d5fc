"""``qbFailedOrdersRetry``: queue failed orders again, once their cause is fixed."""

from __future__ import annotations

import graphene

from ...transfers import retry_failed_orders
from ..types import QbPendingOperation
from .mutation_common import QbSyncBaseMutation, with_counts


class QbFailedOrdersRetry(QbSyncBaseMutation):
    pending_operation = graphene.Field(QbPendingOperation,
                                       description="The pending operation that was queued.")

    class Arguments:
        order_ids = graphene.List(
            graphene.NonNull(graphene.ID),
            description="Saleor Order IDs of failed orders to retry; omit to retry every failed "
            "order you may see that can still be exported and does not wait already.")

    class Meta:
        description = (
            "Queue failed orders again as one pending operation, for the next Web Connector "
            "run (after the cause of the failure was fixed). Requires MANAGE_ORDERS; "
            "channel-restricted staff retry only their channels' orders.")

    @classmethod
    def perform_mutation(cls, root, info, /, order_ids=None):
        context = info.context
        operation = retry_failed_orders(context.source, context.preferences, context.actor,
                                        order_ids)
        return cls(pending_operation=with_counts([operation])[0], errors=[])
