"""Each field limit we name is the one Intuit's qbXML 13.0 schema sets (its maxLength facet)."""

from __future__ import annotations

import os

import pytest
from lxml import etree

from saleor_qb_sync.qbxml import limits
from saleor_qb_sync.testing.intuit_files import schema_dir_or_skip

XS = "{http://www.w3.org/2001/XMLSchema}"
#: content-model nodes whose element declarations belong to the element being read
_MODEL_TAGS = {XS + tag for tag in ("sequence", "choice", "all", "complexType",
                                    "complexContent", "simpleContent")}

#: every named limit and the elements of ours it bounds, each as a path from a global element
#: or request type of the schema
SCHEMA_PATHS = {
    "CUSTOMER_NAME": [("CustomerAdd", "Name"), ("CustomerRet", "Name")],
    "CUSTOMER_FULL_NAME": [("InvoiceAdd", "CustomerRef", "FullName"),
                           ("SalesReceiptAdd", "CustomerRef", "FullName"),
                           ("SalesOrderAdd", "CustomerRef", "FullName"),
                           ("CustomerRet", "FullName")],
    "ITEM_NAME": [("ItemNonInventoryAdd", "Name"), ("ItemOtherChargeAdd", "Name")],
    "FULL_NAME_REF": [("InvoiceAdd", "ClassRef", "FullName"),
                      ("InvoiceAdd", "ARAccountRef", "FullName"),
                      ("SalesReceiptAdd", "DepositToAccountRef", "FullName"),
                      ("ItemNonInventoryAdd", "SalesOrPurchase", "AccountRef", "FullName"),
                      ("ItemOtherChargeAdd", "SalesOrPurchase", "AccountRef", "FullName")],
    "ITEM_SALES_TAX_REF": [("InvoiceAdd", "ItemSalesTaxRef", "FullName"),
                           ("SalesReceiptAdd", "ItemSalesTaxRef", "FullName"),
                           ("SalesOrderAdd", "ItemSalesTaxRef", "FullName"),
                           ("ItemSalesTaxRet", "Name")],
    "SALES_TAX_CODE": [("InvoiceLineAdd", "SalesTaxCodeRef", "FullName"),
                       ("SalesReceiptLineAdd", "SalesTaxCodeRef", "FullName"),
                       ("SalesOrderLineAdd", "SalesTaxCodeRef", "FullName")],
    "REF_NUMBER": [("InvoiceAdd", "RefNumber"), ("SalesReceiptAdd", "RefNumber"),
                   ("SalesOrderAdd", "RefNumber"), ("InvoiceRet", "RefNumber")],
    "PAYMENT_REF_NUMBER": [("ReceivePaymentAdd", "RefNumber"), ("ReceivePaymentRet", "RefNumber")],
    "MEMO": [("InvoiceAdd", "Memo"), ("SalesReceiptAdd", "Memo"), ("SalesOrderAdd", "Memo"),
             ("ReceivePaymentAdd", "Memo")],
    "LINE_DESC": [("InvoiceLineAdd", "Desc"), ("SalesReceiptLineAdd", "Desc"),
                  ("SalesOrderLineAdd", "Desc"),
                  ("ItemNonInventoryAdd", "SalesOrPurchase", "Desc"),
                  ("ItemOtherChargeAdd", "SalesOrPurchase", "Desc")],
    "COMPANY_NAME": [("CustomerAdd", "CompanyName")],
    "PERSON_NAME": [("CustomerAdd", "FirstName"), ("CustomerAdd", "LastName")],
    "PHONE": [("CustomerAdd", "Phone")],
    "EMAIL": [("CustomerAdd", "Email")],
    "ADDRESS_LINE": [(owner, address, f"Addr{n}")
                     for owner in ("CustomerAdd", "InvoiceAdd")
                     for address in ("BillAddress", "ShipAddress")
                     for n in range(1, limits.ADDRESS_LINES + 1)],
    "CITY": [("CustomerAdd", "BillAddress", "City"), ("InvoiceAdd", "ShipAddress", "City")],
    "STATE": [("CustomerAdd", "BillAddress", "State"), ("InvoiceAdd", "ShipAddress", "State")],
    "POSTAL_CODE": [("CustomerAdd", "BillAddress", "PostalCode"),
                    ("InvoiceAdd", "ShipAddress", "PostalCode")],
    "COUNTRY": [("CustomerAdd", "BillAddress", "Country"),
                ("InvoiceAdd", "ShipAddress", "Country")],
    "ID": [("InvoiceRet", "TxnID"), ("SalesReceiptRet", "TxnID"), ("CustomerRet", "ListID")],
    "EDIT_SEQUENCE": [("InvoiceRet", "EditSequence"), ("CustomerRet", "EditSequence")],
    "INCLUDE_RET_ELEMENT": [("InvoiceAddRq", "IncludeRetElement"),
                            ("CustomerQueryRq", "IncludeRetElement")],
}
#: limits the schema leaves open, and where the number comes from instead
NOT_IN_SCHEMA = {
    "REQUEST_ID": "status 1060 (reference notes section 1): the attribute is a plain STRTYPE",
    "ADDRESS_LINES": "a count of elements (Addr1…Addr5), checked below",
}


