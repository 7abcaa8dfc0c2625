#pragma once

// A small encoder of .hsr files for tests (resources/recorder/FORMAT.md), independent of the
// Python recorder: tests build exact files, cut them and damage them.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>
#include <zlib.h>

namespace hs::test {

class HsrPayload
{
public:
    HsrPayload& varint(uint64_t v)
    {
        while (v >= 0x80) {
            m_bytes += static_cast<char>((v & 0x7f) | 0x80);
            v >>= 7;
        }
        m_bytes += static_cast<char>(v);
        return *this;
    }
    HsrPayload& f64(double d)
    {
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        for (int i = 0; i < 8; ++i)
            m_bytes += static_cast<char>(bits >> (8 * i) & 0xff);
        return *this;
    }
    HsrPayload& str(std::string_view s)
    {
        varint(s.size());
        m_bytes += s;
        return *this;
    }
    const std::string& bytes() const { return m_bytes; }

private:
    std::string m_bytes;
};

class HsrFile
{
public:
    HsrFile() { m_bytes = std::string("\x89HSR\r\n\x1a\n\x01", 9); }

    // Appends a record; `compress` stores it zlib-compressed as the recorder does bulk records.
    HsrFile& record(uint8_t type, const HsrPayload& p, bool compress = false)
    {
        std::string payload = p.bytes();
        if (compress) {
            uLongf size = compressBound(static_cast<uLong>(payload.size()));
            std::string packed(size, '\0');
            ::compress2(reinterpret_cast<Bytef*>(packed.data()), &size,
                        reinterpret_cast<const Bytef*>(payload.data()),
                        static_cast<uLong>(payload.size()), 1);
            packed.resize(size);
            payload = packed;
            type |= 0x80;
        }
        m_bytes += static_cast<char>(type);
        HsrPayload length;
        length.varint(payload.size());
        m_bytes += length.bytes();
        m_bytes += payload;
        m_ends.push_back(m_bytes.size());
        return *this;
    }
    const std::string& bytes() const { return m_bytes; }
    // Where each record ends (its last byte + 1), in order.
    const std::vector<size_t>& recordEnds() const { return m_ends; }

private:
    std::string m_bytes;
    std::vector<size_t> m_ends;
};

} // namespace hs::test
