#include "picklereader.h"

#include "hserror.h"
#include "pickletext.h"

#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace hs::pickle {

namespace {

enum Op : unsigned char
{
    MARK = '(',
    STOP = '.',
    POP = '0',
    POP_MARK = '1',
    DUP = '2',
    FLOAT = 'F',
    INT = 'I',
    BININT = 'J',
    BININT1 = 'K',
    LONG = 'L',
    BININT2 = 'M',
    NONE = 'N',
    PERSID = 'P',
    BINPERSID = 'Q',
    REDUCE = 'R',
    STRING = 'S',
    BINSTRING = 'T',
    SHORT_BINSTRING = 'U',
    UNICODE = 'V',
    BINUNICODE = 'X',
    APPEND = 'a',
    BUILD = 'b',
    GLOBAL = 'c',
    DICT = 'd',
    EMPTY_DICT = '}',
    APPENDS = 'e',
    GET = 'g',
    BINGET = 'h',
    INST = 'i',
    LONG_BINGET = 'j',
    LIST = 'l',
    EMPTY_LIST = ']',
    OBJ = 'o',
    PUT = 'p',
    BINPUT = 'q',
    LONG_BINPUT = 'r',
    SETITEM = 's',
    TUPLE = 't',
    EMPTY_TUPLE = ')',
    SETITEMS = 'u',
    BINFLOAT = 'G',
    PROTO = 0x80,
    NEWOBJ = 0x81,
    EXT1 = 0x82,
    EXT2 = 0x83,
    EXT4 = 0x84,
    TUPLE1 = 0x85,
    TUPLE2 = 0x86,
    TUPLE3 = 0x87,
    NEWTRUE = 0x88,
    NEWFALSE = 0x89,
    LONG1 = 0x8a,
    LONG4 = 0x8b,
    BINBYTES = 'B',
    SHORT_BINBYTES = 'C',
    SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d,
    BINBYTES8 = 0x8e,
    EMPTY_SET = 0x8f,
    ADDITEMS = 0x90,
    FROZENSET = 0x91,
    NEWOBJ_EX = 0x92,
    STACK_GLOBAL = 0x93,
    MEMOIZE = 0x94,
    FRAME = 0x95,
    BYTEARRAY8 = 0x96,
    NEXT_BUFFER = 0x97,
    READONLY_BUFFER = 0x98
};

bool isContainer(Kind k)
{
    return k == Kind::List || k == Kind::Dict || k == Kind::Set || k == Kind::FrozenSet;
}

std::string printable(std::string_view s)
{
    std::string out;
    for (const char c : s.substr(0, 80))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
}

} // namespace

PickleReader::PickleReader(std::string_view data, std::string fileName)
    : m_data(data), m_fileName(std::move(fileName))
{
    // Untouched capacity costs address space, not memory; it spares the copies of regrowth.
    m_tupleItems.reserve(std::min<size_t>(data.size() / 16, size_t(1) << 26));
}

void PickleReader::failAt(uint64_t pos, const std::string& reason) const
{
    throw Error(m_fileName + ": byte " + std::to_string(pos) + ": " + reason);
}

void PickleReader::need(size_t n) const
{
    if (n > m_data.size() - m_pos)
        fail("the file ends in the middle of an opcode (truncated)");
}

uint64_t PickleReader::readUInt(size_t n)
{
    need(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i)
        v |= static_cast<uint64_t>(static_cast<unsigned char>(m_data[m_pos + i])) << (8 * i);
    m_pos += n;
    return v;
}

std::string_view PickleReader::readBytes(size_t n)
{
    need(n);
    std::string_view s = m_data.substr(m_pos, n);
    m_pos += n;
    return s;
}

