"""The .qwc file a bookkeeper adds to Web Connector to register this store.

Built with lxml (every value escaped). The AppURL must be https, except for localhost during
development; AppSupport is a page on the same host. OwnerID and FileID come from the
``Installation`` row, so they stay the same every time the file is downloaded.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree

from ..errors import QbSyncError

#: Web Connector refuses plain http except for these development hosts
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
APP_NAME = "Saleor QuickBooks Sync"
APP_DESCRIPTION = "Exports Saleor orders to QuickBooks Desktop"
#: QuickBooks Financial Software (as opposed to QBPOS)
QB_TYPE = "QBFS"


class QwcError(QbSyncError):
    code = "invalid_qwc"


def build_qwc(*, app_url: str, support_url: str, username: str, owner_id: str, file_id: str,
              run_every_minutes: int, app_name: str = APP_NAME) -> bytes:
    if not username:
        raise QwcError("Set the Web Connector user name in the plugin settings first.",
                       code="missing_username")
    for url in (app_url, support_url):
        parts = urlsplit(url)
        if parts.scheme != "https" and not (parts.scheme == "http"
                                            and parts.hostname in LOCAL_HOSTS):
            raise QwcError(f"Web Connector only connects over https; {url} is not https.",
                           code="insecure_url")
    if urlsplit(app_url).hostname != urlsplit(support_url).hostname:
        raise QwcError("AppURL and AppSupport must be on the same host.", code="host_mismatch")
    root = etree.Element("QBWCXML")
    for tag, value in (
        ("AppName", app_name),
        ("AppID", ""),
        ("AppURL", app_url),
        ("AppDescription", APP_DESCRIPTION),
        ("AppSupport", support_url),
        ("UserName", username),
        ("OwnerID", _braced(owner_id)),
        ("FileID", _braced(file_id)),
        ("QBType", QB_TYPE),
    ):
        etree.SubElement(root, tag).text = value
    scheduler = etree.SubElement(root, "Scheduler")
    etree.SubElement(scheduler, "RunEveryNMinutes").text = str(run_every_minutes)
    etree.SubElement(root, "IsReadOnly").text = "false"
    etree.SubElement(root, "PersonalDataPref").text = "pdpNotNeeded"
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _braced(value: str) -> str:
    return "{" + str(value).strip("{}").upper() + "}"
