"""``qbCustomerMappingDelete`` as a client calls it."""

from __future__ import annotations

import pytest

from saleor_qb_sync import mappings
from tests.conftest import SETTINGS_TOKEN, STAFF_TOKEN
from tests.graphql.mapping_fixtures import pulled

pytestmark = pytest.mark.django_db

DELETE = """
mutation Delete($email: String!) {
  qbCustomerMappingDelete(email: $email) {
    customerMapping { email customerFullName inQuickBooks }
    errors { field code }
  }
}
"""


def test_a_mapping_is_removed_by_e_mail_in_any_case(api):
    # given
    pulled("customers", ("C1", "Acme Corp"))
    mappings.set_customer("buyer@acme.example", "Acme Corp", by="owner@example.com")
    # when
    first = api(DELETE, {"email": "BUYER@acme.example"}, token=SETTINGS_TOKEN).data[
        "qbCustomerMappingDelete"]
    second = api(DELETE, {"email": "buyer@acme.example"}, token=SETTINGS_TOKEN).data[
        "qbCustomerMappingDelete"]
    # then
    assert first == {"customerMapping": {"email": "buyer@acme.example",
                                         "customerFullName": "Acme Corp",
                                         "inQuickBooks": True}, "errors": []}
    assert second["errors"] == [{"field": "email", "code": "NOT_FOUND"}]
    assert mappings.current().customers == {}


def test_removing_a_mapping_needs_manage_plugins(api):
    pulled("customers", ("C1", "Acme Corp"))
    mappings.set_customer("buyer@acme.example", "Acme Corp", by="owner@example.com")
    assert api(DELETE, {"email": "buyer@acme.example"}, token=STAFF_TOKEN).error_codes == [
        "PERMISSION_DENIED"]
    assert len(mappings.current().customers) == 1
