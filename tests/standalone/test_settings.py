"""The standalone settings: PostgreSQL from ``DATABASE_URL``, never anything else."""

import pytest

from saleor_qb_sync.standalone.settings import database_from_url


def test_every_part_of_the_url_is_read_and_unquoted(monkeypatch):
    # given
    monkeypatch.delenv("TEST_DATABASE_NAME", raising=False)

    # when
    db = database_from_url("postgresql://qb%40shop:p%3Ass%2Fw@db.example.com:6543/qb%20sync")

    # then
    assert {key: db[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")} == {
        "ENGINE": "django.db.backends.postgresql", "NAME": "qb sync", "USER": "qb@shop",
        "PASSWORD": "p:ss/w", "HOST": "db.example.com", "PORT": "6543"}
    assert db["TEST"] == {"NAME": None}


def test_what_the_url_leaves_out_is_the_local_default(monkeypatch):
    # given
    monkeypatch.setenv("TEST_DATABASE_NAME", "qb_test_here")

    # when
    db = database_from_url("postgres://")

    # then
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "saleor_qb_sync", "postgres", "", "127.0.0.1", "5432")
    assert db["TEST"] == {"NAME": "qb_test_here"}


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://root@localhost/qb", "qb"])
def test_any_other_database_is_refused(url):
    # when / then
    with pytest.raises(ValueError, match="DATABASE_URL must be a postgres:// URL"):
        database_from_url(url)
