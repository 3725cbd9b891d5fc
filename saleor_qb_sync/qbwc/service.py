"""The QBWC SOAP contract on spyne: thin ``@rpc`` methods that hand every call to ``Engine``.

Names, parameter names and the namespace are exactly Intuit's (``http://developer.intuit.com/``,
document/literal wrapped); Web Connector never reads our WSDL, it sends messages of that shape.
``soap_view(request, engine_factory)`` is the single HTTP entry point both hosts mount: it
answers QBWC's plain GET with 200, serves the WSDL on ``?wsdl``, refuses wrong content types,
oversized bodies and hostile XML before spyne reads a byte, and turns any failure into a SOAP
fault rather than an HTML page.

The body is read in pieces, the size limit applied while reading, with or without a
Content-Length (``Transfer-Encoding: chunked``, which Django's request ignores, is read from a
WSGI server that decodes it, ``wsgi.input_terminated``, or from Django's ASGI body; a server that
cannot, such as Django's runserver, gets 411). Whatever encoding the envelope declares (BOM,
XML declaration, else UTF-8; the HTTP charset is not trusted) lxml reads it once, and spyne gets
it again as UTF-8, so an unknown or contradicting charset is a fault, never a traceback.
"""

from __future__ import annotations

import contextvars
import io
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from lxml import etree

from ..errors import QbXmlError
from ..qbxml.parse import parse_xml
from .callbacks import Engine
from .collection import collection_paused
from .compat import soap, spyne, wsgi

Application, Array, Integer, ServiceBase, Unicode, rpc = (
    spyne.Application, spyne.Array, spyne.Integer, spyne.ServiceBase, spyne.Unicode, spyne.rpc)

logger = logging.getLogger(__name__)

#: the namespace Web Connector requires for every message
QBWC_NAMESPACE = "http://developer.intuit.com/"
#: the body QBWC's plain GET (certificate check when adding the .qwc) receives
PLAIN_GET_BODY = ("saleor-qb-sync: QuickBooks Web Connector endpoint. "
                  "Add the .qwc file to Web Connector.")
#: SOAP bodies above this many bytes are refused (answers for 200 orders stay far below)
DEFAULT_MAX_BODY = 5 * 1024 * 1024
SOAP_CONTENT_TYPES = ("text/xml", "application/soap+xml")
#: how much of the body one read asks for
READ_PIECE = 64 * 1024

_current_engine: contextvars.ContextVar[Engine] = contextvars.ContextVar("qbwc_engine")

ArrayOfString = Array(Unicode, type_name="ArrayOfString")


def _engine() -> Engine:
    return _current_engine.get()


class QBWebConnectorService(ServiceBase):
    @rpc(_returns=Unicode, _body_style="wrapped")
    def serverVersion(ctx):  # noqa: N802, N805
        return _engine().server_version()

    @rpc(Unicode, _returns=Unicode, _body_style="wrapped")
    def clientVersion(ctx, strVersion):  # noqa: N802, N803, N805
        return _engine().client_version(strVersion)

    @rpc(Unicode, Unicode, _returns=ArrayOfString, _body_style="wrapped")
    def authenticate(ctx, strUserName, strPassword):  # noqa: N803, N805
        return _engine().authenticate(strUserName, strPassword,
                                      client_address(ctx.transport.req_env))

    @rpc(Unicode, Unicode, Unicode, Unicode, Integer, Integer, _returns=Unicode,
         _body_style="wrapped")
    def sendRequestXML(ctx, ticket, strHCPResponse, strCompanyFileName,  # noqa: N802, N803, N805
                       qbXMLCountry, qbXMLMajorVers, qbXMLMinorVers):
        return _engine().send_request_xml(ticket, strHCPResponse, strCompanyFileName,
                                          qbXMLCountry, qbXMLMajorVers, qbXMLMinorVers)

    @rpc(Unicode, Unicode, Unicode, Unicode, _returns=Integer, _body_style="wrapped")
    def receiveResponseXML(ctx, ticket, response, hresult, message):  # noqa: N802, N805
        return _engine().receive_response_xml(ticket, response, hresult, message)

    @rpc(Unicode, Unicode, Unicode, _returns=Unicode, _body_style="wrapped")
    def connectionError(ctx, ticket, hresult, message):  # noqa: N802, N805
        return _engine().connection_error(ticket, hresult, message)

    @rpc(Unicode, _returns=Unicode, _body_style="wrapped")
    def getLastError(ctx, ticket):  # noqa: N802, N805
        return _engine().get_last_error(ticket)

    @rpc(Unicode, _returns=Unicode, _body_style="wrapped")
    def closeConnection(ctx, ticket):  # noqa: N802, N805
        return _engine().close_connection(ticket)


