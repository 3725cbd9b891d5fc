"""The standalone server's URLs: the plugin's routes under the prefix Saleor gives them."""

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from saleor_qb_sync.routes import ROUTE_PREFIX

pytestmark = pytest.mark.django_db


def test_the_standalone_routes_serve_soap_and_refuse_strangers(client, configure):
    # when
    soap = client.get("/plugins/global/saleor_qb_sync/qbwc")
    qwc = client.get("/plugins/global/saleor_qb_sync/qwc")
    unknown = client.get("/plugins/global/saleor_qb_sync/nothing-here")

    # then
    assert soap.status_code == 200
    assert qwc.status_code == 401
    assert unknown.status_code == 404


def test_everything_under_the_prefix_goes_to_the_plugin_and_nothing_else_does():
    # then
    assert resolve(ROUTE_PREFIX + "app/assets/x.js").kwargs == {"path": "app/assets/x.js"}
    assert resolve(ROUTE_PREFIX).kwargs == {"path": ""}
    with pytest.raises(Resolver404):
        resolve("/plugins/global/another_plugin/qbwc")


def test_web_connector_and_api_clients_post_without_a_csrf_token(configure):
    # given: a client that enforces CSRF as a browser session would
    client = Client(enforce_csrf_checks=True)

    # when
    response = client.post(ROUTE_PREFIX + "graphql/", data='{"query": "{ __typename }"}',
                           content_type="application/json",
                           HTTP_AUTHORIZATION="Bearer staff-token")

    # then
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
