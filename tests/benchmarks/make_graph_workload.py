"""A heap of about N objects with three references each, recorded by heapscope's recorder.

usage: python3 make_graph_workload.py OUT.hsr N [ROUNDS]
Prints one JSON line: the objects gc tracks, the seconds the recorder took to write the graph,
and the seconds of a bare loop over gc.get_objects() calling gc.get_referents on each (the
floor for visiting the graph at all from Python); both the median of ROUNDS (default 3), the
graph written anew to OUT.hsr each round.
"""
import gc
import json
import random
import statistics
import sys
import time

import heapscope_recorder as hr


class Node:
    __slots__ = ("a", "b", "c")


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    gc.disable()
    rng = random.Random(1)
    nodes = [Node() for _ in range(n)]
    for node in nodes:
        node.a = nodes[rng.randrange(n)]
        node.b = nodes[rng.randrange(n)]
        node.c = nodes[rng.randrange(n)]
    bare, write = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for o in gc.get_objects():
            gc.get_referents(o)
        bare.append(time.perf_counter() - start)
        with hr.record(out, interval=1.0, frames=0):
            start = time.perf_counter()
            hr.checkpoint("graph", graph=True, snapshot=False)
            write.append(time.perf_counter() - start)
    bare, write = statistics.median(bare), statistics.median(write)
    print(json.dumps({"objects": len(gc.get_objects()), "write_s": write, "bare_s": bare}))


if __name__ == "__main__":
    main()
