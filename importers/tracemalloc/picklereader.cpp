#include "picklereader.h"

#include "hserror.h"
#include "opcodepattern.h"
#include "picklecodes.h"
#include "pickletext.h"

#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace hs::pickle {

namespace {

std::string printable(std::string_view s)
{
    std::string out;
    for (const char c : s.substr(0, 80))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
}

} // namespace

PickleReader::PickleReader(std::string_view data, std::string fileName, bool keepAllMemo)
    : m_in(data), m_fileName(std::move(fileName)), m_heap(data.size()), m_keepAllMemo(keepAllMemo)
{}

Value PickleReader::makeTuple(size_t first)
{
    const Value v = m_heap.addTuple(m_stack.data() + first, m_stack.size() - first, m_opStart);
    m_stack.resize(first);
    return v;
}

void PickleReader::failAt(uint64_t pos, const std::string& reason) const
{
    throw Error(m_fileName + ": byte " + std::to_string(pos) + ": " + reason);
}

void PickleReader::push(const Value& v)
{
    m_stack.push_back(v);
}

Value PickleReader::pop()
{
    if (m_stack.size() <= markFloor())
        fail("stack underflow");
    Value v = m_stack.back();
    m_stack.pop_back();
    return v;
}

Value& PickleReader::top()
{
    if (m_stack.size() <= markFloor())
        fail("stack underflow");
    return m_stack.back();
}

size_t PickleReader::popMark()
{
    if (m_marks.empty())
        fail("no MARK to close");
    const size_t first = m_marks.back();
    m_marks.pop_back();
    return first;
}

Value PickleReader::globalValue(std::string_view module, std::string_view name)
{
    // Whole-string comparison: no dotted-name lookup, so "Snapshot.load" is not "Snapshot".
    AllowedGlobal g;
    if (module == "tracemalloc" && name == "Snapshot")
        g = AllowedGlobal::Snapshot;
    else if (module == "tracemalloc" && name == "_Traces")
        g = AllowedGlobal::Traces;
    else if ((module == "copy_reg" || module == "copyreg") && name == "_reconstructor")
        g = AllowedGlobal::Reconstructor;
    else if ((module == "__builtin__" || module == "builtins") && name == "object")
        g = AllowedGlobal::Object;
    else
        fail("refused: the pickle names the global '" + printable(module) + "." + printable(name) +
             "', which is not part of a tracemalloc snapshot");
    return Value{Kind::Global, 0, 0, static_cast<uint32_t>(g), 0};
}

Value PickleReader::memoGet(uint64_t index)
{
    if (const Value* v = m_memo->find(index))
        return *v;
    fail("memo index " + std::to_string(index) + " is read before it was written");
}

void PickleReader::memoPut(uint64_t index)
{
    m_memo->put(index, top());
}

uint64_t PickleReader::parseMemoIndex(std::string_view text)
{
    uint64_t index = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
    if (ec != std::errc() || p != text.data() + text.size() || text.empty())
        fail("malformed memo index");
    return index;
}

void PickleReader::appendItems(Value& list, size_t first)
{
    if (list.kind != Kind::List && list.kind != Kind::Set)
        fail("refused: items are appended to something that is not a list");
    auto& items = m_heap.containerItems(list.ref);
    const bool filtered = m_appendFilter && list.kind == Kind::List;
    for (size_t i = first; i < m_stack.size(); ++i) {
        if (filtered && m_appendFilter(list, m_stack[i]))
            continue;
        m_heap.checkDepth(m_heap.containerDepth(list.ref), m_stack[i]);
        items.push_back(m_stack[i]);
    }
    m_stack.resize(first);
}

void PickleReader::setItems(Value& dict, size_t first)
{
    if (dict.kind != Kind::Dict)
        fail("refused: items are set on something that is not a dict");
    if ((m_stack.size() - first) % 2 != 0)
        fail("odd number of items for a dict");
    auto& items = m_heap.containerItems(dict.ref);
    for (size_t i = first; i < m_stack.size(); i += 2) {
        if (isContainer(m_stack[i].kind))
            fail("unhashable dict key");
        m_heap.checkDepth(m_heap.containerDepth(dict.ref), m_stack[i + 1]);
        items.push_back(m_stack[i]);
        items.push_back(m_stack[i + 1]);
    }
    m_stack.resize(first);
}

