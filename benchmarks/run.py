"""``make bench``: what a bookkeeper's patience and a store's database see, in numbers.

Prints one table; each figure of this project stands beside the baseline measured in the same
run: the same engine with ``orders_per_request=1``, one order's transaction per message set
(its customer and item adds ride in the same set), which approximates a queue that sends one
request per Web Connector round trip. Nothing here asserts a time: the figures are for people
(README, issue notes).

1. Server time per exported order, wall and CPU, for sessions of 100, 1,000 and 10,000 orders
   (baseline at 100 and 1,000). Our SOAP endpoint is called in-process through Django's test
   client and only those calls are timed (``perf_counter`` and ``process_time``); QuickBooks'
   work (the simulator) is not. PostgreSQL's own CPU is read from ``/proc`` when it is local.
2. The longest sendRequestXML / receiveResponseXML at the default set size and at the largest
   allowed (``MAX_ORDERS_PER_REQUEST``).
3. Web Connector round trips per 1,000 orders: first sync, steady state (names cached) with
   and without ``check_duplicates``.
4. Peak RSS (``VmHWM``) and CPU time of a separate server process (``benchmarks/server.py``)
   through a whole session over HTTP, read from ``/proc`` before it stops.
5. Preview latency (p50, p95) for a page of 100 among 100,000 orders, with and without
   previously exported orders, and queue-by-filter for 10,000 orders.
6. SOAP and GraphQL throughput with concurrent clients on loopback (bounded in count and time).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html import escape, unescape

from benchmarks.database import bench_database_url  # noqa: E402 - before Django reads it
from benchmarks.measure import (
    cpu_seconds,
    markdown_table,
    nearest_rank,
    peak_rss_mb,
    per_order_ms,
    rss_mb,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_qb_sync.standalone.settings")
# never DATABASE_URL itself: the benchmark empties its tables
os.environ["DATABASE_URL"] = bench_database_url(os.environ)

PASSWORD = "bench-password"  # noqa: S105 - a throwaway password for a local benchmark
URL = "/plugins/global/saleor_qb_sync/qbwc"
INTUIT = "http://developer.intuit.com/"
#: the baseline: one order's transaction per message set
BASELINE = 1
ROWS: list[tuple[str, str, str, str, str]] = []
#: sessions measured once and read again by later sections: "default" (10,000 orders at the
#: default set size), "baseline" (1,000 orders, one per set)
KEPT: dict[str, TimedSession] = {}


def row(name: str, value: str, baseline: str = "n/a", target: str = "", note: str = "") -> None:
    ROWS.append((name, value, baseline, target, note))
    print(f"  {name:<62} {value:>10} {baseline:>10} {target:>12}  {note}", flush=True)


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


def preferences(**overrides) -> dict:
    # the sample orders' second and third channels are in PLN and EUR: converted for the
    # USD company, as a store selling in them would set it (without a rate they are refused)
    return {"web_connector_username": "quickbooks", "web_connector_password": PASSWORD,
            "export_mode": "on_demand", "check_duplicates": True,
            "exchange_rates": "PLN=0.25, EUR=1.08",
            # what is measured is the export; reading QuickBooks' lists (issue 15) is a step of
            # its own, at most once a day, and would add its round trips to the first sync's
            "lists_max_age_hours": 0, **overrides}


def set_preferences(**overrides) -> None:
    from django.conf import settings

    settings.SALEOR_QB_SYNC_PREFERENCES = preferences(**overrides)


def reset_tables(keep_orders: bool = False) -> None:
    from django.db import connection

    tables = ["saleor_qb_sync_followuprecord", "saleor_qb_sync_exportedorder",
              "saleor_qb_sync_exportrecord",
              "saleor_qb_sync_messageset", "saleor_qb_sync_pendingoperationorder",
              "saleor_qb_sync_pendingoperation", "saleor_qb_sync_webconnectorsession",
              "saleor_qb_sync_quickbooksname", "saleor_qb_sync_authenticationattempt",
              # preferences saved from the app would override the bench's
              "qb_sync_standalone_storedpreferences"]
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


#: (SOAP method, body) -> (HTTP status, response body)
Post = Callable[[str, bytes], tuple[int, bytes]]


def in_process(client) -> Post:
    def post(method: str, body: bytes) -> tuple[int, bytes]:
        response = client.generic("POST", URL, body, content_type="text/xml; charset=utf-8",
                                  HTTP_SOAPACTION=f'"{INTUIT}{method}"')
        return response.status_code, response.content
    return post


def over_http(session, port: int) -> Post:
    def post(method: str, body: bytes) -> tuple[int, bytes]:
        response = session.post(f"http://127.0.0.1:{port}{URL}", data=body, timeout=600,
                                headers={"Content-Type": "text/xml; charset=utf-8",
                                         "SOAPAction": f'"{INTUIT}{method}"'})
        return response.status_code, response.content
    return post


def database_backend() -> int | None:
    """The PostgreSQL backend of this process's connection (for its CPU time in /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class TimedSession:
    """Drives one Web Connector session. ``server_seconds`` (wall) and ``server_cpu`` (this
    process's CPU) count only our endpoint's calls; ``longest`` is the slowest sendRequestXML
    or receiveResponseXML, the callbacks that carry the work."""

    def __init__(self, post: Post, quickbooks) -> None:
        self.post, self.quickbooks = post, quickbooks
        self.server_seconds = 0.0
        self.server_cpu = 0.0
        self.longest = 0.0
        self.longest_method = ""
        self.authenticate = 0.0
        self.round_trips = 0
        self.sets: Counter[str] = Counter()
        #: the PostgreSQL backend's CPU seconds during the session (None: /proc does not say)
        self.db_cpu: float | None = None

    def call(self, method: str, **params) -> list[str]:
        body = envelope(method, **params)
        cpu, started = time.process_time(), time.perf_counter()
        status, content = self.post(method, body)
        elapsed = time.perf_counter() - started
        self.server_cpu += time.process_time() - cpu
        self.server_seconds += elapsed
        if method == "authenticate":
            self.authenticate = elapsed
        elif method in ("sendRequestXML", "receiveResponseXML") and elapsed > self.longest:
            self.longest, self.longest_method = elapsed, method
        if status != 200:
            raise RuntimeError(f"{method}: HTTP {status} {content[:300]!r}")
        return result_text(content, method)

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
            request = unescape(request) if "&lt;" in request[:40] else request
            self.sets["write" if "AddRq" in request else "look-up"] += 1
            response = self.quickbooks.process(request)
            self.round_trips += 1
            percent = int(self.call("receiveResponseXML", ticket=ticket, response=response,
                                    hresult="", message="")[0])
            if percent >= 100 or percent < 0:
                break
        return self.call("closeConnection", ticket=ticket)[0]

    def kinds(self) -> str:
        return f"{self.sets['write']} write + {self.sets['look-up']} look-up sets"


