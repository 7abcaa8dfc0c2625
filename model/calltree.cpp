#include "calltree.h"

#include "flathashmap.h"
#include "seededhash.h"
#include "stackmerge.h"

#include <algorithm>

namespace hs {

const char* costName(CostKind kind)
{
    switch (kind) {
    case CostKind::Size:
        return "size";
    case CostKind::Count:
        return "count";
    case CostKind::Allocations:
        return "allocations";
    case CostKind::Temporary:
        return "temporary";
    case CostKind::Peak:
        return "peak";
    case CostKind::Leaked:
        return "leaked";
    case CostKind::Allocated:
        return "allocated";
    case CostKind::Delta:
        return "delta";
    }
    return "";
}

const char* costTitle(CostKind kind)
{
    switch (kind) {
    case CostKind::Size:
        return "Size";
    case CostKind::Count:
        return "Count";
    case CostKind::Allocations:
        return "Allocations";
    case CostKind::Temporary:
        return "Temporary";
    case CostKind::Peak:
        return "Peak";
    case CostKind::Leaked:
        return "Leaked";
    case CostKind::Allocated:
        return "Allocated";
    case CostKind::Delta:
        return "Consumed";
    }
    return "";
}

bool costIsBytes(CostKind kind)
{
    return kind == CostKind::Size || kind == CostKind::Peak || kind == CostKind::Leaked ||
           kind == CostKind::Allocated || kind == CostKind::Delta;
}

int64_t CallTree::selfCost(size_t column, uint32_t node) const
{
    const TreeArray<int64_t>& t = total[column];
    if (bottomUp && node != 0) // only an allocating frame (the top level) has a cost of its own
        return parent[node] == 0 ? t[node] : 0;
    int64_t self = t[node];
    for (uint32_t k = childStart[node]; k < childStart[node + 1]; ++k)
        self -= t[children[k]];
    return self;
}

int CallTree::column(CostKind kind) const
{
    const auto it = std::find(kinds.begin(), kinds.end(), kind);
    return it == kinds.end() ? -1 : static_cast<int>(it - kinds.begin());
}

std::vector<CostKind> costKinds(const ProfileData& data, uint32_t snapshot, bool windowed)
{
    if (snapshot >= data.snapshots.size())
        return {};
    const SnapshotData& s = data.snapshots[snapshot];
    if (s.heap.empty())
        return {CostKind::Size, CostKind::Count};
    if (windowed)
        return {CostKind::Allocations, CostKind::Temporary, CostKind::Delta, CostKind::Allocated};
    return {CostKind::Peak, CostKind::Leaked, CostKind::Allocations, CostKind::Temporary,
            CostKind::Allocated};
}

namespace {

constexpr uint64_t kRootKey = UINT64_MAX;

// Costs per stack of the call-stack trie (only the stacks that have any).
struct StackCosts
{
    std::vector<uint32_t> stack;
    std::vector<std::vector<int64_t>> value; // by column, then row
    std::vector<uint32_t> rowOf;             // by stack, kNoIndex when it has no cost

