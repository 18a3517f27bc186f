#!/usr/bin/env python3
"""One table of every figure of one `make bench` run, next to its baseline from the same run.

  summarize.py RUN_DIR     print the table; write RUN_DIR/summary.json and RUN_DIR/summary.md
  summarize.py --self-test check the parsers and the table against embedded sample outputs

RUN_DIR is what tests/bench/run.sh writes (bench-results/<time>/):
  aggregator_bench.json  Google Benchmark JSON (tests/bench/aggregator_bench.cc)
  alerts.txt, queries.txt, replay.txt  homeward-load's stdout (tests/bench/load_main.cc)
  phases.txt             "<phase> ok|failed <exit code>" per phase (run.sh); optional
  machine.txt            the machine, commit and date (run.sh); optional

Targets are issue 15's. A figure the run did not produce (filtered out, its phase failed) is
"not run" with met "—"; nothing is estimated or carried over from another run. Missing files are
not an error. A file that is there but does not parse as its source writes it is: exit status 2
and a message naming the file and the line. Python 3 standard library only.
"""
import argparse
import json
import math
import os
import re
import sys
import tempfile

NOT_RUN = "not run"
DASH = "—"

# Sizes (events, children) of BM_RawSqliteInsert, BM_DurableApply, BM_DurableApplyRules and
# BM_ReplayFromStore: Sizes() in tests/bench/aggregator_bench.cc. Every one has its rows ("not run"
# if filtered out); a size found only in the JSON is added.
DEFAULT_BENCH_SIZES = [(10_000, 100), (100_000, 10_000), (1_000_000, 100_000)]
# run.sh's default BENCH_REPLAY_SIZES: always shown; sizes asked for (phases.txt) or found are added.
DEFAULT_REPLAY_SIZES = [10_000, 100_000, 1_000_000]
QUERY_THREADS = [1, 4, 16]  # homeward-load --threads default (load_main.cc)

RATIO_TARGET = 0.7  # durable apply / raw SQLite, GetChronology / echo
GAP_TARGET_MS = 5.0  # alert p99 above raw produce -> consume p99
REPLAY_RATE_TARGET = 200_000.0  # events/s, from Kafka and from the store
REPLAY_TARGET_TEXT = "≥ 200 k ev/s"
BYTES_PER_EVENT_TARGET = 300.0  # resident bytes per replayed event
FLAT_LOW, FLAT_HIGH = 0.8, 1.2  # largest-size / smallest-size cost per event


class Malformed(Exception):
    """A file is present but is not what its source writes."""


# ---- homeward-load text outputs ------------------------------------------------------------
# The formats are the absl::StrFormat calls in tests/bench/load_main.cc: Alerts(), Queries()
# and Rebuild()/Replay(). Change these regexes together with those format strings. A line that
# starts like one of them but does not match is an error (the format changed); other lines
# (anything else on homeward-load's stdout) are ignored.
NUM = r"(-?(?:\d+(?:\.\d*)?|inf|nan))"  # %.0f / %.1f / %.2f, including inf and nan

# load_main.cc, Alerts():
#   "alerts: %d events/s for %d s, 1 in %d raising an alert (%d alerts, %d received), fetch wait %d ms, "
#   "%d subscriber(s)\n"   (runs before --subscribers end at "fetch wait %d ms": read as one subscriber)
#   "  event published -> alert on duty stream: p50 %.1f ms  p99 %.1f ms  max %.1f ms\n"
#   "  event published -> alert confirmed:      p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d confirmed)\n"
#   "  raw produce -> consume, same brokers:    p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d messages)\n"
#   "  p99 above raw: %.1f ms (target <= 5 ms); confirmed: %.1f ms\n"
# The first is an alert's first update on a stream that asked for provisional ones (the duty
# team sees it then); the second its confirmed update (the alerts topic holds it).
ALERTS_LINES = [
    ("header", "alerts:",
     re.compile(r"alerts: (\d+) events/s for (\d+) s, 1 in (\d+) raising an alert \((\d+) alerts, (\d+) received\),"
                r" fetch wait (\d+) ms(?:, (\d+) subscriber\(s\))?")),
    ("hub", "event published -> alert on duty stream",
     re.compile(r"event published -> alert on duty stream:\s+p50 " + NUM + r" ms\s+p99 " + NUM + r" ms\s+max " + NUM +
                r" ms")),
    ("confirmed", "event published -> alert confirmed",
     re.compile(r"event published -> alert confirmed:\s+p50 " + NUM + r" ms\s+p99 " + NUM + r" ms\s+max " + NUM +
                r" ms\s+\((\d+) confirmed\)")),
    ("raw", "raw produce -> consume",
     re.compile(r"raw produce -> consume, same brokers:\s+p50 " + NUM + r" ms\s+p99 " + NUM + r" ms\s+max " + NUM +
                r" ms\s+\((\d+) messages\)")),
    ("gap", "p99 above raw:", re.compile(r"p99 above raw: " + NUM + r" ms \(target <= 5 ms\); confirmed: " + NUM +
                                         r" ms")),
]

# load_main.cc, Queries():
#   "queries: GetChronology of a child with %d entries (reply %d bytes), %d s per point\n"
#   "  %2d threads: GetChronology %7.0f QPS p99 %6.2f ms | echo %7.0f QPS p99 %6.2f ms | ratio %.2f (target >= 0.7)\n"
QUERIES_HEADER = ("queries:", re.compile(r"queries: GetChronology of a child with (\d+) entries \(reply (\d+) bytes\),"
                                         r" (\d+) s per point"))
