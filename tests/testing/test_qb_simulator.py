"""The QuickBooks simulator behaves like QuickBooks Desktop for the requests the export sends.

Requests are written by hand here (the project's builders are the code under test elsewhere).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from saleor_qb_sync.testing import intuit_files
from saleor_qb_sync.testing.qb_company import (
    Company,
    CustomerSpec,
    ItemSpec,
    SalesTaxItemSpec,
)
from saleor_qb_sync.testing.qb_simulator import (
    QuickBooksError,
    QuickBooksSimulator,
    ResponseLost,
    SchemaNotConfigured,
    default_schema,
)

pytestmark = [
    pytest.mark.schema,
    pytest.mark.skipif(intuit_files.schema_dir() is None, reason=intuit_files.SCHEMA_HELP),
]

FIXED_NOW = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)


def _company(**overrides: object) -> Company:
    values: dict[str, object] = {
        "items": (
            ItemSpec("T-Shirt", price=Decimal("19.99")),
            ItemSpec("Mug", price=Decimal("9.99")),
            ItemSpec("Shipping", kind="OtherCharge", sales_tax_code="Non"),
            ItemSpec("Web Discount", kind="Discount", sales_tax_code="Tax"),
            ItemSpec("Ten Off", kind="Discount", discount_rate_percent=Decimal("10")),
        ),
        "customers": (
            CustomerSpec("Doe, Jane"),
            CustomerSpec("Old Customer", is_active=False),
            CustomerSpec("Exempt Inc", sales_tax_code="Non"),
        ),
        "sales_tax_items": (SalesTaxItemSpec("State Sales Tax", Decimal("8.25")),),
        "vendors": ("Acme Supplies",),
    }
    values.update(overrides)
    return Company.default(**values)


@pytest.fixture
def sim() -> QuickBooksSimulator:
    return QuickBooksSimulator(_company(), clock=lambda: FIXED_NOW, sleep=lambda _: None)


def message_set(*requests: str, on_error: str = "stopOnError", version: str = "13.0",
                attrs: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<?qbxml version="{version}"?>\n'
        f'<QBXML><QBXMLMsgsRq onError="{on_error}"{attrs}>'
        + "".join(requests)
        + "</QBXMLMsgsRq></QBXML>"
    )


def invoice_add(ref: str = "W1001", customer: str = "Doe, Jane", lines: str | None = None,
                request_id: str = "inv", header: str = "", txn_date: str = "2024-05-01",
                tag: str = "Invoice") -> str:
    if lines is None:
        lines = line("T-Shirt", quantity="2", rate="19.99")
        lines = lines.replace("Line", f"{tag}Line") if tag != "Invoice" else lines
    return (
        f'<{tag}AddRq requestID="{request_id}"><{tag}Add>'
        f"<CustomerRef><FullName>{customer}</FullName></CustomerRef>"
        f"<TxnDate>{txn_date}</TxnDate><RefNumber>{ref}</RefNumber>{header}"
        f"{lines}</{tag}Add></{tag}AddRq>"
    )


def line(item: str, quantity: str | None = None, rate: str | None = None,
         amount: str | None = None, tax: str | None = None, tag: str = "Invoice") -> str:
    body = f"<ItemRef><FullName>{item}</FullName></ItemRef>"
    if quantity is not None:
        body += f"<Quantity>{quantity}</Quantity>"
    if rate is not None:
        body += f"<Rate>{rate}</Rate>"
    if amount is not None:
        body += f"<Amount>{amount}</Amount>"
    if tax is not None:
        body += f"<SalesTaxCodeRef><FullName>{tax}</FullName></SalesTaxCodeRef>"
    return f"<{tag}LineAdd>{body}</{tag}LineAdd>"


def customer_add(name: str, request_id: str = "cust", extra: str = "") -> str:
    return (
        f'<CustomerAddRq requestID="{request_id}"><CustomerAdd><Name>{name}</Name>{extra}'
        "</CustomerAdd></CustomerAddRq>"
    )


def responses(xml: str) -> list[etree._Element]:
    root = etree.fromstring(xml.encode())
    return list(root.find("QBXMLMsgsRs"))


def status(rs: etree._Element) -> tuple[int, str]:
    return int(rs.get("statusCode")), rs.get("statusSeverity")


# ------------------------------------------------------------------------- whole message set --


def test_a_valid_invoice_is_added_and_the_response_validates_against_the_schema(sim):
    # given
    request = message_set(invoice_add())

    # when
    out = sim.process(request)

    # then
    assert default_schema().validate(etree.fromstring(out.encode()))
    (rs,) = responses(out)
    assert rs.tag == "InvoiceAddRs"
    assert (rs.get("requestID"), status(rs)) == ("inv", (0, "Info"))
    assert rs.get("statusMessage") == "Status OK"
    ret = rs.find("InvoiceRet")
    assert ret.findtext("RefNumber") == "W1001"
    assert ret.findtext("TxnID").endswith(f"-{int(FIXED_NOW.timestamp())}")
    assert ret.findtext("TxnNumber") == "1"
    assert sim.find_transaction("W1001").customer_name == "Doe, Jane"


def test_a_recorded_invoices_summary_has_each_line_as_quickbooks_filled_it_in(sim):
    # given: a rate QuickBooks derives (Quantity and Amount only) and the item's own tax code
    lines = (line("T-Shirt", quantity="3", amount="45.00")
             + line("Shipping", amount="7.50", tax="Tax"))
    sim.process(message_set(invoice_add(lines=lines)))

    # when
    (summary,) = [txn.summary() for txn in sim.transactions()]

    # then
    assert (summary["type"], summary["ref_number"], summary["customer"]) \
        == ("Invoice", "W1001", "Doe, Jane")
    assert [(ln["item"], ln["quantity"], ln["rate"], ln["amount"], ln["sales_tax_code"])
            for ln in summary["lines"]] == [
        ("T-Shirt", "3", "15.00000", "45.00", "Tax"), ("Shipping", None, None, "7.50", "Tax")]
    assert summary["total_amount"] == format(sim.find_transaction("W1001").total_amount, "f")


def test_a_schema_invalid_message_set_is_rejected_whole_and_nothing_is_processed(sim):
    # given: a valid customer add, then an invoice with RefNumber after TxnDate swapped
    bad_invoice = invoice_add().replace(
        "<TxnDate>2024-05-01</TxnDate><RefNumber>W1001</RefNumber>",
        "<RefNumber>W1001</RefNumber><TxnDate>2024-05-01</TxnDate>",
    )
    request = message_set(customer_add("New Person"), bad_invoice)

    # when
    with pytest.raises(QuickBooksError) as raised:
        sim.process(request)

    # then
    assert raised.value.hresult == "0x80040400"
    assert raised.value.message == (
        "QuickBooks found an error when parsing the provided XML text stream."
    )
    assert sim.find_customer("New Person") is None
    assert sim.transactions() == []


def test_a_document_that_is_not_well_formed_is_a_parse_error(sim):
    # given
    request = message_set(customer_add("Salt & Pepper"))

    # when / then
    with pytest.raises(QuickBooksError, match="0x80040400"):
        sim.process(request)


def test_a_qbxml_version_above_the_company_maximum_is_refused(sim):
    # given
    request = message_set(customer_add("New Person"), version="14.0")

    # when
    with pytest.raises(QuickBooksError) as raised:
        sim.process(request)

    # then
    assert raised.value.hresult == "0x80042500"
    assert sim.find_customer("New Person") is None


def test_a_request_without_the_qbxml_version_instruction_is_a_parse_error(sim):
    # given
    request = message_set(customer_add("New Person")).replace('<?qbxml version="13.0"?>', "")

    # when / then
    with pytest.raises(QuickBooksError, match="0x80040400"):
        sim.process(request)


def test_literal_non_latin_text_fails_to_parse_but_a_character_reference_is_stored_as_a_question_mark(sim):  # noqa: E501
    # given
    literal = message_set(customer_add("Ωmega Store"))
    escaped = message_set(customer_add("&#937;mega Store"))

    # when
    with pytest.raises(QuickBooksError, match="0x80040400"):
        sim.process(literal)
    out = sim.process(escaped)

    # then
    assert status(responses(out)[0]) == (0, "Info")
    assert sim.find_customer("?mega Store") is not None


def test_stop_on_error_answers_up_to_the_failure_and_leaves_later_requests_unprocessed(sim):
    # given
    request = message_set(
        customer_add("First", request_id="1"),
        invoice_add(customer="Nobody", request_id="2"),
        customer_add("Third", request_id="3"),
        on_error="stopOnError",
    )

    # when
    out = sim.process(request)

    # then
    rs = responses(out)
    assert [r.get("requestID") for r in rs] == ["1", "2"]
    assert status(rs[1]) == (3140, "Error")
    assert sim.find_customer("First") is not None
    assert sim.find_customer("Third") is None


def test_continue_on_error_answers_every_request_with_its_own_status(sim):
    # given
    request = message_set(
        customer_add("First", request_id="1"),
        invoice_add(customer="Nobody", request_id="2"),
        customer_add("Third", request_id="3"),
        on_error="continueOnError",
    )

    # when
    rs = responses(sim.process(request))

    # then
    assert [(r.tag, r.get("requestID"), int(r.get("statusCode"))) for r in rs] == [
        ("CustomerAddRs", "1", 0), ("InvoiceAddRs", "2", 3140), ("CustomerAddRs", "3", 0),
    ]
    assert sim.find_customer("Third") is not None


def test_an_unsupported_request_type_gets_an_error_status_instead_of_a_crash(sim):
    # given
    request = message_set('<VendorQueryRq requestID="v"/>', on_error="continueOnError")

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert rs.tag == "VendorQueryRs"
    assert rs.get("requestID") == "v"
    assert status(rs) == (1030, "Error")


# ------------------------------------------------------------------------------- statuses --


def test_a_query_without_a_match_returns_status_one_with_severity_info(sim):
    # given
    request = message_set('<InvoiceQueryRq requestID="q"><RefNumber>NOPE</RefNumber>'
                          "</InvoiceQueryRq>")

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert status(rs) == (1, "Info")
    assert rs.get("statusMessage") == "A query request did not find a matching object in QuickBooks"
    assert rs.find("InvoiceRet") is None


def test_a_list_query_finding_only_some_names_is_a_warning_500_with_the_found_ones(sim):
    # given
    request = message_set('<CustomerQueryRq requestID="c"><FullName>Doe, Jane</FullName>'
                          "<FullName>Nobody Here</FullName></CustomerQueryRq>")

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert status(rs) == (500, "Warn")
    assert "Nobody Here" in rs.get("statusMessage")
    assert [r.findtext("Name") for r in rs.findall("CustomerRet")] == ["Doe, Jane"]


def test_a_list_query_by_names_finding_none_of_them_is_a_warning_500_not_no_match(sim):
    # given
    request = message_set('<AccountQueryRq requestID="a"><FullName>Sales Tax Owed</FullName>'
                          "<FullName>Gift Card Liability</FullName></AccountQueryRq>")

    # when
    (rs,) = responses(sim.process(request))

    # then: as QuickBooks, naming the first record it could not find, with no records
    assert status(rs) == (500, "Warn")
    assert '("Sales Tax Owed")' in rs.get("statusMessage")
    assert rs.findall("AccountRet") == []


def test_an_account_query_by_name_returns_the_account_and_an_added_account_is_found(sim):
    # given
    sim.add_account("Gift Card Liability", "OtherCurrentLiability")
    request = message_set('<AccountQueryRq requestID="a"><FullName>Sales</FullName>'
                          "<FullName>gift card liability</FullName></AccountQueryRq>")

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert status(rs) == (0, "Info")
    assert [r.findtext("FullName") for r in rs.findall("AccountRet")] == [
        "Sales", "Gift Card Liability"]


def test_an_item_sales_tax_query_by_name_finds_only_sales_tax_items(sim):
    # given
    request = message_set('<ItemSalesTaxQueryRq requestID="t"><FullName>State Sales Tax'
                          "</FullName><FullName>Shipping</FullName></ItemSalesTaxQueryRq>")

    # when
    (rs,) = responses(sim.process(request))

    # then: "Shipping" is an item, but not a sales tax item
    assert status(rs) == (500, "Warn")
    assert '("Shipping")' in rs.get("statusMessage")
    assert [r.findtext("Name") for r in rs.findall("ItemSalesTaxRet")] == ["State Sales Tax"]


def test_a_customer_query_by_name_filter_honours_active_status_and_max_returned(sim):
    # given
    sim.process(message_set(customer_add("Doe, John"), customer_add("Doe, Jim", "c2")))
    request = message_set(
        '<CustomerQueryRq requestID="c"><MaxReturned>2</MaxReturned><ActiveStatus>All'
        "</ActiveStatus><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>doe"
        "</Name></NameFilter></CustomerQueryRq>"
    )

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert rs.get("retCount") == "2"
    assert [r.findtext("Name") for r in rs.findall("CustomerRet")] == ["Doe, Jane", "Doe, Jim"]


def test_an_item_query_returns_each_item_in_its_own_ret_element(sim):
    # given
    request = message_set('<ItemQueryRq requestID="i"><FullName>Shipping</FullName>'
                          "<FullName>State Sales Tax</FullName><FullName>T-Shirt</FullName>"
                          "</ItemQueryRq>")

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert [r.tag for r in rs] == ["ItemOtherChargeRet", "ItemSalesTaxRet", "ItemNonInventoryRet"]


def test_a_customer_name_already_used_by_an_inactive_customer_is_refused_with_3100(sim):
    # given
    request = message_set(customer_add("old customer"))

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert status(rs) == (3100, "Error")
    assert rs.get("statusMessage") == (
        'The name "old customer" of the list element is already in use.'
    )


def test_a_customer_name_already_used_by_a_vendor_is_refused_with_3100_but_items_have_their_own_names(sim):  # noqa: E501
    # given
    item = ('<ItemServiceAddRq requestID="i"><ItemServiceAdd><Name>Acme Supplies</Name>'
            "<SalesOrPurchase><Price>10.00</Price><AccountRef><FullName>Sales</FullName>"
            "</AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>")
    request = message_set(customer_add("Acme Supplies"), item, on_error="continueOnError")

    # when
    customer_rs, item_rs = responses(sim.process(request))

    # then
    assert status(customer_rs) == (3100, "Error")
    assert status(item_rs) == (0, "Info")
    assert sim.find_item("Acme Supplies").kind == "Service"


def test_an_item_name_is_unique_across_item_types(sim):
    # given
    request = message_set(
        '<ItemNonInventoryAddRq requestID="i"><ItemNonInventoryAdd><Name>Shipping</Name>'
        "<SalesOrPurchase><AccountRef><FullName>Sales</FullName></AccountRef>"
        "</SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>"
    )

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert status(rs) == (3100, "Error")


@pytest.mark.parametrize(
    ("request_xml", "kind", "value"),
    [
        (invoice_add(customer="Nobody"), "Customer", "Nobody"),
        (invoice_add(customer="Old Customer"), "Customer", "Old Customer"),
        (invoice_add(lines=line("Unicorn", amount="5.00")), "Item", "Unicorn"),
        (invoice_add(header="<ItemSalesTaxRef><FullName>Mars Tax</FullName></ItemSalesTaxRef>"),
         "ItemSalesTax", "Mars Tax"),
        (invoice_add(header="<ARAccountRef><FullName>Nope AR</FullName></ARAccountRef>"
                            ), "Account", "Nope AR"),
    ],
)
def test_a_reference_to_a_missing_or_inactive_list_element_is_status_3140(sim, request_xml,
                                                                          kind, value):
    # given
    if "ARAccountRef" in request_xml:  # ARAccountRef comes before TxnDate
        request_xml = request_xml.replace(
            "<TxnDate>2024-05-01</TxnDate><RefNumber>W1001</RefNumber>"
            "<ARAccountRef><FullName>Nope AR</FullName></ARAccountRef>",
            "<ARAccountRef><FullName>Nope AR</FullName></ARAccountRef>"
            "<TxnDate>2024-05-01</TxnDate><RefNumber>W1001</RefNumber>",
        )

    # when
    (rs,) = responses(sim.process(message_set(request_xml)))

    # then
    assert status(rs) == (3140, "Error")
    assert rs.get("statusMessage") == (
        f'There is an invalid reference to QuickBooks {kind} "{value}" in the Invoice. '
        "QuickBooks error message: Invalid argument. The specified record does not exist in "
        "the list."
    )
    assert sim.transactions() == []


def test_a_sales_receipt_deposit_account_that_does_not_exist_is_status_3140(sim):
    # given
    request = message_set(invoice_add(
        tag="SalesReceipt",
        lines=line("Mug", quantity="1", tag="SalesReceipt"),
        header="<DepositToAccountRef><FullName>Piggy Bank</FullName></DepositToAccountRef>",
    ))

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert status(rs) == (3140, "Error")
    assert 'Account "Piggy Bank" in the Sales Receipt' in rs.get("statusMessage")


def test_a_string_longer_than_its_field_allows_is_status_3070_not_a_parse_error(sim):
    # given
    long_name = "A" * 42
    request = message_set(customer_add("Fine"), customer_add(long_name, "2"),
                          on_error="continueOnError")

    # when
    ok, too_long = responses(sim.process(request))

    # then
    assert status(ok) == (0, "Info")
    assert status(too_long) == (3070, "Error")
    assert too_long.get("statusMessage") == (
        f'The string "{long_name}" in the field "Name" is too long.'
    )
    assert sim.find_customer(long_name) is None


def test_a_twelve_character_ref_number_is_status_3070(sim):
    # given
    request = message_set(invoice_add(ref="W12345678901"))

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert status(rs) == (3070, "Error")
    assert '"RefNumber"' in rs.get("statusMessage")


def test_a_transaction_dated_on_the_closing_date_is_status_3171():
    # given
    sim = QuickBooksSimulator(_company(closing_date=date(2024, 4, 30)), clock=lambda: FIXED_NOW)
    request = message_set(invoice_add(txn_date="2024-04-30"), invoice_add("W2", txn_date=
                                                                           "2024-05-01",
                                                                           request_id="ok"),
                          on_error="continueOnError")

    # when
    closed, ok = responses(sim.process(request))

    # then
    assert status(closed) == (3171, "Error")
    assert status(ok) == (0, "Info")
    assert [t.ref_number for t in sim.transactions()] == ["W2"]


def test_a_sales_order_in_a_company_without_sales_orders_is_status_3250():
    # given
    sim = QuickBooksSimulator(_company(supports_sales_orders=False), clock=lambda: FIXED_NOW)
    request = message_set(invoice_add(tag="SalesOrder",
                                      lines=line("Mug", quantity="1", tag="SalesOrder")))

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert status(rs) == (3250, "Error")
    assert rs.get("statusMessage") == (
        "This feature is not enabled or not available in this version of QuickBooks."
    )


def test_a_sales_order_is_added_when_the_company_supports_them(sim):
    # given
    request = message_set(invoice_add(tag="SalesOrder", ref="SO1",
                                      lines=line("Mug", quantity="2", tag="SalesOrder")))

    # when
    out = sim.process(request)

    # then
    assert default_schema().validate(etree.fromstring(out.encode()))
    assert responses(out)[0].find("SalesOrderRet/TotalAmount").text == "21.63"
    assert sim.find_transaction("SO1").kind == "SalesOrder"


# --------------------------------------------------------------------------------- totals --


def test_line_amounts_are_rounded_half_up_per_line_before_they_are_summed(sim):
    # given: 3 × 0.335 = 1.005 → 1.01 on each line (summing first would give 2.01)
    lines = line("T-Shirt", quantity="3", rate="0.335", tax="Non") * 2
    request = message_set(invoice_add(lines=lines))

    # when
    (rs,) = responses(sim.process(request))

    # then
    ret = rs.find("InvoiceRet")
    assert [el.text for el in ret.findall("InvoiceLineRet/Amount")] == ["1.01", "1.01"]
    assert ret.findtext("Subtotal") == "2.02"
    assert sim.find_transaction("W1001").total_amount == Decimal("2.02")


def test_sales_tax_is_the_rate_of_the_taxable_subtotal_rounded_to_cents(sim):
    # given: taxable 2 × 19.99 = 39.98; shipping 5.00 is Non; 8.25 % of 39.98 = 3.29835
    lines = line("T-Shirt", quantity="2", rate="19.99", tax="Tax") + line("Shipping",
                                                                          amount="5.00")
    request = message_set(invoice_add(lines=lines, tag="SalesReceipt").replace(
        "InvoiceLineAdd", "SalesReceiptLineAdd"))

    # when
    (rs,) = responses(sim.process(request))

    # then
    ret = rs.find("SalesReceiptRet")
    assert ret.findtext("Subtotal") == "44.98"
    assert ret.findtext("SalesTaxTotal") == "3.30"
    assert ret.findtext("TotalAmount") == "48.28"
    assert ret.findtext("DepositToAccountRef/FullName") == "Undeposited Funds"


def test_a_tax_exempt_customer_pays_no_sales_tax(sim):
    # given
    request = message_set(invoice_add(customer="Exempt Inc",
                                      lines=line("T-Shirt", quantity="1", tax="Tax")))

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert rs.find("InvoiceRet/SalesTaxTotal").text == "0.00"
    assert rs.find("InvoiceRet/Subtotal").text == "19.99"


def test_an_item_price_is_used_when_the_line_has_no_rate_and_amount_alone_is_kept(sim):
    # given
    lines = line("Mug", quantity="3", tax="Non") + line("Shipping", quantity="2",
                                                        amount="7.00")
    request = message_set(invoice_add(lines=lines))

    # when
    (rs,) = responses(sim.process(request))

    # then
    line_rets = rs.findall("InvoiceRet/InvoiceLineRet")
    assert [r.findtext("Amount") for r in line_rets] == ["29.97", "7.00"]
    assert [r.findtext("Rate") for r in line_rets] == ["9.99", "3.5"]


def test_discount_lines_reduce_the_subtotal_by_a_fixed_amount_or_a_percentage_of_the_line_above(sim):  # noqa: E501
    # given
    lines = (
        line("T-Shirt", quantity="1", rate="50.00", tax="Non")
        + line("Web Discount", amount="-5.00", tax="Non")
        + line("Mug", quantity="2", rate="10.00", tax="Non")
        + line("Ten Off", tax="Non")
    )
    request = message_set(invoice_add(lines=lines))

    # when
    (rs,) = responses(sim.process(request))

    # then
    amounts = [el.text for el in rs.findall("InvoiceRet/InvoiceLineRet/Amount")]
    assert amounts == ["50.00", "-5.00", "20.00", "-2.00"]
    assert rs.findtext("InvoiceRet/Subtotal") == "63.00"


def test_a_query_returns_lines_only_when_include_line_items_is_true(sim):
    # given
    sim.process(message_set(invoice_add()))
    plain = '<InvoiceQueryRq requestID="a"><RefNumber>W1001</RefNumber></InvoiceQueryRq>'
    with_lines = ('<InvoiceQueryRq requestID="b"><RefNumber>W1001</RefNumber>'
                  "<IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>")

    # when
    without, with_ = responses(sim.process(message_set(plain, with_lines)))

    # then
    assert without.find("InvoiceRet/InvoiceLineRet") is None
    assert len(with_.findall("InvoiceRet/InvoiceLineRet")) == 1


def test_a_ref_number_filter_and_include_ret_element_trim_the_answer(sim):
    # given
    sim.process(message_set(invoice_add("W1001"), invoice_add("W1002", request_id="2"),
                            invoice_add("X1003", request_id="3")))
    request = message_set(
        '<InvoiceQueryRq requestID="q"><RefNumberFilter><MatchCriterion>StartsWith'
        "</MatchCriterion><RefNumber>W</RefNumber></RefNumberFilter>"
        "<IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>RefNumber"
        "</IncludeRetElement></InvoiceQueryRq>"
    )

    # when
    (rs,) = responses(sim.process(request))

    # then
    assert [[c.tag for c in ret] for ret in rs] == [["TxnID", "RefNumber"]] * 2
    assert [ret.findtext("RefNumber") for ret in rs] == ["W1001", "W1002"]


def test_host_company_and_preferences_queries_answer_with_schema_valid_rets(sim):
    # given
    hcp = sim.hcp_response()

    # when
    host, company, prefs = responses(hcp)

    # then
    assert default_schema().validate(etree.fromstring(hcp.encode()))
    assert host.findtext("HostRet/SupportedQBXMLVersion[last()]") == "13.0"
    assert company.findtext("CompanyRet/CompanyName") == "Simulated Outfitters LLC"
    assert prefs.findtext(
        "PreferencesRet/SalesTaxPreferences/DefaultItemSalesTaxRef/FullName") == "State Sales Tax"
    assert sim.history == []


# ------------------------------------------------------------------------- error recovery --


def test_resending_a_message_set_with_the_same_new_id_returns_the_stored_outcome_and_adds_nothing(sim):  # noqa: E501
    # given
    request = message_set(invoice_add(), attrs=' newMessageSetID="set-1"')
    first = sim.process(request)

    # when
    again = sim.process(request)

    # then
    assert again == first
    assert responses(first)[0].get("statusCode") == "0"
    msgs = etree.fromstring(first.encode()).find("QBXMLMsgsRs")
    assert (msgs.get("newMessageSetID"), msgs.get("messageSetStatusCode")) == ("set-1", "0")
    assert len(sim.transactions()) == 1


def test_a_status_check_after_a_lost_response_returns_the_stored_response(sim):
    # given
    sim.faults.inject("lose_response")
    with pytest.raises(ResponseLost) as lost:
        sim.process(message_set(invoice_add(), attrs=' newMessageSetID="set-7"'))
    check = message_set(attrs=' oldMessageSetID="set-7" newMessageSetID="set-7"')

    # when
    out = sim.process(check)

    # then
    assert out == lost.value.response_xml
    assert responses(out)[0].find("InvoiceRet/RefNumber").text == "W1001"
    assert len(sim.transactions()) == 1


def test_a_status_check_for_a_set_quickbooks_never_saw_reports_600_and_processes_nothing(sim):
    # given
    check = message_set(invoice_add(), attrs=' oldMessageSetID="set-9" newMessageSetID="set-9"')

    # when
    out = sim.process(check)

    # then
    msgs = etree.fromstring(out.encode()).find("QBXMLMsgsRs")
    assert msgs.get("messageSetStatusCode") == "600"
    assert len(msgs) == 0
    assert sim.transactions() == []


def test_the_same_new_id_with_different_requests_is_a_checksum_mismatch_9001(sim):
    # given
    sim.process(message_set(invoice_add("W1"), attrs=' newMessageSetID="set-1"'))

    # when
    out = sim.process(message_set(invoice_add("W2"), attrs=' newMessageSetID="set-1"'))

    # then
    msgs = etree.fromstring(out.encode()).find("QBXMLMsgsRs")
    assert msgs.get("messageSetStatusCode") == "9001"
    assert [t.ref_number for t in sim.transactions()] == ["W1"]


def test_an_old_id_alone_clears_the_stored_state_so_the_set_runs_again(sim):
    # given
    request = message_set(invoice_add(), attrs=' newMessageSetID="set-1"')
    sim.process(request)

    # when
    cleared = sim.process(message_set(attrs=' oldMessageSetID="set-1"'))
    sim.process(request)

    # then
    assert etree.fromstring(cleared.encode()).find("QBXMLMsgsRs").get(
        "messageSetStatusCode") == "0"
    assert len(sim.transactions()) == 2


# ---------------------------------------------------------------------------------- faults --


def test_a_lost_response_is_processed_and_only_the_next_call_loses_it(sim):
    # given
    sim.faults.inject("lose_response", times=1)

    # when
    with pytest.raises(ResponseLost):
        sim.process(message_set(invoice_add("W1")))
    out = sim.process(message_set(invoice_add("W2")))

    # then
    assert [t.ref_number for t in sim.transactions()] == ["W1", "W2"]
    assert responses(out)[0].get("statusCode") == "0"


def test_a_connection_failure_raises_an_hresult_and_processes_nothing(sim):
    # given
    sim.faults.inject("connection_failure", times=2)

    # when
    errors = []
    for _ in range(2):
        with pytest.raises(QuickBooksError) as raised:
            sim.process(message_set(invoice_add()))
        errors.append(raised.value.hresult)
    sim.process(message_set(invoice_add("W2")))

    # then
    assert errors == ["0x80040408", "0x80040408"]
    assert [t.ref_number for t in sim.transactions()] == ["W2"]


def test_busy_fires_on_the_chosen_call_only(sim):
    # given
    sim.faults.inject("busy", on_call=2)

    # when
    sim.process(message_set(invoice_add("W1")))
    with pytest.raises(QuickBooksError) as raised:
        sim.process(message_set(invoice_add("W2")))
    sim.process(message_set(invoice_add("W3")))

    # then
    assert raised.value.hresult == "0x80040401"
    assert [t.ref_number for t in sim.transactions()] == ["W1", "W3"]
    assert sim.faults.pending == 0


def test_slow_sleeps_for_the_given_seconds_then_processes_normally():
    # given
    slept: list[float] = []
    sim = QuickBooksSimulator(_company(), clock=lambda: FIXED_NOW, sleep=slept.append)
    sim.faults.inject("slow", seconds=2.5)

    # when
    out = sim.process(message_set(invoice_add()))

    # then
    assert slept == [2.5]
    assert responses(out)[0].get("statusCode") == "0"


def test_concurrent_callers_get_distinct_transaction_numbers(sim):
    # given
    def add(n: int) -> None:
        sim.process(message_set(invoice_add(f"T{n}", request_id=str(n))))

    threads = [threading.Thread(target=add, args=(n,)) for n in range(10)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    numbers = sorted(t.txn_number for t in sim.transactions())
    assert numbers == list(range(1, 11))
    assert len({t.txn_id for t in sim.transactions()}) == 10


def test_the_default_schema_explains_where_to_get_intuits_xsd_when_unset(monkeypatch):
    # given
    monkeypatch.delenv("QBXML_SCHEMA_DIR")

    # when / then
    with pytest.raises(SchemaNotConfigured, match="QBXML_SCHEMA_DIR.*QuickBooks Desktop SDK"):
        default_schema()


def test_a_fault_on_request_waits_for_a_message_set_holding_that_request(sim):
    # given: the answer of the first set with an add is to be lost
    sim.faults.inject("lose_response", on_request="AddRq")
    query = message_set('<CustomerQueryRq requestID="q"><FullName>Doe, Jane</FullName>'
                        "</CustomerQueryRq>")

    # when / then: look-ups pass, the add is processed and its answer lost
    assert "CustomerQueryRs" in sim.process(query)
    with pytest.raises(ResponseLost):
        sim.process(message_set(invoice_add()))
    assert sim.find_transaction("W1001") is not None
    assert sim.faults.pending == 0


# ------------------------------------------------------------------------------- payments --


def answered(sim: QuickBooksSimulator, *requests: str, **kwargs: str) -> list[etree._Element]:
    """Process a message set; the response must be valid against the qbXML schema."""
    out = sim.process(message_set(*requests, **kwargs))
    assert default_schema().validate(etree.fromstring(out.encode())), default_schema().error_log
    return responses(out)


def add_invoice(sim: QuickBooksSimulator, ref: str = "W1001", customer: str = "Doe, Jane",
                quantity: str = "2", txn_date: str = "2024-05-01") -> str:
    """An untaxed invoice of ``quantity`` × 19.99; returns its TxnID."""
    (rs,) = answered(sim, invoice_add(ref, customer, txn_date=txn_date,
                                      lines=line("T-Shirt", quantity, "19.99", tax="Non")))
    assert status(rs) == (0, "Info")
    return rs.findtext("InvoiceRet/TxnID")


def applied_to(txn_id: str, amount: str | None = None, credits: str = "") -> str:
    paid = f"<PaymentAmount>{amount}</PaymentAmount>" if amount is not None else ""
    return f"<AppliedToTxnAdd><TxnID>{txn_id}</TxnID>{paid}{credits}</AppliedToTxnAdd>"


def set_credit(credit_txn_id: str, amount: str) -> str:
    return (f"<SetCredit><CreditTxnID>{credit_txn_id}</CreditTxnID>"
            f"<AppliedAmount>{amount}</AppliedAmount></SetCredit>")


def payment_add(*applications: str, customer: str = "Doe, Jane", total: str | None = None,
                ref: str | None = None, txn_date: str | None = "2024-05-02",
                ar_account: str | None = None, method: str | None = None,
                memo: str | None = None, deposit: str | None = None, guid: str | None = None,
                auto: str | None = None, request_id: str = "pay") -> str:
    """A ReceivePaymentAddRq with its elements in the schema's order."""
    body = f"<CustomerRef><FullName>{customer}</FullName></CustomerRef>"
    if ar_account is not None:
        body += f"<ARAccountRef><FullName>{ar_account}</FullName></ARAccountRef>"
    body += f"<TxnDate>{txn_date}</TxnDate>" if txn_date is not None else ""
    body += f"<RefNumber>{ref}</RefNumber>" if ref is not None else ""
    body += f"<TotalAmount>{total}</TotalAmount>" if total is not None else ""
    if method is not None:
        body += f"<PaymentMethodRef><FullName>{method}</FullName></PaymentMethodRef>"
    body += f"<Memo>{memo}</Memo>" if memo is not None else ""
    if deposit is not None:
        body += f"<DepositToAccountRef><FullName>{deposit}</FullName></DepositToAccountRef>"
    body += f"<ExternalGUID>{guid}</ExternalGUID>" if guid is not None else ""
    body += f"<IsAutoApply>{auto}</IsAutoApply>" if auto is not None else "".join(applications)
    return (f'<ReceivePaymentAddRq requestID="{request_id}"><ReceivePaymentAdd>{body}'
            "</ReceivePaymentAdd></ReceivePaymentAddRq>")


