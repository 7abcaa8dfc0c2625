"""Growth between two object graphs, for the recorder tests.

Run:
    PYTHONPATH=resources/recorder python3 -m heapscope_recorder run -o OUT.hsr --frames 0 \
        tests/data/recorder/workloads/growth.py EXPECT.json

Takes hr.checkpoint("before", graph=True), creates exactly K instances of class Leaky kept
in a module-level list, takes hr.checkpoint("after", graph=True), then writes EXPECT.json:

    {"kind": "growth",
     "before": "before", "after": "after",   labels of the two checkpoints with graphs
     "class": "__main__.Leaky",              type name of the leaking objects
     "k": 1000,                              how many more of them the second graph has
     "python": "3.11.7"}

gc is disabled, so nothing but the script creates or frees Leaky objects.
"""

import gc
import json
import platform
import sys

import heapscope_recorder as hr

gc.disable()
K = 1000


class Leaky:
    def __init__(self, i):
        self.i = i
        self.payload = [i] * 4


LEAKS = []

hr.checkpoint("before", graph=True)
for i in range(K):
    LEAKS.append(Leaky(i))
hr.checkpoint("after", graph=True)

with open(sys.argv[1], "w") as f:
    json.dump({"kind": "growth", "before": "before", "after": "after",
               "class": "%s.%s" % (Leaky.__module__, Leaky.__qualname__), "k": K,
               "python": platform.python_version()}, f)
    f.write("\n")