QUERIES_POINT = (re.compile(r"\d+ threads:"),
                 re.compile(r"(\d+) threads: GetChronology\s+" + NUM + r" QPS p99\s+" + NUM + r" ms \| echo\s+" + NUM +
                            r" QPS p99\s+" + NUM + r" ms \| ratio " + NUM + r" \(target >= 0\.7\)"))

# load_main.cc, Replay() and Rebuild() (run.sh appends every size's output to replay.txt):
#   "replay: produced %d events over %d partitions in %.1f s\n"
#   "replay: %d events (%d added, %d dead-lettered) rebuilt in %.1f s: %.0f events/s; peak RSS %.0f MiB "
#   "(%.0f MiB before starting); %d batches, %.0f events a batch\n"  (no batches before 2026-12-08)
REPLAY_PRODUCED = re.compile(r"replay: produced (\d+) events over (\d+) partitions in " + NUM + r" s")
REPLAY_REBUILT = re.compile(r"replay: (\d+) events \((\d+) added, (\d+) dead-lettered\) rebuilt in " + NUM + r" s: " +
                            NUM + r" events/s; peak RSS " + NUM + r" MiB \(" + NUM + r" MiB before starting\)" +
                            r"(?:; (\d+) batches, " + NUM + r" events a batch)?")


def _lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n") for line in f]


def _bad(path, lineno, line, what):
    return Malformed(f"{path}:{lineno}: {what} (format of tests/bench/load_main.cc?): {line.strip()!r}")


def parse_alerts(path):
    """The alerts phase's figures, or None if the file is absent or empty."""
    if not os.path.exists(path):
        return None
    lines = _lines(path)
    if not any(line.strip() for line in lines):
        return None
    found = {}
    for lineno, line in enumerate(lines, 1):
        text = line.strip()
        for key, prefix, regex in ALERTS_LINES:
            if text.startswith(prefix):
                m = regex.fullmatch(text)
                if not m:
                    raise _bad(path, lineno, line, f"unexpected '{prefix}' line")
                found[key] = m.groups()
    if not found:
        raise Malformed(f"{path}: no line of homeward-load --mode=alerts (tests/bench/load_main.cc, Alerts())")
    missing = [key for key, _, _ in ALERTS_LINES if key not in found]
    if missing:
        return {"incomplete": f"{path}: no {', '.join(missing)} line"}
    *header, subscribers = found["header"]
    rate, seconds, every, alerts, received, fetch_wait = (int(x) for x in header)
    subscribers = int(subscribers) if subscribers is not None else 1  # absent before --subscribers
    hub = [float(x) for x in found["hub"]]
    confirmed = [float(x) for x in found["confirmed"][:3]]
    raw = [float(x) for x in found["raw"][:3]]
    return {"rate": rate, "seconds": seconds, "alert_every": every, "alerts": alerts, "received": received,
            "fetch_wait_ms": fetch_wait, "subscribers": subscribers, "p50_ms": hub[0], "p99_ms": hub[1], "max_ms": hub[2],
            "raw_p50_ms": raw[0], "raw_p99_ms": raw[1], "raw_max_ms": raw[2], "raw_messages": int(found["raw"][3]),
            "gap_ms": float(found["gap"][0]), "confirmed_p50_ms": confirmed[0], "confirmed_p99_ms": confirmed[1],
            "confirmed": int(found["confirmed"][3]), "confirmed_gap_ms": float(found["gap"][1])}


def parse_queries(path):
    """{entries, reply_bytes, seconds, points: {threads: {...}}}, or None if absent or empty."""
    if not os.path.exists(path):
        return None
    lines = _lines(path)
    if not any(line.strip() for line in lines):
        return None
    header = None
    points = {}
    for lineno, line in enumerate(lines, 1):
        text = line.strip()
        if text.startswith(QUERIES_HEADER[0]):
            m = QUERIES_HEADER[1].fullmatch(text)
            if not m:
                raise _bad(path, lineno, line, "unexpected 'queries:' line")
            header = [int(x) for x in m.groups()]
        elif QUERIES_POINT[0].match(text):
            m = QUERIES_POINT[1].fullmatch(text)
            if not m:
                raise _bad(path, lineno, line, "unexpected 'N threads:' line")
            threads = int(m.group(1))
            qps, p99, echo_qps, echo_p99, ratio = (float(x) for x in m.groups()[1:])
            points[threads] = {"qps": qps, "p99_ms": p99, "echo_qps": echo_qps, "echo_p99_ms": echo_p99,
                               "ratio": ratio}
    if header is None:
        raise Malformed(f"{path}: no 'queries:' line of homeward-load --mode=queries "
                        "(tests/bench/load_main.cc, Queries())")
    return {"entries": header[0], "reply_bytes": header[1], "seconds": header[2], "points": points}