std::string_view PickleReader::readLine()
{
    const size_t nl = m_data.find('\n', m_pos);
    if (nl == std::string_view::npos)
        fail("the file ends in the middle of a text argument (truncated)");
    std::string_view s = m_data.substr(m_pos, nl - m_pos);
    m_pos = nl + 1;
    return s;
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

void PickleReader::checkDepth(uint8_t& depth, const Value& child) const
{
    const uint8_t d = isContainer(child.kind) ? m_containerDepth[child.ref] : child.depth;
    if (d + 1 > kMaxDepth)
        fail("values nested deeper than " + std::to_string(kMaxDepth) + " levels");
    depth = std::max<uint8_t>(depth, static_cast<uint8_t>(d + 1));
}

Value PickleReader::makeString(std::string_view bytes, Kind kind)
{
    if (kind == Kind::Str && !isValidSurrogatepassUtf8(bytes))
        fail("a string is not valid UTF-8");
    m_strings.emplace_back(bytes);
    return Value{kind, 0, 0, static_cast<uint32_t>(m_strings.size() - 1), 0};
}

Value PickleReader::makeTuple(size_t first)
{
    const size_t n = m_stack.size() - first;
    const Value* it = m_stack.data() + first;
    // The shapes a snapshot is made of stay inline: no pool entry, and 16 bytes in all.
    if (n == 2 && it[0].kind == Kind::Str && it[1].kind == Kind::Int) {
        const Value v{Kind::PairTuple, 1, 0, it[0].ref, it[1].num};
        m_stack.resize(first);
        return v;
    }
    if ((n == 3 || n == 4) && it[0].kind == Kind::Int && it[0].num == 0 &&
        ((it[1].kind == Kind::Int && it[1].num >= 0) || it[1].kind == Kind::UInt64) &&
        it[2].kind == Kind::Tuple &&
        (n == 3 || (it[3].kind == Kind::Int && it[3].num >= 0 && it[3].num <= UINT16_MAX)) &&
        it[2].depth < kMaxDepth) {
        const Value v{n == 3 ? Kind::TraceTuple3 : Kind::TraceTuple4,
                      static_cast<uint8_t>(it[2].depth + 1),
                      static_cast<uint16_t>(n == 4 ? it[3].num : 0), it[2].ref, it[1].num};
        m_stack.resize(first);
        return v;
    }
    if (m_tupleItems.size() + n > UINT32_MAX || m_tuples.size() >= UINT32_MAX)
        fail("too many values");
    Value v{Kind::Tuple, 0, 0, static_cast<uint32_t>(m_tuples.size()), static_cast<int64_t>(n)};
    m_tuples.push_back(
        {static_cast<uint32_t>(m_tupleItems.size()), static_cast<uint32_t>(n), m_opStart});
    for (size_t i = first; i < m_stack.size(); ++i) {
        checkDepth(v.depth, m_stack[i]);
        m_tupleItems.push_back(m_stack[i]);
    }
    m_stack.resize(first);
    return v;
}

Value PickleReader::makeContainer(Kind kind)
{
    if (m_containers.size() >= UINT32_MAX)
        fail("too many values");
    m_containers.emplace_back();
    m_containerPos.push_back(m_opStart);
    m_containerDepth.push_back(1);
    return Value{kind, 1, 0, static_cast<uint32_t>(m_containers.size() - 1), 0};
}

std::span<const Value> PickleReader::items(const Value& v, Scratch& scratch) const
{
    switch (v.kind) {
    case Kind::Tuple: {
        const TupleRec& t = m_tuples[v.ref];
        return {m_tupleItems.data() + t.begin, t.size};
    }
    case Kind::PairTuple:
        scratch[0] = Value{Kind::Str, 0, 0, v.ref, 0};
        scratch[1] = Value{Kind::Int, 0, 0, 0, v.num};
        return {scratch.data(), 2};
    case Kind::TraceTuple3:
    case Kind::TraceTuple4:
        scratch[0] = Value{Kind::Int, 0, 0, 0, 0};
        scratch[1] = Value{v.num < 0 ? Kind::UInt64 : Kind::Int, 0, 0, 0, v.num};
        scratch[2] = Value{Kind::Tuple, static_cast<uint8_t>(v.depth - 1), 0, v.ref,
                           static_cast<int64_t>(m_tuples[v.ref].size)};
        scratch[3] = Value{Kind::Int, 0, 0, 0, v.aux};
        return {scratch.data(), v.kind == Kind::TraceTuple3 ? size_t(3) : size_t(4)};
    default:
        return {};
    }
}

size_t PickleReader::tupleSize(const Value& v)
{
    switch (v.kind) {
    case Kind::Tuple:
        return static_cast<size_t>(v.num);
    case Kind::PairTuple:
        return 2;
    case Kind::TraceTuple3:
        return 3;
    case Kind::TraceTuple4:
        return 4;
    default:
        return 0;
    }
}

std::optional<uint64_t> PickleReader::tuplePos(const Value& v) const
{
    if (v.kind == Kind::Tuple)
        return m_tuples[v.ref].pos;
    return std::nullopt;
}

const Value* PickleReader::attribute(const Object& o, std::string_view name) const
{
    for (auto it = o.attributes.rbegin(); it != o.attributes.rend(); ++it) {
        if (it->first.kind == Kind::Str && str(it->first) == name)
            return &it->second;
    }
    return nullptr;
}

Value PickleReader::makeLong(const unsigned char* b, size_t n)
{
    // Little-endian two's complement; drop redundant sign bytes first.
    while (n > 1 &&
           ((b[n - 1] == 0x00 && !(b[n - 2] & 0x80)) || (b[n - 1] == 0xFF && (b[n - 2] & 0x80))))
        --n;
    if (n == 0)
        return makeInt(0);
    if (n <= 8) {
        uint64_t u = 0;
        for (size_t i = 0; i < n; ++i)
            u |= static_cast<uint64_t>(b[i]) << (8 * i);
        if (n < 8 && (b[n - 1] & 0x80))
            u |= ~uint64_t(0) << (8 * n);
        return makeInt(static_cast<int64_t>(u));
    }
    if (n == 9 && b[8] == 0) {
        uint64_t u = 0;
        for (size_t i = 0; i < 8; ++i)
            u |= static_cast<uint64_t>(b[i]) << (8 * i);
        return Value{Kind::UInt64, 0, 0, 0, static_cast<int64_t>(u)};
    }
    return Value{Kind::BigInt, 0, 0, 0, 0};
}

Value PickleReader::parseTextInt(std::string_view text)
{
    // int(text, 0) as Python's protocol-0 reader uses it: sign, 0x/0o/0b, underscores, spaces.
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && std::strchr("xXoObB", text[1])) {
        base = (text[1] == 'x' || text[1] == 'X') ? 16 : (text[1] == 'o' || text[1] == 'O') ? 8 : 2;
        text.remove_prefix(2);
        if (!text.empty() && text.front() == '_')
            text.remove_prefix(1);
    }
    if (text.empty())
        fail("malformed integer");
    uint64_t value = 0;
    bool big = false, lastUnderscore = true;
    for (const char c : text) {
        if (c == '_') {
            if (lastUnderscore)
                fail("malformed integer");
            lastUnderscore = true;
            continue;
        }
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'z') ? c - 'a' + 10
                : (c >= 'A' && c <= 'Z') ? c - 'A' + 10
                                         : 99;
        if (d >= base)
            fail("malformed integer");
        lastUnderscore = false;
        if (!big)
            big = __builtin_mul_overflow(value, static_cast<uint64_t>(base), &value) ||
                  __builtin_add_overflow(value, static_cast<uint64_t>(d), &value);
    }
    if (lastUnderscore)
        fail("malformed integer");
    if (base == 10 && text.size() > 1 && text[0] == '0' && value != 0)
        fail("malformed integer (leading zero)");
    if (big)
        return Value{Kind::BigInt, 0, 0, 0, 0};
    constexpr uint64_t kMinMagnitude = uint64_t(1) << 63; // |INT64_MIN|
    if (negative) {
        if (value > kMinMagnitude)
            return Value{Kind::BigInt, 0, 0, 0, 0};
        return makeInt(value == kMinMagnitude ? INT64_MIN : -static_cast<int64_t>(value));
    }
    if (value > static_cast<uint64_t>(INT64_MAX))
        return Value{Kind::UInt64, 0, 0, 0, static_cast<int64_t>(value)};
    return makeInt(static_cast<int64_t>(value));
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

