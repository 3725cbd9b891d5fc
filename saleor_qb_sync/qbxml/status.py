"""What a QuickBooks status code means for the export, and what a person should do about it.

Every ``…Rs`` answer carries ``statusCode`` and ``statusSeverity``. The exporter only needs to
know which of five things happened, so this module sorts codes into a ``StatusClass`` following
the policy in the qbXML reference notes (section 10): success; nothing found; something we can
fix ourselves (create the missing customer/item, then requeue); something that will pass if we
try again later; and everything else, which waits for a person. ``describe`` and
``describe_hresult`` turn codes into sentences a bookkeeper can act on. Only the numbers are
hard-coded; QuickBooks' own message is passed through, because its exact wording varies.
"""

from __future__ import annotations

from enum import StrEnum


class StatusClass(StrEnum):
    #: the request did what was asked (warnings included: ``Warn`` still means success)
    SUCCESS = "success"
    #: a query found nothing (status 1): not an error, e.g. "no duplicate"
    NOT_FOUND = "not_found"
    #: we can fix it ourselves (create or map a prerequisite) and send the request again
    FIXABLE = "fixable"
    #: QuickBooks was busy or a record was in use: send it again in a later session
    TRANSIENT = "transient"
    #: a person must change data, preferences or QuickBooks settings first
    NEEDS_PERSON = "needs_person"


#: statusSeverity values (qbXML ``…Rs`` attribute)
SEVERITY_INFO = "Info"
SEVERITY_WARN = "Warn"
SEVERITY_ERROR = "Error"

#: status 0: "Status OK"
STATUS_OK = 0
#: status 1: "A query request did not find a matching object in QuickBooks"
STATUS_NO_MATCH = 1
#: status 500: a query by several names/IDs found only some of them
STATUS_PARTIAL = 500
#: status 3391: "The iteratorID … is not valid" (an iterator of another session, or expired)
STATUS_ITERATOR_INVALID = 3391

#: warnings with which QuickBooks still saved the record an add asked for (530/531: a field or
#: value this edition ignores; 550: the notes not saved; 560: a deprecated field; 570: not
#: linked to a closed transaction); other codes below 1000 on an add do not prove it was added
ADDED_WITH_WARNING_CODES = frozenset({530, 531, 550, 560, 570})

#: first code of the error range; below it, data was returned (0–499 Info, 500–999 Warn)
FIRST_ERROR_CODE = 1000

#: codes we resolve ourselves: missing/invalid references, name in use, partial list results,
#: stale edit sequence, expired iterator (reference notes section 10, "fixable-by-us")
FIXABLE_CODES = frozenset({500, 3000, 3100, 3120, 3130, 3140, 3200, 3391, 9001})

#: codes that pass when retried later: internal error, QuickBooks not available, record in use
#: or locked by another user or window (reference notes section 10, "transient")
TRANSIENT_CODES = frozenset({1000, 1010, 3170, 3175, 3176})


def classify(status_code: int, severity: str | None = None) -> StatusClass:
    """Sort one response status into a ``StatusClass``."""
    if status_code == STATUS_OK:
        return StatusClass.SUCCESS
    if status_code == STATUS_NO_MATCH:
        return StatusClass.NOT_FOUND
    if status_code in FIXABLE_CODES:
        return StatusClass.FIXABLE
    if status_code in TRANSIENT_CODES:
        return StatusClass.TRANSIENT
    if 0 <= status_code < FIRST_ERROR_CODE and severity != SEVERITY_ERROR:
        return StatusClass.SUCCESS
    return StatusClass.NEEDS_PERSON


