#include "pickleinput.h"

#include "picklecodes.h"
#include "pickletext.h"

#include <bit>
#include <charconv>

namespace hs::pickle {

void PickleInput::need(size_t n) const
{
    if (n > m_data.size() - m_pos)
        throw Refusal{"the file ends in the middle of an opcode (truncated)"};
}

uint64_t PickleInput::readUInt(size_t n)
{
    need(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i)
        v |= static_cast<uint64_t>(static_cast<unsigned char>(m_data[m_pos + i])) << (8 * i);
    m_pos += n;
    return v;
}

std::string_view PickleInput::readBytes(size_t n)
{
    need(n);
    std::string_view s = m_data.substr(m_pos, n);
    m_pos += n;
    return s;
}

std::string_view PickleInput::readLine()
{
    const size_t nl = m_data.find('\n', m_pos);
    if (nl == std::string_view::npos)
        throw Refusal{"the file ends in the middle of a text argument (truncated)"};
    std::string_view s = m_data.substr(m_pos, nl - m_pos);
    m_pos = nl + 1;
    return s;
}

Value PickleInput::unicodeText(PickleHeap& heap)
{
    std::string decoded;
    if (!decodeRawUnicodeEscape(readLine(), decoded))
        throw Refusal{"malformed \\u escape in a text string"};
    return heap.addString(decoded, Kind::Str);
}

Value PickleInput::stringText(PickleHeap& heap)
{
    std::string_view arg = readLine();
    if (arg.size() < 2 || arg.front() != arg.back() || (arg.front() != '\'' && arg.front() != '"'))
        throw Refusal{"the STRING argument must be quoted"};
    std::string decoded;
    if (!decodeEscapedString(arg.substr(1, arg.size() - 2), decoded))
        throw Refusal{"malformed escape in a text string"};
    for (const char c : decoded) {
        if (static_cast<unsigned char>(c) >= 0x80)
            throw Refusal{"a Python 2 byte string is not ASCII"};
    }
    return heap.addString(decoded, Kind::Str);
}

std::optional<Value> PickleInput::scalar(unsigned char op, PickleHeap& heap)
{
    switch (op) {
    case NONE:
        return Value{};
    case NEWTRUE:
    case NEWFALSE:
        return Value{Kind::Bool, 0, 0, 0, op == NEWTRUE};
    case BININT:
        return intValue(static_cast<int32_t>(readUInt(4)));
    case BININT1:
        return intValue(static_cast<int64_t>(readUInt(1)));
    case BININT2:
        return intValue(static_cast<int64_t>(readUInt(2)));
    case LONG1:
    case LONG4: {
        const uint64_t n = readUInt(op == LONG1 ? 1 : 4);
        if (op == LONG4 && static_cast<int32_t>(n) < 0)
            throw Refusal{"negative LONG4 length"};
        if (n > kMaxLongBytes)
            throw Refusal{"integer of " + std::to_string(n) + " bytes is too large"};
        const auto bytes = readBytes(n);
        return decodeLong(reinterpret_cast<const unsigned char*>(bytes.data()), n);
    }
    case INT: {
        const auto line = readLine();
        if (line == "00" || line == "01")
            return Value{Kind::Bool, 0, 0, 0, line == "01"};
        return parseTextInt(line);
    }
    case LONG: {
        auto line = readLine();
        if (!line.empty() && line.back() == 'L')
            line.remove_suffix(1);
        return parseTextInt(line);
    }
    case FLOAT: {
        const std::string_view text = readLine();
        double d = 0; // from_chars: the C locale's format whatever the process locale
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
            throw Refusal{"malformed float"};
        return Value{Kind::Float, 0, 0, 0, std::bit_cast<int64_t>(d)};
    }
    case BINFLOAT: {
        uint64_t be = 0;
        for (const char c : readBytes(8))
            be = be << 8 | static_cast<unsigned char>(c);
        return Value{Kind::Float, 0, 0, 0, static_cast<int64_t>(be)};
    }
    case SHORT_BINUNICODE:
    case BINUNICODE:
    case BINUNICODE8:
        return heap.addString(readBytes(readUInt(op == SHORT_BINUNICODE ? 1
                                                 : op == BINUNICODE     ? 4
                                                                        : 8)),
                              Kind::Str);
    case SHORT_BINBYTES:
    case BINBYTES:
    case BINBYTES8:
        return heap.addString(readBytes(readUInt(op == SHORT_BINBYTES ? 1
                                                 : op == BINBYTES     ? 4
                                                                      : 8)),
                              Kind::Bytes);
    case SHORT_BINSTRING:
    case BINSTRING: {
        const uint64_t n = readUInt(op == SHORT_BINSTRING ? 1 : 4);
        if (op == BINSTRING && static_cast<int32_t>(n) < 0)
            throw Refusal{"negative BINSTRING length"};
        const auto bytes = readBytes(n);
        for (const char c : bytes) {
            if (static_cast<unsigned char>(c) >= 0x80)
                throw Refusal{"a Python 2 byte string is not ASCII"};
        }
        return heap.addString(bytes, Kind::Str);
    }
    case UNICODE:
        return unicodeText(heap);
    case STRING:
        return stringText(heap);
    default:
        return std::nullopt;
    }
}

} // namespace hs::pickle
