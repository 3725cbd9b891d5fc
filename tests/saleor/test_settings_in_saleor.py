"""The app's settings inside Saleor: ``qbSettingsUpdate`` writes the plugin configuration.

What the app saves is what Saleor's own ``plugin(id: "saleor_qb_sync")`` answers afterwards (one
source of truth), through the plugin's validation and password hashing; changing the settings
needs MANAGE_PLUGINS, also in the token the Dashboard mints for our app.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from saleor.app.models import App
from saleor.core.jwt import create_access_token_for_app
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.models import PluginConfiguration

from .conftest import PLUGIN_ID, qb_graphql

UPDATE = """
mutation Update($input: QbSettingsInput!) {
  qbSettingsUpdate(input: $input) {
    settings { exportMode eligibleStatuses channels canEdit webConnectorPasswordSet }
    errors { field message code }
  }
}
"""
SETTINGS = "{ qbSettings { exportMode transactionType channels canEdit } }"
CHANNELS = "{ qbChannels { slug name } }"
PLUGIN_QUERY = """
query plugin($id: ID!) {
  plugin(id: $id) { globalConfiguration { active configuration { name value } } }
}
"""


def saleor_configuration(client) -> dict:
    """The plugin's configuration as Saleor's own GraphQL API answers it."""
    content = get_graphql_content(client.post_graphql(PLUGIN_QUERY, {"id": PLUGIN_ID}))
    configuration = content["data"]["plugin"]["globalConfiguration"]
    assert configuration["active"] is True
    return {item["name"]: item["value"] for item in configuration["configuration"]}


def stored(name: str):
    row = PluginConfiguration.objects.get(identifier=PLUGIN_ID, channel=None)
    return {item["name"]: item["value"] for item in row.configuration}[name]


def test_a_change_is_what_saleors_plugin_query_answers(
        qb_plugin, staff_api_client, permission_manage_orders, permission_manage_plugins,
        channel_USD):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_orders,
                                               permission_manage_plugins)

    # when
    response = qb_graphql(staff_api_client, UPDATE, {"input": {
        "exportMode": "AUTOMATIC", "transactionType": "INVOICE",
        "eligibleStatuses": ["FULFILLED", "PARTIALLY_FULFILLED"],
        "channels": [channel_USD.slug], "checkDuplicates": False}})

    # then
    payload = response.json()["data"]["qbSettingsUpdate"]
    assert payload["errors"] == []
    assert payload["settings"]["exportMode"] == "AUTOMATIC"
    configuration = saleor_configuration(staff_api_client)
    assert configuration["export_mode"] == "automatic"
    assert configuration["transaction_type"] == "invoice"
    assert configuration["eligible_statuses"] == "fulfilled,partially fulfilled"
    assert configuration["channels"] == channel_USD.slug
    assert configuration["check_duplicates"] == "false"  # Saleor's API prints values as text
    assert stored("check_duplicates") is False  # stored as the plugin page stores a boolean
    assert configuration["orders_per_request"] == "10"  # untouched
    # the next request's plugin (loaded afresh from Saleor) has the new settings
    again = qb_graphql(staff_api_client, SETTINGS).json()["data"]["qbSettings"]
    assert again == {"exportMode": "AUTOMATIC", "transactionType": "INVOICE",
                     "channels": [channel_USD.slug], "canEdit": True}


def test_an_invalid_value_is_refused_by_field_and_saleor_keeps_the_old_one(
        qb_plugin, staff_api_client, permission_manage_orders, permission_manage_plugins):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_orders,
                                               permission_manage_plugins)

    # when
    response = qb_graphql(staff_api_client, UPDATE, {"input": {
        "exportMode": "AUTOMATIC", "ordersPerRequest": 0}})

    # then
    errors = response.json()["data"]["qbSettingsUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("ordersPerRequest", "OUT_OF_RANGE")]
    assert saleor_configuration(staff_api_client)["export_mode"] == "on_demand"


def test_a_new_password_is_hashed_by_the_plugin(
        qb_plugin, staff_api_client, permission_manage_orders, permission_manage_plugins):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_orders,
                                               permission_manage_plugins)

    # when
    response = qb_graphql(staff_api_client, UPDATE,
                          {"input": {"webConnectorPassword": "a brand new secret"}})

    # then
    assert response.json()["data"]["qbSettingsUpdate"]["errors"] == []
    assert b"a brand new secret" not in response.content
    assert check_password("a brand new secret", stored("web_connector_password"))


def test_staff_without_manage_plugins_may_read_but_not_change(
        qb_plugin, manage_orders_staff_client):
    # when
    read = qb_graphql(manage_orders_staff_client, SETTINGS)
    change = qb_graphql(manage_orders_staff_client, UPDATE,
                        {"input": {"exportMode": "AUTOMATIC"}})

    # then
    assert read.json()["data"]["qbSettings"]["canEdit"] is False
    assert change.json()["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert stored("export_mode") == "on_demand"


def test_our_apps_token_may_change_settings_when_app_and_staff_hold_manage_plugins(
        qb_plugin, staff_user, permission_manage_orders, permission_manage_plugins):
    # given: the app asks for MANAGE_PLUGINS in its manifest; the staff member has it too
    app = App.objects.create(name="QuickBooks sync", identifier="saleor-qb-sync",
                             is_active=True)
    app.permissions.add(permission_manage_orders, permission_manage_plugins)
    staff_user.user_permissions.add(permission_manage_orders, permission_manage_plugins)
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_access_token_for_app(app, staff_user)}")

    # when
    response = qb_graphql(client, UPDATE, {"input": {"exportMode": "AUTOMATIC"}})

    # then
    assert response.json()["data"]["qbSettingsUpdate"]["errors"] == []
    assert stored("export_mode") == "automatic"


def test_our_apps_token_cannot_change_settings_for_staff_without_manage_plugins(
        qb_plugin, staff_user, permission_manage_orders, permission_manage_plugins):
    # given: the app has MANAGE_PLUGINS, the staff member does not
    app = App.objects.create(name="QuickBooks sync", identifier="saleor-qb-sync",
                             is_active=True)
    app.permissions.add(permission_manage_orders, permission_manage_plugins)
    staff_user.user_permissions.add(permission_manage_orders)
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_access_token_for_app(app, staff_user)}")

    # when
    response = qb_graphql(client, UPDATE, {"input": {"exportMode": "AUTOMATIC"}})

    # then
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert stored("export_mode") == "on_demand"


def test_channels_are_saleors(qb_plugin, manage_orders_staff_client, channel_USD, channel_PLN):
    # when
    response = qb_graphql(manage_orders_staff_client, CHANNELS)

    # then
    channels = response.json()["data"]["qbChannels"]
    assert {(c["slug"], c["name"]) for c in channels} >= {
        (channel_USD.slug, channel_USD.name), (channel_PLN.slug, channel_PLN.name)}


PLUGIN_UPDATE = """
mutation pluginUpdate($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    plugin { globalConfiguration { configuration { name value } } }
    errors { field message code }
  }
}
"""


def _read_accounts():
    """Our copy of QuickBooks' accounts, as a completed Web Connector read leaves it."""
    from django.utils import timezone

    from saleor_qb_sync import quickbooks_lists
    from saleor_qb_sync.qbxml.lists import ListEntry

    started = timezone.now()
    quickbooks_lists.store("accounts", [
        ListEntry(list_id=f"A{i}", name=name, full_name=name, record_type=kind, is_active=True,
                  edit_sequence="1", time_modified=None)
        for i, (name, kind) in enumerate([
            ("Undeposited Funds", "OtherCurrentAsset"), ("Checking", "Bank"),
            ("Sales", "Income"), ("Accounts Receivable", "AccountsReceivable")])])
    quickbooks_lists.finish("accounts", started, full=True, records=4, round_trips=1)


