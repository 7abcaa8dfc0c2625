#include "dominatortree.h"

namespace hs {

DominatorTree dominatorTree(const Adjacency& graph, uint32_t root)
{
    constexpr uint32_t kNone = DominatorTree::kNone;
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    DominatorTree tree;
    tree.idom.assign(n, kNone);
    if (root >= n)
        return tree;

    // Depth-first numbering; from here on, nodes are their numbers.
    std::vector<uint32_t> number(n, kNone);
    std::vector<uint32_t>& vertex = tree.preorder;
    std::vector<uint32_t> parent; // by number
    {
        std::vector<std::pair<uint32_t, uint64_t>> calls{{root, graph.begin(root)}};
        number[root] = 0;
        vertex.push_back(root);
        parent.push_back(kNone);
        while (!calls.empty()) {
            auto& [v, edge] = calls.back();
            if (edge == graph.end(v)) {
                calls.pop_back();
                continue;
            }
            const uint32_t w = graph.target[edge++];
            if (number[w] != kNone)
                continue;
            number[w] = static_cast<uint32_t>(vertex.size());
            parent.push_back(number[v]);
            vertex.push_back(w);
            calls.push_back({w, graph.begin(w)});
        }
    }
    const auto count = static_cast<uint32_t>(vertex.size());
    const Adjacency predecessors = graph.reversed();

    std::vector<uint32_t> semi(count), label(count), ancestor(count, kNone), idom(count, kNone);
    std::vector<uint32_t> bucketHead(count, kNone), bucketNext(count, kNone);
    for (uint32_t i = 0; i < count; ++i)
        semi[i] = label[i] = i;
    std::vector<uint32_t> chain;
    // The node with the smallest semidominator on v's path up the forest, with the path
    // compressed behind it (iteratively: the chain can be as long as the graph).
    const auto eval = [&](uint32_t v) {
        if (ancestor[v] == kNone)
            return v;
        chain.clear();
        for (uint32_t x = v; ancestor[ancestor[x]] != kNone; x = ancestor[x])
            chain.push_back(x);
        for (size_t k = chain.size(); k-- > 0;) {
            const uint32_t x = chain[k];
            const uint32_t a = ancestor[x];
            if (semi[label[a]] < semi[label[x]])
                label[x] = label[a];
            ancestor[x] = ancestor[a];
        }
        return label[v];
    };
    for (uint32_t w = count - 1; w >= 1; --w) {
        const uint32_t node = vertex[w];
        for (uint64_t e = predecessors.begin(node); e < predecessors.end(node); ++e) {
            const uint32_t v = number[predecessors.target[e]];
            if (v == kNone)
                continue; // a predecessor the root does not reach
            const uint32_t u = eval(v);
            if (semi[u] < semi[w])
                semi[w] = semi[u];
        }
        bucketNext[w] = bucketHead[semi[w]];
        bucketHead[semi[w]] = w;
        const uint32_t p = parent[w];
        ancestor[w] = p; // link
        for (uint32_t v = bucketHead[p]; v != kNone; v = bucketNext[v]) {
            const uint32_t u = eval(v);
            idom[v] = semi[u] < semi[v] ? u : p;
        }
        bucketHead[p] = kNone;
    }
    for (uint32_t w = 1; w < count; ++w) {
        if (idom[w] != semi[w])
            idom[w] = idom[idom[w]];
        tree.idom[vertex[w]] = vertex[idom[w]];
    }
    return tree;
}

std::vector<uint64_t> retainedSizes(const DominatorTree& tree, const std::vector<uint64_t>& sizes)
{
    // Children come after their dominator in depth-first order: adding in reverse order sums
    // whole subtrees.
    std::vector<uint64_t> retained = sizes;
    for (size_t k = tree.preorder.size(); k-- > 1;) {
        const uint32_t v = tree.preorder[k];
        retained[tree.idom[v]] += retained[v];
    }
    return retained;
}

} // namespace hs
