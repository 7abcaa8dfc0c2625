#pragma once

// Call trees made up in the tests: a shape given by parents and own costs, with the frames and
// strings a ProfileData needs to name them. Parents come before their children.

#include "calltree.h"

#include <random>
#include <string>
#include <vector>

namespace hstest {

struct SyntheticTree
{
    hs::ProfileData data;
    hs::CallTree tree;
};

// `parent[k]` is the parent of node k + 1 (node 0 is the root); `self[k]` node k + 1's own size.
inline SyntheticTree makeTree(const std::vector<uint32_t>& parent, const std::vector<int64_t>& self)
{
    SyntheticTree s;
    const size_t n = parent.size() + 1;
    hs::CallTree& t = s.tree;
    t.kinds = {hs::CostKind::Size, hs::CostKind::Count};
    t.parent.assign(n, hs::kNoIndex);
    t.frame.assign(n, hs::kNoIndex);
    t.depth.assign(n, 0);
    t.total.assign(2, hs::TreeArray<int64_t>(n, 0));
    std::vector<uint32_t> count(n + 1, 0);
    for (size_t v = 1; v < n; ++v) {
        t.parent[v] = parent[v - 1];
        t.depth[v] = uint16_t(t.depth[t.parent[v]] + 1);
        t.total[0][v] = self[v - 1]; // own costs; summed into totals below
        t.total[1][v] = self[v - 1] > 0 ? 1 : 0;
        ++count[t.parent[v] + 1];
        s.data.strings.push_back("f" + std::to_string(v));
        s.data.strings.push_back("mod" + std::to_string(v % 7) + ".py");
        s.data.frames.push_back(
            {uint32_t(2 * (v - 1)), uint32_t(2 * (v - 1) + 1), int64_t(v), hs::kNoIndex});
        t.frame[v] = uint32_t(v - 1);
    }
    t.childStart.assign(n + 1, 0);
    for (size_t v = 0; v < n; ++v)
        t.childStart[v + 1] = t.childStart[v] + count[v + 1];
    t.children.assign(n - 1, 0);
    std::vector<uint32_t> fill(t.childStart.begin(), t.childStart.end() - 1);
    for (size_t v = 1; v < n; ++v)
        t.children[fill[t.parent[v]]++] = uint32_t(v);
    for (size_t c = 0; c < 2; ++c) {
        for (size_t v = n; v-- > 1;)
            t.total[c][t.parent[v]] += t.total[c][v];
    }
    return s;
}

// A tree of `n` nodes shaped like real call trees: a few deep paths and a long tail of
// small leaves, every node with a cost of its own. Deterministic.
inline SyntheticTree randomTree(size_t n, unsigned seed = 7)
{
    std::mt19937 rng(seed);
    std::vector<uint32_t> parent;
    std::vector<int64_t> self;
    parent.reserve(n);
    for (size_t v = 1; v < n; ++v) {
        // Mostly below one of the recent nodes (depth), sometimes anywhere (breadth).
        const uint32_t p =
            rng() % 4 ? uint32_t(v - 1 - rng() % std::min<size_t>(v, 8)) : uint32_t(rng() % v);
        parent.push_back(p);
        self.push_back(int64_t(1 + rng() % 1000));
    }
    return makeTree(parent, self);
}

} // namespace hstest
