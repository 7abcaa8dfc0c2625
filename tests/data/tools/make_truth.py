#!/usr/bin/env python3
"""Compute the expected values ("truth") for a tracemalloc snapshot dump.

Usage:
    make_truth.py PICKLE [PREVIOUS_PICKLE] [-o OUT.truth.json] [--all-limit N]

Writes NAME.truth.json beside PICKLE (NAME = PICKLE without its .pickle /
.pkl / .dump suffix) unless -o is given.  The output has the same keys and
structure as shared/samples/tracemalloc/*.truth.json, plus:

  statistics_lineno_all, statistics_filename_all, statistics_traceback_all,
  statistics_lineno_cumulative_all, statistics_filename_cumulative_all
      every row of the corresponding statistics() call, in Python's order;
  statistics_lineno_cumulative_groups, statistics_filename_cumulative_groups
      number of groups of statistics('lineno'|'filename', cumulative=True);
  filenames_utf8_surrogatepass_hex
      every distinct filename, as the hex of its UTF-8 bytes with lone
      surrogates encoded by 'surrogatepass' (= the bytes inside the pickle),
      sorted in code point order (= byte order).  JSON escapes lone
      surrogates as "\\udcXX", which many JSON parsers mangle; this list lets
      a test compare the exact bytes instead;
  compare_to_previous.lineno_all / filename_all / traceback_all
      every row of compare_to(previous, ...), in Python's order;
  snapshot_extra_state
      only present when the Snapshot carried attributes other than
      'traces' and 'traceback_limit' (sorted names -> repr of the value).

The *_all lists are written only when the number of groups is <= --all-limit
(default 200; -1 = always, 0 = never).  The top-N keys are always written.

IMPORTANT: run this with the Python version that wrote (and can read) the
file: the 'traceback' ordering differs between 3.6 and 3.7+, 3.6/3.7 cannot
read protocol 5, and 3.9+ cannot compute statistics on 3-tuple traces.

Loading a pickle executes whatever it asks for: only run this on files you
made yourself.

Must stay compatible with Python 3.6 (no walrus, no positional-only params).
"""

import argparse
import collections
import hashlib
import json
import os
import pickletools
import platform
import sys
import tracemalloc

MEMO_PUT_OPCODES = ("MEMOIZE", "PUT", "BINPUT", "LONG_BINPUT")

# Traceback objects store the frames oldest-first from 3.7 on, most recent
# first in 3.6.  The raw frame tuples in the file are always most recent first.
TRACEBACK_IS_REVERSED = sys.version_info >= (3, 7)


def stem(path):
    base = os.path.basename(path)
    for ext in (".pickle", ".pkl", ".dump", ".snapshot"):
        if base.endswith(ext):
            return base[: -len(ext)]
    return base


def frames_mrf_from_traceback(tb):
    """tracemalloc.Traceback -> [[filename, lineno], ...] most recent first."""
    frames = [[f.filename, f.lineno] for f in tb]
    if TRACEBACK_IS_REVERSED:
        frames.reverse()
    return frames


def frames_mrf_from_raw(raw_tb):
    return [[f[0], f[1]] for f in raw_tb]


def raw_trace_json(trace):
    d = collections.OrderedDict()
    d["domain"] = trace[0]
    d["size"] = trace[1]
    d["frames_most_recent_first"] = frames_mrf_from_raw(trace[2])
    if len(trace) >= 4:
        d["total_nframe"] = trace[3]
    return d


def stat_row(stat, key_type):
    d = collections.OrderedDict()
    if key_type == "traceback":
        d["size"] = stat.size
        d["count"] = stat.count
        d["frames_most_recent_first"] = frames_mrf_from_traceback(stat.traceback)
    else:
        frame = stat.traceback[0]
        d["filename"] = frame.filename
        if key_type == "lineno":
            d["lineno"] = frame.lineno
        d["size"] = stat.size
        d["count"] = stat.count
    return d