def test_saleors_plugin_page_is_checked_against_quickbooks_lists_as_the_app_is(
        qb_plugin, staff_api_client, permission_manage_orders, permission_manage_plugins):
    # given: Web Connector has read QuickBooks' accounts
    staff_api_client.user.user_permissions.add(permission_manage_orders,
                                               permission_manage_plugins)
    _read_accounts()

    # when: the plugin page (Saleor's own pluginUpdate) saves an account QuickBooks lacks
    refused = get_graphql_content(staff_api_client.post_graphql(PLUGIN_UPDATE, {
        "id": PLUGIN_ID, "input": {"configuration": [
            {"name": "deposit_to_account", "value": "Undeposted Funds"}]}}))

    # then: refused on that field (Saleor's mutations name fields in camelCase), with the same
    # words the app gives; nothing saved
    errors = refused["data"]["pluginUpdate"]["errors"]
    assert [e["field"] for e in errors] == ["depositToAccount"]
    assert 'QuickBooks has no account named "Undeposted Funds"' in errors[0]["message"]
    assert stored("deposit_to_account") != "Undeposted Funds"
    app = qb_graphql(staff_api_client, UPDATE, {"input": {
        "depositToAccount": "Undeposted Funds"}}).json()["data"]["qbSettingsUpdate"]
    assert [(e["field"], e["code"]) for e in app["errors"]] == [
        ("depositToAccount", "NOT_IN_QUICKBOOKS")]

    # when: a name from the list, picked in the app, then shown by the plugin page
    saved = qb_graphql(staff_api_client, UPDATE, {"input": {"depositToAccount": "checking"}}
                       ).json()["data"]["qbSettingsUpdate"]

    # then
    assert saved["errors"] == []
    assert saleor_configuration(staff_api_client)["deposit_to_account"] == "checking"
    # an unrelated change on the plugin page is not blocked by the names already saved
    unrelated = get_graphql_content(staff_api_client.post_graphql(PLUGIN_UPDATE, {
        "id": PLUGIN_ID, "input": {"configuration": [
            {"name": "ref_number_prefix", "value": "W-"}]}}))
    assert unrelated["data"]["pluginUpdate"]["errors"] == []
    assert saleor_configuration(staff_api_client)["ref_number_prefix"] == "W-"