def invoice_by_id(sim: QuickBooksSimulator, txn_id: str, extra: str = "") -> etree._Element:
    (rs,) = answered(sim, f'<InvoiceQueryRq requestID="q"><TxnID>{txn_id}</TxnID>{extra}'
                          "</InvoiceQueryRq>")
    return rs.find("InvoiceRet")


def test_a_payment_applied_to_an_invoice_pays_it_and_both_answers_validate(sim):
    # given
    invoice_id = add_invoice(sim)
    guid = "{6B29FC40-CA47-1067-B31D-00DD010662DA}"

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "39.98"), total="39.98",
                                      ref="PAY-1", method="Visa", memo="Order W1001",
                                      guid=guid))

    # then
    assert status(rs) == (0, "Info")
    ret = rs.find("ReceivePaymentRet")
    assert [c.tag for c in ret] == [
        "TxnID", "TimeCreated", "TimeModified", "EditSequence", "TxnNumber", "CustomerRef",
        "ARAccountRef", "TxnDate", "RefNumber", "TotalAmount", "PaymentMethodRef", "Memo",
        "DepositToAccountRef", "UnusedPayment", "UnusedCredits", "ExternalGUID",
        "AppliedToTxnRet",
    ]
    assert ret.findtext("DepositToAccountRef/FullName") == "Undeposited Funds"
    assert ret.findtext("ARAccountRef/FullName") == "Accounts Receivable"
    assert (ret.findtext("TotalAmount"), ret.findtext("UnusedPayment")) == ("39.98", "0.00")
    assert ret.findtext("ExternalGUID") == guid
    applied = ret.find("AppliedToTxnRet")
    assert [applied.findtext(t) for t in ("TxnID", "TxnType", "RefNumber", "BalanceRemaining",
                                          "Amount")] == [invoice_id, "Invoice", "W1001", "0.00",
                                                         "39.98"]
    invoice = invoice_by_id(sim, invoice_id)
    assert [invoice.findtext(t) for t in ("AppliedAmount", "BalanceRemaining", "IsPaid")] == [
        "-39.98", "0.00", "true"]
    assert sim.balance_remaining(invoice_id) == Decimal("0.00")
    (payment,) = sim.transactions("ReceivePayment")
    assert (payment.ref_number, payment.memo, payment.total_amount) == (
        "PAY-1", "Order W1001", Decimal("39.98"))
    assert sim.payments_applied(invoice_id) == [(payment, Decimal("39.98"))]
    assert sim.find_transaction_by_id(payment.txn_id) is payment


