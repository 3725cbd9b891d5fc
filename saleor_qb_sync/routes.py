"""The plugin's HTTP routes, shared by both hosts (Saleor's plugin ``webhook`` and standalone).

Everything lives under ``/plugins/global/saleor_qb_sync/``:

    qbwc          Web Connector SOAP endpoint (and ``?wsdl``); authenticated by QBWC user/password
    qwc           the .qwc file, for staff with MANAGE_ORDERS
    graphql/      our GraphQL API, for staff and apps with MANAGE_ORDERS
    app/...       the Dashboard extension (manifest and static files)

A ``Host`` supplies what differs between Saleor and the standalone server: preferences (read and
saved), the order source, the store's channels, and who the caller is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from .errors import AuthenticationError
from .models import Installation
from .order_source import OrderSource
from .preferences import Preferences
from .qbwc.callbacks import Engine
from .qbwc.qwc import QwcError, build_qwc
from .qbwc.service import soap_view
from .transfers import Actor

#: where both hosts mount the plugin's routes
ROUTE_PREFIX = "/plugins/global/saleor_qb_sync/"
#: the Saleor permission every staff-facing route requires
MANAGE_ORDERS = "MANAGE_ORDERS"
#: the Saleor permission changing the settings requires (as Saleor's plugin page does)
MANAGE_PLUGINS = "MANAGE_PLUGINS"


class Channel(NamedTuple):
    """A sales channel orders come from."""

    slug: str
    name: str


class Host(Protocol):
    def preferences(self) -> Preferences: ...

    def save_preferences(self, changes: Mapping[str, Any], actor: Actor) -> Preferences:
        """Change the preferences ``changes`` names (raw values, as the plugin configuration
        stores them) where the host keeps them, and return the preferences now in force.
        Validated as the plugin page validates (``Preferences.from_config``); raises
        ``PreferencesInvalid`` and saves nothing when the result would be invalid."""
        ...

    def order_source(self) -> OrderSource: ...

    def channels(self) -> list[Channel]:
        """The store's channels, by name."""
        ...

    def authenticate(self, request: HttpRequest) -> Actor:
        """The caller, who must hold MANAGE_ORDERS; raises ``AuthenticationError`` otherwise."""
        ...

    def has_permission(self, request: HttpRequest, permission: str) -> bool:
        """Whether the caller ``authenticate`` accepted for ``request`` also holds
        ``permission`` (e.g. ``MANAGE_PLUGINS``); False before authentication."""
        ...

    def notify_staff(self, subject: str, body: str) -> list[str]:
        """E-mail the active staff who hold MANAGE_ORDERS; returns their addresses."""
        ...


def base_url(request: HttpRequest) -> str:
    """Our routes' absolute URL. Saleor's ``PUBLIC_URL`` wins when set (Saleor builds every
    URL pointing to itself from it: behind a TLS-terminating proxy the request itself says
    http, which Web Connector refuses), else the request's own scheme and host."""
    public_url = getattr(settings, "PUBLIC_URL", None)
    if public_url:
        return urljoin(public_url, ROUTE_PREFIX)
    return request.build_absolute_uri(ROUTE_PREFIX)


def dispatch(request: HttpRequest, path: str, host: Host) -> HttpResponse:
    route = path.strip("/")
    if route == "qbwc":
        return soap_view(request, lambda: Engine(host.preferences(), host.order_source()))
    if route == "qwc":
        return qwc_view(request, host)
    if route == "graphql" or route.startswith("graphql/"):
        from .graphql.view import graphql_view

        return graphql_view(request, host)
    if route == "app" or route.startswith("app/"):
        from .dashboard import app_view

        return app_view(request, route[len("app"):].lstrip("/"))
    return JsonResponse({"error": "not_found", "message": f"No route {path!r}."}, status=404)


def auth_error_response(exc: AuthenticationError) -> JsonResponse:
    status = 403 if exc.code == "permission_denied" else 401
    return JsonResponse({"error": exc.code, "message": exc.message}, status=status)


def qwc_view(request: HttpRequest, host: Host) -> HttpResponse:
    if request.method != "GET":
        return JsonResponse({"error": "method_not_allowed"}, status=405)
    try:
        host.authenticate(request)
    except AuthenticationError as exc:
        return auth_error_response(exc)
    try:
        content = qwc_content(request, host.preferences())
    except QwcError as exc:
        return JsonResponse({"error": exc.code, "message": exc.message}, status=409)
    response = HttpResponse(content, content_type="application/x-qwc")
    response["Content-Disposition"] = 'attachment; filename="saleor-quickbooks.qwc"'
    return response


def qwc_content(request: HttpRequest, preferences: Preferences) -> bytes:
    installation = Installation.current()
    base = base_url(request)
    return build_qwc(app_url=base + "qbwc", support_url=base + "app/",
                     username=preferences.web_connector_username,
                     owner_id=str(installation.owner_id), file_id=str(installation.file_id),
                     run_every_minutes=preferences.run_every_minutes)
