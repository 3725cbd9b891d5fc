"""The mutations' base: a domain error is a typed payload error, anything else is not swallowed."""

from __future__ import annotations

import uuid

import graphene
import pytest

from saleor_qb_sync.errors import AuthenticationError, TransferError
from saleor_qb_sync.graphql.mutations.mutation_common import QbSyncBaseMutation, with_counts
from saleor_qb_sync.models import ItemState, PendingOperation, PendingOperationOrder


class Probe(QbSyncBaseMutation):
    done = graphene.Boolean()

    class Arguments:
        outcome = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, root, info, outcome):
        if outcome == "refused":
            raise TransferError("Nothing matches the filter.", field="filter",
                                code="empty_selection")
        if outcome == "unauthorised":
            raise AuthenticationError("You need MANAGE_ORDERS.", code="permission_denied")
        return cls(done=True, errors=[])


class Query(graphene.ObjectType):
    ok = graphene.Boolean()


class Mutation(graphene.ObjectType):
    probe = Probe.Field()


SCHEMA = graphene.Schema(query=Query, mutation=Mutation)
PROBE = "mutation($o: String!) { probe(outcome: $o) { done errors { field message code } } }"


def run(outcome: str):
    return SCHEMA.execute(PROBE, variable_values={"o": outcome})


def test_a_mutation_carried_out_has_no_errors():
    # when
    result = run("ok")

    # then
    assert result.errors is None
    assert result.data == {"probe": {"done": True, "errors": []}}


def test_a_domain_error_is_a_typed_error_in_the_payload_and_nothing_else_is_set():
    # when
    result = run("refused")

    # then
    assert result.errors is None
    assert result.data == {"probe": {"done": None, "errors": [
        {"field": "filter", "message": "Nothing matches the filter.",
         "code": "EMPTY_SELECTION"}]}}


def test_a_refused_permission_is_not_a_payload_error_but_the_requests():
    # when
    result = run("unauthorised")

    # then
    assert result.data == {"probe": None}
    assert isinstance(result.errors[0].original_error, AuthenticationError)


def test_a_mutation_that_does_not_say_what_it_does_is_a_programming_error():
    # given
    class Unfinished(QbSyncBaseMutation):
        class Arguments:
            pass

    # when / then
    with pytest.raises(NotImplementedError):
        Unfinished.mutate(None, None)


@pytest.mark.django_db
def test_operations_come_back_in_the_order_given_with_their_counts_and_numbers():
    # given
    first, second = PendingOperation.objects.create(), PendingOperation.objects.create()
    for number, state in ((3, ItemState.DONE), (1, ItemState.FAILED), (2, ItemState.PENDING)):
        PendingOperationOrder.objects.create(operation=second, order_id=uuid.uuid4(),
                                             order_number=number, state=state)

    # when
    counted = with_counts([second, first])

    # then
    assert [op.pk for op in counted] == [second.pk, first.pk]
    assert [(op.order_count, op.done_count, op.failed_count) for op in counted] == [
        (3, 1, 1), (0, 0, 0)]
    assert [op._qb_order_numbers for op in counted] == [[1, 2, 3], []]
