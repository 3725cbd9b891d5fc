"""The Python 3.12 import shim for spyne 2.14, kept in one module (qbwc/compat.py)."""

import subprocess
import sys


def test_spyne_imports_on_this_python_through_the_shim():
    from saleor_qb_sync.qbwc.compat import spyne

    assert spyne.__version__ == "2.14.0"
    from spyne.util.oset import oset

    assert list(oset([1, 2, 1])) == [1, 2]


def test_without_the_shim_spyne_does_not_import_on_python_312():
    # given: a fresh interpreter that imports spyne directly
    code = "import spyne"

    # when
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)

    # then: if spyne ever fixes this upstream, the shim can go (this test will say so)
    assert result.returncode != 0, "spyne imports without the shim now; remove qbwc/compat.py"
    assert "spyne.util.six.moves" in result.stderr


def test_spyne_forces_no_garbage_collection_when_a_call_closes(client, configure, monkeypatch, db):
    # given: spyne would run gc.collect() at most once a second when a call closes
    import gc

    from .test_soap_service import envelope, post

    collections = []
    monkeypatch.setattr(gc, "collect", lambda *a: collections.append(a) or 0)

    # when: calls more than a second apart, as Web Connector makes them
    import spyne.context

    for _ in range(3):
        monkeypatch.setattr(spyne.context, "_LAST_GC_RUN", 0.0)  # "long ago"
        assert post(client, envelope("serverVersion")).status_code == 200

    # then: no full collection (spyne's); only the young generation, once per call, where the
    # collector's pause ends (qbwc/collection.py)
    assert collections == [(0,)] * 3
