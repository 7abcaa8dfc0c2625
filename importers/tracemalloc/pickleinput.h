#pragma once

#include "pickleheap.h"

#include <optional>
#include <string_view>

namespace hs::pickle {

// The bytes of a pickle and a position in them: reads opcode arguments with every length checked
// against what is left, and decodes the opcodes that push a plain value (numbers, strings).
// Malformed or truncated input throws Refusal.
class PickleInput
{
public:
    static constexpr size_t kMaxLongBytes = 4096;

    explicit PickleInput(std::string_view data) : m_data(data) {}

    std::string_view data() const { return m_data; }
    size_t pos() const { return m_pos; }
    void setPos(size_t pos) { m_pos = pos; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    size_t left() const { return m_data.size() - m_pos; }
    unsigned char next() { return static_cast<unsigned char>(m_data[m_pos++]); }

    void need(size_t n) const;
    uint64_t readUInt(size_t n); // little-endian
    std::string_view readBytes(size_t n);
    std::string_view readLine(); // without its newline

    // The value `op` pushes if it is a scalar opcode (its argument read), else nothing.
    std::optional<Value> scalar(unsigned char op, PickleHeap& heap);

private:
    Value unicodeText(PickleHeap& heap);
    Value stringText(PickleHeap& heap);

    std::string_view m_data;
    size_t m_pos = 0;
};

} // namespace hs::pickle