def prepare(count: int, *, seed: int, orders_per_request: int | None = None,
            reuse_names: bool = False, start_number: int = 1, customers: int | None = None,
            check_duplicates: bool = True) -> dict:
    """Store ``count`` exportable sample orders and queue them all in one pending operation;
    returns the preferences the server must use."""
    from saleor_qb_sync.standalone.host import StandaloneHost
    from saleor_qb_sync.standalone.order_source import store_sample_orders
    from saleor_qb_sync.testing.sample_orders import generate_orders
    from saleor_qb_sync.transfers import Actor, queue_orders

    overrides: dict = {"check_duplicates": check_duplicates}
    if orders_per_request:
        overrides["orders_per_request"] = orders_per_request
    set_preferences(**overrides)
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
    return preferences(**overrides)


def quickbooks_for(reuse_names: bool):
    from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator

    quickbooks = sync.quickbooks if reuse_names else QuickBooksSimulator()
    sync.quickbooks = quickbooks
    return quickbooks


def sync(count: int, *, seed: int, orders_per_request: int | None = None,
         reuse_names: bool = False, start_number: int = 1, customers: int | None = None,
         check_duplicates: bool = True) -> TimedSession:
    """One session of ``count`` orders through our endpoint in this process; ``db_cpu`` is the
    PostgreSQL backend's CPU seconds during it (None when /proc does not show it)."""
    from django.test import Client

    prepare(count, seed=seed, orders_per_request=orders_per_request, reuse_names=reuse_names,
            start_number=start_number, customers=customers, check_duplicates=check_duplicates)
    session = TimedSession(in_process(Client()), quickbooks_for(reuse_names))
    backend = database_backend()
    before = cpu_seconds(backend)
    session.run()
    after = cpu_seconds(backend)
    session.db_cpu = (after - before if before is not None and after is not None
                      and database_backend() == backend else None)
    return session


