"""List pulls: the queries (validated against Intuit's schema) and the records read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from saleor_qb_sync.errors import HostileXmlError, QbXmlError
from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.lists import ListPage, read_page
from saleor_qb_sync.qbxml.schema import validate

SINCE = datetime(2026, 11, 30, 18, 5, 9, 123456, tzinfo=UTC)


def envelope(*requests) -> bytes:
    return build.message_set(list(requests))


@pytest.mark.parametrize("tag", sorted(build.LIST_PULL_RET_ELEMENTS))
def test_every_list_query_is_valid_whole_or_since_a_moment(tag, qbxml_schema):
    chunk = 1000 if tag in build.ITERATOR_QUERIES else None
    whole = build.list_pull_query(tag, "1", max_returned=chunk)
    changed = build.list_pull_query(tag, "2", since=SINCE, max_returned=chunk)
    assert validate(envelope(whole, changed), qbxml_schema) == []
    assert whole.findtext("ActiveStatus") == "All"  # inactive records too
    assert whole.find("FromModifiedDate") is None
    assert changed.findtext("FromModifiedDate") == "2026-11-30T18:05:09+00:00"


@pytest.mark.parametrize("tag", sorted(build.ITERATOR_QUERIES))
def test_a_long_list_is_read_with_an_iterator_started_then_continued(tag, qbxml_schema):
    start = build.list_pull_query(tag, "1", max_returned=1000)
    more = build.list_pull_query(tag, "2", max_returned=1000, since=SINCE,
                                 iterator_id="{6b3c8a6e-0000-4000-8000-000000000001}")
    assert validate(envelope(start, more), qbxml_schema) == []
    assert (start.get("iterator"), start.get("iteratorID")) == ("Start", None)
    assert (more.get("iterator"), more.get("iteratorID")) == (
        "Continue", "{6b3c8a6e-0000-4000-8000-000000000001}")
    assert start.findtext("MaxReturned") == "1000"


def test_a_query_that_cannot_be_asked_is_refused_before_it_is_sent():
    with pytest.raises(ValueError, match="MaxReturned"):
        build.list_pull_query("CustomerQueryRq", "1")
    with pytest.raises(ValueError, match="time zone"):
        build.list_pull_query("ClassQueryRq", "1", since=datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="not a list"):
        build.list_pull_query("InvoiceQueryRq", "1")


def test_a_local_time_keeps_its_offset():
    eastern = timezone(timedelta(hours=-5))
    rq = build.list_pull_query("ClassQueryRq", "1",
                               since=datetime(2026, 3, 1, 9, 0, tzinfo=eastern))
    assert rq.findtext("FromModifiedDate") == "2026-03-01T09:00:00-05:00"


ANSWER = """<?xml version="1.0"?><QBXML><QBXMLMsgsRs>
<CustomerQueryRs requestID="l-customers" statusCode="0" statusSeverity="Info" statusMessage="OK"
  retCount="2" iteratorRemainingCount="23000" iteratorID="{aa-bb}">
 <CustomerRet><ListID>80000001-1</ListID><TimeModified>2026-11-30T10:00:00-05:00</TimeModified>
  <EditSequence>1711</EditSequence><Name>Jane Doe</Name><FullName>Jane Doe</FullName>
  <IsActive>true</IsActive><Email>jane@example.com</Email>
  <CurrencyRef><FullName>Euro</FullName></CurrencyRef></CustomerRet>
 <CustomerRet><ListID>80000002-1</ListID><Name>Job</Name><FullName>Jane Doe:Job</FullName>
  <IsActive>false</IsActive></CustomerRet>
</CustomerQueryRs>
<ItemQueryRs requestID="l-items" statusCode="0" statusSeverity="Info" statusMessage="OK">
 <ItemServiceRet><ListID>I1</ListID><EditSequence>9</EditSequence><Name>Labor</Name>
  <FullName>Labor</FullName><IsActive>true</IsActive>
  <SalesOrPurchase><Desc>Hourly</Desc><AccountRef><FullName>Sales</FullName></AccountRef>
  </SalesOrPurchase></ItemServiceRet>
 <ItemInventoryRet><ListID>I2</ListID><Name>Mug</Name><FullName>Mug</FullName>
  <SalesAndPurchase><SalesDesc>A mug</SalesDesc>
  <IncomeAccountRef><FullName>Merchandise</FullName></IncomeAccountRef></SalesAndPurchase>
 </ItemInventoryRet>
 <ItemSalesTaxRet><ListID>I3</ListID><Name>State Tax</Name><IsActive>true</IsActive>
  <ItemDesc>State</ItemDesc><TaxRate>6.25</TaxRate></ItemSalesTaxRet>
 <ItemDiscountRet><ListID>I4</ListID><Name>Off</Name><FullName>Off</FullName>
  <ItemDesc>Discount</ItemDesc><AccountRef><FullName>Discounts</FullName></AccountRef>
 </ItemDiscountRet>
