"""``qbQuickBooksListsRefresh``: have the next Web Connector update read QuickBooks' lists."""

from __future__ import annotations

import graphene

from ...transfers import queue_lists_refresh
from ..types import QbPendingOperation
from .mutation_common import QbSyncBaseMutation, with_counts


class QbQuickBooksListsRefresh(QbSyncBaseMutation):
    pending_operation = graphene.Field(QbPendingOperation,
                                       description="The pending operation that was queued.")

    class Arguments:
        full = graphene.Boolean(
            default_value=False,
            description="Read all of every list, not only what changed, which also drops what "
            "was deleted in QuickBooks (slower: 25,000 customers are 25 round trips).")

    class Meta:
        description = (
            "Have the next Web Connector update read QuickBooks' lists (accounts, items, "
            "customers, sales tax codes, classes, payment methods: what changed since the last "
            "read), as one pending operation (REFRESH_LISTS), deletable until it is picked up; "
            "refused while one waits. Requires MANAGE_ORDERS.")

    @classmethod
    def perform_mutation(cls, root, info, /, full=False):
        operation = queue_lists_refresh(info.context.actor, full=bool(full))
        return cls(pending_operation=with_counts([operation])[0], errors=[])
