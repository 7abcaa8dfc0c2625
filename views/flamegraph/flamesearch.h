#pragma once

#include "calltree.h"

#include <QRegularExpression>
#include <cstdint>
#include <vector>

namespace hs {

// Which frames of a call tree a regular expression matches (on the function, or file:line,
// and the module), and the share of the cost that passes through a match: a matching frame
// below another match is not counted twice.
struct FlameSearchResult
{
    std::vector<uint8_t> matches; // by node; empty for no search
    size_t matchCount = 0;
    std::vector<int64_t> cost; // by column: what passes through a match
};

FlameSearchResult searchFlame(const ProfileData& data, const CallTree& tree,
                              const QRegularExpression& pattern);

} // namespace hs
