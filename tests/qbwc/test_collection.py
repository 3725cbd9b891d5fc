"""The garbage collector's pause around a Web Connector call (qbwc/collection.py)."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from saleor_qb_sync.qbwc.collection import collection_paused


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def a_cycle() -> weakref.ref:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


def test_automatic_collection_is_off_inside_and_back_on_after():
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_cycle_made_inside_lives_until_the_block_ends_and_no_longer():
    with collection_paused():
        cycle = a_cycle()
        garbage = [[] for _ in range(50_000)]  # far past the 700 allocations that start one
        del garbage
        assert cycle() is not None, "collected while paused"
    assert cycle() is None, "the young generation was not collected at the end"


def test_it_is_collected_even_when_the_block_raises():
    with pytest.raises(RuntimeError), collection_paused():
        cycle = a_cycle()
        raise RuntimeError("the call failed")
    assert cycle() is None
    assert gc.isenabled()


def test_a_host_that_turned_collection_off_keeps_it_off():
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_calls_on_two_threads_share_one_pause_that_ends_with_the_last():
    # given: one call inside the pause, a second one entering and leaving meanwhile
    inside, leave = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def long_call():
        with collection_paused():
            inside.set()
            leave.wait(5)
            seen["first, after the second left"] = gc.isenabled()

    thread = threading.Thread(target=long_call)
    thread.start()
    inside.wait(5)

    # when
    with collection_paused():
        pass
    seen["between"] = gc.isenabled()
    leave.set()
    thread.join(5)

    # then: the second's end did not switch the collector on under the first
    assert seen == {"between": False, "first, after the second left": False}
    assert gc.isenabled()