def client_address(environ: dict) -> str:
    """The caller's address, the key log-ins are throttled by: REMOTE_ADDR, or, when
    ``SALEOR_QB_SYNC_TRUSTED_PROXY`` is on (the server sits behind one proxy of our own), the
    last X-Forwarded-For entry, the one that proxy appended (earlier ones the client wrote)."""
    if getattr(settings, "SALEOR_QB_SYNC_TRUSTED_PROXY", False):
        forwarded = [part.strip() for part in
                     (environ.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return environ.get("REMOTE_ADDR") or ""


def _on_method_exception(ctx) -> None:
    error = ctx.out_error
    if isinstance(error, spyne.Fault) and str(error.faultcode).split(":")[-1].startswith(
            "Client"):
        # the caller's mistake (a value its type cannot take): answered as a fault, no traceback
        logger.warning("QBWC call %s refused: %s", getattr(ctx, "method_name", "?"),
                       error.faultstring)
        return
    logger.error("QBWC call %s failed", getattr(ctx, "method_name", "?"), exc_info=error)


soap_application = Application(
    [QBWebConnectorService],
    tns=QBWC_NAMESPACE,
    name="QBWebConnectorSvc",
    in_protocol=soap.Soap11(validator="lxml"),
    out_protocol=soap.Soap11(),
)
soap_application.event_manager.add_listener("method_exception_object", _on_method_exception)
_wsgi_app = wsgi.WsgiApplication(soap_application)


def _call_spyne(request: HttpRequest, body: bytes = b"") -> HttpResponse:
    """Run spyne's WSGI application on a Django request whose body we have already read."""
    response = HttpResponse()

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        response.status_code = int(status.split(" ", 1)[0])
        for header, value in headers:
            response[header] = value

    environ = request.META.copy()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    if body:
        environ["CONTENT_TYPE"] = "text/xml; charset=utf-8"  # what _utf8_body made of it
    environ.setdefault("wsgi.url_scheme", request.scheme)
    response.content = b"".join(_wsgi_app(environ, start_response))
    return response


def _collection_pause() -> AbstractContextManager:
    """The garbage collector's pause around a call (``collection.py``: about a fifth of a write
    set's CPU), unless the host's settings say ``SALEOR_QB_SYNC_PAUSE_COLLECTOR = False``."""
    if getattr(settings, "SALEOR_QB_SYNC_PAUSE_COLLECTOR", True):
        return collection_paused()
    return nullcontext()


def soap_fault(message: str, *, code: str = "soap:Client", status: int = 500) -> HttpResponse:
    """A SOAP 1.1 fault envelope (built by lxml, so the message is escaped)."""
    soap = "http://schemas.xmlsoap.org/soap/envelope/"
    envelope = etree.Element(f"{{{soap}}}Envelope", nsmap={"soap": soap})
    fault = etree.SubElement(etree.SubElement(envelope, f"{{{soap}}}Body"), f"{{{soap}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = message
    body = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


class BodyRefused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def read_body(request: HttpRequest, limit: int) -> bytes:
    """The body, at most ``limit`` bytes, read in pieces so that no more than ``limit + 1``
    bytes are ever read; ``BodyRefused`` (413, 411, 400) otherwise."""
    too_large = BodyRefused(f"The message is larger than {limit} bytes.", 413)
    meta = request.META
    if "chunked" in (meta.get("HTTP_TRANSFER_ENCODING") or "").lower():
        environ = getattr(request, "environ", None)  # WSGI; an ASGI request has read the body
        if environ is not None and not environ.get("wsgi.input_terminated"):
            raise BodyRefused("This server cannot read a chunked body; send a Content-Length.",
                              411)
        stream = environ["wsgi.input"] if environ is not None else request
    else:
        raw_length = (meta.get("CONTENT_LENGTH") or "0").strip() or "0"
        if not raw_length.isdigit():
            raise BodyRefused(f"The Content-Length {raw_length[:20]!r} is not a number.", 400)
        if int(raw_length) > limit:
            raise too_large
        stream = request  # Django reads no more than the Content-Length
    pieces: list[bytes] = []
    size = 0
    while size <= limit:
        piece = stream.read(min(READ_PIECE, limit + 1 - size))
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    if size > limit:
        raise too_large
    return b"".join(pieces)


def _empty_body(root) -> bool:
    body = next((child for child in root if isinstance(child.tag, str)
                 and etree.QName(child).localname == "Body"), None)
    return body is not None and not any(isinstance(child.tag, str) for child in body)


def _utf8_body(root) -> bytes:
    """The envelope lxml read (in the encoding it declared), as UTF-8 for spyne."""
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8")


def soap_view(request: HttpRequest, engine_factory: Callable[[], Engine]) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        if "wsdl" in {k.lower() for k in request.GET}:
            return _call_spyne(request)
        return HttpResponse(PLAIN_GET_BODY, content_type="text/plain; charset=utf-8")
    if request.method != "POST":
        return soap_fault("Web Connector speaks SOAP over POST.", status=405)
    content_type = (request.META.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if content_type not in SOAP_CONTENT_TYPES:
        return soap_fault(f"Expected a SOAP message (text/xml), not {content_type or 'nothing'}.",
                          status=415)
    limit = getattr(settings, "SALEOR_QB_SYNC_MAX_SOAP_BODY", DEFAULT_MAX_BODY)
    try:
        body = read_body(request, limit)
    except BodyRefused as exc:
        return soap_fault(exc.message, status=exc.status)
    try:
        root = parse_xml(body)
    except QbXmlError as exc:
        return soap_fault(exc.message)
    if _empty_body(root):  # spyne 2.14 fails with an AttributeError on one
        return soap_fault("The SOAP Body names no call.")
    body = _utf8_body(root)
    try:  # the host's settings may be unreadable: still a SOAP fault, never an HTML page
        engine = engine_factory()
    except Exception:  # noqa: BLE001 - logged; Web Connector shows the fault's text
        logger.exception("QBWC SOAP call failed: the store's settings could not be read")
        return soap_fault("The server could not read the store's QuickBooks settings; see the "
                          "server log.", code="soap:Server")
    token = _current_engine.set(engine)
    try:
        with _collection_pause():
            return _call_spyne(request, body)
    except Exception:  # noqa: BLE001 - never an HTML error page for Web Connector; logged
        logger.exception("QBWC SOAP call failed")
        return soap_fault("The server could not process the call.", code="soap:Server")
    finally:
        _current_engine.reset(token)
