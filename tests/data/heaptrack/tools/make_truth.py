#!/usr/bin/env python3
"""Writes RECORDING.truth.json: heaptrack_print's figures for a recording next
to the exact figures of exact_figures.py, in the layout of the sample truths
in tests/data/heaptrack/*.truth.json.

Usage: make_truth.py RECORDING --made-by TEXT [--top5] [--user-suppressions FILE]

Needs heaptrack_print (1.4) and zstd on PATH. Standard library only.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exact_figures  # noqa: E402

PRINT_NOTE = (
    "figures as printed by heaptrack_print 1.4.0 with %s; byte figures are "
    "rounded, 1000-based (K=1e3, M=1e6, G=1e9), unit letter only; leaked excludes "
    "suppressed leaks"
)
SUMS_NOTE = (
    "exact sums of the last column of heaptrack_print --print-flamegraph output for each "
    "--flamegraph-cost-type; leaked is after suppressions"
)
STDERR_HEAD = 5


def run_print(recording, extra=()):
    proc = subprocess.run(
        ["heaptrack_print", *extra, recording],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    return (
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        proc.returncode,
    )


def parse_summary(out, options="default options"):
    """The summary block at the end of heaptrack_print's report."""
    patterns = [
        ("total_runtime_s", r"^total runtime: ([0-9.]+)s\.$", float),
        ("calls_to_allocation_functions", r"^calls to allocation functions: (\d+) ", int),
        ("temporary_memory_allocations", r"^temporary memory allocations: (\d+) ", int),
        ("peak_heap_memory_consumption_printed", r"^peak heap memory consumption: (\S+)$", str),
        ("peak_rss_printed", r"^peak RSS \(including heaptrack overhead\): (\S+)$", str),
        ("total_memory_leaked_printed", r"^total memory leaked: (\S+)$", str),
        ("suppressed_leaks_printed", r"^suppressed leaks: (\S+)$", str),
    ]
    summary = {}
    for key, regex, conv in patterns:
        m = re.search(regex, out, re.M)
        if m:
            summary[key] = conv(m.group(1))
    summary["note"] = PRINT_NOTE % options
    return summary