def test_invoice_ret_keeps_the_schema_order_with_applied_amount_before_memo_and_is_paid(sim):
    # given
    invoice_id = add_invoice(sim)
    answered(sim, payment_add(applied_to(invoice_id, "10.00")))

    # when
    tags = [c.tag for c in invoice_by_id(sim, invoice_id)]

    # then
    assert tags.index("SalesTaxTotal") < tags.index("AppliedAmount") \
        < tags.index("BalanceRemaining") < tags.index("IsPaid")
    invoice = invoice_by_id(sim, invoice_id)
    assert [invoice.findtext(t) for t in ("AppliedAmount", "BalanceRemaining", "IsPaid")] == [
        "-10.00", "29.98", "false"]


def test_partial_payments_add_up_until_the_invoice_is_paid(sim):
    # given
    invoice_id = add_invoice(sim)

    # when
    answered(sim, payment_add(applied_to(invoice_id, "30.00"), request_id="1"))
    half = sim.balance_remaining(invoice_id)
    answered(sim, payment_add(applied_to(invoice_id, "9.98"), request_id="2"))

    # then
    assert half == Decimal("9.98")
    assert sim.balance_remaining(invoice_id) == Decimal("0.00")
    assert [amount for _, amount in sim.payments_applied(invoice_id)] == [
        Decimal("30.00"), Decimal("9.98")]
    assert invoice_by_id(sim, invoice_id).findtext("IsPaid") == "true"


def test_paying_more_than_the_amount_due_is_status_3210_and_stores_nothing(sim):
    # given
    invoice_id = add_invoice(sim)

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "39.99")))

    # then
    assert status(rs) == (3210, "Error")
    assert rs.get("statusMessage") == (
        'The "AppliedToTxnAdd payment amount" field has an invalid value "39.99". '
        "QuickBooks error message: You cannot pay more than the amount due."
    )
    assert rs.find("ReceivePaymentRet") is None
    assert sim.transactions("ReceivePayment") == []
    assert sim.balance_remaining(invoice_id) == Decimal("39.98")


def test_a_refused_application_leaves_the_earlier_ones_of_the_same_payment_unapplied(sim):
    # given: the second invoice is paid twice over within one payment
    first = add_invoice(sim, "W1")
    second = add_invoice(sim, "W2", quantity="1")

    # when
    (rs,) = answered(sim, payment_add(applied_to(first, "39.98"), applied_to(second, "10.00"),
                                      applied_to(second, "10.00")))

    # then
    assert status(rs) == (3210, "Error")
    assert sim.transactions("ReceivePayment") == []
    assert (sim.balance_remaining(first), sim.balance_remaining(second)) == (
        Decimal("39.98"), Decimal("19.99"))


@pytest.mark.parametrize("target", ["missing", "sales receipt", "other customer"])
def test_applying_to_anything_but_an_open_invoice_of_the_customer_is_status_3120(sim, target):
    # given
    if target == "missing":
        txn_id = "FFFF-1714567890"
    elif target == "sales receipt":
        (rs,) = answered(sim, invoice_add("S1", tag="SalesReceipt",
                                          lines=line("Mug", "1", tag="SalesReceipt")))
        txn_id = rs.findtext("SalesReceiptRet/TxnID")
    else:
        txn_id = add_invoice(sim, customer="Exempt Inc")

    # when
    (rs,) = answered(sim, payment_add(applied_to(txn_id, "1.00")))

    # then
    assert status(rs) == (3120, "Error")
    assert rs.get("statusMessage") == (
        f'Object "{txn_id}" specified in the request cannot be found.')
    assert sim.transactions("ReceivePayment") == []


@pytest.mark.parametrize(
    ("kwargs", "kind", "value"),
    [
        ({"customer": "Nobody"}, "Customer", "Nobody"),
        ({"customer": "Old Customer"}, "Customer", "Old Customer"),
        ({"method": "Bitcoin"}, "PaymentMethod", "Bitcoin"),
        ({"deposit": "Piggy Bank"}, "Account", "Piggy Bank"),
        ({"ar_account": "Checking"}, "Account", "Checking"),
    ],
)
def test_a_payment_reference_to_a_missing_or_inactive_list_element_is_status_3140(
        sim, kwargs, kind, value):
    # given
    invoice_id = add_invoice(sim)

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "1.00"), **kwargs))

    # then
    assert status(rs) == (3140, "Error")
    assert rs.get("statusMessage") == (
        f'There is an invalid reference to QuickBooks {kind} "{value}" in the Payment. '
        "QuickBooks error message: Invalid argument. The specified record does not exist in "
        "the list."
    )
    assert sim.transactions("ReceivePayment") == []


