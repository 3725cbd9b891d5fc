"""The server process of ``make bench``'s memory figure: the standalone host's WSGI app alone,
served by wsgiref on 127.0.0.1 (one request at a time, as Web Connector sends them), so the
process's peak RSS is our server's and not the simulator's.

``python -m benchmarks.server`` reads the preferences as JSON from ``BENCH_PREFERENCES``, uses
the bench's database (never ``DATABASE_URL`` itself, see :mod:`benchmarks.database`), prints
the port it listens on, then serves until it is terminated (SIGTERM).
"""

from __future__ import annotations

import json
import os
import sys

from benchmarks.database import bench_database_url


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_qb_sync.standalone.settings")
    os.environ["DATABASE_URL"] = bench_database_url(os.environ)
    import django
    from django.conf import settings

    settings.SALEOR_QB_SYNC_PREFERENCES = json.loads(os.environ["BENCH_PREFERENCES"])
    django.setup()
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    print(server.server_port, flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
