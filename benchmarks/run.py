"""``make bench``: what a bookkeeper's patience and a store's database see, in numbers.

Prints one table. Nothing here asserts a time: the figures are for people (README, issue notes).

1. Server time per exported order (build, SOAP, database bookkeeping) for sessions of 100,
   1,000 and 10,000 orders. Our SOAP endpoint is called in-process through Django's WSGI
   handler and only those calls are timed; QuickBooks' work (the simulator) is not.
   Baseline in the same run: batching off (one order per request).
2. Web Connector round trips per 1,000 orders, first sync and steady state (names cached).
3. The longest single callback at the default batch size (Web Connector gives up at 120 s).
4. Preview latency (p50, p95) for a page of 100 among 100,000 orders, with and without
   previously exported orders, and queue-by-filter for 10,000 orders.
5. SOAP and GraphQL throughput with concurrent clients on loopback (bounded in count and time).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html import escape, unescape

from benchmarks.database import bench_database_url  # noqa: E402 - before Django reads it

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_qb_sync.standalone.settings")
# never DATABASE_URL itself: the benchmark empties its tables
os.environ["DATABASE_URL"] = bench_database_url(os.environ)

PASSWORD = "bench-password"  # noqa: S105 - a throwaway password for a local benchmark
URL = "/plugins/global/saleor_qb_sync/qbwc"
INTUIT = "http://developer.intuit.com/"
ROWS: list[tuple[str, str, str]] = []


def row(name: str, value: str, note: str = "") -> None:
    ROWS.append((name, value, note))
    print(f"  {name:<58} {value:>16}  {note}", flush=True)


def setup_django(preferences: dict) -> None:
    import django
    from django.conf import settings

    settings.SALEOR_QB_SYNC_PREFERENCES = preferences
    settings.ALLOWED_HOSTS = ["*"]
    django.setup()
    from saleor_qb_sync.standalone.manage import ensure_database

    ensure_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def set_preferences(**overrides) -> None:
    from django.conf import settings

    settings.SALEOR_QB_SYNC_PREFERENCES = {
        "web_connector_username": "quickbooks", "web_connector_password": PASSWORD,
        "export_mode": "on_demand", "check_duplicates": True, "orders_per_request": 50,
        **overrides}


def reset_tables(keep_orders: bool = False) -> None:
    from django.db import connection

    tables = ["saleor_qb_sync_exportedorder", "saleor_qb_sync_exportrecord",
              "saleor_qb_sync_messageset", "saleor_qb_sync_pendingoperationorder",
              "saleor_qb_sync_pendingoperation", "saleor_qb_sync_webconnectorsession",
              "saleor_qb_sync_quickbooksname", "saleor_qb_sync_authenticationattempt"]
    if not keep_orders:
        tables.append("qb_sync_standalone_sampleorder")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(tables) + " CASCADE")


# --- a minimal Web Connector that times only our server ----------------------------------------


def envelope(method: str, **params) -> bytes:
    body = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in params.items())
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap='
            f'"http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><{method} xmlns="{INTUIT}">'
            f"{body}</{method}></soap:Body></soap:Envelope>").encode()


def result_text(content: bytes, method: str) -> list[str]:
    from lxml import etree

    root = etree.fromstring(content)
    node = root.find(f".//{{{INTUIT}}}{method}Result")
    if node is None:
        raise RuntimeError(f"{method}: no result in {content[:300]!r}")
    strings = node.findall(f"{{{INTUIT}}}string")
    return [s.text or "" for s in strings] if strings else [node.text or ""]


class TimedSession:
    """Drives one Web Connector session; ``server_seconds`` counts only our endpoint."""

    def __init__(self, client, quickbooks) -> None:
        self.client, self.quickbooks = client, quickbooks
        self.server_seconds = 0.0
        self.longest = 0.0
        self.round_trips = 0

    def call(self, method: str, **params) -> list[str]:
        body = envelope(method, **params)
        started = time.perf_counter()
        response = self.client.generic("POST", URL, body, content_type="text/xml; charset=utf-8",
                                       HTTP_SOAPACTION=f'"{INTUIT}{method}"')
        elapsed = time.perf_counter() - started
        self.server_seconds += elapsed
        self.longest = max(self.longest, elapsed)
        if response.status_code != 200:
            raise RuntimeError(f"{method}: HTTP {response.status_code} {response.content[:300]!r}")
        return result_text(response.content, method)

    def run(self) -> str:
        self.call("serverVersion")
        self.call("clientVersion", strVersion="2.3.0.215")
        ticket, status = self.call("authenticate", strUserName="quickbooks",
                                   strPassword=PASSWORD)[:2]
        if status in ("none", "nvu", "busy"):
            return status
        hcp = self.quickbooks.hcp_response()
        while True:
            request = self.call("sendRequestXML", ticket=ticket, strHCPResponse=hcp,
                                strCompanyFileName="C:\\Company.QBW", qbXMLCountry="US",
                                qbXMLMajorVers=13, qbXMLMinorVers=0)[0]
            hcp = ""
            if not request:
                self.call("getLastError", ticket=ticket)
                break
            response = self.quickbooks.process(unescape(request) if "&lt;" in request[:40]
                                               else request)
            self.round_trips += 1
            percent = int(self.call("receiveResponseXML", ticket=ticket, response=response,
                                    hresult="", message="")[0])
            if percent >= 100 or percent < 0:
                break
        return self.call("closeConnection", ticket=ticket)[0]


def sync(count: int, *, seed: int, orders_per_request: int = 50, reuse_names: bool = False,
         start_number: int = 1, customers: int | None = None,
         check_duplicates: bool = True) -> TimedSession:
    from django.test import Client

    from saleor_qb_sync.standalone.host import StandaloneHost
    from saleor_qb_sync.standalone.order_source import store_sample_orders
    from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator
    from saleor_qb_sync.testing.sample_orders import generate_orders
    from saleor_qb_sync.transfers import Actor, queue_orders

    set_preferences(orders_per_request=orders_per_request, check_duplicates=check_duplicates)
    if not reuse_names:
        reset_tables()
    documents = [d for d in generate_orders(count, seed=seed, start_number=start_number,
                                            customers=customers)]
    for index, document in enumerate(documents):  # every order exportable
        if document.status not in ("unfulfilled", "fulfilled", "partially fulfilled"):
            documents[index] = type(document)(**{**{f: getattr(document, f) for f in
                                                    document.__dataclass_fields__},
                                                 "status": "fulfilled"})
    store_sample_orders(documents)
    host = StandaloneHost()
    queue_orders(host.order_source(), host.preferences(), Actor(email="bench@example.com"),
                 [d.order_id for d in documents])
    quickbooks = sync.quickbooks if reuse_names else QuickBooksSimulator()
    sync.quickbooks = quickbooks
    session = TimedSession(Client(), quickbooks)
    session.run()
    return session


def bench_sessions() -> None:
    print("\nServer time per exported order (simulator time excluded)")
    for count in (100, 1000, 10000):
        session = sync(count, seed=count)
        row(f"session of {count:,} orders: ms per order",
            f"{1000 * session.server_seconds / count:.2f}",
            f"{session.round_trips} round trips, longest callback {session.longest:.2f} s")
    baseline = sync(100, seed=100, orders_per_request=1)
    row("baseline, batching off (1 order/request), 100 orders: ms/order",
        f"{1000 * baseline.server_seconds / 100:.2f}", f"{baseline.round_trips} round trips")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row("peak memory of this process (server + simulator)", f"{peak_mb:.0f} MB", "ru_maxrss")


def bench_round_trips() -> None:
    print("\nWeb Connector round trips per 1,000 orders")
    first = sync(1000, seed=7, customers=200)
    row("first sync (customers and items unknown)", str(first.round_trips),
        f"longest callback {first.longest:.2f} s at the default batch size (50)")
    steady = sync(1000, seed=7, reuse_names=True, start_number=100_001, customers=200)
    row("steady state (same customers and items, names cached)", str(steady.round_trips),
        "check_duplicates on: one RefNumber look-up per batch")
    steady = sync(1000, seed=7, reuse_names=True, start_number=200_001, customers=200,
                  check_duplicates=False)
    row("steady state, check_duplicates off", str(steady.round_trips),
        "names cached, no look-ups: one round trip per batch")


def bench_preview() -> None:
    from saleor_qb_sync.models import ExportedOrder, ExportRecord
    from saleor_qb_sync.standalone.host import StandaloneHost
    from saleor_qb_sync.standalone.models import SampleOrder
    from saleor_qb_sync.standalone.order_source import store_sample_orders
    from saleor_qb_sync.testing.sample_orders import generate_orders
    from saleor_qb_sync.transfers import Actor, preview, queue_filter, transfer_filter

    print("\nPreview and queue among 100,000 orders")
    set_preferences()
    reset_tables()
    started = time.perf_counter()
    for chunk in range(10):
        store_sample_orders(generate_orders(10_000, seed=1000 + chunk,
                                            start_number=1 + chunk * 10_000,
                                            span_days=3650, customers=5000))
    loaded = time.perf_counter() - started
    row("orders in the sample table", f"{SampleOrder.objects.count():,}",
        f"generated and stored in {loaded:.0f} s")
    # half of them exported, so "exclude exported" has real work to do
    ids = list(SampleOrder.objects.order_by("number").values_list("order_id", "number")[::2])
    records = ExportRecord.objects.bulk_create(
        [ExportRecord(order_id=i, order_number=n, transaction_type="Invoice", ref_number=str(n),
                      txn_id=f"T{n}", state="done") for i, n in ids], batch_size=5000)
    ExportedOrder.objects.bulk_create(
        [ExportedOrder(order_id=r.order_id, order_number=r.order_number, record=r)
         for r in records], batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    host = StandaloneHost()
    staff = Actor(email="bench@example.com")
    for include in (False, True):
        flt = transfer_filter(host.preferences(), staff, include_exported=include,
                              date_from=date(2026, 1, 1), date_to=date(2035, 12, 31))
        timings = []
        for page in range(40):
            started = time.perf_counter()
            result = preview(host.order_source(), host.preferences(), flt,
                             offset=(page % 20) * 100, limit=100)
            timings.append(1000 * (time.perf_counter() - started))
        timings.sort()
        label = "including" if include else "excluding"
        row(f"preview page of 100, {label} exported: p50 / p95 ms",
            f"{statistics.median(timings):.0f} / {timings[int(0.95 * len(timings)) - 1]:.0f}",
            f"{result.total:,} matching orders")
    flt = transfer_filter(host.preferences(), staff, include_exported=True,
                          date_from=date(2026, 1, 1), date_to=date(2029, 1, 1))
    matches = len(host.order_source().search_ids(flt))
    started = time.perf_counter()
    operation = queue_filter(host.order_source(), staff, flt)
    row("queue by filter", f"{1000 * (time.perf_counter() - started):.0f} ms",
        f"{operation.items.count():,} orders in one pending operation (filter matched "
        f"{matches:,})")


def bench_throughput() -> None:
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    import requests
    from django.core.wsgi import get_wsgi_application

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    print("\nThroughput on loopback (threaded WSGI server, 8 clients, 5 s each)")
    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Server,
                         handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/plugins/global/saleor_qb_sync/"
    from django.conf import settings

    token = next(iter(settings.SALEOR_QB_SYNC_DEV_TOKENS))
    calls = {
        "SOAP serverVersion": lambda s: s.post(
            base + "qbwc", data=envelope("serverVersion"),
            headers={"Content-Type": "text/xml; charset=utf-8",
                     "SOAPAction": f'"{INTUIT}serverVersion"'}),
        "SOAP authenticate (wrong password: hash check)": lambda s: s.post(
            base + "qbwc", data=envelope("authenticate", strUserName="bench-throttle-free",
                                         strPassword="x"),
            headers={"Content-Type": "text/xml; charset=utf-8",
                     "SOAPAction": f'"{INTUIT}authenticate"'}),
        "GraphQL qbSyncStatus": lambda s: s.post(
            base + "graphql/", json={"query": "{ qbSyncStatus { exportMode queuedOrders } }"},
            headers={"Authorization": f"Bearer {token}"}),
    }
    for name, call in calls.items():
        deadline = time.perf_counter() + 5
        counts, errors = [], []

        def worker(call=call, deadline=deadline, counts=counts, errors=errors):
            done = 0
            with requests.Session() as session:
                session.trust_env = False
                while time.perf_counter() < deadline:
                    response = call(session)
                    if response.status_code != 200:
                        errors.append(response.status_code)
                    done += 1
            counts.append(done)

        with ThreadPoolExecutor(8) as pool:
            for _ in range(8):
                pool.submit(worker)
        row(f"{name}: requests/s", f"{sum(counts) / 5:.0f}",
            f"{len(errors)} non-200 answers")
    server.shutdown()


def main() -> int:
    setup_django({})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"saleor-qb-sync benchmarks: {os.cpu_count()} cores, PostgreSQL {version}, "
          f"Python {sys.version.split()[0]}")
    selected = sys.argv[1:] or ["sessions", "round_trips", "preview", "throughput"]
    for name in selected:
        globals()[f"bench_{name}"]()
    print("\n| measure | value | note |\n| --- | ---: | --- |")
    for name, value, note in ROWS:
        print(f"| {name} | {value} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
