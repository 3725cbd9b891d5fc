"""``python -m saleor_qb_sync.standalone.manage``: the standalone settings, the database made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import django.conf
import psycopg
import pytest

from saleor_qb_sync.standalone.manage import ensure_database

ROOT = Path(__file__).resolve().parents[2]


class Connection:
    """A stand-in for psycopg's connection to the ``postgres`` database."""

    def __init__(self, databases: set[str], log: list) -> None:
        self.databases = databases
        self.log = log

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, params=None):
        self.log.append((sql, params))
        found = params is not None and params[0] in self.databases
        return type("Cursor", (), {"fetchone": lambda self: (1,) if found else None})()


@pytest.fixture
def server(monkeypatch):
    """What ensure_database asks PostgreSQL: connect(...) arguments and statements."""
    monkeypatch.setattr(django.conf, "settings", SimpleNamespace(DATABASES={"default": {
        "NAME": "qb-shop", "HOST": "db.internal", "PORT": "6543", "USER": "qb",
        "PASSWORD": ""}}))
    state = {"databases": set(), "log": [], "connect": None}

    def connect(**kwargs):
        state["connect"] = kwargs
        return Connection(state["databases"], state["log"])

    monkeypatch.setattr(psycopg, "connect", connect)
    return state


def test_a_missing_database_is_created_from_the_postgres_database(server):
    # when
    ensure_database()

    # then
    assert server["connect"] == {"host": "db.internal", "port": "6543", "user": "qb",
                                 "password": None, "dbname": "postgres", "autocommit": True}
    assert server["log"] == [
        ("SELECT 1 FROM pg_database WHERE datname = %s", ["qb-shop"]),
        ('CREATE DATABASE "qb-shop"', None)]


def test_an_existing_database_is_left_alone(server):
    # given
    server["databases"].add("qb-shop")

    # when
    ensure_database()

    # then
    assert [sql for sql, _ in server["log"]] == [
        "SELECT 1 FROM pg_database WHERE datname = %s"]


@pytest.mark.django_db
def test_the_command_runs_with_the_standalone_settings_on_an_existing_database(settings):
    # given: the test database exists, so nothing is created
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

    # when
    done = subprocess.run([sys.executable, "-m", "saleor_qb_sync.standalone.manage", "check"],
                          cwd=ROOT, env={**env, "DATABASE_URL": url}, capture_output=True,
                          text=True, timeout=120)

    # then
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
