"""qbXML request builders: envelope, element order, number formats, omissions, escaping."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.parse import parse_xml
from saleor_qb_sync.qbxml.records import ItemKind, TxnKind
from saleor_qb_sync.qbxml.schema import validate

from .factories import (
    customer_record,
    item_record,
    qb_address,
    transaction,
    transaction_line,
)


def children(el) -> list[str]:
    return [child.tag for child in el]


def envelope(*requests, **kwargs) -> bytes:
    return build.message_set(list(requests), **kwargs)


# --- envelope ----------------------------------------------------------------------------


def test_a_message_set_starts_with_the_xml_declaration_and_the_qbxml_version():
    # given
    request = build.customer_query(["Doe, Jane"], "1")
    # when
    xml = envelope(request, on_error="stopOnError", new_message_set_id="set-7")
    # then
    assert xml.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>')
    root = parse_xml(xml)
    assert root.tag == "QBXML"
    msgs = root.find("QBXMLMsgsRq")
    assert msgs.get("onError") == "stopOnError"
    assert msgs.get("newMessageSetID") == "set-7"
    assert msgs.get("oldMessageSetID") is None
    assert children(msgs) == ["CustomerQueryRq"]


def test_a_message_set_continues_on_error_by_default_and_keeps_request_order():
    # given
    requests = [build.customer_query(["A"], "a"), build.item_query(["B"], "b")]
    # when
    msgs = parse_xml(envelope(*requests)).find("QBXMLMsgsRq")
    # then
    assert msgs.get("onError") == "continueOnError"
    assert [rq.get("requestID") for rq in msgs] == ["a", "b"]


@pytest.mark.parametrize("on_error", ["rollbackOnError", "stop", ""])
def test_a_message_set_refuses_an_on_error_mode_quickbooks_does_not_honour(on_error):
    with pytest.raises(ValueError, match="on_error"):
        envelope(build.customer_query(["A"], "1"), on_error=on_error)


def test_a_message_set_refuses_a_version_that_is_not_a_qbxml_version():
    with pytest.raises(ValueError, match="version"):
        envelope(build.customer_query(["A"], "1"), version='13.0"?><x')


def test_a_request_id_longer_than_fifty_characters_is_refused():
    with pytest.raises(ValueError, match="requestID"):
        build.customer_query(["A"], "x" * 51)


# --- transactions -----------------------------------------------------------------------


def test_an_invoice_header_follows_the_schema_order_exactly():
    # given
    txn = transaction(kind=TxnKind.INVOICE)
    # when
    rq = build.transaction_add(txn, "inv-1001")
    # then
    assert rq.tag == "InvoiceAddRq" and rq.get("requestID") == "inv-1001"
    add = rq.find("InvoiceAdd")
    assert children(add) == [
        "CustomerRef", "ClassRef", "ARAccountRef", "TxnDate", "RefNumber", "BillAddress",
        "ShipAddress", "ItemSalesTaxRef", "Memo", "ExternalGUID", "InvoiceLineAdd",
        "InvoiceLineAdd",
    ]
    assert add.findtext("CustomerRef/FullName") == "Doe, Jane"
    assert add.findtext("ARAccountRef/FullName") == "Accounts Receivable"
    assert add.findtext("TxnDate") == "2024-05-01"
    assert add.findtext("ExternalGUID") == "{5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10}"
    assert [el.text for el in rq.findall("IncludeRetElement")] == list(
        build.TXN_ADD_RET_ELEMENTS)


def test_a_sales_receipt_deposits_to_an_account_after_the_memo_and_has_no_ar_account():
    # given
    txn = transaction(kind=TxnKind.SALES_RECEIPT)
    # when
    add = build.transaction_add(txn, "sr").find("SalesReceiptAdd")
    # then
    assert children(add) == [
        "CustomerRef", "ClassRef", "TxnDate", "RefNumber", "BillAddress", "ShipAddress",
        "ItemSalesTaxRef", "Memo", "DepositToAccountRef", "ExternalGUID",
        "SalesReceiptLineAdd", "SalesReceiptLineAdd",
    ]


def test_a_sales_order_has_neither_ar_account_nor_deposit_account():
    # given
    txn = transaction(kind=TxnKind.SALES_ORDER)
    # when
    add = build.transaction_add(txn, "so").find("SalesOrderAdd")
    # then
    assert "ARAccountRef" not in children(add)
    assert "DepositToAccountRef" not in children(add)
    assert children(add)[-1] == "SalesOrderLineAdd"


def test_a_product_line_sends_item_description_quantity_rate_amount_and_tax_code_in_order():
    # given
    txn = transaction(lines=(transaction_line(),))
    # when
    line = build.transaction_add(txn, "1").find("InvoiceAdd/InvoiceLineAdd")
    # then
    assert children(line) == ["ItemRef", "Desc", "Quantity", "Rate", "Amount", "SalesTaxCodeRef"]
    assert line.findtext("Quantity") == "2"
    assert line.findtext("Rate") == "19.99"
    assert line.findtext("Amount") == "39.98"
    assert line.findtext("SalesTaxCodeRef/FullName") == "Tax"


def test_a_non_taxable_line_says_non_and_an_undecided_one_leaves_the_items_own_code():
    # given
    txn = transaction(lines=(transaction_line(taxable=False),
                             transaction_line(taxable=None, quantity=None, rate=None)))
    # when
    lines = build.transaction_add(txn, "1").findall("InvoiceAdd/InvoiceLineAdd")
    # then
    assert lines[0].findtext("SalesTaxCodeRef/FullName") == "Non"
    assert lines[1].find("SalesTaxCodeRef") is None
    assert children(lines[1]) == ["ItemRef", "Desc", "Amount"]


def test_a_discount_line_carries_a_negative_amount_with_two_decimals():
    # given
    txn = transaction(lines=(transaction_line(amount=Decimal("-3"), quantity=None, rate=None),))
    # when
    line = build.transaction_add(txn, "1").find("InvoiceAdd/InvoiceLineAdd")
    # then
    assert line.findtext("Amount") == "-3.00"


def test_a_rate_that_does_not_give_the_lines_amount_is_left_for_quickbooks_to_derive():
    # given: 7 × 1.42857 = 9.99999, which rounds to 10.00, not the line's 10.01
    txn = transaction(lines=(transaction_line(quantity=Decimal(7), rate=Decimal("1.42857"),
                                              amount=Decimal("10.01")),))
    # when
    line = build.transaction_add(txn, "1").find("InvoiceAdd/InvoiceLineAdd")
    # then
    assert line.find("Rate") is None
    assert line.findtext("Quantity") == "7"
    assert line.findtext("Amount") == "10.01"


def test_empty_optional_fields_are_omitted_not_sent_empty():
    # given
    txn = transaction(class_name="", ar_account="", item_sales_tax="", memo="",
                      bill_address=None, ship_address=qb_address(lines=(), city="", state="",
                                                                 postal_code="", country=""),
                      lines=(transaction_line(description=""),))
    # when
    rq = build.transaction_add(txn, "1")
    # then
    add = rq.find("InvoiceAdd")
    assert children(add) == ["CustomerRef", "TxnDate", "RefNumber", "ExternalGUID",
                             "InvoiceLineAdd"]
    assert all(el.text for el in rq.iter() if not len(el))


def test_an_order_id_that_is_not_a_uuid_gives_no_external_guid():
    # given
    txn = transaction(order_id="T3JkZXI6MTIz")
    # when
    add = build.transaction_add(txn, "1").find("InvoiceAdd")
    # then
    assert add.find("ExternalGUID") is None


def test_xml_metacharacters_are_escaped_by_lxml_and_read_back_unchanged():
    # given
    memo = 'Saleor order #1 <b>"Tom & Jerry\'s"</b> ]]> &amp;'
    txn = transaction(memo=memo, customer_name="Tom & Jerry's <Shop>")
    # when
    xml = envelope(build.transaction_add(txn, "1"))
    # then
    assert b"&amp; Jerry" in xml and b"<b>" not in xml
    add = parse_xml(xml).find("QBXMLMsgsRq/InvoiceAddRq/InvoiceAdd")
    assert add.findtext("Memo") == memo
    assert add.findtext("CustomerRef/FullName") == "Tom & Jerry's <Shop>"


@pytest.mark.parametrize("text", [
    'Tom & Jerry\'s <b>"Shop"</b> ]]> &amp;',
    "line one\r\nline two\ttabbed",
    "Søren Øster, Café Müller ÿ ¡",
])
def test_the_text_builders_write_exactly_what_lxml_writes_for_the_same_tree(text):
    # given: requests carrying every character lxml escapes, and Latin-1 beyond ASCII
    txn = transaction(memo=text, customer_name=text.replace("\r", "").replace("\n", " ")[:41])
    customer = customer_record(company_name=text[:41].replace("\r", "").replace("\n", " "))
    requests = [build.transaction_add_xml(txn, "t0"), build.customer_add_xml(customer, 'a"&1'),
                build.item_add_xml(item_record(), "a2")]
    # when: lxml reads each and writes it again
    again = [etree.tostring(etree.fromstring(xml), encoding="unicode") for xml in requests]
    # then
    assert again == requests
    assert build.message_set(requests) == build.message_set(
        [etree.fromstring(xml) for xml in requests])


def test_a_control_character_xml_cannot_carry_is_refused_as_lxml_refuses_it():
    with pytest.raises(ValueError):
        build.transaction_add_xml(transaction(memo="bell \x07"), "1")
    with pytest.raises(ValueError):
        etree.Element("Memo").text = "bell \x07"


def test_a_transaction_without_lines_is_refused():
    with pytest.raises(ValueError, match="at least one line"):
        build.transaction_add(transaction(lines=()), "1")


def test_a_string_that_is_not_latin1_or_too_long_is_refused_rather_than_sent():
    with pytest.raises(ValueError, match="Latin-1"):
        build.transaction_add(transaction(memo="山田"), "1")
    with pytest.raises(ValueError, match="11 characters"):
        build.transaction_add(transaction(ref_number="W12345678901"), "1")


@pytest.mark.parametrize(("kind", "total_elements"), [
    (TxnKind.INVOICE, ["Subtotal", "SalesTaxTotal"]),
    (TxnKind.SALES_RECEIPT, ["Subtotal", "SalesTaxTotal", "TotalAmount"]),
    (TxnKind.SALES_ORDER, ["Subtotal", "SalesTaxTotal", "TotalAmount"]),
])
def test_a_duplicate_check_queries_by_refnumber_and_asks_for_what_confirms_a_match(
    kind, total_elements
):
    # when
    rq = build.transaction_query_by_ref(kind, ["W1001", "W1002", "W1001"], "dup")
    # then
    assert rq.tag == f"{kind}QueryRq"
    assert [el.text for el in rq.findall("RefNumber")] == ["W1001", "W1002"]
    wanted = [el.text for el in rq.findall("IncludeRetElement")]
    assert {"TxnID", "RefNumber", "Memo", "ExternalGUID", "TxnDate", "CustomerRef"} <= set(wanted)
    assert [w for w in wanted if w in ("Subtotal", "SalesTaxTotal", "TotalAmount")] == (
        total_elements)
    assert children(rq)[: 2] == ["RefNumber", "RefNumber"]


# --- lists ------------------------------------------------------------------------------


def test_a_customer_add_sends_name_company_person_addresses_and_contact_in_schema_order():
    # when
    rq = build.customer_add(customer_record(), "c1")
    # then
    assert children(rq.find("CustomerAdd")) == [
        "Name", "CompanyName", "FirstName", "LastName", "BillAddress", "ShipAddress", "Phone",
        "Email",
    ]
    assert rq.findtext("CustomerAdd/CompanyName") == "Acme & Sons"


def test_a_customer_with_only_a_name_sends_only_the_name():
    # when
    rq = build.customer_add(customer_record(company_name="", first_name="", last_name="",
                                            email="", phone="", bill_address=None,
                                            ship_address=None), "c1")
    # then
    assert children(rq.find("CustomerAdd")) == ["Name"]


@pytest.mark.parametrize("kind", list(ItemKind))
def test_an_item_add_posts_sales_to_the_income_account_without_a_price(kind):
    # when
    rq = build.item_add(item_record(kind=kind, name="Shipping", description="Shipping"), "i1")
    # then
    assert rq.tag == f"{kind}AddRq"
    add = rq.find(f"{kind}Add")
    assert children(add) == ["Name", "SalesOrPurchase"]
    assert children(add.find("SalesOrPurchase")) == ["Desc", "AccountRef"]
    assert add.findtext("SalesOrPurchase/AccountRef/FullName") == "Sales"


def test_list_queries_ask_for_each_name_once():
    # when
    customers = build.customer_query(["Doe, Jane", "Roe, John", "Doe, Jane"], "cq")
    items = build.item_query(["TEE-M"], "iq")
    # then
    assert [el.text for el in customers.findall("FullName")] == ["Doe, Jane", "Roe, John"]
    assert [el.text for el in items.findall("FullName")] == ["TEE-M"]
    assert "ListID" in [el.text for el in items.findall("IncludeRetElement")]


def test_the_preflight_queries_ask_for_accounts_and_sales_tax_items_by_full_name():
    # when
    accounts = build.account_query(["Sales", "Undeposited Funds", "Sales"], "pa")
    tax_items = build.item_sales_tax_query(["State Sales Tax"], "pt")
    # then
    assert accounts.tag == "AccountQueryRq"
    assert [el.text for el in accounts.findall("FullName")] == ["Sales", "Undeposited Funds"]
    assert tax_items.tag == "ItemSalesTaxQueryRq"
    assert [el.text for el in tax_items.findall("FullName")] == ["State Sales Tax"]
    assert "IsActive" in [el.text for el in accounts.findall("IncludeRetElement")]


def test_a_list_query_without_names_is_refused_because_it_would_return_the_whole_list():
    with pytest.raises(ValueError, match="at least one"):
        build.customer_query([], "cq")
    with pytest.raises(TypeError):
        build.item_query("TEE-M", "iq")


# --- values -----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("5", "5.00"), ("5.005", "5.01"), ("-3", "-3.00"), ("-0.001", "0.00"), ("1E+2", "100.00"),
    ("0.1", "0.10"), ("1234567890123.99", "1234567890123.99"),
])
def test_amounts_have_exactly_two_decimals(value, expected):
    assert build.format_amount(Decimal(value)) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2", "2"), ("19.990", "19.99"), ("10.123456", "10.12346"), ("1E+2", "100"),
    ("0.000001", "0"), ("-0", "0"), ("1.5", "1.5"), ("3.33333", "3.33333"),
])
def test_prices_and_quantities_have_at_most_five_decimals_and_no_exponent(value, expected):
    assert build.format_price(Decimal(value)) == expected


def test_numbers_too_large_for_quickbooks_are_refused():
    with pytest.raises(ValueError):
        build.format_amount(Decimal("10000000000000"))
    with pytest.raises(ValueError):
        build.format_price(Decimal("10000000000"))


# --- against Intuit's schema ------------------------------------------------------------


@pytest.mark.schema
@pytest.mark.parametrize("kind", list(TxnKind))
def test_every_builder_produces_requests_intuits_schema_accepts(qbxml_schema, kind):
    # given
    requests = [
        build.customer_query(["Doe, Jane", "Roe, John"], "1"),
        build.customer_add(customer_record(), "2"),
        build.item_query(["TEE-M", "Shipping"], "3"),
        build.item_add(item_record(), "4"),
        build.item_add(item_record(kind=ItemKind.OTHER_CHARGE, name="Shipping"), "5"),
        build.transaction_query_by_ref(kind, ["W1001"], "6"),
        build.transaction_add(transaction(kind=kind), "7"),
        build.account_query(["Sales", "Sales Tax Payable"], "8"),
        build.item_sales_tax_query(["State Sales Tax"], "9"),
    ]
    # when
    xml = envelope(*requests, on_error="stopOnError", new_message_set_id="{abc}",
                   old_message_set_id="{abd}")
    # then
    assert validate(xml, qbxml_schema) == []


@pytest.mark.schema
def test_the_schema_check_catches_a_misordered_request(qbxml_schema):
    # given: RefNumber moved before TxnDate
    rq = build.transaction_add(transaction(), "1")
    add = rq.find("InvoiceAdd")
    add.find("TxnDate").addprevious(add.find("RefNumber"))
    # when
    errors = validate(envelope(rq), qbxml_schema)
    # then
    joined = " ".join(errors)
    assert errors and ("RefNumber" in joined or "TxnDate" in joined)


# --- multicurrency --------------------------------------------------------------------------


@pytest.mark.schema
@pytest.mark.parametrize("kind", list(TxnKind))
def test_a_foreign_currency_customer_and_transaction_are_what_intuits_schema_accepts(
        qbxml_schema, kind):
    # given: a customer in euros, a transaction at a set exchange rate, the currency list
    customer = build.customer_add(customer_record(name="Jane Doe (EUR)", currency="Euro"), "1")
    txn = build.transaction_add(transaction(kind=kind, currency="EUR", ar_account="",
                                            exchange_rate=Decimal("1.0815")), "2")
    # then
    assert customer.findtext("CustomerAdd/CurrencyRef/FullName") == "Euro"
    assert txn.findtext(f"{kind}Add/ExchangeRate") == "1.0815"
    assert children(txn.find(f"{kind}Add")).index("ExchangeRate") == children(
        txn.find(f"{kind}Add")).index("ExternalGUID") - 1
    assert validate(envelope(customer, txn, build.currency_query("3")), qbxml_schema) == []


def test_a_home_currency_transaction_names_no_rate_and_its_customer_no_currency():
    assert build.transaction_add(transaction(), "1").find("InvoiceAdd/ExchangeRate") is None
    assert build.customer_add(customer_record(), "2").find("CustomerAdd/CurrencyRef") is None


@pytest.mark.parametrize(("value", "expected"), [("1.08", "1.08"), ("0.250000", "0.25"),
                                                 ("4", "4"), ("1E-5", "0.00001")])
def test_an_exchange_rate_is_written_as_given_without_exponent(value, expected):
    assert build.format_rate(Decimal(value)) == expected


@pytest.mark.parametrize("value", ["0", "-1", "NaN", "Infinity"])
def test_an_exchange_rate_that_is_no_rate_is_refused(value):
    with pytest.raises(ValueError):
        build.format_rate(Decimal(value))


def test_the_currency_list_is_asked_for_whole_inactive_currencies_included():
    rq = build.currency_query("pc")
    assert children(rq) == ["ActiveStatus", "IncludeRetElement", "IncludeRetElement",
                            "IncludeRetElement"]
    assert rq.findtext("ActiveStatus") == "All"
