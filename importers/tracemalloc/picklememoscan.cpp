#include "picklememoscan.h"

#include <charconv>

namespace hs::pickle {

namespace {

// How an opcode's argument is laid out.
enum class Arg : uint8_t
{
    None,
    Fixed,
    Counted,
    Lines,
    Stop,
    Invalid
};

struct OpShape
{
    Arg arg = Arg::Invalid;
    uint8_t size = 0; // Fixed: bytes; Counted: bytes of the length; Lines: number of lines
};

struct ShapeTable
{
    OpShape shapes[256];

    constexpr ShapeTable()
    {
        for (const unsigned char op : std::string_view("(012NRabdelost)}u]Q\x81\x85\x86\x87"
                                                       "\x88\x89\x8f\x90\x91\x92\x93\x94\x97"
                                                       "\x98"))
            shapes[op] = {Arg::None, 0};
        shapes[uint8_t('.')] = {Arg::Stop, 0};
        for (const unsigned char op : std::string_view("\x80Khq\x82"))
            shapes[op] = {Arg::Fixed, 1};
        shapes[uint8_t('M')] = shapes[0x83] = {Arg::Fixed, 2};
        for (const unsigned char op : std::string_view("Jjr\x84"))
            shapes[op] = {Arg::Fixed, 4};
        shapes[uint8_t('G')] = shapes[0x95] = {Arg::Fixed, 8};
        for (const unsigned char op : std::string_view("\x8c"
                                                       "CU\x8a"))
            shapes[op] = {Arg::Counted, 1};
        for (const unsigned char op : std::string_view("XBT\x8b"))
            shapes[op] = {Arg::Counted, 4};
        for (const unsigned char op : std::string_view("\x8d\x8e\x96"))
            shapes[op] = {Arg::Counted, 8};
        for (const unsigned char op : std::string_view("FILSVgpP"))
            shapes[op] = {Arg::Lines, 1};
        shapes[uint8_t('c')] = shapes[uint8_t('i')] = {Arg::Lines, 2};
    }
};

constexpr ShapeTable kShapes;

uint64_t readLe(std::string_view data, size_t pos, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i)
        v |= static_cast<uint64_t>(static_cast<unsigned char>(data[pos + i])) << (8 * i);
    return v;
}

// The opcodes of a typical trace, "MARK int int GET int TUPLE" or "int int GET TUPLE3": steps
// over them at once (as stepping one by one would) and returns the GET's index.
bool skipTrace(std::string_view data, size_t& pos, uint64_t& index)
{
    const auto* p = reinterpret_cast<const unsigned char*>(data.data()) + pos;
    const auto* end = reinterpret_cast<const unsigned char*>(data.data()) + data.size();
    const auto skipInt = [&] {
        const size_t n = end - p < 1 ? 0 : *p == 'K' ? 2 : *p == 'M' ? 3 : *p == 'J' ? 5 : 0;
        if (n == 0 || static_cast<size_t>(end - p) < n)
            return false;
        p += n;
        return true;
    };
    const bool marked = *p == '(';
    p += marked;
    if (!skipInt() || !skipInt() || end - p < 2)
        return false;
    if (p[0] == 'h') {
        index = p[1];
        p += 2;
    } else if (p[0] == 'j' && end - p >= 5) {
        index = readLe(
            data, static_cast<size_t>(p + 1 - reinterpret_cast<const unsigned char*>(data.data())),
            4);
        p += 5;
    } else {
        return false;
    }
    if (marked ? !skipInt() || p == end || *p != 't' : p == end || *p != 0x87)
        return false;
    pos = static_cast<size_t>(p + 1 - reinterpret_cast<const unsigned char*>(data.data()));
    return true;
}

} // namespace

PickleMemoScan::PickleMemoScan(std::string_view data, std::stop_token stop)
{
    // An index no larger than the file covers every real memo; larger ones go to the set.
    m_bits.resize(data.size() / 64 + 1);
    scan(data, stop);
    m_rank.resize(m_bits.size());
    for (size_t i = 0; i < m_bits.size(); ++i) {
        m_rank[i] = static_cast<uint32_t>(m_slots);
        m_slots += static_cast<size_t>(popcount(m_bits[i]));
    }
}

void PickleMemoScan::scan(std::string_view data, const std::stop_token& stop)
{
    size_t pos = 0;
    for (size_t ops = 0; pos < data.size(); ++ops) {
        if (ops % 65536 == 0 && stop.stop_requested())
            return;
        uint64_t traceIndex;
        if ((data[pos] == '(' || data[pos] == 'K') && skipTrace(data, pos, traceIndex)) {
            mark(traceIndex);
            continue;
        }
        const auto op = static_cast<unsigned char>(data[pos++]);
        const OpShape shape = kShapes.shapes[op];
        switch (shape.arg) {
        case Arg::None:
            break;
        case Arg::Stop:
        case Arg::Invalid:
            return;
        case Arg::Fixed:
            if (data.size() - pos < shape.size)
                return;
            if (op == 'h' || op == 'j')
                mark(readLe(data, pos, shape.size));
            pos += shape.size;
            break;
        case Arg::Counted: {
            if (data.size() - pos < shape.size)
                return;
            const uint64_t n = readLe(data, pos, shape.size);
            pos += shape.size;
            if (n > data.size() - pos)
                return;
            pos += n;
            break;
        }
        case Arg::Lines:
            for (int line = 0; line < shape.size; ++line) {
                const size_t nl = data.find('\n', pos);
                if (nl == std::string_view::npos)
                    return;
                if (op == 'g') {
                    uint64_t index = 0;
                    const auto [p, ec] =
                        std::from_chars(data.data() + pos, data.data() + nl, index);
                    if (ec == std::errc() && p == data.data() + nl)
                        mark(index);
                }
                pos = nl + 1;
            }
            break;
        }
    }
}

void PickleMemoScan::mark(uint64_t index)
{
    if (index < m_bits.size() * 64)
        m_bits[index / 64] |= uint64_t(1) << (index % 64);
    else
        m_large.insert(index);
}

} // namespace hs::pickle
