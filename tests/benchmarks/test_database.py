"""``make bench`` uses its own database, whatever ``DATABASE_URL`` says."""

from __future__ import annotations

import pytest

from benchmarks.database import bench_database_url


@pytest.mark.parametrize(("environ", "expected"), [
    ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/saleor_qb_sync"},
     "postgres://postgres@127.0.0.1:5432/saleor_qb_sync_bench"),
    ({"DATABASE_URL": "postgres://u:p@db.example:6543/shop?sslmode=require"},
     "postgres://u:p@db.example:6543/saleor_qb_sync_bench?sslmode=require"),
    ({}, "postgres://postgres@127.0.0.1:5432/saleor_qb_sync_bench"),
    ({"DATABASE_URL": "postgres://x@h/shop", "BENCH_DATABASE_URL": "postgres://x@h/mine"},
     "postgres://x@h/mine"),
])
def test_the_bench_never_uses_the_developers_database(environ, expected):
    assert bench_database_url(environ) == expected


def test_make_bench_passes_the_developers_database_url_but_the_bench_replaces_it():
    # the Makefile exports DATABASE_URL for every target; the bench must not inherit it
    import subprocess
    import sys
    from pathlib import Path

    code = ("import os; os.environ['DATABASE_URL'] = 'postgres://postgres@127.0.0.1:5432/"
            "saleor_qb_sync'; import benchmarks.run; print(os.environ['DATABASE_URL'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[2]).stdout.strip()
    assert out.endswith("/saleor_qb_sync_bench")
