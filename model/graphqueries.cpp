#include "graphqueries.h"

#include "profiledata.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace hs {

std::vector<GraphCycle> graphCycles(const ObjectGraph& graph, const GraphAnalysis& analysis)
{
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    std::vector<uint32_t> memberCount(analysis.componentCount, 0);
    for (uint32_t v = 0; v < n; ++v)
        ++memberCount[analysis.component[v]];
    std::vector<uint8_t> selfLoop(analysis.componentCount, 0);
    for (uint32_t v = 0; v < n; ++v)
        for (uint64_t e = graph.edges.begin(v); e < graph.edges.end(v); ++e)
            if (graph.edges.target[e] == v)
                selfLoop[analysis.component[v]] = 1;
    std::vector<uint32_t> cycleOf(analysis.componentCount, kNoIndex);
    std::vector<GraphCycle> cycles;
    for (uint32_t v = 0; v < n; ++v) {
        const uint32_t c = analysis.component[v];
        if (memberCount[c] < 2 && !selfLoop[c])
            continue;
        if (cycleOf[c] == kNoIndex) {
            cycleOf[c] = static_cast<uint32_t>(cycles.size());
            GraphCycle cycle;
            cycle.component = c;
            cycle.retained = analysis.componentRetained[c];
            cycle.garbage = analysis.garbage[v] != 0;
            cycles.push_back(std::move(cycle));
        }
        GraphCycle& cycle = cycles[cycleOf[c]];
        cycle.members.push_back(v);
        cycle.size += graph.size[v];
    }
    for (GraphCycle& cycle : cycles) {
        std::sort(cycle.members.begin(), cycle.members.end(),
                  [&](uint32_t a, uint32_t b) { return graph.address[a] < graph.address[b]; });
        cycle.representative = cycle.members.front();
    }
    std::sort(cycles.begin(), cycles.end(), [&](const GraphCycle& a, const GraphCycle& b) {
        if (a.retained != b.retained)
            return a.retained > b.retained;
        if (a.members.size() != b.members.size())
            return a.members.size() > b.members.size();
        return graph.address[a.representative] < graph.address[b.representative];
    });
    return cycles;
}

std::vector<TypeCensus> typeCensus(const ObjectGraph& graph, const GraphAnalysis& analysis,
                                   bool trackedOnly, CensusSort sort,
                                   const std::vector<std::string>& strings)
{
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    std::unordered_map<uint32_t, TypeCensus> byType;
    for (uint32_t v = 0; v < n; ++v) {
        if (trackedOnly && !(graph.flags[v] & ObjectGraph::Tracked))
            continue;
        TypeCensus& t = byType[graph.type[v]];
        t.type = graph.type[v];
        ++t.count;
        t.size += graph.size[v];
    }
    // Retained per type: a walk of the dominator tree that knows which types are open above.
    std::vector<uint64_t> childStart(n + 1, 0);
    for (uint32_t v = 0; v < n; ++v)
        if (analysis.idom[v] != kNoIndex)
            ++childStart[analysis.idom[v] + 1];
    for (uint32_t v = 0; v < n; ++v)
        childStart[v + 1] += childStart[v];
    std::vector<uint32_t> children(childStart[n]);
    {
        std::vector<uint64_t> next(childStart.begin(), childStart.end() - 1);
        for (uint32_t v = 0; v < n; ++v)
            if (analysis.idom[v] != kNoIndex)
                children[next[analysis.idom[v]]++] = v;
    }
    std::unordered_map<uint32_t, uint32_t> open; // type -> how many ancestors have it
    std::vector<std::pair<uint32_t, uint64_t>> walk;
    for (uint32_t top = 0; top < n; ++top) {
        if (analysis.idom[top] != kNoIndex)
            continue;
        walk.push_back({top, childStart[top]});
        const auto enter = [&](uint32_t v) {
            const bool counted = !trackedOnly || (graph.flags[v] & ObjectGraph::Tracked);
            if (counted && open[graph.type[v]]++ == 0)
                byType[graph.type[v]].retained += analysis.retained[v];
        };
        const auto leave = [&](uint32_t v) {
            const bool counted = !trackedOnly || (graph.flags[v] & ObjectGraph::Tracked);
            if (counted)
                --open[graph.type[v]];
        };
        enter(top);
        while (!walk.empty()) {
            auto& [v, next] = walk.back();
            if (next == childStart[v + 1]) {
                leave(v);
                walk.pop_back();
                continue;
            }
            const uint32_t child = children[next++];
            enter(child);
            walk.push_back({child, childStart[child]});
        }
    }
    std::vector<TypeCensus> out;
    out.reserve(byType.size());
    for (const auto& [type, t] : byType)
        out.push_back(t);
    const auto key = [&](const TypeCensus& t) {
        return sort == CensusSort::Count ? t.count : sort == CensusSort::Size ? t.size : t.retained;
    };
    std::sort(out.begin(), out.end(), [&](const TypeCensus& a, const TypeCensus& b) {
        if (key(a) != key(b))
            return key(a) > key(b);
        return strings[a.type] < strings[b.type];
    });
    return out;
}

