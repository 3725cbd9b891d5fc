"""``qbCustomerMappingSet``: a Saleor customer's orders go to an existing QuickBooks customer."""

from __future__ import annotations

import graphene

from ... import mappings
from ..mappings import QbCustomerMapping
from .mutation_common import QbSyncBaseMutation, require_manage_plugins


class QbCustomerMappingSet(QbSyncBaseMutation):
    customer_mapping = graphene.Field(QbCustomerMapping,
                                      description="The mapping now in force.")

    class Arguments:
        email = graphene.String(required=True,
                                description="The Saleor customer's e-mail address (any case).")
        customer_full_name = graphene.String(
            required=True, description="The QuickBooks customer's full name (\"Acme Corp:Store "
            "2\" for a job), as in our copy of QuickBooks' customers (any case).")

    class Meta:
        description = (
            "Confirm that a Saleor customer is a customer QuickBooks already has (a suggestion, "
            "or one picked from the list): from the next export on, their orders go to it and "
            "no customer is created for them. Replaces their mapping if they had one. The "
            "customer must be in our copy of QuickBooks' customers and active (errors "
            "NOT_IN_QUICKBOOKS, INACTIVE_IN_QUICKBOOKS; LISTS_NEVER_READ before the lists were "
            "read). Requires MANAGE_ORDERS and MANAGE_PLUGINS.")

    @classmethod
    def perform_mutation(cls, root, info, /, email, customer_full_name):
        context = info.context
        require_manage_plugins(context, "change the customer mappings")
        mapping = mappings.set_customer(email, customer_full_name, by=context.actor.label)
        return cls(customer_mapping=mapping, errors=[])