class Xsd:
    """Just enough of an XSD reader to find an element's maxLength facet by its path."""

    def __init__(self, directory: str):
        self.declarations: dict[tuple[str, str], etree._Element] = {}
        for name in sorted(os.listdir(directory)):
            if name.endswith(".xsd"):
                for node in etree.parse(os.path.join(directory, name)).getroot():
                    if isinstance(node.tag, str) and node.get("name"):
                        self.declarations.setdefault((node.tag, node.get("name")), node)

    def max_lengths(self, *path: str) -> set[int | None]:
        """The maxLength of the element at ``path``, once for each declaration it can be."""
        nodes = [self._start(path[0])]
        for name in path[1:]:
            nodes = [decl for node in nodes for decl in self._children(self._model(node))
                     if (decl.get("name") or decl.get("ref")) == name]
            assert nodes, f"the schema has no {'/'.join(path)}"
        return {self._max_length(node) for node in nodes}

    def attribute_max_length(self, type_name: str, attribute: str) -> int | None:
        """The maxLength of an attribute of a named complex type (a request's ``requestID``)."""
        declaration = self._global("complexType", type_name).find(
            f"{XS}attribute[@name='{attribute}']")
        assert declaration is not None, f"{type_name} has no attribute {attribute}"
        return self._max_length(declaration)

    def child_names(self, *path: str) -> list[str]:
        node = self._start(path[0])
        for name in path[1:]:
            node = next(d for d in self._children(self._model(node))
                        if (d.get("name") or d.get("ref")) == name)
        return [d.get("name") or d.get("ref") for d in self._children(self._model(node))]

    def _global(self, kind: str, name: str | None) -> etree._Element | None:
        return self.declarations.get((XS + kind, name or ""))

    def _start(self, name: str) -> etree._Element:
        for kind, key in (("element", name), ("complexType", name), ("complexType", name + "Type")):
            if (found := self._global(kind, key)) is not None:
                return found
        raise AssertionError(f"the schema declares no {name}")

    def _model(self, node: etree._Element) -> etree._Element | None:
        """The complex type of a declaration: inline, named by ``type`` or through ``ref``."""
        if node.tag != XS + "element":
            return node
        if node.get("ref"):
            node = self._global("element", node.get("ref"))
        return self._global("complexType", node.get("type")) if node.get("type") else node

    def _children(self, node: etree._Element | None):
        """Element declarations directly inside a content model, through groups and bases."""
        for child in [] if node is None else node:
            if child.tag == XS + "element":
                yield child
            elif child.tag == XS + "group":
                yield from self._children(self._global("group", child.get("ref")))
            elif child.tag in (XS + "extension", XS + "restriction"):
                yield from self._children(self._global("complexType", child.get("base")))
                yield from self._children(child)
            elif child.tag in _MODEL_TAGS:
                yield from self._children(child)

    def _max_length(self, decl: etree._Element) -> int | None:
        if decl.get("ref"):
            decl = self._global("element", decl.get("ref"))
        simple = decl.find(XS + "simpleType")
        if simple is None:
            content = decl.find(f"{XS}complexType/{XS}simpleContent/{XS}extension")
            base = content.get("base") if content is not None else decl.get("type")
            simple = self._global("simpleType", base)
        while simple is not None:
            restriction = simple.find(XS + "restriction")
            if restriction is None:
                return None
            if (facet := restriction.find(XS + "maxLength")) is not None:
                return int(facet.get("value"))
            simple = self._global("simpleType", restriction.get("base"))
        return None


@pytest.fixture(scope="module")
def xsd():
    return Xsd(schema_dir_or_skip())


def named_limits() -> dict[str, int]:
    return {name: value for name, value in vars(limits).items()
            if name.isupper() and isinstance(value, int)}


def test_every_named_limit_is_checked_against_the_schema_or_says_why_not():
    assert set(named_limits()) == set(SCHEMA_PATHS) | set(NOT_IN_SCHEMA)
    assert not set(SCHEMA_PATHS) & set(NOT_IN_SCHEMA)


@pytest.mark.schema
@pytest.mark.parametrize("name", sorted(SCHEMA_PATHS))
def test_the_limit_is_the_maxlength_intuits_schema_sets_on_every_element_it_bounds(xsd, name):
    # given
    limit = getattr(limits, name)
    # when
    found = {"/".join(path): xsd.max_lengths(*path) for path in SCHEMA_PATHS[name]}
    # then
    assert found == {path: {limit} for path in found}


@pytest.mark.schema
def test_an_address_has_as_many_lines_as_the_schema_declares(xsd):
    # when
    names = xsd.child_names("CustomerAdd", "BillAddress")
    # then
    lines = [n for n in names if n.startswith("Addr")]
    assert lines == [f"Addr{n}" for n in range(1, limits.ADDRESS_LINES + 1)]


@pytest.mark.schema
def test_the_schema_leaves_the_request_id_open_so_its_limit_comes_from_quickbooks(xsd):
    # when
    found = {rq: xsd.attribute_max_length(f"{rq}Type", "requestID")
             for rq in ("InvoiceAddRq", "CustomerAddRq", "CustomerQueryRq")}
    # then
    assert found == dict.fromkeys(found)


def test_the_limits_are_the_reference_notes_table():
    # reference notes section 4, so that a run without the schema still notices a changed number
    assert named_limits() == {
        "CUSTOMER_NAME": 41, "CUSTOMER_FULL_NAME": 209, "ITEM_NAME": 31, "FULL_NAME_REF": 159,
        "ITEM_SALES_TAX_REF": 31, "SALES_TAX_CODE": 3, "REF_NUMBER": 11, "PAYMENT_REF_NUMBER": 20,
        "MEMO": 4095,
        "LINE_DESC": 4095, "COMPANY_NAME": 41, "PERSON_NAME": 25, "PHONE": 21, "EMAIL": 1023,
        "ADDRESS_LINE": 41, "ADDRESS_LINES": 5, "CITY": 31, "STATE": 21, "POSTAL_CODE": 13,
        "COUNTRY": 31, "ID": 36, "EDIT_SEQUENCE": 16, "INCLUDE_RET_ELEMENT": 50,
        "REQUEST_ID": 50,
    }
