#include "jsonwriter.h"

#include <cmath>
#include <cstdio>

namespace hs {

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back())
            m_out += ", ";
        m_first.back() = false;
    }
}

void JsonWriter::beginObject()
{
    separate();
    m_out += '{';
    m_first.push_back(true);
}

void JsonWriter::endObject()
{
    m_out += '}';
    m_first.pop_back();
}

void JsonWriter::beginArray()
{
    separate();
    m_out += '[';
    m_first.push_back(true);
}

void JsonWriter::endArray()
{
    m_out += ']';
    m_first.pop_back();
}

void JsonWriter::key(std::string_view name)
{
    value(name);
    m_out += ": ";
    m_afterKey = true;
}

namespace {

// Length of the well-formed UTF-8 sequence at p (surrogates allowed), or 0.
size_t sequenceLength(const unsigned char* p, const unsigned char* end, uint32_t& cp)
{
    size_t n;
    uint32_t min;
    if ((p[0] & 0xE0) == 0xC0)
        n = 2, cp = p[0] & 0x1Fu, min = 0x80;
    else if ((p[0] & 0xF0) == 0xE0)
        n = 3, cp = p[0] & 0x0Fu, min = 0x800;
    else if ((p[0] & 0xF8) == 0xF0)
        n = 4, cp = p[0] & 0x07u, min = 0x10000;
    else
        return 0;
    if (static_cast<size_t>(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    return cp >= min && cp <= 0x10FFFF ? n : 0;
}

} // namespace

void JsonWriter::value(std::string_view s)
{
    // Output is always valid JSON: surrogates (surrogatepass) become \udXXX as Python's json
    // writes them, and bytes that are not UTF-8 at all become \udcXX (Python's surrogateescape).
    separate();
    m_out += '"';
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    char buf[8];
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            if (c == '"' || c == '\\') {
                m_out += '\\';
                m_out += static_cast<char>(c);
            } else if (c < 0x20) {
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                m_out += buf;
            } else {
                m_out += static_cast<char>(c);
            }
            ++p;
            continue;
        }
        uint32_t cp = 0;
        const size_t n = sequenceLength(p, end, cp);
        if (n == 0) {
            std::snprintf(buf, sizeof buf, "\\udc%02x", c);
            m_out += buf;
            ++p;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            std::snprintf(buf, sizeof buf, "\\u%04x", cp);
            m_out += buf;
            p += n;
        } else {
            m_out.append(reinterpret_cast<const char*>(p), n);
            p += n;
        }
    }
    m_out += '"';
}

void JsonWriter::value(int64_t v)
{
    separate();
    m_out += std::to_string(v);
}

void JsonWriter::value(uint64_t v)
{
    separate();
    m_out += std::to_string(v);
}

void JsonWriter::value(bool v)
{
    separate();
    m_out += v ? "true" : "false";
}

void JsonWriter::value(double v)
{
    separate();
    if (!std::isfinite(v)) {
        m_out += "null";
        return;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    m_out += buf;
}

void JsonWriter::null()
{
    separate();
    m_out += "null";
}

} // namespace hs
