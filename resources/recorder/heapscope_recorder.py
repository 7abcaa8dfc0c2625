"""heapscope recorder: a timeline, tracemalloc snapshots and object graphs in one .hsr file.

Standard library only, one file, CPython 3.6-3.13. The file format is described in
FORMAT.md next to this file.

Command line (with the directory holding this file on PYTHONPATH):

    python3 -m heapscope_recorder run [-o OUT.hsr] [--interval S] [--frames N]
                                      [--snapshot-every S] [--graph-at-exit]
                                      (script.py [args] | -m module [args])

API:

    import heapscope_recorder as hr
    with hr.record("out.hsr", interval=0.1, frames=1):
        ...
        hr.checkpoint("after load", graph=True)

    hr.start("out.hsr"); ...; hr.stop()

While recording, SIGUSR2 (where it exists) takes a checkpoint labelled "SIGUSR2" with an
object graph. A failure inside the recorder never breaks the program: it is reported once
on stderr and the recording stops.
"""

import gc
import json
import os
import platform
import signal
import struct
import sys
import threading
import time
import tracemalloc
import types
import warnings
import zlib
from array import array
from collections import defaultdict
from itertools import chain, count, filterfalse, repeat
from operator import attrgetter, getitem, is_, is_not

try:
    import queue
except ImportError:  # pragma: no cover
    queue = None

__all__ = ["record", "start", "stop", "checkpoint", "is_recording"]

FORMAT_VERSION = 1
MAGIC = b"\x89HSR\r\n\x1a\n"

# Record types (FORMAT.md).
META, STRINGS, SAMPLE, CHECKPOINT, SNAPSHOT_BEGIN, TRACES, SNAPSHOT_END = 1, 2, 3, 4, 5, 6, 7
GRAPH_BEGIN, TRACEBACKS, NODES, ROOTS, GRAPH_END, END = 8, 9, 10, 11, 12, 13
COMPRESSED = 0x80

# CHECKPOINT flags.
CP_SNAPSHOT, CP_GRAPH, CP_SIGNAL, CP_PERIODIC = 1, 2, 4, 8
# NODES flags.
NODE_TRACKED, NODE_MODULE, NODE_TYPE = 1, 2, 4

MAX_RECORD_ITEMS = 65536        # nodes or traces per record
MAX_RECORD_BYTES = 32 << 20     # uncompressed payload a writer stays under (one huge node aside)
MAX_NODE_EDGES = 1 << 23        # edges beyond this many on one object are dropped
MAX_INDEX_NAMES = 1 << 16       # list/tuple items from this index on have no edge name
MAX_STRINGS = 1 << 18           # the string table restarts (strings get new ids) past this
LABEL_MAX = 80

# Edge names (and root kinds) that get the string ids 1..N, all below 128 so that they fit
# in one varint byte: the graph writer relies on that for its compact edge layout.
RESERVED_STRINGS = (
    ["__class__", "__dict__", "key", "item", "value", "cell_contents", "__self__",
     "__func__", "__code__", "__globals__", "__builtins__", "__defaults__",
     "__kwdefaults__", "__closure__", "__module__", "__name__", "__qualname__", "__doc__",
     "__annotations__", "__type_params__", "__mro__", "__bases__", "__base__", "f_back",
     "f_code", "f_globals", "f_locals", "f_builtins", "module", "frame"]
    + ["[%d]" % i for i in range(90)])
assert len(RESERVED_STRINGS) < 128
_RID = dict((s, i + 1) for i, s in enumerate(RESERVED_STRINGS))

_PY = sys.version_info[:2]
_GLOBALS = globals()
_F64 = struct.Struct("<d")
_SLICE60 = slice(0, 60)
_SLICE_LABEL = slice(0, LABEL_MAX)
_BIG_INT = 1 << 190             # ints beyond this are not labelled with their digits


# ---------------------------------------------------------------------------------------
# Varints

def _varint(n):
    """Unsigned LEB128."""
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _padded_varint(n, width):
    """LEB128 of n stretched to exactly `width` bytes (readers accept padded varints)."""
    out = bytearray()
    for _ in range(width - 1):
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    if n > 0x7F:
        raise ValueError("%d does not fit %d bytes" % (n, width))
    out.append(n)
    return bytes(out)


# Small varints precomputed: map(_V.__getitem__, ints) runs at C speed for ints < 2**14.
# A plain dict of ints and bytes is never gc-tracked, so it stays out of object graphs.
_V = dict((i, _varint(i)) for i in range(1 << 14))


def _var(n):
    return _V[n] if n < 16384 else _varint(n)


_VS = dict((i, b.decode("latin-1")) for i, b in _V.items())   # the same, as text


def _isascii(s):
    try:
        return s.isascii()
    except AttributeError:   # before 3.7
        return all(c < "\x80" for c in s)


def _pack_fields(values):
    """Varints of `values` back to back, padded to a multiple of 8 bytes."""
    widths = [len(_var(v)) for v in values]
    extra = -sum(widths) % 8
    for i in reversed(range(len(widths))):
        add = min(extra, 10 - widths[i])
        widths[i] += add
        extra -= add
    return b"".join(map(_padded_varint, values, widths))


def _str_bytes(s):
    return s.encode("utf-8", "backslashreplace")


# ---------------------------------------------------------------------------------------
# Addresses in bulk.
#
# id() costs about as much as all the other per-object work of a graph dump, so the
# writer reads the pointer array of a list directly (ctypes, checked once at import) and
# turns 64-bit lanes into LEB128 with big-integer bit arithmetic, thousands at a time.

def _ids_raw(objs):
    a = array("Q", map(id, objs))
    if sys.byteorder != "little":
        a.byteswap()
    return a.tobytes()


def _setup_pointers():
    try:
        import ctypes
        if ctypes.sizeof(ctypes.c_void_p) != 8 or sys.byteorder != "little":
            return _ids_raw
        string_at = ctypes.string_at
        offset = 3 * ctypes.sizeof(ctypes.c_void_p)   # PyListObject.ob_item

        def list_pointers(lst):
            n = len(lst)
            if not n:
                return b""
            items = int.from_bytes(string_at(id(lst) + offset, 8), "little")
            return string_at(items, 8 * n)

        probe = [object(), "probe", 12345678901234567890]
        if list_pointers(probe) != _ids_raw(probe):
            return _ids_raw
        return list_pointers
    except Exception:
        return _ids_raw


_pointers = _setup_pointers()


def _addresses(objs):
    """id() of each object, as an iterable of ints."""
    if _pointers is _ids_raw:
        return map(id, objs)
    a = array("Q")
    a.frombytes(_pointers(objs))
    return a


class _TooWide(Exception):
    pass


class _Lanes:
    """Turns 8-byte little-endian lanes into 8-byte LEB128 groups (SWAR on big ints)."""

    BLOCK = 4096
    VAL8 = 0x0080808080808080   # one 8-byte (padded) varint per lane
    EDGE7 = 0x0000808080808080  # a 7-byte varint, then a one-byte varint in byte 7

    def __init__(self):
        self._masks = {}
        n = 1
        while n <= self.BLOCK:
            def rep(v, n=n):
                return int.from_bytes(v.to_bytes(8, "little") * n, "little")
            self._masks[n] = (
                rep((1 << 28) - 1), rep(((1 << 28) - 1) << 32),
                rep(0x00003FFF00003FFF), rep(0x3FFF00003FFF0000),
                rep(0x007F007F007F007F), rep(0x7F007F007F007F00),
                rep(self.VAL8), rep(self.EDGE7),
                rep(0xFF00000000000000), rep(0xFFFE000000000000), rep(0x7F))
            n *= 2

    def encode(self, raw, cont, names=None):
        """raw: lanes of values < 2**56, or < 2**49 when `names` (lanes of values < 128,
        placed in byte 7; cont is then EDGE7) is given. Raises _TooWide otherwise."""
        out = []
        step = 8 * self.BLOCK
        masks = self._masks
        raw = memoryview(raw)
        if names is not None:
            names = memoryview(names)
        for s in range(0, len(raw), step):
            part = raw[s:s + step]
            n = len(part) >> 3
            size = 1 << (n - 1).bit_length()
            m28, m28h, m14, m14h, m7, m7h, val8, edge7, hi56, hi49, low7 = masks[size]
            x = int.from_bytes(part, "little")
            if x & (hi56 if cont == self.VAL8 else hi49):
                raise _TooWide()
            if names is not None:
                nx = int.from_bytes(names[s:s + step], "little")
                if nx & ~low7:
                    raise _TooWide()
                x |= nx << 49
            y = (x & m28) | ((x << 4) & m28h)
            y = (y & m14) | ((y << 2) & m14h)
            y = (y & m7) | ((y << 1) & m7h)
            y |= val8 if cont == self.VAL8 else edge7
            b = y.to_bytes(8 * size, "little")
            out.append(b if size == n else b[:8 * n])
        return b"".join(out)


