#pragma once

#include "calltree.h"

#include <QString>

namespace hs {

// The words about one frame of a call tree, for tooltips, the status line and the clipboard.
class FlameText
{
public:
    // Function, file:line, module, then the column's exact cost with its share of the whole
    // and of the caller (HTML when `rich`, else plain lines).
    static QString tooltip(const ProfileData& data, const CallTree& tree, int column, uint32_t node,
                           bool rich);
    // "function (file:line) [module]"
    static QString frameLine(const ProfileData& data, uint32_t frame);
    // The node's stack, one frame per line, the node first (the way a debugger prints it).
    static QString stack(const ProfileData& data, const CallTree& tree, uint32_t node);
};

} // namespace hs
