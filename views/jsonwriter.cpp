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

void JsonWriter::value(std::string_view s)
{
    separate();
    m_out += '"';
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    char buf[8];
    while (p < end) {
        const unsigned char c = *p;
        if (c == '"' || c == '\\') {
            m_out += '\\';
            m_out += static_cast<char>(c);
        } else if (c < 0x20) {
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            m_out += buf;
        } else if (c == 0xED && end - p >= 3 && p[1] >= 0xA0) {
            // A surrogate (surrogatepass encoding) is not valid UTF-8: escape it.
            const unsigned cp = (c & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
            std::snprintf(buf, sizeof buf, "\\u%04x", cp);
            m_out += buf;
            p += 3;
            continue;
        } else {
            m_out += static_cast<char>(c);
        }
        ++p;
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
