"""``qbItemMappingSet``: a Saleor SKU's lines use a QuickBooks item of another name."""

from __future__ import annotations

import graphene

from ... import mappings
from ..mappings import QbItemMapping
from .mutation_common import QbSyncBaseMutation, require_manage_plugins


class QbItemMappingSet(QbSyncBaseMutation):
    item_mapping = graphene.Field(QbItemMapping, description="The mapping now in force.")

    class Arguments:
        sku = graphene.String(required=True, description="The Saleor SKU.")
        item_full_name = graphene.String(
            required=True, description="The QuickBooks item's full name (\"Shirts:T-shirt "
            "red\" for a sub-item), as in our copy of QuickBooks' items (any case).")

    class Meta:
        description = (
            "Map a Saleor SKU to a QuickBooks item: from the next export on, its lines (and "
            "credit memos of them) use that item, which is never created, whatever the item "
            "rules say. Replaces the SKU's mapping if it had one. The item must be in our copy "
            "of QuickBooks' items and active (errors NOT_IN_QUICKBOOKS, INACTIVE_IN_QUICKBOOKS; "
            "LISTS_NEVER_READ before the lists were read). Requires MANAGE_ORDERS and "
            "MANAGE_PLUGINS.")

    @classmethod
    def perform_mutation(cls, root, info, /, sku, item_full_name):
        context = info.context
        require_manage_plugins(context, "change the item mappings")
        mapping = mappings.set_item(sku, item_full_name, by=context.actor.label)
        return cls(item_mapping=mapping, errors=[])
