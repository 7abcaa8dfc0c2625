#pragma once

#include <string>
#include <vector>

namespace hs {

// The desktop window's entry: `heapscope [FILE...]`.
class GuiMain
{
public:
    static int run(int argc, char** argv, const std::vector<std::string>& files);
};

} // namespace hs
