"""Reference cycles, half of them garbage, and an exact census, for the recorder tests.

Run:
    PYTHONPATH=resources/recorder python3 -m heapscope_recorder run -o OUT.hsr --frames 0 \
        tests/data/recorder/workloads/cycles.py EXPECT.json

With gc disabled the script builds each structure twice: one copy stays reachable from the
module's globals, the other loses every reference (garbage that stays in memory because
nothing collects it). Right before hr.checkpoint("check", graph=True) it counts
gc.get_objects() by type; then it writes EXPECT.json:

    {"kind": "cycles",
     "checkpoint": "check",                       label of the checkpoint with the graph
     "python": "3.11.7",
     "structures": [{"name": "ring",              ring / tree / self_dict / closure / slots
                     "garbage": false,            unreachable from modules and frames?
                     "exact": true,               members == the SCC (else: members lie in
                                                  one SCC, which holds more)
                     "members": [id, ...]}, ...], the gc-tracked objects of the structure's
                                                  strongly connected component (id() values,
                                                  i.e. node addresses)
     "census": {"module.qualname": count, ...}}   gc.get_objects() by type name

Every structure is one strongly connected component: ring (7 Node instances, each .next
the following one), tree (a Parent whose .children list holds 3 Child objects, each .parent
the Parent), self_dict (a dict holding itself), closure (a function whose closure cell
holds the function: function, closure tuple, cell), slots (two Slotted objects, __slots__
("other",), pointing at each other). Instance __dict__s are members when gc reports them
as referents of their object (always before 3.11; from 3.11 on only once materialised, and
on 3.13 not even then), which the script asks gc rather than assumes.

The classes have no methods: an instance references its class, and a method's __globals__
would lead from the class back to this module's globals, merging every reachable instance
into the module's SCC. A function cannot avoid that (its __globals__ and, from 3.10,
__builtins__ lead to sys.modules), so the reachable closure's SCC is larger than its three
objects ("exact": false); the garbage one is exactly them.

The census is taken at module level after sys._current_frames() (so that, on 3.11+, the
frame objects the recorder's dump materialises already exist), and nothing gc-tracked made
afterwards outlives the census but what the recorder leaves out of its graph (its own
frames), so the graph's gc-tracked nodes must match it type for type.
"""

import gc
import json
import platform
import sys

import heapscope_recorder as hr

gc.disable()


class Node:
    pass


class Parent:
    pass


class Child:
    pass


class Slotted:
    __slots__ = ("other",)


def instance_dict(obj):
    """obj's __dict__ if gc reports it as a referent of obj (never materialises one): these
    classes hold no other dict, so a dict referent is the instance dict."""
    for r in gc.get_referents(obj):
        if type(r) is dict:
            return [r]
    return []


def ring():
    nodes = [Node() for _ in range(7)]
    for i, (a, b) in enumerate(zip(nodes, nodes[1:] + nodes[:1])):
        a.value = i
        a.next = b
    members = list(nodes)
    for n in nodes:
        members += instance_dict(n)
    return nodes[0], members


def tree():
    p = Parent()
    p.children = []
    for _ in range(3):
        c = Child()
        c.parent = p
        p.children.append(c)
    members = [p, p.children] + list(p.children)
    for o in [p] + p.children:
        members += instance_dict(o)
    return p, members


def self_dict():
    d = {"name": "self"}
    d["self"] = d
    return d, [d]


def closure():
    def make():
        def f():
            return f
        return f
    f = make()
    return f, [f, f.__closure__, f.__closure__[0]]


def slots():
    a, b = Slotted(), Slotted()
    a.other, b.other = b, a
    return a, [a, b]


BUILDERS = [("ring", ring), ("tree", tree), ("self_dict", self_dict), ("closure", closure),
            ("slots", slots)]

KEPT = {}        # the reachable copies
structures = []  # facts only: names, flags and ints (no reference to any member)
for name, build in BUILDERS:
    root, members = build()
    KEPT[name] = root
    structures.append({"name": name, "garbage": False, "exact": name != "closure",
                       "members": [id(m) for m in members]})
    root, members = build()
    structures.append({"name": name, "garbage": True, "exact": True,
                       "members": [id(m) for m in members]})
    root = members = None    # the second copy is garbage now
del name, build, root, members

facts = json.dumps(structures)
del structures

# The census. sys._current_frames() creates (3.11+) the frame objects of every thread's
# current frame, as the recorder's dump will; its result is dropped at once.
sys._current_frames()
_objs = gc.get_objects()
_census = {}
for _o in _objs:
    _t = type(_o)
    _k = _t.__module__ + "." + _t.__qualname__
    _census[_k] = _census.get(_k, 0) + 1
del _objs, _o, _t, _k
census = json.dumps(_census)
del _census

hr.checkpoint("check", graph=True)

with open(sys.argv[1], "w") as f:
    f.write('{"kind": "cycles", "checkpoint": "check", "python": %s, "structures": %s, '
            '"census": %s}\n' % (json.dumps(platform.python_version()), facts, census))
