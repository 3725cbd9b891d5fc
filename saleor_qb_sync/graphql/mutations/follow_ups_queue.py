"""``qbFollowUpsQueue``: on demand, queue what Saleor did since on orders in QuickBooks."""

from __future__ import annotations

import graphene

from ...transfers import queue_follow_ups
from ..types import QbPendingOperation
from .mutation_common import QbSyncBaseMutation, with_counts


class QbFollowUpsQueue(QbSyncBaseMutation):
    pending_operation = graphene.Field(QbPendingOperation,
                                       description="The pending operation that was queued.")

    class Arguments:
        order_ids = graphene.List(graphene.NonNull(graphene.ID), required=True,
                                  description="Saleor Order IDs of orders in QuickBooks.")

    class Meta:
        description = (
            "On demand: queue the payments, credit memos, refunds and voids QuickBooks lacks "
            "for these orders in QuickBooks (see followUpsDue) for the next Web Connector "
            "update, as one pending operation (FOLLOW_UPS), deletable until it is picked up. "
            "Automatic mode sends them with every update. Requires MANAGE_ORDERS; "
            "channel-restricted staff queue only their channels' orders.")

    @classmethod
    def perform_mutation(cls, root, info, /, order_ids):
        context = info.context
        operation = queue_follow_ups(context.source, context.preferences, context.actor,
                                     order_ids)
        return cls(pending_operation=with_counts([operation])[0], errors=[])
