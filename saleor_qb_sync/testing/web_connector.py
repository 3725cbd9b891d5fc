"""A stand-in for QuickBooks Web Connector (QBWC) that drives our SOAP endpoint like the real one.

Why it exists: QBWC is a Windows-only .NET program, so nothing in CI can run it. Our server is
only useful if it answers the fixed messages QBWC sends, in the order QBWC sends them, with the
shapes QBWC's .NET deserializer expects. This module replays that client side:

* the SOAP client is zeep, built from **Intuit's** WSDL (``QBWC_WSDL`` or an explicit path), never
  from our server's WSDL: QBWC does not read a server's WSDL either, it sends fixed messages;
* every answer is checked against that WSDL's shape before it is used (SOAP 1.1 envelope,
  ``…Response``/``…Result`` elements in ``http://developer.intuit.com/``, an ``int`` where the WSDL
  says ``int``), and anything QBWC could not use raises :class:`ProtocolViolation`;
* the call order and the meaning of every answer follow ``qbwc-protocol.md`` (Intuit's
  programmer's guide plus observed QBWC logs): ``serverVersion``, ``clientVersion``,
  ``authenticate``, then ``sendRequestXML``/``receiveResponseXML`` round trips, ``getLastError``
  after ``""`` or a negative percentage, ``connectionError`` when QuickBooks cannot be opened,
  ``closeConnection`` at the end;
* the QuickBooks side is any object with ``process(request_xml) -> str`` (see
  :class:`QuickBooks`); its failures are duck-typed so the simulator and tiny test fakes both fit.

It never imports the code under test (``saleor_qb_sync.qbwc`` / ``saleor_qb_sync.qbxml``), so a
serializer bug there cannot hide itself, and by default it only talks to loopback addresses.

Deliberate choices where the notes leave room (each named below as a constant or an option):
``authenticate`` answering ``none``/``nvu``/``busy`` ends the update without ``closeConnection``
(QBWC logs "No data exchange required" and stops; no session was opened) — set
``close_after_none=True`` to emulate the other reading; ``connectionError`` answering ``done``
ends the update without ``closeConnection``; a negative ``receiveResponseXML`` value of any size is
an error code (→ ``getLastError`` → ``closeConnection``), only values above 100 are violations.
"""

from __future__ import annotations

import enum
import ipaddress
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import zeep
import zeep.exceptions
from lxml import etree

__all__ = [
    "AuthenticateOutcome",
    "Call",
    "NotEmulated",
    "ProtocolViolation",
    "QuickBooks",
    "RunReport",
    "ServerFault",
    "ServerUnreachable",
    "SessionEnd",
    "SessionLimitExceeded",
    "WebConnector",
    "WebConnectorError",
    "default_hcp_response",
]

# --------------------------------------------------------------------------------------------
# Protocol values (qbwc-protocol.md §1–§3, qbxml.md §9, §11)
# --------------------------------------------------------------------------------------------

#: Environment variable naming Intuit's ``QBWebConnectorSvc.wsdl``.
WSDL_ENV_VAR = "QBWC_WSDL"
#: Namespace of every QBWC element; children are qualified (``elementFormDefault="qualified"``).
INTUIT_NS = "http://developer.intuit.com/"
#: SOAP 1.1 envelope namespace; QBWC speaks SOAP 1.1 only.
SOAP11_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
#: The SOAP 1.1 binding in Intuit's WSDL (the file also has a SOAP 1.2 one QBWC does not use).
SOAP11_BINDING = f"{{{INTUIT_NS}}}TroubleshootWebServiceFSSoap"
#: What QBWC sends as ``clientVersion(strVersion)``: a current 2.3 build, as seen in QBWC logs.
QBWC_VERSION = "2.3.0.215"
#: The company file QBWC reports when ``authenticate`` says "use the file that is open" (``""``).
DEFAULT_COMPANY_FILE = "C:\\Accounting\\Company.QBW"
#: Highest qbXML spec the emulated QuickBooks supports (QB 2014 … 2024 all accept 13.0).
DEFAULT_QBXML_VERSION = (13, 0)

#: ``clientVersion`` answer prefix: warning dialog, the (emulated) user clicks "continue".
CLIENT_VERSION_WARNING = "W:"
#: ``clientVersion`` answer prefix: QBWC cancels the update.
CLIENT_VERSION_ERROR = "E:"
#: ``clientVersion`` answer prefix: server names the QBWC version it needs; QBWC stops.
CLIENT_VERSION_UPDATE = "O:"

