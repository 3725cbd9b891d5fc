"""The API's enums: the models' choices and the settings' choices, named as Saleor names them."""

from __future__ import annotations

import pytest

from saleor_qb_sync.graphql.enums import ExportableOrderStatus
from saleor_qb_sync.graphql.schema import schema
from saleor_qb_sync.models import ExportState, OperationKind, OperationStatus, SessionState
from saleor_qb_sync.preferences import (
    NEVER_EXPORTED_STATUSES,
    SALEOR_ORDER_STATUSES,
    CustomerMode,
    CustomerNameFormat,
    ExportMode,
    ItemMode,
    MissingItemAction,
    TaxMode,
    TransactionType,
)


def values(type_name: str) -> dict[str, tuple[str, str]]:
    """name → (value, description) of an enum of the schema."""
    return {v.name: (v.value, v.description) for v in schema.get_type(type_name).values}


@pytest.mark.parametrize(("type_name", "choices"), [
    ("QbPendingOperationKind", OperationKind),
    ("QbPendingOperationStatus", OperationStatus),
    ("QbExportState", ExportState),
    ("QbWebConnectorSessionState", SessionState),
])
def test_a_models_choices_are_an_enum_described_by_their_labels(type_name, choices):
    # then
    assert values(type_name) == {c.name: (c.value, c.label) for c in choices}


@pytest.mark.parametrize(("type_name", "choices"), [
    ("QbExportMode", ExportMode),
    ("QbTransactionType", TransactionType),
    ("QbCustomerMode", CustomerMode),
    ("QbCustomerNameFormat", CustomerNameFormat),
    ("QbItemMode", ItemMode),
    ("QbMissingItemAction", MissingItemAction),
    ("QbTaxMode", TaxMode),
])
def test_each_choice_of_a_setting_is_explained_in_a_sentence_of_its_own(type_name, choices):
    # when
    enum = values(type_name)

    # then
    assert {name: value for name, (value, _) in enum.items()} == {c.name: c.value
                                                                   for c in choices}
    descriptions = [description for _, description in enum.values()]
    assert len(set(descriptions)) == len(descriptions)
    assert all(d.endswith(".") and d != schema.get_type(type_name).description
               for d in descriptions)


def test_exportable_statuses_are_saleors_but_draft_and_unconfirmed():
    # when
    enum = values("QbExportableOrderStatus")

    # then
    assert [value for value, _ in enum.values()] == [
        s for s in SALEOR_ORDER_STATUSES if s not in NEVER_EXPORTED_STATUSES]
    assert {"DRAFT", "UNCONFIRMED"}.isdisjoint(enum)
    assert enum["PARTIALLY_FULFILLED"] == ("partially fulfilled", "Partially fulfilled")
    assert ExportableOrderStatus["PARTIALLY_FULFILLED"].value == "partially fulfilled"