def parse_replay(path):
    """{events: {...}} for every rebuild line, or None if the file is absent or empty."""
    if not os.path.exists(path):
        return None
    lines = _lines(path)
    if not any(line.strip() for line in lines):
        return None
    produced, rebuilt = {}, {}
    for lineno, line in enumerate(lines, 1):
        text = line.strip()
        if not text.startswith("replay:"):
            continue
        m = REPLAY_PRODUCED.fullmatch(text)
        if m:
            produced[int(m.group(1))] = {"partitions": int(m.group(2)), "produce_s": float(m.group(3))}
            continue
        m = REPLAY_REBUILT.fullmatch(text)
        if not m:
            raise _bad(path, lineno, line, "unexpected 'replay:' line")
        events, added, dead = (int(x) for x in m.groups()[:3])
        seconds, rate, peak, before = (float(x) for x in m.groups()[3:7])
        batches = int(m.group(8)) if m.group(8) is not None else None
        rebuilt[events] = {"events": events, "added": added, "dead_lettered": dead, "seconds": seconds,
                           "events_per_s": rate, "peak_rss_mib": peak, "rss_before_mib": before,
                           "batches": batches, **produced.get(events, {})}
    if not produced and not rebuilt:
        raise Malformed(f"{path}: no 'replay:' line of homeward-load --mode=replay "
                        "(tests/bench/load_main.cc, Replay(), Rebuild())")
    return {"rebuilt": rebuilt, "produced": sorted(produced)}


# ---- Google Benchmark JSON ------------------------------------------------------------------
TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
# Keys Google Benchmark writes itself; any other numeric key of an entry is a user counter.
GBENCH_KEYS = {"name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
               "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
               "items_per_second", "bytes_per_second", "label", "error_occurred", "error_message",
               "aggregate_name", "aggregate_unit", "skipped", "skip_message"}


