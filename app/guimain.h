#pragma once

#include <string>
#include <vector>

namespace hs {

// The desktop window's entry: `heapscope [FILE...]`.
class GuiMain
{
public:
    // True when a window can be shown: a display, or a Qt platform chosen explicitly.
    static bool hasDisplay();
    static int run(int argc, char** argv, const std::vector<std::string>& files);
};

} // namespace hs
