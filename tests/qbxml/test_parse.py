"""Hardened XML parsing, response statuses and the HCP answer, on hand-written QuickBooks XML."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from saleor_qb_sync.errors import HostileXmlError, QbXmlError
from saleor_qb_sync.qbxml.parse import (
    UNKNOWN_HOST,
    parse_hcp_response,
    parse_response,
    parse_xml,
)
from saleor_qb_sync.qbxml.status import StatusClass

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="1" statusCode="0" statusSeverity="Info"
 statusMessage="&lol9;"/></QBXMLMsgsRs></QBXML>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE QBXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="1" statusCode="0" statusSeverity="Info"
 statusMessage="ok"><CustomerRet><Name>&xxe;</Name></CustomerRet></CustomerQueryRs>
</QBXMLMsgsRs></QBXML>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]><r/>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE QBXML SYSTEM "file:///etc/passwd"><QBXML/>"""

RESPONSE = """<?xml version="1.0" ?>
<QBXML>
<QBXMLMsgsRs newMessageSetID="set-7">
<!-- QuickBooks never sends comments, but they must not matter -->
<CustomerQueryRs requestID="cq" statusCode="500" statusSeverity="Warn"
  statusMessage="The query request has not been fully completed. There was a required element (&quot;Roe, John&quot;) that could not be found in QuickBooks." retCount="1">
  <CustomerRet><ListID>80000001-1714567890</ListID><EditSequence>1714567890</EditSequence>
    <Name>Doe, Jane</Name><FullName>Doe, Jane</FullName><IsActive>true</IsActive></CustomerRet>
</CustomerQueryRs>
<CustomerAddRs requestID="ca" statusCode="3100" statusSeverity="Error"
  statusMessage="The name &quot;Roe, John&quot; of the list element is already in use."/>
<ItemQueryRs requestID="iq" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
  <ItemNonInventoryRet><ListID>80000002-1</ListID><Name>TEE-M</Name><FullName>TEE-M</FullName>
    <IsActive>true</IsActive></ItemNonInventoryRet>
  <ItemOtherChargeRet><ListID>80000003-1</ListID><Name>Shipping</Name>
    <FullName>Shipping</FullName><IsActive>false</IsActive></ItemOtherChargeRet>
</ItemQueryRs>
<InvoiceQueryRs requestID="dup" statusCode="1" statusSeverity="Info"
  statusMessage="A query request did not find a matching object in QuickBooks"/>
<InvoiceAddRs requestID="inv" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
  <InvoiceRet><TxnID>1A3F-1714567890</TxnID><TimeCreated>2024-05-01T12:00:00-05:00</TimeCreated>
    <EditSequence>1714567890</EditSequence><TxnNumber>17</TxnNumber>
    <CustomerRef><ListID>80000001-1714567890</ListID><FullName>Doe, Jane</FullName></CustomerRef>
    <TxnDate>2024-05-01</TxnDate><RefNumber>W1001</RefNumber><Subtotal>36.98</Subtotal>
    <SalesTaxTotal>2.31</SalesTaxTotal><Memo>Saleor order #1001</Memo>
    <ExternalGUID>{5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10}</ExternalGUID></InvoiceRet>
</InvoiceAddRs>
<SalesReceiptQueryRs requestID="dup-sr" statusCode="0" statusSeverity="Info"
  statusMessage="Status OK">
  <SalesReceiptRet><TxnID>1-1</TxnID><RefNumber>W1002</RefNumber><TotalAmount>10.00</TotalAmount>
    <Memo>other shop</Memo></SalesReceiptRet>
  <SalesReceiptRet><TxnID>2-1</TxnID><RefNumber>W1002</RefNumber><TotalAmount>29.97</TotalAmount>
    <Memo>Saleor order #1002</Memo></SalesReceiptRet>
</SalesReceiptQueryRs>
<SalesOrderAddRs requestID="so" statusCode="3140" statusSeverity="Error"
  statusMessage="There is an invalid reference to QuickBooks Item &quot;TEE-L&quot; in the Sales Order. QuickBooks error message: Invalid argument. The specified record does not exist in the list."/>
<SalesReceiptAddRs requestID="sr" statusCode="3175" statusSeverity="Error"
  statusMessage="There was an error when saving a Sales Receipt. The record is in use."/>
</QBXMLMsgsRs>
</QBXML>
"""  # noqa: E501 - QuickBooks' messages are one attribute each


