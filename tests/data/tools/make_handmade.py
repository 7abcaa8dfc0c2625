#!/usr/bin/env python3
"""Build hand-made tracemalloc snapshots for heapscope's test fixtures.

Usage:
    make_handmade.py KIND OUT.pickle [--protocol N]

KIND is one of:
    hostile        extreme but well-formed values (needs Python >= 3.9: 4-tuples)
    hostile-base   an older snapshot to compare 'hostile' against (>= 3.9)
    ties           tracebacks whose groups tie in size and count (any 3.6+)
    ties-base      an older snapshot to compare 'ties' against (any 3.6+)
    tuple          traces container is a tuple, plus an extra attribute 'note'
    empty          zero traces
    single         exactly one trace
    batch1001      exactly 1001 traces

Snapshots are built with tracemalloc.Snapshot(traces, traceback_limit), the
public constructor, and written with Snapshot.dump() (pickle.HIGHEST_PROTOCOL),
or with pickle.dump(snapshot, f, protocol=N) when --protocol is given.

Trace tuples follow the running Python: (domain, size, traceback) up to 3.8,
(domain, size, traceback, total_nframe) from 3.9 on.  Tracebacks are raw
tuples of (filename, lineno) frames, most recent frame first, exactly like
the ones _tracemalloc._get_traces() returns.

Everything here is deterministic: the same Python writes the same bytes.
Must stay compatible with Python 3.6.
"""

import argparse
import pickle
import sys
import tracemalloc

FOUR_TUPLES = sys.version_info >= (3, 9)
INT64_MAX = 2 ** 63 - 1


def trace(domain, size, tb, total_nframe=None):
    if total_nframe is None:
        total_nframe = len(tb)
    if FOUR_TUPLES:
        return (domain, size, tb, total_nframe)
    return (domain, size, tb)


def fresh(s):
    """An equal but distinct str object, so pickle memoises it separately."""
    return "".join(list(s))


# ---------------------------------------------------------------------------
# hostile values

F_APP = "/srv/app/main.py"
F_SURR1 = "/tmp/caf\udce9.py"  # undecodable byte 0xE9 via surrogateescape
F_SURR2 = "/srv/\udcff\udcfe/x.py"
F_LATIN = "/home/j\u00fcrgen/\u00fcn\u00ef.py"  # /home/jürgen/ünï.py
F_CJK = "/home/\u7528\u6237/\u6570\u636e\u5904\u7406.py"  # /home/用户/数据处理.py
F_EMOJI = "/srv/\U0001f40d/snake\U0001f600.py"  # astral plane (4-byte UTF-8)
F_UNKNOWN = "<unknown>"
F_FROZEN = "<frozen importlib._bootstrap>"
F_EMPTY = ""
F_BACKSLASH = "C:\\Users\\\u00dcser\\app.py"
F_CONTROL = "weird\tname\nwith newline.py"
F_NUL = "nul\x00byte.py"
# UTF-8 length boundaries of SHORT_BINUNICODE (< 256 bytes) / BINUNICODE.
F_255 = "/" + "a" * 249 + "/x.py"  # 255 UTF-8 bytes
F_256 = "/" + "\u00e9" * 127 + "x"  # 256 UTF-8 bytes, 129 code points
F_LONG = "/opt/" + "/".join("segment%02d" % i for i in range(30)) + "/m\u00f6dule.py"
# Files whose only trace ties with the others: they only differ by key.
# Code point order (Python, UTF-8 bytes):  Z < a < ä < \udcff < \ue000 < \uff01 < 😀
# UTF-16 code unit order (e.g. QString):   ... < 😀(D83D) < \udcff < \ue000 < \uff01
TIE_FILES = [
    "/tie/Z.py",
    "/tie/a.py",
    "/tie/\u00e4.py",
    "/tie/\udcff.py",
    "/tie/\ue000.py",
    "/tie/\uff01.py",
    "/tie/\U0001f600.py",
]

assert len(F_255.encode("utf-8")) == 255
assert len(F_256.encode("utf-8")) == 256
assert len(F_LONG.encode("utf-8")) > 256


