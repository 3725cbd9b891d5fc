"""The .qwc file: Web Connector's own rules (https, one host) checked before it is built."""

from __future__ import annotations

import uuid

import pytest
from lxml import etree

from saleor_qb_sync.qbwc.qwc import APP_NAME, QwcError, build_qwc

OWNER = "5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10"
FILE = "{0b6d2e4f-8a10-4c1e-9f7a-5c1f0a8e3d2b}"


def qwc(**overrides) -> bytes:
    values = {"app_url": "https://shop.example.com/plugins/global/saleor_qb_sync/qbwc",
              "support_url": "https://shop.example.com/plugins/global/saleor_qb_sync/app/",
              "username": "quickbooks", "owner_id": OWNER, "file_id": FILE,
              "run_every_minutes": 30}
    values.update(overrides)
    return build_qwc(**values)


def test_the_file_has_web_connectors_elements_in_its_order():
    # when
    root = etree.fromstring(qwc())

    # then
    assert root.tag == "QBWCXML"
    assert [child.tag for child in root] == [
        "AppName", "AppID", "AppURL", "AppDescription", "AppSupport", "UserName", "OwnerID",
        "FileID", "QBType", "Scheduler", "IsReadOnly", "PersonalDataPref"]
    assert root.findtext("AppName") == APP_NAME
    assert root.findtext("QBType") == "QBFS"
    assert root.findtext("Scheduler/RunEveryNMinutes") == "30"
    assert root.findtext("IsReadOnly") == "false"


def test_owner_and_file_ids_are_upper_case_guids_in_braces_however_they_are_given():
    # when
    root = etree.fromstring(qwc())

    # then
    assert root.findtext("OwnerID") == "{" + OWNER.upper() + "}"
    assert root.findtext("FileID") == "{0B6D2E4F-8A10-4C1E-9F7A-5C1F0A8E3D2B}"
    assert uuid.UUID(root.findtext("FileID").strip("{}"))


def test_every_value_is_escaped():
    # given
    username = 'qb&<"admin">'

    # when
    text = qwc(username=username, app_name="Tom & Jerry's <shop>")

    # then
    root = etree.fromstring(text)
    assert root.findtext("UserName") == username
    assert root.findtext("AppName") == "Tom & Jerry's <shop>"
    assert text.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_plain_http_is_allowed_on_this_machine_for_development(host):
    # when
    root = etree.fromstring(qwc(app_url=f"http://{host}:8000/qbwc",
                                support_url=f"http://{host}:8000/app/"))

    # then
    assert root.findtext("AppURL") == f"http://{host}:8000/qbwc"


@pytest.mark.parametrize(("overrides", "code"), [
    ({"app_url": "http://shop.example.com/qbwc"}, "insecure_url"),
    ({"support_url": "http://shop.example.com/app/"}, "insecure_url"),
    ({"app_url": "ftp://localhost/qbwc"}, "insecure_url"),
    ({"support_url": "https://help.example.com/"}, "host_mismatch"),
    ({"username": ""}, "missing_username"),
])
def test_a_file_web_connector_would_refuse_is_not_built(overrides, code):
    # when
    with pytest.raises(QwcError) as caught:
        qwc(**overrides)

    # then
    assert caught.value.code == code