void PickleReader::build()
{
    const Value state = pop();
    const Value target = top();
    if (target.kind != Kind::Object)
        fail("refused: BUILD on something that is not a tracemalloc object");
    const auto applyDict = [&](const Value& d) {
        if (d.kind == Kind::None)
            return;
        if (d.kind != Kind::Dict)
            fail("refused: object state is not a dict");
        const auto& items = m_heap.containerItems(d.ref);
        // Each BUILD copies its whole state dict: cap the copying, or a short file could
        // repeat a large dict's BUILD into quadratic time and memory.
        m_attributeWrites += items.size() / 2;
        if (m_attributeWrites > kMaxAttributeWrites)
            fail("refused: objects are given more than " + std::to_string(kMaxAttributeWrites) +
                 " attributes");
        for (size_t i = 0; i + 1 < items.size(); i += 2) {
            if (items[i].kind != Kind::Str)
                fail("attribute name is not a string");
            m_heap.object(target.ref).attributes.emplace_back(items[i], items[i + 1]);
        }
    };
    if (isTuple(state.kind)) {
        PickleHeap::Scratch scratch;
        const auto parts = m_heap.items(state, scratch);
        if (parts.size() != 2)
            fail("refused: object state tuple is not (dict, slots)");
        applyDict(parts[0]);
        applyDict(parts[1]);
    } else {
        if (state.kind == Kind::None)
            fail("refused: object state is not a dict");
        applyDict(state);
    }
}

void PickleReader::reduce()
{
    // Only copyreg._reconstructor(cls, object, None), which is how protocols 0 and 1 write an
    // instance: it allocates an instance and calls nothing of the class.
    const Value args = pop();
    const Value callable = pop();
    if (callable.kind != Kind::Global || callable.ref != uint32_t(AllowedGlobal::Reconstructor))
        fail("refused: REDUCE may only call copyreg._reconstructor");
    if (!isTuple(args.kind))
        fail("refused: REDUCE arguments are not a tuple");
    PickleHeap::Scratch scratch;
    const auto a = m_heap.items(args, scratch);
    if (a.size() != 3 || a[0].kind != Kind::Global || a[1].kind != Kind::Global ||
        a[1].ref != uint32_t(AllowedGlobal::Object) || a[2].kind != Kind::None)
        fail("refused: copyreg._reconstructor with unexpected arguments");
    push(m_heap.addObject(static_cast<AllowedGlobal>(a[0].ref), m_opStart));
}

Value PickleReader::read()
{
    m_memo.emplace(m_keepAllMemo, m_in.data().size() / 16);
    try {
        run();
    } catch (const Refusal& r) {
        fail(r.reason);
    }
    if (!m_in.atEnd())
        failAt(m_in.pos(), "data after the end of the pickle");
    if (m_stack.size() != 1 || !m_marks.empty())
        failAt(m_in.pos() - 1, "the pickle ends with a malformed stack");
    return m_stack.back();
}

void PickleReader::run()
{
    while (!m_stopped) {
        m_opStart = m_in.pos();
        if (m_progress && ++m_opsSinceReport == 65536) {
            m_opsSinceReport = 0;
            m_progress->advance(m_opStart);
        }
        if (m_in.atEnd())
            fail("the file ends before the pickle's STOP opcode (truncated)");
        const auto op = m_in.next();
        // Without a PROTO opcode the protocol is 0 (text) unless a binary opcode shows up.
        if (m_protocol < 0 && !m_binary && !std::strchr("(.02FILNPRSVabcdgilopst", op))
            m_binary = true;
        // Most of a dump is traces of one shape; take those in one go (same effect as stepping).
        if ((op == MARK || op == BININT1) && fastTrace())
            continue;
        if ((op == BINGET || op == LONG_BINGET) && fastFrame())
            continue;
        step(op);
    }
}

