#include "tablefilter.h"

#include <unordered_map>

namespace hs {

std::vector<uint8_t> treeFilter(const ProfileData& data, const CallTree& tree, const QString& text)
{
    const size_t n = tree.nodeCount();
    std::vector<uint8_t> match(n, 0), keep(n, 0);
    std::unordered_map<uint32_t, uint8_t> byFrame;
    for (size_t v = 1; v < n; ++v) {
        const uint32_t frame = tree.frame[v];
        auto it = byFrame.find(frame);
        if (it == byFrame.end()) {
            const QString s =
                QString::fromStdString(frameLabel(data, frame) + ' ' + frameLocation(data, frame) +
                                       ' ' + frameModule(data, frame));
            it = byFrame.emplace(frame, s.contains(text, Qt::CaseInsensitive) ? 1 : 0).first;
        }
        // Below a match: shown (parents come before their children).
        match[v] = it->second || match[tree.parent[v]];
    }
    for (size_t v = n; v-- > 1;)
        if (match[v] || keep[v]) {
            keep[v] = 1;
            keep[tree.parent[v]] = 1; // what leads to a match
        }
    keep[0] = 1;
    return keep;
}

} // namespace hs