#: ``authenticate()[1]``: authenticated, nothing to do (case-insensitive: ``NONE`` works too).
AUTH_NO_WORK = "none"
#: ``authenticate()[1]``: not a valid user.
AUTH_INVALID_USER = "nvu"
#: ``authenticate()[1]``: the service is busy.
AUTH_BUSY = "busy"
#: ``authenticate()[1]``: use the company file currently open in QuickBooks.
AUTH_CURRENT_COMPANY = ""
#: ``authenticate`` must answer at least ticket + status ("MUST be present even when empty").
AUTH_MIN_ELEMENTS = 2

#: ``getLastError`` after ``""`` from ``sendRequestXML``: wait, then ask again (exact spelling).
LAST_ERROR_NOOP = "NoOp"
#: ``getLastError`` answer that starts interactive mode (not in Intuit's WSDL, not emulated).
LAST_ERROR_INTERACTIVE = "Interactive mode"
#: How long QBWC pauses after ``NoOp`` before calling ``sendRequestXML`` again.
NOOP_WAIT_SECONDS = 5.0
#: Upper bound accepted for a configured NoOp pause, so a typo cannot stall a test run.
MAX_NOOP_WAIT_SECONDS = 60.0

#: ``receiveResponseXML`` value meaning "done": QBWC calls ``closeConnection``.
PROGRESS_DONE = 100
#: ``connectionError`` answer that ends the update (compared case-insensitively: Intuit's sample
#: says ``DONE``).
CONNECTION_ERROR_DONE = "done"
#: Retries after ``connectionError`` answered a file path; the guide says "a couple of times".
MAX_CONNECTION_RETRIES = 2

#: HRESULT of QuickBooks' request processor for a request it cannot parse (qbxml.md §11).
HRESULT_PARSE_ERROR = "0x80040400"
#: QBWC gives up on a callback after about two minutes.
CALLBACK_TIMEOUT_SECONDS = 120

#: QuickBooks-side methods that may supply ``strHCPResponse``, in order of preference.
HCP_PROVIDERS = ("host_company_preferences", "hcp_response")

#: Transcript names of the steps that happen on the QuickBooks side (not SOAP calls).
QB_BEGIN_SESSION = "QuickBooks.BeginSession"
QB_PROCESS_REQUEST = "QuickBooks.ProcessRequest"
QB_RESPONSE_LOST = "QuickBooks.ResponseLost"
QBWC_NOOP_WAIT = "QBWC.wait"

#: The SOAP operations of Intuit's WSDL, i.e. what ``RunReport.calls`` lists.
SOAP_OPERATIONS = frozenset(
    {
        "serverVersion",
        "clientVersion",
        "authenticate",
        "sendRequestXML",
        "receiveResponseXML",
        "connectionError",
        "getLastError",
        "closeConnection",
    }
)