bool PickleReader::fastTrace()
{
    // "MARK int int GET int TUPLE" (3.9+) or "int int GET TUPLE3" (3.6-3.8): a domain-0 trace
    // whose traceback was seen before.
    const auto* begin = reinterpret_cast<const unsigned char*>(m_in.data().data());
    OpcodePattern in{begin + m_opStart, begin + m_in.data().size()};
    const bool marked = in.op(MARK);
    if (marked && m_marks.size() >= kMaxMarks)
        return false;
    int64_t domain, size, nframe = 0;
    uint64_t index;
    if (!in.smallInt(domain) || domain != 0 || !in.smallInt(size) || size < 0 || !in.get(index))
        return false;
    const Value* tb = m_memo->find(index);
    if (!tb || tb->kind != Kind::Tuple || tb->depth >= PickleHeap::kMaxDepth)
        return false;
    if (marked ? !in.smallInt(nframe) || nframe < 0 || nframe > UINT16_MAX || !in.op(TUPLE)
               : !in.op(TUPLE3))
        return false;
    push(Value{marked ? Kind::TraceTuple4 : Kind::TraceTuple3, static_cast<uint8_t>(tb->depth + 1),
               static_cast<uint16_t>(nframe), tb->ref, size});
    finishPattern(static_cast<size_t>(in.p - begin));
    return true;
}

bool PickleReader::fastFrame()
{
    // "GET int TUPLE2": a frame whose file name was seen before.
    const auto* begin = reinterpret_cast<const unsigned char*>(m_in.data().data());
    OpcodePattern in{begin + m_opStart, begin + m_in.data().size()};
    uint64_t index;
    int64_t line;
    if (!in.get(index))
        return false;
    const Value* file = m_memo->find(index);
    if (!file || file->kind != Kind::Str || !in.smallInt(line) || !in.op(TUPLE2))
        return false;
    push(Value{Kind::PairTuple, 1, 0, file->ref, line});
    finishPattern(static_cast<size_t>(in.p - begin));
    return true;
}

void PickleReader::finishPattern(size_t pos)
{
    m_in.setPos(pos);
    if (!m_in.atEnd() && static_cast<unsigned char>(m_in.data()[pos]) == MEMOIZE) {
        m_opStart = pos;
        m_in.next();
        memoPut(m_memo->nextIndex());
    }
}

