#pragma once

#include "hserror.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace hs {

// Reads the fields of one .hsr record payload (see resources/recorder/FORMAT.md). Running past
// the end or a malformed number throws hs::Error naming the record.
class HsrCursor
{
public:
    HsrCursor(std::string_view payload, std::string context)
        : m_data(payload), m_context(std::move(context))
    {}

    bool atEnd() const { return m_pos == m_data.size(); }

    uint64_t varint()
    {
        uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size())
                fail("ends inside a number");
            const auto byte = static_cast<uint8_t>(m_data[m_pos++]);
            if (shift == 63 && byte > 1)
                fail("holds a number larger than 64 bits");
            value |= uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return value;
        }
        fail("holds a number longer than 10 bytes");
    }
    uint32_t varint32(const char* what)
    {
        const uint64_t v = varint();
        if (v > UINT32_MAX)
            fail(std::string("has an out-of-range ") + what);
        return static_cast<uint32_t>(v);
    }
    double f64()
    {
        if (m_data.size() - m_pos < 8)
            fail("ends inside a number");
        uint64_t bits = 0;
        for (int i = 7; i >= 0; --i)
            bits = bits << 8 | static_cast<uint8_t>(m_data[m_pos + size_t(i)]);
        m_pos += 8;
        double d;
        std::memcpy(&d, &bits, 8);
        return d;
    }
    std::string_view str()
    {
        const uint64_t n = varint();
        if (n > m_data.size() - m_pos)
            fail("ends inside a string");
        const std::string_view s = m_data.substr(m_pos, n);
        m_pos += n;
        return s;
    }

    [[noreturn]] void fail(const std::string& what) const { throw Error(m_context + " " + what); }

private:
    std::string_view m_data;
    size_t m_pos = 0;
    std::string m_context;
};

} // namespace hs