#: qbXML versions QuickBooks lists in ``HostRet/SupportedQBXMLVersion`` (US editions).
_KNOWN_QBXML_VERSIONS = (
    (1, 0), (1, 1), (2, 0), (2, 1), (3, 0), (4, 0), (4, 1), (5, 0), (6, 0), (7, 0), (8, 0),
    (10, 0), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0), (16, 0), (17, 0),
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class WebConnectorError(Exception):
    """Root of the emulator's errors; ``report`` holds the transcript up to the failure."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.report: RunReport | None = None


class ProtocolViolation(WebConnectorError):
    """The server answered something real QBWC could not use (shape, value or sequence)."""


class ServerFault(WebConnectorError):
    """The server answered with a SOAP Fault; QBWC shows it as an error and stops the update."""

    def __init__(self, method: str, fault_message: str, code: str | None) -> None:
        super().__init__(f"{method}: the server answered a SOAP Fault ({code}): {fault_message}")
        self.method = method
        self.fault_message = fault_message
        self.code = code


class ServerUnreachable(WebConnectorError):
    """No HTTP answer at all (connection refused, timeout)."""


class SessionLimitExceeded(WebConnectorError):
    """A cap protecting against a looping server was hit (round trips, NoOp waits, retries)."""


class NotEmulated(WebConnectorError):
    """The server asked for a QBWC feature this emulator does not implement (interactive mode)."""


# --------------------------------------------------------------------------------------------
# QuickBooks seam
# --------------------------------------------------------------------------------------------


class QuickBooks(Protocol):
    """What QBWC talks to on the Windows side: QuickBooks' request processor.

    ``process`` may raise an exception carrying ``hresult`` and ``message`` (QuickBooks threw
    instead of answering: parse error, could not access QuickBooks, …), or one whose class is
    named ``ResponseLost`` / that has ``response_lost = True`` (QuickBooks processed the request
    but QBWC died before passing the answer on). Optional extras, used when present:
    ``host_company_preferences() -> str`` or ``hcp_response() -> str`` supplies the
    HostQuery/CompanyQuery/PreferencesQuery response for ``strHCPResponse``, and
    ``max_qbxml_version`` (a ``(major, minor)`` attribute, property or method) the
    ``qbXMLMajorVers``/``qbXMLMinorVers`` QBWC reports when ``qbxml_version`` is not given,
    and ``end_session()``, called when a run that opened the company ends however it ends
    (QBWC's EndSession + CloseConnection: QuickBooks forgets that session's iterators).
    """

    def process(self, request_xml: str) -> str: ...


def _is_response_lost(exc: BaseException) -> bool:
    named = any(cls.__name__ == "ResponseLost" for cls in type(exc).__mro__)
    return named or getattr(exc, "response_lost", False) is True


def _hresult_of(exc: BaseException) -> tuple[str, str] | None:
    if hasattr(exc, "hresult") and hasattr(exc, "message"):
        return str(exc.hresult), str(exc.message)
    return None


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


class SessionEnd(enum.StrEnum):
    """How an update run ended."""

    COMPLETED = "completed"  #: receiveResponseXML said 100, then closeConnection
    STOPPED_ON_ERROR = "stopped_on_error"  #: getLastError text (after "" or < 0), closeConnection
    NO_WORK = "none"  #: authenticate said "none"
    INVALID_USER = "nvu"  #: authenticate said "nvu"
    BUSY = "busy"  #: authenticate said "busy"
    CLIENT_VERSION_REJECTED = "client_version_rejected"  #: clientVersion said "E:" or "O:"
    CONNECTION_ERROR_DONE = "connection_error_done"  #: connectionError said "done"
    RESPONSE_LOST = "response_lost"  #: QBWC dropped out after QuickBooks processed a request


@dataclass(frozen=True)
class Call:
    """One step of the transcript: a SOAP call (``soap=True``) or a QuickBooks-side event."""

    method: str
    arguments: dict[str, Any]
    answer: Any
    error: str | None = None

    @property
    def soap(self) -> bool:
        return self.method in SOAP_OPERATIONS


@dataclass(frozen=True)
class AuthenticateOutcome:
    """``authenticate``'s ArrayOfString, interpreted the way QBWC does."""

    ticket: str
    status: str  #: second element as sent: "", "none", "nvu", "busy" or a company file path
    postpone_seconds: int | None  #: third element: postpone this update by N seconds
    min_run_every_seconds: int | None  #: fourth element: MinimumRunEveryNSeconds
    raw: tuple[str, ...]

    @property
    def company_file(self) -> str | None:
        """The path the server asked for, or None (use the open file / no session)."""
        if self.status.lower() in {AUTH_NO_WORK, AUTH_INVALID_USER, AUTH_BUSY}:
            return None
        return self.status or None


@dataclass
class RunReport:
    """Everything one ``run_update()`` did, in order."""

    transcript: list[Call] = field(default_factory=list)
    server_version: str | None = None
    client_version_answer: str | None = None
    authenticate: AuthenticateOutcome | None = None
    company_file: str | None = None  #: the file QBWC had open (strCompanyFileName)
    hcp_response: str | None = None  #: strHCPResponse sent with the first sendRequestXML
    round_trips: int = 0  #: sendRequestXML → receiveResponseXML pairs
    requests_sent: list[str] = field(default_factory=list)  #: qbXML message sets from the server
    responses: list[str] = field(default_factory=list)  #: qbXML handed to receiveResponseXML
    percentages: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  #: getLastError texts other than NoOp
    hresults: list[tuple[str, str]] = field(default_factory=list)  #: (hresult, message) sent
    noop_waits: int = 0
    close_message: str | None = None
    ended_by: SessionEnd | None = None
    elapsed_seconds: float = 0.0

    @property
    def calls(self) -> list[str]:
        """The SOAP method names, in call order (QuickBooks-side events left out)."""
        return [call.method for call in self.transcript if call.soap]

    @property
    def events(self) -> list[str]:
        """Every transcript step name, SOAP calls and QuickBooks-side events alike."""
        return [call.method for call in self.transcript]

    @property
    def last_percentage(self) -> int | None:
        return self.percentages[-1] if self.percentages else None


