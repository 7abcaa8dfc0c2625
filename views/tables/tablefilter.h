#pragma once

#include "calltree.h"

#include <QString>
#include <vector>

namespace hs {

// Which nodes of a call tree a table shows for a filter text (case-insensitive substring of
// the function, file:line or module): the matches, what leads to them, and what is below them.
std::vector<uint8_t> treeFilter(const ProfileData& data, const CallTree& tree, const QString& text);

} // namespace hs
