"""The plugin as Saleor sees it: discovered, migrated, configured with ``pluginUpdate``, active."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.hashers import check_password
from django.db import connection
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.manager import get_plugins_manager
from saleor.plugins.models import PluginConfiguration

from .conftest import PLUGIN_ID, PLUGIN_PATH, QBWC_PASSWORD, ROUTE, enable_plugin

PLUGIN_UPDATE = """
mutation pluginUpdate($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    plugin {
      id
      globalConfiguration { active configuration { name value type } }
    }
    errors { field code message }
  }
}
"""

PLUGIN_QUERY = """
query plugin($id: ID!) {
  plugin(id: $id) {
    id name description
    globalConfiguration { active configuration { name value type label helpText } }
    channelConfigurations { active }
  }
}
"""


def stored(name: str) -> str:
    row = PluginConfiguration.objects.get(identifier=PLUGIN_ID, channel=None)
    return {item["name"]: item["value"] for item in row.configuration}[name]


def test_saleor_discovers_the_plugin_through_its_entry_point(db):
    # the production setting (saleor.settings) lists our plugin after the built-ins; the test
    # settings empty PLUGINS but keep the entry point's Django app
    assert PLUGIN_PATH in django_settings.EXTERNAL_PLUGINS
    assert "saleor_qb_sync" in django_settings.INSTALLED_APPS
    assert apps.get_app_config("saleor_qb_sync")
    our_tables = {m._meta.db_table for m in apps.get_app_config("saleor_qb_sync").get_models()}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    assert our_tables and our_tables <= existing
    from django.db.migrations.recorder import MigrationRecorder

    assert MigrationRecorder.Migration.objects.filter(app="saleor_qb_sync").exists()


def test_the_manager_loads_the_plugin_inactive_until_configured(settings, db):
    # given
    enable_plugin(settings)

    # when
    plugin = get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID)

    # then
    assert plugin is not None
    assert plugin.active is False
    assert plugin.CONFIGURATION_PER_CHANNEL is False


def test_an_inactive_plugin_serves_nothing(qb_configure, client, manage_orders_staff_client):
    # given
    qb_configure(active=False)

    # when
    staff = manage_orders_staff_client
    responses = [client.get(ROUTE + "qbwc"), client.get(ROUTE + "qbwc?wsdl"),
                 staff.get(ROUTE + "qwc"),
                 staff.get(ROUTE + "graphql/?query={qbSyncStatus{exportMode}}")]

    # then
    assert [r.status_code for r in responses] == [404, 404, 404, 404]


def test_an_unconfigured_plugin_is_not_reachable(settings, client, db):
    # given: the plugin listed in PLUGINS but never configured (DEFAULT_ACTIVE is False)
    enable_plugin(settings)

    # when
    response = client.get(ROUTE + "qbwc")

    # then
    assert response.status_code == 404


def test_plugin_update_activates_and_stores_only_a_password_hash(
        settings, staff_api_client, permission_manage_plugins, client):
    # given: Saleor's production password hashers (its test settings use a dummy hasher
    # that keeps the password readable)
    import saleor.settings as saleor_settings

    settings.PASSWORD_HASHERS = saleor_settings.PASSWORD_HASHERS
    enable_plugin(settings)
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    variables = {"id": PLUGIN_ID, "input": {"active": True, "configuration": [
        {"name": "web_connector_username", "value": "qb-office"},
        {"name": "web_connector_password", "value": QBWC_PASSWORD},
        {"name": "export_mode", "value": "automatic"},
        {"name": "transaction_type", "value": "invoice"},
        {"name": "check_duplicates", "value": "false"},
    ]}}

    # when
    response = staff_api_client.post_graphql(PLUGIN_UPDATE, variables)

    # then
    data = get_graphql_content(response)["data"]["pluginUpdate"]
    assert data["errors"] == []
    config = {c["name"]: c for c in data["plugin"]["globalConfiguration"]["configuration"]}
    assert data["plugin"]["globalConfiguration"]["active"] is True
    assert config["export_mode"]["value"] == "automatic"
    assert config["web_connector_password"]["type"] == "PASSWORD"
    assert config["web_connector_password"]["value"] in ("", None)  # never sent back
    row = PluginConfiguration.objects.get(identifier=PLUGIN_ID, channel=None)
    assert row.active is True
    raw = {item["name"]: item["value"] for item in row.configuration}
    assert raw["web_connector_password"] != QBWC_PASSWORD
    assert QBWC_PASSWORD not in str(row.configuration)
    assert raw["web_connector_password"].startswith("pbkdf2_sha256$")
    assert check_password(QBWC_PASSWORD, raw["web_connector_password"])
    assert raw["check_duplicates"] is False
    plugin = get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID)
    assert plugin.active
    assert plugin.preferences.export_mode == "automatic"
    assert plugin.preferences.web_connector_username == "qb-office"
    # and the route answers now
    assert client.get(ROUTE + "qbwc").status_code == 200


def test_saving_again_without_the_password_keeps_the_hash(
        qb_plugin, staff_api_client, permission_manage_plugins):
    # given: what the Dashboard sends when the password box is left empty
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    before = stored("web_connector_password")

    # when
    response = staff_api_client.post_graphql(PLUGIN_UPDATE, {"id": PLUGIN_ID, "input": {
        "configuration": [{"name": "class_name", "value": "Web"}]}})

    # then
    assert get_graphql_content(response)["data"]["pluginUpdate"]["errors"] == []
    assert stored("web_connector_password") == before
    assert stored("class_name") == "Web"


def test_plugin_update_refuses_an_invalid_configuration_naming_the_field(
        qb_plugin, staff_api_client, permission_manage_plugins):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_plugins)

    # when
    response = staff_api_client.post_graphql(PLUGIN_UPDATE, {"id": PLUGIN_ID, "input": {
        "configuration": [{"name": "export_mode", "value": "sometimes"},
                          {"name": "orders_per_request", "value": "5000"}]}})

    # then
    data = get_graphql_content(response)["data"]["pluginUpdate"]
    # Saleor's mutations report fields in camelCase
    errors = {e["field"]: e for e in data["errors"]}
    assert set(errors) == {"exportMode", "ordersPerRequest"}
    assert "sometimes" in errors["exportMode"]["message"]
    assert "automatic" in errors["exportMode"]["message"]
    assert errors["exportMode"]["code"] == "INVALID"
    assert stored("export_mode") == "on_demand"  # nothing saved


def test_plugin_update_needs_manage_plugins(qb_plugin, staff_api_client):
    # when
    response = staff_api_client.post_graphql(PLUGIN_UPDATE, {"id": PLUGIN_ID, "input": {
        "active": False}})

    # then
    content = response.json()
    assert content["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert PluginConfiguration.objects.get(identifier=PLUGIN_ID).active is True


def test_the_dashboard_lists_the_plugin_with_labels_and_help(
        qb_plugin, staff_api_client, permission_manage_plugins):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_plugins)

    # when
    response = staff_api_client.post_graphql(PLUGIN_QUERY, {"id": PLUGIN_ID})

    # then
    plugin = get_graphql_content(response)["data"]["plugin"]
    assert plugin["name"] == "QuickBooks Desktop Sync (settings)"
    assert plugin["channelConfigurations"] is None or plugin["channelConfigurations"] == []
    fields = {c["name"]: c for c in plugin["globalConfiguration"]["configuration"]}
    assert fields["export_mode"]["label"] == "Export mode"
    assert fields["export_mode"]["helpText"]
    assert fields["web_connector_password"]["value"] in ("", None)


@pytest.mark.parametrize("path", ["qbwc", "qbwc?wsdl"])
def test_the_soap_route_answers_when_active(qb_plugin, client, path):
    # when
    response = client.get(ROUTE + path)

    # then
    assert response.status_code == 200
    if path.endswith("wsdl"):
        assert b"http://developer.intuit.com/" in response.content
        assert b"sendRequestXML" in response.content
    else:
        assert b"Web Connector" in response.content

