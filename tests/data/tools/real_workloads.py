#!/usr/bin/env python3
"""Small real workloads whose tracemalloc snapshots become test fixtures.

Usage:
    real_workloads.py tiny OUT.pickle
    real_workloads.py series OUT_S0.pickle OUT_S1.pickle OUT_S2.pickle

'tiny'   tracemalloc.start(5); builds a few hundred small objects (some from a
         recursion deeper than the limit); one dump.
'series' tracemalloc.start(8); a request handler whose result cache never
         evicts; three dumps of the same process after 150, +250 and +250
         requests.  Between the second and third dump the session table is
         cleared and a batch of temporary buffers is freed, so compare_to()
         sees groups that shrink or disappear as well as groups that grow.

Dumps are written with Snapshot.dump() (pickle.HIGHEST_PROTOCOL) after
Snapshot.filter_traces() has removed the importlib/<unknown> noise and the
tracemalloc module's own allocations (the usual filters from the Python
documentation), so the files stay small.

make_fixtures.sh copies this file to a neutral directory before running it,
so that the file names recorded in the traces do not reveal the checkout path.
Standard library only; works on Python 3.6+.
"""

import random
import sys
import tracemalloc

NOISE_FILTERS = [
    tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
    tracemalloc.Filter(False, "<unknown>"),
    tracemalloc.Filter(False, tracemalloc.__file__),
]


def dump(path):
    snap = tracemalloc.take_snapshot().filter_traces(NOISE_FILTERS)
    snap.dump(path)
    print("wrote %s: %d traces" % (path, len(snap.traces)))


# ---------------------------------------------------------------- tiny


class Record(object):
    def __init__(self, key, tags):
        self.key = key
        self.tags = tags
        self.payload = "x" * (16 + key % 50)


def make_tags(i):
    return [("tag%d" % (i % 7)), ("group-%d" % (i % 3))]


def build_index(n):
    index = {}
    for i in range(n):
        index["rec-%04d" % i] = Record(i, make_tags(i))
    return index


def nest(depth):
    # deeper than the traceback limit (5): total_nframe > len(traceback)
    if depth == 0:
        return {"leaf": "v" * 40}
    return {"child": nest(depth - 1), "depth": [depth] * depth}


def blobs(n):
    return [bytes(100 + 3 * i) for i in range(n)]


def tiny(out):
    tracemalloc.start(5)
    keep = build_index(60)
    keep["tree"] = nest(9)
    keep["blobs"] = blobs(20)
    dump(out)
    tracemalloc.stop()
    return keep


# ---------------------------------------------------------------- series

_RESULT_CACHE = {}  # the leak: never evicted
_SESSIONS = {}
_TEMP = []


def tokenize(text):
    return [w.lower() for w in text.split()]


def parse_query(text):
    tokens = tokenize(text)
    return {"tokens": tokens, "length": len(tokens)}


def score(tokens, depth):
    # recursion: some stacks are deeper than the traceback limit (8)
    if depth <= 0 or not tokens:
        return [len(t) for t in tokens]
    return score(tokens[1:], depth - 1) + [depth]


def render(result):
    return "<li>%s</li>" % "</li><li>".join(str(x) for x in result["scores"])


def handle_search(req_id, text, rnd):
    key = (text, req_id % 40)
    hit = _RESULT_CACHE.get(key)
    if hit is None:
        parsed = parse_query(text)
        scores = score(parsed["tokens"], rnd.randint(0, 6))
        hit = {"query": parsed, "scores": scores}
        hit["html"] = render(hit)
        _RESULT_CACHE[key] = hit
    return hit


def handle_login(req_id, rnd):
    _SESSIONS["sess-%06d" % req_id] = {"user": "user%d" % rnd.randint(0, 99), "n": req_id}


def handle_upload(req_id, rnd):
    _TEMP.append(bytearray(rnd.randint(64, 512)))


WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def serve(first, count, rnd):
    for req_id in range(first, first + count):
        kind = rnd.random()
        if kind < 0.7:
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 5)))
            handle_search(req_id, text, rnd)
        elif kind < 0.85:
            handle_login(req_id, rnd)
        else:
            handle_upload(req_id, rnd)


def series(out0, out1, out2):
    rnd = random.Random(1234)
    tracemalloc.start(8)
    serve(0, 150, rnd)
    dump(out0)
    serve(150, 250, rnd)
    dump(out1)
    _SESSIONS.clear()
    del _TEMP[: len(_TEMP) // 2]
    serve(400, 250, rnd)
    dump(out2)
    tracemalloc.stop()


def main(argv):
    if len(argv) == 3 and argv[1] == "tiny":
        tiny(argv[2])
    elif len(argv) == 5 and argv[1] == "series":
        series(argv[2], argv[3], argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
