#include "dominatortree.h"

#include "hugepageallocator.h"

namespace hs {

namespace {

constexpr uint32_t kNone = DominatorTree::kNone;

// Lengauer and Tarjan's per-node state, in depth-first numbers, kept together so that a step up
// the forest touches one cache line. `best` is the node with the smallest semidominator on the
// compressed path above (label in the paper) and `bestSemi` that semidominator.
struct Slot
{
    uint32_t ancestor;
    uint32_t best;
    uint32_t bestSemi;
    uint32_t semi;
};

} // namespace

DominatorTree dominatorTree(const Adjacency& graph, const std::vector<uint32_t>& roots)
{
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    DominatorTree tree;
    tree.idom.assign(n, kNone);

    // Depth-first numbering from a virtual root (number 0) whose successors are `roots`.
    HugeVector<uint32_t> number(n, kNone);
    HugeVector<uint32_t> vertex{kNone}; // by number
    HugeVector<uint32_t> parent{kNone}; // by number
    {
        struct Call
        {
            uint32_t node; // kNone: the virtual root
            uint64_t edge;
        };
        std::vector<Call> calls{{kNone, 0}};
        while (!calls.empty()) {
            Call& call = calls.back();
            const bool virtualRoot = call.node == kNone;
            const uint64_t end = virtualRoot ? roots.size() : graph.end(call.node);
            if (call.edge == end) {
                calls.pop_back();
                continue;
            }
            const uint32_t w = virtualRoot ? roots[call.edge++] : graph.target[call.edge++];
            if (w >= n || number[w] != kNone)
                continue;
            const uint32_t from = virtualRoot ? 0 : number[call.node];
            number[w] = static_cast<uint32_t>(vertex.size());
            vertex.push_back(w);
            parent.push_back(from);
            // The heap's references go anywhere: ask for the successors' numbers now, so that
            // their cache misses overlap instead of coming one at a time.
            for (uint64_t e = graph.begin(w); e < graph.end(w); ++e)
                __builtin_prefetch(&number[graph.target[e]]);
            calls.push_back({w, graph.begin(w)});
        }
    }
    const auto count = static_cast<uint32_t>(vertex.size());

    // Predecessors among the reached nodes, in numbers (a counting sort by target). The edges
    // are walked in storage order, so only the targets' numbers are random reads; they are
    // fetched some edges ahead.
    constexpr uint64_t kAhead = 16;
    const auto forEachEdge = [&](auto&& visit) {
        const uint64_t edges = graph.edgeCount();
        for (uint32_t v = 0; v < n; ++v) {
            const uint32_t from = number[v];
            const uint64_t end = graph.end(v);
            for (uint64_t e = graph.begin(v); e < end; ++e) {
                if (e + kAhead < edges)
                    __builtin_prefetch(&number[graph.target[e + kAhead]]);
                if (from != kNone)
                    visit(from, number[graph.target[e]]);
            }
        }
    };
    HugeVector<uint64_t> predStart(count + 1, 0);
    forEachEdge([&](uint32_t, uint32_t to) { ++predStart[to + 1]; });
    for (const uint32_t r : roots)
        if (r < n)
            ++predStart[number[r] + 1];
    for (uint32_t i = 0; i < count; ++i)
        predStart[i + 1] += predStart[i];
    HugeVector<uint32_t> pred(predStart[count]);
    {
        HugeVector<uint64_t> next(predStart.begin(), predStart.end() - 1);
        for (const uint32_t r : roots)
            if (r < n)
                pred[next[number[r]]++] = 0;
        forEachEdge([&](uint32_t from, uint32_t to) { pred[next[to]++] = from; });
    }
    HugeVector<uint32_t>().swap(number);

    HugeVector<Slot> s(count);
    for (uint32_t i = 0; i < count; ++i)
        s[i] = {kNone, i, i, i};
    HugeVector<uint32_t> idom(count, 0), bucketHead(count, kNone), bucketNext(count, kNone);
    std::vector<uint32_t> chain;
    // The node with the smallest semidominator on v's path up the forest, compressing the
    // path behind it (iteratively: the chain can be as long as the graph).
    const auto eval = [&](uint32_t v) {
        if (s[v].ancestor == kNone)
            return v;
        chain.clear();
        for (uint32_t x = v; s[s[x].ancestor].ancestor != kNone; x = s[x].ancestor)
            chain.push_back(x);
        for (size_t k = chain.size(); k-- > 0;) {
            Slot& x = s[chain[k]];
            const Slot& a = s[x.ancestor];
            if (a.bestSemi < x.bestSemi) {
                x.best = a.best;
                x.bestSemi = a.bestSemi;
            }
            x.ancestor = a.ancestor;
        }
        return s[v].best;
    };
    for (uint32_t w = count - 1; w >= 1; --w) {
        if (w > 1) // the next node's predecessors, while this one's are worked on
            for (uint64_t e = predStart[w - 1]; e < predStart[w]; ++e)
                __builtin_prefetch(&s[pred[e]]);
        uint32_t semi = s[w].semi;
        for (uint64_t e = predStart[w]; e < predStart[w + 1]; ++e) {
            const uint32_t u = eval(pred[e]);
            semi = std::min(semi, s[u].semi);
        }
        s[w].semi = s[w].bestSemi = semi;
        bucketNext[w] = bucketHead[semi];
        bucketHead[semi] = w;
        const uint32_t p = parent[w];
        s[w].ancestor = p; // link
        for (uint32_t v = bucketHead[p]; v != kNone; v = bucketNext[v]) {
            const uint32_t u = eval(v);
            idom[v] = s[u].semi < s[v].semi ? u : p;
        }
        bucketHead[p] = kNone;
    }
    tree.preorder.reserve(count - 1);
    for (uint32_t w = 1; w < count; ++w) {
        if (idom[w] != s[w].semi)
            idom[w] = idom[idom[w]];
        tree.idom[vertex[w]] = idom[w] == 0 ? kNone : vertex[idom[w]];
        tree.preorder.push_back(vertex[w]);
    }
    return tree;
}

DominatorTree dominatorTree(const Adjacency& graph, uint32_t root)
{
    return dominatorTree(graph, std::vector<uint32_t>{root});
}

std::vector<uint64_t> retainedSizes(const DominatorTree& tree, std::span<const uint64_t> sizes)
{
    // Children come after their dominator in depth-first order: adding in reverse order sums
    // whole subtrees.
    std::vector<uint64_t> retained(sizes.begin(), sizes.end());
    for (size_t k = tree.preorder.size(); k-- > 0;) {
        const uint32_t v = tree.preorder[k];
        if (tree.idom[v] != kNone)
            retained[tree.idom[v]] += retained[v];
    }
    return retained;
}

} // namespace hs
