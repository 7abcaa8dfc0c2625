#!/usr/bin/env python3
"""Overhead of heapscope's Python recorder (resources/recorder/heapscope_recorder.py).

Usage:
    python3 tests/benchmarks/bench_recorder.py [--objects N] [--seconds S] [--rounds R]
                                               [--only sampling|graph]

(a) Sampling: a CPU-bound pure-Python loop under tracemalloc (1 frame), alone and with the
    recorder sampling the timeline at 10 Hz (--interval 0.1), and alone again as an A/A
    control that shows how far apart identical runs come out on this machine. Arms rotate
    round by round so that drifting machine speed hits all of them; the figures are medians
    of per-round ratios, for wall time and for process CPU time (which includes the sampler
    thread). Also the CPU time of one sample, measured over 2000 samples, as a share of a
    core at 10 Hz: the figure that does not drown in noise. Target: under 3 % beyond
    tracemalloc's own cost.
(b) Object graph: on a synthetic heap of about N gc-tracked objects (default 1,000,000) of
    the kinds a real program holds (instances with int/str/object attributes, str-keyed
    dicts, lists, tuples, sets, closures, unique strings), the bare loop
        for o in gc.get_objects(): gc.get_referents(o)
    against a checkpoint with graph=True writing the whole graph to a .hsr file (no
    tracemalloc). Best of R rounds each. Target: under 3x the bare loop.

Prints the figures and the ratios. Standard library only.
"""

import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "recorder"))
import heapscope_recorder as hr  # noqa: E402


def cpu_work(seconds):
    """A fixed amount of pure-Python work, calibrated to last about `seconds`; returns
    (wall time, process CPU time). Integer arithmetic allocates, so tracemalloc is busy
    throughout. Process CPU time includes the recorder's sampler thread."""
    n = int(seconds * _rate)
    t, c = time.perf_counter(), time.process_time()
    acc = 0
    items = []
    for i in range(n):
        acc = (acc * 31 + i) % 1000003
        if i % 64 == 0:
            items.append((i, acc))
            if len(items) > 256:
                items = []
    return time.perf_counter() - t, time.process_time() - c


def calibrate():
    global _rate
    _rate = 100000
    dt = cpu_work(0.2)[0]
    _rate = int(_rate * 0.2 / dt)


def bench_sampling(seconds, rounds, tmp):
    tracemalloc.start(1)
    calibrate()   # under tracemalloc: it makes every allocation much slower
    # Three arms in rotating order: tracemalloc alone, tracemalloc + recorder, and
    # tracemalloc alone again (an A/A control: how far apart identical runs come out).
    times = {"base": [], "recorder": [], "control": []}
    arms = ["base", "recorder", "control"]
    for r in range(rounds):
        for arm in arms[r % 3:] + arms[:r % 3]:
            if arm == "recorder":
                hr.start(os.path.join(tmp, "sampling-%d.hsr" % r), interval=0.1, frames=1)
                times[arm].append(cpu_work(seconds))
                hr.stop()
            else:
                times[arm].append(cpu_work(seconds))
    # The sampler's own work, measured directly: CPU time of one sample (what the sampler
    # thread does every 0.1 s), over many samples.
    hr.start(os.path.join(tmp, "per-sample.hsr"), interval=3600, frames=1)
    recorder = hr._active
    n = 2000
    c = time.process_time()
    for _ in range(n):
        recorder._sample()
    per_sample = (time.process_time() - c) / n
    hr.stop()
    tracemalloc.stop()
    print("(a) sampling at 10 Hz, CPU-bound loop under tracemalloc(1), %d rounds of %.1f s"
          % (rounds, seconds))
    print("    one sample costs %.1f us of CPU: %.3f %% of a core at 10 Hz" % (
        per_sample * 1e6, 100 * per_sample * 10))
    for what, i in (("wall time", 0), ("process CPU time", 1)):
        med = {arm: statistics.median(x[i] for x in v) for arm, v in times.items()}
        print("    %s, medians: tracemalloc alone %.3f s, + recorder %.3f s, "
              "alone again %.3f s" % (what, med["base"], med["recorder"], med["control"]))
        for arm, label in (("recorder", "recorder overhead"), ("control", "A/A control")):
            ratios = [y[i] / x[i] - 1 for x, y in zip(times["base"], times[arm])]
            print("      %-17s median of per-round ratios %+.2f %%, spread (stdev) %.1f %%"
                  % (label, 100 * statistics.median(ratios), 100 * statistics.pstdev(ratios)))


class Record:
    def __init__(self, i, name, parent):
        self.id = i
        self.name = name
        self.parent = parent
        self.tags = None


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def build_heap(n):
    """About n gc-tracked objects (plus their untracked strings and numbers)."""
    heap = []
    parent = None
    per = 10   # tracked objects made per iteration
    for i in range(n // per):
        r = Record(i, "record-%d" % i, parent)       # 1 (+1 __dict__ before 3.11)
        r.tags = ["t%d" % (i % 50), i, r]              # 1
        parent = r if i % 100 else None
        d = {"id": i, "name": r.name, "value": i * 0.5, "owner": r}   # 1
        t = (r, i, "x")                                # 1
        s = {i, i + 1}                                 # 1
        p = Point(i, i + 1)                            # 1
        k = (lambda v: (lambda: v))(d)                 # function + cell (+ the outer one)
        heap.append([r, d, t, s, p, k])                # 1
    return heap


def bench_graph(n, rounds, tmp):
    gc.collect()
    gc.disable()
    heap = build_heap(n)
    tracked = len(gc.get_objects())
    bare = []
    for _ in range(rounds):
        t = time.perf_counter()
        for o in gc.get_objects():
            gc.get_referents(o)
        bare.append(time.perf_counter() - t)
    dump = []
    sizes = []
    for r in range(rounds):
        path = os.path.join(tmp, "graph-%d.hsr" % r)
        hr.start(path, interval=3600, frames=0)
        t = time.perf_counter()
        hr.checkpoint("bench", graph=True)
        dump.append(time.perf_counter() - t)
        hr.stop()
        sizes.append(os.path.getsize(path))
        os.unlink(path)
    del heap
    gc.enable()
    print("(b) object graph of a synthetic heap: %d gc-tracked objects" % tracked)
    print("    bare get_objects/get_referents loop: best %.3f s  (%s)" % (
        min(bare), " ".join("%.3f" % x for x in bare)))
    print("    graph dump (checkpoint graph=True):  best %.3f s  (%s), file %.1f MB" % (
        min(dump), " ".join("%.3f" % x for x in dump), sizes[0] / 1e6))
    print("    ratio: %.2fx" % (min(dump) / min(bare)))


def main(argv):
    n, seconds, rounds, only = 1000000, 1.0, 20, None
    i = 0
    while i < len(argv):
        if argv[i] == "--objects":
            n = int(argv[i + 1])
        elif argv[i] == "--seconds":
            seconds = float(argv[i + 1])
        elif argv[i] == "--rounds":
            rounds = int(argv[i + 1])
        elif argv[i] == "--only":
            only = argv[i + 1]
        else:
            sys.stderr.write(__doc__)
            return 2
        i += 2
    print("Python %s, %d CPUs" % (sys.version.split()[0], os.cpu_count() or 1))
    with tempfile.TemporaryDirectory() as tmp:
        if only in (None, "sampling"):
            bench_sampling(seconds, rounds, tmp)
        if only in (None, "graph"):
            bench_graph(n, rounds, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