</ItemQueryRs>
<AccountQueryRs requestID="l-accounts" statusCode="0" statusSeverity="Info" statusMessage="OK">
 <AccountRet><ListID>A1</ListID><Name>Sales</Name><FullName>Sales</FullName>
  <IsActive>true</IsActive><AccountType>Income</AccountType>
  <CurrencyRef><FullName>US Dollar</FullName></CurrencyRef></AccountRet>
</AccountQueryRs>
<SalesTaxCodeQueryRs requestID="l-sales_tax_codes" statusCode="0" statusSeverity="Info"
  statusMessage="OK">
 <SalesTaxCodeRet><ListID>T1</ListID><Name>Tax</Name><IsActive>true</IsActive>
  <IsTaxable>true</IsTaxable><Desc>Taxable Sales</Desc></SalesTaxCodeRet>
 <SalesTaxCodeRet><ListID>T2</ListID><Name>Non</Name><IsTaxable>false</IsTaxable>
 </SalesTaxCodeRet>
</SalesTaxCodeQueryRs>
<PaymentMethodQueryRs requestID="l-payment_methods" statusCode="0" statusSeverity="Info"
  statusMessage="OK">
 <PaymentMethodRet><ListID>P1</ListID><Name>Visa</Name><IsActive>true</IsActive>
  <PaymentMethodType>Visa</PaymentMethodType></PaymentMethodRet>
</PaymentMethodQueryRs>
<ClassQueryRs requestID="l-classes" statusCode="1" statusSeverity="Info" statusMessage="none"/>
</QBXMLMsgsRs></QBXML>"""


def test_a_customer_chunk_gives_each_record_and_the_iterator_left_open():
    page = read_page(ANSWER, "l-customers")
    assert (page.iterator_id, page.remaining) == ("{aa-bb}", 23000)
    jane, job = page.entries
    assert (jane.list_id, jane.edit_sequence, jane.full_name, jane.email, jane.currency,
            jane.is_active) == ("80000001-1", "1711", "Jane Doe", "jane@example.com", "Euro",
                                True)
    assert jane.time_modified == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert (job.full_name, job.is_active, job.time_modified) == ("Jane Doe:Job", False, None)


def test_items_of_every_type_give_their_type_account_and_description():
    items = {e.name: e for e in read_page(ANSWER, "l-items").entries}
    assert {n: (e.record_type, e.account, e.description) for n, e in items.items()} == {
        "Labor": ("ItemService", "Sales", "Hourly"),
        "Mug": ("ItemInventory", "Merchandise", "A mug"),
        "State Tax": ("ItemSalesTax", "", "State"),
        "Off": ("ItemDiscount", "Discounts", "Discount"),
    }
    assert items["State Tax"].full_name == "State Tax"  # a sales tax item has no FullName


def test_accounts_tax_codes_and_payment_methods_give_their_types():
    [sales] = read_page(ANSWER, "l-accounts").entries
    assert (sales.record_type, sales.currency) == ("Income", "US Dollar")
    codes = read_page(ANSWER, "l-sales_tax_codes").entries
    assert [(c.name, c.record_type, c.description) for c in codes] == [
        ("Tax", "Taxable", "Taxable Sales"), ("Non", "NonTaxable", "")]
    [visa] = read_page(ANSWER, "l-payment_methods").entries
    assert visa.record_type == "Visa"


def test_an_answer_without_records_or_without_that_request_is_an_empty_page():
    assert read_page(ANSWER, "l-classes") == ListPage(())
    assert read_page(ANSWER, "nobody") == ListPage(())


def test_what_no_quickbooks_sends_is_refused_or_cut():
    long_id = ANSWER.replace("<ListID>A1</ListID>", f"<ListID>{'9' * 37}</ListID>")
    with pytest.raises(QbXmlError, match="ListID of 37"):
        read_page(long_id, "l-accounts")
    huge = ANSWER.replace("<Email>jane@example.com</Email>", f"<Email>{'x' * 5000}</Email>")
    assert len(read_page(huge, "l-customers").entries[0].email) == 1023
    no_id = ANSWER.replace("<ListID>80000002-1</ListID>", "")
    assert len(read_page(no_id, "l-customers").entries) == 1
    with pytest.raises(HostileXmlError):
        read_page('<!DOCTYPE x [<!ENTITY a "b">]><QBXML/>', "1")