def db_cpu_ms(session: TimedSession, count: int) -> str:
    return "?" if session.db_cpu is None else per_order_ms(session.db_cpu, count)


def bench_sessions() -> None:
    print("\nServer time per exported order (simulator time excluded)")
    for count in (100, 1000, 10000):
        ours = sync(count, seed=count)
        base = sync(count, seed=count, orders_per_request=BASELINE) if count <= 1000 else None
        if base is not None:
            KEPT["baseline"] = base
            wall, cpu = (per_order_ms(base.server_seconds, count),
                         per_order_ms(base.server_cpu, count))
            rounds = f"baseline {base.round_trips}"
        else:
            wall = cpu = "not run"
            minutes = KEPT["baseline"].server_seconds / 1000 * count / 60
            rounds = f"baseline not run (about {minutes:.0f} min at its 1,000-order rate)"
        row(f"server wall ms per order, {count:,} orders",
            per_order_ms(ours.server_seconds, count), wall, "",
            f"{ours.round_trips} round trips ({ours.kinds()}), {rounds}; includes "
            f"authenticate's password hash, {ours.authenticate:.2f} s")
        row(f"server CPU ms per order, {count:,} orders", per_order_ms(ours.server_cpu, count),
            cpu, "≤ 1" if count == 10000 else "",
            f"our process; PostgreSQL's backend {db_cpu_ms(ours, count)} ms/order more"
            + (f" (baseline {db_cpu_ms(base, count)})" if base else ""))
        if count == 10000:
            KEPT["default"] = ours


def bench_callbacks() -> None:
    from saleor_qb_sync.preferences import MAX_ORDERS_PER_REQUEST, Preferences

    print("\nLongest callback (sendRequestXML / receiveResponseXML; Web Connector waits 120 s)")
    default = Preferences.from_config(preferences()).orders_per_request
    ours = KEPT.get("default") or sync(10000, seed=10000)
    base = KEPT.get("baseline") or sync(1000, seed=1000, orders_per_request=BASELINE)
    row(f"longest callback, default set ({default} orders), 10,000-order first sync",
        f"{ours.longest:.2f} s", f"{base.longest:.2f} s", "",
        f"{ours.longest_method}; baseline: its 1,000-order session")
    largest = sync(2000, seed=2000, orders_per_request=MAX_ORDERS_PER_REQUEST)
    row(f"longest callback, largest set ({MAX_ORDERS_PER_REQUEST} orders), 2,000-order first "
        "sync", f"{largest.longest:.2f} s", "n/a", "≤ 5 s",
        f"{largest.longest_method}; {largest.round_trips} round trips ({largest.kinds()}); "
        "the baseline's set is one order")


def bench_round_trips() -> None:
    print("\nWeb Connector round trips per 1,000 orders (200 customers)")
    results = {}
    for label, size in (("ours", None), ("baseline", BASELINE)):
        first = sync(1000, seed=7, customers=200, orders_per_request=size)
        steady = sync(1000, seed=7, reuse_names=True, start_number=100_001, customers=200,
                      orders_per_request=size)
        quiet = sync(1000, seed=7, reuse_names=True, start_number=200_001, customers=200,
                     check_duplicates=False, orders_per_request=size)
        results[label] = (first, steady, quiet)
    (first, steady, quiet), (b_first, b_steady, b_quiet) = results["ours"], results["baseline"]
    row("round trips per 1,000 orders: first sync (customers, items unknown)",
        str(first.round_trips), str(b_first.round_trips), "≤ 6",
        f"{first.kinds()}; longest callback {first.longest:.2f} s")
    row("round trips per 1,000 orders: steady state, check_duplicates on",
        str(steady.round_trips), str(b_steady.round_trips), "≤ 6",
        f"names cached; {steady.kinds()} (baseline {b_steady.kinds()})")
    row("round trips per 1,000 orders: steady state, check_duplicates off",
        str(quiet.round_trips), str(b_quiet.round_trips), "",
        f"names cached, no RefNumber look-ups; {quiet.kinds()}")


