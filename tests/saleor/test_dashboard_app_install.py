"""The Dashboard extension installs into a real Saleor with ``manage.py install_app``.

Saleor's own command fetches our manifest over HTTP from Saleor's live server (our route
``/plugins/global/saleor_qb_sync/app/manifest.json``), validates it (``clean_manifest_data``:
schema, ``requiredSaleorVersion``, permissions, extension URLs), creates the App with its
permissions and extensions, and POSTs the app token to our ``tokenTargetUrl``. The installed App's
tokens then work on our GraphQL route: its app JWT (``App.accessToken``) and the extension JWT that
Saleor's API hands the Dashboard (``AppExtension.accessToken``).

Saleor's test settings already let its hardened HTTP client reach loopback addresses
(``HTTP_IP_FILTER_ENABLED = False``, ``HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS = True``), and its pytest
configuration allows sockets to 127.0.0.1 / ::1, which is where ``live_server`` listens.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client
from saleor.app import installation_utils
from saleor.app.models import App, AppInstallation
from saleor.core.jwt import create_access_token_for_app

from saleor_qb_sync.dashboard import APP_ID, APP_NAME, APP_PATH

from .conftest import qb_graphql

# the live server runs in another thread: the plugin's configuration must be committed
pytestmark = pytest.mark.django_db(transaction=True)

STATUS = "{ qbSyncStatus { exportMode configurationComplete webConnectorUsername } }"

EXTENSIONS = """
{ appExtensions(first: 20) { edges { node {
    label mountName targetName url accessToken permissions { code }
} } } }
"""


def assert_status_answered(response):
    assert response.status_code == 200, response.content
    assert response.json()["data"]["qbSyncStatus"] == {
        "exportMode": "ON_DEMAND", "configurationComplete": True,
        "webConnectorUsername": "quickbooks"}


def _jwt_client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def installed_app(qb_plugin, live_server, mocker, settings):
    """Our app, installed by Saleor's ``install_app`` from the live server's manifest URL."""
    # Saleor's test settings set PUBLIC_URL to https://example.com, which the manifest would use
    settings.PUBLIC_URL = live_server.url + "/"
    app_url = live_server.url + APP_PATH
    send_app_token = mocker.spy(installation_utils, "send_app_token")

    output = call_command("install_app", app_url + "manifest.json", activate=True)

    app = App.objects.get(identifier=APP_ID)
    return app, app_url, send_app_token, output


def test_saleors_install_app_installs_our_manifest(installed_app):
    app, app_url, send_app_token, output = installed_app

    # the App, active and installed, as the manifest describes it
    assert app.name == APP_NAME
    assert app.is_active and app.is_installed
    assert app.type == "thirdparty"
    assert app.manifest_url == app_url + "manifest.json"
    assert app.app_url == app_url
    # MANAGE_PLUGINS too: the app's settings page saves through qbSettingsUpdate
    assert sorted(p.codename for p in app.permissions.all()) == ["manage_orders",
                                                                 "manage_plugins"]
    assert not AppInstallation.objects.exists()  # the command deletes the finished job

    # its extensions: Saleor stores mounts and targets in lower case
    extensions = {e.mount: e for e in app.extensions.all()}
    assert set(extensions) == {"navigation_orders", "order_overview_more_actions",
                               "order_details_more_actions"}
    for extension in extensions.values():
        assert [p.codename for p in extension.permissions.all()] == ["manage_orders"]
    # APP_PAGE extensions name a path inside the app ("/" is appUrl itself) ...
    assert extensions["navigation_orders"].target == "app_page"
    assert extensions["navigation_orders"].url == "/"
    # ... the POPUP one is absolute, under our route on the host the manifest was served from
    assert extensions["order_details_more_actions"].target == "popup"
    assert extensions["order_details_more_actions"].url == app_url + "?view=order"

    # the token target got the app token: Saleor POSTed it to our register route and accepted
    # the answer (a failing POST deletes the App and raises)
    send_app_token.assert_called_once()
    assert send_app_token.call_args.kwargs["target_url"] == app_url + "register"
    token = send_app_token.call_args.kwargs["token"]
    assert app.tokens.count() == 1
    assert app.tokens.get().token_last_4 == token[-4:]
    assert json.loads(output) == {"auth_token": token}


def test_the_installed_apps_tokens_use_our_graphql(installed_app, staff_api_client,
                                                    permission_manage_orders):
    app, app_url, _, _ = installed_app
    staff_user = staff_api_client.user
    staff_user.user_permissions.add(permission_manage_orders)

    # the app JWT the Dashboard hands the app's iframe (App.accessToken)
    assert_status_answered(
        qb_graphql(_jwt_client(create_access_token_for_app(app, staff_user)), STATUS))

    # the extensions as Saleor's API shows them to the Dashboard, with their extension JWTs
    response = staff_api_client.post_graphql(EXTENSIONS)
    content = json.loads(response.content)
    assert "errors" not in content, content
    nodes = {n["mountName"]: n for n in
             (e["node"] for e in content["data"]["appExtensions"]["edges"])}
    assert {"NAVIGATION_ORDERS", "ORDER_DETAILS_MORE_ACTIONS"} <= set(nodes)
    popup = nodes["ORDER_DETAILS_MORE_ACTIONS"]
    assert popup["targetName"] == "POPUP"
    assert popup["url"] == app_url + "?view=order"
    assert popup["permissions"] == [{"code": "MANAGE_ORDERS"}]
    for node in nodes.values():
        assert node["accessToken"], node
        assert_status_answered(qb_graphql(_jwt_client(node["accessToken"]), STATUS))
