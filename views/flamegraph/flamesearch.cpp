#include "flamesearch.h"

#include <unordered_map>

namespace hs {

FlameSearchResult searchFlame(const ProfileData& data, const CallTree& tree,
                              const QRegularExpression& pattern)
{
    FlameSearchResult r;
    r.cost.assign(tree.kinds.size(), 0);
    if (!pattern.isValid() || pattern.pattern().isEmpty() || tree.nodeCount() == 0)
        return r;
    const size_t n = tree.nodeCount();
    r.matches.assign(n, 0);
    // Many nodes share a frame: match each frame once.
    std::unordered_map<uint32_t, uint8_t> byFrame;
    std::vector<uint8_t> under(n, 0); // a proper ancestor matched
    for (size_t v = 1; v < n; ++v) {
        const uint32_t frame = tree.frame[v];
        auto it = byFrame.find(frame);
        if (it == byFrame.end()) {
            // Each part on its own, so that anchors (^, $) mean what people expect.
            const auto matches = [&](const std::string& part) {
                return !part.empty() && pattern.match(QString::fromStdString(part)).hasMatch();
            };
            const bool hit = matches(frameLabel(data, frame)) ||
                             matches(frameLocation(data, frame)) ||
                             matches(frameModule(data, frame));
            it = byFrame.emplace(frame, hit ? 1 : 0).first;
        }
        r.matches[v] = it->second;
        const uint32_t p = tree.parent[v];
        under[v] = under[p] || r.matches[p];
        if (r.matches[v]) {
            ++r.matchCount;
            if (!under[v])
                for (size_t c = 0; c < tree.kinds.size(); ++c)
                    r.cost[c] += tree.total[c][v];
        }
    }
    return r;
}

} // namespace hs
