"""The standalone host: development tokens, preferences from settings and the app, sample channels.

Saving settings through the API, and saved changes winning over the settings file, are in
``tests/graphql/test_settings.py``.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from saleor_qb_sync.errors import AuthenticationError
from saleor_qb_sync.routes import Channel
from saleor_qb_sync.standalone import host
from saleor_qb_sync.standalone.host import (
    DevelopmentAuthenticator,
    StandaloneHost,
    bearer_token,
    settings_preferences,
)
from saleor_qb_sync.standalone.models import StoredPreferences
from saleor_qb_sync.transfers import Actor
from tests.conftest import QBWC_PASSWORD, SETTINGS_TOKEN, STAFF_TOKEN


def request(**meta):
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(("meta", "token"), [
    ({"HTTP_AUTHORIZATION": "Bearer abc"}, "abc"),
    ({"HTTP_AUTHORIZATION": "bearer   abc  "}, "abc"),
    ({"HTTP_AUTHORIZATION": "JWT abc"}, "abc"),
    ({"HTTP_AUTHORIZATION_BEARER": " abc "}, "abc"),
    ({"HTTP_AUTHORIZATION": "Basic YTpi", "HTTP_AUTHORIZATION_BEARER": "abc"}, "abc"),
    ({"HTTP_AUTHORIZATION": "Basic YTpi"}, ""),
    ({"HTTP_AUTHORIZATION": "Bearer "}, ""),
    ({}, ""),
])
def test_the_token_is_read_from_either_header_saleor_clients_send(meta, token):
    # then
    assert bearer_token(request(**meta)) == token


@pytest.mark.parametrize(("installed", "standalone"), [
    (["saleor_qb_sync", "saleor"], True),
    (["saleor_qb_sync"], False),
])
def test_the_development_tokens_never_open_a_door_outside_the_standalone_server(
        monkeypatch, installed, standalone):
    # given: inside Saleor, or settings other than the standalone server's
    monkeypatch.setattr(host, "settings", SimpleNamespace(
        INSTALLED_APPS=installed, SALEOR_QB_SYNC_STANDALONE=standalone))

    # when / then
    with pytest.raises(ImproperlyConfigured):
        DevelopmentAuthenticator()


@pytest.mark.parametrize(("meta", "code"), [
    ({}, "unauthenticated"),
    ({"HTTP_AUTHORIZATION": "Bearer staff-token-but-longer"}, "unauthenticated"),
    ({"HTTP_AUTHORIZATION": "Bearer no-permission-token"}, "permission_denied"),
])
def test_a_caller_without_a_known_token_holding_manage_orders_is_refused(configure, meta,
                                                                         code):
    # when
    with pytest.raises(AuthenticationError) as caught:
        DevelopmentAuthenticator().authenticate(request(**meta))

    # then
    assert caught.value.code == code


def test_a_known_token_is_its_staff_member_with_their_channels_and_permissions(configure):
    # given
    authenticator = DevelopmentAuthenticator()
    staff, owner = (request(HTTP_AUTHORIZATION=f"Bearer {t}") for t in (STAFF_TOKEN,
                                                                         SETTINGS_TOKEN))
    restricted = request(HTTP_AUTHORIZATION="Bearer usd-only-token")

    # when
    actors = [authenticator.authenticate(r) for r in (staff, owner, restricted)]

    # then
    assert actors[0] == Actor(user_id="7", email="staff@example.com", channels=None)
    assert actors[2].channels == ("default-channel",)
    assert authenticator.has_permission(owner, "MANAGE_PLUGINS") is True
    assert authenticator.has_permission(staff, "MANAGE_PLUGINS") is False
    assert authenticator.has_permission(request(), "MANAGE_ORDERS") is False  # not signed in


def test_a_plain_password_in_settings_is_hashed_and_a_hash_kept_as_it_is(settings):
    # given
    hashed = make_password("already hashed")

    # when
    settings.SALEOR_QB_SYNC_PREFERENCES = {"web_connector_password": QBWC_PASSWORD}
    from_plain = settings_preferences().web_connector_password
    settings.SALEOR_QB_SYNC_PREFERENCES = {"web_connector_password": hashed}
    from_hash = settings_preferences().web_connector_password

    # then
    assert from_plain != QBWC_PASSWORD and check_password(QBWC_PASSWORD, from_plain)
    assert from_hash == hashed


@pytest.mark.django_db
def test_saved_changes_add_up_record_who_saved_them_and_hash_the_password(configure):
    # given
    host = StandaloneHost()

    # when
    host.save_preferences({"export_mode": "automatic"}, Actor(email="owner@example.com"))
    preferences = host.save_preferences({"web_connector_password": "new secret"},
                                        Actor(app="QuickBooks app"))

    # then
    stored = StoredPreferences.objects.get()
    assert stored.configuration["export_mode"] == "automatic"
    assert check_password("new secret", stored.configuration["web_connector_password"])
    assert stored.updated_by == "QuickBooks app"
    assert preferences.export_mode.value == "automatic"
    assert check_password("new secret", preferences.web_connector_password)


@pytest.mark.django_db
def test_the_channels_are_those_of_the_sample_orders_named_from_their_slugs(orders):
    # given
    orders(30, seed=3)

    # when
    channels = StandaloneHost().channels()

    # then
    assert channels == [Channel("channel-eur", "Channel eur"),
                        Channel("channel-pln", "Channel pln"),
                        Channel("default-channel", "Default channel")]


@pytest.mark.django_db
def test_no_channels_before_any_order():
    # then
    assert StandaloneHost().channels() == []


def test_staff_mail_goes_to_every_token_holder_with_manage_orders(configure):
    # when
    recipients = StandaloneHost().notify_staff("Web Connector stopped", "It missed three runs.")

    # then
    assert recipients == ["owner@example.com", "staff@example.com", "usd@example.com"]
    assert [(m.subject, m.to) for m in mail.outbox] == [("Web Connector stopped", recipients)]


def test_no_mail_without_anyone_to_receive_it(configure, settings):
    # given
    settings.SALEOR_QB_SYNC_DEV_TOKENS = {"viewer": {"email": "v@example.com",
                                                      "permissions": []}}

    # when / then
    assert StandaloneHost().notify_staff("Subject", "Body") == []
    assert mail.outbox == []
