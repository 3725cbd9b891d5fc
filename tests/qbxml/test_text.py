"""Text as QuickBooks Desktop takes it: Latin-1 only, within each field's limit."""

from __future__ import annotations

import pytest

from saleor_qb_sync.qbxml import limits, text


@pytest.mark.parametrize(("value", "expected"), [
    ("José Müller", "José Müller"),
    ("Straße Ærø Ñandú", "Straße Ærø Ñandú"),
    ("Łukasz Żółć", "Lukasz Zólc"),
    ("Łódź", "Lódz"),
    ("Tom’s “quote” — dash…", "Tom's \"quote\" - dash..."),
    ("Œuvre €5 № 1 Nº 2", "OEuvre EUR5 No 1 Nº 2"),
    ("ﬁne", "fine"),
    ("山田太郎", ""),
    ("🎉 party", " party"),
    ("Москва", ""),
])
def test_letters_outside_latin1_are_transliterated_or_dropped(value, expected):
    assert text.to_latin1(value) == expected


def test_control_characters_become_spaces_and_line_breaks_survive_only_when_multiline():
    assert text.to_latin1("a\tb\x0bc\x85d") == "a b c d"
    assert text.to_latin1("one\r\ntwo\rthree", multiline=True) == "one\ntwo\nthree"
    assert text.to_latin1("one\ntwo") == "one two"


def test_fit_cuts_to_the_limit_without_leaving_trailing_spaces():
    # when
    fitted = text.fit("Jane  Doe   Enterprises International", 15)
    # then
    assert fitted == "Jane Doe Enterpr"[:15].rstrip()
    assert len(fitted) <= 15


def test_fit_of_nothing_is_the_empty_string():
    assert text.fit(None, 10) == ""
    assert text.fit("", 10) == ""
    assert text.fit("   ", 10) == ""
    assert text.fit("山田", 10) == ""


def test_fit_keeps_line_breaks_in_multiline_fields_such_as_the_memo():
    assert text.fit("Saleor order #1\nCustomer note: ring twice", limits.MEMO,
                    multiline=True) == "Saleor order #1\nCustomer note: ring twice"


def test_would_change_tells_when_a_person_would_notice_the_difference():
    assert text.would_change("x" * 42, limits.CUSTOMER_NAME)
    assert text.would_change("山田 Taro", limits.CUSTOMER_NAME)
    assert not text.would_change("Jane   Doe", limits.CUSTOMER_NAME)
    assert not text.would_change(None, limits.CUSTOMER_NAME)

