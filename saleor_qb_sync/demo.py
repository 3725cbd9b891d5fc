"""``make demo``: a dry run of the whole export on this machine, no Saleor or QuickBooks needed.

It prepares the standalone database, loads sample orders (generated ones plus the real Saleor
sample when it is present), queues a transfer as a staff user would, serves our SOAP endpoint on
127.0.0.1, and runs the Web Connector emulator against it with the QuickBooks simulator behind.
Then it prints what a bookkeeper wants to know and writes every qbXML message set to
``demo-output/``.
"""

from __future__ import annotations

import os
import sys
import textwrap
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

DEMO_PASSWORD = "demo-password"  # noqa: S105 - a throwaway password for a local demo
OUTPUT = Path("demo-output")
#: the SOAP 1.1 binding in our server's own WSDL (spyne names it after the service)
OUR_BINDING = "{http://developer.intuit.com/}QBWebConnectorSvc"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_qb_sync.standalone.settings")
    import django
    from django.conf import settings

    settings.SALEOR_QB_SYNC_PREFERENCES = {
        "web_connector_username": "quickbooks", "web_connector_password": DEMO_PASSWORD,
        "export_mode": "on_demand", "check_duplicates": True, "ref_number_prefix": "S",
        "orders_per_request": 50, "company_currency": "USD",
        "exchange_rates": "PLN=0.25, EUR=1.08",
    }
    django.setup()
    from saleor_qb_sync.standalone.manage import ensure_database

    ensure_database()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)

    from saleor_qb_sync.models import ExportRecord, ExportState
    from saleor_qb_sync.standalone.host import StandaloneHost
    from saleor_qb_sync.standalone.models import SampleOrder
    from saleor_qb_sync.standalone.order_source import store_sample_orders
    from saleor_qb_sync.testing import intuit_files
    from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator
    from saleor_qb_sync.testing.saleor_sample import load_sample_orders, sample_path
    from saleor_qb_sync.testing.sample_orders import generate_orders
    from saleor_qb_sync.testing.web_connector import SOAP11_BINDING, WebConnector
    from saleor_qb_sync.transfers import Actor, queue_filter, transfer_filter

    _reset_demo_tables()
    documents = generate_orders(200, seed=2026, start_number=1001)
    if sample_path().exists():
        documents += load_sample_orders()
    store_sample_orders(documents)
    host = StandaloneHost()
    preferences = host.preferences()
    staff = Actor(email="demo-staff@example.com")
    operation = queue_filter(host.order_source(), staff, transfer_filter(preferences, staff))
    queued = operation.items.count()

    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=WSGIServer,
                         handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/plugins/global/saleor_qb_sync/qbwc"

    schema_found = intuit_files.schema_dir() is not None
    if not schema_found:
        print(f"NOTE: running without qbXML schema validation ({intuit_files.SCHEMA_HELP}).")
    wsdl, binding = intuit_files.wsdl_path(), SOAP11_BINDING
    if wsdl is None:
        wsdl, binding = _our_wsdl(url), OUR_BINDING
        print("NOTE: the Web Connector emulator speaks from our server's own WSDL "
              f"({intuit_files.WSDL_HELP}).")
    quickbooks = QuickBooksSimulator(validate_schema=schema_found)
    quickbooks.closing_date = date(2026, 1, 10)  # books closed: a few early orders are refused
    started = time.perf_counter()
    report = WebConnector(url, "quickbooks", DEMO_PASSWORD, quickbooks, wsdl=wsdl,
                          binding=binding).run_update()
    elapsed = time.perf_counter() - started
    server.shutdown()

    OUTPUT.mkdir(exist_ok=True)
    for index, (request, response) in enumerate(zip(report.requests_sent, report.responses,
                                                    strict=False), start=1):
        (OUTPUT / f"{index:03d}-request.xml").write_text(request, encoding="utf-8")
        (OUTPUT / f"{index:03d}-response.xml").write_text(response, encoding="utf-8")

    done = ExportRecord.objects.filter(state=ExportState.DONE)
    failed = ExportRecord.objects.filter(state=ExportState.FAILED)
    by_type = Counter(done.values_list("transaction_type", flat=True))
    print(f"\nsaleor-qb-sync demo: {SampleOrder.objects.count()} sample orders, "
          f"{queued} eligible orders queued by {staff.email}")
    print(f"Web Connector session: {report.ended_by}, {report.round_trips} round trips, "
          f"{elapsed:.1f} s; Web Connector shows: {report.close_message!r}")
    print("\nExported to QuickBooks:")
    for kind, count in sorted(by_type.items()):
        print(f"  {kind:<14} {count:>5}")
    total_qb = sum((t.total_amount for t in quickbooks.transactions()), start=0)
    print(f"  QuickBooks now holds {len(quickbooks.transactions())} transactions "
          f"worth {total_qb} (all currencies)")
    if failed.exists():
        print(f"\nFailed ({failed.count()}), with what to do:")
        for record in failed.order_by("order_number")[:10]:
            print(f"  order #{record.order_number}: {record.status_message}")
            if record.action:
                print(textwrap.fill(record.action, width=96, initial_indent="      -> ",
                                    subsequent_indent="         "))
    from saleor_qb_sync import quickbooks_lists

    read = [f"{row.count} {row.label.lower()}" for row in quickbooks_lists.summaries()
            if row.pulled_at is not None or row.count]
    if read:
        print("\nQuickBooks lists read at the end of the session: " + ", ".join(read))
    print(f"\nThe qbXML of every round trip is in {OUTPUT.resolve()}/")
    return 0


def _our_wsdl(url: str) -> str:
    """Our endpoint's WSDL (``?wsdl``) in a file, for the emulator when Intuit's is absent: it
    names the same operations, messages and namespace (``qbwc/service.py``)."""
    import tempfile
    import urllib.request

    with urllib.request.urlopen(url + "?wsdl", timeout=30) as answer:  # noqa: S310 - loopback
        content = answer.read()
    path = Path(tempfile.mkdtemp(prefix="saleor-qb-sync-demo-")) / "service.wsdl"
    path.write_bytes(content)
    return str(path)


def _reset_demo_tables() -> None:
    from saleor_qb_sync import models, quickbooks_lists
    from saleor_qb_sync.standalone.models import SampleOrder, StoredPreferences

    quickbooks_lists.forget_all()

    models.ExportedOrder.objects.all().delete()
    # settings saved from the app under make serve would override the demo's own
    for model in (models.ExportRecord, models.MessageSet, models.PendingOperation,
                  models.WebConnectorSession, models.QuickBooksName,
                  models.AuthenticationAttempt, models.LoginThrottle, SampleOrder,
                  StoredPreferences):
        model.objects.all().delete()


if __name__ == "__main__":
    sys.exit(main())