# ---------------------------------------------------------------------------------------
# The string table

class _Strings:
    def __init__(self):
        self.ids = {}
        self.next_id = 1
        self.pending = []
        for s in RESERVED_STRINGS:
            self.id(s)

    def _restart(self):
        # Bounded memory: forget all but the reserved names; strings met again get new ids
        # (a string may be defined more than once).
        self.ids.clear()
        self.ids.update(_RID)

    def id(self, s):
        i = self.ids.get(s)
        if i is None:
            if len(self.ids) >= MAX_STRINGS:
                self._restart()
            i = self.ids[s] = self.next_id
            self.next_id += 1
            self.pending.append(s)
        return i

    def fresh(self, strs):
        """Ids for strings that rarely repeat (labels): each is defined anew, without
        looking it up or remembering it. Returns a range."""
        first = self.next_id
        self.next_id += len(strs)
        self.pending.extend(strs)
        return range(first, self.next_id)

    def ids_of(self, strs):
        """list of str -> list of ids, defining the new ones in bulk."""
        ids = self.ids
        new = dict.fromkeys(filterfalse(ids.__contains__, strs))
        if new:
            if len(ids) + len(new) > MAX_STRINGS:
                self._restart()
                new = dict.fromkeys(filterfalse(ids.__contains__, strs))
            ids.update(zip(new, count(self.next_id)))
            self.next_id += len(new)
            self.pending.extend(new)
        return list(map(ids.__getitem__, strs))

    def take(self):
        """The STRINGS payload for the strings defined since the last call, or None."""
        pending = self.pending
        if not pending:
            return None
        first = self.next_id - len(pending)
        n = len(pending)
        lengths = list(map(len, pending))
        text = "".join(pending)
        if len(text) < 1 << 24 and _isascii(text) and max(lengths) < 16384:
            # ASCII: one character per byte, so the whole record can be built as text
            # (lengths as latin-1 characters) and encoded once.
            body = "".join(chain.from_iterable(zip(map(_VS.__getitem__, lengths), pending)))
            body = body.encode("latin-1")
        else:
            encoded = list(map(str.encode, pending, repeat("utf-8"), repeat("backslashreplace")))
            body = b"".join(chain.from_iterable(zip(map(_var, map(len, encoded)), encoded)))
        del pending[:]
        return _var(first) + _var(n) + body


# ---------------------------------------------------------------------------------------
# Output

class _Output:
    """The .hsr file. Callers hold `lock` around every record they write."""

    def __init__(self, path):
        self.path = path
        self.file = open(path, "wb", buffering=1 << 20)
        self.lock = threading.Lock()
        self.file.write(MAGIC + bytes([FORMAT_VERSION]))

    def record(self, rtype, payload, compressed=False):
        if compressed:
            payload = zlib.compress(payload, 1)
            rtype |= COMPRESSED
        self.file.write(bytes([rtype]) + _var(len(payload)))
        self.file.write(payload)


class _AsyncRecords:
    """Compresses and writes records, in order, on a helper thread while the caller builds
    the next ones (zlib releases the GIL). Only used while the output lock is held."""

    def __init__(self, out):
        self.out = out
        self.error = None
        self.thread = None
        if queue is not None and (os.cpu_count() or 1) > 1:
            self.queue = queue.Queue(maxsize=4)
            self.thread = threading.Thread(target=self._run, name="heapscope-writer")
            self.thread.daemon = True
            self.thread.start()

    def _run(self):
        get = self.queue.get
        while True:
            item = get()
            if item is None:
                return
            if self.error is None:
                try:
                    self.out.record(*item)
                except BaseException as e:  # raised again by record()/close()
                    self.error = e

    def record(self, rtype, payload, compressed=False):
        if self.error is not None:
            raise self.error
        if self.thread is None:
            self.out.record(rtype, payload, compressed)
        else:
            self.queue.put((rtype, payload, compressed))

    def close(self):
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        if self.error is not None:
            raise self.error


# ---------------------------------------------------------------------------------------
# Types: names, sizes, labels and how their edges are named

# How a type's edges are named: K_PLAIN not at all; K_CONSTNAME one name for all (sets,
# cells); K_SEQ "[i]"; K_DICT by key; K_INST, K_SLOTS plain classes (without, with slots);
# K_FUNC, K_METHOD functions and bound methods; K_GENERIC one object at a time.
K_PLAIN, K_CONSTNAME, K_SEQ, K_DICT, K_INST, K_SLOTS, K_FUNC, K_METHOD, K_GENERIC = range(9)

_type_dict = type.__dict__["__dict__"].__get__
_type_mro = type.__dict__["__mro__"].__get__
_type_name = type.__dict__["__name__"].__get__
_type_qualname = type.__dict__["__qualname__"].__get__
_type_module = type.__dict__["__module__"].__get__
_type_bases = type.__dict__["__bases__"].__get__
_type_base = type.__dict__["__base__"].__get__
_module_dict = types.ModuleType.__dict__["__dict__"].__get__

_HEAPTYPE = 1 << 9
_HAVE_GC = 1 << 14
_GC_HEAD = sys.getsizeof([]) - [].__sizeof__()

_FunctionType = types.FunctionType
_MethodType = types.MethodType
_CodeType = types.CodeType
_FrameType = types.FrameType
_ModuleType = types.ModuleType
_NoneType = type(None)
_CellType = type((lambda x: lambda: x)(0).__closure__[0])
_BuiltinFunctionType = types.BuiltinFunctionType
_MemberDescriptorType = types.MemberDescriptorType
_MethodDescriptorType = type(object.__sizeof__)
_CO_NEWLOCALS = 0x0002

_LEN_TYPES = (list, tuple, dict, set, frozenset)
_LABELLED = frozenset([str, int, bool, float, complex, bytes, _NoneType, _FunctionType,
                       _CodeType, _FrameType, _MethodType, _BuiltinFunctionType]
                      + list(_LEN_TYPES))


def _qualname(t):
    try:
        return "%s.%s" % (_type_module(t), _type_qualname(t))
    except Exception:
        try:
            return _type_name(t)
        except Exception:
            return "?"


def _code_label(co):
    return getattr(co, "co_qualname", None) or co.co_name


def _label_of(o):
    """An object's label (never runs user code: only builtin types are looked into)."""
    t = type(o)
    try:
        if t is str:
            return repr(o[:60])[:60]
        if t is int:
            if -_BIG_INT < o < _BIG_INT:
                return repr(o)
            return "<int of %d bits>" % o.bit_length()
        if t is bool or t is float or t is complex or t is _NoneType:
            return repr(o)[:60]
        if t is bytes:
            return repr(o[:40])[:60]
        if t in _LEN_TYPES:
            return "len=%d" % len(o)
        if t is _FunctionType:
            return o.__qualname__[:LABEL_MAX]
        if t is _CodeType:
            return _code_label(o)[:LABEL_MAX]
        if t is _FrameType:
            return o.f_code.co_name[:LABEL_MAX]
        if t is _MethodType:
            f = o.__func__
            return f.__qualname__[:LABEL_MAX] if type(f) is _FunctionType else ""
        if t is _BuiltinFunctionType:
            return o.__name__[:LABEL_MAX]
        if issubclass(t, type):
            return _type_qualname(o)[:LABEL_MAX]
        if issubclass(t, _ModuleType):
            name = _module_dict(o).get("__name__")
            return name[:LABEL_MAX] if type(name) is str else ""
    except Exception:
        pass
    return ""


def _slot_names(c):
    """Names under which class c stores its slots (its own member descriptors)."""
    try:
        d = _type_dict(c)
        return [name for name, v in d.items()
                if type(v) is _MemberDescriptorType and getattr(v, "__objclass__", None) is c]
    except Exception:
        return []