def test_a_payment_to_a_named_bank_account_by_list_id_is_deposited_there(sim):
    # given
    invoice_id = add_invoice(sim)
    checking = next(a for a in sim.accounts if a.name == "Checking")
    request = payment_add(applied_to(invoice_id, "5.00"), deposit="X").replace(
        "<FullName>X</FullName>", f"<ListID>{checking.list_id}</ListID>")

    # when
    (rs,) = answered(sim, request)

    # then
    assert rs.findtext("ReceivePaymentRet/DepositToAccountRef/FullName") == "Checking"


def test_a_payment_dated_on_the_closing_date_is_status_3171():
    # given
    sim = QuickBooksSimulator(_company(closing_date=date(2024, 4, 30)), clock=lambda: FIXED_NOW)
    invoice_id = add_invoice(sim)

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "1.00"), txn_date="2024-04-30"))

    # then
    assert status(rs) == (3171, "Error")
    assert sim.transactions("ReceivePayment") == []


def test_a_payment_without_a_date_is_dated_today_and_its_total_is_the_sum_applied(sim):
    # given
    first, second = add_invoice(sim, "W1"), add_invoice(sim, "W2")

    # when
    (rs,) = answered(sim, payment_add(applied_to(first, "10.00"), applied_to(second, "2.50"),
                                      txn_date=None))

    # then
    ret = rs.find("ReceivePaymentRet")
    assert ret.findtext("TxnDate") == FIXED_NOW.date().isoformat()
    assert (ret.findtext("TotalAmount"), ret.findtext("UnusedPayment")) == ("12.50", "0.00")
    assert [a.findtext("Amount") for a in ret.findall("AppliedToTxnRet")] == ["10.00", "2.50"]


def test_a_total_above_the_amounts_applied_leaves_an_unused_payment_as_customer_credit(sim):
    # given
    invoice_id = add_invoice(sim)

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "39.98"), total="50.00"))

    # then
    assert rs.findtext("ReceivePaymentRet/UnusedPayment") == "10.02"
    payment_id = rs.findtext("ReceivePaymentRet/TxnID")
    assert sim.unused_payment(payment_id) == Decimal("10.02")
    (customer,) = answered(sim, '<CustomerQueryRq requestID="c"><FullName>Doe, Jane</FullName>'
                                "</CustomerQueryRq>")
    assert customer.findtext("CustomerRet/Balance") == "-10.02"


def test_applying_more_than_the_total_amount_is_status_3210(sim):
    # given
    invoice_id = add_invoice(sim)

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "20.00"), total="19.99"))

    # then
    assert status(rs) == (3210, "Error")
    assert rs.get("statusMessage").startswith(
        'The "TotalAmount" field has an invalid value "19.99". QuickBooks error message:')
    assert sim.transactions("ReceivePayment") == []


def test_auto_apply_pays_the_open_invoices_oldest_first(sim):
    # given: W2 is older than W1 though entered later; Exempt Inc's invoice is not Jane's
    newer = add_invoice(sim, "W1", txn_date="2024-05-01")
    older = add_invoice(sim, "W2", txn_date="2024-04-15")
    add_invoice(sim, "X1", customer="Exempt Inc")

    # when
    (rs,) = answered(sim, payment_add(total="50.00", auto="true"))

    # then
    ret = rs.find("ReceivePaymentRet")
    assert [(a.findtext("RefNumber"), a.findtext("Amount"))
            for a in ret.findall("AppliedToTxnRet")] == [("W2", "39.98"), ("W1", "10.02")]
    assert (sim.balance_remaining(older), sim.balance_remaining(newer)) == (
        Decimal("0.00"), Decimal("29.96"))
    assert ret.findtext("UnusedPayment") == "0.00"


def test_auto_apply_prefers_an_invoice_whose_balance_is_exactly_the_payment(sim):
    # given
    add_invoice(sim, "W1", txn_date="2024-04-01")
    exact = add_invoice(sim, "W2", quantity="1")

    # when
    (rs,) = answered(sim, payment_add(total="19.99", auto="true"))

    # then
    (applied,) = rs.findall("ReceivePaymentRet/AppliedToTxnRet")
    assert applied.findtext("TxnID") == exact


def test_auto_apply_false_keeps_the_whole_payment_as_credit(sim):
    # given
    invoice_id = add_invoice(sim)

    # when
    (rs,) = answered(sim, payment_add(total="25.00", auto="false"))

    # then
    ret = rs.find("ReceivePaymentRet")
    assert ret.find("AppliedToTxnRet") is None
    assert ret.findtext("UnusedPayment") == "25.00"
    assert sim.balance_remaining(invoice_id) == Decimal("39.98")


def test_payment_queries_select_by_id_ref_customer_and_dates(sim):
    # given
    jane = add_invoice(sim, "W1")
    exempt = add_invoice(sim, "X1", customer="Exempt Inc")
    answered(sim, payment_add(applied_to(jane, "5.00"), ref="P-1", txn_date="2024-05-02",
                              request_id="1"),
             payment_add(applied_to(exempt, "6.00"), customer="Exempt Inc", ref="P-2",
                         txn_date="2024-05-10", request_id="2"))
    first_id = sim.transactions("ReceivePayment")[0].txn_id

    def refs(query: str) -> list[str | None]:
        (rs,) = answered(sim, f'<ReceivePaymentQueryRq requestID="q">{query}'
                              "</ReceivePaymentQueryRq>")
        return [ret.findtext("RefNumber") for ret in rs.findall("ReceivePaymentRet")]

    # when / then
    assert refs(f"<TxnID>{first_id}</TxnID>") == ["P-1"]
    assert refs("<RefNumber>p-2</RefNumber>") == ["P-2"]
    assert refs("<RefNumberCaseSensitive>p-2</RefNumberCaseSensitive>") == []
    assert refs("<EntityFilter><FullName>Exempt Inc</FullName></EntityFilter>") == ["P-2"]
    assert refs("<TxnDateRangeFilter><FromTxnDate>2024-05-03</FromTxnDate>"
                "</TxnDateRangeFilter>") == ["P-2"]
    assert refs("<ModifiedDateRangeFilter><FromModifiedDate>2024-05-02</FromModifiedDate>"
                "<ToModifiedDate>2024-05-02</ToModifiedDate></ModifiedDateRangeFilter>") == [
        "P-1", "P-2"]
    assert refs("<ModifiedDateRangeFilter><FromModifiedDate>2024-05-03T00:00:00+00:00"
                "</FromModifiedDate></ModifiedDateRangeFilter>") == []
    assert refs("<MaxReturned>1</MaxReturned>") == ["P-1"]


def test_a_payment_query_lists_applications_only_with_include_line_items(sim):
    # given
    invoice_id = add_invoice(sim)
    answered(sim, payment_add(applied_to(invoice_id, "5.00"), ref="P-1"))

    # when
    plain, with_lines, trimmed = answered(
        sim,
        '<ReceivePaymentQueryRq requestID="1"><RefNumber>P-1</RefNumber></ReceivePaymentQueryRq>',
        '<ReceivePaymentQueryRq requestID="2"><RefNumber>P-1</RefNumber>'
        "<IncludeLineItems>true</IncludeLineItems></ReceivePaymentQueryRq>",
        '<ReceivePaymentQueryRq requestID="3"><RefNumber>P-1</RefNumber>'
        "<IncludeRetElement>TxnID</IncludeRetElement>"
        "<IncludeRetElement>UnusedPayment</IncludeRetElement></ReceivePaymentQueryRq>",
    )

    # then
    assert plain.find("ReceivePaymentRet/AppliedToTxnRet") is None
    applied = with_lines.find("ReceivePaymentRet/AppliedToTxnRet")
    assert (applied.findtext("TxnID"), applied.findtext("Amount"),
            applied.findtext("BalanceRemaining")) == (invoice_id, "5.00", "34.98")
    assert [c.tag for c in trimmed.find("ReceivePaymentRet")] == ["TxnID", "UnusedPayment"]


def test_a_payment_query_without_a_match_is_status_one(sim):
    # when
    by_ref, everything = answered(
        sim, '<ReceivePaymentQueryRq requestID="q"><RefNumber>none</RefNumber>'
             "</ReceivePaymentQueryRq>", '<ReceivePaymentQueryRq requestID="r"/>')

    # then
    assert status(by_ref) == status(everything) == (1, "Info")
    assert by_ref.get("statusMessage") == (
        "A query request did not find a matching object in QuickBooks")


def test_an_invoice_query_lists_its_payments_as_linked_transactions_and_filters_paid_status(sim):
    # given
    paid = add_invoice(sim, "W1", quantity="1")
    unpaid = add_invoice(sim, "W2")
    answered(sim, payment_add(applied_to(paid, "19.99"), ref="P-1"))

    # when
    invoice = invoice_by_id(sim, paid, "<IncludeLineItems>true</IncludeLineItems>"
                                       "<IncludeLinkedTxns>true</IncludeLinkedTxns>")
    (paid_only, not_paid) = answered(
        sim,
        '<InvoiceQueryRq requestID="1"><PaidStatus>PaidOnly</PaidStatus></InvoiceQueryRq>',
        '<InvoiceQueryRq requestID="2"><PaidStatus>NotPaidOnly</PaidStatus></InvoiceQueryRq>')

    # then
    (link,) = invoice.findall("LinkedTxn")
    assert [link.findtext(t) for t in ("TxnType", "RefNumber", "LinkType", "Amount")] == [
        "ReceivePayment", "P-1", "AMTTYPE", "-19.99"]
    assert [c.tag for c in invoice][-2:] == ["LinkedTxn", "InvoiceLineRet"]
    assert invoice_by_id(sim, paid).find("LinkedTxn") is None
    assert [r.findtext("TxnID") for r in paid_only] == [paid]
    assert [r.findtext("TxnID") for r in not_paid] == [unpaid]


# ------------------------------------------------------------------ credit memos, refunds --


def add_credit_memo(sim: QuickBooksSimulator, ref: str = "C1", customer: str = "Doe, Jane",
                    lines: str | None = None, header: str = "") -> str:
    """A credit memo (one taxable T-Shirt at 19.99 unless ``lines``); returns its TxnID."""
    if lines is None:
        lines = line("T-Shirt", "1", "19.99", tag="CreditMemo")
    (rs,) = answered(sim, invoice_add(ref, customer, lines, tag="CreditMemo", header=header,
                                      request_id="cm"))
    assert status(rs) == (0, "Info"), rs.get("statusMessage")
    return rs.findtext("CreditMemoRet/TxnID")


def refund_add(*applications: tuple[str, str], customer: str = "Doe, Jane",
               account: str | None = None, method: str | None = None,
               memo: str | None = None, ref: str | None = None) -> str:
    """An ARRefundCreditCardAddRq refunding (TxnID, amount) pairs, in the schema's order."""
    body = f"<CustomerRef><FullName>{customer}</FullName></CustomerRef>"
    if account is not None:
        body += f"<RefundFromAccountRef><FullName>{account}</FullName></RefundFromAccountRef>"
    body += "<TxnDate>2024-05-03</TxnDate>"
    body += f"<RefNumber>{ref}</RefNumber>" if ref is not None else ""
    if method is not None:
        body += f"<PaymentMethodRef><FullName>{method}</FullName></PaymentMethodRef>"
    body += f"<Memo>{memo}</Memo>" if memo is not None else ""
    body += "".join(f"<RefundAppliedToTxnAdd><TxnID>{txn_id}</TxnID><RefundAmount>{amount}"
                    "</RefundAmount></RefundAppliedToTxnAdd>" for txn_id, amount in applications)
    return (f'<ARRefundCreditCardAddRq requestID="refund"><ARRefundCreditCardAdd>{body}'
            "</ARRefundCreditCardAdd></ARRefundCreditCardAddRq>")


def test_a_credit_memo_is_priced_and_taxed_like_an_invoice_and_all_of_it_is_credit(sim):
    # given
    lines = (line("T-Shirt", "2", "19.99", tag="CreditMemo")
             + line("Shipping", amount="5.00", tag="CreditMemo"))
    header = "<Memo>Return of W1001</Memo><ExternalGUID>{6B29FC40-CA47-1067-B31D-00DD010662DA}" \
             "</ExternalGUID>"
    request = invoice_add("C1", lines=lines, tag="CreditMemo", header=header)

    # when
    (rs,) = answered(sim, request)

    # then
    assert status(rs) == (0, "Info")
    ret = rs.find("CreditMemoRet")
    assert [ret.findtext(t) for t in ("Subtotal", "SalesTaxTotal", "TotalAmount",
                                      "CreditRemaining", "Memo")] == [
        "44.98", "3.30", "48.28", "48.28", "Return of W1001"]
    assert ret.findtext("ARAccountRef/FullName") == "Accounts Receivable"
    assert ret.findtext("ExternalGUID") == "{6B29FC40-CA47-1067-B31D-00DD010662DA}"
    assert [r.findtext("Amount") for r in ret.findall("CreditMemoLineRet")] == ["39.98", "5.00"]
    memo = sim.find_transaction("C1", "CreditMemo")
    assert sim.credit_remaining(memo.txn_id) == Decimal("48.28")
    (customer,) = answered(sim, '<CustomerQueryRq requestID="c"><FullName>Doe, Jane</FullName>'
                                "</CustomerQueryRq>")
    assert customer.findtext("CustomerRet/Balance") == "-48.28"


