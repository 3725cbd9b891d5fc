"""Small, pure helpers of ``make bench``: reading a process's peak memory and CPU time from
Linux's ``/proc``, percentiles, and the table the run prints."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence


def status_kb(status: str, field: str) -> int:
    """A ``kB`` field of ``/proc/<pid>/status`` (``VmHWM``: peak resident set size)."""
    for line in status.splitlines():
        name, _, value = line.partition(":")
        if name == field:
            number, _, unit = value.strip().partition(" ")
            if unit.strip() != "kB":
                raise ValueError(f"{field}: expected kB, got {value.strip()!r}")
            return int(number)
    raise ValueError(f"{field} not in /proc status")


def stat_cpu_seconds(stat: str, ticks_per_second: int) -> float:
    """User plus system CPU time of ``/proc/<pid>/stat``. The command name (field 2) is in
    parentheses and may itself hold spaces or parentheses, so fields are counted after the
    last ``)``: state is field 3, utime field 14 and stime field 15."""
    fields = stat[stat.rindex(")") + 1:].split()
    return (int(fields[11]) + int(fields[12])) / ticks_per_second


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (``VmHWM``) in MB (MiB)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        return status_kb(fh.read(), "VmHWM") / 1024


def rss_mb(pid: int) -> float:
    """The process's resident set size now (``VmRSS``) in MB (MiB)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        return status_kb(fh.read(), "VmRSS") / 1024


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds the process has used so far, None when ``/proc`` does not show it (another
    machine's PostgreSQL, or a process this user may not read)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return stat_cpu_seconds(fh.read(), os.sysconf("SC_CLK_TCK"))
    except OSError:
        return None


def nearest_rank(ordered: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of ascending values: the smallest value with at least
    ``fraction`` of them at or below it (for 40 timings, p95 is the 38th)."""
    if not ordered:
        raise ValueError("no values")
    return ordered[max(1, math.ceil(round(fraction * len(ordered), 9))) - 1]


def per_order_ms(seconds: float, orders: int) -> str:
    return f"{1000 * seconds / orders:.2f}"


HEADER = ("measure", "this project", "baseline (1 order per round trip)", "target", "note")


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """The rows under :data:`HEADER` as a Markdown table (figures right-aligned)."""
    lines = ["| " + " | ".join(HEADER) + " |", "| --- | ---: | ---: | --- | --- |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in rows]
    return "\n".join(lines)
