#!/usr/bin/env python3
"""Re-pickle a real snapshot with explicit pickle protocols.

Usage:
    make_repickles.py SOURCE.pickle OUTDIR PROTOCOL[:NAME] ...

Loads SOURCE with tracemalloc.Snapshot.load(), removes the traces whose most
recent frame is one of the four biggest groups of /opt/app/workloads.py
(lines 150, 151, 152, 155) so that the protocol-0 file stays under 150 KB,
and writes OUTDIR/NAME.pickle with pickle.dump(snapshot, f, protocol=N) for
each PROTOCOL (default NAME: repickle-pN).  Every output holds the very same
filtered snapshot, so all of them must give identical statistics.

Meant for shared/samples/tracemalloc/leaky-cache-py312-tb10-t0.pickle read by
Python 3.12 (4-tuple traces).
"""

import os
import pickle
import sys
import tracemalloc

DROP_LINES = (150, 151, 152, 155)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    src, outdir = argv[1], argv[2]
    snap = tracemalloc.Snapshot.load(src)
    filters = [tracemalloc.Filter(False, "/opt/app/workloads.py", ln) for ln in DROP_LINES]
    small = snap.filter_traces(filters)
    for spec in argv[3:]:
        proto, _, name = spec.partition(":")
        proto = int(proto)
        name = name or "repickle-p%d" % proto
        path = os.path.join(outdir, name + ".pickle")
        with open(path, "wb") as f:
            pickle.dump(small, f, protocol=proto)
        back = tracemalloc.Snapshot.load(path)
        assert back.traces._traces == small.traces._traces
        print("wrote %s: protocol %d, %d of %d traces, %d bytes" % (
            path, proto, len(small.traces), len(snap.traces), os.path.getsize(path)))


if __name__ == "__main__":
    main(sys.argv)
