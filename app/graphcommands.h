#pragma once

#include <string>
#include <vector>

namespace hs {

// The object-graph subcommands: objects, cycles, retainers, dot and diff --objects. Each loads
// its input (a recorder file or a .heapscope file), analyses the checkpoint's graph and prints.
class GraphCommands
{
public:
    static int objects(const std::vector<std::string>& args);
    static int cycles(const std::vector<std::string>& args);
    static int retainers(const std::vector<std::string>& args);
    static int dot(const std::vector<std::string>& args);
    static int diffObjects(const std::vector<std::string>& args);
};

} // namespace hs