    StackCosts(size_t stacks, size_t columns) : value(columns), rowOf(stacks, kNoIndex) {}
    int64_t* row(uint32_t s, int column)
    {
        if (rowOf[s] == kNoIndex) {
            rowOf[s] = static_cast<uint32_t>(stack.size());
            stack.push_back(s);
            for (auto& v : value)
                v.push_back(0);
        }
        return &value[static_cast<size_t>(column)][rowOf[s]];
    }
};

// Calls fn(stack, values) for each cost entry of the snapshot, values[c] being column c's.
template <typename Fn>
void visitCosts(const ProfileData& data, uint32_t snapshot, const std::vector<CostKind>& kinds,
                const CallTreeOptions& options, Fn&& fn)
{
    const auto col = [&](CostKind k) {
        return static_cast<size_t>(std::find(kinds.begin(), kinds.end(), k) - kinds.begin());
    };
    int64_t v[8] = {};
    const auto put = [&](CostKind k, int64_t value) {
        if (const size_t c = col(k); c < kinds.size())
            v[c] = value;
    };
    const SnapshotData& s = data.snapshots[snapshot];
    if (s.heap.empty()) {
        for (const StackCost& cost : s.costs) {
            if (cost.stack >= data.stacks.size())
                continue;
            put(CostKind::Size, static_cast<int64_t>(cost.size));
            put(CostKind::Count, static_cast<int64_t>(cost.count));
            fn(cost.stack, v);
        }
        return;
    }
    if (options.windowed) {
        const HeapWindow w = heapWindow(s.heap, options.fromMs, options.toMs);
        for (const HeapBucketCost& b : s.heap.bucketCosts) {
            if (b.bucket < w.firstBucket || b.bucket >= w.endBucket ||
                b.stack >= data.stacks.size())
                continue;
            put(CostKind::Allocations, static_cast<int64_t>(b.allocations));
            put(CostKind::Temporary, static_cast<int64_t>(b.temporary));
            put(CostKind::Allocated, static_cast<int64_t>(b.allocatedBytes));
            put(CostKind::Delta,
                static_cast<int64_t>(b.allocatedBytes) - static_cast<int64_t>(b.freedBytes));
            fn(b.stack, v);
        }
        return;
    }
    for (const HeapCost& h : s.heap.costs) {
        if (h.stack >= data.stacks.size())
            continue;
        put(CostKind::Peak, static_cast<int64_t>(h.peakBytes));
        put(CostKind::Leaked, static_cast<int64_t>(h.leakedBytes));
        put(CostKind::Allocations, static_cast<int64_t>(h.allocations));
        put(CostKind::Temporary, static_cast<int64_t>(h.temporary));
        put(CostKind::Allocated, static_cast<int64_t>(h.allocatedBytes));
        fn(h.stack, v);
    }
}

StackCosts stackCosts(const ProfileData& data, uint32_t snapshot,
                      const std::vector<CostKind>& kinds, const CallTreeOptions& options)
{
    StackCosts c(data.stacks.size(), kinds.size());
    visitCosts(data, snapshot, kinds, options, [&](uint32_t stack, const int64_t* v) {
        for (size_t k = 0; k < kinds.size(); ++k)
            *c.row(stack, static_cast<int>(k)) += v[k];
    });
    return c;
}

// Grows the tree one (parent, key) child at a time, finding children already made.
class TreeGrower
{
public:
    TreeGrower(CallTree& tree, size_t columns) : m_tree(tree)
    {
        m_tree.parent.push_back(kNoIndex);
        m_tree.frame.push_back(kNoIndex);
        m_tree.depth.push_back(0);
        m_key.push_back(kRootKey);
        m_tree.total.assign(columns, {0});
    }

    uint64_t key(uint32_t node) const { return m_key[node]; }