def test_a_credit_memo_for_an_unknown_customer_or_item_is_status_3140_naming_the_credit_memo(sim):
    # when
    unknown_customer, unknown_item = answered(
        sim, invoice_add("C1", "Nobody", line("T-Shirt", "1", tag="CreditMemo"),
                         tag="CreditMemo", request_id="1"),
        invoice_add("C2", lines=line("Unicorn", "1", tag="CreditMemo"), tag="CreditMemo",
                    request_id="2"),
        on_error="continueOnError")

    # then
    assert status(unknown_customer) == status(unknown_item) == (3140, "Error")
    assert 'Customer "Nobody" in the Credit Memo.' in unknown_customer.get("statusMessage")
    assert 'Item "Unicorn" in the Credit Memo.' in unknown_item.get("statusMessage")
    assert sim.transactions("CreditMemo") == []


def test_credit_memo_queries_find_by_ref_number_and_list_lines_on_request(sim):
    # given
    add_credit_memo(sim, "C1")
    add_credit_memo(sim, "C2", customer="Exempt Inc")

    # when
    by_ref, by_customer = answered(
        sim,
        '<CreditMemoQueryRq requestID="1"><RefNumber>C1</RefNumber>'
        "<IncludeLineItems>true</IncludeLineItems></CreditMemoQueryRq>",
        '<CreditMemoQueryRq requestID="2"><EntityFilter><FullName>Exempt Inc</FullName>'
        "</EntityFilter></CreditMemoQueryRq>")

    # then
    assert len(by_ref.findall("CreditMemoRet/CreditMemoLineRet")) == 1
    assert [r.findtext("RefNumber") for r in by_customer] == ["C2"]
    assert by_customer.find("CreditMemoRet/CreditMemoLineRet") is None


def test_a_payment_can_set_a_credit_memo_on_an_invoice(sim):
    # given: a 39.98 invoice, a 21.64 credit (19.99 + 8.25 % tax)
    invoice_id = add_invoice(sim)
    credit_id = add_credit_memo(sim)

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "18.34",
                                                 set_credit(credit_id, "21.64"))))

    # then
    assert status(rs) == (0, "Info")
    applied = rs.find("ReceivePaymentRet/AppliedToTxnRet")
    assert (applied.findtext("Amount"), applied.findtext("BalanceRemaining")) == (
        "18.34", "0.00")
    assert [applied.findtext(f"LinkedTxn/{t}") for t in ("TxnID", "TxnType", "Amount")] == [
        credit_id, "CreditMemo", "-21.64"]
    assert sim.balance_remaining(invoice_id) == Decimal("0.00")
    assert sim.credit_remaining(credit_id) == Decimal("0.00")
    invoice = invoice_by_id(sim, invoice_id, "<IncludeLinkedTxns>true</IncludeLinkedTxns>")
    assert invoice.findtext("AppliedAmount") == "-39.98"
    assert [(k.findtext("TxnType"), k.findtext("Amount")) for k in invoice.findall("LinkedTxn")
            ] == [("ReceivePayment", "-18.34"), ("CreditMemo", "-21.64")]


def test_setting_more_credit_than_a_credit_memo_has_left_is_status_3210(sim):
    # given
    invoice_id = add_invoice(sim)
    credit_id = add_credit_memo(sim)

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "0.00",
                                                 set_credit(credit_id, "21.65"))))

    # then
    assert status(rs) == (3210, "Error")
    assert rs.get("statusMessage").startswith(
        'The "SetCredit applied amount" field has an invalid value "21.65".')
    assert sim.credit_remaining(credit_id) == Decimal("21.64")


def test_another_customers_credit_memo_cannot_be_set_on_an_invoice(sim):
    # given
    invoice_id = add_invoice(sim)
    credit_id = add_credit_memo(sim, customer="Exempt Inc")

    # when
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "1.00",
                                                 set_credit(credit_id, "1.00"))))

    # then
    assert status(rs) == (3120, "Error")
    assert rs.get("statusMessage") == (
        f'Object "{credit_id}" specified in the request cannot be found.')


def test_an_invoice_added_with_set_credit_uses_the_credit_memo_at_once(sim):
    # given
    credit_id = add_credit_memo(sim)
    request = invoice_add("W1", lines=line("T-Shirt", "2", "19.99", tax="Non"),
                          header=set_credit(credit_id, "10.00"))

    # when
    (rs,) = answered(sim, request)

    # then
    assert status(rs) == (0, "Info"), rs.get("statusMessage")
    ret = rs.find("InvoiceRet")
    assert (ret.findtext("AppliedAmount"), ret.findtext("BalanceRemaining")) == (
        "-10.00", "29.98")
    assert sim.credit_remaining(credit_id) == Decimal("11.64")
    assert sim.payments_applied(ret.findtext("TxnID")) == []


def test_a_card_refund_takes_money_out_of_a_credit_memo(sim):
    # given
    credit_id = add_credit_memo(sim)

    # when
    (rs,) = answered(sim, refund_add((credit_id, "20.00"), method="Visa", memo="Refund C1",
                                     ref="R1"))

    # then
    assert status(rs) == (0, "Info")
    ret = rs.find("ARRefundCreditCardRet")
    assert [c.tag for c in ret] == [
        "TxnID", "TimeCreated", "TimeModified", "EditSequence", "TxnNumber", "CustomerRef",
        "RefundFromAccountRef", "ARAccountRef", "TxnDate", "RefNumber", "TotalAmount",
        "PaymentMethodRef", "Memo", "RefundAppliedToTxnRet",
    ]
    assert ret.findtext("RefundFromAccountRef/FullName") == "Undeposited Funds"
    assert ret.findtext("TotalAmount") == "20.00"
    applied = ret.find("RefundAppliedToTxnRet")
    assert [applied.findtext(t) for t in ("TxnID", "TxnType", "CreditRemaining",
                                          "RefundAmount")] == [credit_id, "CreditMemo", "1.64",
                                                               "20.00"]
    assert sim.credit_remaining(credit_id) == Decimal("1.64")
    (refund,) = sim.transactions("ARRefundCreditCard")
    assert (refund.ref_number, refund.memo, refund.total_amount) == (
        "R1", "Refund C1", Decimal("20.00"))


def test_a_card_refund_can_give_back_an_overpayment(sim):
    # given
    invoice_id = add_invoice(sim)
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "39.98"), total="45.00"))
    payment_id = rs.findtext("ReceivePaymentRet/TxnID")

    # when
    (rs,) = answered(sim, refund_add((payment_id, "5.02"), account="Checking"))

    # then
    assert status(rs) == (0, "Info")
    assert rs.findtext("ARRefundCreditCardRet/RefundFromAccountRef/FullName") == "Checking"
    assert sim.unused_payment(payment_id) == Decimal("0.00")


def test_refunding_more_than_the_credit_left_is_status_3210_and_stores_nothing(sim):
    # given
    credit_id = add_credit_memo(sim)
    answered(sim, refund_add((credit_id, "20.00")))

    # when
    (rs,) = answered(sim, refund_add((credit_id, "1.00"), (credit_id, "0.65")))

    # then
    assert status(rs) == (3210, "Error")
    assert rs.get("statusMessage") == (
        'The "RefundAmount" field has an invalid value "0.65". QuickBooks error message: '
        "The refund is more than the credit remaining (0.64).")
    assert len(sim.transactions("ARRefundCreditCard")) == 1
    assert sim.credit_remaining(credit_id) == Decimal("1.64")


@pytest.mark.parametrize("target", ["invoice", "other customer", "missing"])
def test_a_refund_of_anything_but_the_customers_credit_is_status_3120(sim, target):
    # given
    if target == "invoice":
        txn_id = add_invoice(sim)
    elif target == "other customer":
        txn_id = add_credit_memo(sim, customer="Exempt Inc")
    else:
        txn_id = "FFFF-1714567890"

    # when
    (rs,) = answered(sim, refund_add((txn_id, "1.00")))

    # then
    assert status(rs) == (3120, "Error")
    assert sim.transactions("ARRefundCreditCard") == []


@pytest.mark.parametrize(
    ("kwargs", "kind", "value"),
    [({"account": "Piggy Bank"}, "Account", "Piggy Bank"),
     ({"method": "Bitcoin"}, "PaymentMethod", "Bitcoin"),
     ({"customer": "Old Customer"}, "Customer", "Old Customer")],
)
def test_a_refund_reference_to_a_missing_list_element_is_status_3140(sim, kwargs, kind, value):
    # given
    credit_id = add_credit_memo(sim)

    # when
    (rs,) = answered(sim, refund_add((credit_id, "1.00"), **kwargs))

    # then
    assert status(rs) == (3140, "Error")
    assert f'{kind} "{value}" in the Credit Card Refund.' in rs.get("statusMessage")


def test_refund_queries_answer_with_the_refunded_credit(sim):
    # given
    credit_id = add_credit_memo(sim)
    answered(sim, refund_add((credit_id, "5.00"), ref="R1"))

    # when
    found, none = answered(
        sim,
        '<ARRefundCreditCardQueryRq requestID="1"><RefNumber>R1</RefNumber>'
        "</ARRefundCreditCardQueryRq>",
        '<ARRefundCreditCardQueryRq requestID="2"><RefNumber>R9</RefNumber>'
        "</ARRefundCreditCardQueryRq>")

    # then
    assert found.findtext("ARRefundCreditCardRet/RefundAppliedToTxnRet/TxnID") == credit_id
    assert status(none) == (1, "Info")


# --------------------------------------------------------------------------------- voiding --


def txn_void(kind: str, txn_id: str, request_id: str = "void") -> str:
    return (f'<TxnVoidRq requestID="{request_id}"><TxnVoidType>{kind}</TxnVoidType>'
            f"<TxnID>{txn_id}</TxnID></TxnVoidRq>")


def test_voiding_an_invoice_zeroes_its_amounts_and_marks_its_memo(sim):
    # given
    (rs,) = answered(sim, invoice_add("W1", header="<Memo>Order 1</Memo>"))
    txn_id = rs.findtext("InvoiceRet/TxnID")
    before = sim.find_transaction("W1")
    edit_sequence = before.edit_sequence

    # when
    (rs,) = answered(sim, txn_void("Invoice", txn_id))

    # then
    assert status(rs) == (0, "Info")
    assert [c.tag for c in rs] == ["TxnVoidType", "TxnID", "TimeCreated", "TimeModified",
                                   "RefNumber"]
    assert (rs.findtext("TxnVoidType"), rs.findtext("TxnID"), rs.findtext("RefNumber")) == (
        "Invoice", txn_id, "W1")
    invoice = invoice_by_id(sim, txn_id, "<IncludeLineItems>true</IncludeLineItems>")
    assert [invoice.findtext(t) for t in ("Subtotal", "SalesTaxTotal", "BalanceRemaining",
                                          "IsPaid", "Memo")] == [
        "0.00", "0.00", "0.00", "true", "VOID: Order 1"]
    assert invoice.findtext("InvoiceLineRet/Amount") == "0.00"
    voided = sim.find_transaction("W1")
    assert voided.is_voided and voided.total_amount == Decimal("0.00")
    assert int(voided.edit_sequence) > int(edit_sequence)


def test_voiding_a_sales_receipt_and_a_credit_memo(sim):
    # given
    (rs,) = answered(sim, invoice_add("S1", tag="SalesReceipt",
                                      lines=line("Mug", "1", tag="SalesReceipt")))
    receipt_id = rs.findtext("SalesReceiptRet/TxnID")
    credit_id = add_credit_memo(sim)

    # when
    receipt, credit = answered(sim, txn_void("SalesReceipt", receipt_id, "1"),
                               txn_void("CreditMemo", credit_id, "2"))

    # then
    assert status(receipt) == status(credit) == (0, "Info")
    assert sim.find_transaction("S1").total_amount == Decimal("0.00")
    assert sim.find_transaction("S1").memo == "VOID:"
    assert sim.credit_remaining(credit_id) == Decimal("0.00")


def test_voiding_twice_changes_nothing_more(sim):
    # given
    txn_id = add_invoice(sim)
    answered(sim, txn_void("Invoice", txn_id))

    # when
    (rs,) = answered(sim, txn_void("Invoice", txn_id))

    # then
    assert status(rs) == (0, "Info")
    assert sim.find_transaction("W1001").memo == "VOID:"


def test_an_invoice_with_a_payment_on_it_cannot_be_voided(sim):
    # given
    txn_id = add_invoice(sim)
    answered(sim, payment_add(applied_to(txn_id, "10.00")))

    # when
    (rs,) = answered(sim, txn_void("Invoice", txn_id))

    # then
    assert status(rs) == (3180, "Error")
    assert "linked to it. Remove them before it is voided." in rs.get("statusMessage")
    assert sim.balance_remaining(txn_id) == Decimal("29.98")
    assert not sim.find_transaction("W1001").is_voided


def test_a_credit_memo_partly_refunded_cannot_be_voided_until_the_refund_is(sim):
    # given
    credit_id = add_credit_memo(sim)
    (rs,) = answered(sim, refund_add((credit_id, "5.00")))
    refund_id = rs.findtext("ARRefundCreditCardRet/TxnID")

    # when
    refused, refund_voided, credit_voided = answered(
        sim, txn_void("CreditMemo", credit_id, "1"),
        txn_void("ARRefundCreditCard", refund_id, "2"),
        txn_void("CreditMemo", credit_id, "3"), on_error="continueOnError")

    # then
    assert status(refused) == (3180, "Error")
    assert status(refund_voided) == status(credit_voided) == (0, "Info")
    assert sim.find_transaction_by_id(refund_id).total_amount == Decimal("0.00")
    assert sim.credit_remaining(credit_id) == Decimal("0.00")


