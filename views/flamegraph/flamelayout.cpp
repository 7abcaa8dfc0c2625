#include "flamelayout.h"

#include <algorithm>

namespace hs {

std::vector<uint32_t> flameOrder(const CallTree& tree, int column)
{
    std::vector<uint32_t> order(tree.children.begin(), tree.children.end());
    if (column < 0 || static_cast<size_t>(column) >= tree.total.size())
        return order;
    const auto& cost = tree.total[static_cast<size_t>(column)];
    for (size_t v = 0; v + 1 < tree.childStart.size(); ++v) {
        const auto first = order.begin() + tree.childStart[v];
        const auto last = order.begin() + tree.childStart[v + 1];
        if (last - first > 1)
            std::sort(first, last, [&](uint32_t a, uint32_t b) {
                return cost[a] != cost[b] ? cost[a] > cost[b] : a < b;
            });
    }
    return order;
}

FlameLayout layoutFlame(const CallTree& tree, const std::vector<uint32_t>& order,
                        const FlameLayoutOptions& o)
{
    FlameLayout out;
    if (tree.nodeCount() == 0 || o.column < 0 ||
        static_cast<size_t>(o.column) >= tree.total.size() || order.size() != tree.children.size())
        return out;
    const auto& cost = tree.total[static_cast<size_t>(o.column)];
    const uint32_t zoom = o.zoomNode < tree.nodeCount() ? o.zoomNode : 0;
    out.zoomTotal = cost[zoom];
    // The zoomed frame and its ancestors span the width.
    std::vector<uint32_t> chain;
    for (uint32_t v = zoom; v != kNoIndex; v = tree.parent[v])
        chain.push_back(v);
    for (size_t k = chain.size(); k-- > 0;)
        out.boxes.push_back({chain[k], tree.depth[chain[k]], 0, o.width, 0});
    if (out.zoomTotal <= 0)
        return out;
    const double scale = o.width / double(out.zoomTotal);
    const double hidden = o.threshold * o.width;

    // Breadth first: each row's boxes come out left to right.
    struct Item
    {
        uint32_t node;
        double x;
    };
    std::vector<Item> queue{{zoom, 0}};
    for (size_t q = 0; q < queue.size(); ++q) {
        const auto [v, x0] = queue[q];
        double x = x0;
        FlameBox merged;
        const auto flush = [&] {
            if (merged.mergedCount > 0 && merged.width >= o.minWidth && merged.width >= hidden)
                out.boxes.push_back(merged);
            merged = {};
        };
        for (uint32_t k = tree.childStart[v]; k < tree.childStart[v + 1]; ++k) {
            const uint32_t c = order[k];
            const double w = double(std::max<int64_t>(cost[c], 0)) * scale;
            if (w <= 0)
                break; // sorted by cost: only empty frames follow
            if (w >= o.minWidth && w >= hidden) {
                flush();
                out.boxes.push_back({c, tree.depth[c], x, w, 0});
                queue.push_back({c, x});
            } else {
                if (merged.mergedCount == 0) {
                    merged.row = tree.depth[c];
                    merged.x = x;
                }
                merged.width += w;
                ++merged.mergedCount;
            }
            x += w;
        }
        flush();
    }
    std::stable_sort(out.boxes.begin() + static_cast<long>(chain.size()), out.boxes.end(),
                     [](const FlameBox& a, const FlameBox& b) {
                         return a.row != b.row ? a.row < b.row : a.x < b.x;
                     });
    for (const FlameBox& b : out.boxes)
        out.rows = std::max(out.rows, b.row + 1);
    return out;
}

size_t flameBoxAt(const FlameLayout& layout, double x, uint32_t row)
{
    const auto& b = layout.boxes;
    auto it = std::lower_bound(b.begin(), b.end(), row,
                               [](const FlameBox& box, uint32_t r) { return box.row < r; });
    // Rows are sorted; within a row boxes do not overlap and go left to right.
    auto end = std::upper_bound(it, b.end(), row,
                                [](uint32_t r, const FlameBox& box) { return r < box.row; });
    auto hit =
        std::upper_bound(it, end, x, [](double px, const FlameBox& box) { return px < box.x; });
    if (hit == it)
        return SIZE_MAX;
    --hit;
    return x < hit->x + hit->width ? static_cast<size_t>(hit - b.begin()) : SIZE_MAX;
}

} // namespace hs
