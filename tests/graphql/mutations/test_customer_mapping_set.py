"""``qbCustomerMappingSet`` as a client calls it: a person confirms a QuickBooks customer."""

from __future__ import annotations

import pytest

from saleor_qb_sync import mappings
from saleor_qb_sync.qbxml.records import MappedCustomer
from tests.conftest import SETTINGS_TOKEN, STAFF_TOKEN
from tests.graphql.mapping_fixtures import pulled

pytestmark = pytest.mark.django_db

SET = """
mutation Set($email: String!, $customer: String!) {
  qbCustomerMappingSet(email: $email, customerFullName: $customer) {
    customerMapping { email customerFullName customerListId currency confirmedBy }
    errors { field message code }
  }
}
"""


def set_customer(api, email, customer, token=SETTINGS_TOKEN):
    return api(SET, {"email": email, "customer": customer}, token=token)


def test_a_confirmed_suggestion_sends_the_customers_orders_to_it(api):
    # given
    pulled("customers", ("C1", "Acme Corp:Store 2", {"currency": "US Dollar"}))
    # when
    result = set_customer(api, "Buyer@Acme.example", "ACME CORP:store 2").data[
        "qbCustomerMappingSet"]
    # then
    assert result == {"customerMapping": {
        "email": "buyer@acme.example", "customerFullName": "Acme Corp:Store 2",
        "customerListId": "C1", "currency": "US Dollar", "confirmedBy": "owner@example.com"},
        "errors": []}
    assert mappings.current().customers == {
        "buyer@acme.example": MappedCustomer("Acme Corp:Store 2", "US Dollar")}


def test_a_customer_quickbooks_lacks_is_a_typed_error_naming_it(api):
    pulled("customers", ("C1", "Acme Corp"))
    [error] = set_customer(api, "buyer@acme.example", "Acme Inc").data[
        "qbCustomerMappingSet"]["errors"]
    assert (error["field"], error["code"]) == ("customerFullName", "NOT_IN_QUICKBOOKS")
    assert "“Acme Inc”" in error["message"]


@pytest.mark.parametrize(("email", "customer", "code"), [
    ("", "Acme Corp", "REQUIRED"), ("not an address", "Acme Corp", "INVALID"),
    ("a@b.example", "", "REQUIRED"), ("a@b.example", "x" * 210, "TOO_LONG")])
def test_bad_input_is_a_typed_error_never_a_crash(api, email, customer, code):
    pulled("customers", ("C1", "Acme Corp"))
    result = set_customer(api, email, customer)
    assert result.status == 200
    assert [e["code"] for e in result.data["qbCustomerMappingSet"]["errors"]] == [code]


def test_before_the_customers_were_read_the_error_says_so(api):
    pulled("items", ("I1", "Mugs"))  # another list read does not count
    [error] = set_customer(api, "a@b.example", "Acme Corp").data["qbCustomerMappingSet"][
        "errors"]
    assert error["code"] == "LISTS_NEVER_READ"


def test_confirming_a_customer_needs_manage_plugins(api):
    pulled("customers", ("C1", "Acme Corp"))
    assert set_customer(api, "a@b.example", "Acme Corp", token=STAFF_TOKEN).error_codes == [
        "PERMISSION_DENIED"]
