#include "commandline.h"
#include "guilauncher.h"
#include "signalguard.h"

#include <cstdio>
#include <string>
#include <vector>

namespace {

int summarise(const std::vector<std::string>& files)
{
    std::fprintf(stderr, "heapscope: no display (DISPLAY and WAYLAND_DISPLAY are not set), so no "
                         "window; printing each file's summary instead (`heapscope export` "
                         "writes the views to files)\n");
    int rc = 0;
    for (const auto& f : files) {
        const int r = hs::CommandLine::run({"stats", f});
        rc = rc ? rc : r;
    }
    return rc;
}

} // namespace

int main(int argc, char** argv)
{
    hs::SignalGuard::install();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "export")
        return hs::GuiLauncher::exec(argv);
    if (!args.empty() && hs::CommandLine::isSubcommand(args.front()))
        return hs::CommandLine::run(args);
    if (!args.empty() && args.front().starts_with('-')) {
        std::fprintf(stderr, "heapscope: unknown option %s (see heapscope --help)\n",
                     args.front().c_str());
        return hs::CommandLine::UsageError;
    }
    if (!hs::GuiLauncher::hasDisplay()) {
        if (args.empty()) {
            std::fputs(hs::CommandLine::usage().c_str(), stderr);
            return hs::CommandLine::UsageError;
        }
        return summarise(args);
    }
    return hs::GuiLauncher::exec(argv);
}