def diff_row(stat, key_type):
    d = collections.OrderedDict()
    if key_type == "traceback":
        d["size"] = stat.size
        d["size_diff"] = stat.size_diff
        d["count"] = stat.count
        d["count_diff"] = stat.count_diff
        d["frames_most_recent_first"] = frames_mrf_from_traceback(stat.traceback)
    else:
        frame = stat.traceback[0]
        d["filename"] = frame.filename
        if key_type == "lineno":
            d["lineno"] = frame.lineno
        d["size"] = stat.size
        d["count"] = stat.count
        d["size_diff"] = stat.size_diff
        d["count_diff"] = stat.count_diff
    return d


def want_all(n, limit):
    if limit < 0:
        return True
    return n <= limit


def pickle_info(data):
    counts = collections.Counter()
    memo = set()
    protocol = None
    # Without a PROTO opcode (protocols 0 and 1) report the highest protocol
    # any opcode needs: 0 for text pickles, 1 for binary ones.
    needed = 0
    for opcode, arg, _pos in pickletools.genops(data):
        counts[opcode.name] += 1
        needed = max(needed, opcode.proto)
        if opcode.name == "PROTO" and protocol is None:
            protocol = arg
        elif opcode.name == "MEMOIZE":
            memo.add(("auto", len(memo)))
        elif opcode.name in MEMO_PUT_OPCODES:
            memo.add(("idx", arg))
    if protocol is None:
        protocol = needed
    ordered = collections.OrderedDict(sorted(counts.items()))
    return protocol, ordered, len(memo)


