from __future__ import annotations

from lxml import etree

from .conftest import NO_PERMISSION_TOKEN

QWC_QUERY = """
query { qbWebConnectorFile }
"""


def test_web_connector_file_over_https(api, db):
    # when
    result = api(QWC_QUERY, secure=True)

    # then
    root = etree.fromstring(result.data["qbWebConnectorFile"].encode())
    assert root.tag == "QBWCXML"
    assert root.findtext("UserName") == "quickbooks"
    assert root.findtext("AppURL") == "https://testserver/plugins/global/saleor_qb_sync/qbwc"


def test_web_connector_file_refuses_plain_http(api, db):
    # when
    result = api(QWC_QUERY)

    # then
    assert result.content["data"] is None
    assert result.error_codes == ["INSECURE_URL"]
    assert "https" in result.content["errors"][0]["message"]


def test_web_connector_file_needs_a_user_name(api, db, configure):
    # given
    configure(web_connector_username="")

    # when
    result = api(QWC_QUERY, secure=True)

    # then
    assert result.error_codes == ["MISSING_USERNAME"]


def test_web_connector_file_needs_manage_orders(api, db):
    # when
    result = api(QWC_QUERY, token=NO_PERMISSION_TOKEN, secure=True)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]