def build_hostile():
    traces = []
    t = traces.append

    tb_app = ((F_APP, 10),)
    # Same traceback object reused: pickled once, then BINGET.
    t(trace(0, 1, tb_app))
    t(trace(0, 0, tb_app))  # a zero-size block
    t(trace(7, 255, tb_app))
    t(trace(2 ** 31, 2 ** 31, ((F_APP, 20), (F_APP, 10))))  # LONG1 domain and size
    t(trace(2 ** 32 - 1, 3 * 2 ** 30, ((F_SURR1, 1),)))  # max unsigned int domain
    t(trace(0, 2 ** 40, ((F_CJK, 70000),), 5))  # BININT lineno, truncated (5 > 1)
    t(trace(389047, 2 ** 62, ((F_EMOJI, 2 ** 31 - 1),)))  # largest lineno (BININT)
    t(trace(0, 2 ** 31 - 1, ((F_SURR2, 256), (F_SURR1, 255))))  # BININT2/BININT1 boundary
    t(trace(2 ** 31 - 1, 65536, ((F_LATIN, 65535),)))
    t(trace(2 ** 31, 65535, ((F_LATIN, 65536),)))
    # <unknown> frame and lineno 0
    t(trace(0, 48, ((F_UNKNOWN, 0),)))
    t(trace(0, 4096, ((F_FROZEN, 0), (F_APP, 11)), 3))
    # recursion: the same frame three times in one traceback, saturated total_nframe
    rec = ((F_APP, 50), (F_APP, 50), (F_APP, 50), (F_APP, 49), (F_LATIN, 3))
    t(trace(0, 1000, rec, 65535))
    t(trace(0, 24, rec, 65535))
    # full-length traceback (traceback_limit = 10), mixed files
    full = (
        (F_EMPTY, 1),
        (F_BACKSLASH, 2),
        (F_CONTROL, 3),
        (F_NUL, 4),
        (F_255, 5),
        (F_256, 6),
        (F_LONG, 7),
        (F_CJK, 8),
        (F_SURR2, 9),
        (F_APP, 12),
    )
    t(trace(0, 333, full, 12))
    t(trace(5, 333, full, 12))  # same traceback, other domain: domains are ignored
    # The same frames, but as *equal-valued distinct* objects (new memo entries);
    # readers must group by value, not by memo index.
    full_copy = tuple((fresh(f), l) for f, l in full)
    t(trace(0, 334, full_copy, 10))
    # A frame tuple shared between two tracebacks (never happens in real dumps).
    shared_frame = (F_LONG, 99)
    t(trace(0, 40, (shared_frame, (F_APP, 13))))
    t(trace(0, 40, (shared_frame, (F_APP, 14))))
    # Ties for 'lineno' and 'filename': one 64-byte trace per file.
    for f in TIE_FILES:
        t(trace(0, 64, ((f, 1),)))
    # Ties on the same file, numeric (not textual) lineno order: 7 < 8 < 9 < 70 < 700.
    for ln in (70, 8, 700, 9, 7):
        t(trace(0, 96, ((F_APP, ln), (F_APP, 10))))
    # Traceback ties whose order differs between raw and reversed comparison.
    t(trace(0, 128, (("/tie/a.py", 2), ("/tie/z.py", 1))))
    t(trace(0, 128, (("/tie/b.py", 2), ("/tie/y.py", 1))))
    t(trace(0, 128, (("/tie/z.py", 1),)))
    return traces


def build_hostile_base():
    traces = []
    t = traces.append
    # unchanged group (diff 0)
    t(trace(0, 1, ((F_APP, 10),)))
    # group that shrinks
    t(trace(0, 2 ** 41, ((F_CJK, 70000),), 5))
    # groups only in the base (size 0 / negative diffs in compare_to)
    t(trace(0, 500, (("/gone/\udcfe.py", 1),)))
    t(trace(0, 500, (("/gone/\u00e9.py", 1),)))
    t(trace(2 ** 32 - 1, 2 ** 33, ((F_SURR1, 2),)))
    # tie partner: same as one TIE_FILES entry, same size -> diff 0
    t(trace(0, 64, (("/tie/\U0001f600.py", 1),)))
    t(trace(0, 32, (("/tie/\udcff.py", 1),)))
    return traces


def check_sums(snap):
    """Keep every aggregate below 2**63 so that int64 suffices."""
    for kt in ("lineno", "filename", "traceback"):
        for s in snap.statistics(kt):
            assert s.size <= INT64_MAX, (kt, s)
    for kt in ("lineno", "filename"):
        for s in snap.statistics(kt, cumulative=True):
            assert s.size <= INT64_MAX, (kt, s)
    assert sum(tr[1] for tr in snap.traces._traces) <= INT64_MAX


# ---------------------------------------------------------------------------
# ties between 'traceback' groups (3.6 compares raw order, 3.7+ oldest first)

TA, TB, TC, TM, TX, TY, TZ = (
    "/t/a.py",
    "/t/b.py",
    "/t/c.py",
    "/t/m.py",
    "/t/x.py",
    "/t/y.py",
    "/t/z.py",
)
TIE_TBS = [
    # raw tuples, most recent frame first
    ((TA, 1), (TZ, 1)),
    ((TB, 1), (TY, 1)),
    ((TC, 1), (TX, 1), (TM, 5)),
    ((TA, 2), (TZ, 1)),
    ((TZ, 1),),
    ((TA, 10), (TZ, 9)),
    ((TA, 9), (TZ, 10)),
    ((TM, 5), (TA, 1), (TZ, 1)),
    ((TM, 3), (TM, 3), (TZ, 1)),  # recursion
]


