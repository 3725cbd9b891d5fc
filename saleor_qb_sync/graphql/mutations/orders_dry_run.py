"""``qbOrdersDryRun``: what a Web Connector update would do with the chosen orders."""

from __future__ import annotations

import graphene

from ...dry_run import dry_run_filter, dry_run_orders
from ..types import QbDryRun, QbOrdersDryRunInput
from .mutation_common import QbSyncBaseMutation, chosen_orders


class QbOrdersDryRun(QbSyncBaseMutation):
    dry_run = graphene.Field(QbDryRun, description="What the update would do; null when the "
                             "choice was refused (see errors).")

    class Arguments:
        input = QbOrdersDryRunInput(required=True, description="The orders to try.")

    class Meta:
        description = (
            "Try orders against a simulated QuickBooks company seeded from QuickBooks' lists "
            "as last read, through the export itself, without QuickBooks: per order, what "
            "would land (transaction, number, total) and what would fail and why, and the "
            "customers and items the update would create. The chosen orderIds, or every order "
            "a filter matches minus excludeOrderIds; at most 500. Writes nothing: no export "
            "record, pending operation or list change. Requires MANAGE_ORDERS; "
            "channel-restricted staff try only their channels' orders.")

    @classmethod
    def perform_mutation(cls, root, info, /, input):
        context = info.context
        order_ids, flt, exclude = chosen_orders(context, input, "try")
        if order_ids is not None:
            result = dry_run_orders(context.source, context.preferences, context.actor,
                                    order_ids)
        else:
            result = dry_run_filter(context.source, context.preferences, flt, exclude)
        return cls(dry_run=result, errors=[])
