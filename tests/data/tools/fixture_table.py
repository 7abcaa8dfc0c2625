#!/usr/bin/env python3
"""Rewrite the fixture table in tests/data/tracemalloc/README.md from the truth files.

Usage: fixture_table.py DIR
Replaces the lines between '<!-- table:begin -->' and '<!-- table:end -->'.
Only the fixtures named in HOW (the ones make_fixtures.sh makes) are listed.
"""

import glob
import json
import os
import sys

HOW = {
    "repickle-p0": "3.12 `pickle.dump(snap, f, protocol=0)` of the filtered shared sample t0",
    "repickle-p1": "same snapshot, protocol 1",
    "repickle-p2": "same snapshot, protocol 2",
    "repickle-p3": "same snapshot, protocol 3",
    "repickle-p4-py312": "same snapshot, protocol 4 (4-tuples in protocol 4: never written by `dump()`)",
    "hostile-values-py312": "by hand, `Snapshot(...).dump()`: extreme values (see below)",
    "hostile-values-base-py312": "by hand; the 'previous' snapshot for hostile-values-py312",
    "hostile-values-p0-py312": "hostile-values-py312 content, `pickle.dump(..., protocol=0)`",
    "hostile-values-p1-py312": "hostile-values-py312 content, `pickle.dump(..., protocol=1)`",
    "ties-py36": "by hand, traceback groups tied in size and count (3.6 order); previous = ties-py36-base",
    "ties-py36-base": "by hand; previous snapshot for ties-py36",
    "ties-py37": "same content as ties-py36, written by 3.7 (oldest-first order)",
    "ties-py37-base": "by hand; previous snapshot for ties-py37",
    "ties-py38": "same content, written by 3.8 (protocol 5, 3-tuples)",
    "ties-py38-base": "by hand; previous snapshot for ties-py38",
    "ties-py39": "same content, written by 3.9 (protocol 5, 4-tuples)",
    "ties-py39-base": "by hand; previous snapshot for ties-py39",
    "tuple-container-py311": "by hand; traces held in a `tuple` (one `MARK ... TUPLE`, no APPENDS batches) and an extra attribute `note='hello'`",
    "empty-py311": "by hand; zero traces (`EMPTY_LIST` without APPENDS)",
    "single-py311": "by hand; one trace (`item APPEND`)",
    "batch1001-py311": "by hand; 1001 traces (`MARK` 1000 `APPENDS`, `MARK` 1 `APPENDS`)",
    "tiny-py311": "real `tracemalloc.start(5)` dump of a small workload (byte-prefix tests)",
    "series-py311-s0": "real dump, leaky request handler, limit 8, after 150 requests",
    "series-py311-s1": "same process after +250 requests; previous = s0",
    "series-py311-s2": "same process after +250 more (sessions cleared, half the buffers freed); previous = s1",
}


def main(argv):
    d = argv[1]
    rows = []
    total = 0
    for path in sorted(glob.glob(os.path.join(d, "*.truth.json"))):
        t = json.load(open(path))
        name = os.path.basename(path)[: -len(".truth.json")]
        if name not in HOW:  # not one of ours (e.g. a copied shared sample)
            continue
        total += t["file_size_bytes"]
        rows.append(
            "| %s.pickle | %s | %s | %d | %s | %d | %s | %s | %s |"
            % (
                name,
                t["python_version"],
                HOW.get(name, ""),
                t["protocol"],
                "/".join(str(x) for x in t["trace_tuple_len"]) or "-",
                t["number_of_traces"],
                format(t["total_size"], ","),
                format(t["file_size_bytes"], ","),
                t.get("compare_to_previous", {}).get("previous", "-"),
            )
        )
    table = [
        "| file | Python | how made | protocol | tuple len | traces | total size (bytes) | file size (bytes) | previous |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ] + rows + ["", "Total pickle bytes: %s." % format(total, ",")]
    readme = os.path.join(d, "README.md")
    text = open(readme, encoding="utf-8").read()
    begin, end = "<!-- table:begin -->", "<!-- table:end -->"
    a = text.index(begin) + len(begin)
    b = text.index(end)
    text = text[:a] + "\n" + "\n".join(table) + "\n" + text[b:]
    with open(readme, "w", encoding="utf-8") as f:
        f.write(text)
    print("updated", readme)


if __name__ == "__main__":
    main(sys.argv)