#: bookkeeper-readable explanation per status code; ``{message}`` is QuickBooks' own text
_DESCRIPTIONS: dict[int, str] = {
    0: "QuickBooks accepted the request.",
    1: "QuickBooks has no matching record (this is expected when checking for duplicates or "
    "for a customer or item that does not exist yet).",
    500: "QuickBooks found only some of the records asked for; the missing ones will be created "
    "or mapped before the order is sent again.",
    501: "This version of QuickBooks does not know one of the records asked for; the request "
    "was skipped.",
    510: "QuickBooks cannot return one of the records asked for; the request was skipped.",
    530: "This edition of QuickBooks does not support one of the fields we sent; QuickBooks "
    "ignored it. Please report this so the export can stop sending it.",
    531: "This edition of QuickBooks does not support one of the values we sent; QuickBooks "
    "ignored it. Please report this so the export can stop sending it.",
    550: "QuickBooks saved the record but not its notes.",
    560: "QuickBooks saved the record; the request used a field QuickBooks calls deprecated.",
    570: "QuickBooks saved the record but could not link it to the other transaction, which is "
    "already closed.",
    600: "There was nothing for QuickBooks to recover.",
    1000: "QuickBooks reported an internal error. The order will be sent again in the next "
    "Web Connector session; if it keeps failing, restart QuickBooks.",
    1010: "QuickBooks was not available. The order will be sent again in the next Web Connector "
    "session.",
    1030: "This edition of QuickBooks does not support this kind of request (for example, sales "
    "orders need QuickBooks Premier or Enterprise). Choose another transaction type in the "
    "QuickBooks export settings.",
    1060: "The request ID was not accepted by QuickBooks. This is a bug in the export; "
    "please report it.",
    3000: "QuickBooks does not recognise a record ID we sent (it may belong to another company "
    "file or have been deleted). The export will look the record up by name and try again.",
    3010: "QuickBooks rejected a yes/no value we sent. This is a bug in the export; please "
    "report it.",
    3020: "QuickBooks rejected a date we sent. This is a bug in the export; please report it.",
    3030: "QuickBooks rejected a date range we sent. This is a bug in the export; please "
    "report it.",
    3031: "QuickBooks rejected a text range we sent. This is a bug in the export; please "
    "report it.",
    3035: "QuickBooks rejected a time interval we sent. This is a bug in the export; please "
    "report it.",
    3070: "A text was too long for its QuickBooks field. Shorten the name, address or setting "
    "QuickBooks mentions, then send the order again.",
    3100: "The name is already used in QuickBooks, perhaps by an inactive customer, a vendor, "
    "an employee or an other name. The export will reuse or rename it and try again; if that "
    "fails, make the name active or rename the other record in QuickBooks.",
    3120: "A record the order refers to was deleted in QuickBooks. The export will recreate or "
    "look it up again.",
    3130: "A parent record (for example the parent customer of a job) is missing in QuickBooks. "
    "The export will create it first.",
    3140: "The order refers to a customer, item, account, class or tax item that does not exist "
    "or is inactive in QuickBooks. The export will create the customer or item and try again; "
    "for accounts, classes and tax items, check the names in the QuickBooks export settings.",
    3150: "A required field was missing from the request. This is a bug in the export; please "
    "report it.",
    3170: "QuickBooks could not change the record, probably because someone else is editing it. "
    "It will be tried again in the next session.",
    3171: "QuickBooks refused the date: the transaction is on or before the company's closing "
    "date. Ask the QuickBooks administrator to move the closing date, or export the order with "
    "a later date.",
    3175: "The record is in use by another QuickBooks user or window. It will be tried again in "
    "the next session.",
    3176: "The record is locked by another QuickBooks user or window. It will be tried again in "
    "the next session.",
    3180: "QuickBooks could not save the record; read QuickBooks' reason below (for example a "
    "credit limit or an empty transaction), fix it in Saleor or QuickBooks, then send the order "
    "again.",
    3200: "The record changed in QuickBooks since we last read it. The export will read it "
    "again and retry.",
    3210: "QuickBooks rejected a value in the order; read QuickBooks' reason below, correct the "
    "order or the QuickBooks record, then send the order again.",
    3250: "A QuickBooks feature the export needs is turned off or not in this edition (for "
    "example sales orders, class tracking, sales tax or multiple currencies). Turn it on in "
    "QuickBooks (Edit > Preferences) or change the QuickBooks export settings.",
    3260: "The QuickBooks user the Web Connector logs in as is not allowed to do this. Ask the "
    "QuickBooks administrator to give that user more rights.",
    3261: "The application is not allowed to read personal data in QuickBooks. Grant it access "
    "under Edit > Preferences > Integrated Applications.",
    3391: "A multi-part QuickBooks query expired. The export will start it again.",
    9001: "QuickBooks does not recognise a record ID we sent (it was not created by this company "
    "file). The export will look the record up by name and try again.",
}

#: explanations for whole ranges, used when a code has no sentence of its own
_RANGE_DESCRIPTIONS: tuple[tuple[int, int, str], ...] = (
    (2, 499, "QuickBooks answered with a note but accepted the request."),
    (500, 999, "QuickBooks accepted the request with a warning."),
    (1000, 1999, "QuickBooks reported a general error. Check that QuickBooks is running and "
     "the company file is open, then send the order again."),
    (3040, 3069, "QuickBooks could not read an amount, price, quantity or percentage we sent. "
     "This is a bug in the export; please report it."),
    (3000, 3099, "QuickBooks could not read a value in the request. This is a bug in the "
     "export; please report it."),
)


def describe(status_code: int, message: str = "") -> str:
    """Say what happened and what to do, followed by QuickBooks' own message when given."""
    text = _DESCRIPTIONS.get(status_code)
    if text is None:
        text = next(
            (t for low, high, t in _RANGE_DESCRIPTIONS if low <= status_code <= high),
            "QuickBooks refused the request. Read QuickBooks' message below, correct the order "
            "or the QuickBooks settings, then send the order again.",
        )
    message = " ".join((message or "").split())
    if message and status_code != STATUS_OK:
        return f"{text} (QuickBooks said, status {status_code}: {message})"
    return text