# --------------------------------------------------------------------------------------------
# strHCPResponse
# --------------------------------------------------------------------------------------------


def default_hcp_response(
    qbxml_version: tuple[int, int] = DEFAULT_QBXML_VERSION, country: str = "US"
) -> str:
    """A HostQueryRs + CompanyQueryRs + PreferencesQueryRs answer like the one QBWC passes on.

    Shapes follow qbXML 13.0 (``qbxml130.xsd``: HostRet, CompanyRet, PreferencesRet); the
    ``SupportedQBXMLVersion`` list ends at ``qbxml_version``, matching ``qbXMLMajorVers/MinorVers``.
    """
    supported = [v for v in _KNOWN_QBXML_VERSIONS if v <= qbxml_version]
    if tuple(qbxml_version) not in supported:
        supported.append(tuple(qbxml_version))
    versions = "".join(
        f"<SupportedQBXMLVersion>{major}.{minor}</SupportedQBXMLVersion>"
        for major, minor in supported
    )
    return (
        '<?xml version="1.0" ?>\n'
        "<QBXML>\n<QBXMLMsgsRs>\n"
        '<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK">'
        "<HostRet><ProductName>QuickBooks Premier Edition 2018</ProductName>"
        "<MajorVersion>28</MajorVersion><MinorVersion>0</MinorVersion>"
        f"<Country>{country}</Country>{versions}"
        "<IsAutomaticLogin>false</IsAutomaticLogin><QBFileMode>SingleUser</QBFileMode>"
        "</HostRet></HostQueryRs>\n"
        '<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" '
        'statusMessage="Status OK"><CompanyRet><IsSampleCompany>false</IsSampleCompany>'
        "<CompanyName>Emulated Outdoor Supply</CompanyName>"
        "<LegalCompanyName>Emulated Outdoor Supply LLC</LegalCompanyName>"
        "<Address><Addr1>1 Loopback Way</Addr1><City>Mountain View</City><State>CA</State>"
        f"<PostalCode>94043</PostalCode><Country>{country}</Country></Address>"
        "</CompanyRet></CompanyQueryRs>\n"
        '<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info" '
        'statusMessage="Status OK"><PreferencesRet>'
        "<AccountingPreferences><IsUsingAccountNumbers>false</IsUsingAccountNumbers>"
        "<IsRequiringAccounts>true</IsRequiringAccounts>"
        "<IsUsingClassTracking>false</IsUsingClassTracking>"
        "<IsUsingAuditTrail>true</IsUsingAuditTrail>"
        "<IsAssigningJournalEntryNumbers>true</IsAssigningJournalEntryNumbers>"
        "</AccountingPreferences>"
        "<PurchasesAndVendorsPreferences><IsUsingInventory>true</IsUsingInventory>"
        "<DaysBillsAreDue>10</DaysBillsAreDue>"
        "<IsAutomaticallyUsingDiscounts>false</IsAutomaticallyUsingDiscounts>"
        "</PurchasesAndVendorsPreferences>"
        "<SalesAndCustomersPreferences>"
        "<IsTrackingReimbursedExpensesAsIncome>false</IsTrackingReimbursedExpensesAsIncome>"
        "<IsAutoApplyingPayments>true</IsAutoApplyingPayments>"
        "</SalesAndCustomersPreferences>"
        "<SalesTaxPreferences><DefaultItemSalesTaxRef><FullName>Out of State</FullName>"
        "</DefaultItemSalesTaxRef><PaySalesTax>Monthly</PaySalesTax>"
        "<DefaultTaxableSalesTaxCodeRef><FullName>Tax</FullName>"
        "</DefaultTaxableSalesTaxCodeRef><DefaultNonTaxableSalesTaxCodeRef>"
        "<FullName>Non</FullName></DefaultNonTaxableSalesTaxCodeRef>"
        "</SalesTaxPreferences>"
        "<CurrentAppAccessRights><IsAutomaticLoginAllowed>true</IsAutomaticLoginAllowed>"
        "<IsPersonalDataAccessAllowed>false</IsPersonalDataAccessAllowed>"
        "</CurrentAppAccessRights>"
        "</PreferencesRet></PreferencesQueryRs>\n"
        "</QBXMLMsgsRs>\n</QBXML>\n"
    )


