"""One Web Connector update against the live server, with the QuickBooks simulator.

Usage: python run_web_connector.py <qbwc url>. The books are closed before 10 Jan 2026, so the
earliest sample orders fail (the history then has failures to show).

Prints one JSON line: how the update ended, its round trips and errors, ``transactions`` (how
many the simulated company holds) and ``recorded``, each of them as QuickBooks recorded it
(``Transaction.summary()``: type, RefNumber, customer, and every line's item, Desc, Quantity,
Rate, Amount and SalesTaxCodeRef), for a caller to compare with what it expected.
"""

import json
import os
import sys
from datetime import date

from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator, load_schema
from saleor_qb_sync.testing.web_connector import WebConnector

url = sys.argv[1]
schema_dir = os.environ.get("QBXML_SCHEMA_DIR")
schema = load_schema(schema_dir) if schema_dir and os.path.isdir(schema_dir) else None
quickbooks = QuickBooksSimulator(schema=schema)
quickbooks.closing_date = date(2026, 1, 10)
report = WebConnector(url, "quickbooks", os.environ.get("QBWC_PASSWORD", "development-password"),
                      quickbooks, wsdl=os.environ.get("QBWC_WSDL") or None,
                      sleep=lambda seconds: None).run_update()
print(json.dumps({
    "ended_by": str(report.ended_by),
    "round_trips": report.round_trips,
    "close_message": report.close_message,
    "transactions": len(quickbooks.transactions()),
    "recorded": [txn.summary() for txn in quickbooks.transactions()],
    "errors": report.errors,
}))
