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