def parse_gbench(path):
    """{(family, events, children): entry} for the sized benchmarks; None if absent or empty.

    An entry is {seconds, events_per_s, us_per_event, counters} or {error}. With repetitions,
    the median aggregate is used.
    """
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        raise Malformed(f"{path}: not Google Benchmark JSON: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise Malformed(f"{path}: no 'benchmarks' list (is it --benchmark_out_format=json?)")
    chosen = {}  # run name -> (preference, benchmark)
    for i, b in enumerate(data["benchmarks"]):
        if not isinstance(b, dict) or not isinstance(b.get("name"), str):
            raise Malformed(f"{path}: benchmarks[{i}] has no name")
        run_name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") != "median":
                continue
            preference = 2
        else:
            preference = 1
        if preference >= chosen.get(run_name, (0, None))[0]:
            chosen[run_name] = (preference, b)
    results = {}
    for run_name, (_, b) in chosen.items():
        family, *parts = run_name.split("/")
        args = [int(p) for p in parts if p.isdigit()]
        if len(args) < 2:
            continue  # not one of the sized benchmarks
        key = (family, args[0], args[1])
        if b.get("error_occurred") or b.get("skipped"):
            results[key] = {"error": str(b.get("error_message") or b.get("skip_message") or "skipped")}
            continue
        real_time, unit = b.get("real_time"), b.get("time_unit", "ns")
        if not isinstance(real_time, (int, float)) or unit not in TIME_UNITS:
            raise Malformed(f"{path}: {b['name']}: no numeric real_time with a known time_unit")
        seconds = real_time * TIME_UNITS[unit]
        if seconds <= 0:
            raise Malformed(f"{path}: {b['name']}: real_time {real_time} {unit}")
        events = args[0]
        rate = b.get("items_per_second")
        if not isinstance(rate, (int, float)) or rate <= 0:
            rate = events / seconds
        counters = {k: v for k, v in b.items() if k not in GBENCH_KEYS and isinstance(v, (int, float))}
        results[key] = {"seconds": seconds, "events_per_s": float(rate), "us_per_event": 1e6 / float(rate),
                        "counters": counters}
    return results


def parse_phases(path):
    """{phase: (status, exit code)} from run.sh's phases.txt; {} if absent."""
    phases = {}
    if not os.path.exists(path):
        return phases
    for lineno, line in enumerate(_lines(path), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        m = re.fullmatch(r"(\S+) (ok|failed) (\d+)", text)
        if not m:
            raise Malformed(f"{path}:{lineno}: expected '<phase> ok|failed <exit code>' (tests/bench/run.sh): {text!r}")
        phases[m.group(1)] = (m.group(2), int(m.group(3)))
    return phases


# ---- formatting ----------------------------------------------------------------------------
def finite(x):
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def count(n):
    """10000 -> '10 k', 1000000 -> '1 M', 12345 -> '12,345'."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000} M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000} k"
    return f"{n:,}"


def rate(x, unit):
    if not finite(x):
        return f"{x} {unit}"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M {unit}"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k {unit}"
    return f"{x:.0f} {unit}"


def num(x, digits=2):
    return f"{x:.{digits}f}" if finite(x) else str(x)


def row(figure, value=NOT_RUN, baseline=DASH, ratio=DASH, target=DASH, met=DASH, **data):
    data = {k: (v if not isinstance(v, float) or math.isfinite(v) else None) for k, v in data.items()}
    return {"figure": figure, "value": value, "baseline": baseline, "ratio": ratio, "target": target, "met": met,
            **data}


def yes_no(ok):
    return "yes" if ok else "no"


# ---- the rows ------------------------------------------------------------------------------
def why_not(phase_name, phases, file_present, filtered_note=None):
    """Why a figure is missing: the phase failed, was not run, or the figure was filtered out."""
    status = phases.get(phase_name)
    if status and status[0] == "failed":
        return f"{phase_name} phase failed (exit {status[1]})"
    if not file_present:
        if status is None:
            return f"{phase_name} phase not run"
        hint = " (BENCH_FILTER matched nothing?)" if phase_name == "bench" else ""
        return f"{phase_name} phase wrote nothing{hint}"
    return filtered_note or f"not in the {phase_name} output"


def bench_rows(gbench, phases, notes):
    rows = []
    families = ("BM_RawSqliteInsert", "BM_DurableApply", "BM_DurableApplyRules", "BM_ReplayFromStore")
    sizes = sorted({(e, c) for (f, e, c) in (gbench or {}) if f in families} | set(DEFAULT_BENCH_SIZES))

    def get(family, events, children):
        entry = (gbench or {}).get((family, events, children))
        note = None
        if gbench is None:  # one note for the whole phase
            note = "durable apply and replay from the store: " + why_not("bench", phases, False)
        elif entry is None:
            note = f"{family}/{events}/{children}: not in aggregator_bench.json (BENCH_FILTER?)"
        elif "error" in entry:
            note = f"{family}/{events}/{children} reported an error: {entry['error']}"
        if note and note not in notes:
            notes.append(note)
        return entry if note is None else None

    for name, family in (("durable apply", "BM_DurableApply"), ("durable apply with rules", "BM_DurableApplyRules")):
        for events, children in sizes:
            label = f"{name}, {count(events)} events / {count(children)} children"
            hub = get(family, events, children)
            raw = get("BM_RawSqliteInsert", events, children)
            target = f"≥ {RATIO_TARGET}"
            baseline = (f"raw SQLite WAL insert {rate(raw['events_per_s'], 'rows/s')}" if raw else
                        f"raw SQLite WAL insert: {NOT_RUN}")
            if hub is None:
                rows.append(row(label, baseline=baseline, target=target, events=events, children=children))
                continue
            value = f"{rate(hub['events_per_s'], 'ev/s')} ({hub['us_per_event']:.1f} µs/ev)"
            if raw is None:
                rows.append(row(label, value, baseline, target=target, events=events, children=children,
                                events_per_s=hub["events_per_s"]))
                continue
            ratio = hub["events_per_s"] / raw["events_per_s"]
            rows.append(row(label, value, baseline, num(ratio), target, yes_no(ratio >= RATIO_TARGET),
                            events=events, children=children, events_per_s=hub["events_per_s"],
                            baseline_per_s=raw["events_per_s"], ratio_value=ratio, target_min=RATIO_TARGET))

    for events, children in sizes:
        label = f"replay from the store, {count(events)} events / {count(children)} children"
        entry = get("BM_ReplayFromStore", events, children)
        target = REPLAY_TARGET_TEXT
        if entry is None:
            rows.append(row(label, target=target, events=events, children=children))
            rows.append(store_memory_row(label, events, children, None, notes))
            continue
        r = entry["events_per_s"]
        rows.append(row(label, f"{rate(r, 'ev/s')} ({entry['us_per_event']:.1f} µs/ev)", target=target,
                        met=yes_no(r >= REPLAY_RATE_TARGET), events=events, children=children, events_per_s=r,
                        target_min=REPLAY_RATE_TARGET))
        rows.append(store_memory_row(label, events, children, entry["counters"], notes))
    return rows, sizes


def store_memory_row(label, events, children, counters, notes):
    """Resident bytes per event after a replay from the store, if BM_ReplayFromStore reports it
    (a counter named like resident_B_per_event or bytes_per_event); "not run" otherwise."""
    label = f"{label}: bytes resident per event"
    target = f"≤ {BYTES_PER_EVENT_TARGET:.0f} B"
    per_event = next((v for k, v in sorted((counters or {}).items())
                      if re.search(r"(^|_)(B|bytes?)_per_event$", k, re.I)), None)
    if per_event is None:
        if counters is not None:
            notes.append(f"BM_ReplayFromStore/{events}/{children}: no bytes-per-event counter in this build")
        return row(label, target=target, events=events)
    return row(label, f"{per_event:,.0f} B", target=target, met=yes_no(per_event <= BYTES_PER_EVENT_TARGET),
               events=events, bytes_per_event=per_event, target_max=BYTES_PER_EVENT_TARGET)


def alert_rows(alerts, phases, notes):
    target = f"≤ +{GAP_TARGET_MS:.0f} ms"
    if alerts is None or "incomplete" in alerts:
        label = "alert latency p99 at 1,000 events/s"
        reason = why_not("alerts", phases, alerts is not None)
        if alerts is not None:
            reason += f" ({alerts['incomplete']})"
        notes.append(f"{label}: {reason}")
        return [row(label, target=target)]
    a = alerts
    followers = f", {a['subscribers']} streams following" if a["subscribers"] > 1 else ""
    label = (f"alert latency p99 at {a['rate']:,} events/s (1 in {a['alert_every']} raises an alert, "
             f"{a['seconds']} s{followers})")
    baseline = (f"raw produce → consume p99 {a['raw_p99_ms']:.1f} ms (p50 {a['raw_p50_ms']:.1f})"
                if a["raw_messages"] > 0 else "raw produce → consume: no message measured")
    if a["received"] == 0:
        notes.append(f"{label}: none of {a['alerts']} alerts reached the duty stream")
        return [row(label, f"no alert received (0 of {a['alerts']})", baseline, target=target, met="no",
                    alerts=a["alerts"], received=0)]
    value = f"p99 {a['p99_ms']:.1f} ms (p50 {a['p50_ms']:.1f})"
    if a["received"] < a["alerts"]:
        value += f", {a['received']} of {a['alerts']} alerts received"
        notes.append(f"{label}: only {a['received']} of {a['alerts']} alerts reached the duty stream")
    data = dict(rate=a["rate"], subscribers=a["subscribers"], alerts=a["alerts"], received=a["received"], p99_ms=a["p99_ms"],
                p50_ms=a["p50_ms"], baseline_p99_ms=a["raw_p99_ms"], baseline_p50_ms=a["raw_p50_ms"])
    if a["raw_messages"] == 0:
        notes.append(f"{label}: the raw baseline measured no message")
        return [row(label, value, baseline, target=target, **data)]
    gap = a["gap_ms"]
    # Every alert must also be confirmed: a provisional alert the topic never held is not delivered.
    met = gap <= GAP_TARGET_MS and a["received"] == a["alerts"] and a["confirmed"] == a["alerts"]
    if a["confirmed"] < a["alerts"]:
        notes.append(f"{label}: only {a['confirmed']} of {a['alerts']} alerts were confirmed")
    confirmed = row("… the same alerts confirmed (the alerts topic holds them)",
                    f"p99 {a['confirmed_p99_ms']:.1f} ms (p50 {a['confirmed_p50_ms']:.1f}), {a['confirmed']} confirmed",
                    baseline, f"{a['confirmed_gap_ms']:+.1f} ms", confirmed=a["confirmed"],
                    p99_ms=a["confirmed_p99_ms"], p50_ms=a["confirmed_p50_ms"], gap_ms=a["confirmed_gap_ms"])
    return [row(label, value, baseline, f"{gap:+.1f} ms", target, yes_no(met), gap_ms=gap,
                target_max_ms=GAP_TARGET_MS, **data), confirmed]


def query_rows(queries, phases, notes):
    rows = []
    target = f"≥ {RATIO_TARGET}"
    points = (queries or {}).get("points", {})
    for threads in sorted(set(QUERY_THREADS) | set(points)):
        if queries:
            label = (f"GetChronology, {queries['entries']} entries ({queries['reply_bytes']:,} B reply), "
                     f"{threads} thread{'s' if threads > 1 else ''}")
        else:
            label = f"GetChronology, 200 entries, {threads} thread{'s' if threads > 1 else ''}"
        p = points.get(threads)
        if p is None:
            notes.append(f"{label}: " + why_not("queries", phases, queries is not None,
                                                f"no {threads}-thread point in queries.txt"))
            rows.append(row(label, target=target, threads=threads))
            continue
        baseline = f"gRPC echo of the same size: {p['echo_qps']:,.0f} QPS (p99 {p['echo_p99_ms']:.2f} ms)"
        value = f"{p['qps']:,.0f} QPS (p99 {p['p99_ms']:.2f} ms)"
        data = dict(threads=threads, qps=p["qps"], p99_ms=p["p99_ms"], baseline_qps=p["echo_qps"],
                    baseline_p99_ms=p["echo_p99_ms"], target_min=RATIO_TARGET)
        if not finite(p["ratio"]) or p["echo_qps"] <= 0:
            notes.append(f"{label}: the echo baseline made no call")
            rows.append(row(label, value, baseline, target=target, **data))
            continue
        rows.append(row(label, value, baseline, num(p["ratio"]), target, yes_no(p["ratio"] >= RATIO_TARGET),
                        ratio_value=p["ratio"], **data))
    return rows


def replay_rows(replay, phases, notes):
    rows = []
    rebuilt = (replay or {}).get("rebuilt", {})
    asked = sorted(int(p.split("-", 1)[1]) for p in phases if re.fullmatch(r"replay-\d+", p))
    sizes = sorted(set(asked) | set(rebuilt) | set(DEFAULT_REPLAY_SIZES))
    for events in sizes:
        label = f"replay from Kafka, {count(events)} events"
        rate_target = REPLAY_TARGET_TEXT
        mem_target = f"≤ {BYTES_PER_EVENT_TARGET:.0f} B"
        r = rebuilt.get(events)
        if r is None:
            phase = f"replay-{events}"
            if phase in phases or not phases:
                reason = why_not(phase, phases, replay is not None,
                                 f"no rebuild line for {events} events in replay.txt")
            else:
                reason = "not among this run's replay sizes (BENCH_REPLAY_SIZES)"
            notes.append(f"{label}: {reason}")
            rows.append(row(label, target=rate_target, events=events))
            rows.append(row(f"{label}: bytes resident per event", target=mem_target, events=events))
            continue
        value = f"{rate(r['events_per_s'], 'ev/s')} ({1e6 / r['events_per_s']:.1f} µs/ev)" \
            if r["events_per_s"] > 0 else f"{r['events_per_s']:.0f} ev/s"
        if r["added"] + r["dead_lettered"] != events or r["dead_lettered"]:
            notes.append(f"{label}: {r['added']} added, {r['dead_lettered']} dead-lettered")
        rows.append(row(label, value, target=rate_target, met=yes_no(r["events_per_s"] >= REPLAY_RATE_TARGET),
                        events=events, events_per_s=r["events_per_s"], target_min=REPLAY_RATE_TARGET,
                        partitions=r.get("partitions")))
        per_event = (r["peak_rss_mib"] - r["rss_before_mib"]) * 1024 * 1024 / events
        resolution = 1024 * 1024 / events  # both MiB figures are printed rounded to whole MiB (%.0f)
        rows.append(row(f"{label}: bytes resident per event",
                        f"{per_event:,.0f} B (± {resolution:,.0f}; peak RSS {r['peak_rss_mib']:,.0f} MiB, "
                        f"{r['rss_before_mib']:,.0f} before)",
                        target=mem_target, met=yes_no(per_event <= BYTES_PER_EVENT_TARGET), events=events,
                        bytes_per_event=per_event, bytes_per_event_resolution=resolution,
                        peak_rss_mib=r["peak_rss_mib"], rss_before_mib=r["rss_before_mib"],
                        target_max=BYTES_PER_EVENT_TARGET))
    return rows


def flat_row(name, per_size, notes):
    """Cost per event at the largest size over the smallest (sizes that ran); 0.8-1.2 is flat."""
    label = f"{name}: cost per event, largest size / smallest"
    target = f"{FLAT_LOW}–{FLAT_HIGH}"
    ran = sorted((n, us) for n, us in per_size if finite(us) and us > 0)
    if len(ran) < 2:
        notes.append(f"{label}: needs two sizes, {len(ran)} ran")
        return row(label, target=target)
    (small, us_small), (large, us_large) = ran[0], ran[-1]
    ratio = us_large / us_small
    return row(f"{name}: cost per event, {count(large)} / {count(small)} events",
               f"{us_large:.1f} µs/ev at {count(large)}", f"{us_small:.1f} µs/ev at {count(small)}", num(ratio),
               target, yes_no(FLAT_LOW <= ratio <= FLAT_HIGH), smallest_events=small, largest_events=large,
               smallest_us_per_event=us_small, largest_us_per_event=us_large, ratio_value=ratio,
               target_min=FLAT_LOW, target_max=FLAT_HIGH)


def summarise(run_dir):
    """The rows and notes of one run. Raises Malformed."""
    path = lambda name: os.path.join(run_dir, name)  # noqa: E731
    phases = parse_phases(path("phases.txt"))
    notes = []

    def read(name, parser, phase_prefix):
        """A file's parse; None if it is unreadable after its phase failed (a crash mid-write)."""
        try:
            return parser(path(name))
        except Malformed as e:
            failed = sorted(p for p, (status, _) in phases.items() if status == "failed" and p.startswith(phase_prefix))
            if not failed:
                raise
            notes.append(f"{name} is unreadable after a failed phase ({', '.join(failed)}): {e}")
            return None

    gbench = read("aggregator_bench.json", parse_gbench, "bench")
    alerts = read("alerts.txt", parse_alerts, "alerts")
    queries = read("queries.txt", parse_queries, "queries")
    replay = read("replay.txt", parse_replay, "replay-")
    # A phase that exited 0 (or of a run without phases.txt) must have written all its lines.
    ran_ok = lambda phase: phases.get(phase, ("ok", 0))[0] == "ok"  # noqa: E731
    if alerts and "incomplete" in alerts and ran_ok("alerts"):
        raise Malformed(alerts["incomplete"] + " though the alerts phase succeeded")
    if queries and not queries["points"] and ran_ok("queries"):
        raise Malformed(f"{path('queries.txt')}: no 'N threads:' line though the queries phase succeeded")
    for phase, (status, _) in phases.items():
        m = re.fullmatch(r"replay-(\d+)", phase)
        if m and status == "ok" and int(m.group(1)) not in (replay or {}).get("rebuilt", {}):
            raise Malformed(f"{path('replay.txt')}: no rebuild line for {m.group(1)} events though {phase} succeeded")
    rows, sizes = bench_rows(gbench, phases, notes)
    rows = ([r for r in rows if r["figure"].startswith("durable apply")] + alert_rows(alerts, phases, notes) +
            query_rows(queries, phases, notes) + replay_rows(replay, phases, notes) +
            [r for r in rows if r["figure"].startswith("replay from the store")])

    def us(family, events, children):
        entry = (gbench or {}).get((family, events, children))
        return entry["us_per_event"] if entry and "us_per_event" in entry else None

    rebuilt = (replay or {}).get("rebuilt", {})
    rows.append(flat_row("durable apply", [(e, us("BM_DurableApply", e, c)) for e, c in sizes], notes))
    rows.append(flat_row("replay from Kafka", [(n, 1e6 / r["events_per_s"]) for n, r in rebuilt.items()
                                               if r["events_per_s"] > 0], notes))
    rows.append(flat_row("replay from the store", [(e, us("BM_ReplayFromStore", e, c)) for e, c in sizes], notes))
    for name, (status, code) in sorted(phases.items()):
        if status == "failed":
            log = {"bench": "aggregator_bench.txt"}.get(name, f"{name}.log")
            notes.append(f"phase {name} failed with exit status {code}: see {log}")
    return rows, notes


COLUMNS = [("figure", "figure"), ("value", "Homeward"), ("baseline", "baseline (same run)"),
           ("ratio", "ratio / gap"), ("target", "target"), ("met", "met")]


def markdown_table(rows):
    cells = [[title for _, title in COLUMNS]] + [[str(r[key]).replace("|", "\\|") for key, _ in COLUMNS] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    fmt = lambda c: "| " + " | ".join(s.ljust(w) for s, w in zip(c, widths)) + " |"  # noqa: E731
    return "\n".join([fmt(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [fmt(c) for c in cells[1:]])


def machine(run_dir):
    info = {}
    p = os.path.join(run_dir, "machine.txt")
    if os.path.exists(p):
        for line in _lines(p):
            key, sep, value = line.partition(":")
            if sep and key.strip():
                info[key.strip()] = value.strip()
    return info


def write_summary(run_dir, out=sys.stdout):
    rows, notes = summarise(run_dir)
    info = machine(run_dir)
    table = markdown_table(rows)
    met = [r["met"] for r in rows]
    tally = (f"{met.count('yes')} met, {met.count('no')} not met, "
             f"{sum(1 for r in rows if r['value'] == NOT_RUN)} not run, of {len(rows)} figures")
    md = ["# Benchmark summary", ""]
    md += [f"- {k}: {v}" for k, v in info.items()] + ([""] if info else [])
    md += [table, "", tally]
    if notes:
        md += ["", "Notes:", ""] + [f"- {n}" for n in notes]
    text = "\n".join(md) + "\n"
    with open(os.path.join(run_dir, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(run_dir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump({"run": os.path.basename(os.path.normpath(run_dir)), "machine": info, "rows": rows,
                   "notes": notes, "tally": tally}, f, indent=2, ensure_ascii=False, allow_nan=False)
        f.write("\n")
    out.write(table + "\n" + tally + "\n")
    for n in notes:
        out.write(f"  note: {n}\n")
    return rows


# ---- self-test -----------------------------------------------------------------------------
SAMPLE_ALERTS = """\
alerts: 1000 events/s for 20 s, 1 in 10 raising an alert (2000 alerts, 2000 received), fetch wait 10 ms, 1 subscriber(s)
  event published -> alert on duty stream: p50 22.8 ms  p99 46.3 ms  max 80.1 ms
  event published -> alert confirmed:      p50 30.1 ms  p99 52.0 ms  max 90.3 ms  (2000 confirmed)
  raw produce -> consume, same brokers:    p50 10.0 ms  p99 16.8 ms  max 20.2 ms  (10000 messages)
  p99 above raw: 29.5 ms (target <= 5 ms); confirmed: 35.2 ms
"""
SAMPLE_QUERIES = """\
queries: GetChronology of a child with 200 entries (reply 47512 bytes), 6 s per point
   1 threads: GetChronology     463 QPS p99   3.60 ms | echo    2605 QPS p99   0.96 ms | ratio 0.18 (target >= 0.7)
   4 threads: GetChronology    3000 QPS p99  12.10 ms | echo    3764 QPS p99   2.10 ms | ratio 0.80 (target >= 0.7)
  16 threads: GetChronology     708 QPS p99  32.40 ms | echo       0 QPS p99   0.00 ms | ratio inf (target >= 0.7)
"""
SAMPLE_REPLAY = """\
replay: produced 10000 events over 64 partitions in 0.4 s
replay: 10000 events (10000 added, 0 dead-lettered) rebuilt in 0.7 s: 13699 events/s; peak RSS 57 MiB (22 MiB before starting); 21 batches, 476 events a batch
replay: produced 100000 events over 64 partitions in 2.1 s
replay: 100000 events (100000 added, 0 dead-lettered) rebuilt in 5.4 s: 18519 events/s; peak RSS 268 MiB (22 MiB before starting); 201 batches, 498 events a batch
"""


def _gbench_sample(skip=()):
    benchmarks = []
    for family, us in (("BM_RawSqliteInsert", (3.6, 5.7)), ("BM_DurableApply", (4.0, 4.4)),
                       ("BM_DurableApplyRules", (61.0, 23.6)), ("BM_ReplayFromStore", (4.0, 5.0))):
        for (events, children), per in zip(DEFAULT_BENCH_SIZES[:2], us):
            name = f"{family}/{events}/{children}/process_time/real_time"
            if name.split("/")[0] + f"/{events}" in skip:
                continue
            b = {"name": name, "run_name": name, "run_type": "iteration", "repetitions": 1, "iterations": 1,
                 "real_time": per * events / 1000.0, "cpu_time": per * events / 1000.0, "time_unit": "ms",
                 "items_per_second": 1e6 / per}
            if family == "BM_DurableApply":
                b["peak_rss_MiB"] = 42.8
            if family == "BM_ReplayFromStore":
                b["resident_B_per_event"] = 2400.0 if events == 10_000 else 280.0
            benchmarks.append(b)
    return json.dumps({"context": {"library_build_type": "debug"}, "benchmarks": benchmarks})


def self_test():
    def run(files):
        with tempfile.TemporaryDirectory() as d:
            for name, text in files.items():
                with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                    f.write(text)
            with open(os.devnull, "w", encoding="utf-8") as devnull:
                rows = write_summary(d, devnull)
            with open(os.path.join(d, "summary.json"), encoding="utf-8") as f:
                assert json.load(f)["rows"] == rows
            return {r["figure"]: r for r in rows}

    def find(rows, start):
        if start in rows:
            return rows[start]
        hits = [r for f, r in rows.items() if f.startswith(start)]
        assert len(hits) == 1, (start, list(rows))
        return hits[0]

    full = {"aggregator_bench.json": _gbench_sample(), "alerts.txt": SAMPLE_ALERTS, "queries.txt": SAMPLE_QUERIES,
            "replay.txt": SAMPLE_REPLAY,
            "phases.txt": "bench ok 0\nalerts ok 0\nqueries ok 0\nreplay-10000 ok 0\nreplay-100000 ok 0\n"}
    rows = run(full)
    r = find(rows, "durable apply, 10 k events")
    assert r["ratio"] == "0.90" and r["met"] == "yes", r
    assert find(rows, "durable apply with rules, 10 k")["met"] == "no"
    assert find(rows, "durable apply, 1 M")["value"] == NOT_RUN  # not in the sample: "not run", not invented
    assert find(rows, "durable apply, 1 M")["met"] == DASH
    r = find(rows, "alert latency")
    assert r["ratio"] == "+29.5 ms" and r["met"] == "no" and r["gap_ms"] == 29.5, r
    r = find(rows, "… the same alerts confirmed")
    assert r["ratio"] == "+35.2 ms" and r["confirmed"] == 2000 and r["met"] == DASH, r
    # Fast enough, but an alert never confirmed: not met.
    quick = SAMPLE_ALERTS.replace("p99 46.3 ms", "p99 20.0 ms").replace("29.5 ms (target", "3.2 ms (target")
    assert find(run({**full, "alerts.txt": quick}), "alert latency")["met"] == "yes"
    r = find(run({**full, "alerts.txt": quick.replace("(2000 confirmed)", "(1999 confirmed)")}), "alert latency")
    assert r["met"] == "no", r
    # The header as homeward-load wrote it before --subscribers (one stream), and with ten.
    older = SAMPLE_ALERTS.replace(", 1 subscriber(s)", "")
    assert find(run({**full, "alerts.txt": older}), "alert latency")["subscribers"] == 1
    r = find(run({**full, "alerts.txt": SAMPLE_ALERTS.replace("1 subscriber(s)", "10 subscriber(s)")}), "alert latency")
    assert r["subscribers"] == 10 and "10 streams following" in r["figure"], r
    assert find(rows, "GetChronology, 200 entries (47,512 B reply), 1 thread")["met"] == "no"
    assert find(rows, "GetChronology, 200 entries (47,512 B reply), 4 threads")["met"] == "yes"
    assert find(rows, "GetChronology, 200 entries (47,512 B reply), 16 threads")["met"] == DASH  # echo made no call
    r = find(rows, "replay from Kafka, 10 k events: bytes")
    assert abs(r["bytes_per_event"] - 35 * 1048576 / 10000) < 1e-6 and r["met"] == "no", r
    assert find(rows, "replay from Kafka, 100 k events")["met"] == "no"
    # The rebuild line as homeward-load wrote it before it counted batches: read the same.
    older = re.sub(r"; \d+ batches, \d+ events a batch", "", SAMPLE_REPLAY)
    assert older != SAMPLE_REPLAY and "batches" not in older
    r = find(run({**full, "replay.txt": older}), "replay from Kafka, 10 k events: bytes")
    assert abs(r["bytes_per_event"] - 35 * 1048576 / 10000) < 1e-6, r
    assert find(rows, "replay from the store, 10 k events / 100 children")["met"] == "yes"
    r = find(rows, "replay from the store, 10 k events / 100 children: bytes resident per event")
    assert r["value"] == "2,400 B" and r["met"] == "no", r
    assert find(rows, "replay from the store, 100 k events / 10 k children: bytes resident per event")["met"] == "yes"
    r = find(rows, "durable apply: cost per event")
    assert r["ratio"] == "1.10" and r["met"] == "yes", r
    r = find(rows, "replay from Kafka: cost per event")
    assert r["ratio"] == "0.74" and r["met"] == "no", r
    assert find(rows, "replay from the store: cost per event")["ratio"] == "1.25"

    # A phase that failed, and one filtered out: "not run", the rest unaffected.
    rows = run({**full, "alerts.txt": "", "phases.txt": "bench ok 0\nalerts failed 1\nqueries ok 0\n",
                "aggregator_bench.json": _gbench_sample(skip={"BM_ReplayFromStore/10000"})})
    assert find(rows, "alert latency")["value"] == NOT_RUN and find(rows, "alert latency")["met"] == DASH
    assert find(rows, "replay from the store, 10 k events / 100 children")["value"] == NOT_RUN
    assert find(rows, "replay from the store: cost per event")["value"] == NOT_RUN
    assert find(rows, "durable apply, 10 k events")["met"] == "yes"
    # Nothing at all: every figure "not run", nothing raised.
    rows = run({})
    assert all(r["value"] == NOT_RUN and r["met"] == DASH for r in rows.values()), rows

    # Malformed files are errors.
    for files in ({"alerts.txt": SAMPLE_ALERTS.replace("p99 46.3 ms", "p99 forty ms")},
                  {"alerts.txt": "something else entirely\n"},
                  {"queries.txt": SAMPLE_QUERIES.replace("| ratio 0.18", "| r 0.18")},
                  {"replay.txt": "replay: 10000 events rebuilt\n"},
                  {"aggregator_bench.json": '{"benchmarks": [{"name": "BM_'},
                  {"aggregator_bench.json": '{"benchmarks": [{"name": "BM_DurableApply/10/1", "real_time": "x"}]}'},
                  {"alerts.txt": SAMPLE_ALERTS.splitlines()[0] + "\n"}):
        try:
            run({**files, "phases.txt": "alerts ok 0\nbench ok 0\n"})
        except Malformed:
            continue
        raise AssertionError(f"accepted a malformed file: {files}")
    # ... but a truncated file after a failed phase is that phase not run.
    rows = run({"aggregator_bench.json": '{"benchmarks": [{"name": "BM_', "phases.txt": "bench failed 134\n"})
    assert find(rows, "durable apply, 10 k events")["value"] == NOT_RUN
    print("summarize.py self-test: passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run_dir", nargs="?", help="a bench-results/<time>/ directory")
    parser.add_argument("--self-test", action="store_true", help="check the parsers on embedded samples")
    args = parser.parse_args()
    try:
        sys.stdout.reconfigure(errors="replace")
    except AttributeError:
        pass
    if args.self_test:
        self_test()
        return 0
    if not args.run_dir:
        parser.error("RUN_DIR is required")
    if not os.path.isdir(args.run_dir):
        print(f"summarize.py: {args.run_dir}: not a directory", file=sys.stderr)
        return 2
    try:
        write_summary(args.run_dir)
    except Malformed as e:
        print(f"summarize.py: malformed benchmark output: {e}", file=sys.stderr)
        return 2
    print(f"summary: {os.path.join(args.run_dir, 'summary.md')}, {os.path.join(args.run_dir, 'summary.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