#: Web Connector transport errors (``receiveResponseXML``/``connectionError`` ``hresult``)
HRESULT_PARSE_ERROR = 0x80040400
HRESULT_CANNOT_ACCESS = 0x80040401
HRESULT_UNEXPECTED = 0x80040402
HRESULT_CANNOT_START = 0x80040408
HRESULT_BAD_TICKET = 0x8004040D
HRESULT_FILE_NAME_NEEDED = 0x80040416
HRESULT_NOT_AUTHORISED = 0x80040418
HRESULT_ACCESS_DENIED = 0x80040420

_HRESULTS: dict[int, tuple[StatusClass, str]] = {
    HRESULT_PARSE_ERROR: (
        StatusClass.NEEDS_PERSON,
        "QuickBooks could not read the request we sent (malformed XML, elements in the wrong "
        "order, or a field this QuickBooks version does not know). This is a bug in the "
        "export; please report it with the Web Connector log.",
    ),
    HRESULT_CANNOT_ACCESS: (
        StatusClass.TRANSIENT,
        "The Web Connector could not reach QuickBooks. It will try again in the next session.",
    ),
    HRESULT_UNEXPECTED: (
        StatusClass.TRANSIENT,
        "QuickBooks had an unexpected error. It will be tried again; if it keeps happening, "
        "send the qbsdklog.txt file from the QuickBooks computer to support.",
    ),
    HRESULT_CANNOT_START: (
        StatusClass.NEEDS_PERSON,
        "The Web Connector could not start QuickBooks. Open QuickBooks with the company file "
        "(or allow the application to log in automatically) and run the Web Connector again.",
    ),
    HRESULT_BAD_TICKET: (
        StatusClass.TRANSIENT,
        "The Web Connector session was no longer valid. Run the Web Connector again.",
    ),
    HRESULT_FILE_NAME_NEEDED: (
        StatusClass.NEEDS_PERSON,
        "QuickBooks is not running and no company file is configured. Open the company file "
        "in QuickBooks, or enter its full path in the QuickBooks export settings.",
    ),
    HRESULT_NOT_AUTHORISED: (
        StatusClass.NEEDS_PERSON,
        "This application has not been allowed to use this company file yet. The QuickBooks "
        "administrator must open the file in single-user mode and run the Web Connector once "
        "to grant access (Edit > Preferences > Integrated Applications).",
    ),
    HRESULT_ACCESS_DENIED: (
        StatusClass.NEEDS_PERSON,
        "A QuickBooks user refused this application access. Grant access again under Edit > "
        "Preferences > Integrated Applications, then run the Web Connector.",
    ),
}


def parse_hresult(hresult: str | int) -> int | None:
    """``"0x80040400"``, ``"80040400"`` or a (possibly negative 32-bit) int → unsigned int."""
    if isinstance(hresult, int):
        return hresult & 0xFFFFFFFF
    text = (hresult or "").strip().lower()
    if not text:
        return None
    try:
        if text.startswith(("0x", "-0x")):
            return int(text, 16) & 0xFFFFFFFF
        if text.lstrip("-").isdigit() and not text.startswith("8004"):
            return int(text) & 0xFFFFFFFF
        return int(text, 16) & 0xFFFFFFFF
    except ValueError:
        return None


def classify_hresult(hresult: str | int) -> StatusClass:
    """Whether a transport error will pass by itself (TRANSIENT) or needs a person."""
    code = parse_hresult(hresult)
    if code is not None and code in _HRESULTS:
        return _HRESULTS[code][0]
    return StatusClass.TRANSIENT


#: how much of an unreadable hresult and of Web Connector's message ``describe_hresult`` keeps
MAX_LABEL = 20
MAX_HRESULT_MESSAGE = 1000


def describe_hresult(hresult: str | int, message: str = "") -> str:
    """Explain a Web Connector ``hresult`` (e.g. ``"0x80040400"``) for a bookkeeper."""
    code = parse_hresult(hresult)
    if code is not None and code in _HRESULTS:
        text = _HRESULTS[code][1]
    else:
        text = ("The Web Connector reported an error talking to QuickBooks. It will try again "
                "in the next session; if it keeps happening, check the Web Connector log.")
    # bounded: both come from the caller, and end up in getLastError and the session
    label = f"0x{code:08X}" if code is not None else str(hresult or "").strip()[:MAX_LABEL]
    message = " ".join((message or "")[:MAX_HRESULT_MESSAGE].split())
    if message:
        return f"{text} (Web Connector said, {label}: {message})"
    return f"{text} ({label})" if label else text
