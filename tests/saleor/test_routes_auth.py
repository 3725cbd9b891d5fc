"""Who may use our routes inside Saleor: real staff JWTs, app-extension JWTs, app tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from saleor.app.models import App
from saleor.core.jwt import create_access_token, create_access_token_for_app

from .conftest import GRAPHQL_PATH, ROUTE, qb_graphql

STATUS = "{ qbSyncStatus { exportMode configurationComplete webConnectorUsername } }"


def assert_status_answered(response):
    assert response.status_code == 200, response.content
    status = response.json()["data"]["qbSyncStatus"]
    assert status == {"exportMode": "ON_DEMAND", "configurationComplete": True,
                      "webConnectorUsername": "quickbooks"}


def error_code(response) -> str:
    return response.json()["errors"][0]["extensions"]["exception"]["code"]


def test_staff_with_manage_orders_uses_our_graphql(qb_plugin, manage_orders_staff_client):
    assert_status_answered(qb_graphql(manage_orders_staff_client, STATUS))


def test_staff_in_a_group_with_manage_orders_uses_our_graphql(
        qb_plugin, staff_api_client, permission_group_manage_orders):
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    assert_status_answered(qb_graphql(staff_api_client, STATUS))


def test_superuser_uses_our_graphql(qb_plugin, superuser_api_client):
    assert_status_answered(qb_graphql(superuser_api_client, STATUS))


def test_staff_without_manage_orders_is_refused(qb_plugin, staff_api_client):
    response = qb_graphql(staff_api_client, STATUS)
    assert response.status_code == 403
    assert error_code(response) == "PERMISSION_DENIED"


def test_a_customer_is_refused(qb_plugin, user_api_client):
    response = qb_graphql(user_api_client, STATUS)
    assert response.status_code == 403


def test_no_token_is_refused(qb_plugin, api_client):
    response = qb_graphql(api_client, STATUS)
    assert response.status_code == 401
    assert error_code(response) == "UNAUTHENTICATED"


@pytest.mark.parametrize("header", [
    "JWT abc.def.ghi",
    "Bearer not-a-token",
    # a well-formed owner=saleor JWT signed with another key (Saleor raises PyJWTError)
    "JWT eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJvd25lciI6InNhbGVvciIsInR5cGUiOiJhY2Nlc3MiLC"
    "JlbWFpbCI6InN0YWZmX3Rlc3RAZXhhbXBsZS5jb20ifQ.c2lnbmF0dXJl",
])
def test_a_bad_token_is_refused_not_crashed(qb_plugin, client, header):
    response = client.post(GRAPHQL_PATH, {"query": STATUS}, content_type="application/json",
                           HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_an_inactive_staff_token_is_refused(qb_plugin, manage_orders_staff_client):
    # given
    manage_orders_staff_client.ensure_access_token()
    user = manage_orders_staff_client.user
    user.is_active = False
    user.save(update_fields=["is_active"])

    # then
    assert qb_graphql(manage_orders_staff_client, STATUS).status_code == 401


def test_an_app_token_with_manage_orders_uses_our_graphql(
        qb_plugin, app_api_client, permission_manage_orders):
    app_api_client.app.permissions.add(permission_manage_orders)
    assert_status_answered(qb_graphql(app_api_client, STATUS))


def test_an_app_token_without_manage_orders_is_refused(qb_plugin, app_api_client):
    assert qb_graphql(app_api_client, STATUS).status_code == 403


def test_an_inactive_app_token_is_refused(qb_plugin, app_api_client, permission_manage_orders):
    app_api_client.app.permissions.add(permission_manage_orders)
    app_api_client.app.is_active = False
    app_api_client.app.save(update_fields=["is_active"])
    assert qb_graphql(app_api_client, STATUS).status_code in (401, 403)


@pytest.fixture
def our_app(db, permission_manage_orders):
    app = App.objects.create(name="QuickBooks sync", identifier="saleor-qb-sync", is_active=True)
    app.permissions.add(permission_manage_orders)
    return app


def _jwt_client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_our_apps_jwt_for_a_staff_member_uses_our_graphql(
        qb_plugin, our_app, staff_user, permission_manage_orders):
    # given: what the Dashboard hands our extension's iframe (App.accessToken)
    staff_user.user_permissions.add(permission_manage_orders)
    token = create_access_token_for_app(our_app, staff_user)

    # then
    assert_status_answered(qb_graphql(_jwt_client(token), STATUS))


def test_our_app_extensions_jwt_uses_our_graphql(
        qb_plugin, our_app, staff_user, permission_manage_orders):
    # given: the token the Dashboard mints for one of our app's extensions (a mounted page)
    from saleor.app.models import AppExtension
    from saleor.core.jwt import create_access_token_for_app_extension

    staff_user.user_permissions.add(permission_manage_orders)
    extension = AppExtension.objects.create(app=our_app, label="Transfer orders",
                                            mount="navigation_orders",
                                            url="https://example.com/app/")
    extension.permissions.add(permission_manage_orders)
    token = create_access_token_for_app_extension(
        extension, [permission_manage_orders], staff_user, our_app)

    # then
    assert_status_answered(qb_graphql(_jwt_client(token), STATUS))


def test_our_apps_jwt_is_limited_to_what_the_staff_member_may_do(qb_plugin, our_app, staff_user):
    # the staff member lacks MANAGE_ORDERS: the token's permissions are the intersection
    token = create_access_token_for_app(our_app, staff_user)
    assert qb_graphql(_jwt_client(token), STATUS).status_code == 403


def test_another_apps_jwt_is_refused(qb_plugin, app, staff_user, permission_manage_orders):
    # given: a JWT minted for another app (identifier saleor.app.test) with MANAGE_ORDERS
    app.permissions.add(permission_manage_orders)
    staff_user.user_permissions.add(permission_manage_orders)
    token = create_access_token_for_app(app, staff_user)

    # when
    response = qb_graphql(_jwt_client(token), STATUS)

    # then
    assert response.status_code == 403
    assert "another app" in response.json()["errors"][0]["message"]


def test_our_apps_jwt_is_refused_once_the_app_is_deactivated(
        qb_plugin, our_app, staff_user, permission_manage_orders):
    staff_user.user_permissions.add(permission_manage_orders)
    token = create_access_token_for_app(our_app, staff_user)
    our_app.is_active = False
    our_app.save(update_fields=["is_active"])
    assert qb_graphql(_jwt_client(token), STATUS).status_code == 403


def test_the_qwc_file_needs_manage_orders(qb_plugin, manage_orders_staff_client, staff_user,
                                          client):
    # when
    allowed = manage_orders_staff_client.get(ROUTE + "qwc")
    anonymous = client.get(ROUTE + "qwc")

    # then
    assert allowed.status_code == 200
    assert allowed["Content-Type"] == "application/x-qwc"
    assert b"<UserName>quickbooks</UserName>" in allowed.content
    # built from Saleor's PUBLIC_URL (https://example.com in Saleor's test settings)
    assert (b"<AppURL>https://example.com/plugins/global/saleor_qb_sync/qbwc</AppURL>"
            in allowed.content)
    assert anonymous.status_code == 401


def test_a_token_in_saleors_authorization_bearer_header_works(qb_plugin, staff_user,
                                                              permission_manage_orders):
    staff_user.user_permissions.add(permission_manage_orders)
    token = create_access_token(staff_user)
    client = Client(HTTP_AUTHORIZATION_BEARER=token)
    assert_status_answered(qb_graphql(client, STATUS))
