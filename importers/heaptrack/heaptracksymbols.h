#pragma once

#include "chunkedvector.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hs {

// The definitions of a heaptrack file: strings (s), instruction pointers with their frames (i)
// and the backtrace tree (t). Indices are heaptrack's: 1-based, 0 meaning none.
class HeaptrackSymbols
{
public:
    struct Frame
    {
        uint32_t function = 0;
        uint32_t file = 0;
        uint64_t line = 0;
    };
    struct Ip
    {
        uint64_t address = 0;
        uint32_t module = 0;
        std::vector<Frame> frames; // innermost inlined first, the real function last
    };
    struct TraceNode
    {
        uint32_t ip = 0;
        uint32_t parent = 0;
    };

    // Each returns false for a malformed line (which is then skipped, as heaptrack does).
    bool addString(std::string_view fields, int fileFormat);
    bool addIp(std::string_view fields);
    bool addTrace(std::string_view fields);

    std::string_view string(uint32_t index) const;
    const Ip* ip(uint32_t index) const;
    const TraceNode* trace(uint32_t index) const;
    size_t traceCount() const { return m_traces.size(); }
    // Replaces each backtrace node's address by `map(parentResult, address)`, parents first
    // (the root's result is `root`): the tree then holds what each node maps to.
    template <typename Map>
    void mapTraces(uint32_t root, Map map)
    {
        for (size_t t = 1; t < m_traces.size(); ++t) {
            TraceNode& node = m_traces[t];
            const uint32_t parent = node.parent == 0 ? root : m_traces[node.parent].ip;
            node.ip = map(parent, node.ip);
        }
    }
    // Frees the backtrace tree once every site has been mapped.
    void releaseTraces()
    {
        m_traces.clear();
        m_traces.push_back({});
    }
    size_t ipCount() const { return m_ips.size(); }
    size_t stringCount() const { return m_strings.size(); }

private:
    std::vector<std::string> m_strings; // [0] is the empty string
    std::vector<Ip> m_ips = {Ip{}};
    ChunkedVector<TraceNode, 18> m_traces = rootOnly();
    static ChunkedVector<TraceNode, 18> rootOnly()
    {
        ChunkedVector<TraceNode, 18> v;
        v.push_back({});
        return v;
    }
};

} // namespace hs
