"""``qbItemMappingDelete``: a SKU's lines follow the item rule again."""

from __future__ import annotations

import graphene

from ... import mappings
from ..mappings import QbItemMapping
from .mutation_common import QbSyncBaseMutation, require_manage_plugins


class QbItemMappingDelete(QbSyncBaseMutation):
    item_mapping = graphene.Field(QbItemMapping, description="The mapping that was removed.")

    class Arguments:
        sku = graphene.String(required=True, description="The Saleor SKU.")

    class Meta:
        description = (
            "Remove a SKU's item mapping: from the next export on, its lines follow the item "
            "rule again (error NOT_FOUND when it has none). Requires MANAGE_ORDERS and "
            "MANAGE_PLUGINS.")

    @classmethod
    def perform_mutation(cls, root, info, /, sku):
        context = info.context
        require_manage_plugins(context, "change the item mappings")
        return cls(item_mapping=mappings.delete_item(sku), errors=[])