    uint32_t child(uint32_t parent, uint64_t key, uint32_t frame)
    {
        const auto next = static_cast<uint32_t>(m_key.size());
        const uint64_t hash = seededhash::mix(key * 0x9E3779B97F4A7C15ull ^ parent);
        const uint32_t at = m_index.findOrInsertHashed(hash, next, [&](uint32_t node) {
            return m_tree.parent[node] == parent && m_key[node] == key;
        });
        if (at != next)
            return at;
        m_tree.parent.push_back(parent);
        m_tree.frame.push_back(frame);
        m_tree.depth.push_back(
            static_cast<uint16_t>(std::min<uint32_t>(m_tree.depth[parent] + 1u, UINT16_MAX)));
        m_key.push_back(key);
        for (auto& t : m_tree.total)
            t.push_back(0);
        return next;
    }

private:
    CallTree& m_tree;
    std::vector<uint64_t> m_key;
    FlatHashMap m_index;
};

// Children come after their parents: one backward pass turns own costs into subtree totals.
void sumSubtrees(CallTree& t)
{
    // All columns in one pass: each parent is read once, not once per column.
    int64_t* column[8];
    const size_t columns = std::min<size_t>(t.total.size(), 8);
    for (size_t c = 0; c < columns; ++c)
        column[c] = t.total[c].data();
    for (size_t v = t.nodeCount(); v-- > 1;) {
        const uint32_t p = t.parent[v];
        for (size_t c = 0; c < columns; ++c)
            column[c][p] += column[c][v];
    }
    for (size_t c = columns; c < t.total.size(); ++c) // never more than 8 today
        for (size_t v = t.nodeCount(); v-- > 1;)
            t.total[c][t.parent[v]] += t.total[c][v];
}

void linkChildren(CallTree& t)
{
    const auto n = static_cast<uint32_t>(t.nodeCount());
    t.childStart.assign(n + 1, 0);
    for (uint32_t v = 1; v < n; ++v)
        ++t.childStart[t.parent[v] + 1];
    for (uint32_t v = 0; v < n; ++v)
        t.childStart[v + 1] += t.childStart[v];
    t.children.resize(n > 0 ? n - 1 : 0);
    std::vector<uint32_t> next(t.childStart.begin(), t.childStart.end() - 1);
    for (uint32_t v = 1; v < n; ++v)
        t.children[next[t.parent[v]]++] = v;
}

// Top-down without collapsing: the stacks' merged nodes are known, so the tree is the merged
// nodes that carry a cost (and their callers), summed in linear passes without hashing.
void growMerged(const ProfileData& data, uint32_t snapshot, const CallTreeOptions& options,
                const std::vector<uint32_t>& merged, const std::vector<uint32_t>& mparent,
                const std::vector<uint32_t>& mframe, CallTree& tree)
{
    const size_t columns = tree.kinds.size();
    // 0: not in the tree; else the node it becomes (merged nodes keep their order, so
    // parents still precede their children).
    HugeVector<uint32_t> nodeOf(mparent.size(), 0);
    visitCosts(data, snapshot, tree.kinds, options,
               [&](uint32_t stack, const int64_t*) { nodeOf[merged[stack]] = 1; });
    size_t used = 0;
    for (size_t m = mparent.size(); m-- > 0;) {
        if (!nodeOf[m])
            continue;
        ++used;
        if (mparent[m] != kNoIndex)
            nodeOf[mparent[m]] = 1;
    }
    tree.parent.reserve(used + 1);
    tree.frame.reserve(used + 1);
    tree.depth.reserve(used + 1);
    tree.parent.assign(1, kNoIndex);
    tree.frame.assign(1, kNoIndex);
    tree.depth.assign(1, 0);
    for (size_t m = 0; m < mparent.size(); ++m) {
        if (!nodeOf[m])
            continue;
        nodeOf[m] = static_cast<uint32_t>(tree.parent.size());
        const uint32_t p = mparent[m] == kNoIndex ? 0 : nodeOf[mparent[m]];
        tree.parent.push_back(p);
        tree.frame.push_back(mframe[m]);
        tree.depth.push_back(
            static_cast<uint16_t>(std::min<uint32_t>(tree.depth[p] + 1u, UINT16_MAX)));
    }
    tree.total.assign(columns, TreeArray<int64_t>(tree.parent.size(), 0));
    visitCosts(data, snapshot, tree.kinds, options, [&](uint32_t stack, const int64_t* v) {
        const uint32_t node = nodeOf[merged[stack]];
        for (size_t c = 0; c < columns; ++c)
            tree.total[c][node] += v[c];
    });
}

} // namespace

uint32_t CallTree::row(uint32_t n) const
{
    if (n == 0 || n >= nodeCount())
        return 0;
    const auto first = children.begin() + childStart[parent[n]];
    const auto last = children.begin() + childStart[parent[n] + 1];
    return static_cast<uint32_t>(std::lower_bound(first, last, n) - first);
}

MergedTree mergedTree(const ProfileData& data)
{
    MergedTree m;
    if (!mergedNodes(data, data.mergedStacks, m.parent, m.frame).empty()) {
        m.recomputed = mergeStacks(data); // not imported with them, or damaged
        mergedNodes(data, m.recomputed, m.parent, m.frame);
    }
    return m;
}

CallTree buildCallTree(const ProfileData& data, uint32_t snapshot, const CallTreeOptions& options,
                       const MergedTree* merged)
{
    CallTree tree;
    tree.bottomUp = options.bottomUp;
    if (snapshot >= data.snapshots.size())
        return tree;
    const bool windowed = options.windowed && !data.snapshots[snapshot].heap.empty();
    tree.kinds = costKinds(data, snapshot, windowed);
    const size_t columns = tree.kinds.size();
    CallTreeOptions o = options;
    o.windowed = windowed;
    if (!options.bottomUp && !options.collapseRecursion) {
        MergedTree own;
        if (!merged) {
            own = mergedTree(data);
            merged = &own;
        }
        growMerged(data, snapshot, o, merged->ofStack(data), merged->parent, merged->frame, tree);
        // Children come after their parents: one backward pass sums whole subtrees.
        sumSubtrees(tree);
        linkChildren(tree);
        return tree;
    }
    StackCosts costs = stackCosts(data, snapshot, tree.kinds, o);
    TreeGrower grow(tree, columns);
    const auto addSelf = [&](uint32_t node, uint32_t row) {
        for (size_t c = 0; c < columns; ++c)
            tree.total[c][node] += costs.value[c][row];
    };

    if (!options.bottomUp) {
        // Only stacks with a cost of their own or below them take part.
        std::vector<uint8_t> used(data.stacks.size(), 0);
        for (const uint32_t s : costs.stack)
            used[s] = 1;
        for (size_t s = data.stacks.size(); s-- > 0;)
            if (used[s] && data.stacks[s].parent != kNoIndex)
                used[data.stacks[s].parent] = 1;
        std::vector<uint32_t> nodeOf(data.stacks.size(), 0);
        for (uint32_t s = 0; s < data.stacks.size(); ++s) {
            if (!used[s])
                continue;
            const StackNode& sn = data.stacks[s];
            const uint32_t parent = sn.parent == kNoIndex ? 0 : nodeOf[sn.parent];
            const uint64_t key = frameMergeKey(data, sn.frame);
            nodeOf[s] = options.collapseRecursion && grow.key(parent) == key
                            ? parent
                            : grow.child(parent, key, sn.frame);
        }
        for (size_t r = 0; r < costs.stack.size(); ++r)
            addSelf(nodeOf[costs.stack[r]], static_cast<uint32_t>(r));
        sumSubtrees(tree);
    } else {
        // Each stack's own cost goes up from its allocating frame through its callers.
        for (size_t r = 0; r < costs.stack.size(); ++r) {
            uint32_t node = 0;
            for (uint32_t s = costs.stack[r]; s != kNoIndex; s = data.stacks[s].parent) {
                const uint32_t frame = data.stacks[s].frame;
                const uint64_t key = frameMergeKey(data, frame);
                if (options.collapseRecursion && grow.key(node) == key)
                    continue;
                node = grow.child(node, key, frame);
                for (size_t c = 0; c < columns; ++c)
                    tree.total[c][node] += costs.value[c][r];
            }
            for (size_t c = 0; c < columns; ++c)
                tree.total[c][0] += costs.value[c][r];
        }
    }
    linkChildren(tree);
    return tree;
}

uint64_t frameMergeKey(const ProfileData& data, uint32_t frame)
{
    if (frame >= data.frames.size())
        return kRootKey;
    const Frame& f = data.frames[frame];
    if (f.function != kNoIndex)
        return uint64_t(f.function) << 32 | f.module;
    return uint64_t(1) << 63 | frame;
}

std::string frameLabel(const ProfileData& data, uint32_t frame)
{
    if (frame >= data.frames.size())
        return "(all)";
    const Frame& f = data.frames[frame];
    if (f.function != kNoIndex)
        return data.strings[f.function];
    if (f.file != kNoIndex)
        return data.strings[f.file] + ":" + std::to_string(f.line);
    return "??";
}

std::string frameLocation(const ProfileData& data, uint32_t frame)
{
    if (frame >= data.frames.size())
        return {};
    const Frame& f = data.frames[frame];
    if (f.file == kNoIndex)
        return {};
    return data.strings[f.file] + (f.line > 0 ? ":" + std::to_string(f.line) : std::string());
}

std::string frameModule(const ProfileData& data, uint32_t frame)
{
    if (frame >= data.frames.size())
        return {};
    const Frame& f = data.frames[frame];
    return f.module == kNoIndex ? std::string() : data.strings[f.module];
}

} // namespace hs
