#include "strongcomponents.h"

namespace hs {

StrongComponents strongComponents(const Adjacency& graph)
{
    constexpr uint32_t kUnvisited = UINT32_MAX;
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    StrongComponents result;
    result.component.assign(n, kUnvisited);
    std::vector<uint32_t> index(n, kUnvisited), low(n, 0);
    std::vector<uint32_t> open; // Tarjan's stack: visited nodes not yet in a component
    struct Call
    {
        uint32_t node;
        uint64_t edge; // the next successor to look at
    };
    std::vector<Call> calls;
    uint32_t counter = 0;
    for (uint32_t start = 0; start < n; ++start) {
        if (index[start] != kUnvisited)
            continue;
        calls.push_back({start, graph.begin(start)});
        index[start] = low[start] = counter++;
        open.push_back(start);
        while (!calls.empty()) {
            Call& call = calls.back();
            const uint32_t v = call.node;
            if (call.edge < graph.end(v)) {
                const uint32_t w = graph.target[call.edge++];
                if (index[w] == kUnvisited) {
                    index[w] = low[w] = counter++;
                    open.push_back(w);
                    calls.push_back({w, graph.begin(w)});
                } else if (result.component[w] == kUnvisited && index[w] < low[v]) {
                    low[v] = index[w]; // w is on the stack: part of v's component
                }
                continue;
            }
            calls.pop_back();
            if (!calls.empty() && low[v] < low[calls.back().node])
                low[calls.back().node] = low[v];
            if (low[v] != index[v])
                continue;
            // v is the first node of its component: everything above it on the stack.
            uint32_t w;
            do {
                w = open.back();
                open.pop_back();
                result.component[w] = result.count;
            } while (w != v);
            ++result.count;
        }
    }
    return result;
}

} // namespace hs
