"""Who is calling our routes inside Saleor: staff JWTs, app and app-extension JWTs, app tokens.

Saleor does not authenticate plugin routes, so we do it with Saleor's own helpers (the same
ones its ``/graphql/`` view uses). Every caller needs MANAGE_ORDERS; changing the settings also
needs MANAGE_PLUGINS (``has_permission``: a Dashboard app's token carries the permissions the
staff member and the app both hold, as Saleor computes them). Staff whose groups are
restricted to some channels see only those channels; an app or app-extension JWT must belong to
our own app (identifier ``APP_IDENTIFIER``) and that app must be active.
"""

from __future__ import annotations

import jwt
from django.http import HttpRequest
from saleor.app.models import App
from saleor.core.auth import get_token_from_request
from saleor.core.jwt import jwt_decode
from saleor.graphql.app.dataloaders import get_app_promise
from saleor.graphql.context import clear_context, get_context_value, get_user
from saleor.permission.enums import OrderPermissions, PluginsPermissions

from ..errors import AuthenticationError
from ..saleor_ids import InvalidGlobalId, from_global_id
from ..transfers import Actor

#: the identifier of our Dashboard extension's manifest (``dashboard-extension``)
APP_IDENTIFIER = "saleor-qb-sync"
#: our permission names (``routes.MANAGE_ORDERS``, ``routes.MANAGE_PLUGINS``) as Saleor's
PERMISSIONS = {
    "MANAGE_ORDERS": OrderPermissions.MANAGE_ORDERS,
    "MANAGE_PLUGINS": PluginsPermissions.MANAGE_PLUGINS,
}
#: where ``authenticate`` leaves the accepted user or app on the request
_REQUESTOR = "qb_sync_requestor"


class SaleorAuthenticator:
    def authenticate(self, request: HttpRequest) -> Actor:
        token = get_token_from_request(request)
        if not token:
            raise AuthenticationError("Sign in: this needs a staff or app token.",
                                      code="unauthenticated")
        # Saleor sets request.app only on /graphql/; a 30-character app token is looked up here
        request.app = get_app_promise(request).get()
        context = get_context_value(request)
        try:
            # context.user is a lazy object: evaluate it here (Saleor's get_user, which the lazy
            # object would call), so a forged, expired or deactivated user's token raises
            # PyJWTError inside this try and not later in a resolver
            requestor = request.app or get_user(context)
        except jwt.PyJWTError:
            raise AuthenticationError("The token is invalid or expired.",
                                      code="unauthenticated") from None
        finally:
            clear_context(context)
        if requestor is None or getattr(requestor, "is_anonymous", False):
            raise AuthenticationError("The token is invalid or expired.", code="unauthenticated")
        if isinstance(requestor, App):
            actor = self._app_actor(requestor)
        else:
            self._check_app_of_third_party_token(token)
            if not requestor.has_perm(OrderPermissions.MANAGE_ORDERS):
                raise AuthenticationError("You need the MANAGE_ORDERS permission.",
                                          code="permission_denied")
            actor = Actor(user_id=str(requestor.pk), email=requestor.email,
                          channels=accessible_channels(requestor))
        setattr(request, _REQUESTOR, requestor)
        return actor

    def has_permission(self, request: HttpRequest, permission: str) -> bool:
        """Whether the caller ``authenticate`` accepted holds ``permission`` too."""
        requestor = getattr(request, _REQUESTOR, None)
        if requestor is None or permission not in PERMISSIONS:
            return False
        return bool(requestor.has_perm(PERMISSIONS[permission]))

    def _app_actor(self, app: App) -> Actor:
        if not app.is_active or not app.has_perm(OrderPermissions.MANAGE_ORDERS):
            raise AuthenticationError("The app needs the MANAGE_ORDERS permission.",
                                      code="permission_denied")
        return Actor(app=app.name or app.identifier or str(app.pk))

    def _check_app_of_third_party_token(self, token: str) -> None:
        """An app or app-extension JWT (type "thirdparty") must be minted for our own app."""
        try:
            payload = jwt_decode(token)
        except jwt.PyJWTError:
            raise AuthenticationError("The token is invalid or expired.",
                                      code="unauthenticated") from None
        if payload.get("type") != "thirdparty":
            return
        try:
            type_name, pk = from_global_id(str(payload.get("app", "")))
        except InvalidGlobalId:
            type_name, pk = "", ""
        app = App.objects.filter(pk=pk).first() if type_name == "App" and pk.isdigit() else None
        if app is None or not app.is_active or app.identifier != APP_IDENTIFIER:
            raise AuthenticationError(
                "This token was issued to another app; open QuickBooks sync from its own "
                "Dashboard entry.", code="permission_denied")


def accessible_channels(user) -> tuple[str, ...] | None:
    """Channel slugs a staff user may see; None when no group restricts them."""
    if user.is_superuser:
        return None
    groups = list(user.groups.all().prefetch_related("channels"))
    if not groups or any(not g.restricted_access_to_channels for g in groups):
        return None
    return tuple(sorted({channel.slug for g in groups for channel in g.channels.all()}))
