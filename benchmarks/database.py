"""The benchmark's own database: ``make bench`` TRUNCATEs tables, so it never runs on the
database named by ``DATABASE_URL`` (the developer's, with their sample orders), only on a
database of the same server named ``saleor_qb_sync_bench``, or on ``BENCH_DATABASE_URL``."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

BENCH_DATABASE = "saleor_qb_sync_bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"


def bench_database_url(environ: Mapping[str, str]) -> str:
    """``BENCH_DATABASE_URL`` when set, else ``DATABASE_URL``'s server with our database."""
    explicit = environ.get("BENCH_DATABASE_URL", "").strip()
    if explicit:
        return explicit
    parts = urlsplit(environ.get("DATABASE_URL", "").strip() or DEFAULT_SERVER)
    return urlunsplit((parts.scheme, parts.netloc, "/" + BENCH_DATABASE, parts.query, ""))
