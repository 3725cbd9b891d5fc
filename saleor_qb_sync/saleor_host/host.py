"""The Saleor host: the plugin's preferences, Saleor's orders, Saleor's authentication."""

from __future__ import annotations

from ..preferences import Preferences
from .auth import SaleorAuthenticator
from .orders import SaleorOrderSource


class SaleorHost:
    def __init__(self, preferences: Preferences) -> None:
        self._preferences = preferences
        self._authenticator = SaleorAuthenticator()

    def preferences(self) -> Preferences:
        return self._preferences

    def order_source(self) -> SaleorOrderSource:
        return SaleorOrderSource()

    def authenticate(self, request):
        return self._authenticator.authenticate(request)
