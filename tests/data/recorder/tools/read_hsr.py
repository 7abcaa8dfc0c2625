#!/usr/bin/env python3
"""An independent, deliberately simple decoder of heapscope recorder files (.hsr).

Usage:
    read_hsr.py FILE.hsr [--expect EXPECT.json] [--sccs]
    read_hsr.py --cut-test FILE.hsr

Prints a JSON summary: the META object, record counts, samples, checkpoints, snapshots
(trace counts and sizes), and per object graph its node/edge counts, roots, dangling
references and a census of the gc-tracked nodes by type. A file cut short decodes up to its
last complete record ("truncated" says where it stopped).

--expect checks the facts a test workload (tests/data/recorder/workloads) wrote about
itself: strongly connected components (Tarjan, iterative, over the tracked nodes),
garbage-ness (reachability from the ROOTS records), census, growth and timeline facts.
The summary then has "expect": {"ok": bool, "problems": [...]}, and the exit status is 1
when a check fails. --sccs adds every non-trivial SCC (type names) to each graph summary.

--cut-test cuts the file at every byte offset (files above 64 KiB: around every record
boundary and at 400 offsets in between) and checks that each cut reads without error as
exactly the records that end before the cut (exit status 1 otherwise); cuts near record
boundaries and a sample of the others are decoded in full.

Shares no code with the recorder; standard library only (Python 3.6+).
"""

import json
import struct
import sys
import zlib

MAGIC = b"\x89HSR\r\n\x1a\n"
NAMES = {1: "META", 2: "STRINGS", 3: "SAMPLE", 4: "CHECKPOINT", 5: "SNAPSHOT_BEGIN",
         6: "TRACES", 7: "SNAPSHOT_END", 8: "GRAPH_BEGIN", 9: "TRACEBACKS", 10: "NODES",
         11: "ROOTS", 12: "GRAPH_END", 13: "END"}
MAX_PAYLOAD = 64 << 20
MAX_INFLATED = 256 << 20


class Cut(Exception):
    pass


class Cursor:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def varint(self):
        value = 0
        shift = 0
        while True:
            if self.pos >= len(self.data):
                raise Cut("number runs past the end")
            b = self.data[self.pos]
            self.pos += 1
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                break
            shift += 7
            if shift > 63:
                raise ValueError("varint longer than 10 bytes")
        if value >= 1 << 64:
            raise ValueError("varint above 2**64")
        return value

    def f64(self):
        if self.pos + 8 > len(self.data):
            raise Cut("double runs past the end")
        v = struct.unpack_from("<d", self.data, self.pos)[0]
        self.pos += 8
        return v

    def str(self):
        n = self.varint()
        if self.pos + n > len(self.data):
            raise Cut("string runs past the end")
        s = self.data[self.pos:self.pos + n].decode("utf-8")
        self.pos += n
        return s

    def at_end(self):
        return self.pos == len(self.data)


def records(data):
    """Yields (type, payload); sets records.truncated to a message when the file is cut."""
    records.truncated = None
    if not data.startswith(MAGIC):
        raise ValueError("not a .hsr file")
    if len(data) < 9:
        records.truncated = "cut before the version byte"
        return
    if data[8] != 1:
        raise ValueError("unsupported version %d" % data[8])
    pos = 9
    while pos < len(data):
        start = pos
        tag = data[pos]
        c = Cursor(data)
        c.pos = pos + 1
        try:
            length = c.varint()
        except Cut:
            records.truncated = "record header cut at byte %d" % start
            return
        if length > MAX_PAYLOAD:
            records.truncated = "oversized record at byte %d" % start
            return
        if c.pos + length > len(data):
            records.truncated = "record cut at byte %d" % start
            return
        payload = data[c.pos:c.pos + length]
        pos = c.pos + length
        if tag & 0x80:
            d = zlib.decompressobj()
            payload = d.decompress(payload, MAX_INFLATED)
            if d.unconsumed_tail or not d.eof:
                records.truncated = "bad compressed record at byte %d" % start
                return
        yield tag & 0x7F, payload


class Graph:
    def __init__(self, checkpoint, t):
        self.checkpoint = checkpoint
        self.t = t
        self.nodes = {}         # address -> [type, size, label, flags, tb, edges]
        self.node_records = 0
        self.edge_records = 0
        self.roots = []         # (address, kind, name)
        self.end = None         # (node_count, edge_count) from GRAPH_END


