"""Text as QuickBooks Desktop accepts it: ISO-8859-1 only, and never longer than the field allows.

QuickBooks rejects over-long strings (status 3070) and characters outside Latin-1. We fit every
string deterministically before it reaches a builder, so the same Saleor name always becomes
the same QuickBooks name (which matters for look-ups and references). The lengths are named in
``limits``; XML escaping is lxml's job.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Characters outside Latin-1 with a conventional Latin-1 spelling.
_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u2032": "'",
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-",
    "\u2026": "...", "\u20ac": "EUR", "\u2122": "TM", "\u2022": "*", "\u00a0": " ",
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0131": "i",
    "\u0152": "OE", "\u0153": "oe", "\u2044": "/", "\u2116": "No",
}


def to_latin1(text: str, *, multiline: bool = False) -> str:
    """Return ``text`` with every character QuickBooks would reject transliterated or dropped.

    Latin-1 letters (é, ü, ß, ñ) are kept; other letters lose their accents (ł→l, ő→o);
    characters with no Latin-1 spelling (CJK, emoji) are dropped. Control characters become
    spaces, except line breaks when ``multiline``.
    """
    if text.isprintable():  # no control or other unprintable character (NBSP included)
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            pass
        else:
            return text  # Latin-1 already, the common case: nothing to change
    out: list[str] = []
    for char in text:
        if char in ("\n", "\r", "\t"):
            out.append(char if multiline and char != "\t" else " ")
            continue
        code = ord(char)
        if code < 0x20 or 0x7F <= code < 0xA0:
            out.append(" ")
            continue
        if code <= 0xFF:
            out.append(char)
            continue
        if char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        out.append("".join(
            c for c in decomposed if ord(c) <= 0xFF and not unicodedata.combining(c)))
    result = "".join(out)
    if multiline:
        result = result.replace("\r\n", "\n").replace("\r", "\n")
    return result


@lru_cache(maxsize=8192)  # a pure function; settings, products and customers repeat per order
def fit(text: str | None, limit: int, *, multiline: bool = False) -> str:
    """Latin-1, surrounding whitespace and doubled spaces removed, cut to ``limit`` characters."""
    if not text:
        return ""
    clean = to_latin1(text, multiline=multiline)
    if not multiline:
        clean = " ".join(clean.split())
    return clean[:limit].rstrip()


def would_change(text: str | None, limit: int) -> bool:
    """True when ``fit`` loses something a person would notice (length or characters)."""
    if not text:
        return False
    return fit(text, limit) != " ".join(text.split())
