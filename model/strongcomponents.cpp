#include "strongcomponents.h"

#include "hugepageallocator.h"

namespace hs {

StrongComponents strongComponents(const Adjacency& graph)
{
    constexpr uint32_t kUnvisited = UINT32_MAX;
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    // Tarjan's per-node state together, so that looking at a successor is one cache miss.
    struct State
    {
        uint32_t index = kUnvisited;
        uint32_t low = 0;
        uint32_t component = kUnvisited;
    };
    HugeVector<State> state(n);
    std::vector<uint32_t> open; // Tarjan's stack: visited nodes not yet in a component
    struct Call
    {
        uint32_t node;
        uint64_t edge; // the next successor to look at
    };
    std::vector<Call> calls;
    uint32_t counter = 0, count = 0;
    const auto visit = [&](uint32_t w) {
        state[w].index = state[w].low = counter++;
        open.push_back(w);
        // The successors' state now, so that their cache misses overlap.
        for (uint64_t e = graph.begin(w); e < graph.end(w); ++e)
            __builtin_prefetch(&state[graph.target[e]]);
        calls.push_back({w, graph.begin(w)});
    };
    for (uint32_t start = 0; start < n; ++start) {
        if (state[start].index != kUnvisited)
            continue;
        visit(start);
        while (!calls.empty()) {
            Call& call = calls.back();
            const uint32_t v = call.node;
            if (call.edge < graph.end(v)) {
                const uint32_t w = graph.target[call.edge++];
                if (state[w].index == kUnvisited)
                    visit(w);
                else if (state[w].component == kUnvisited && state[w].index < state[v].low)
                    state[v].low = state[w].index; // w is on the stack: part of v's component
                continue;
            }
            calls.pop_back();
            if (!calls.empty() && state[v].low < state[calls.back().node].low)
                state[calls.back().node].low = state[v].low;
            if (state[v].low != state[v].index)
                continue;
            // v is the first node of its component: everything above it on the stack.
            uint32_t w;
            do {
                w = open.back();
                open.pop_back();
                state[w].component = count;
            } while (w != v);
            ++count;
        }
    }
    StrongComponents result;
    result.count = count;
    result.component.resize(n);
    for (uint32_t v = 0; v < n; ++v)
        result.component[v] = state[v].component;
    return result;
}

} // namespace hs