def decode(data):
    out = {"meta": None, "records": {}, "samples": [], "checkpoints": [], "snapshots": [],
           "graphs": [], "ended": False}
    strings = [None]
    tracebacks = [None]
    graph = None
    snapshot = None
    graphs = []
    for rtype, payload in records(data):
        name = NAMES.get(rtype, "UNKNOWN_%d" % rtype)
        out["records"][name] = out["records"].get(name, 0) + 1
        c = Cursor(payload)
        if rtype == 1:
            out["meta"] = json.loads(c.str())
        elif rtype == 2:
            first, n = c.varint(), c.varint()
            if first != len(strings):
                raise ValueError("STRINGS starts at %d, expected %d" % (first, len(strings)))
            for _ in range(n):
                strings.append(c.str())
        elif rtype == 3:
            s = [c.f64()] + [c.varint() for _ in range(9)]
            out["samples"].append(s)
        elif rtype == 4:
            out["checkpoints"].append({"id": c.varint(), "t": c.f64(), "label": c.str(),
                                       "flags": c.varint()})
        elif rtype == 5:
            snapshot = {"checkpoint": c.varint(), "traceback_limit": c.varint(),
                        "announced": c.varint(), "traces": 0, "size": 0, "frames": 0,
                        "ended": False}
            out["snapshots"].append(snapshot)
        elif rtype == 6:
            n = c.varint()
            for _ in range(n):
                c.varint()  # domain
                size = c.varint()
                total = c.varint()
                nf = c.varint()
                if total < nf:
                    raise ValueError("total_nframe below nframes")
                for _ in range(nf):
                    sid = c.varint()
                    if not 0 < sid < len(strings):
                        raise ValueError("undefined filename string %d" % sid)
                    c.varint()
                snapshot["traces"] += 1
                snapshot["size"] += size
                snapshot["frames"] += nf
        elif rtype == 7:
            cp, n = c.varint(), c.varint()
            if snapshot is None or snapshot["checkpoint"] != cp or snapshot["traces"] != n:
                raise ValueError("SNAPSHOT_END does not match its snapshot")
            snapshot["ended"] = True
            snapshot = None
        elif rtype == 8:
            graph = Graph(c.varint(), c.f64())
            graphs.append(graph)
        elif rtype == 9:
            n = c.varint()
            for _ in range(n):
                i = c.varint()
                if i != len(tracebacks):
                    raise ValueError("traceback %d out of order" % i)
                frames = []
                for _ in range(c.varint()):
                    frames.append((strings[c.varint()], c.varint()))
                tracebacks.append(frames)
        elif rtype == 10:
            if graph is None:
                raise ValueError("NODES outside a graph")
            n = c.varint()
            for _ in range(n):
                addr = c.varint()
                tsid = c.varint()
                size = c.varint()
                lsid = c.varint()
                flags = c.varint()
                tb = c.varint()
                if not 0 < tsid < len(strings) or lsid >= len(strings):
                    raise ValueError("undefined string in a node")
                if tb >= len(tracebacks):
                    raise ValueError("undefined traceback %d" % tb)
                edges = []
                for _ in range(c.varint()):
                    target = c.varint()
                    nsid = c.varint()
                    if nsid >= len(strings):
                        raise ValueError("undefined edge name %d" % nsid)
                    edges.append((target, strings[nsid] if nsid else ""))
                graph.node_records += 1
                graph.edge_records += len(edges)
                if addr not in graph.nodes:   # the first node of an address wins
                    graph.nodes[addr] = [strings[tsid], size, strings[lsid] if lsid else "",
                                         flags, tb, edges]
        elif rtype == 11:
            n = c.varint()
            for _ in range(n):
                addr = c.varint()
                graph.roots.append((addr, strings[c.varint()], strings[c.varint()]))
        elif rtype == 12:
            cp, nn, ne = c.varint(), c.varint(), c.varint()
            if graph is None or graph.checkpoint != cp:
                raise ValueError("GRAPH_END without its GRAPH_BEGIN")
            graph.end = (nn, ne)
            graph = None
        elif rtype == 13:
            out["ended"] = True
            out["end_t"] = c.f64()
        else:
            continue
        if rtype in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13) and not c.at_end():
            raise ValueError("%s record has %d trailing bytes" % (name, len(payload) - c.pos))
    out["truncated"] = records.truncated
    return out, graphs