def build_truth(path, prev_path, all_limit):
    with open(path, "rb") as f:
        data = f.read()
    protocol, opcode_counts, memo_entries = pickle_info(data)

    snap = tracemalloc.Snapshot.load(path)
    raw = snap.traces._traces
    traces = list(raw)

    truth = collections.OrderedDict()
    truth["file"] = os.path.basename(path)
    truth["file_size_bytes"] = len(data)
    truth["sha256"] = hashlib.sha256(data).hexdigest()
    truth["python_version"] = platform.python_version()
    truth["protocol"] = protocol
    truth["traceback_limit"] = snap.traceback_limit
    truth["traces_container"] = type(raw).__name__
    truth["trace_tuple_len"] = sorted(set(len(t) for t in traces))
    truth["number_of_traces"] = len(traces)
    truth["total_size"] = sum(t[1] for t in traces)
    truth["total_count"] = len(traces)

    domains = {}
    for t in traces:
        d = domains.setdefault(t[0], [0, 0])
        d[0] += 1
        d[1] += t[1]
    dom_json = collections.OrderedDict()
    for dom in sorted(domains):
        e = collections.OrderedDict()
        e["count"] = domains[dom][0]
        e["size"] = domains[dom][1]
        dom_json[str(dom)] = e
    truth["domains"] = dom_json

    tracebacks = set()
    filenames = set()
    frames = set()
    total_frames = 0
    sum_lineno = 0
    max_frames = 0
    has_nframe = bool(traces) and all(len(t) >= 4 for t in traces)
    sum_nframe = 0
    nframe_gt = 0
    for t in traces:
        tb = tuple(tuple(fr) for fr in t[2])
        tracebacks.add(tb)
        total_frames += len(tb)
        max_frames = max(max_frames, len(tb))
        for fr in tb:
            filenames.add(fr[0])
            frames.add(fr)
            sum_lineno += fr[1]
        if has_nframe:
            sum_nframe += t[3]
            if t[3] > len(tb):
                nframe_gt += 1
    checks = collections.OrderedDict()
    checks["unique_tracebacks"] = len(tracebacks)
    checks["unique_filenames"] = len(filenames)
    checks["unique_frames"] = len(frames)
    checks["total_frames"] = total_frames
    checks["sum_lineno_all_frames"] = sum_lineno
    checks["max_frames_per_traceback"] = max_frames
    checks["sum_total_nframe"] = sum_nframe if has_nframe else None
    checks["traces_with_total_nframe_gt_frames"] = nframe_gt if has_nframe else None
    checks["memo_entries"] = memo_entries
    checks["first_traces"] = [raw_trace_json(t) for t in traces[:3]]
    checks["last_trace"] = raw_trace_json(traces[-1]) if traces else None
    truth["checks"] = checks

    extra = {k: v for k, v in vars(snap).items() if k not in ("traces", "traceback_limit")}

    truth["pickle_opcode_counts"] = opcode_counts

    st_lineno = snap.statistics("lineno")
    st_filename = snap.statistics("filename")
    st_lineno_cum = snap.statistics("lineno", cumulative=True)
    st_filename_cum = snap.statistics("filename", cumulative=True)
    st_traceback = snap.statistics("traceback")

    truth["statistics_lineno_groups"] = len(st_lineno)
    truth["statistics_lineno_top10"] = [stat_row(s, "lineno") for s in st_lineno[:10]]
    truth["statistics_filename_groups"] = len(st_filename)
    truth["statistics_filename_top10"] = [stat_row(s, "filename") for s in st_filename[:10]]
    truth["statistics_lineno_cumulative_top10"] = [
        stat_row(s, "lineno") for s in st_lineno_cum[:10]
    ]
    truth["statistics_traceback_groups"] = len(st_traceback)
    truth["statistics_traceback_top5"] = [stat_row(s, "traceback") for s in st_traceback[:5]]

    # Extra keys (not in the shared samples).
    truth["statistics_lineno_cumulative_groups"] = len(st_lineno_cum)
    truth["statistics_filename_cumulative_groups"] = len(st_filename_cum)
    for name, stats, kt in (
        ("statistics_lineno_all", st_lineno, "lineno"),
        ("statistics_filename_all", st_filename, "filename"),
        ("statistics_traceback_all", st_traceback, "traceback"),
        ("statistics_lineno_cumulative_all", st_lineno_cum, "lineno"),
        ("statistics_filename_cumulative_all", st_filename_cum, "filename"),
    ):
        if want_all(len(stats), all_limit):
            truth[name] = [stat_row(s, kt) for s in stats]

    if want_all(len(filenames), all_limit):
        truth["filenames_utf8_surrogatepass_hex"] = [
            f.encode("utf-8", "surrogatepass").hex() for f in sorted(filenames)
        ]

    if extra:
        truth["snapshot_extra_state"] = collections.OrderedDict(
            (k, repr(extra[k])) for k in sorted(extra)
        )

    if prev_path:
        prev = tracemalloc.Snapshot.load(prev_path)
        cmp = collections.OrderedDict()
        cmp["previous"] = os.path.basename(prev_path)
        c_lineno = snap.compare_to(prev, "lineno")
        c_filename = snap.compare_to(prev, "filename")
        c_traceback = snap.compare_to(prev, "traceback")
        cmp["lineno_entries"] = len(c_lineno)
        cmp["lineno_top10"] = [diff_row(s, "lineno") for s in c_lineno[:10]]
        cmp["filename_entries"] = len(c_filename)
        cmp["filename_top10"] = [diff_row(s, "filename") for s in c_filename[:10]]
        cmp["traceback_entries"] = len(c_traceback)
        cmp["traceback_top3"] = [diff_row(s, "traceback") for s in c_traceback[:3]]
        for name, stats, kt in (
            ("lineno_all", c_lineno, "lineno"),
            ("filename_all", c_filename, "filename"),
            ("traceback_all", c_traceback, "traceback"),
        ):
            if want_all(len(stats), all_limit):
                cmp[name] = [diff_row(s, kt) for s in stats]
        truth["compare_to_previous"] = cmp

    return truth


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pickle")
    ap.add_argument("previous", nargs="?")
    ap.add_argument("-o", "--output")
    ap.add_argument("--all-limit", type=int, default=200)
    args = ap.parse_args(argv)

    truth = build_truth(args.pickle, args.previous, args.all_limit)
    out = args.output or os.path.join(
        os.path.dirname(args.pickle), stem(args.pickle) + ".truth.json"
    )
    with open(out, "w", encoding="ascii") as f:
        json.dump(truth, f, indent=1, ensure_ascii=True)
        f.write("\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
