#!/usr/bin/env python3
"""Write large, realistic tracemalloc dumps for heapscope benchmarks.

Usage:
    make_large_dump.py OUT_OLD [OUT_NEW] [--traces N] [--limit L] [--grow F]

Runs a synthetic "service" made of generated modules (routes -> services ->
optional recursive helpers -> models) under tracemalloc.start(L) (default 12)
and keeps many small objects alive, until the first snapshot holds at least N
traces (default 1,000,000).  It dumps that snapshot to OUT_OLD.  With OUT_NEW,
the same process then frees about a seventh of the request batches, serves
F times as many requests again (default 0.5) including a route that did not
exist before, and dumps a second, later snapshot to OUT_NEW, for compare_to()
benchmarks.

The call graph yields tens of thousands of distinct tracebacks: 40 route
functions calling 6 of 32 services each, 48 model modules with 3-4
allocation sites each, three ways to reach a model (direct, via a helper,
via a recursion of depth 0..7 that pushes some stacks past the traceback
limit, so those tracebacks are truncated and total_nframe > len(traceback)).
The generated modules are compiled under names like
/srv/bench/models/model_07.py; they exist only in memory.

Measured with CPython 3.11.7 (defaults): first snapshot 1,032,890 traces,
53,358 distinct tracebacks, 414 'lineno' groups, 17.3 MB; second snapshot
1,328,494 traces, 74,734 distinct tracebacks, 22.6 MB; ~36 s wall time and
~600 MB peak RSS to produce both.  Trace counts vary slightly between runs.
Do not commit the dumps (keep them in e.g. /tmp/heapscope-bench/).
Standard library only; Python 3.6+.
"""

import argparse
import gc
import os
import sys
import time
import tracemalloc

N_ROUTES = 40
N_SERVICES = 32
N_MODELS = 48
SERVICES_PER_ROUTE = 6
MAX_DEPTH = 8

_ALLOC_LINES = [
    "keep.append(bytes(16 + (seed + i) % 48))",
    'keep.append("m{m}-%d-%d" % (seed, i))',
    "keep.append((seed, i, None))",
    "keep.append([seed, i])",
    "keep.append({{'id': i, 'seed': seed}})",
]


def model_source(m):
    # Each model uses 3 or 4 allocation statements, padded by a varying number
    # of comment lines so that line numbers differ between models.
    lines = ["# generated model module %d" % m]
    lines += ["# padding"] * (m % 5)
    lines.append("def create(keep, seed, n):")
    lines.append("    for i in range(n):")
    picks = [(m + t) % len(_ALLOC_LINES) for t in range(3 + m % 2)]
    for p in picks:
        lines.append("        " + _ALLOC_LINES[p].format(m=m))
    lines.append("")
    lines.append("def nested(keep, seed, n, depth):")
    lines.append("    if depth > 0:")
    lines.append("        return nested(keep, seed, n, depth - 1)")
    lines.append("    return create(keep, seed, n)")
    return "\n".join(lines) + "\n"


def service_source(s):
    return (
        "# generated service module %d\n"
        "def handle(keep, seed, n, route):\n"
        "    model = MODELS[(seed * 7 + seed // 13 + %d) %% len(MODELS)]\n"
        "    mode = (seed + route) %% 3\n"
        "    if mode == 0:\n"
        "        return model.create(keep, seed, n)\n"
        "    if mode == 1:\n"
        "        return helper(keep, seed, n, model)\n"
        "    return model.nested(keep, seed, n, (seed // 3) %% %d)\n"
        "\n"
        "def helper(keep, seed, n, model):\n"
        "    return model.create(keep, seed, n)\n" % (s, s, MAX_DEPTH)
    )


def routes_source():
    out = ["# generated routes module"]
    for r in range(N_ROUTES):
        svcs = [(r * 5 + t * 7) % N_SERVICES for t in range(SERVICES_PER_ROUTE)]
        out.append("def route_%d(keep, seed, n):" % r)
        for s in svcs:
            out.append("    SERVICES[%d].handle(keep, seed + %d, n, %d)" % (s, s, r))
        out.append("")
    # A route that only exists in the second phase ("new feature").
    out.append("def route_new(keep, seed, n):")
    out.append("    SERVICES[3].handle(keep, seed, n + 1, 99)")
    out.append("    SERVICES[11].handle(keep, seed + 1, n, 98)")
    out.append("")
    out.append("ROUTES = [%s]" % ", ".join("route_%d" % r for r in range(N_ROUTES)))
    return "\n".join(out) + "\n"


class Namespace(object):
    def __init__(self, d):
        self.__dict__.update(d)


def load(source, filename, env):
    ns = dict(env)
    exec(compile(source, filename, "exec"), ns)
    return Namespace(ns)


def build_app():
    models = [
        load(model_source(m), "/srv/bench/models/model_%02d.py" % m, {})
        for m in range(N_MODELS)
    ]
    services = [
        load(service_source(s), "/srv/bench/services/service_%02d.py" % s, {"MODELS": models})
        for s in range(N_SERVICES)
    ]
    return load(routes_source(), "/srv/bench/routes.py", {"SERVICES": services})


def serve(app, batches, first, count, extra_route=False):
    """Serve `count` requests; each keeps its objects in a new batch list."""
    for req in range(first, first + count):
        keep = []
        if extra_route and req % 4 == 0:
            app.route_new(keep, req, 2)
        else:
            app.ROUTES[req % N_ROUTES](keep, req, 1 + req % 3)
        batches.append(keep)


def count_kept(batches):
    return sum(len(b) for b in batches)


def dump(path):
    t0 = time.time()
    snap = tracemalloc.take_snapshot()
    t1 = time.time()
    snap.dump(path)
    t2 = time.time()
    traces = snap.traces._traces
    distinct = len(set(t[2] for t in traces))
    print(
        "%s: %d traces, %d distinct tracebacks, %d bytes traced, file %d bytes "
        "(take_snapshot %.1fs, dump %.1fs)"
        % (path, len(traces), distinct, sum(t[1] for t in traces),
           os.path.getsize(path), t1 - t0, t2 - t1)
    )
    sys.stdout.flush()
    n = len(traces)
    del snap, traces
    gc.collect()
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_old")
    ap.add_argument("out_new", nargs="?")
    ap.add_argument("--traces", type=int, default=1000000)
    ap.add_argument("--limit", type=int, default=12)
    ap.add_argument("--grow", type=float, default=0.5)
    args = ap.parse_args()

    app = build_app()
    batches = []
    tracemalloc.start(args.limit)
    gc.disable()  # the workload creates no cycles; keeps timings steadier

    # Phase 1: serve until enough blocks are alive.  Calibrate traces per
    # kept object once (ints, list arrays, dict tables and the batch lists
    # add blocks), then serve in small steps up to the target.
    req = 0
    step = 500
    serve(app, batches, req, 1000)
    req += 1000
    ratio = len(tracemalloc.take_snapshot().traces) / float(count_kept(batches))
    gc.collect()
    while count_kept(batches) * ratio < args.traces * 1.005:
        serve(app, batches, req, step)
        req += step
    n_old = dump(args.out_old)
    while n_old < args.traces:  # very unlikely; top up and dump again
        serve(app, batches, req, step)
        req += step
        n_old = dump(args.out_old)

    if args.out_new:
        # Phase 2: some requests' objects are released, more are served,
        # including a new route.
        del batches[::7]
        more = int(req * args.grow)
        serve(app, batches, req, more, extra_route=True)
        dump(args.out_new)
    tracemalloc.stop()
    gc.enable()


if __name__ == "__main__":
    main()
