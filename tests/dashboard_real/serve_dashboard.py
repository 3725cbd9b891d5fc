"""Serve a built Saleor Dashboard as a single-page app, pointed at one Saleor.

    python3 serve_dashboard.py --root <build/dashboard> --api-url http://127.0.0.1:9324/graphql/ \
        [--host 127.0.0.1] [--port 9400]

The Dashboard bakes ``API_URL`` into ``index.html`` (``window.__SALEOR_CONFIG__``, from
``vite-plugin-html``); ``build_dashboard`` builds it with the placeholder ``PLACEHOLDER`` and this
server writes the real URL in when it sends ``index.html``, so one build serves any Saleor.
Every path that is not a file is answered with ``index.html`` (the Dashboard routes in the
browser: ``/orders/<id>``, ``/extensions/app/<id>``, ...). Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import mimetypes
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: what ``build_dashboard`` passes as API_URL; replaced per response
PLACEHOLDER = "__QB_SYNC_API_URL__"

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("font/woff2", ".woff2")


def make_handler(root: Path, api_url: str):
    index = (root / "index.html").read_text(encoding="utf-8")
    if PLACEHOLDER not in index:
        raise SystemExit(f"{root}/index.html has no {PLACEHOLDER}: not built by build_dashboard")
    # a JSON string literal is a valid JS string literal; strip its quotes (the HTML has them)
    index_bytes = index.replace(PLACEHOLDER, json.dumps(api_url)[1:-1]).encode("utf-8")

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, fmt, *args):  # quiet unless something fails
            if args and str(args[1] if len(args) > 1 else "").startswith(("4", "5")):
                sys.stderr.write("[dashboard-server] " + (fmt % args) + "\n")

        def _send_index(self, head: bool) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(index_bytes)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if not head:
                self.wfile.write(index_bytes)

        def _route(self, head: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            rel = path.lstrip("/")
            candidate = (root / rel).resolve() if rel else root / "index.html"
            inside = candidate.is_relative_to(root)
            if not rel or rel == "index.html" or not inside or not candidate.is_file():
                # SPA fallback; a missing *asset* still gets 404 so broken builds show up
                if inside and "." in rel.rsplit("/", 1)[-1] and not rel.endswith(".html"):
                    self.send_error(HTTPStatus.NOT_FOUND)
                    return
                self._send_index(head)
                return
            if head:
                super().do_HEAD()
            else:
                super().do_GET()

        def do_GET(self):  # noqa: N802
            self._route(head=False)

        def do_HEAD(self):  # noqa: N802
            self._route(head=True)

        def end_headers(self):
            if "/assets/" in self.path or self.path.endswith((".js", ".css")):
                self.send_header("Cache-Control", "public, max-age=3600")
            super().end_headers()

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9400)
    args = parser.parse_args()
    root = args.root.resolve()
    server = ThreadingHTTPServer((args.host, args.port), make_handler(root, args.api_url))
    print(f"[dashboard-server] {root} on http://{args.host}:{args.port}/ "
          f"(API_URL {args.api_url})", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