def served_session(count: int, *, seed: int, orders_per_request: int | None = None) -> dict:
    """A first sync of ``count`` orders through ``benchmarks/server.py`` over HTTP; the
    server's peak RSS (VmHWM) read before it stops, its RSS after start-up, its CPU."""
    import requests

    prefs = prepare(count, seed=seed, orders_per_request=orders_per_request)
    environ = {**os.environ, "BENCH_PREFERENCES": json.dumps(prefs)}
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.server"], env=environ,
                              stdout=subprocess.PIPE, text=True,
                              cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        port = int(server.stdout.readline())
        with requests.Session() as http:
            http.trust_env = False
            post = over_http(http, port)
            post("serverVersion", envelope("serverVersion"))  # the app loads lazily
            started_mb, cpu = rss_mb(server.pid), cpu_seconds(server.pid)
            session = TimedSession(post, quickbooks_for(False))
            started = time.perf_counter()
            session.run()
            wall = time.perf_counter() - started
            return {"peak": peak_rss_mb(server.pid), "start": started_mb, "wall": wall,
                    "cpu": (cpu_seconds(server.pid) - cpu) if cpu is not None else None,
                    "session": session}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def bench_memory() -> None:
    print("\nThe server as its own process (benchmarks/server.py, a whole session over HTTP)")

    def note(result: dict) -> str:
        return (f"{result['start']:.0f} MB after start-up; session {result['wall']:.0f} s with "
                "the simulator")

    def cpu(result: dict, count: int) -> str:
        return "?" if result["cpu"] is None else per_order_ms(result["cpu"], count)

    ours = served_session(1000, seed=1000)
    base = served_session(1000, seed=1000, orders_per_request=BASELINE)
    row("peak RSS of the server process, 1,000-order session", f"{ours['peak']:.0f} MB",
        f"{base['peak']:.0f} MB", "", f"VmHWM; {note(ours)}; baseline: {note(base)}")
    big = served_session(10000, seed=10000)
    row("peak RSS of the server process, 10,000-order session", f"{big['peak']:.0f} MB",
        "not run", "≤ 150 MB", f"VmHWM; {note(big)}")
    row("server process CPU ms per order, 1,000 orders over HTTP", cpu(ours, 1000),
        cpu(base, 1000), "", "the whole process (HTTP, a database connection per request); "
        "PostgreSQL's CPU not included")
    row("server process CPU ms per order, 10,000 orders over HTTP", cpu(big, 10000), "not run",
        "≤ 1", "as above")


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
    row("orders in the sample table", f"{SampleOrder.objects.count():,}", "n/a", "",
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
        # what autovacuum does to a store's database after a bulk load (it is off on some of
        # our machines): statistics, and the visibility map index-only scans need
        cursor.execute("VACUUM (ANALYZE)")
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
            f"{statistics.median(timings):.0f} / {nearest_rank(timings, 0.95):.0f}", "n/a",
            "p95 ≤ 100", f"{result.total:,} matching orders")
    flt = transfer_filter(host.preferences(), staff, include_exported=True,
                          date_from=date(2026, 1, 1), date_to=date(2029, 1, 1))
    matches = len(host.order_source().search_ids(flt))
    started = time.perf_counter()
    operation = queue_filter(host.order_source(), staff, flt)
    row("queue by filter", f"{1000 * (time.perf_counter() - started):.0f} ms", "n/a", "",
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
            # a new user name each time: the throttle counts failures per address and user
            # name, so every call reaches the password hash instead of the throttle's "busy"
            base + "qbwc", data=envelope("authenticate", strUserName=f"bench-{uuid.uuid4().hex}",
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
        row(f"{name}: requests/s", f"{sum(counts) / 5:.0f}", "n/a", "",
            f"{len(errors)} non-200 answers")
    server.shutdown()


def main() -> int:
    setup_django({})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"saleor-qb-sync benchmarks: {os.cpu_count()} cores, PostgreSQL {version}, "
          f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}; columns: "
          f"this project, baseline (orders_per_request={BASELINE}), target")
    selected = sys.argv[1:] or ["sessions", "callbacks", "round_trips", "memory", "preview",
                                "throughput"]
    started = time.perf_counter()
    for name in selected:
        globals()[f"bench_{name}"]()
    print(f"\n{markdown_table(ROWS)}\n\n({(time.perf_counter() - started) / 60:.0f} min; "
          f"load average {os.getloadavg()[0]:.1f} at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
