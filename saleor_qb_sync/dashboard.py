"""The Saleor Dashboard extension: the App manifest, the token target and the built front end.

Routes (under ``/plugins/global/saleor_qb_sync/app/``, see ``routes.py``):

    manifest.json   the App manifest Saleor installs from, built per request from Saleor's
                    ``PUBLIC_URL`` when set, else the host it is served on
                    (``routes.base_url``), so one build serves any store
    register        the manifest's ``tokenTargetUrl``: Saleor POSTs the app token here when the
                    app is installed; the plugin runs inside Saleor and never needs it, so it is
                    accepted and discarded
    (anything else) the front end built by ``dashboard-extension/`` (Vite) into
                    ``static/dashboard/``; ``""`` is ``index.html``

The Dashboard mounts the app at ``urlJoin(appUrl, location.search, "?domain=…")`` (url-join 4,
``src/extensions/urls.ts``), which drops the "/" before "?": it asks for ``…/app?domain=…``.
A page there would resolve the build's relative ``./assets/…`` one level too high, so every
``index.html`` we serve carries a ``<base href>`` naming the app's folder relative to the URL it
was asked for (``app/`` at ``…/app``, ``./`` at ``…/app/``): it works behind any path prefix.

Nothing here needs authentication: the manifest and the static files are public, like any App's,
and the front end calls our GraphQL API with the Dashboard's token (``graphql/view.py``).
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse

from . import __version__
from .routes import ROUTE_PREFIX, base_url

#: the App's identifier in Saleor (``App.identifier``); one installation per store
APP_ID = "saleor-qb-sync"
APP_NAME = "QuickBooks Desktop Sync"
#: the permission each extension needs (and the App asks for)
PERMISSION = "MANAGE_ORDERS"
#: the App also asks for MANAGE_PLUGINS: the token the Dashboard gives the app carries only the
#: permissions the staff member and the App both hold, and changing the settings in the app's
#: Settings tab needs it (as the plugin page does); staff without it see the settings read-only
APP_PERMISSIONS = [PERMISSION, "MANAGE_PLUGINS"]
#: where the Vite build lands; shipped as package data (``static/**/*``)
STATIC_ROOT = Path(__file__).resolve().parent / "static" / "dashboard"
#: where the app is served (``routes.dispatch`` sends ``app/...`` here)
APP_PATH = ROUTE_PREFIX + "app/"

#: exact types: Saleor's SecurityMiddleware sends ``X-Content-Type-Options: nosniff``, so a module
#: script or style sheet with a guessed or generic type is refused by the browser
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
}
#: Vite names files under ``assets/`` by their content hash: they never change
IMMUTABLE_PREFIX = "assets/"


def app_view(request: HttpRequest, subpath: str) -> HttpResponse:
    """Serve ``app/<subpath>``: the manifest, the token target, or a file of the front end."""
    if subpath == "manifest.json":
        if request.method not in ("GET", "HEAD"):
            return _method_not_allowed("GET, HEAD")
        response = JsonResponse(build_manifest(request))
        response["Cache-Control"] = "no-cache"
        return response
    if subpath == "register":
        if request.method != "POST":
            return _method_not_allowed("POST")
        # The body ({"auth_token": ...}) is deliberately never read, stored or logged.
        return JsonResponse({"success": True})
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed("GET, HEAD")
    if subpath in ("", "index.html"):
        return index_page(request)
    return static_file(subpath)


def index_page(request: HttpRequest) -> HttpResponse:
    """``index.html`` with a ``<base href>`` that points at the app's folder from this URL."""
    response = static_file("index.html")
    if response.status_code != 200:
        return response
    html = response.content.decode("utf-8")
    base = f'<base href="{app_base_href(request.path)}" />'
    head = html.find("<head>")
    if head == -1:
        html = base + html
    else:
        head += len("<head>")
        html = html[:head] + "\n    " + base + html[head:]
    response.content = html.encode("utf-8")
    return response


def app_base_href(path: str) -> str:
    """The app folder relative to ``path``: ``app/`` for ``…/app``, ``./`` inside it."""
    return "./" if path.endswith("/") or path.endswith("/index.html") else "app/"


def build_manifest(request: HttpRequest) -> dict:
    """The App manifest for the host this request came to.

    Mounts and targets are the ones every Saleor from 3.21 to 3.24 and its Dashboard accept;
    the POPUP URL is absolute (Saleor resolves relative ones against ``appUrl``'s path)."""
    # Saleor's PUBLIC_URL wins when set, as for the .qwc (routes.base_url): behind a proxy the
    # request's host is not the public one, and Saleor 3.22's HTTP client (requests-hardened
    # 1.2.1) drops a non-default port from the Host header it sends when fetching the manifest
    app_url = base_url(request) + APP_PATH[len(ROUTE_PREFIX):]
    return {
        "id": APP_ID,
        "version": __version__,
        "name": APP_NAME,
        "about": ("Transfer Saleor orders to QuickBooks Desktop through the QuickBooks Web "
                  "Connector: preview and queue orders, manage pending operations, read the "
                  "transfer history, set up Web Connector and choose the export settings."),
        "author": "saleor-qb-sync",
        "permissions": APP_PERMISSIONS,
        # ends in "/": Saleor resolves relative POPUP URLs with urljoin against its path
        "appUrl": app_url,
        # required by Saleor 3.21/3.22; the token it receives is discarded
        "tokenTargetUrl": app_url + "register",
        "requiredSaleorVersion": ">=3.21 <4",
        "dataPrivacy": "The app stores nothing outside Saleor's database.",
        "extensions": [
            {
                "label": "QuickBooks",
                "mount": "NAVIGATION_ORDERS",
                "target": "APP_PAGE",
                "url": "/",
                "permissions": [PERMISSION],
            },
            {
                "label": "Transfer to QuickBooks…",
                "mount": "ORDER_OVERVIEW_MORE_ACTIONS",
                "target": "APP_PAGE",
                "url": "/",
                "permissions": [PERMISSION],
            },
            {
                # the Dashboard adds ?orderId=<Order ID> to this URL
                "label": "QuickBooks export…",
                "mount": "ORDER_DETAILS_MORE_ACTIONS",
                "target": "POPUP",
                "url": app_url + "?view=order",
                "permissions": [PERMISSION],
            },
        ],
        "webhooks": [],
    }


def static_file(subpath: str) -> HttpResponse:
    path = resolve_static(subpath)
    if path is None:
        return JsonResponse({"error": "not_found", "message": f"No file {subpath!r}."},
                            status=404)
    response = HttpResponse(path.read_bytes(), content_type=content_type(path))
    response["X-Content-Type-Options"] = "nosniff"
    if subpath.startswith(IMMUTABLE_PREFIX):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response


def resolve_static(subpath: str, root: Path | None = None) -> Path | None:
    """The file ``subpath`` names inside ``root``, or None: refuses ``..``, absolute paths,
    backslashes, NUL and anything that resolves (through links) outside ``root``."""
    if not subpath or "\\" in subpath or "\x00" in subpath or subpath.startswith("/"):
        return None
    parts = subpath.split("/")
    if any(part in ("", ".", "..") or part.startswith("~") for part in parts):
        return None
    try:
        root = (root or STATIC_ROOT).resolve()
        candidate = root.joinpath(*parts).resolve()
    except (OSError, ValueError):
        return None
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def _method_not_allowed(allow: str) -> JsonResponse:
    response = JsonResponse({"error": "method_not_allowed"}, status=405)
    response["Allow"] = allow
    return response