@pytest.mark.parametrize("case", ["unknown id", "wrong type"])
def test_voiding_a_transaction_that_is_not_there_as_that_type_is_status_3120(sim, case):
    # given
    txn_id = "FFFF-1714567890" if case == "unknown id" else add_invoice(sim)

    # when
    (rs,) = answered(sim, txn_void("SalesReceipt", txn_id))

    # then
    assert status(rs) == (3120, "Error")
    assert rs.get("statusMessage") == (
        f'Object "{txn_id}" specified in the request cannot be found.')


def test_a_payment_cannot_be_voided_in_qbxml_13_the_void_type_does_not_exist(sim):
    # given
    invoice_id = add_invoice(sim)
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "10.00")))
    payment_id = rs.findtext("ReceivePaymentRet/TxnID")

    # when / then
    with pytest.raises(QuickBooksError, match="0x80040400"):
        sim.process(message_set(txn_void("ReceivePayment", payment_id)))
    assert sim.balance_remaining(invoice_id) == Decimal("29.98")


def test_a_transaction_dated_on_or_before_the_closing_date_cannot_be_voided():
    # given
    sim = QuickBooksSimulator(_company(), clock=lambda: FIXED_NOW)
    txn_id = add_invoice(sim, txn_date="2024-04-01")
    sim.closing_date = date(2024, 4, 30)

    # when
    (rs,) = answered(sim, txn_void("Invoice", txn_id))

    # then
    assert status(rs) == (3171, "Error")
    assert not sim.find_transaction("W1001").is_voided


# ------------------------------------------------------------------------------------ mods --


def invoice_mod(txn_id: str, edit_sequence: str, body: str = "", tag: str = "Invoice") -> str:
    return (f'<{tag}ModRq requestID="mod"><{tag}Mod><TxnID>{txn_id}</TxnID>'
            f"<EditSequence>{edit_sequence}</EditSequence>{body}</{tag}Mod></{tag}ModRq>")


def line_mod(txn_line_id: str, body: str, tag: str = "Invoice") -> str:
    return f"<{tag}LineMod><TxnLineID>{txn_line_id}</TxnLineID>{body}</{tag}LineMod>"


def test_an_invoice_mod_changes_the_header_sent_and_keeps_the_rest(sim):
    # given
    (rs,) = answered(sim, invoice_add("W1", header="<PONumber>PO-1</PONumber>"))
    ret = rs.find("InvoiceRet")
    txn_id, edit_sequence = ret.findtext("TxnID"), ret.findtext("EditSequence")

    # when
    (rs,) = answered(sim, invoice_mod(txn_id, edit_sequence, "<Memo>Changed</Memo>"))

    # then
    assert status(rs) == (0, "Info")
    ret = rs.find("InvoiceRet")
    assert [ret.findtext(t) for t in ("TxnID", "RefNumber", "PONumber", "Memo")] == [
        txn_id, "W1", "PO-1", "Changed"]
    assert ret.findtext("CustomerRef/FullName") == "Doe, Jane"
    assert int(ret.findtext("EditSequence")) > int(edit_sequence)
    assert len(ret.findall("InvoiceLineRet")) == 1
    assert ret.findtext("InvoiceLineRet/Amount") == "39.98"
    assert len(sim.transactions("Invoice")) == 1


def test_a_mod_with_a_stale_edit_sequence_is_status_3200_and_changes_nothing(sim):
    # given
    txn_id = add_invoice(sim)
    stale = sim.find_transaction("W1001").edit_sequence
    answered(sim, invoice_mod(txn_id, stale, "<Memo>First</Memo>"))

    # when
    (rs,) = answered(sim, invoice_mod(txn_id, stale, "<Memo>Second</Memo>"))

    # then
    assert status(rs) == (3200, "Error")
    assert rs.get("statusMessage") == f'The provided edit sequence "{stale}" is out-of-date.'
    assert sim.find_transaction("W1001").memo == "First"


def test_an_address_mod_changes_the_parts_sent_clears_those_sent_empty_and_keeps_the_rest(sim):
    # given: an invoice shipped to three lines in Springfield
    address = ("<ShipAddress><Addr1>Jane Doe</Addr1><Addr2>1 Main St</Addr2>"
               "<Addr3>Suite 5</Addr3><City>Springfield</City><State>IL</State></ShipAddress>")
    (rs,) = answered(sim, invoice_add("W1", header=address))
    ret = rs.find("InvoiceRet")

    # when: a new street, the suite cleared, the rest not sent
    (rs,) = answered(sim, invoice_mod(
        ret.findtext("TxnID"), ret.findtext("EditSequence"),
        "<ShipAddress><Addr2>77 Harbour Rd</Addr2><Addr3></Addr3></ShipAddress>"))

    # then
    assert status(rs) == (0, "Info"), rs.get("statusMessage")
    ship = rs.find("InvoiceRet/ShipAddress")
    assert [(el.tag, el.text) for el in ship] == [
        ("Addr1", "Jane Doe"), ("Addr2", "77 Harbour Rd"), ("City", "Springfield"),
        ("State", "IL")]
    assert rs.find("InvoiceRet/BillAddress") is None


def test_a_sales_order_mod_needs_the_current_edit_sequence(sim):
    # given
    (rs,) = answered(sim, invoice_add("SO1", tag="SalesOrder",
                                      lines=line("Mug", "1", "9.99", tag="SalesOrder")))
    ret = rs.find("SalesOrderRet")
    txn_id, sequence = ret.findtext("TxnID"), ret.findtext("EditSequence")
    body = "<ShipAddress><City>Dover</City></ShipAddress>"

    # when
    (first,) = answered(sim, invoice_mod(txn_id, sequence, body, tag="SalesOrder"))
    (stale,) = answered(sim, invoice_mod(txn_id, sequence, body, tag="SalesOrder"))

    # then
    assert status(first) == (0, "Info"), first.get("statusMessage")
    assert first.findtext("SalesOrderRet/ShipAddress/City") == "Dover"
    assert status(stale) == (3200, "Error")


def test_line_mods_change_listed_lines_add_new_ones_and_drop_the_others(sim):
    # given: T-Shirt 2 × 19.99 and Mug 1 × 9.99, all untaxed
    lines = line("T-Shirt", "2", "19.99", tax="Non") + line("Mug", "1", "9.99", tax="Non")
    (rs,) = answered(sim, invoice_add("W1", lines=lines))
    ret = rs.find("InvoiceRet")
    shirt_line, _mug_line = (r.findtext("TxnLineID") for r in ret.findall("InvoiceLineRet"))
    new_line = "<ItemRef><FullName>Shipping</FullName></ItemRef><Amount>5.00</Amount>"

    # when: three shirts instead of two, the mug goes, shipping comes
    (rs,) = answered(sim, invoice_mod(
        ret.findtext("TxnID"), ret.findtext("EditSequence"),
        line_mod(shirt_line, "<Quantity>3</Quantity>") + line_mod("-1", new_line)))

    # then
    assert status(rs) == (0, "Info"), rs.get("statusMessage")
    ret = rs.find("InvoiceRet")
    assert [(r.findtext("TxnLineID") == shirt_line, r.findtext("ItemRef/FullName"),
             r.findtext("Amount")) for r in ret.findall("InvoiceLineRet")] == [
        (True, "T-Shirt", "59.97"), (False, "Shipping", "5.00")]
    assert (ret.findtext("Subtotal"), ret.findtext("BalanceRemaining")) == ("64.97", "64.97")


def test_a_line_mod_naming_an_unknown_line_is_status_3120(sim):
    # given
    txn_id = add_invoice(sim)
    edit_sequence = sim.find_transaction("W1001").edit_sequence

    # when
    (rs,) = answered(sim, invoice_mod(txn_id, edit_sequence,
                                      line_mod("99-1714567890", "<Quantity>1</Quantity>")))

    # then
    assert status(rs) == (3120, "Error")
    assert sim.find_transaction("W1001").total_amount == Decimal("39.98")


def test_a_mod_of_a_missing_transaction_or_a_bad_reference_is_refused(sim):
    # given
    txn_id = add_invoice(sim)
    edit_sequence = sim.find_transaction("W1001").edit_sequence

    # when
    missing, bad_ref = answered(
        sim, invoice_mod("FFFF-1714567890", "1"),
        invoice_mod(txn_id, edit_sequence,
                    "<TermsRef><FullName>Net 90</FullName></TermsRef>"),
        on_error="continueOnError")

    # then
    assert status(missing) == (3120, "Error")
    assert status(bad_ref) == (3140, "Error")
    assert 'Terms "Net 90" in the Invoice' in bad_ref.get("statusMessage")


def test_a_paid_invoice_cannot_be_cut_below_what_was_paid(sim):
    # given
    txn_id = add_invoice(sim)
    answered(sim, payment_add(applied_to(txn_id, "30.00")))
    txn = sim.find_transaction("W1001")
    (line_id,) = (line.txn_line_id for line in txn.lines)

    # when
    cut, raised = answered(
        sim, invoice_mod(txn_id, txn.edit_sequence, line_mod(line_id, "<Quantity>1</Quantity>")),
        invoice_mod(txn_id, txn.edit_sequence, line_mod(line_id, "<Quantity>3</Quantity>")),
        on_error="continueOnError")

    # then
    assert status(cut) == (3180, "Error")
    assert status(raised) == (0, "Info")
    assert sim.balance_remaining(txn_id) == Decimal("29.97")


def test_a_sales_receipt_mod_changes_the_deposit_account_and_reprices(sim):
    # given
    (rs,) = answered(sim, invoice_add("S1", tag="SalesReceipt",
                                      lines=line("Mug", "1", "9.99", tax="Non",
                                                 tag="SalesReceipt")))
    ret = rs.find("SalesReceiptRet")
    line_id = ret.findtext("SalesReceiptLineRet/TxnLineID")

    # when
    (rs,) = answered(sim, invoice_mod(
        ret.findtext("TxnID"), ret.findtext("EditSequence"),
        "<DepositToAccountRef><FullName>Checking</FullName></DepositToAccountRef>"
        + line_mod(line_id, "<Rate>12.00</Rate>", tag="SalesReceipt"), tag="SalesReceipt"))

    # then
    assert status(rs) == (0, "Info"), rs.get("statusMessage")
    ret = rs.find("SalesReceiptRet")
    assert ret.findtext("DepositToAccountRef/FullName") == "Checking"
    assert ret.findtext("TotalAmount") == "12.00"


def test_a_mod_of_a_transaction_before_the_closing_date_is_status_3171():
    # given
    sim = QuickBooksSimulator(_company(), clock=lambda: FIXED_NOW)
    txn_id = add_invoice(sim, txn_date="2024-04-01")
    sim.closing_date = date(2024, 4, 30)

    # when
    (rs,) = answered(sim, invoice_mod(txn_id, sim.find_transaction("W1001").edit_sequence,
                                      "<Memo>Late</Memo>"))

    # then
    assert status(rs) == (3171, "Error")


# ---------------------------------------------------------------------------------- macros --


def test_a_payment_can_apply_to_an_invoice_added_earlier_in_the_same_message_set(sim):
    # given: the SDK guide's pattern, an invoice defining a macro and a payment using it
    invoice = invoice_add("W1", lines=line("T-Shirt", "1", "19.99", tax="Non")).replace(
        "<InvoiceAdd>", '<InvoiceAdd defMacro="TxnID:W1">')
    payment = payment_add(applied_to("", "19.99")).replace(
        "<TxnID></TxnID>", '<TxnID useMacro="TxnID:W1"></TxnID>')
    request = message_set(invoice, payment, attrs=' newMessageSetID="set-m"')

    # when
    out = sim.process(request)
    again = sim.process(request)

    # then
    assert default_schema().validate(etree.fromstring(out.encode()))
    invoice_rs, payment_rs = responses(out)
    assert status(payment_rs) == (0, "Info"), payment_rs.get("statusMessage")
    invoice_id = invoice_rs.findtext("InvoiceRet/TxnID")
    assert payment_rs.findtext("ReceivePaymentRet/AppliedToTxnRet/TxnID") == invoice_id
    assert sim.balance_remaining(invoice_id) == Decimal("0.00")
    assert again == out  # the stored set: the macro did not change what was sent


def test_a_macro_no_earlier_request_defined_is_a_macro_error_and_stops_the_set(sim):
    # given
    payment = payment_add(applied_to("", "1.00")).replace(
        "<TxnID></TxnID>", '<TxnID useMacro="TxnID:nowhere"></TxnID>')

    # when
    answers = answered(sim, payment, customer_add("After"))

    # then
    assert [status(rs) for rs in answers] == [(9100, "Error")]
    assert '"TxnID:nowhere"' in answers[0].get("statusMessage")
    assert sim.transactions() == [] and sim.find_customer("After") is None


# ------------------------------------------------------------------------------- deleting --


def txn_del(kind: str, txn_id: str, request_id: str = "del") -> str:
    return (f'<TxnDelRq requestID="{request_id}"><TxnDelType>{kind}</TxnDelType>'
            f"<TxnID>{txn_id}</TxnID></TxnDelRq>")


def test_deleting_a_payment_reopens_the_invoice_so_it_can_then_be_voided(sim):
    # given
    invoice_id = add_invoice(sim)
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "39.98"), ref="P-1"))
    payment_id = rs.findtext("ReceivePaymentRet/TxnID")

    # when
    deleted, voided = answered(sim, txn_del("ReceivePayment", payment_id, "1"),
                               txn_void("Invoice", invoice_id, "2"))

    # then
    assert status(deleted) == status(voided) == (0, "Info")
    assert [c.tag for c in deleted] == ["TxnDelType", "TxnID", "TimeDeleted", "RefNumber"]
    assert (deleted.findtext("TxnDelType"), deleted.findtext("TxnID")) == (
        "ReceivePayment", payment_id)
    assert sim.transactions("ReceivePayment") == []
    assert sim.find_transaction("W1001").is_voided