# --- hostile XML --------------------------------------------------------------------------


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY,
                                      EXTERNAL_DTD],
                         ids=["billion-laughs", "external-entity", "parameter-entity",
                              "external-dtd"])
def test_xml_with_a_doctype_or_entities_is_refused_before_anything_is_expanded(document):
    # when
    with pytest.raises(HostileXmlError) as caught:
        parse_xml(document)
    # then
    assert caught.value.code == "hostile_xml"
    assert "root:" not in str(caught.value) and "lollol" not in str(caught.value)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_hostile_xml_given_as_text_is_refused_too(document):
    with pytest.raises(HostileXmlError):
        parse_xml(document.decode())


def test_hostile_xml_hidden_in_utf16_is_refused_after_parsing_without_expansion():
    # given: the byte scan cannot see "<!DOCTYPE" in UTF-16
    document = ('<?xml version="1.0" encoding="UTF-16"?>'
                '<!DOCTYPE r [<!ENTITY a SYSTEM "file:///etc/passwd">]><r>&a;</r>').encode(
                    "utf-16")
    # when / then
    with pytest.raises(HostileXmlError):
        parse_xml(document)


def test_a_response_never_expands_an_entity_even_through_parse_response():
    with pytest.raises(HostileXmlError):
        parse_response(EXTERNAL_ENTITY)


@pytest.mark.parametrize("document", [b"", b"   ", "<QBXML><unclosed></QBXML>", b"\x00\x01",
                                      "not xml at all", b"<QBXML>&undefined;</QBXML>"])
def test_malformed_xml_is_a_qbxml_error_not_a_crash(document):
    with pytest.raises(QbXmlError) as caught:
        parse_xml(document)
    assert not isinstance(caught.value, HostileXmlError)


def test_xml_text_with_an_encoding_declaration_and_leading_whitespace_is_read():
    # given
    document = '\n  <?xml version="1.0" encoding="ISO-8859-1"?><QBXML><Name>Müller</Name></QBXML>'
    # when
    root = parse_xml(document)
    # then
    assert root.findtext("Name") == "Müller"


def test_latin1_encoded_bytes_are_decoded_by_their_declaration():
    # given
    document = '<?xml version="1.0" encoding="ISO-8859-1"?><r>Ñandú</r>'.encode("latin-1")
    # when / then
    assert parse_xml(document).text == "Ñandú"


# --- responses ----------------------------------------------------------------------------


@pytest.fixture
def items():
    return {item.request_id: item for item in parse_response(RESPONSE)}


def test_every_response_is_found_by_its_request_id_in_document_order():
    # when
    items = parse_response(RESPONSE.encode())
    # then
    assert [(i.request_id, i.request_type) for i in items] == [
        ("cq", "CustomerQuery"), ("ca", "CustomerAdd"), ("iq", "ItemQuery"),
        ("dup", "InvoiceQuery"), ("inv", "InvoiceAdd"), ("dup-sr", "SalesReceiptQuery"),
        ("so", "SalesOrderAdd"), ("sr", "SalesReceiptAdd"),
    ]


def test_a_successful_invoice_add_gives_its_ids_and_total(items):
    # when
    invoice = items["inv"]
    # then
    assert invoice.status_code == 0 and invoice.severity == "Info"
    assert invoice.status_class == StatusClass.SUCCESS and invoice.ok
    assert invoice.txn_id == "1A3F-1714567890"
    assert invoice.edit_sequence == "1714567890"
    assert invoice.ref_number == "W1001"
    assert invoice.total_amount == Decimal("39.29")
    assert invoice.records[0]["ExternalGUID"] == "{5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10}"
    assert invoice.records[0]["CustomerRef"] == "Doe, Jane"
    assert invoice.records[0]["type"] == "Invoice"


