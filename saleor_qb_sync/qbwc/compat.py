"""Make spyne 2.14 importable on Python 3.12; the only place that knows about this problem.

spyne 2.14 (its latest release) vendors an old ``six`` whose ``six.moves`` importer implements
only ``find_module``, which Python 3.12 no longer calls, so ``import spyne`` fails with
"No module named 'spyne.util.six.moves'" (arskom/spyne#700, #708, #711). spyne imports exactly
the ``six.moves`` submodules listed below; we register the standard-library modules they stand
for under those names before spyne is imported. Nothing of spyne is patched.

It also turns off spyne's forced ``gc.collect()``: spyne runs a full collection when a call
closes, at most once a second (``spyne.const.MIN_GC_INTERVAL``), to return the file descriptors
of uploads it keeps; we take no uploads, and a full collection costs ~100 ms in a big session
(13 % of its time in the profile of issue 13). Python's own generational collector still runs.

Import spyne only through this module (``from .compat import spyne, soap, wsgi``): the imports
below are ``importlib`` calls on purpose, so no import sorter can move them above the aliases.
"""

from __future__ import annotations

import collections.abc
import http.cookies
import importlib
import sys
import urllib
import urllib.error
import urllib.parse
import urllib.request

#: ``spyne.util.six.moves.<name>`` → the standard-library module it stands for on Python 3
SIX_MOVES_ALIASES = {
    "collections_abc": collections.abc,
    "http_cookies": http.cookies,
    "urllib": urllib,
    "urllib.parse": urllib.parse,
    "urllib.request": urllib.request,
    "urllib.error": urllib.error,
}
VENDORED_MOVES = "spyne.util.six.moves"


def install_six_moves_aliases() -> None:
    for name, module in SIX_MOVES_ALIASES.items():
        sys.modules.setdefault(f"{VENDORED_MOVES}.{name}", module)


install_six_moves_aliases()
spyne = importlib.import_module("spyne")
soap = importlib.import_module("spyne.protocol.soap")
wsgi = importlib.import_module("spyne.server.wsgi")
#: never: spyne compares "seconds since the last forced collection" with this
importlib.import_module("spyne.const").MIN_GC_INTERVAL = float("inf")