# --------------------------------------------------------------------------------------------
# Answer shape checks (what QBWC's .NET deserializer needs)
# --------------------------------------------------------------------------------------------


def _qualified(local: str) -> str:
    return f"{{{INTUIT_NS}}}{local}"


def _describe(tag: str) -> str:
    qname = etree.QName(tag)
    return f"<{qname.localname}> in namespace {qname.namespace or '(none)'!r}"


def _element_children(node: etree._Element) -> list[etree._Element]:
    return [child for child in node if isinstance(child.tag, str)]


def check_answer_shape(envelope: etree._Element, method: str) -> None:
    """Raise ProtocolViolation unless ``envelope`` is a SOAP 1.1 answer to ``method`` per the WSDL.

    SOAP Faults pass (the caller reports them as :class:`ServerFault`).
    """
    if envelope.tag != f"{{{SOAP11_ENV_NS}}}Envelope":
        raise ProtocolViolation(
            f"{method}: the answer is not a SOAP 1.1 envelope: root element is "
            f"{_describe(envelope.tag)}"
        )
    body = envelope.find(f"{{{SOAP11_ENV_NS}}}Body")
    if body is None:
        raise ProtocolViolation(f"{method}: the SOAP envelope has no Body")
    content = _element_children(body)
    if len(content) == 1 and content[0].tag == f"{{{SOAP11_ENV_NS}}}Fault":
        return
    wrapper = _qualified(f"{method}Response")
    if len(content) != 1 or content[0].tag != wrapper:
        found = ", ".join(_describe(node.tag) for node in content) or "nothing"
        raise ProtocolViolation(
            f"{method}: the SOAP Body must hold exactly one <{method}Response> in namespace "
            f"{INTUIT_NS!r}; found {found}"
        )
    result_tag = _qualified(f"{method}Result")
    results = _element_children(content[0])
    for node in results:
        if node.tag != result_tag:
            raise ProtocolViolation(
                f"{method}: unexpected {_describe(node.tag)} inside <{method}Response>; the WSDL "
                f"allows only <{method}Result> in namespace {INTUIT_NS!r} "
                "(children are qualified: elementFormDefault='qualified')"
            )
    if len(results) > 1:
        raise ProtocolViolation(f"{method}: <{method}Result> appears {len(results)} times")
    if method == "receiveResponseXML":
        if not results:
            raise ProtocolViolation(
                "receiveResponseXML: <receiveResponseXMLResult> is required (int, minOccurs=1)"
            )
        text = (results[0].text or "").strip()
        try:
            int(text)
        except ValueError:
            raise ProtocolViolation(
                f"receiveResponseXML: <receiveResponseXMLResult> must be an int, got {text!r}"
            ) from None
    if method == "authenticate" and results:
        for node in _element_children(results[0]):
            if node.tag != _qualified("string"):
                raise ProtocolViolation(
                    f"authenticate: ArrayOfString holds {_describe(node.tag)}; items must be "
                    f"<string> in namespace {INTUIT_NS!r}"
                )


class _AnswerShapePlugin(zeep.Plugin):
    """Checks every raw answer before zeep (which is lenient about namespaces) decodes it."""

    def ingress(self, envelope, http_headers, operation):  # noqa: ANN001, ANN201 - zeep's hook
        check_answer_shape(envelope, operation.name)
        return envelope, http_headers


# --------------------------------------------------------------------------------------------
# The emulator
# --------------------------------------------------------------------------------------------


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _optional_seconds(raw: tuple[str, ...], index: int, name: str) -> int | None:
    if len(raw) <= index or raw[index].strip() == "":
        return None
    try:
        return int(raw[index].strip())
    except ValueError:
        raise ProtocolViolation(
            f"authenticate: element [{index}] ({name}) must be a number of seconds, "
            f"got {raw[index]!r}"
        ) from None


def _reported_version(quickbooks: object) -> tuple[int, int]:
    reported = getattr(quickbooks, "max_qbxml_version", None)
    if callable(reported):
        reported = reported()
    if reported is None:
        return DEFAULT_QBXML_VERSION
    major, minor = reported
    return int(major), int(minor)


OpenFailure = tuple[str, str]