void PickleReader::step(unsigned char op)
{
    if (const auto value = m_in.scalar(op, m_heap)) {
        push(*value);
        return;
    }
    switch (op) {
    case PROTO: {
        const auto v = m_in.readUInt(1);
        if (v > 5)
            fail("unsupported pickle protocol " + std::to_string(v));
        if (m_protocol < 0)
            m_protocol = static_cast<int>(v);
        break;
    }
    case FRAME:
        if (m_in.readUInt(8) > m_in.left())
            fail("a frame is longer than the rest of the file (truncated)");
        break;
    case STOP:
        m_stopped = true;
        if (m_stack.empty())
            fail("stack underflow");
        break;
    case MARK:
        if (m_marks.size() >= kMaxMarks)
            fail("MARKs nested deeper than " + std::to_string(kMaxMarks));
        m_marks.push_back(m_stack.size());
        break;
    case POP:
        if (m_stack.size() > markFloor())
            m_stack.pop_back();
        else
            m_stack.resize(popMark());
        break;
    case POP_MARK:
        m_stack.resize(popMark());
        break;
    case DUP: {
        const Value v = top();
        push(v);
        break;
    }
    case EMPTY_TUPLE:
        // One shared empty tuple, as in Python: a run of them costs no memory.
        if (!m_emptyTuple)
            m_emptyTuple = makeTuple(m_stack.size());
        push(*m_emptyTuple);
        break;
    case TUPLE1:
    case TUPLE2:
    case TUPLE3: {
        const size_t n = op - TUPLE1 + 1;
        if (m_stack.size() < markFloor() + n)
            fail("stack underflow");
        push(makeTuple(m_stack.size() - n));
        break;
    }
    case TUPLE:
        push(makeTuple(popMark()));
        break;
    case EMPTY_LIST:
        push(m_heap.addContainer(Kind::List, m_opStart));
        break;
    case EMPTY_DICT:
        push(m_heap.addContainer(Kind::Dict, m_opStart));
        break;
    case EMPTY_SET:
        push(m_heap.addContainer(Kind::Set, m_opStart));
        break;
    case LIST:
    case FROZENSET: {
        const size_t first = popMark();
        Value v = m_heap.addContainer(op == LIST ? Kind::List : Kind::Set, m_opStart);
        appendItems(v, first);
        if (op == FROZENSET)
            v.kind = Kind::FrozenSet;
        push(v);
        break;
    }
    case DICT: {
        const size_t first = popMark();
        Value v = m_heap.addContainer(Kind::Dict, m_opStart);
        setItems(v, first);
        push(v);
        break;
    }
    case APPEND: {
        if (m_stack.size() < markFloor() + 2)
            fail("stack underflow");
        appendItems(m_stack[m_stack.size() - 2], m_stack.size() - 1);
        break;
    }
    case APPENDS:
    case ADDITEMS: {
        const size_t first = popMark();
        if (first == 0 || first <= markFloor())
            fail("stack underflow");
        Value& target = m_stack[first - 1];
        if (op == ADDITEMS && target.kind != Kind::Set)
            fail("refused: items are added to something that is not a set");
        appendItems(target, first);
        break;
    }
    case SETITEM: {
        if (m_stack.size() < markFloor() + 3)
            fail("stack underflow");
        setItems(m_stack[m_stack.size() - 3], m_stack.size() - 2);
        break;
    }
    case SETITEMS: {
        const size_t first = popMark();
        if (first == 0 || first <= markFloor())
            fail("stack underflow");
        setItems(m_stack[first - 1], first);
        break;
    }
    case MEMOIZE:
        memoPut(m_memo->nextIndex());
        break;
    case BINPUT:
    case LONG_BINPUT:
        memoPut(m_in.readUInt(op == BINPUT ? 1 : 4));
        break;
    case PUT:
        memoPut(parseMemoIndex(m_in.readLine()));
        break;
    case BINGET:
    case LONG_BINGET:
        push(memoGet(m_in.readUInt(op == BINGET ? 1 : 4)));
        break;
    case GET:
        push(memoGet(parseMemoIndex(m_in.readLine())));
        break;
    case GLOBAL: {
        const auto module = m_in.readLine();
        const auto name = m_in.readLine();
        push(globalValue(module, name));
        break;
    }
    case STACK_GLOBAL: {
        const Value name = pop();
        const Value module = pop();
        if (module.kind != Kind::Str || name.kind != Kind::Str)
            fail("STACK_GLOBAL requires two strings");
        push(globalValue(m_heap.str(module), m_heap.str(name)));
        break;
    }
    case NEWOBJ: {
        const Value args = pop();
        const Value cls = pop();
        if (cls.kind != Kind::Global)
            fail("refused: NEWOBJ of something that is not a class");
        if (!isTuple(args.kind) || PickleHeap::tupleSize(args) != 0)
            fail("refused: NEWOBJ with constructor arguments");
        push(m_heap.addObject(static_cast<AllowedGlobal>(cls.ref), m_opStart));
        break;
    }
    case NEWOBJ_EX: {
        const Value kwargs = pop();
        const Value args = pop();
        const Value cls = pop();
        if (cls.kind != Kind::Global)
            fail("refused: NEWOBJ_EX of something that is not a class");
        if (!isTuple(args.kind) || PickleHeap::tupleSize(args) != 0 || kwargs.kind != Kind::Dict ||
            !m_heap.containerItems(kwargs.ref).empty())
            fail("refused: NEWOBJ_EX with constructor arguments");
        push(m_heap.addObject(static_cast<AllowedGlobal>(cls.ref), m_opStart));
        break;
    }
    case REDUCE:
        reduce();
        break;
    case BUILD:
        build();
        break;
    case INST:
    case OBJ:
        fail("refused: INST/OBJ would call a class");
    case EXT1:
    case EXT2:
    case EXT4:
        fail("refused: copyreg extension codes are not allowed");
    case PERSID:
    case BINPERSID:
        fail("refused: persistent ids are not allowed");
    case BYTEARRAY8:
    case NEXT_BUFFER:
    case READONLY_BUFFER:
        fail("refused: out-of-band buffers are not allowed");
    default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        fail(std::string("unknown opcode ") + hex + " (not a pickle, or a damaged one)");
    }
    }
}

} // namespace hs::pickle
