"""``qbCustomerMappingDelete``: a customer's orders follow the customer rule again."""

from __future__ import annotations

import graphene

from ... import mappings
from ..mappings import QbCustomerMapping
from .mutation_common import QbSyncBaseMutation, require_manage_plugins


class QbCustomerMappingDelete(QbSyncBaseMutation):
    customer_mapping = graphene.Field(QbCustomerMapping,
                                      description="The mapping that was removed.")

    class Arguments:
        email = graphene.String(required=True,
                                description="The Saleor customer's e-mail address (any case).")

    class Meta:
        description = (
            "Remove a customer's mapping: from the next export on, their orders go to the "
            "customer the customer rule names (created if QuickBooks lacks it; error NOT_FOUND "
            "when they have none). Requires MANAGE_ORDERS and MANAGE_PLUGINS.")

    @classmethod
    def perform_mutation(cls, root, info, /, email):
        context = info.context
        require_manage_plugins(context, "change the customer mappings")
        return cls(customer_mapping=mappings.delete_customer(email), errors=[])