def test_a_partial_list_answer_is_fixable_and_names_what_was_found(items):
    # when
    partial = items["cq"]
    # then
    assert partial.status_code == 500 and partial.severity == "Warn"
    assert partial.status_class == StatusClass.FIXABLE
    assert partial.found_names == ("Doe, Jane",)
    assert partial.list_id == "80000001-1714567890"
    assert partial.ret_count == 1
    assert '"Roe, John"' in partial.message


def test_a_name_in_use_is_fixable_and_keeps_quickbooks_message_unescaped(items):
    # when
    in_use = items["ca"]
    # then
    assert in_use.status_class == StatusClass.FIXABLE
    assert in_use.message == 'The name "Roe, John" of the list element is already in use.'
    assert in_use.records == () and in_use.list_id == "" and in_use.total_amount is None


def test_an_item_query_reports_each_items_type(items):
    # when
    records = items["iq"].records
    # then
    assert [(r["type"], r["FullName"], r["IsActive"]) for r in records] == [
        ("ItemNonInventory", "TEE-M", "true"), ("ItemOtherCharge", "Shipping", "false")]


def test_a_duplicate_check_that_finds_nothing_is_not_found_not_an_error(items):
    assert items["dup"].status_class == StatusClass.NOT_FOUND


def test_a_duplicate_check_returns_every_transaction_with_that_refnumber(items):
    # when
    found = items["dup-sr"]
    # then
    assert [(r["TxnID"], Decimal(r["TotalAmount"]), r["Memo"]) for r in found.records] == [
        ("1-1", Decimal("10.00"), "other shop"), ("2-1", Decimal("29.97"), "Saleor order #1002")]


def test_a_missing_reference_is_fixable_and_a_record_in_use_is_transient(items):
    assert items["so"].status_class == StatusClass.FIXABLE
    assert items["sr"].status_class == StatusClass.TRANSIENT


@pytest.mark.parametrize(("document", "problem"), [
    ("<Other/>", "QBXML"),
    ("<QBXML><SignonMsgsRs/></QBXML>", "QBXMLMsgsRs"),
    ('<QBXML><QBXMLMsgsRs><CustomerAddRs requestID="1" statusCode="ok"/></QBXMLMsgsRs></QBXML>',
     "statusCode"),
])
def test_a_response_that_is_not_a_qbxml_answer_is_a_qbxml_error(document, problem):
    with pytest.raises(QbXmlError, match=problem):
        parse_response(document)


# --- strHCPResponse -----------------------------------------------------------------------


HCP = """<?xml version="1.0" ?>
<QBXML><QBXMLMsgsRs>
<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
 <HostRet><ProductName>QuickBooks Enterprise Solutions: Manufacturing and Wholesale 24.0</ProductName>
  <MajorVersion>34</MajorVersion><MinorVersion>0</MinorVersion><Country>US</Country>
  <SupportedQBXMLVersion>1.0</SupportedQBXMLVersion><SupportedQBXMLVersion>2.0</SupportedQBXMLVersion>
  <SupportedQBXMLVersion>13.0</SupportedQBXMLVersion><SupportedQBXMLVersion>16.0</SupportedQBXMLVersion>
  <IsAutomaticLogin>false</IsAutomaticLogin><QBFileMode>MultiUser</QBFileMode></HostRet>
</HostQueryRs>
<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
 <CompanyRet><IsSampleCompany>false</IsSampleCompany><CompanyName>Rock Castle &amp; Co</CompanyName>
 </CompanyRet></CompanyQueryRs>
<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
 <PreferencesRet>
  <AccountingPreferences><IsUsingAccountNumbers>false</IsUsingAccountNumbers>
   <IsRequiringAccounts>true</IsRequiringAccounts><IsUsingClassTracking>true</IsUsingClassTracking>
   <IsUsingAuditTrail>true</IsUsingAuditTrail>
   <IsAssigningJournalEntryNumbers>true</IsAssigningJournalEntryNumbers>
   <ClosingDate>2023-12-31</ClosingDate></AccountingPreferences>
  <MultiCurrencyPreferences><IsMultiCurrencyOn>true</IsMultiCurrencyOn>
   <HomeCurrencyRef><FullName>US Dollar</FullName></HomeCurrencyRef></MultiCurrencyPreferences>
  <SalesTaxPreferences><DefaultItemSalesTaxRef><FullName>San Tomas</FullName>
   </DefaultItemSalesTaxRef><PaySalesTax>Monthly</PaySalesTax>
   <DefaultTaxableSalesTaxCodeRef><FullName>Tax</FullName></DefaultTaxableSalesTaxCodeRef>
   <DefaultNonTaxableSalesTaxCodeRef><FullName>Non</FullName></DefaultNonTaxableSalesTaxCodeRef>
  </SalesTaxPreferences>
  <CurrentAppAccessRights><IsAutomaticLoginAllowed>true</IsAutomaticLoginAllowed>
   <IsPersonalDataAccessAllowed>false</IsPersonalDataAccessAllowed></CurrentAppAccessRights>
 </PreferencesRet></PreferencesQueryRs>
</QBXMLMsgsRs></QBXML>"""  # noqa: E501 - as QuickBooks sends it