Value PickleReader::newObject(AllowedGlobal cls)
{
    if (cls != AllowedGlobal::Snapshot && cls != AllowedGlobal::Traces)
        fail("refused: only tracemalloc.Snapshot and tracemalloc._Traces may be instantiated");
    m_objects.push_back({cls, m_opStart, {}});
    return Value{Kind::Object, 1, 0, static_cast<uint32_t>(m_objects.size() - 1), 0};
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
    auto& items = m_containers[list.ref];
    const bool filtered = m_appendFilter && list.kind == Kind::List;
    for (size_t i = first; i < m_stack.size(); ++i) {
        if (filtered && m_appendFilter(list, m_stack[i]))
            continue;
        checkDepth(m_containerDepth[list.ref], m_stack[i]);
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
    auto& items = m_containers[dict.ref];
    for (size_t i = first; i < m_stack.size(); i += 2) {
        if (isContainer(m_stack[i].kind))
            fail("unhashable dict key");
        checkDepth(m_containerDepth[dict.ref], m_stack[i + 1]);
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
        const auto& items = m_containers[d.ref];
        // Each BUILD copies its whole state dict: cap the copying, or a short file could
        // repeat a large dict's BUILD into quadratic time and memory.
        m_attributeWrites += items.size() / 2;
        if (m_attributeWrites > kMaxAttributeWrites)
            fail("refused: objects are given more than " + std::to_string(kMaxAttributeWrites) +
                 " attributes");
        for (size_t i = 0; i + 1 < items.size(); i += 2) {
            if (items[i].kind != Kind::Str)
                fail("attribute name is not a string");
            m_objects[target.ref].attributes.emplace_back(items[i], items[i + 1]);
        }
    };
    if (isTuple(state.kind)) {
        Scratch scratch;
        const auto parts = items(state, scratch);
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
    Scratch scratch;
    const auto a = items(args, scratch);
    if (a.size() != 3 || a[0].kind != Kind::Global || a[1].kind != Kind::Global ||
        a[1].ref != uint32_t(AllowedGlobal::Object) || a[2].kind != Kind::None)
        fail("refused: copyreg._reconstructor with unexpected arguments");
    push(newObject(static_cast<AllowedGlobal>(a[0].ref)));
}

void PickleReader::opUnicodeText()
{
    std::string decoded;
    if (!decodeRawUnicodeEscape(readLine(), decoded))
        fail("malformed \\u escape in a text string");
    m_strings.push_back(std::move(decoded));
    push(Value{Kind::Str, 0, 0, static_cast<uint32_t>(m_strings.size() - 1), 0});
}

void PickleReader::opStringText()
{
    std::string_view arg = readLine();
    if (arg.size() < 2 || arg.front() != arg.back() || (arg.front() != '\'' && arg.front() != '"'))
        fail("the STRING argument must be quoted");
    std::string decoded;
    if (!decodeEscapedString(arg.substr(1, arg.size() - 2), decoded))
        fail("malformed escape in a text string");
    for (const char c : decoded) {
        if (static_cast<unsigned char>(c) >= 0x80)
            fail("a Python 2 byte string is not ASCII");
    }
    push(makeString(decoded, Kind::Str));
}

Value PickleReader::read()
{
    m_memo.emplace(m_data);
    while (!m_stopped) {
        m_opStart = m_pos;
        if (m_pos >= m_data.size())
            fail("the file ends before the pickle's STOP opcode (truncated)");
        const auto op = static_cast<unsigned char>(m_data[m_pos++]);
        // Without a PROTO opcode the protocol is 0 (text) unless a binary opcode shows up.
        if (m_protocol < 0 && !m_binary && !std::strchr("(.02FILNPRSVabcdgilopst", op))
            m_binary = true;
        // Most of a dump is traces of one shape; take those in one go (same effect as stepping).
        if ((op == MARK || op == BININT1) && fastTrace())
            continue;
        step(op);
    }
    if (m_pos != m_data.size())
        failAt(m_pos, "data after the end of the pickle");
    if (m_stack.size() != 1 || !m_marks.empty())
        failAt(m_pos - 1, "the pickle ends with a malformed stack");
    return m_stack.back();
}

bool PickleReader::fastTrace()
{
    // "MARK int int GET int TUPLE" (3.9+) or "int int GET TUPLE3" (3.6-3.8), then MEMOIZE:
    // a domain-0 trace whose traceback was seen before.
    const auto* p = reinterpret_cast<const unsigned char*>(m_data.data()) + m_opStart;
    const auto* end = reinterpret_cast<const unsigned char*>(m_data.data()) + m_data.size();
    const auto smallInt = [&](int64_t& v) {
        if (end - p >= 2 && p[0] == BININT1) {
            v = p[1];
            p += 2;
        } else if (end - p >= 3 && p[0] == BININT2) {
            v = p[1] | p[2] << 8;
            p += 3;
        } else if (end - p >= 5 && p[0] == BININT) {
            v = static_cast<int32_t>(p[1] | p[2] << 8 | p[3] << 16 | uint32_t(p[4]) << 24);
            p += 5;
        } else {
            return false;
        }
        return true;
    };
    const bool marked = *p == MARK;
    if (marked) {
        if (m_marks.size() >= kMaxMarks)
            return false;
        ++p;
    }
    int64_t domain, size, nframe = 0;
    if (!smallInt(domain) || domain != 0 || !smallInt(size) || size < 0 || end - p < 2)
        return false;
    uint64_t index;
    if (p[0] == BINGET) {
        index = p[1];
        p += 2;
    } else if (p[0] == LONG_BINGET && end - p >= 5) {
        index = p[1] | p[2] << 8 | p[3] << 16 | uint64_t(p[4]) << 24;
        p += 5;
    } else {
        return false;
    }
    const Value* found = m_memo->find(index);
    if (!found || found->kind != Kind::Tuple || found->depth >= kMaxDepth)
        return false;
    const Value tb = *found;
    if (marked) {
        if (!smallInt(nframe) || nframe < 0 || nframe > UINT16_MAX || p == end || *p != TUPLE)
            return false;
    } else if (p == end || *p != TUPLE3) {
        return false;
    }
    ++p;
    push(Value{marked ? Kind::TraceTuple4 : Kind::TraceTuple3, static_cast<uint8_t>(tb.depth + 1),
               static_cast<uint16_t>(nframe), tb.ref, size});
    m_pos = static_cast<size_t>(p - reinterpret_cast<const unsigned char*>(m_data.data()));
    if (p != end && *p == MEMOIZE) {
        m_opStart = m_pos++;
        memoPut(m_memo->nextIndex());
    }
    return true;
}

void PickleReader::step(unsigned char op)
{
    switch (op) {
    case PROTO: {
        const auto v = readUInt(1);
        if (v > 5)
            fail("unsupported pickle protocol " + std::to_string(v));
        if (m_protocol < 0)
            m_protocol = static_cast<int>(v);
        break;
    }
    case FRAME:
        if (readUInt(8) > m_data.size() - m_pos)
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
    case NONE:
        push(Value{});
        break;
    case NEWTRUE:
    case NEWFALSE:
        push(Value{Kind::Bool, 0, 0, 0, op == NEWTRUE});
        break;
    case BININT:
        push(makeInt(static_cast<int32_t>(readUInt(4))));
        break;
    case BININT1:
        push(makeInt(static_cast<int64_t>(readUInt(1))));
        break;
    case BININT2:
        push(makeInt(static_cast<int64_t>(readUInt(2))));
        break;
    case LONG1:
    case LONG4: {
        const uint64_t n = readUInt(op == LONG1 ? 1 : 4);
        if (op == LONG4 && static_cast<int32_t>(n) < 0)
            fail("negative LONG4 length");
        if (n > kMaxLongBytes)
            fail("integer of " + std::to_string(n) + " bytes is too large");
        const auto bytes = readBytes(n);
        push(makeLong(reinterpret_cast<const unsigned char*>(bytes.data()), n));
        break;
    }
    case INT: {
        const auto line = readLine();
        if (line == "00" || line == "01")
            push(Value{Kind::Bool, 0, 0, 0, line == "01"});
        else
            push(parseTextInt(line));
        break;
    }
    case LONG: {
        auto line = readLine();
        if (!line.empty() && line.back() == 'L')
            line.remove_suffix(1);
        push(parseTextInt(line));
        break;
    }
    case FLOAT: {
        const std::string_view text = readLine();
        double d = 0; // from_chars: the C locale's format whatever the process locale
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
            fail("malformed float");
        push(Value{Kind::Float, 0, 0, 0, std::bit_cast<int64_t>(d)});
        break;
    }
    case BINFLOAT: {
        uint64_t be = 0;
        for (const char c : readBytes(8))
            be = be << 8 | static_cast<unsigned char>(c);
        push(Value{Kind::Float, 0, 0, 0, static_cast<int64_t>(be)});
        break;
    }
    case SHORT_BINUNICODE:
    case BINUNICODE:
    case BINUNICODE8:
        push(makeString(readBytes(readUInt(op == SHORT_BINUNICODE ? 1
                                           : op == BINUNICODE     ? 4
                                                                  : 8)),
                        Kind::Str));
        break;
    case SHORT_BINBYTES:
    case BINBYTES:
    case BINBYTES8:
        push(makeString(readBytes(readUInt(op == SHORT_BINBYTES ? 1
                                           : op == BINBYTES     ? 4
                                                                : 8)),
                        Kind::Bytes));
        break;
    case SHORT_BINSTRING:
    case BINSTRING: {
        const uint64_t n = readUInt(op == SHORT_BINSTRING ? 1 : 4);
        if (op == BINSTRING && static_cast<int32_t>(n) < 0)
            fail("negative BINSTRING length");
        const auto bytes = readBytes(n);
        for (const char c : bytes) {
            if (static_cast<unsigned char>(c) >= 0x80)
                fail("a Python 2 byte string is not ASCII");
        }
        push(makeString(bytes, Kind::Str));
        break;
    }
    case UNICODE:
        opUnicodeText();
        break;
    case STRING:
        opStringText();
        break;
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
        push(makeContainer(Kind::List));
        break;
    case EMPTY_DICT:
        push(makeContainer(Kind::Dict));
        break;
    case EMPTY_SET:
        push(makeContainer(Kind::Set));
        break;
    case LIST:
    case FROZENSET: {
        const size_t first = popMark();
        Value v = makeContainer(op == LIST ? Kind::List : Kind::Set);
        appendItems(v, first);
        if (op == FROZENSET)
            v.kind = Kind::FrozenSet;
        push(v);
        break;
    }
    case DICT: {
        const size_t first = popMark();
        Value v = makeContainer(Kind::Dict);
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
        memoPut(readUInt(op == BINPUT ? 1 : 4));
        break;
    case PUT:
        memoPut(parseMemoIndex(readLine()));
        break;
    case BINGET:
    case LONG_BINGET:
        push(memoGet(readUInt(op == BINGET ? 1 : 4)));
        break;
    case GET:
        push(memoGet(parseMemoIndex(readLine())));
        break;
    case GLOBAL: {
        const auto module = readLine();
        const auto name = readLine();
        push(globalValue(module, name));
        break;
    }
    case STACK_GLOBAL: {
        const Value name = pop();
        const Value module = pop();
        if (module.kind != Kind::Str || name.kind != Kind::Str)
            fail("STACK_GLOBAL requires two strings");
        push(globalValue(str(module), str(name)));
        break;
    }
    case NEWOBJ: {
        const Value args = pop();
        const Value cls = pop();
        if (cls.kind != Kind::Global)
            fail("refused: NEWOBJ of something that is not a class");
        if (!isTuple(args.kind) || tupleSize(args) != 0)
            fail("refused: NEWOBJ with constructor arguments");
        push(newObject(static_cast<AllowedGlobal>(cls.ref)));
        break;
    }
    case NEWOBJ_EX: {
        const Value kwargs = pop();
        const Value args = pop();
        const Value cls = pop();
        if (cls.kind != Kind::Global)
            fail("refused: NEWOBJ_EX of something that is not a class");
        if (!isTuple(args.kind) || tupleSize(args) != 0 || kwargs.kind != Kind::Dict ||
            !m_containers[kwargs.ref].empty())
            fail("refused: NEWOBJ_EX with constructor arguments");
        push(newObject(static_cast<AllowedGlobal>(cls.ref)));
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
