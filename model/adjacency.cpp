#include "adjacency.h"

namespace hs {

Adjacency Adjacency::reversed() const
{
    // Counting sort by target: one pass to count, one to place.
    Adjacency r;
    const size_t n = nodeCount();
    r.start.assign(n + 1, 0);
    for (const uint32_t t : target)
        ++r.start[t + 1];
    for (size_t v = 0; v < n; ++v)
        r.start[v + 1] += r.start[v];
    r.target.resize(target.size());
    std::vector<uint64_t> next(r.start.begin(), r.start.end() - 1);
    for (uint32_t v = 0; v < n; ++v)
        for (uint64_t e = start[v]; e < start[v + 1]; ++e)
            r.target[next[target[e]]++] = v;
    return r;
}

Adjacency Adjacency::fromEdges(size_t nodes,
                               const std::vector<std::pair<uint32_t, uint32_t>>& edges)
{
    Adjacency a;
    a.start.assign(nodes + 1, 0);
    for (const auto& [from, to] : edges)
        ++a.start[from + 1];
    for (size_t v = 0; v < nodes; ++v)
        a.start[v + 1] += a.start[v];
    a.target.resize(edges.size());
    std::vector<uint64_t> next(a.start.begin(), a.start.end() - 1);
    for (const auto& [from, to] : edges)
        a.target[next[from]++] = to;
    return a;
}

} // namespace hs