class WebConnector:
    """Runs update sessions against a QBWC SOAP endpoint, the way QuickBooks Web Connector does.

    ``open_company_fails_with``: ``(hresult, message)`` makes every attempt to open the company
    file fail (→ ``connectionError``); a sequence gives one entry per attempt (``None`` = opens),
    so "fails once, then the retry works" can be scripted. ``strict=True`` raises
    :class:`ProtocolViolation` when QuickBooks rejects a request as unparsable (0x80040400)
    instead of reporting it to ``receiveResponseXML`` as QBWC does.
    """

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        quickbooks: QuickBooks,
        *,
        company_file: str = DEFAULT_COMPANY_FILE,
        qbxml_version: tuple[int, int] | None = None,
        country: str = "US",
        wsdl: str | os.PathLike[str] | None = None,
        binding: str = SOAP11_BINDING,
        client_version: str = QBWC_VERSION,
        max_round_trips: int = 1000,
        noop_wait_seconds: float = NOOP_WAIT_SECONDS,
        max_noop_waits: int = 60,
        max_connection_retries: int = MAX_CONNECTION_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
        transport: zeep.Transport | None = None,
        open_company_fails_with: OpenFailure | Sequence[OpenFailure | None] | None = None,
        strict: bool = False,
        hcp_response: str | None = None,
        close_after_none: bool = False,
        allow_non_loopback: bool = False,
    ) -> None:
        if not allow_non_loopback and not _is_loopback(url):
            raise ValueError(f"refusing to drive a non-loopback server: {url}")
        if not 0 <= noop_wait_seconds <= MAX_NOOP_WAIT_SECONDS:
            raise ValueError(f"noop_wait_seconds must be within 0..{MAX_NOOP_WAIT_SECONDS}")
        if max_round_trips < 0 or max_noop_waits < 0 or max_connection_retries < 0:
            raise ValueError("caps must not be negative")
        wsdl_path = wsdl if wsdl is not None else os.environ.get(WSDL_ENV_VAR)
        if not wsdl_path:
            raise ValueError(f"pass wsdl= or set {WSDL_ENV_VAR} to Intuit's QBWebConnectorSvc.wsdl")
        self.url = url
        self.username = username
        self.password = password
        self.quickbooks = quickbooks
        self.company_file = company_file
        self.qbxml_version = tuple(qbxml_version or _reported_version(quickbooks))
        self.country = country
        self.client_version = client_version
        self.max_round_trips = max_round_trips
        self.noop_wait_seconds = noop_wait_seconds
        self.max_noop_waits = max_noop_waits
        self.max_connection_retries = max_connection_retries
        self.sleep = sleep
        self.open_company_fails_with = open_company_fails_with
        self.strict = strict
        self.hcp_response = hcp_response
        self.close_after_none = close_after_none
        settings = zeep.Settings(
            strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        if transport is None:
            session = requests.Session()
            session.trust_env = False  # no proxy from the environment: loopback stays loopback
            transport = zeep.Transport(session=session, operation_timeout=CALLBACK_TIMEOUT_SECONDS)
        self._client = zeep.Client(
            os.fspath(wsdl_path),
            transport=transport,
            settings=settings,
            plugins=[_AnswerShapePlugin()],
        )
        # ``binding``: another WSDL's name for the same SOAP 1.1 binding (``make demo`` uses our
        # server's own WSDL when Intuit's file is absent)
        self._service = self._client.create_service(binding, url)

    # ---- public -----------------------------------------------------------------------------

    def run_update(self) -> RunReport:
        """One scheduled (or "Update Selected") run; errors carry the partial report."""
        report = RunReport()
        started = time.monotonic()
        try:
            self._run(report)
        except WebConnectorError as error:
            error.report = report
            raise
        finally:
            report.elapsed_seconds = time.monotonic() - started
        return report

    # ---- session ------------------------------------------------------------------------------

    def _run(self, report: RunReport) -> None:
        report.server_version = self._call(report, "serverVersion")
        answer = self._call(report, "clientVersion", strVersion=self.client_version)
        report.client_version_answer = answer
        if answer.startswith((CLIENT_VERSION_ERROR, CLIENT_VERSION_UPDATE)):
            report.ended_by = SessionEnd.CLIENT_VERSION_REJECTED
            return
        # "W:…" shows a dialog; the emulated user clicks "continue".

        outcome = self._authenticate(report)
        status = outcome.status.lower()
        if status == AUTH_NO_WORK:
            report.ended_by = SessionEnd.NO_WORK
            if self.close_after_none:
                report.close_message = self._call(report, "closeConnection", ticket=outcome.ticket)
            return
        if status == AUTH_INVALID_USER:
            report.ended_by = SessionEnd.INVALID_USER
            return
        if status == AUTH_BUSY:
            report.ended_by = SessionEnd.BUSY
            return
        if not outcome.ticket:
            raise ProtocolViolation(
                "authenticate: an empty ticket with work to do; QBWC would echo '' in every call"
            )

        company = self._open_company(report, outcome.ticket, outcome.company_file)
        if company is None:
            return
        report.company_file = company
        try:
            self._exchange(report, outcome.ticket, company)
        finally:
            end_session = getattr(self.quickbooks, "end_session", None)
            if callable(end_session):
                end_session()

    def _authenticate(self, report: RunReport) -> AuthenticateOutcome:
        answer = self._call(
            report, "authenticate", strUserName=self.username, strPassword=self.password
        )
        raw = tuple("" if item is None else str(item) for item in (answer or ()))
        if len(raw) < AUTH_MIN_ELEMENTS:
            raise ProtocolViolation(
                f"authenticate: ArrayOfString has {len(raw)} element(s) {list(raw)!r}; QBWC needs "
                "at least two (ticket, then ''/'none'/'nvu'/'busy'/company file), the second "
                "one present even when empty"
            )
        outcome = AuthenticateOutcome(
            ticket=raw[0],
            status=raw[1],
            postpone_seconds=_optional_seconds(raw, 2, "postpone seconds"),
            min_run_every_seconds=_optional_seconds(raw, 3, "minimum run-every seconds"),
            raw=raw,
        )
        report.authenticate = outcome
        return outcome

    def _open_failure(self, attempt: int) -> OpenFailure | None:
        plan = self.open_company_fails_with
        if plan is None:
            return None
        if len(plan) == 2 and all(isinstance(item, str) for item in plan):
            return (plan[0], plan[1])  # one (hresult, message): every attempt fails
        return plan[attempt] if attempt < len(plan) else None

    def _open_company(self, report: RunReport, ticket: str, requested: str | None) -> str | None:
        """QBWC's OpenConnection + BeginSession; failures go to connectionError."""
        company = requested or self.company_file
        attempt = 0
        while True:
            failure = self._open_failure(attempt)
            self._event(report, QB_BEGIN_SESSION, {"company_file": company}, failure or "opened")
            if failure is None:
                return company
            hresult, message = failure
            report.hresults.append((hresult, message))
            answer = self._call(
                report, "connectionError", ticket=ticket, hresult=hresult, message=message
            )
            if answer.lower() == CONNECTION_ERROR_DONE:
                report.ended_by = SessionEnd.CONNECTION_ERROR_DONE
                return None
            attempt += 1
            if attempt > self.max_connection_retries:
                raise SessionLimitExceeded(
                    f"connectionError asked for a retry {attempt} times (cap "
                    f"{self.max_connection_retries}); the guide says not more than a couple"
                )
            company = answer or self.company_file  # "" = the file currently open

    def _exchange(self, report: RunReport, ticket: str, company: str) -> None:
        major, minor = self.qbxml_version
        hcp = self._hcp()
        report.hcp_response = hcp
        first = True
        while True:
            if report.round_trips >= self.max_round_trips:
                raise SessionLimitExceeded(
                    f"the server kept the session going for {report.round_trips} round trips "
                    f"(cap {self.max_round_trips}) without returning {PROGRESS_DONE}"
                )
            request = self._call(
                report,
                "sendRequestXML",
                ticket=ticket,
                strHCPResponse=hcp if first else "",
                strCompanyFileName=company,
                qbXMLCountry=self.country,
                qbXMLMajorVers=major,
                qbXMLMinorVers=minor,
            )
            first = False
            if request == "":
                message = self._call(report, "getLastError", ticket=ticket)
                if message == LAST_ERROR_NOOP:
                    if report.noop_waits >= self.max_noop_waits:
                        raise SessionLimitExceeded(
                            f"the server answered NoOp {report.noop_waits + 1} times "
                            f"(cap {self.max_noop_waits})"
                        )
                    report.noop_waits += 1
                    self._event(report, QBWC_NOOP_WAIT, {"seconds": self.noop_wait_seconds}, None)
                    self.sleep(self.noop_wait_seconds)
                    continue
                if message == LAST_ERROR_INTERACTIVE:
                    raise NotEmulated("getLastError asked for interactive mode")
                report.errors.append(message)
                self._close(report, ticket, SessionEnd.STOPPED_ON_ERROR)
                return

            report.requests_sent.append(request)
            processed = self._process(report, request)
            if processed is None:
                report.ended_by = SessionEnd.RESPONSE_LOST
                return
            response, hresult, message = processed
            percent = self._call(
                report,
                "receiveResponseXML",
                ticket=ticket,
                response=response,
                hresult=hresult,
                message=message,
            )
            report.round_trips += 1
            report.percentages.append(percent)
            if percent > PROGRESS_DONE:
                raise ProtocolViolation(
                    f"receiveResponseXML: {percent} is not a percentage (0..99 = continue, "
                    f"{PROGRESS_DONE} = done, negative = error)"
                )
            if percent == PROGRESS_DONE:
                self._close(report, ticket, SessionEnd.COMPLETED)
                return
            if percent < 0:
                report.errors.append(self._call(report, "getLastError", ticket=ticket))
                self._close(report, ticket, SessionEnd.STOPPED_ON_ERROR)
                return

    def _process(self, report: RunReport, request: str) -> tuple[str, str, str] | None:
        """QuickBooks' ProcessRequest → (response, hresult, message); None if the answer is lost."""
        try:
            response = self.quickbooks.process(request)
        except Exception as exc:
            if _is_response_lost(exc):
                self._event(report, QB_RESPONSE_LOST, {"request": request}, repr(exc))
                return None
            failure = _hresult_of(exc)
            if failure is None:
                raise
            hresult, message = failure
            self._event(
                report, QB_PROCESS_REQUEST, {"request": request}, None, f"{hresult}: {message}"
            )
            if self.strict and hresult.upper() == HRESULT_PARSE_ERROR.upper():
                raise ProtocolViolation(
                    f"QuickBooks could not parse request #{len(report.requests_sent)} "
                    f"({hresult}: {message}):\n{request[:2000]}"
                ) from exc
            report.hresults.append((hresult, message))
            return "", hresult, message
        self._event(report, QB_PROCESS_REQUEST, {"request": request}, response)
        report.responses.append(response)
        return response, "", ""

    def _close(self, report: RunReport, ticket: str, ended_by: SessionEnd) -> None:
        report.close_message = self._call(report, "closeConnection", ticket=ticket)
        report.ended_by = ended_by

    def _hcp(self) -> str:
        if self.hcp_response is not None:
            return self.hcp_response
        for name in HCP_PROVIDERS:
            provider = getattr(self.quickbooks, name, None)
            if callable(provider):
                return provider()
        return default_hcp_response(self.qbxml_version, self.country)

    # ---- SOAP ---------------------------------------------------------------------------------

    def _event(
        self,
        report: RunReport,
        name: str,
        arguments: dict[str, Any],
        answer: Any,
        error: str | None = None,
    ) -> None:
        report.transcript.append(Call(name, arguments, answer, error))

    def _call(self, report: RunReport, method: str, **arguments: Any) -> Any:
        try:
            answer = getattr(self._service, method)(**arguments)
        except WebConnectorError as error:
            report.transcript.append(Call(method, arguments, None, error.message))
            raise
        except zeep.exceptions.Fault as fault:
            error = ServerFault(method, fault.message, fault.code)
            report.transcript.append(Call(method, arguments, None, error.message))
            raise error from fault
        except zeep.exceptions.TransportError as exc:
            content = (exc.content or b"")[:300]
            error = ProtocolViolation(
                f"{method}: the server answered HTTP {exc.status_code} without a SOAP envelope: "
                f"{content!r}"
            )
            report.transcript.append(Call(method, arguments, None, error.message))
            raise error from exc
        except (zeep.exceptions.Error, ValueError) as exc:
            error = ProtocolViolation(f"{method}: the answer does not match Intuit's WSDL: {exc}")
            report.transcript.append(Call(method, arguments, None, error.message))
            raise error from exc
        except requests.RequestException as exc:
            error = ServerUnreachable(f"{method}: no answer from {self.url}: {exc}")
            report.transcript.append(Call(method, arguments, None, error.message))
            raise error from exc
        if method == "authenticate":
            answer = ["" if item is None else item for item in (answer or [])]
        elif method != "receiveResponseXML":
            answer = "" if answer is None else answer  # .NET: <x/> and <x></x> are ""
        report.transcript.append(Call(method, arguments, answer))
        return answer
