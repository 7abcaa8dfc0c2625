#!/usr/bin/env python3
"""Cross-check truth files with an independent re-implementation.

Usage: verify_truths.py DIR        (Python 3.8+, to read protocol 5)

Recomputes every *_all list of each DIR/*.truth.json (statistics and
compare_to) straight from the raw trace tuples, following section 5 of
shared/formats/tracemalloc.md (3.6 compares tracebacks most recent frame
first, 3.7+ oldest first), without calling tracemalloc's statistics code,
and reports any difference.  Works for 3-tuple and 4-tuple files in any
Python 3.8+.  Loads the pickles with pickle.load(): only use it on fixtures
you made yourself.  Exit status 1 if anything differs.
"""

import glob
import json
import os
import pickle
import sys


def load_traces(path):
    with open(path, "rb") as f:
        return pickle.load(f).traces._traces


def group(traces, key_type, cumulative):
    """key (tuple of frames, raw order) -> [size, count]"""
    groups = {}
    for t in traces:
        size = t[1]
        tb = tuple(tuple(fr) for fr in t[2])
        if cumulative:
            frames = tb  # every frame, no deduplication
        else:
            frames = tb[:1]
        if key_type == "traceback":
            keys = [tb]
        elif key_type == "lineno":
            keys = [(fr,) for fr in frames]
        else:
            keys = [((fr[0], 0),) for fr in frames]
        for k in keys:
            e = groups.setdefault(k, [0, 0])
            e[0] += size
            e[1] += 1
    return groups


def order_key(key, v36):
    # Traceback objects compare their frames oldest first from 3.7 on.
    return key if v36 else tuple(reversed(key))


def key_fields(key, key_type):
    if key_type == "traceback":
        return {"frames_most_recent_first": [list(fr) for fr in key]}
    if key_type == "lineno":
        return {"filename": key[0][0], "lineno": key[0][1]}
    return {"filename": key[0][0]}


def stat_rows(groups, key_type, v36):
    items = sorted(groups.items(),
                   key=lambda kv: (kv[1][0], kv[1][1], order_key(kv[0], v36)),
                   reverse=True)
    rows = []
    for key, (size, count) in items:
        row = key_fields(key, key_type)
        row.update(size=size, count=count)
        rows.append(row)
    return rows


def diff_rows(new, old, key_type, v36):
    res = {}
    for k, (s, c) in new.items():
        if k in old:
            res[k] = (s, s - old[k][0], c, c - old[k][1])
        else:
            res[k] = (s, s, c, c)
    for k, (s, c) in old.items():
        if k not in new:
            res[k] = (0, -s, 0, -c)
    items = sorted(res.items(),
                   key=lambda kv: (abs(kv[1][1]), kv[1][0], abs(kv[1][3]), kv[1][2],
                                   order_key(kv[0], v36)),
                   reverse=True)
    rows = []
    for key, (s, sd, c, cd) in items:
        row = key_fields(key, key_type)
        row.update(size=s, size_diff=sd, count=c, count_diff=cd)
        rows.append(row)
    return rows


def main(argv):
    d = argv[1]
    bad = 0
    for tp in sorted(glob.glob(os.path.join(d, "*.truth.json"))):
        with open(tp) as f:
            truth = json.load(f)
        v36 = truth["python_version"].startswith("3.6.")
        traces = load_traces(os.path.join(d, truth["file"]))
        expected = {
            "statistics_lineno_all": ("lineno", False),
            "statistics_filename_all": ("filename", False),
            "statistics_traceback_all": ("traceback", False),
            "statistics_lineno_cumulative_all": ("lineno", True),
            "statistics_filename_cumulative_all": ("filename", True),
        }
        for name, (kt, cum) in expected.items():
            if name not in truth:
                print("  %s: no %s (too many groups), skipped" % (os.path.basename(tp), name))
                continue
            # Row dicts compare equal regardless of key order.
            if truth[name] != stat_rows(group(traces, kt, cum), kt, v36):
                print("MISMATCH %s %s" % (tp, name))
                bad += 1
        cmp = truth.get("compare_to_previous")
        if cmp:
            old = load_traces(os.path.join(d, cmp["previous"]))
            for kt in ("lineno", "filename", "traceback"):
                if kt + "_all" not in cmp:
                    continue
                rows = diff_rows(group(traces, kt, False), group(old, kt, False), kt, v36)
                if cmp[kt + "_all"] != rows:
                    print("MISMATCH %s compare_to %s" % (tp, kt))
                    bad += 1
        print("checked %s" % os.path.basename(tp))
    print("%d mismatches" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