def test_the_hcp_answer_tells_edition_versions_company_and_preferences():
    # when
    host = parse_hcp_response(HCP)
    # then
    assert host.known
    assert host.product_name.startswith("QuickBooks Enterprise Solutions")
    assert (host.major_version, host.minor_version, host.country) == ("34", "0", "US")
    assert host.supported_versions == ("1.0", "2.0", "13.0", "16.0")
    assert host.supports("13.0") and not host.supports("14.0")
    assert host.file_mode == "MultiUser"
    assert host.company_name == "Rock Castle & Co"
    assert host.sales_tax_enabled is True
    assert host.default_item_sales_tax == "San Tomas"
    assert host.closing_date == date(2023, 12, 31)
    assert host.class_tracking is True
    assert host.multi_currency is True and host.home_currency == "US Dollar"
    assert host.automatic_login_allowed is True
    assert host.personal_data_access_allowed is False


def test_a_company_without_sales_tax_preferences_has_sales_tax_turned_off():
    # given
    hcp = ("<QBXML><QBXMLMsgsRs><PreferencesQueryRs requestID='2' statusCode='0'>"
           "<PreferencesRet><AccountingPreferences><IsUsingClassTracking>false"
           "</IsUsingClassTracking></AccountingPreferences></PreferencesRet>"
           "</PreferencesQueryRs></QBXMLMsgsRs></QBXML>")
    # when
    host = parse_hcp_response(hcp)
    # then
    assert host.known
    assert host.sales_tax_enabled is False
    assert host.class_tracking is False
    assert host.closing_date is None
    assert host.multi_currency is None
    assert host.supports("13.0")  # nothing listed: assume the version QBWC asked with


@pytest.mark.parametrize("hcp", ["", None, "garbage", "<QBXML><unclosed>", "<QBXML/>",
                                 BILLION_LAUGHS.decode(), b"\xff\xfe\x00",
                                 "<QBXML><QBXMLMsgsRs><HostQueryRs><HostRet>"
                                 "<SupportedQBXMLVersion/></HostRet></HostQueryRs>"
                                 "</QBXMLMsgsRs></QBXML>"])
def test_an_empty_or_unreadable_hcp_answer_gives_an_unknown_host_without_raising(hcp):
    # when
    host = parse_hcp_response(hcp)
    # then
    assert host == UNKNOWN_HOST or (host.known and host.supported_versions == ())


def test_an_hcp_answer_with_a_bad_closing_date_keeps_everything_else():
    # given
    hcp = HCP.replace("2023-12-31", "31/12/2023")
    # when
    host = parse_hcp_response(hcp)
    # then
    assert host.closing_date is None
    assert host.company_name == "Rock Castle & Co"
