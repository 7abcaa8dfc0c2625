#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hs {

// The records of a .hsr file in order, compressed ones inflated. A file cut anywhere yields
// every complete record before the cut and then says where it stopped.
class HsrReader
{
public:
    enum Type : uint8_t
    {
        Meta = 1,
        Strings = 2,
        Sample = 3,
        Checkpoint = 4,
        SnapshotBegin = 5,
        Traces = 6,
        SnapshotEnd = 7,
        GraphBegin = 8,
        Tracebacks = 9,
        Nodes = 10,
        Roots = 11,
        GraphEnd = 12,
        End = 13,
    };
    static constexpr size_t kMaxPayload = size_t(64) << 20;
    static constexpr size_t kMaxInflated = size_t(256) << 20;

    static bool sniff(std::string_view head);

    // Throws hs::Error when the bytes are not a .hsr file of a version this reader knows.
    HsrReader(std::string_view data, std::string fileName);

    // The next record; false at the end of the file or at a cut record (see truncation()).
    bool next(uint8_t& type, std::string_view& payload);
    // Where the file was cut, empty when it ended cleanly between records.
    const std::string& truncation() const { return m_truncation; }
    uint64_t recordOffset() const { return m_recordOffset; }

private:
    std::string_view m_data;
    std::string m_fileName;
    size_t m_pos = 0;
    uint64_t m_recordOffset = 0;
    std::string m_inflated;
    std::string m_truncation;
};

} // namespace hs
