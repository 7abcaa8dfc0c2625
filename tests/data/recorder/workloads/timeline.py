"""A timeline with tracemalloc snapshots, for the recorder tests.

Run (tracemalloc with 5 frames, the timeline sampled every 0.1 s):
    PYTHONPATH=resources/recorder python3 -m heapscope_recorder run -o OUT.hsr --frames 5 \
        tests/data/recorder/workloads/timeline.py EXPECT.json

For about 1.2 s the script allocates and frees buffers, so that traced memory goes up and
down, and calls hr.checkpoint(label) (snapshot=True, no graph) four times. EXPECT.json:

    {"kind": "timeline",
     "labels": ["start", "grown", "shrunk", "end"],  the checkpoints, in order
     "frames": 5,             traceback limit of every snapshot (the --frames given)
     "min_samples": 5,        the file holds at least this many SAMPLE records
     "python": "3.11.7"}

Every checkpoint has a snapshot (tracemalloc is tracing), each with at least one trace;
samples have non-decreasing times and a non-zero traced memory.
"""

import gc
import json
import platform
import sys
import time
import tracemalloc

import heapscope_recorder as hr

gc.disable()
LABELS = ["start", "grown", "shrunk", "end"]
kept = []


def churn(seconds, keep):
    """Allocates and frees for `seconds`, keeping every `keep`-th buffer (0: none)."""
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        buf = bytearray(4096 + i % 1000)
        if keep and i % keep == 0:
            kept.append(buf)
        i += 1
        if i % 200 == 0:
            time.sleep(0.002)


hr.checkpoint(LABELS[0])
churn(0.4, 10)
hr.checkpoint(LABELS[1])
del kept[::2]
churn(0.4, 0)
hr.checkpoint(LABELS[2])
churn(0.4, 50)
hr.checkpoint(LABELS[3])

frames = tracemalloc.get_traceback_limit() if tracemalloc.is_tracing() else 0
with open(sys.argv[1], "w") as f:
    json.dump({"kind": "timeline", "labels": LABELS, "frames": frames, "min_samples": 5,
               "python": platform.python_version()}, f)
    f.write("\n")