# ---------------------------------------------------------------------------------------
# Graph analysis

def tarjan(nodes, members=None):
    """Strongly connected components of the tracked nodes (iterative Tarjan)."""
    index = {}
    low = {}
    on_stack = set()
    stack = []
    sccs = []
    counter = 0
    tracked = [a for a, n in nodes.items() if n[3] & 1]
    for root in tracked:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            edges = nodes[v][5]
            advanced = False
            while i < len(edges):
                w = edges[i][0]
                i += 1
                wn = nodes.get(w)
                if wn is None or not wn[3] & 1:
                    continue
                if w not in index:
                    work[-1] = (v, i)
                    work.append((w, 0))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                sccs.append(comp)
    return sccs


def reachable(graph):
    seen = set()
    todo = [a for a, _, _ in graph.roots if a in graph.nodes]
    seen.update(todo)
    while todo:
        a = todo.pop()
        for target, _ in graph.nodes[a][5]:
            if target in graph.nodes and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def summarize(graph, sccs=False):
    census = {}
    untracked = 0
    dangling = 0
    for node in graph.nodes.values():
        if node[3] & 1:
            census[node[0]] = census.get(node[0], 0) + 1
        else:
            untracked += 1
            if node[5]:
                raise ValueError("untracked node with edges")
        for target, _ in node[5]:
            if target not in graph.nodes:
                dangling += 1
    s = {"checkpoint": graph.checkpoint, "t": graph.t, "nodes": len(graph.nodes),
         "node_records": graph.node_records, "edges": graph.edge_records,
         "end": list(graph.end) if graph.end else None, "roots": len(graph.roots),
         "root_kinds": sorted(set(k for _, k, _ in graph.roots)),
         "unresolved_roots": sum(1 for a, _, _ in graph.roots if a not in graph.nodes),
         "dangling_edges": dangling, "untracked_nodes": untracked,
         "tracked_nodes": sum(census.values()), "census": census}
    if sccs:
        s["sccs"] = sorted(sorted(graph.nodes[a][0] for a in comp)
                           for comp in tarjan(graph.nodes) if len(comp) > 1)
    return s


# ---------------------------------------------------------------------------------------
# Workload facts

def check_expect(expect, summary, graphs):
    problems = []
    labels = {cp["id"]: cp["label"] for cp in summary["checkpoints"]}
    kind = expect.get("kind")

    def graph_of(label):
        found = [g for g in graphs if labels.get(g.checkpoint) == label]
        if not found:
            problems.append("no graph for checkpoint %r" % label)
            return None
        return found[-1]

    if not summary["ended"]:
        problems.append("no END record")
    if kind == "cycles":
        g = graph_of(expect["checkpoint"])
        if g is not None:
            comps = tarjan(g.nodes)
            comp_of = {}
            for comp in comps:
                for a in comp:
                    comp_of[a] = comp
            live = reachable(g)
            for st in expect["structures"]:
                members = set(st["members"])
                missing = [a for a in members if a not in g.nodes]
                if missing:
                    problems.append("%s: %d members are not nodes" % (st["name"], len(missing)))
                    continue
                comp = set(comp_of.get(st["members"][0], []))
                if (comp != members) if st.get("exact", True) else not members <= comp:
                    problems.append("%s: SCC has %d nodes (%s), expected %d (%s)" % (
                        st["name"], len(comp), sorted(g.nodes[a][0] for a in comp),
                        len(members), sorted(g.nodes[a][0] for a in members)))
                is_garbage = not any(a in live for a in members)
                if is_garbage != st["garbage"]:
                    problems.append("%s: garbage=%s, expected %s" % (
                        st["name"], is_garbage, st["garbage"]))
            census = {}
            for node in g.nodes.values():
                if node[3] & 1:
                    census[node[0]] = census.get(node[0], 0) + 1
            want = expect["census"]
            for t in sorted(set(census) | set(want)):
                if census.get(t, 0) != want.get(t, 0):
                    problems.append("census %s: %d in the graph, %d expected" % (
                        t, census.get(t, 0), want.get(t, 0)))
    elif kind == "growth":
        g1, g2 = graph_of(expect["before"]), graph_of(expect["after"])
        if g1 is not None and g2 is not None:
            def n_of(g):
                return sum(1 for n in g.nodes.values() if n[0] == expect["class"] and n[3] & 1)
            if n_of(g2) - n_of(g1) != expect["k"]:
                problems.append("growth of %s: %d, expected %d" % (
                    expect["class"], n_of(g2) - n_of(g1), expect["k"]))
    elif kind == "timeline":
        got = [cp["label"] for cp in summary["checkpoints"]]
        if got != expect["labels"]:
            problems.append("checkpoint labels %r, expected %r" % (got, expect["labels"]))
        if len(summary["samples"]) < expect["min_samples"]:
            problems.append("%d samples, expected at least %d" % (
                len(summary["samples"]), expect["min_samples"]))
        snaps = [s for s in summary["snapshots"] if s["ended"]]
        if len(snaps) != len(expect["labels"]):
            problems.append("%d complete snapshots, expected %d" % (
                len(snaps), len(expect["labels"])))
        for s in snaps:
            if s["traceback_limit"] != expect["frames"] or not s["traces"]:
                problems.append("snapshot of checkpoint %d: limit %d, %d traces" % (
                    s["checkpoint"], s["traceback_limit"], s["traces"]))
        times = [s[0] for s in summary["samples"]]
        if times != sorted(times):
            problems.append("sample times go backwards")
        if any(s[1] == 0 for s in summary["samples"][1:]):
            problems.append("a sample has no traced memory")
    else:
        problems.append("unknown expectation kind %r" % kind)
    return problems


