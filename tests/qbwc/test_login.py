"""Web Connector log-ins: wrong passwords slow down their own address only, and under
concurrency no more passwords are checked than the limit allows."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import requests
import zeep
from django.core.management import call_command
from django.db import connections

from saleor_qb_sync import clock as clock_module
from saleor_qb_sync.clock import SettableClock
from saleor_qb_sync.models import AuthenticationAttempt, LoginThrottle
from saleor_qb_sync.qbwc import callbacks as engine_module
from saleor_qb_sync.qbwc.callbacks import AUTH_BUSY, AUTH_INVALID_USER, Engine
from saleor_qb_sync.qbwc.login import FREE_FAILURES, backoff
from saleor_qb_sync.qbwc.service import client_address
from saleor_qb_sync.testing.web_connector import SessionEnd
from saleor_qb_sync.transfers import Actor, queue_orders

from ..conftest import QBWC_PASSWORD, QBWC_USER

STAFF = Actor(email="staff@example.com")
STRANGER = "203.0.113.9"
WEB_CONNECTOR = "198.51.100.7"


@pytest.fixture
def work(configure, orders, source):
    """A store with one order waiting, so a right password gets a ticket."""
    preferences = configure()
    documents = [d for d in orders(4, seed=51) if d.status in preferences.eligible_statuses]
    queue_orders(source, preferences, STAFF, [documents[0].order_id])
    return preferences


def test_the_wait_starts_at_the_fifth_failure_doubles_and_is_capped():
    assert [backoff(n).total_seconds() for n in range(1, 12)] == [
        0, 0, 0, 0, 32, 64, 128, 256, 512, 1024, 1024]


@pytest.fixture
def clock():
    """The one clock of sessions, ledger and log-ins, moved by hand."""
    settable = SettableClock()
    with clock_module.use(settable):
        yield settable


@pytest.mark.django_db
def test_wrong_passwords_make_only_their_own_address_wait(work, source, clock):
    # given
    engine = Engine(work, source)
    for _ in range(FREE_FAILURES):
        assert engine.authenticate(QBWC_USER, "guess", STRANGER)[1] == AUTH_INVALID_USER

    # when
    stranger_right = engine.authenticate(QBWC_USER, QBWC_PASSWORD, STRANGER)
    real = engine.authenticate(QBWC_USER, QBWC_PASSWORD, WEB_CONNECTOR)

    # then: the stranger's address waits, unchecked, even with the right password; the real
    # Web Connector's address gets its ticket
    assert stranger_right == ["", AUTH_BUSY]
    assert real[0] and real[1] == work.company_file
    assert AuthenticationAttempt.objects.filter(address=STRANGER).count() == FREE_FAILURES
    clock.at += timedelta(seconds=31)
    assert engine.authenticate(QBWC_USER, "guess", STRANGER) == ["", AUTH_BUSY]
    clock.at += timedelta(seconds=2)
    assert engine.authenticate(QBWC_USER, "guess", STRANGER) == ["", AUTH_INVALID_USER]
    row = LoginThrottle.objects.get(address=STRANGER)
    assert row.failures == FREE_FAILURES + 1
    assert row.blocked_until == clock.at + timedelta(seconds=64)


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_guesses_reach_the_password_check_at_most_five_times(
        work, source, monkeypatch):
    # given: 40 wrong guesses, each in its own thread with its own database connection, all
    # released at once; the real Web Connector logs in from its own address among them
    checks = []
    real_check = engine_module.check_password

    def counted(password, encoded):
        checks.append(password)
        return real_check(password, encoded)

    monkeypatch.setattr(engine_module, "check_password", counted)
    start = threading.Barrier(41)
    answers: dict[int, list[str]] = {}

    def guess(index: int) -> None:
        try:
            start.wait()
            if index == 40:
                answers[index] = Engine(work, source).authenticate(
                    QBWC_USER, QBWC_PASSWORD, WEB_CONNECTOR)
            else:
                answers[index] = Engine(work, source).authenticate(
                    QBWC_USER, f"guess {index}", STRANGER)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(41)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then: at most five of the stranger's passwords were checked (the real one once more)
    stranger_checks = len(checks) - 1
    print(f"password checks from the guessing address: {stranger_checks} of 40")
    assert stranger_checks <= FREE_FAILURES
    assert answers[40][0], answers[40]
    stranger = [answers[i][1] for i in range(40)]
    assert stranger.count(AUTH_BUSY) >= 40 - FREE_FAILURES
    assert AuthenticationAttempt.objects.filter(address=STRANGER).count() <= FREE_FAILURES
    # and the right password from that address now gets no ticket, unchecked
    assert Engine(work, source).authenticate(QBWC_USER, QBWC_PASSWORD, STRANGER) == [
        "", AUTH_BUSY]
    assert len(checks) == stranger_checks + 1


@pytest.mark.django_db(transaction=True)
def test_through_the_live_endpoint_a_stranger_elsewhere_does_not_lock_out_web_connector(
        work, settings, quickbooks, web_connector):
    # given: behind our own proxy, which appends the client's address to X-Forwarded-For
    settings.SALEOR_QB_SYNC_TRUSTED_PROXY = True

    def from_address(address):
        session = requests.Session()
        session.trust_env = False
        session.headers["X-Forwarded-For"] = f"10.9.9.9, {address}"  # the first is made up
        return zeep.Transport(session=session)

    qb = quickbooks()
    for _ in range(FREE_FAILURES):
        assert web_connector(qb, password="guess", transport=from_address(STRANGER)
                             ).run_update().ended_by == SessionEnd.INVALID_USER

    # when
    stranger = web_connector(qb, transport=from_address(STRANGER)).run_update()
    real = web_connector(qb, transport=from_address(WEB_CONNECTOR)).run_update()

    # then
    assert stranger.ended_by == SessionEnd.BUSY
    assert real.ended_by == SessionEnd.COMPLETED
    assert len(qb.transactions()) == 1
    assert set(AuthenticationAttempt.objects.values_list("address", flat=True)) == {STRANGER}


@pytest.mark.django_db
def test_qb_unlock_lets_a_waiting_address_in_at_once(work, source, capsys):
    # given
    engine = Engine(work, source)
    for _ in range(FREE_FAILURES):
        engine.authenticate(QBWC_USER, "guess", WEB_CONNECTOR)
    assert engine.authenticate(QBWC_USER, QBWC_PASSWORD, WEB_CONNECTOR) == ["", AUTH_BUSY]
    call_command("qb_unlock", "--list")
    assert f"{WEB_CONNECTOR}\t{QBWC_USER}\t{FREE_FAILURES} failed" in capsys.readouterr().out

    # when
    call_command("qb_unlock", "--address", WEB_CONNECTOR)

    # then
    assert "Unlocked 1 address/user name pair." in capsys.readouterr().out
    assert engine.authenticate(QBWC_USER, QBWC_PASSWORD, WEB_CONNECTOR)[0]


def test_the_client_address_is_remote_addr_unless_the_proxy_is_trusted(settings):
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.1"}
    settings.SALEOR_QB_SYNC_TRUSTED_PROXY = False
    assert client_address(environ) == "127.0.0.1"
    settings.SALEOR_QB_SYNC_TRUSTED_PROXY = True
    assert client_address(environ) == "192.0.2.1"
    assert client_address({"REMOTE_ADDR": "127.0.0.1"}) == "127.0.0.1"