def build_ties():
    traces = []
    for i, tb in enumerate(TIE_TBS):
        # every group: size 64, count 2 (sizes differ per trace)
        traces.append(trace(0, 40, tb, len(tb) + (i % 3)))
        traces.append(trace(i % 2, 24, tb, len(tb) + (i % 3)))
    # Non-tied groups around them.
    traces.append(trace(0, 1000, ((TM, 1), (TZ, 1))))
    traces.append(trace(0, 8, ((TX, 7),)))
    return traces


def build_ties_base():
    traces = []
    # TIE_TBS[0]: 128/4 in base -> diff -64/-2, ties by abs value with new groups
    for _ in range(4):
        traces.append(trace(0, 32, TIE_TBS[0]))
    # TIE_TBS[3]: unchanged -> diff 0
    traces.append(trace(0, 64, TIE_TBS[3]))
    traces.append(trace(0, 0, TIE_TBS[3]))
    # TIE_TBS[5] and [6] with 128/4 as well
    for tb in (TIE_TBS[5], TIE_TBS[6]):
        for _ in range(4):
            traces.append(trace(0, 32, tb))
    # groups only in base, tied with each other (size 0 in compare_to)
    traces.append(trace(0, 64, ((TY, 2), (TA, 2))))
    traces.append(trace(0, 64, ((TA, 2), (TY, 2))))
    traces.append(trace(0, 64, ((TY, 2),)))
    return traces


# ---------------------------------------------------------------------------
# container shapes and counts

APP = "/opt/shop/app.py"
DB = "/opt/shop/db.py"
TPL = "/opt/shop/templates.py"
SRV = "/opt/shop/server.py"


def small_tracebacks():
    """A few plausible tracebacks (raw, most recent first)."""
    return [
        ((DB, 41), (APP, 120), (SRV, 88), (SRV, 30)),
        ((DB, 57), (DB, 44), (APP, 120), (SRV, 88), (SRV, 30)),
        ((TPL, 12), (APP, 131), (SRV, 88), (SRV, 30)),
        ((TPL, 19), (TPL, 12), (APP, 131), (SRV, 88), (SRV, 30)),
        ((APP, 140),),
        ((SRV, 61), (SRV, 30)),
        (("<frozen importlib._bootstrap>", 241), ("<frozen importlib._bootstrap_external>", 940)),
        (("<unknown>", 0),),
    ]


def build_many(n, limit):
    tbs = small_tracebacks()
    traces = []
    for i in range(n):
        tb = tbs[(i * 7 + i // 13) % len(tbs)]
        size = 16 + (i * 37) % 700
        domain = 389047 if i % 97 == 0 else 0
        traces.append(trace(domain, size, tb, min(len(tb) + (i % 5 == 0) * 3, 65535)))
    return traces


def build_single():
    return [trace(0, 560, ((APP, 140), (SRV, 61), (SRV, 30)), 3)]


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind")
    ap.add_argument("out")
    ap.add_argument("--protocol", type=int)
    args = ap.parse_args()

    limit = 10
    kind = args.kind
    if kind in ("hostile", "hostile-base"):
        if not FOUR_TUPLES:
            sys.exit("hostile fixtures need Python >= 3.9")
        traces = build_hostile() if kind == "hostile" else build_hostile_base()
    elif kind == "ties":
        traces = build_ties()
    elif kind == "ties-base":
        traces = build_ties_base()
    elif kind == "tuple":
        limit = 5
        traces = tuple(build_many(1200, limit))
    elif kind == "empty":
        limit = 1
        traces = []
    elif kind == "single":
        limit = 5
        traces = build_single()
    elif kind == "batch1001":
        limit = 5
        traces = build_many(1001, limit)
    else:
        sys.exit("unknown kind %r" % kind)

    snap = tracemalloc.Snapshot(traces, limit)
    if kind == "tuple":
        snap.note = "hello"
    check_sums(snap)

    if args.protocol is None:
        snap.dump(args.out)
    else:
        with open(args.out, "wb") as f:
            pickle.dump(snap, f, protocol=args.protocol)

    # It must load back in this Python, with the same content.
    back = tracemalloc.Snapshot.load(args.out)
    assert back.traces._traces == snap.traces._traces
    assert type(back.traces._traces) is type(snap.traces._traces)
    assert back.traceback_limit == snap.traceback_limit
    if kind == "tuple":
        assert back.note == "hello"
    back.statistics("traceback")
    print("wrote %s: %d traces" % (args.out, len(traces)))


if __name__ == "__main__":
    main()