def test_an_invoice_with_a_payment_cannot_be_deleted_and_a_refunded_payment_neither(sim):
    # given
    invoice_id = add_invoice(sim)
    (rs,) = answered(sim, payment_add(applied_to(invoice_id, "39.98"), total="45.00"))
    payment_id = rs.findtext("ReceivePaymentRet/TxnID")
    answered(sim, refund_add((payment_id, "5.02")))

    # when
    invoice_rs, payment_rs, unknown = answered(
        sim, txn_del("Invoice", invoice_id, "1"), txn_del("ReceivePayment", payment_id, "2"),
        txn_del("CreditMemo", invoice_id, "3"), on_error="continueOnError")

    # then
    assert [status(rs)[0] for rs in (invoice_rs, payment_rs, unknown)] == [3180, 3180, 3120]
    assert len(sim.transactions()) == 3


def test_a_voided_invoice_is_not_modified_and_keeps_its_void_memo(sim):
    # given
    txn_id = add_invoice(sim)
    answered(sim, txn_void("Invoice", txn_id))
    txn = sim.find_transaction("W1001")

    # when
    (rs,) = answered(sim, invoice_mod(txn_id, txn.edit_sequence, "<PONumber>PO</PONumber>"))

    # then
    assert status(rs) == (3180, "Error")
    assert (txn.memo, txn.total_amount) == ("VOID:", Decimal("0.00"))
    assert invoice_by_id(sim, txn_id).findtext("Memo") == "VOID:"


# ---------------------------------------------------------------------------- multicurrency --


@pytest.fixture
def fx_sim() -> QuickBooksSimulator:
    """A multicurrency company (home: US Dollar; the default currency list) with a Euro, a
    Polish Zloty and a US customer, none of them taxed."""
    return QuickBooksSimulator(
        _company(
            multicurrency=True,
            customers=(
                CustomerSpec("Berlin Outfitters", sales_tax_code="Non", currency="Euro"),
                CustomerSpec("Krakow Sports", sales_tax_code="Non", currency="Polish Zloty"),
                CustomerSpec("Doe, Jane", sales_tax_code="Non"),
            ),
        ),
        clock=lambda: FIXED_NOW, sleep=lambda _: None)


def fx_sale(ref: str, customer: str = "Berlin Outfitters", amount: str = "100.00", *,
            rate: str | None = None, ar_account: str | None = None, deposit: str | None = None,
            tag: str = "Invoice") -> str:
    """A one-line sales form (``tag``: Invoice, SalesReceipt, SalesOrder, CreditMemo) of
    ``amount`` in the customer's currency, its elements in the schema's order."""
    body = f"<CustomerRef><FullName>{customer}</FullName></CustomerRef>"
    if ar_account is not None:
        body += f"<ARAccountRef><FullName>{ar_account}</FullName></ARAccountRef>"
    body += f"<TxnDate>2024-05-01</TxnDate><RefNumber>{ref}</RefNumber>"
    if deposit is not None:
        body += f"<DepositToAccountRef><FullName>{deposit}</FullName></DepositToAccountRef>"
    body += f"<ExchangeRate>{rate}</ExchangeRate>" if rate is not None else ""
    body += line("T-Shirt", amount=amount, tag=tag)
    return f'<{tag}AddRq requestID="{ref}"><{tag}Add>{body}</{tag}Add></{tag}AddRq>'


def fx_payment(customer: str, invoice_id: str, amount: str, rate: str | None = None) -> str:
    """A ReceivePaymentAdd paying ``amount`` of one invoice, at ``rate`` if given."""
    fx = f"<ExchangeRate>{rate}</ExchangeRate>" if rate is not None else ""
    return (f'<ReceivePaymentAddRq requestID="pay"><ReceivePaymentAdd>'
            f"<CustomerRef><FullName>{customer}</FullName></CustomerRef>"
            f"<TxnDate>2024-05-02</TxnDate><TotalAmount>{amount}</TotalAmount>{fx}"
            f"{applied_to(invoice_id, amount)}</ReceivePaymentAdd></ReceivePaymentAddRq>")


def preferences(sim: QuickBooksSimulator) -> etree._Element:
    (rs,) = answered(sim, '<PreferencesQueryRq requestID="p"/>')
    return rs.find("PreferencesRet")


def test_preferences_say_multicurrency_is_off_and_name_no_home_currency(sim):
    # when
    ret = preferences(sim)

    # then
    node = ret.find("MultiCurrencyPreferences")
    assert [(c.tag, c.text) for c in node] == [("IsMultiCurrencyOn", "false")]
    assert [c.tag for c in ret][:2] == ["AccountingPreferences", "MultiCurrencyPreferences"]


def test_preferences_name_the_home_currency_when_multicurrency_is_on(fx_sim):
    # when
    ret = preferences(fx_sim)
    hcp = etree.fromstring(fx_sim.hcp_response().encode())

    # then
    assert ret.findtext("MultiCurrencyPreferences/IsMultiCurrencyOn") == "true"
    assert ret.findtext("MultiCurrencyPreferences/HomeCurrencyRef/FullName") == "US Dollar"
    assert ret.findtext("MultiCurrencyPreferences/HomeCurrencyRef/ListID") == \
        fx_sim.find_currency("USD").list_id
    assert hcp.findtext(".//MultiCurrencyPreferences/HomeCurrencyRef/FullName") == "US Dollar"


def test_the_currency_query_answers_the_currency_list_with_its_rates(fx_sim):
    # when
    (rs,) = answered(fx_sim, '<CurrencyQueryRq requestID="c"/>')

    # then
    assert (status(rs), rs.get("retCount")) == ((0, "Info"), "5")
    rets = rs.findall("CurrencyRet")
    assert [(r.findtext("Name"), r.findtext("CurrencyCode"), r.findtext("ExchangeRate"))
            for r in rets] == [
        ("British Pound Sterling", "GBP", "1.27"), ("Canadian Dollar", "CAD", "0.73"),
        ("Euro", "EUR", "1.08"), ("Polish Zloty", "PLN", "0.25"), ("US Dollar", "USD", "1")]
    assert [c.tag for c in rets[0]] == [
        "ListID", "TimeCreated", "TimeModified", "EditSequence", "Name", "IsActive",
        "CurrencyCode", "CurrencyFormat", "IsUserDefinedCurrency", "ExchangeRate", "AsOfDate"]
    assert rets[0].findtext("AsOfDate") == "2024-05-02"
    assert [c.name for c in fx_sim.currencies][:2] == ["US Dollar", "Euro"]


def test_the_currency_query_takes_names_and_filters(fx_sim):
    # when
    by_name, by_filter, later = answered(
        fx_sim,
        '<CurrencyQueryRq requestID="n"><FullName>euro</FullName></CurrencyQueryRq>',
        '<CurrencyQueryRq requestID="f"><NameFilter><MatchCriterion>Contains</MatchCriterion>'
        "<Name>dollar</Name></NameFilter></CurrencyQueryRq>",
        '<CurrencyQueryRq requestID="m"><FromModifiedDate>2024-05-03</FromModifiedDate>'
        "</CurrencyQueryRq>")

    # then
    assert [r.findtext("CurrencyCode") for r in by_name.findall("CurrencyRet")] == ["EUR"]
    assert [r.findtext("CurrencyCode") for r in by_filter.findall("CurrencyRet")] == [
        "CAD", "USD"]
    assert status(later) == (1, "Info")


def test_without_multicurrency_there_is_no_currency_list_to_query(sim):
    # when
    (rs,) = answered(sim, '<CurrencyQueryRq requestID="c"/>')

    # then
    assert status(rs) == (3250, "Error")
    assert sim.currencies == []


def test_a_customer_added_with_a_currency_keeps_it_and_others_get_the_home_currency(fx_sim):
    # when
    euro, home = answered(
        fx_sim,
        customer_add("Paris Outfitters", "e", "<CurrencyRef><FullName>Euro</FullName>"
                                              "</CurrencyRef>"),
        customer_add("Boston Outfitters", "h"))

    # then
    assert euro.findtext("CustomerRet/CurrencyRef/FullName") == "Euro"
    assert home.findtext("CustomerRet/CurrencyRef/FullName") == "US Dollar"
    assert fx_sim.find_customer("Paris Outfitters").currency == "Euro"
    assert fx_sim.find_customer("Boston Outfitters").currency == "US Dollar"


def test_a_customer_currency_is_refused_without_multicurrency_or_when_unknown(sim, fx_sim):
    # given
    currency = "<CurrencyRef><FullName>Swiss Franc</FullName></CurrencyRef>"

    # when
    (off,) = answered(sim, customer_add("Zurich AG", extra=currency))
    (unknown,) = answered(fx_sim, customer_add("Zurich AG", extra=currency))

    # then
    assert status(off) == (3250, "Error")
    assert status(unknown) == (3140, "Error")
    assert unknown.get("statusMessage") == (
        'There is an invalid reference to QuickBooks Currency "Swiss Franc" in the Customer. '
        "QuickBooks error message: Invalid argument. The specified record does not exist in "
        "the list.")
    assert sim.find_customer("Zurich AG") is None and fx_sim.find_customer("Zurich AG") is None


def test_a_customer_currency_cannot_change_once_it_has_transactions(fx_sim):
    # given
    customer = fx_sim.find_customer("Berlin Outfitters")
    pounds = "<CurrencyRef><FullName>British Pound Sterling</FullName></CurrencyRef>"

    def mod(body: str) -> str:
        return (f'<CustomerModRq requestID="m"><CustomerMod><ListID>{customer.list_id}'
                f"</ListID><EditSequence>{customer.edit_sequence}</EditSequence>{body}"
                "</CustomerMod></CustomerModRq>")

    # when
    (before,) = answered(fx_sim, mod(pounds))
    answered(fx_sim, fx_sale("W1"))
    (after,) = answered(fx_sim, mod("<CurrencyRef><FullName>Euro</FullName></CurrencyRef>"))

    # then
    assert status(before) == (0, "Info")
    assert before.findtext("CustomerRet/CurrencyRef/FullName") == "British Pound Sterling"
    assert status(after) == (3180, "Error")
    assert "can't be changed for names that already have transactions" in \
        after.get("statusMessage")
    assert customer.currency == "British Pound Sterling"
    assert fx_sim.find_transaction("W1").currency == "British Pound Sterling"


def test_an_invoice_is_in_its_customers_currency_at_the_rate_given(fx_sim):
    # when
    (rs,) = answered(fx_sim, fx_sale("W1", amount="100.00", rate="1.1234"))

    # then
    assert status(rs) == (0, "Info"), rs.get("statusMessage")
    ret = rs.find("InvoiceRet")
    assert ret.findtext("CurrencyRef/FullName") == "Euro"
    assert (ret.findtext("Subtotal"), ret.findtext("BalanceRemaining"),
            ret.findtext("ExchangeRate"), ret.findtext("BalanceRemainingInHomeCurrency")) == (
        "100.00", "100.00", "1.1234", "112.34")
    txn = fx_sim.find_transaction("W1")
    assert (txn.currency, txn.exchange_rate, txn.total_amount_in_home_currency) == (
        "Euro", Decimal("1.1234"), Decimal("112.34"))


def test_an_invoice_without_a_rate_takes_the_currency_lists_and_rounds_home_amounts(fx_sim):
    # when: 10.10 zloty at 0.25 is 2.525 dollars
    (rs,) = answered(fx_sim, fx_sale("W1", "Krakow Sports", amount="10.10"))

    # then: half up, to the cent
    ret = rs.find("InvoiceRet")
    assert (ret.findtext("ExchangeRate"), ret.findtext("BalanceRemainingInHomeCurrency")) == (
        "0.25", "2.53")
    assert fx_sim.balance_remaining_in_home_currency(ret.findtext("TxnID")) == Decimal("2.53")
    assert fx_sim.find_transaction("W1").total_amount_in_home_currency == Decimal("2.53")


def test_the_first_euro_invoice_makes_a_euro_receivables_account_and_the_next_reuses_it(fx_sim):
    # given
    before = len(fx_sim.accounts)

    # when
    first, second = answered(fx_sim, fx_sale("W1"), fx_sale("W2"))

    # then
    euro_ar = [a for a in fx_sim.accounts if a.currency == "Euro"]
    assert [(a.name, a.account_type) for a in euro_ar] == [
        ("Accounts Receivable - EUR", "AccountsReceivable")]
    assert len(fx_sim.accounts) == before + 1
    assert {rs.findtext("InvoiceRet/ARAccountRef/ListID") for rs in (first, second)} == {
        euro_ar[0].list_id}
    (accounts,) = answered(fx_sim, '<AccountQueryRq requestID="a"><FullName>Accounts '
                                   "Receivable - EUR</FullName></AccountQueryRq>")
    assert accounts.findtext("AccountRet/CurrencyRef/FullName") == "Euro"


def test_a_home_currency_receivables_account_is_refused_on_a_euro_invoice(fx_sim):
    # when
    (rs,) = answered(fx_sim, fx_sale("W1", ar_account="Accounts Receivable"))

    # then
    assert status(rs) == (3180, "Error")
    assert rs.get("statusMessage") == (
        'There was an error when saving a Invoice "W1". QuickBooks error message: The A/R '
        'account "Accounts Receivable" is in US Dollar, but this transaction is in Euro: a '
        "transaction in Euro needs an Accounts Receivable account in Euro.")
    assert fx_sim.transactions() == []
    assert all(a.currency == "US Dollar" for a in fx_sim.accounts)


