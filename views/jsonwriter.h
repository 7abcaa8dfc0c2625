#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hs {

// A small streaming JSON writer with exact 64-bit integers. Strings are heapscope's raw bytes:
// UTF-8 passes through, lone surrogates become \udXXX escapes as Python's json module writes them.
class JsonWriter
{
public:
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(std::string_view name);
    void value(std::string_view s);
    void value(const char* s) { value(std::string_view(s)); }
    void value(int64_t v);
    void value(uint64_t v);
    void value(int v) { value(static_cast<int64_t>(v)); }
    void value(bool v);
    void value(double v);
    void null();

    const std::string& text() const { return m_out; }

private:
    void separate();

    std::string m_out;
    std::vector<bool> m_first; // per open container: no element written yet
    bool m_afterKey = false;
};

} // namespace hs