namespace {

// Garbage that nothing outside its cycle refers to is kept by the cycle itself: the shortest
// chain of references from the node back to itself, the node first and last.
std::vector<PathStep> cycleThrough(const ObjectGraph& graph, const GraphAnalysis& analysis,
                                   uint32_t node, std::vector<uint64_t>& via,
                                   std::vector<uint32_t>& from)
{
    constexpr uint64_t kUnseen = UINT64_MAX - 1;
    std::vector<uint32_t> queue{node};
    via[node] = UINT64_MAX;
    for (size_t k = 0; k < queue.size(); ++k) {
        const uint32_t v = queue[k];
        for (uint64_t e = graph.edges.begin(v); e < graph.edges.end(v); ++e) {
            const uint32_t w = graph.edges.target[e];
            if (w == node) {
                std::vector<PathStep> path{{node, kNoIndex}, {v, graph.edgeName[e]}};
                for (uint32_t u = v; u != node; u = from[u])
                    path.push_back({from[u], graph.edgeName[via[u]]});
                std::reverse(path.begin(), path.end());
                return path;
            }
            if (via[w] == kUnseen && analysis.component[w] == analysis.component[node]) {
                via[w] = e;
                from[w] = v;
                queue.push_back(w);
            }
        }
    }
    return {{node, kNoIndex}};
}

} // namespace

std::vector<PathStep> retainingPath(const ObjectGraph& graph, const GraphAnalysis& analysis,
                                    uint32_t node)
{
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    if (node >= n)
        return {};
    // Breadth first from every root at once (for garbage: from the garbage without
    // referrers outside its own group), remembering the edge each node was reached by.
    const std::vector<uint8_t> roots = graphRoots(graph);
    std::vector<uint8_t> referred(analysis.componentCount, 0);
    for (uint32_t v = 0; v < n; ++v)
        for (uint64_t e = graph.edges.begin(v); e < graph.edges.end(v); ++e) {
            const uint32_t w = graph.edges.target[e];
            if (analysis.component[v] != analysis.component[w])
                referred[analysis.component[w]] = 1;
        }
    constexpr uint64_t kStart = UINT64_MAX, kUnseen = UINT64_MAX - 1;
    std::vector<uint64_t> via(n, kUnseen); // the edge a node was first reached by
    std::vector<uint32_t> from(n, kNoIndex);
    std::vector<uint32_t> queue;
    if (analysis.garbage[node] && !referred[analysis.component[node]])
        return cycleThrough(graph, analysis, node, via, from);
    for (uint32_t v = 0; v < n; ++v) {
        const bool entry = analysis.garbage[node]
                               ? analysis.garbage[v] && !referred[analysis.component[v]]
                               : roots[v] != 0;
        if (entry) {
            via[v] = kStart;
            queue.push_back(v);
        }
    }
    for (size_t k = 0; k < queue.size() && via[node] == kUnseen; ++k) {
        const uint32_t v = queue[k];
        for (uint64_t e = graph.edges.begin(v); e < graph.edges.end(v); ++e) {
            const uint32_t w = graph.edges.target[e];
            if (via[w] == kUnseen) {
                via[w] = e;
                from[w] = v;
                queue.push_back(w);
            }
        }
    }
    if (via[node] == kUnseen)
        return {};
    std::vector<PathStep> path{{node, kNoIndex}};
    for (uint32_t v = node; via[v] != kStart; v = from[v])
        path.push_back({from[v], graph.edgeName[via[v]]});
    std::reverse(path.begin(), path.end());
    return path;
}

TypeGraph typeGraph(const ObjectGraph& graph)
{
    TypeGraph out;
    std::unordered_map<uint32_t, uint32_t> index; // type string -> node
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    std::vector<uint32_t> nodeOf(n);
    for (uint32_t v = 0; v < n; ++v) {
        const auto [it, added] =
            index.emplace(graph.type[v], static_cast<uint32_t>(out.nodes.size()));
        if (added)
            out.nodes.push_back({graph.type[v], 0, 0});
        nodeOf[v] = it->second;
        ++out.nodes[it->second].count;
        out.nodes[it->second].size += graph.size[v];
    }
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> edges;
    for (uint32_t v = 0; v < n; ++v)
        for (uint64_t e = graph.edges.begin(v); e < graph.edges.end(v); ++e)
            ++edges[{nodeOf[v], nodeOf[graph.edges.target[e]]}];
    for (const auto& [key, count] : edges)
        out.edges.push_back({key.first, key.second, count});
    return out;
}

uint32_t nodeByAddress(const ObjectGraph& graph, uint64_t address)
{
    for (size_t v = 0; v < graph.nodeCount(); ++v)
        if (graph.address[v] == address)
            return static_cast<uint32_t>(v);
    return UINT32_MAX;
}

} // namespace hs