def test_a_home_currency_sale_has_the_rate_one_and_refuses_another(fx_sim):
    # when
    plain, one, other = answered(
        fx_sim, fx_sale("W1", "Doe, Jane"), fx_sale("W2", "Doe, Jane", rate="1"),
        fx_sale("W3", "Doe, Jane", rate="1.2"), on_error="continueOnError")

    # then
    assert [status(rs)[0] for rs in (plain, one, other)] == [0, 0, 3210]
    assert plain.findtext("InvoiceRet/ExchangeRate") == "1"
    assert plain.findtext("InvoiceRet/CurrencyRef/FullName") == "US Dollar"
    assert plain.findtext("InvoiceRet/ARAccountRef/FullName") == "Accounts Receivable"
    assert other.get("statusMessage").startswith(
        'The "ExchangeRate" field has an invalid value "1.2".')


def test_without_multicurrency_an_exchange_rate_is_refused_and_answers_have_no_currency(sim):
    # when
    with_rate, without = answered(
        sim, fx_sale("W1", "Doe, Jane", rate="1.08"), fx_sale("W2", "Doe, Jane"),
        on_error="continueOnError")

    # then
    assert status(with_rate) == (3250, "Error")
    ret = without.find("InvoiceRet")
    assert ret.find("CurrencyRef") is None and ret.find("ExchangeRate") is None
    assert ret.find("BalanceRemainingInHomeCurrency") is None
    assert sim.find_transaction("W2").currency == "US Dollar"


def test_a_euro_payment_clears_the_euro_invoice_in_euros(fx_sim):
    # given
    (inv,) = answered(fx_sim, fx_sale("W1", amount="100.00", rate="1.08"))
    invoice_id = inv.findtext("InvoiceRet/TxnID")

    # when: paid when the euro is worth 1.10
    (rs,) = answered(fx_sim, fx_payment("Berlin Outfitters", invoice_id, "100.00", "1.10"))

    # then
    assert status(rs) == (0, "Info"), rs.get("statusMessage")
    ret = rs.find("ReceivePaymentRet")
    tags = [c.tag for c in ret]
    assert tags[tags.index("TotalAmount"):][:4] == [
        "TotalAmount", "CurrencyRef", "ExchangeRate", "TotalAmountInHomeCurrency"]
    assert (ret.findtext("TotalAmount"), ret.findtext("CurrencyRef/FullName"),
            ret.findtext("ExchangeRate"), ret.findtext("TotalAmountInHomeCurrency")) == (
        "100.00", "Euro", "1.1", "110.00")
    assert ret.findtext("ARAccountRef/FullName") == "Accounts Receivable - EUR"
    assert ret.findtext("AppliedToTxnRet/BalanceRemaining") == "0.00"
    invoice = invoice_by_id(fx_sim, invoice_id)
    assert (invoice.findtext("BalanceRemaining"), invoice.findtext("IsPaid"),
            invoice.findtext("BalanceRemainingInHomeCurrency")) == ("0.00", "true", "0.00")
    assert fx_sim.balance_remaining(invoice_id) == Decimal("0.00")
    assert fx_sim.transactions("ReceivePayment")[0].currency == "Euro"


def test_a_payment_in_another_currency_cannot_pay_a_euro_invoice(fx_sim):
    # given
    (inv,) = answered(fx_sim, fx_sale("W1"))
    invoice_id = inv.findtext("InvoiceRet/TxnID")

    # when: a dollar customer's payment (a customer's transactions share its currency)
    (rs,) = answered(fx_sim, fx_payment("Doe, Jane", invoice_id, "100.00"))

    # then
    assert status(rs) == (3120, "Error")
    assert fx_sim.balance_remaining(invoice_id) == Decimal("100.00")
    assert fx_sim.transactions("ReceivePayment") == []


def test_a_euro_sales_receipt_goes_to_undeposited_funds_or_a_bank_in_euros_or_dollars(fx_sim):
    # given
    fx_sim.add_account("Sparkasse EUR", "Bank", currency="Euro")
    fx_sim.add_account("Barclays GBP", "Bank", currency="British Pound Sterling")

    # when
    funds, euros, dollars, pounds = answered(
        fx_sim, fx_sale("S1", tag="SalesReceipt", rate="1.1"),
        fx_sale("S2", deposit="Sparkasse EUR", tag="SalesReceipt"),
        fx_sale("S3", deposit="Checking", tag="SalesReceipt"),
        fx_sale("S4", deposit="Barclays GBP", tag="SalesReceipt"), on_error="continueOnError")

    # then
    assert [status(rs)[0] for rs in (funds, euros, dollars, pounds)] == [0, 0, 0, 3180]
    ret = funds.find("SalesReceiptRet")
    assert (ret.findtext("TotalAmount"), ret.findtext("TotalAmountInHomeCurrency"),
            ret.findtext("DepositToAccountRef/FullName")) == (
        "100.00", "110.00", "Undeposited Funds")
    assert "Barclays GBP" in pounds.get("statusMessage")
    assert [t.ref_number for t in fx_sim.transactions()] == ["S1", "S2", "S3"]


def test_a_euro_sales_order_answers_its_home_currency_total(fx_sim):
    # when
    (rs,) = answered(fx_sim, fx_sale("SO1", amount="50.00", tag="SalesOrder"))

    # then
    ret = rs.find("SalesOrderRet")
    assert (ret.findtext("CurrencyRef/FullName"), ret.findtext("TotalAmountInHomeCurrency")) \
        == ("Euro", "54.00")


def test_a_euro_credit_memo_refunded_to_a_card_answers_home_amounts(fx_sim):
    # given
    (memo,) = answered(fx_sim, fx_sale("C1", amount="40.00", tag="CreditMemo"))
    memo_id = memo.findtext("CreditMemoRet/TxnID")

    # when
    (rs,) = answered(fx_sim, refund_add((memo_id, "15.00"), customer="Berlin Outfitters"))

    # then
    assert memo.findtext("CreditMemoRet/CreditRemainingInHomeCurrency") == "43.20"
    assert memo.findtext("CreditMemoRet/ARAccountRef/FullName") == "Accounts Receivable - EUR"
    ret = rs.find("ARRefundCreditCardRet")
    assert (ret.findtext("CurrencyRef/FullName"), ret.findtext("ExchangeRate"),
            ret.findtext("TotalAmountInHomeCurrency")) == ("Euro", "1.08", "16.20")
    applied = ret.find("RefundAppliedToTxnRet")
    assert [(c.tag, c.text) for c in applied][-4:] == [
        ("CreditRemaining", "25.00"), ("RefundAmount", "15.00"),
        ("CreditRemainingInHomeCurrency", "27.00"), ("RefundAmountInHomeCurrency", "16.20")]
    assert fx_sim.credit_remaining(memo_id) == Decimal("25.00")


def test_transaction_queries_answer_currencies_and_filter_by_currency(fx_sim):
    # given
    answered(fx_sim, fx_sale("W1"), fx_sale("W2", "Doe, Jane"), fx_sale("W3", "Krakow Sports"))

    # when
    everything, euros = answered(
        fx_sim, '<InvoiceQueryRq requestID="all"/>',
        '<InvoiceQueryRq requestID="eur"><CurrencyFilter><FullName>Euro</FullName>'
        "</CurrencyFilter></InvoiceQueryRq>")

    # then
    assert [(r.findtext("RefNumber"), r.findtext("CurrencyRef/FullName"),
             r.findtext("ExchangeRate")) for r in everything.findall("InvoiceRet")] == [
        ("W1", "Euro", "1.08"), ("W2", "US Dollar", "1"), ("W3", "Polish Zloty", "0.25")]
    assert [r.findtext("RefNumber") for r in euros.findall("InvoiceRet")] == ["W1"]


def test_an_invoice_mod_keeps_the_exchange_rate_unless_it_sends_one(fx_sim):
    # given
    (rs,) = answered(fx_sim, fx_sale("W1", rate="1.2"))
    txn = fx_sim.find_transaction("W1")

    # when
    (kept,) = answered(fx_sim, invoice_mod(txn.txn_id, txn.edit_sequence,
                                           "<Memo>rush</Memo>"))
    (changed,) = answered(fx_sim, invoice_mod(txn.txn_id, txn.edit_sequence,
                                              "<ExchangeRate>1.05</ExchangeRate>"))

    # then
    assert kept.findtext("InvoiceRet/ExchangeRate") == "1.2"
    assert changed.findtext("InvoiceRet/ExchangeRate") == "1.05"
    assert changed.findtext("InvoiceRet/BalanceRemainingInHomeCurrency") == "105.00"


def test_a_customer_mod_renames_and_updates_with_the_current_edit_sequence_only(sim):
    # given
    customer = sim.find_customer("Doe, Jane")
    add_invoice(sim)
    stale = customer.edit_sequence

    def mod(edit_sequence: str, body: str) -> str:
        return (f'<CustomerModRq requestID="m"><CustomerMod><ListID>{customer.list_id}'
                f"</ListID><EditSequence>{edit_sequence}</EditSequence>{body}"
                "</CustomerMod></CustomerModRq>")

    # when
    (renamed,) = answered(sim, mod(stale, "<Name>Doe, Janet</Name><Email>j@example.com"
                                          "</Email>"))
    (late,) = answered(sim, mod(stale, "<IsActive>false</IsActive>"))
    (clash,) = answered(sim, mod(customer.edit_sequence, "<Name>Exempt Inc</Name>"))

    # then
    assert status(renamed) == (0, "Info")
    ret = renamed.find("CustomerRet")
    assert (ret.findtext("FullName"), ret.findtext("Email"), ret.find("CurrencyRef")) == (
        "Doe, Janet", "j@example.com", None)
    assert sim.find_customer("Doe, Jane") is None
    assert sim.find_transaction("W1001").customer_name == "Doe, Janet"
    assert status(late) == (3200, "Error") and customer.is_active
    assert status(clash) == (3100, "Error")


# ------------------------------------------------------------------------------ iterators --


def iterate(kind: str = "Customer", mode: str = "Start", iterator_id: str = "",
            max_returned: int = 2, extra: str = "") -> str:
    attrs = f' iterator="{mode}"' + (f' iteratorID="{iterator_id}"' if iterator_id else "")
    return message_set(f'<{kind}QueryRq requestID="i"{attrs}><MaxReturned>{max_returned}'
                       f"</MaxReturned><ActiveStatus>All</ActiveStatus>{extra}"
                       f"</{kind}QueryRq>")


def names(rs: etree._Element) -> list[str]:
    return [r.findtext("Name") for r in rs if r.tag.endswith("Ret")]


def test_an_iterator_gives_the_list_in_chunks_until_nothing_remains(sim):
    # when: three customers, two at a time
    (first,) = responses(sim.process(iterate()))
    (second,) = responses(sim.process(iterate(mode="Continue",
                                              iterator_id=first.get("iteratorID"))))

    # then
    assert (first.get("retCount"), first.get("iteratorRemainingCount")) == ("2", "1")
    assert first.get("iteratorID").startswith("{") and first.get("iteratorID").endswith("}")
    assert names(first) == ["Doe, Jane", "Exempt Inc"]
    assert (second.get("retCount"), second.get("iteratorRemainingCount")) == ("1", "0")
    assert second.get("iteratorID") == first.get("iteratorID")
    assert names(second) == ["Old Customer"]
    # a finished iterator is gone
    (again,) = responses(sim.process(iterate(mode="Continue",
                                             iterator_id=first.get("iteratorID"))))
    assert status(again) == (3391, "Error")


def test_an_unknown_iterator_or_one_of_an_ended_session_is_status_3391(sim):
    (made_up,) = responses(sim.process(iterate(mode="Continue", iterator_id="{nope}")))
    assert status(made_up) == (3391, "Error")
    assert made_up.get("statusMessage") == 'The iteratorID "{nope}" is not valid.'
    (first,) = responses(sim.process(iterate(kind="Item")))
    sim.end_session()
    (later,) = responses(sim.process(iterate(kind="Item", mode="Continue",
                                             iterator_id=first.get("iteratorID"))))
    assert status(later) == (3391, "Error")


def test_an_iterator_reads_only_what_changed_since_from_modified_date():
    moment = {"now": FIXED_NOW}
    sim = QuickBooksSimulator(_company(), clock=lambda: moment["now"], sleep=lambda _: None)
    moment["now"] = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
    sim.edit_customer("Exempt Inc", email="tax@example.com")
    sim.add_customer("New One")
    since = "<FromModifiedDate>2024-05-03T08:00:00+00:00</FromModifiedDate>"
    (rs,) = responses(sim.process(iterate(max_returned=10, extra=since)))
    assert names(rs) == ["Exempt Inc", "New One"]
    assert rs.get("iteratorRemainingCount") == "0"
    (whole,) = responses(sim.process(message_set(
        '<ClassQueryRq requestID="c"><ActiveStatus>All</ActiveStatus>'
        "<FromModifiedDate>2024-05-03T08:00:00+00:00</FromModifiedDate></ClassQueryRq>")))
    assert status(whole) == (1, "Info")


def test_classes_and_payment_methods_are_answered():
    sim = QuickBooksSimulator(_company(classes=("East",), payment_methods=("Visa", "Cash")),
                              clock=lambda: FIXED_NOW, sleep=lambda _: None)
    classes, methods = responses(sim.process(message_set(
        '<ClassQueryRq requestID="c"/>', '<PaymentMethodQueryRq requestID="p"/>')))
    assert names(classes) == ["East"]
    assert names(methods) == ["Cash", "Visa"]
    assert methods.find("PaymentMethodRet/PaymentMethodType").text == "Other"


def test_a_company_of_25000_customers_is_made_in_seconds():
    import time

    started = time.monotonic()
    sim = QuickBooksSimulator(_company(customers=tuple(
        CustomerSpec(f"C {n:05d}") for n in range(25_000))), validate_schema=False)
    assert len(sim.customers) == 25_000
    assert time.monotonic() - started < 10