class _TypeInfo:
    """What the writer knows about each type, in dicts of atomic values (so registering a
    type during a dump adds no gc-tracked objects for a later graph to see)."""

    def __init__(self, strings):
        self.strings = strings
        self.sid = {}         # type -> string id of "module.qualname"
        self.kind = {}        # type -> K_*
        self.flags = {}       # type -> NODE_MODULE | NODE_TYPE
        self.labelled = {}    # type -> whether its objects have labels
        self.const_size = {}  # type -> size of every instance, or -1
        self.sizer = {}       # type -> callable giving __sizeof__ (without the gc header)
        self.header = {}      # type -> what sys.getsizeof adds to __sizeof__
        self.name_sid = {}    # type -> the name of all its edges (K_CONSTNAME)

    def register(self, t, sample):
        name = _qualname(t)
        self.sid[t] = self.strings.id(name[:200])
        try:
            mro = _type_mro(t) or (t,)   # None for a type that was never readied
        except Exception:
            mro = (t,)
        flags = 0
        if _ModuleType in mro:
            flags |= NODE_MODULE
        if type in mro:
            flags |= NODE_TYPE
        self.flags[t] = flags
        self.labelled[t] = t in _LABELLED or bool(flags)
        kind = self.kind[t] = self._kind(t, mro)
        if kind == K_CONSTNAME:
            self.name_sid[t] = _RID["cell_contents"] if t is _CellType else _RID["item"]
        self._sizing(t, mro, sample)

    @staticmethod
    def _kind(t, mro):
        if t is list or t is tuple:
            return K_SEQ
        if t is dict:
            return K_DICT
        if t is set or t is frozenset or t is _CellType:
            return K_CONSTNAME
        if t is _FunctionType:
            return K_FUNC
        if t is _MethodType:
            return K_METHOD
        if t is _FrameType or type in mro or _ModuleType in mro:
            return K_GENERIC
        try:
            if not t.__flags__ & _HEAPTYPE:
                return K_PLAIN
            # A plain class: every class up to object is a heap type, so gc.get_referents
            # gives [slots..., __dict__ or attribute values..., the class].
            slots = False
            for c in mro[:-1]:
                if not c.__flags__ & _HEAPTYPE:
                    return K_GENERIC
                slots = slots or bool(_slot_names(c))
        except Exception:
            return K_GENERIC
        if mro[-1] is not object:
            return K_GENERIC
        return K_SLOTS if slots else K_INST

    def _sizing(self, t, mro, sample):
        self.const_size[t] = -1
        self.sizer[t] = _safe_getsizeof
        self.header[t] = 0
        if type in mro:
            return   # static and heap types differ: sys.getsizeof one by one
        method = None
        for c in mro:
            try:
                method = _type_dict(c).get("__sizeof__")
            except Exception:
                method = None
            if method is not None:
                break
        if type(method) is not _MethodDescriptorType:
            # A __sizeof__ written in Python would run user code: estimate without it.
            self.sizer[t] = object.__sizeof__
            self.header[t] = _GC_HEAD if getattr(t, "__flags__", 0) & _HAVE_GC else 0
            return
        try:
            base = method(sample)
            header = sys.getsizeof(sample) - base
        except Exception:
            return
        self.sizer[t] = method
        self.header[t] = header
        if method is object.__sizeof__ and getattr(t, "__itemsize__", 1) == 0:
            self.const_size[t] = base + header


def _safe_getsizeof(o):
    try:
        return sys.getsizeof(o)
    except Exception:
        return 0


# ---------------------------------------------------------------------------------------
# Edge names of objects handled one by one (functions, types, modules, frames, ...)

class _AnyDict:
    pass


class _AnyFrame:
    pass


class _AnyAnnotations:   # a dict, or (3.10+) the tuple the compiler leaves until first use
    pass


def _match_names(refs, cands):
    """Edge name ids for refs, from (value, name id) candidates in gc traversal order: a
    ref takes the next candidate it is (for _AnyDict/_AnyFrame: whose type it has); refs
    that match nothing stay unnamed (0)."""
    names = []
    j = 0
    n = len(cands)
    for r in refs:
        name = 0
        p = j
        while p < n:
            v, nm = cands[p]
            p += 1
            if v is r or (v is _AnyDict and type(r) is dict) or \
                    (v is _AnyFrame and type(r) is _FrameType) or \
                    (v is _AnyAnnotations and (type(r) is dict or type(r) is tuple)):
                name = nm
                j = p
                break
        names.append(name)
    return names


def _instance_candidates(o, t, strings):
    """What gc visits first for an instance of a heap type: the slots (the class's, then
    its bases'), the __dict__ and the class."""
    cands = []
    c = t
    try:
        while c is not None and c.__flags__ & _HEAPTYPE:
            d = _type_dict(c)
            for name in sorted(_slot_names(c)):
                try:
                    cands.append((d[name].__get__(o, c), strings.id(name[:LABEL_MAX])))
                except Exception:
                    pass   # an empty slot
            c = _type_base(c)
    except Exception:
        pass
    cands.append((_AnyDict, _RID["__dict__"]))
    cands.append((t, _RID["__class__"]))
    return cands


def _generic_names(o, t, refs, strings):
    """Edge name ids for one object of a K_GENERIC type."""
    R = _RID
    try:
        if t is _FunctionType:
            # In func_traverse order. None from the __defaults__, __kwdefaults__ and
            # __closure__ getters means the field is empty (not visited).
            cands = [(o.__code__, R["__code__"]), (o.__globals__, R["__globals__"])]
            if _PY >= (3, 10):
                cands.append((o.__builtins__, R["__builtins__"]))
            cands.append((o.__module__, R["__module__"]))
            if o.__defaults__ is not None:
                cands.append((o.__defaults__, R["__defaults__"]))
            if o.__kwdefaults__ is not None:
                cands.append((o.__kwdefaults__, R["__kwdefaults__"]))
            cands += [(o.__doc__, R["__doc__"]), (o.__name__, R["__name__"]),
                      (_AnyDict, R["__dict__"])]
            if o.__closure__ is not None:
                cands.append((o.__closure__, R["__closure__"]))
            cands += [(_AnyAnnotations, R["__annotations__"]),
                      (o.__qualname__, R["__qualname__"])]
            if _PY >= (3, 12):
                cands.append((getattr(o, "__type_params__", None), R["__type_params__"]))
            names = _match_names(refs, cands)
            if o.__closure__ is None:
                # Nothing between func_dict and func_annotations: a lone dict is taken for
                # the annotations when it is keyed by parameter names.
                dicts = [i for i, r in enumerate(refs) if type(r) is dict and
                         names[i] in (R["__dict__"], R["__annotations__"])]
                if len(dicts) == 1:
                    d = refs[dicts[0]]
                    params = set(o.__code__.co_varnames)
                    params.add("return")
                    annotations = bool(d) and all(type(k) is str and k in params for k in d)
                    names[dicts[0]] = R["__annotations__" if annotations else "__dict__"]
            return names
        if t is _MethodType:
            f, s = o.__func__, o.__self__
            return _match_names(refs, [(f, R["__func__"]), (s, R["__self__"]),
                                       (f, R["__func__"])])
        if t is _FrameType:
            code = o.f_code
            back = _AnyFrame if _PY >= (3, 11) else o.f_back   # 3.11+: f_back would
            cands = [(back, R["f_back"]), (code, R["f_code"]),  # create frame objects
                     (o.f_builtins, R["f_builtins"]), (o.f_globals, R["f_globals"])]
            if not code.co_flags & _CO_NEWLOCALS:
                cands.append((_AnyDict, R["f_locals"]))
            return _match_names(refs, cands)
        if issubclass(t, type):
            cands = []
            if t is not type and t.__flags__ & _HEAPTYPE:
                cands = [c for c in _instance_candidates(o, t, strings) if c[0] is not _AnyDict]
            cands += [(_AnyDict, R["__dict__"]), (_type_mro(o), R["__mro__"]),
                      (_type_bases(o), R["__bases__"]), (_type_base(o), R["__base__"])]
            return _match_names(refs, cands)
        if issubclass(t, _ModuleType):
            cands = [(t, R["__class__"])] if t is not _ModuleType else []
            cands.append((_module_dict(o), R["__dict__"]))
            return _match_names(refs, cands)
        if t.__flags__ & _HEAPTYPE:
            names = _match_names(refs, _instance_candidates(o, t, strings))
            _name_base_items(o, t, refs, names, strings)
            return names
    except Exception:
        pass
    return [0] * len(refs)


def _name_base_items(o, t, refs, names, strings):
    """Names of what a builtin base (list, tuple, dict, set) adds after the class."""
    end = 0
    for i, r in enumerate(refs):
        if r is t:
            end = i + 1
    rest = len(refs) - end
    if not end or not rest:
        return
    try:
        if issubclass(t, list) or issubclass(t, tuple):
            n = (list.__len__ if issubclass(t, list) else tuple.__len__)(o)
            if n == rest and n <= MAX_INDEX_NAMES:
                names[end:] = strings.ids_of(["[%d]" % i for i in reversed(range(n))])
        elif issubclass(t, dict):
            names[end:] = _dict_names_slow(o, refs[end:], strings)
        elif issubclass(t, set) or issubclass(t, frozenset):
            names[end:] = [_RID["item"]] * rest
    except Exception:
        pass


