"""The routes both hosts mount: where each path goes, the .qwc download and refused callers.

A stand-in ``Host`` (the protocol ``routes.Host``) records what the routes asked of it.
"""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory
from lxml import etree

from saleor_qb_sync.errors import AuthenticationError
from saleor_qb_sync.models import Installation
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.qbwc.service import PLAIN_GET_BODY
from saleor_qb_sync.routes import (
    ROUTE_PREFIX,
    auth_error_response,
    base_url,
    dispatch,
    qwc_content,
)
from saleor_qb_sync.transfers import Actor

pytestmark = pytest.mark.django_db


class StandInHost:
    def __init__(self, *, refuse: AuthenticationError | None = None,
                 preferences: Preferences | None = None) -> None:
        self.refuse = refuse
        self._preferences = preferences or Preferences(web_connector_username="quickbooks",
                                                       run_every_minutes=15)
        self.calls: list[str] = []

    def preferences(self) -> Preferences:
        self.calls.append("preferences")
        return self._preferences

    def order_source(self):
        self.calls.append("order_source")
        raise AssertionError("no route here needs orders")

    def authenticate(self, request) -> Actor:
        self.calls.append("authenticate")
        if self.refuse:
            raise self.refuse
        return Actor(email="staff@example.com")

    def has_permission(self, request, permission) -> bool:
        return False


@pytest.fixture
def rf(settings):
    settings.ALLOWED_HOSTS = ["testserver", "shop.example.com", "10.0.0.5"]
    return RequestFactory()


def test_routes_are_under_saleors_plugin_prefix_of_the_host_asked(rf, settings):
    # given
    settings.PUBLIC_URL = None

    # when
    url = base_url(rf.get("/anything", secure=True, HTTP_HOST="shop.example.com"))

    # then
    assert url == "https://shop.example.com" + ROUTE_PREFIX
    assert ROUTE_PREFIX == "/plugins/global/saleor_qb_sync/"


def test_saleors_public_url_wins_over_what_the_request_says(rf, settings):
    # given: a TLS-terminating proxy in front; the request itself says http
    settings.PUBLIC_URL = "https://shop.example.com/"

    # when
    url = base_url(rf.get("/anything", HTTP_HOST="10.0.0.5:8000"))

    # then
    assert url == "https://shop.example.com/plugins/global/saleor_qb_sync/"


def test_an_unknown_route_is_a_json_404_naming_it(rf):
    # when
    response = dispatch(rf.get("/"), "nothing-here", StandInHost())

    # then
    assert response.status_code == 404
    assert json.loads(response.content) == {"error": "not_found",
                                            "message": "No route 'nothing-here'."}


def test_the_soap_route_answers_web_connectors_plain_get_without_touching_the_host(rf):
    # given
    host = StandInHost()

    # when
    response = dispatch(rf.get("/"), "/qbwc/", host)

    # then
    assert response.status_code == 200
    assert response.content.decode() == PLAIN_GET_BODY
    assert host.calls == []


def test_the_graphql_route_authenticates_before_anything_else(rf):
    # given
    host = StandInHost(refuse=AuthenticationError("Sign in.", code="unauthenticated"))

    # when
    response = dispatch(rf.post("/", data="{}", content_type="application/json"),
                        "graphql/", host)

    # then
    assert response.status_code == 401
    assert host.calls == ["authenticate"]


def test_the_app_route_serves_the_dashboard_manifest(rf):
    # when
    response = dispatch(rf.get("/", secure=True), "app/manifest.json", StandInHost())

    # then
    assert response.status_code == 200
    assert json.loads(response.content)["id"] == "saleor-qb-sync"


@pytest.mark.parametrize(("code", "status"), [
    ("unauthenticated", 401), ("permission_denied", 403), ("anything_else", 401)])
def test_a_refused_caller_gets_401_or_403_with_the_reason(code, status):
    # when
    response = auth_error_response(AuthenticationError("Why.", code=code))

    # then
    assert response.status_code == status
    assert json.loads(response.content) == {"error": code, "message": "Why."}


def test_the_qwc_file_is_an_attachment_naming_our_soap_route_and_the_installation(rf, settings):
    # given
    settings.PUBLIC_URL = None
    installation = Installation.current()
    host = StandInHost()

    # when
    response = dispatch(rf.get("/", secure=True, HTTP_HOST="shop.example.com"), "qwc", host)

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-qwc"
    assert response["Content-Disposition"] == 'attachment; filename="saleor-quickbooks.qwc"'
    qwc = etree.fromstring(response.content)
    assert qwc.findtext("AppURL") == "https://shop.example.com/plugins/global/saleor_qb_sync/qbwc"
    assert qwc.findtext("AppSupport") == (
        "https://shop.example.com/plugins/global/saleor_qb_sync/app/")
    assert qwc.findtext("OwnerID") == "{" + str(installation.owner_id).upper() + "}"
    assert qwc.findtext("UserName") == "quickbooks"
    assert qwc.findtext("Scheduler/RunEveryNMinutes") == "15"
    assert host.calls == ["authenticate", "preferences"]


def test_the_qwc_file_keeps_its_identifiers_from_one_download_to_the_next(rf):
    # given
    request = rf.get("/", secure=True)

    # when
    first, second = (qwc_content(request, Preferences(web_connector_username="qb"))
                     for _ in range(2))

    # then
    assert first == second


@pytest.mark.parametrize(("refusal", "status"), [
    (AuthenticationError("Sign in.", code="unauthenticated"), 401),
    (AuthenticationError("You need MANAGE_ORDERS.", code="permission_denied"), 403),
])
def test_the_qwc_file_is_for_staff_only(rf, refusal, status):
    # given
    host = StandInHost(refuse=refusal)

    # when
    response = dispatch(rf.get("/", secure=True), "qwc", host)

    # then
    assert response.status_code == status
    assert host.calls == ["authenticate"]


def test_a_qwc_file_web_connector_would_refuse_is_a_409_saying_why(rf, settings):
    # given: plain http on a public host
    settings.PUBLIC_URL = None

    # when
    response = dispatch(rf.get("/", HTTP_HOST="shop.example.com"), "qwc", StandInHost())

    # then
    assert response.status_code == 409
    assert json.loads(response.content)["error"] == "insecure_url"


def test_the_qwc_file_is_only_downloaded(rf):
    # when
    response = dispatch(rf.post("/", secure=True), "qwc", StandInHost())

    # then
    assert response.status_code == 405