def record_ends(data):
    ends = []
    pos = 9
    while pos < len(data):
        c = Cursor(data)
        c.pos = pos + 1
        length = c.varint()
        pos = c.pos + length
        ends.append(pos)
    return ends


def cut_test(data):
    """Every prefix of a complete file decodes to the records that fit in it. Files up to
    64 KiB are cut at every byte, larger ones around every record boundary and at 400
    offsets in between; every cut is framed, and fully decoded near record boundaries and
    at every 50th (20th for large files) cut."""
    ends = record_ends(data)
    problems = []
    near_ends = set()
    for e in ends:
        near_ends.update(range(e - 2, e + 3))
    if len(data) <= 1 << 16:
        cuts = list(range(len(MAGIC), len(data) + 1))
        full = set(cuts[::50]) | (near_ends & set(cuts)) | {len(data)}
    else:
        cuts = set(range(len(MAGIC), 32))
        for e in ends:
            cuts.update(range(e - 2, min(e + 3, len(data) + 1)))
        cuts.update(range(9, len(data), max(1, len(data) // 400)))
        cuts = sorted(c for c in cuts if len(MAGIC) <= c <= len(data))
        full = set(cuts[::20]) | {len(data)}
    for cut in cuts:
        prefix = data[:cut]
        try:
            count = sum(1 for _ in records(prefix))
            if cut in full:
                decode(prefix)
        except Exception as e:
            problems.append("cut at %d: %s: %s" % (cut, type(e).__name__, e))
            continue
        want = sum(1 for e in ends if e <= cut)
        if count != want:
            problems.append("cut at %d: %d records, expected %d" % (cut, count, want))
        if (records.truncated is None) != (cut == len(data) or cut in ends or cut == 9):
            problems.append("cut at %d: truncation %r" % (cut, records.truncated))
    return {"bytes": len(data), "records": len(ends), "cuts": len(cuts),
            "decoded": len(full), "ok": not problems, "problems": problems[:20]}


def main(argv):
    if argv[:1] == ["--cut-test"] and len(argv) == 2:
        with open(argv[1], "rb") as f:
            result = cut_test(f.read())
        json.dump(result, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0 if result["ok"] else 1
    args = [a for a in argv if not a.startswith("--")]
    expect_path = None
    if "--expect" in argv:
        expect_path = argv[argv.index("--expect") + 1]
        args.remove(expect_path)
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    with open(args[0], "rb") as f:
        data = f.read()
    summary, graphs = decode(data)
    summary["graphs"] = [summarize(g, "--sccs" in argv) for g in graphs]
    summary["samples"] = summary["samples"]
    status = 0
    if expect_path:
        with open(expect_path) as f:
            expect = json.load(f)
        problems = check_expect(expect, summary, graphs)
        summary["expect"] = {"ok": not problems, "problems": problems}
        status = 1 if problems else 0
    summary["sample_count"] = len(summary["samples"])
    del summary["samples"]
    json.dump(summary, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
