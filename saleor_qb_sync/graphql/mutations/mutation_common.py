"""The base of our mutations: domain errors become ``errors { field message code }``."""

from __future__ import annotations

import graphene

from ...errors import AuthenticationError, TransferError
from ...routes import MANAGE_PLUGINS
from ...transfers import operations_with_counts
from ..errors import QbSyncErrorType, error_type_from
from ..filters import order_filter
from ..types import prefetch_order_numbers


class QbSyncBaseMutation(graphene.Mutation):
    errors = graphene.List(
        graphene.NonNull(QbSyncErrorType), required=True,
        description="Why the mutation was not carried out; empty when it was.")

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            return cls.perform_mutation(root, info, **data)
        except TransferError as exc:
            return cls.failed([error_type_from(exc)])

    @classmethod
    def failed(cls, errors: list[QbSyncErrorType]) -> QbSyncBaseMutation:
        """The payload when nothing was done."""
        return cls(errors=errors)

    @classmethod
    def perform_mutation(cls, root, info, **data):
        raise NotImplementedError


def with_counts(operations):
    """The operations again, with their order counts and first order numbers."""
    by_pk = {op.pk: op for op in operations_with_counts().filter(
        pk__in=[op.pk for op in operations])}
    return prefetch_order_numbers([by_pk[op.pk] for op in operations])


def require_manage_plugins(context, what: str) -> None:
    """Refuse a change of the settings' kind (the mappings too) without MANAGE_PLUGINS."""
    if not context.host.has_permission(context.request, MANAGE_PLUGINS):
        raise AuthenticationError(f"You need the MANAGE_PLUGINS permission to {what}.",
                                  code="permission_denied")


def chosen_orders(context, data, verb: str):
    """The orders an input of ``orderIds`` or ``filter`` (minus ``excludeOrderIds``) chooses,
    as (order ids, None, ()) or (None, the filter, excluded ids); ``verb`` says what is done
    with them in the errors ("queue", "try")."""
    order_ids = data.get("order_ids")
    flt = data.get("filter")
    exclude = data.get("exclude_order_ids") or []
    if order_ids is not None and flt is not None:
        raise TransferError("Give either orderIds or a filter, not both.",
                            field="orderIds", code="invalid")
    if order_ids is None and flt is None:
        raise TransferError(f"Give the orderIds to {verb}, or a filter.", field="orderIds",
                            code="required")
    if order_ids is not None:
        if exclude:
            raise TransferError("excludeOrderIds only applies with a filter.",
                                field="excludeOrderIds", code="invalid")
        return order_ids, None, ()
    return None, order_filter(context, flt), exclude
