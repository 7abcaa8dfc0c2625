#include "graphdot.h"

#include <algorithm>
#include <cstdio>

namespace hs {

namespace {

// A DOT string literal: quotes and backslashes escaped, newlines as DOT's line breaks, other
// control characters dropped.
std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (const char c : s) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20)
            out += c;
    }
    return out + "\"";
}

std::string text(const std::vector<std::string>& strings, uint32_t index)
{
    return index < strings.size() ? strings[index] : std::string();
}

} // namespace

std::string graphDot(const ObjectGraph& graph, const std::vector<std::string>& strings,
                     const std::vector<uint32_t>& nodes, const std::string& title)
{
    std::vector<uint32_t> sorted = nodes;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    const auto inSet = [&](uint32_t v) {
        return std::binary_search(sorted.begin(), sorted.end(), v);
    };
    std::string out = "digraph heapscope {\n  label=" + quoted(title) +
                      ";\n  labelloc=t;\n  node [shape=box, fontname=\"sans-serif\"];\n";
    char id[32];
    for (const uint32_t v : sorted) {
        std::snprintf(id, sizeof id, "o%llx", static_cast<unsigned long long>(graph.address[v]));
        std::string label = text(strings, graph.type[v]);
        const std::string extra = text(strings, graph.label[v]);
        if (!extra.empty())
            label += "\n" + extra;
        label += "\n" + std::to_string(graph.size[v]) + " B";
        out += "  " + std::string(id) + " [label=" + quoted(label) + "];\n";
    }
    for (const uint32_t v : sorted) {
        for (uint64_t e = graph.edges.begin(v); e < graph.edges.end(v); ++e) {
            const uint32_t w = graph.edges.target[e];
            if (!inSet(w))
                continue;
            char from[32], to[32];
            std::snprintf(from, sizeof from, "o%llx",
                          static_cast<unsigned long long>(graph.address[v]));
            std::snprintf(to, sizeof to, "o%llx",
                          static_cast<unsigned long long>(graph.address[w]));
            const std::string name = text(strings, graph.edgeName[e]);
            out += "  " + std::string(from) + " -> " + to;
            if (!name.empty())
                out += " [label=" + quoted(name) + "]";
            out += ";\n";
        }
    }
    return out + "}\n";
}

std::vector<uint32_t> referrerNeighbourhood(const ObjectGraph& graph, uint32_t node, uint32_t depth)
{
    if (node >= graph.nodeCount())
        return {};
    const Adjacency referrers = graph.edges.reversed();
    std::vector<uint8_t> seen(graph.nodeCount(), 0);
    std::vector<uint32_t> out{node};
    seen[node] = 1;
    size_t levelStart = 0;
    for (uint32_t level = 0; level < depth; ++level) {
        const size_t levelEnd = out.size();
        for (size_t k = levelStart; k < levelEnd; ++k)
            for (uint64_t e = referrers.begin(out[k]); e < referrers.end(out[k]); ++e)
                if (!seen[referrers.target[e]]) {
                    seen[referrers.target[e]] = 1;
                    out.push_back(referrers.target[e]);
                }
        levelStart = levelEnd;
    }
    return out;
}

} // namespace hs
