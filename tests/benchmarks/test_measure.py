"""The bench's pure helpers: /proc readers, the percentile, the table."""

from __future__ import annotations

import os

import pytest

from benchmarks.measure import (
    cpu_seconds,
    markdown_table,
    nearest_rank,
    peak_rss_mb,
    per_order_ms,
    rss_mb,
    stat_cpu_seconds,
    status_kb,
)

STATUS = """Name:\tpython
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t  812344 kB
VmHWM:\t   98312 kB
VmRSS:\t   90112 kB
Threads:\t1
"""


def test_status_kb_reads_the_named_field():
    assert status_kb(STATUS, "VmHWM") == 98312
    assert status_kb(STATUS, "VmRSS") == 90112


def test_status_kb_does_not_match_a_prefix_and_says_what_is_missing():
    with pytest.raises(ValueError, match="VmHW not in"):
        status_kb(STATUS, "VmHW")


def test_status_kb_refuses_another_unit():
    with pytest.raises(ValueError, match="expected kB"):
        status_kb("VmHWM:\t12 MB\n", "VmHWM")


def test_stat_cpu_seconds_counts_fields_after_the_command_name_even_with_spaces_in_it():
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    stat = "4242 (post (gres) x) S 1 4242 4242 0 -1 4194560 10 0 0 0 250 50 0 0 20 0 1 0"
    assert stat_cpu_seconds(stat, 100) == pytest.approx(3.0)


def test_this_process_is_readable_from_proc():
    if not os.path.exists(f"/proc/{os.getpid()}/status"):
        pytest.skip("no /proc on this system")
    now = rss_mb(os.getpid())  # first: the peak read after it is at least as high
    assert peak_rss_mb(os.getpid()) >= now > 1
    assert cpu_seconds(os.getpid()) > 0


def test_cpu_seconds_is_none_for_a_process_that_is_not_there():
    assert cpu_seconds(2**22 + 12345) is None


@pytest.mark.parametrize(("count", "fraction", "expected"), [
    (40, 0.95, 38), (40, 0.5, 20), (20, 0.95, 19), (100, 0.95, 95), (1, 0.95, 1),
    (3, 0.0, 1), (10, 1.0, 10),
])
def test_nearest_rank(count, fraction, expected):
    assert nearest_rank(list(range(1, count + 1)), fraction) == expected


def test_nearest_rank_is_the_bench_s_former_p95_for_its_40_preview_pages():
    timings = sorted(float(i * 7 % 41) for i in range(40))
    assert nearest_rank(timings, 0.95) == timings[int(0.95 * len(timings)) - 1]


def test_nearest_rank_needs_values():
    with pytest.raises(ValueError):
        nearest_rank([], 0.95)


def test_per_order_ms():
    assert per_order_ms(2.5, 1000) == "2.50"


def test_markdown_table_has_the_baseline_column_and_escapes_pipes():
    table = markdown_table([("a", "1", "2", "≤ 6", "x | y")]).splitlines()
    assert table[0] == ("| measure | this project | baseline (1 order per round trip) | target "
                        "| note |")
    assert table[1].count("|") == 6
    assert table[2] == "| a | 1 | 2 | ≤ 6 | x \\| y |"