def flamegraph_sums(recording, extra=()):
    sums = {}
    for cost in ("allocations", "temporary", "peak", "leaked"):
        with tempfile.NamedTemporaryFile(suffix=".txt") as tmp:
            subprocess.run(
                ["heaptrack_print", *extra, recording, "--print-flamegraph", tmp.name,
                 "--flamegraph-cost-type", cost],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            with open(tmp.name, encoding="utf-8", errors="replace") as f:
                rows = [line.rstrip("\n") for line in f if line.strip()]
        sums[cost] = sum(int(row.rsplit(" ", 1)[1]) for row in rows)
        if cost == "allocations":
            sums["stack_lines"] = len(rows)
    # keep the samples' key order
    return {
        "allocations": sums["allocations"],
        "temporary": sums["temporary"],
        "peak": sums["peak"],
        "leaked": sums["leaked"],
        "stack_lines": sums["stack_lines"],
        "note": SUMS_NOTE,
    }


SECTIONS = {
    "MOST CALLS TO ALLOCATION FUNCTIONS": "top5_by_calls",
    "PEAK MEMORY CONSUMERS": "top5_by_peak",
    "MOST TEMPORARY ALLOCATIONS": "top5_by_temporary",
}


def parse_top5(out):
    """First five entries of each section: the unindented label line ending in
    "from", the function line after it and its two-space `at`/`in` lines."""
    lists = {key: [] for key in SECTIONS.values()}
    lines = out.split("\n")
    section = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line in SECTIONS:
            section = SECTIONS[line]
        elif line.startswith("total runtime:"):
            section = None
        elif section and line.endswith(" from") and not line.startswith(" "):
            entry = {"label": line, "function": lines[i + 1]}
            j = i + 2
            while j < len(lines) and lines[j].startswith("  ") and not lines[j].startswith("   "):
                text = lines[j].strip()
                if text.startswith("at "):
                    entry["at"] = text[3:]
                elif text.startswith("in "):
                    entry["module"] = text[3:]
                j += 1
            words = line.split(" ")
            if section == "top5_by_calls":
                entry["calls"] = int(words[0])
                entry["peak_printed"] = words[words.index("with") + 1]
            elif section == "top5_by_peak":
                entry["peak_printed"] = words[0]
                entry["calls"] = int(words[words.index("over") + 1])
            else:
                entry["temporary"] = int(words[0])
                entry["calls"] = int(words[words.index("of") + 1])
            if len(lists[section]) < 5:
                lists[section].append(entry)
            i = j
            continue
        i += 1
    return lists


def print_block(recording, extra=(), leaked_before=None, expected_leaked=None):
    """heaptrack_print's summary, exit code, stderr and flame-graph sums for one
    set of options. leaked_before (exact, before suppressions) gives the exact
    suppressed bytes; expected_leaked is our own figure after suppressions."""
    out, err, rc = run_print(recording, extra)
    options = " ".join(os.path.basename(e) for e in extra) if extra else "default options"
    block = {
        "heaptrack_print": parse_summary(out, options),
        "heaptrack_print_exit_code": rc,
        "heaptrack_print_stderr_head": [l for l in err.split("\n") if l][:STDERR_HEAD],
        "heaptrack_print_flamegraph_sums": flamegraph_sums(recording, extra),
    }
    leaked = block["heaptrack_print_flamegraph_sums"]["leaked"]
    if leaked_before is not None:
        block["suppressed_leak_bytes_exact"] = leaked_before - leaked
    if expected_leaked is not None and expected_leaked != leaked:
        sys.stderr.write("%s (%s): leaked %d, exact_figures.py says %d\n"
                         % (recording, options, leaked, expected_leaked))
    return out, block


def check(recording, exact, sums):
    """Our own figures must match heaptrack_print's flame-graph totals."""
    pairs = [
        ("allocations", exact["total_allocations"]),
        ("temporary", exact["temporary_allocations_print_semantics"]),
        ("peak", exact["peak_heap_bytes"]),
        ("leaked", exact["leaked_bytes_after_suppressions"]),
    ]
    for key, value in pairs:
        if sums[key] != value:
            sys.stderr.write("%s: flame-graph %s %d, exact_figures.py says %d\n"
                             % (recording, key, sums[key], value))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("recording")
    ap.add_argument("--made-by", required=True)
    ap.add_argument("--top5", action="store_true")
    ap.add_argument("--user-suppressions")
    args = ap.parse_args()

    rec = args.recording
    user = [args.user_suppressions] if args.user_suppressions else []
    exact = exact_figures.compute(rec, user)
    # heaptrack_print reads a cut last line as a whole line: compare with that.
    as_read = exact_figures.compute(rec, user, True) if exact["incomplete_last_line"] is not None else exact
    before = as_read["leaked_bytes_before_suppressions"]
    out, block = print_block(rec, (), before, as_read["leaked_bytes_after_suppressions"])
    check(rec, as_read, block["heaptrack_print_flamegraph_sums"])

    truth = {
        "recording": os.path.basename(rec),
        "compressed_bytes": os.path.getsize(rec),
        "compression": exact["compression"],
        "made_by": args.made_by,
        "recorded_with": "heaptrack 1.4.0 (Debian 12), interpreted by heaptrack_interpret 1.4.0",
        "debuggee_command": exact["command"],
        **block,
        "exact_from_file": exact,
    }
    if as_read is not exact:
        # The figures heaptrack_print arrives at, reading the cut last line as whole.
        truth["exact_as_heaptrack_reads_it"] = as_read
    if user:
        name = os.path.basename(args.user_suppressions)
        _, with_user = print_block(
            rec, ["--suppressions", args.user_suppressions], before,
            as_read["leaked_bytes_with_user_suppressions_heaptrack_1_4"])
        _, user_only = print_block(
            rec, ["--disable-builtin-suppressions", "--suppressions", args.user_suppressions],
            before, as_read["leaked_bytes_user_rules_without_builtin"])
        truth["with_user_suppressions"] = {
            "command": "heaptrack_print --suppressions %s %s" % (name, truth["recording"]),
            **with_user,
        }
        truth["with_user_suppressions_without_builtin"] = {
            "command": "heaptrack_print --disable-builtin-suppressions --suppressions %s %s"
            % (name, truth["recording"]),
            **user_only,
        }
        truth["leak_suppression_summary"] = {
            "leaked_before_suppressions": before,
            "heaptrack_print_default": {
                "leaked": block["heaptrack_print_flamegraph_sums"]["leaked"],
                "suppressed": block["suppressed_leak_bytes_exact"],
            },
            "embedded_rules_decoded": {
                "leaked": as_read["leaked_bytes_after_suppressions_embedded_rules_decoded"],
                "suppressed": as_read["suppressed_leak_bytes_embedded_rules_decoded"],
            },
            "heaptrack_print_with_user_file": {
                "leaked": with_user["heaptrack_print_flamegraph_sums"]["leaked"],
                "suppressed": with_user["suppressed_leak_bytes_exact"],
            },
            "heaptrack_print_user_file_without_builtin": {
                "leaked": user_only["heaptrack_print_flamegraph_sums"]["leaked"],
                "suppressed": user_only["suppressed_leak_bytes_exact"],
            },
            "all_rules_intended": {
                "leaked": as_read["leaked_bytes_all_rules_intended"],
                "suppressed": as_read["suppressed_leak_bytes_all_rules_intended"],
            },
            "note": (
                "bytes; heaptrack_print 1.4 cannot read the sized S line libheaptrack 1.4 "
                "writes ('invalid suppression line'), so by default nothing is suppressed; "
                "with --suppressions it suppresses every leak (its user rules replace the "
                "first built-in rules and empty rules, which match any name, are appended); "
                "--disable-builtin-suppressions avoids that. embedded_rules_decoded and "
                "all_rules_intended are what the rules mean (built-in + S + user), computed "
                "by exact_figures.py"
            ),
        }
    if args.top5:
        truth.update(parse_top5(out))

    with open(rec + ".truth.json", "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