def _column_names(flat, k, cands):
    """Names for n objects with k referents each (flat: their referents back to back),
    when referent column j is, for every object, the same candidate field: the columns
    take candidates in order, by identity (or by type for _AnyDict/_AnyAnnotations).
    None when some column matches no candidate."""
    if cands is None:
        return None
    pattern = []
    p = 0
    for j in range(k):
        col = flat[j::k]
        q = p
        while q < len(cands):
            name, vals = cands[q]
            q += 1
            if vals is _AnyDict:
                ok = set(map(type, col)) == {dict}
            elif vals is _AnyAnnotations:
                ok = set(map(type, col)) <= {dict, tuple}
            else:
                ok = all(map(is_, col, vals))
            if ok:
                pattern.append(name)
                p = q
                break
        else:
            return None
    return pattern * (len(flat) // k)


def _annotations_like(d, f):
    """Whether d (func_dict or func_annotations of f) looks like annotations."""
    if type(d) is tuple:
        return True
    try:
        params = set(f.__code__.co_varnames)
        params.add("return")
        return bool(d) and all(type(k) is str and k in params for k in d)
    except Exception:
        return False


def _or3(a, b, c):
    return a | b << 1 | c << 2


_get_code = attrgetter("__code__")
_get_globals = attrgetter("__globals__")
_get_builtins = attrgetter("__builtins__") if _PY >= (3, 10) else None
_get_module = attrgetter("__module__")
_get_defaults = attrgetter("__defaults__")
_get_kwdefaults = attrgetter("__kwdefaults__")
_get_closure = attrgetter("__closure__")
_get_doc = attrgetter("__doc__")
_get_name = attrgetter("__name__")
_get_qualname = attrgetter("__qualname__")
_get_func = attrgetter("__func__")
_get_self = attrgetter("__self__")


def _get_type_params(f):
    return getattr(f, "__type_params__", None)


def _value_name(k):
    """Name of the edge to a dict value under key k."""
    t = type(k)
    if t is str:
        return k[:LABEL_MAX]
    if t is int or t is bool:
        return _label_of(k)
    return "value"


def _dict_names_slow(d, refs, strings):
    """Edge names of one dict's referents (dict's own methods, so that overriding ones
    never run): gc visits the values, or value and key pairs, in order; else matched by
    identity."""
    try:
        keys = list(dict.keys(d))
        values = list(dict.values(d))
        if len(refs) == len(values) and all(map(is_, refs, values)):
            return strings.ids_of([k[:LABEL_MAX] if type(k) is str else _value_name(k)
                                   for k in keys])
        if len(refs) == 2 * len(values) and all(map(is_, refs[0::2], values)) and \
                all(map(is_, refs[1::2], keys)):
            names = [_RID["key"]] * len(refs)
            names[0::2] = strings.ids_of([k[:LABEL_MAX] if type(k) is str else _value_name(k)
                                          for k in keys])
            return names
    except Exception:
        pass
    by_id = {}
    try:
        for k, v in dict.items(d):
            by_id.setdefault(id(v), []).append(_value_name(k))
            by_id.setdefault(id(k), []).append("key")
    except Exception:
        pass
    names = []
    for r in refs:
        lst = by_id.get(id(r))
        names.append(strings.id(lst.pop(0)) if lst else 0)
    return names


def _is_instance_dict(o, d):
    """Whether dict d (the one referent of o besides its class) is o.__dict__, decided
    without materialising a __dict__ (3.11+ keeps attributes inline)."""
    if not d:
        return False
    try:
        for key in d:
            if type(key) is not str:
                return False
            for c in _type_mro(type(o)):
                if key in _type_dict(c):
                    return False   # a descriptor could run code
            return object.__getattribute__(o, key) is d[key]
    except Exception:
        pass
    return False


# ---------------------------------------------------------------------------------------
# The object graph

_get_referents = gc.get_referents
_is_tracked = gc.is_tracked
try:
    from _tracemalloc import _get_object_traceback
except ImportError:  # pragma: no cover
    _get_object_traceback = None


class _TracebackIds(dict):
    """raw tracemalloc frames tuple -> traceback id; new ones wait in `pending`. Ids run
    on through the file; each graph has its own table (a traceback used by two graphs is
    defined twice), so that no table outlives its graph."""

    def __init__(self, next_id):
        dict.__init__(self)
        self[None] = 0
        self.next_id = next_id
        self.pending = []

    def __missing__(self, frames):
        i = self[frames] = self.next_id
        self.next_id += 1
        self.pending.append((i, frames))
        return i


class _GraphWriter:
    """Writes the nodes of one object graph. Objects are bucketed by type and by number of
    referents, and each bucket is encoded at once: every field a padded varint filling
    whole 8-byte lanes, so a bucket is assembled with a few strided copies."""

    CHUNK = 65536

    def __init__(self, rec, records):
        self.strings = rec.strings
        self.info = rec.types
        self.lanes = rec.lanes
        self.records = records
        self.tracing = tracemalloc.is_tracing() and _get_object_traceback is not None
        self.tbs = _TracebackIds(rec.next_traceback)
        self.untracked = []          # untracked referents of the current chunk
        self.parts = []              # bytes of the NODES record being filled
        self.part_nodes = 0
        self.part_bytes = 0
        self.node_count = 0
        self.edge_count = 0
        self.idx_sids = [_RID["[%d]" % i] for i in range(90)]

    # -- records

    def flush(self):
        self._definitions()
        if self.part_nodes:
            self.records.record(NODES, _var(self.part_nodes) + b"".join(self.parts), True)
        self.parts = []
        self.part_nodes = 0
        self.part_bytes = 0

    def _definitions(self):
        """Strings and tracebacks the next NODES record uses, written before it."""
        if self.tbs.pending:
            sid = self.strings.id
            out = []
            for i, frames in self.tbs.pending:
                if _PY >= (3, 7):
                    frames = frames[::-1]   # oldest first, as Traceback iterates
                out.append(_var(i) + _var(len(frames)) +
                           b"".join(_var(sid(f)) + _var(ln) for f, ln in frames))
            del self.tbs.pending[:]
            self._strings()
            self.records.record(TRACEBACKS, _var(len(out)) + b"".join(out), True)
        self._strings()

    def _strings(self):
        payload = self.strings.take()
        if payload is not None:
            self.records.record(STRINGS, payload, True)

    def _add(self, buf, n, width):
        """Appends n nodes of `width` bytes each (buf holds them back to back)."""
        i = 0
        while i < n:
            take = min(n - i, MAX_RECORD_ITEMS - self.part_nodes,
                       (MAX_RECORD_BYTES - self.part_bytes) // width)
            if take <= 0:
                if self.part_nodes:
                    self.flush()
                    continue
                take = 1   # one node larger than the byte budget: alone in its record
            self.parts.append(buf if take == n else buf[i * width:(i + take) * width])
            self.part_nodes += take
            self.part_bytes += take * width
            i += take

    # -- the dump

    def run(self, objs, skip_raw):
        for start in range(0, len(objs), self.CHUNK):
            self._chunk(objs[start:start + self.CHUNK], skip_raw)
        self.flush()

    def _chunk(self, chunk, skip_raw):
        groups = defaultdict(list)
        # Buckets by type at C speed (list.append returns None: any() runs to the end).
        any(map(list.append, map(groups.__getitem__, map(type, chunk)), chunk))
        del chunk
        info = self.info
        for t, objs in groups.items():
            if t is _FrameType and skip_raw:
                objs = _drop(objs, skip_raw)
                if not objs:
                    continue
            if t not in info.sid:
                info.register(t, objs[0])
            kind = info.kind[t]
            if kind == K_SEQ or kind == K_DICT or (kind == K_CONSTNAME and t is not _CellType):
                # gc visits every item (values only for str-keyed dicts; checked later).
                self._by_count(t, objs, list(map(len, objs)), kind, None)
            elif kind == K_GENERIC:
                self._by_refs(t, objs, kind)
            else:
                self._by_count(t, objs, list(map(len, map(_get_referents, objs))), kind, None)
        groups = objs = None
        self._write_untracked()

    def _by_refs(self, t, objs, kind):
        """Objects whose referent lists are fetched one by one and kept (for naming)."""
        refs = list(map(_get_referents, objs))
        self._by_count(t, objs, list(map(len, refs)), kind, refs)

    def _by_count(self, t, objs, counts, kind, refs):
        if not counts:
            return
        if min(counts) == max(counts):
            self._shape(t, objs, counts[0], kind, refs)
            return
        buckets = defaultdict(list)
        if refs is None:
            any(map(list.append, map(buckets.__getitem__, counts), objs))
            for k, sub in buckets.items():
                self._shape(t, sub, k, kind, None)
        else:
            any(map(list.append, map(buckets.__getitem__, counts), zip(objs, refs)))
            for k, pairs in buckets.items():
                self._shape(t, [p[0] for p in pairs], k, kind, [p[1] for p in pairs])

    def _shape(self, t, objs, k, kind, refs):
        """n objects of type t with k referents each."""
        n = len(objs)
        if k > MAX_NODE_EDGES:
            if refs is None:
                refs = list(map(_get_referents, objs))
            for o, r in zip(objs, refs):
                self._shape(t, [o], MAX_NODE_EDGES, K_GENERIC, [r[:MAX_NODE_EDGES]])
            return
        if refs is not None:
            flat = list(chain.from_iterable(refs))
        elif k:
            flat = _get_referents(*objs)
            if len(flat) != n * k:   # not the counts we bucketed by (or changed under us)
                self._by_refs(t, objs, kind)
                return
        else:
            flat = []
        strings = self.strings

        # Edge names: None (all unnamed), an int (one name for all), or n*k ids.
        names = None
        label = 0 if not self.info.labelled[t] else None   # None: one per object
        if kind == K_SEQ:
            if k:
                names = self._index_names(k) * n
            label = strings.id("len=%d" % k)
        elif kind == K_CONSTNAME:
            names = self.info.name_sid[t] if k else None
            if t is not _CellType:
                label = strings.id("len=%d" % k)
        elif kind == K_DICT:
            names = self._dict_names(objs, k, flat) if k else None
            if names is not None or not k:
                label = strings.id("len=%d" % k)
            elif refs is None:
                self._by_refs(t, objs, kind)
                return
            else:   # not (only) values: key and value referents, named by identity
                names = list(chain.from_iterable(
                    _dict_names_slow(o, r, strings) for o, r in zip(objs, refs)))
        elif kind == K_INST:
            names = self._instance_names(objs, k, flat)
        elif kind == K_FUNC and k and refs is None:
            if not self._functions(t, objs, k, flat):
                self._shape(t, objs, k, K_GENERIC, list(map(_get_referents, objs)))
            return
        elif kind == K_METHOD or kind == K_SLOTS or kind == K_GENERIC or kind == K_FUNC:
            if k and refs is None:
                names = _column_names(flat, k, self._candidates(t, kind, objs))
                if names is None:
                    refs = list(map(_get_referents, objs))
            if k and refs is not None:
                names = list(chain.from_iterable(
                    _generic_names(o, t, r, strings) for o, r in zip(objs, refs)))
        if k:
            self.untracked.extend(filterfalse(_is_tracked, flat))
        self._nodes(t, objs, label, NODE_TRACKED, k, flat, names)

    def _nodes(self, t, objs, label, tracked, k, flat, names):
        info = self.info
        size = info.const_size[t]
        if size < 0:
            size = self._sizes(t, objs)
        if label is None:
            label = self.strings.fresh(list(map(_label_of, objs)))
        tb = 0
        if self.tracing:
            tb = list(map(self.tbs.__getitem__, map(_get_object_traceback, objs)))
            if not any(tb):
                tb = 0
        self.node_count += len(objs)
        self.edge_count += len(objs) * k
        self._emit(objs, [info.sid[t], size, label, info.flags[t] | tracked, tb, k],
                   flat, names, k)

    def _functions(self, t, objs, k, flat):
        """Functions, named column by column; False when that does not work out (the
        caller then names them one by one)."""
        R = _RID
        # Which of the fields that can be empty are set splits them into groups that gc
        # traverses alike.
        defaults = list(map(_get_defaults, objs))
        kwdefaults = list(map(_get_kwdefaults, objs))
        closure = list(map(_get_closure, objs))
        shape = list(map(_or3, map(is_not, defaults, repeat(None)),
                         map(is_not, kwdefaults, repeat(None)),
                         map(is_not, closure, repeat(None))))
        if min(shape) != max(shape):
            buckets = defaultdict(list)
            any(map(list.append, map(buckets.__getitem__, shape), objs))
            for sub in buckets.values():
                self._shape(t, sub, k, K_FUNC, None)
            return True
        has = shape[0]
        cands = [(R["__code__"], list(map(_get_code, objs))),
                 (R["__globals__"], list(map(_get_globals, objs)))]
        if _PY >= (3, 10):
            cands.append((R["__builtins__"], list(map(_get_builtins, objs))))
        cands.append((R["__module__"], list(map(_get_module, objs))))
        if has & 1:
            cands.append((R["__defaults__"], defaults))
        if has & 2:
            cands.append((R["__kwdefaults__"], kwdefaults))
        cands += [(R["__doc__"], list(map(_get_doc, objs))),
                  (R["__name__"], list(map(_get_name, objs))), (R["__dict__"], _AnyDict)]
        if has & 4:
            cands.append((R["__closure__"], closure))
        cands += [(R["__annotations__"], _AnyAnnotations),
                  (R["__qualname__"], list(map(_get_qualname, objs)))]
        if _PY >= (3, 12):
            cands.append((R["__type_params__"], list(map(_get_type_params, objs))))
        names = _column_names(flat, k, cands)
        if names is None:
            return False
        if not has & 4 and (R["__dict__"] in names[:k]) != (R["__annotations__"] in names[:k]):
            # One of func_dict / func_annotations, nothing in between to tell which: look.
            j = names.index(R["__dict__"]) if R["__dict__"] in names[:k] else \
                names.index(R["__annotations__"])
            for i, o in enumerate(objs):
                names[i * k + j] = R["__annotations__" if _annotations_like(
                    flat[i * k + j], o) else "__dict__"]
        label = self.strings.fresh(list(map(getitem, map(_get_qualname, objs),
                                            repeat(_SLICE_LABEL))))
        self._nodes(t, objs, label, NODE_TRACKED, k, flat, names)
        self.untracked.extend(filterfalse(_is_tracked, flat))
        return True

    def _candidates(self, t, kind, objs):
        """(name id, column) in gc traversal order, for _column_names."""
        R = _RID
        if kind == K_METHOD:
            return [(R["__func__"], list(map(_get_func, objs))),
                    (R["__self__"], list(map(_get_self, objs)))]
        if kind == K_SLOTS:
            cands = []
            c = t
            while c is not object:
                d = _type_dict(c)
                for name in sorted(_slot_names(c)):
                    try:
                        column = list(map(d[name].__get__, objs))
                    except Exception:   # an empty slot: not all alike, one by one
                        return None
                    cands.append((self.strings.id(name[:LABEL_MAX]), column))
                c = _type_base(c)
            return cands + [(R["__dict__"], _AnyDict), (R["__class__"], [t] * len(objs))]
        return None

    def _index_names(self, k):
        """Edge names of a k-item list or tuple (gc visits the items last to first)."""
        have = len(self.idx_sids)
        if k > have and have < MAX_INDEX_NAMES:
            upto = min(k, MAX_INDEX_NAMES)
            self.idx_sids.extend(self.strings.ids_of(["[%d]" % i for i in range(have, upto)]))
        pattern = self.idx_sids[:k]
        if len(pattern) < k:
            pattern += [0] * (k - len(pattern))
        pattern.reverse()
        return pattern

    def _dict_names(self, objs, k, flat):
        """Dicts whose referents are their values (all keys str): the keys name them."""
        values = list(chain.from_iterable(map(dict.values, objs)))
        if len(values) != len(flat) or not all(map(is_, flat, values)):
            return None
        keys = list(chain.from_iterable(map(dict.keys, objs)))
        if not set(map(type, keys)) <= {str}:
            return None
        return self.strings.ids_of(list(map(getitem, keys, repeat(_SLICE_LABEL))))

    def _instance_names(self, objs, k, flat):
        """[__dict__, __class__] (3.8-3.10) or [attribute values..., __class__] (3.11+)."""
        if not k:
            return None
        cls = _RID["__class__"]
        if _PY < (3, 11):
            pattern = [_RID["__dict__"], cls] if k == 2 else [0] * (k - 1) + [cls]
            return pattern * len(objs)
        names = ([0] * (k - 1) + [cls]) * len(objs)
        if k == 2:
            # The one referent besides the class: an attribute value, or a __dict__ that
            # was materialised.
            firsts = flat[0::2]
            for i, f in enumerate(firsts):
                if type(f) is dict and _is_instance_dict(objs[i], f):
                    names[2 * i] = _RID["__dict__"]
        return names

    def _sizes(self, t, objs):
        info = self.info
        try:
            sizes = list(map(info.sizer[t], objs))
        except Exception:
            return list(map(_safe_getsizeof, objs))
        header = info.header[t]
        return list(map(header.__add__, sizes)) if header else sizes

    def _emit(self, objs, fields, flat, names, k):
        """Encodes n nodes of one shape: every field a padded varint, the nodes' fixed
        parts packed into whole 8-byte lanes, each edge one lane (7-byte address, 1-byte
        name) or two (address, name) when a name id does not fit one byte."""
        n = len(objs)
        lanes = self.lanes
        try:
            addr = lanes.encode(_pointers(objs), _Lanes.VAL8)
            template = [bytes(8)]   # lane 0: the address
            columns = []            # (lane offset, lanes of a per-object field)
            run = []
            for f in fields:
                if type(f) is int:
                    run.append(f)
                    continue
                if run:
                    template.append(_pack_fields(run))
                    run = []
                columns.append((sum(map(len, template)) >> 3,
                                lanes.encode(array("Q", f).tobytes(), _Lanes.VAL8)))
                template.append(bytes(8))
            if run:
                template.append(_pack_fields(run))
            head = sum(map(len, template)) >> 3
            per_edge = 1
            edges = b""
            if k:
                raw = _pointers(flat)
                if names is None:
                    nraw, narrow = None, True
                elif type(names) is int:
                    nraw, narrow = array("Q", [names]).tobytes() * len(flat), names < 128
                else:
                    nraw, narrow = array("Q", names).tobytes(), max(names) < 128
                edges = None
                if narrow:
                    try:
                        edges = lanes.encode(raw, _Lanes.EDGE7, nraw)
                    except _TooWide:
                        edges = None
                if edges is None:
                    per_edge = 2
                    if nraw is None:
                        nraw = bytes(8 * len(flat))
                    both = bytearray(16 * len(flat))
                    q = memoryview(both).cast("Q")
                    q[0::2] = memoryview(lanes.encode(raw, _Lanes.VAL8)).cast("Q")
                    q[1::2] = memoryview(lanes.encode(nraw, _Lanes.VAL8)).cast("Q")
                    edges = both
                template.append(bytes(8 * k * per_edge))
        except (_TooWide, ValueError, OverflowError):
            self._emit_slow(objs, fields, flat, names, k)
            return
        width = head + k * per_edge
        buf = bytearray(b"".join(template)) * n
        q = memoryview(buf).cast("Q")
        q[0::width] = memoryview(addr).cast("Q")
        for off, col in columns:
            q[off::width] = memoryview(col).cast("Q")
        if k:
            e = memoryview(edges).cast("Q")
            ke = k * per_edge
            if n >= ke:
                for j in range(ke):
                    q[head + j::width] = e[j::ke]
            else:
                for i in range(n):
                    q[i * width + head:(i + 1) * width] = e[i * ke:(i + 1) * ke]
        self._add(buf, n, 8 * width)

    def _emit_slow(self, objs, fields, flat, names, k):
        """Plain varints, one object at a time (values beyond the fast layout)."""
        n = len(objs)
        if names is None or type(names) is int:
            names = [names or 0] * (n * k)
        cols = [[f] * n if type(f) is int else f for f in fields]
        eids = list(map(id, flat))
        for i, (o, row) in enumerate(zip(objs, zip(*cols))):
            out = bytearray(_varint(id(o)))
            for v in row:
                out += _varint(max(v, 0))
            for j in range(i * k, (i + 1) * k):
                out += _varint(eids[j])
                out += _varint(names[j])
            self._add(bytes(out), 1, len(out))

    # -- untracked referents (strings, numbers, ...): nodes without edges

    def _write_untracked(self):
        unt = self.untracked
        if not unt:
            return
        self.untracked = []
        # One node per object and chunk (an object referenced from several chunks is
        # written again: duplicates are allowed and cheaper than remembering).
        objs = list(dict(zip(_addresses(unt), unt)).values())
        del unt
        groups = defaultdict(list)
        any(map(list.append, map(groups.__getitem__, map(type, objs)), objs))
        del objs
        info = self.info
        for t, objs in groups.items():
            if t not in info.sid:
                info.register(t, objs[0])
            if t is str:
                labels = list(map(getitem, map(repr, map(getitem, objs, repeat(_SLICE60))),
                                  repeat(_SLICE60)))
                label = self.strings.fresh(labels)
            elif t is float or t is bool or t is _NoneType or (
                    t is int and -_BIG_INT < min(objs) and max(objs) < _BIG_INT):
                label = self.strings.fresh(list(map(repr, objs)))
            elif info.labelled[t]:
                label = self.strings.fresh(list(map(_label_of, objs)))
            else:
                label = 0
            self._nodes(t, objs, label, 0, 0, [], None)


def _drop(objs, skip_raw):
    """objs without those whose address is listed (8 bytes each) in skip_raw."""
    keep = []
    for o in objs:
        a = id(o).to_bytes(8, "little")
        p = skip_raw.find(a)
        while p >= 0 and p % 8:
            p = skip_raw.find(a, p + 1)
        if p < 0:
            keep.append(o)
    return keep


# ---------------------------------------------------------------------------------------
# The recorder

def _report(what, exc=None):
    try:
        msg = "heapscope recorder: %s" % what
        if exc is not None:
            msg += ": %s: %s" % (type(exc).__name__, exc)
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()
    except Exception:
        pass


def _page_size():
    try:
        return os.sysconf("SC_PAGE_SIZE")
    except Exception:
        return 4096


class Recorder:
    """One recording. Use the module functions (start, stop, checkpoint, record)."""

    def __init__(self, path, interval=0.1, frames=1, snapshot_every=None,
                 graph_at_exit=False):
        self.path = path
        self.interval = float(interval)
        self.frames = int(frames)
        self.snapshot_every = float(snapshot_every) if snapshot_every else None
        self.graph_at_exit = bool(graph_at_exit)
        self.strings = _Strings()
        self.types = _TypeInfo(self.strings)
        self.lanes = _Lanes()
        self.checkpoints = 0
        self.next_traceback = 1
        self.failed = False
        self.closed = False
        self.started_tracemalloc = False
        self.main_ident = threading.main_thread().ident
        self.busy = 0                 # main thread inside the recorder (signal deferral)
        self.in_signal = 0            # ... taking a checkpoint for SIGUSR2
        self.pending_signal = False
        self.old_handler = None
        self.sampler = None
        self.stop_lock = threading.Lock()
        self.statm = None
        self.page = _page_size()
        self.out = None
        self.t0 = 0.0

    # -- start / stop

    def start(self):
        # The file (and its 1 MiB write buffer) first: tracemalloc should not count the
        # recorder's own buffer as the program's memory.
        self.out = _Output(self.path)
        if self.frames > 0 and not tracemalloc.is_tracing():
            tracemalloc.start(self.frames)
            self.started_tracemalloc = True
        self.t0 = time.monotonic()
        meta = {
            "recorder": "1",
            "python": platform.python_version(),
            "implementation": sys.implementation.name,
            "pid": os.getpid(),
            "argv": [str(a) for a in sys.argv],
            "start_unix": time.time(),
            "interval": self.interval,
            "frames": self.frames,
            "platform": sys.platform,
            "tracemalloc": tracemalloc.is_tracing(),
        }
        with self.out.lock:
            self.out.record(META, _str_bytes_field(json.dumps(meta)))
            self.out.record(STRINGS, self.strings.take(), True)
            self.out.file.flush()
        try:
            self.statm = os.open("/proc/self/statm", os.O_RDONLY)
        except Exception:
            self.statm = None
        self.stop_lock.acquire()
        self._sample()
        self.sampler = threading.Thread(target=self._run, name="heapscope-sampler")
        self.sampler.daemon = True
        self.sampler.start()
        if hasattr(signal, "SIGUSR2") and threading.current_thread() is threading.main_thread():
            try:
                self.old_handler = signal.signal(signal.SIGUSR2, _on_sigusr2)
            except Exception:
                self.old_handler = None

    def stop(self):
        if self.closed:
            return
        if self.graph_at_exit and not self.failed:
            self.checkpoint("exit", graph=True, snapshot=True)
        self.closed = True
        if self.old_handler is not None:
            try:
                signal.signal(signal.SIGUSR2, self.old_handler)
            except Exception:
                pass
            self.old_handler = None
        self.stop_lock.release()
        if self.sampler is not None and self.sampler is not threading.current_thread():
            self.sampler.join(5)
        try:
            with self.out.lock:
                if not self.failed:
                    self._sample_locked()
                    self.out.record(END, _F64.pack(time.monotonic() - self.t0))
                self.out.file.close()
        except Exception as e:
            self._fail("could not finish the recording", e)
        if self.statm is not None:
            try:
                os.close(self.statm)
            except Exception:
                pass
        if self.started_tracemalloc:
            tracemalloc.stop()

    def _fail(self, what, exc):
        if not self.failed:
            self.failed = True
            _report(what + " (recording stopped)", exc)

    # -- timeline

    def _run(self):
        """Sampler thread. A sample is taken inline (no Python-level calls, no `with`, no
        gc-tracked temporary alive across a GIL release) so that whenever another thread
        looks at gc.get_objects(), this thread holds the same objects."""
        stop = self.stop_lock
        interval = self.interval
        every = self.snapshot_every
        next_snapshot = every
        lock = self.out.lock
        f = self.out.file
        statm = self.statm
        page = self.page
        t0 = self.t0
        monotonic = time.monotonic
        is_tracing = tracemalloc.is_tracing
        traced = tracemalloc.get_traced_memory
        pack = _F64.pack
        tag = bytes([SAMPLE])
        # Waiting must hold no gc-tracked temporary: the bound methods are made once here
        # (3.8 would make one per keyword call), and the timeout goes by keyword, in a dict
        # of atomic values that is never tracked (acquire(True, t) would pack a tuple).
        wait = stop.acquire
        acquire = lock.acquire
        release = lock.release
        write = f.write
        flush = f.flush
        while not wait(timeout=interval):
            if self.failed or self.closed:
                break
            try:
                if every is not None and monotonic() - t0 >= next_snapshot:
                    next_snapshot += every
                    self._periodic_snapshot()
                acquire()
                try:
                    if self.closed or self.failed:
                        break
                    if statm is not None:
                        rss = int(os.pread(statm, 128, 0).split()[1]) * page
                    else:
                        rss = _maxrss()
                    t = monotonic() - t0
                    cur = peak = 0
                    if is_tracing():
                        cur, peak = traced()
                    c0, c1, c2 = gc.get_count()
                    g0 = gc.get_stats()[0]["collections"]
                    g1 = gc.get_stats()[1]["collections"]
                    g2 = gc.get_stats()[2]["collections"]
                    payload = bytearray(pack(t))
                    for v in (cur, peak, rss, c0, c1, c2, g0, g1, g2):
                        while v > 0x7F:
                            payload.append((v & 0x7F) | 0x80)
                            v >>= 7
                        payload.append(v)
                    write(tag + bytes([len(payload)]) + payload)
                    flush()
                finally:
                    release()
            except Exception as e:
                self._fail("sampling failed", e)
                break

    def _sample(self):
        with self.out.lock:
            self._sample_locked()

    def _sample_locked(self):
        t = time.monotonic() - self.t0
        rss = 0
        if self.statm is not None:
            try:
                rss = int(os.pread(self.statm, 128, 0).split()[1]) * self.page
            except Exception:
                rss = 0
        else:
            rss = _maxrss()
        if tracemalloc.is_tracing():
            cur, peak = tracemalloc.get_traced_memory()
        else:
            cur = peak = 0
        c0, c1, c2 = gc.get_count()
        stats = gc.get_stats()
        g0, g1, g2 = stats[0]["collections"], stats[1]["collections"], stats[2]["collections"]
        stats = None
        payload = _F64.pack(t) + b"".join(map(_var, (cur, peak, rss, c0, c1, c2, g0, g1, g2)))
        self.out.record(SAMPLE, payload)
        self.out.file.flush()

    # -- checkpoints

    def checkpoint(self, label, graph=False, snapshot=True, by_signal=False):
        if self.closed or self.failed:
            return
        main = threading.get_ident() == self.main_ident
        if main:
            self.busy += 1
            self.in_signal += by_signal
        lock = self.out.lock
        lock.acquire()
        try:
            self._checkpoint_locked(str(label), graph, snapshot, CP_SIGNAL if by_signal else 0)
        except Exception as e:
            self._fail("checkpoint %r failed" % (label,), e)
        except BaseException as e:   # KeyboardInterrupt...: the program's, but the file
            self._fail("checkpoint %r interrupted" % (label,), e)   # ends here
            raise
        finally:
            lock.release()
            if main:
                self.busy -= 1
                self.in_signal -= by_signal
        if main and self.pending_signal and not self.busy:
            # A signal came during this (non-signal) checkpoint: take its graph now.
            self.pending_signal = False
            self.checkpoint("SIGUSR2", graph=True, by_signal=True)

    def _periodic_snapshot(self):
        if not tracemalloc.is_tracing():
            return
        with self.out.lock:
            if not self.closed and not self.failed:
                self._checkpoint_locked("periodic", False, True, CP_PERIODIC)

    def _checkpoint_locked(self, label, graph, snapshot, flags):
        out = self.out
        self.checkpoints += 1
        cp = self.checkpoints
        t = time.monotonic() - self.t0
        snapshot = snapshot and tracemalloc.is_tracing()
        flags |= (CP_SNAPSHOT if snapshot else 0) | (CP_GRAPH if graph else 0)
        out.record(CHECKPOINT, _var(cp) + _F64.pack(t) + _str_bytes_field(label) + _var(flags))
        out.file.flush()
        if snapshot:
            self._snapshot(cp)
            out.file.flush()
        if graph:
            self._graph(cp)
            out.file.flush()

    def _snapshot(self, cp):
        out = self.out
        snap = tracemalloc.take_snapshot()
        traces = snap.traces._traces
        out.record(SNAPSHOT_BEGIN, _var(cp) + _var(snap.traceback_limit) + _var(len(traces)))
        sid = self.strings.id
        encoded = {}   # id(frames tuple) -> bytes; tracemalloc shares equal tracebacks
        for start in range(0, len(traces), MAX_RECORD_ITEMS):
            part = traces[start:start + MAX_RECORD_ITEMS]
            body = [_var(len(part))]
            for trace in part:
                frames = trace[2]
                fb = encoded.get(id(frames))
                if fb is None:
                    fb = encoded[id(frames)] = _var(len(frames)) + b"".join(
                        [_var(sid(f)) + _var(ln) for f, ln in frames])
                total = trace[3] if len(trace) > 3 and trace[3] is not None else len(frames)
                body.append(_var(trace[0]) + _var(trace[1]) + _var(total) + fb)
            payload = self.strings.take()
            if payload is not None:
                out.record(STRINGS, payload, True)
            out.record(TRACES, b"".join(body), True)
        out.record(SNAPSHOT_END, _var(cp) + _var(len(traces)))

    def _graph(self, cp):
        """Called with the output lock held (samples wait until the graph is written)."""
        out = self.out
        enabled = gc.isenabled()
        gc.disable()   # no collection may change the heap while it is written
        try:
            # The recorder's own frames on this thread are left out of the graph; the
            # first frame below them is this thread's root.
            skip = bytearray()
            f = sys._getframe()
            while f is not None and f.f_globals is _GLOBALS:
                skip += id(f).to_bytes(8, "little")
                f = f.f_back
            roots = self._roots(f)
            f = None
            skip = bytes(skip)
            out.record(GRAPH_BEGIN, _var(cp) + _F64.pack(time.monotonic() - self.t0))
            payload = self.strings.take()
            if payload is not None:
                out.record(STRINGS, payload, True)
            payload = None
            out.record(ROOTS, roots, False)
            roots = None
            # Nothing gc-tracked that the recorder made since checkpoint() was called is
            # alive here but the frames listed in `skip` (bytes, not tracked).
            objs = gc.get_objects()
            records = _AsyncRecords(out)
            try:
                writer = _GraphWriter(self, records)
                writer.run(objs, skip)
                del objs
                self.next_traceback = writer.tbs.next_id
                records.record(GRAPH_END, _var(cp) + _var(writer.node_count) +
                               _var(writer.edge_count))
            finally:
                records.close()
        finally:
            if enabled:
                gc.enable()

    def _roots(self, main_frame):
        """ROOTS payload: every module in sys.modules and each thread's current frame."""
        sid = self.strings.id
        body = []
        kind = _RID["module"]
        for name, mod in list(sys.modules.items()):
            if mod is not None:
                body.append(_var(id(mod)) + _var(kind) + _var(sid(str(name)[:200])))
        name_of = {}
        for th in threading.enumerate():
            name_of[th.ident] = th.name
        kind = _RID["frame"]
        me = threading.get_ident()
        for ident, frame in list(sys._current_frames().items()):
            if ident == me:
                frame = main_frame
            if frame is not None:
                body.append(_var(id(frame)) + _var(kind) +
                            _var(sid(str(name_of.get(ident, ident))[:200])))
        return _var(len(body)) + b"".join(body)

    def signal_checkpoint(self):
        """SIGUSR2 handler's work (main thread, between bytecodes). A signal that comes
        while a signal checkpoint is running is served by it; one that comes during
        another recorder call waits for that call to end (one at most)."""
        if self.in_signal or self.closed or self.failed:
            return
        if self.busy:
            self.pending_signal = True
            return
        self.checkpoint("SIGUSR2", graph=True, by_signal=True)


def _str_bytes_field(s):
    b = _str_bytes(s)
    return _var(len(b)) + b


def _maxrss():
    try:
        import resource
        r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return r if sys.platform == "darwin" else r * 1024
    except Exception:
        return 0


# ---------------------------------------------------------------------------------------
# Module API

_active = None
_api_lock = threading.Lock()


def _on_sigusr2(signum, frame):
    rec = _active
    if rec is not None:
        rec.signal_checkpoint()


def _after_fork_in_child():
    # A forked child shares the parent's file: it must not write to it, not even the
    # bytes it inherited in the file's buffer (flushed when the child exits).
    global _active
    rec = _active
    _active = None
    if rec is not None:
        rec.closed = True
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, rec.out.file.fileno())
            os.close(null)
        except Exception:
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def is_recording():
    return _active is not None


def start(path=None, interval=0.1, frames=1, snapshot_every=None, graph_at_exit=False):
    """Starts recording to `path` (default heapscope-<pid>.hsr). Returns the path, or None
    when the recording could not start (reported on stderr)."""
    global _active
    with _api_lock:
        if _active is not None:
            warnings.warn("heapscope_recorder: a recording is already active", RuntimeWarning,
                          stacklevel=2)
            return None
        if path is None:
            path = "heapscope-%d.hsr" % os.getpid()
        rec = None
        try:
            rec = Recorder(path, interval, frames, snapshot_every, graph_at_exit)
            rec.start()
        except Exception as e:
            _report("could not start recording to %s" % path, e)
            try:
                if rec is None:
                    return None
                rec.closed = True
                if rec.out is not None:
                    rec.out.file.close()
                if rec.started_tracemalloc:
                    tracemalloc.stop()
            except Exception:
                pass
            return None
        _active = rec
        return path


def stop():
    """Stops the recording (writes the END record and closes the file)."""
    global _active
    with _api_lock:
        rec = _active
        _active = None
    if rec is not None:
        try:
            rec.stop()
        except Exception as e:
            _report("could not stop the recording cleanly", e)


def checkpoint(label, graph=False, snapshot=True):
    """Marks the timeline; with tracemalloc tracing (and snapshot=True) records a
    snapshot, with graph=True the object graph. Never raises."""
    rec = _active
    if rec is None:
        warnings.warn("heapscope_recorder.checkpoint(%r): no recording is active" % (label,),
                      RuntimeWarning, stacklevel=2)
        return
    rec.checkpoint(label, graph, snapshot)


class record:
    """Context manager: `with record("out.hsr", interval=0.1, frames=1): ...`."""

    def __init__(self, path=None, interval=0.1, frames=1, snapshot_every=None,
                 graph_at_exit=False):
        self.args = (path, interval, frames, snapshot_every, graph_at_exit)
        self.path = None

    def __enter__(self):
        self.path = start(*self.args)
        return self

    def __exit__(self, *exc):
        if self.path is not None:
            stop()
        return False


# ---------------------------------------------------------------------------------------
# Command line

_USAGE = """\
usage: python3 -m heapscope_recorder run [-o OUT.hsr] [--interval S] [--frames N]
                                         [--snapshot-every S] [--graph-at-exit]
                                         (script.py [args] | -m module [args])

Runs a Python program as __main__ and records its memory into a .hsr file for heapscope:
a timeline sampled every --interval seconds (default 0.1), tracemalloc snapshots at
checkpoints (--frames N frames per traceback, default 1; 0 leaves tracemalloc off) and
every --snapshot-every seconds, object graphs at checkpoints taken with graph=True, on
SIGUSR2 and (--graph-at-exit) when the program ends. Default output: heapscope-<pid>.hsr.
"""


def _parse(argv):
    opts = {"path": None, "interval": 0.1, "frames": 1, "snapshot_every": None,
            "graph_at_exit": False}
    i = 0
    valued = {"-o": "path", "--output": "path", "--interval": "interval",
              "--frames": "frames", "--snapshot-every": "snapshot_every"}
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            sys.stdout.write(_USAGE)
            sys.exit(0)
        if a == "--graph-at-exit":
            opts["graph_at_exit"] = True
            i += 1
            continue
        key = None
        for flag, name in valued.items():
            if a == flag:
                if i + 1 >= len(argv):
                    raise SystemExit("heapscope_recorder: %s needs a value" % a)
                key, value, i = name, argv[i + 1], i + 2
                break
            if a.startswith(flag + "="):
                key, value, i = name, a[len(flag) + 1:], i + 1
                break
        if key is not None:
            try:
                opts[key] = {"path": str, "interval": float, "frames": int,
                             "snapshot_every": float}[key](value)
            except ValueError:
                raise SystemExit("heapscope_recorder: bad value for %s: %r" % (a, value))
            continue
        if a == "-m":
            if i + 1 >= len(argv):
                raise SystemExit("heapscope_recorder: -m needs a module name")
            return opts, ("module", argv[i + 1], argv[i + 2:])
        if a.startswith("-") and a != "-":
            raise SystemExit("heapscope_recorder: unknown option %s\n\n%s" % (a, _USAGE))
        return opts, ("path", a, argv[i + 1:])
    raise SystemExit(_USAGE)


def _run_path(path):
    if os.path.isdir(path) or not os.path.isfile(path):
        import runpy
        runpy.run_path(path, run_name="__main__")
        return
    opener = getattr(__import__("io"), "open_code", None) or (lambda p: open(p, "rb"))
    with opener(path) as f:
        source = f.read()
    code = compile(source, path, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__builtins__ = __import__("builtins")
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def _run_module(name):
    import runpy
    main = types.ModuleType("__main__")
    main.__builtins__ = __import__("builtins")
    sys.modules["__main__"] = main
    run_as_main = getattr(runpy, "_run_module_as_main", None)
    if run_as_main is not None:
        run_as_main(name, alter_argv=True)
    else:  # pragma: no cover
        runpy.run_module(name, run_name="__main__", alter_sys=True)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(_USAGE)
        return 0 if argv else 2
    if argv[0] != "run":
        sys.stderr.write("heapscope_recorder: unknown command %r\n\n%s" % (argv[0], _USAGE))
        return 2
    opts, (how, target, args) = _parse(argv[1:])
    # The program may `import heapscope_recorder`: give it this module, not a second copy.
    sys.modules.setdefault("heapscope_recorder", sys.modules[__name__])
    if how == "path":
        target = os.path.abspath(target) if _PY >= (3, 9) else target
        sys.argv = [target] + list(args)
        sys.path[0] = os.path.dirname(os.path.abspath(target))
    else:
        sys.argv = [target] + list(args)
    start(opts["path"], opts["interval"], opts["frames"], opts["snapshot_every"],
          opts["graph_at_exit"])
    try:
        if how == "path":
            _run_path(target)
        else:
            _run_module(target)
    except SystemExit:
        stop()
        raise
    except KeyboardInterrupt:
        stop()
        raise
    except BaseException:
        etype, value, tb = sys.exc_info()
        stop()
        # Report as Python would, without this runner's frames.
        while tb is not None and tb.tb_frame.f_globals is _GLOBALS:
            tb = tb.tb_next
        try:
            value = value.with_traceback(tb)
        except Exception:
            pass
        sys.excepthook(etype, value, tb)
        return 1
    stop()
    return 0


if __name__ == "__main__":
    # Run from the module under its own name: the program becomes __main__, and the
    # recorder's objects in its graphs are heapscope_recorder.* rather than __main__.* ones.
    try:
        import heapscope_recorder as _module
    except ImportError:
        _module = sys.modules[__name__]
    sys.exit(_module.main())
