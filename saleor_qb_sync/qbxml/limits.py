"""QuickBooks Desktop's field limits, named once for everything that fits, builds or checks text.

Lengths are character counts, from the maxLength facets of Intuit's qbXML 13.0 schema
(``qbxml130.xsd``, ``qbxmltypes130.xsd``) and, where the schema is silent, from the OSR
(reference notes section 4). QuickBooks refuses a longer string with status 3070, so
``text.fit`` cuts to these, ``build`` refuses anything longer, and ``parse`` treats a longer value
in an answer as not QuickBooks'. ``tests/qbxml/test_limits.py`` checks each against the schema.
"""

from __future__ import annotations

# --- names ----------------------------------------------------------------------------------

#: ``CustomerAdd/Name``: one level of a customer name (``Parent:Job`` levels are each this long)
CUSTOMER_NAME = 41
#: ``CustomerRef/FullName``: a customer's full ``Parent:Job`` name
CUSTOMER_FULL_NAME = 209
#: ``ItemNonInventoryAdd/Name``, ``ItemOtherChargeAdd/Name``: one level of an item name
ITEM_NAME = 31
#: ``FullName`` of an account, class or item reference (``AccountRef``, ``ClassRef``…); the
#: schema leaves ``ItemRef/FullName`` unbounded, the OSR gives 159 for it too
FULL_NAME_REF = 159
#: ``ItemSalesTaxRef/FullName``
ITEM_SALES_TAX_REF = 31
#: ``SalesTaxCodeRef/FullName`` ("Tax", "Non"; 6 in the Australian edition, which we do not serve)
SALES_TAX_CODE = 3

# --- transactions ---------------------------------------------------------------------------

#: ``RefNumber`` of an invoice, sales receipt or sales order (most other transactions allow 20)
REF_NUMBER = 11
#: ``RefNumber`` of a received payment
PAYMENT_REF_NUMBER = 20
#: ``Memo`` of a transaction
MEMO = 4095
#: ``Desc`` of a transaction line or of an item's ``SalesOrPurchase``
LINE_DESC = 4095

# --- contact details ------------------------------------------------------------------------

#: ``CustomerAdd/CompanyName``
COMPANY_NAME = 41
#: ``CustomerAdd/FirstName`` and ``LastName``
PERSON_NAME = 25
#: ``CustomerAdd/Phone``
PHONE = 21
#: ``CustomerAdd/Email``
EMAIL = 1023

# --- addresses (``BillAddress``, ``ShipAddress``) -------------------------------------------

#: each of ``Addr1``…``Addr5``
ADDRESS_LINE = 41
#: how many ``AddrN`` lines an address has
ADDRESS_LINES = 5
#: ``City``
CITY = 31
#: ``State``
STATE = 21
#: ``PostalCode``
POSTAL_CODE = 13
#: ``Country``
COUNTRY = 31

# --- identifiers and envelope ---------------------------------------------------------------

#: ``TxnID`` and ``ListID`` (``IDTYPE``)
ID = 36
#: ``EditSequence``
EDIT_SEQUENCE = 16
#: each ``IncludeRetElement`` value
INCLUDE_RET_ELEMENT = 50
#: the ``requestID`` attribute: the schema leaves it unbounded, QuickBooks answers a longer one
#: with status 1060 (reference notes sections 1 and 4)
REQUEST_ID = 50
