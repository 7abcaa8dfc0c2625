#include "guilauncher.h"

#include "commandline.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace hs {

bool GuiLauncher::hasDisplay()
{
    return std::getenv("QT_QPA_PLATFORM") || std::getenv("DISPLAY") ||
           std::getenv("WAYLAND_DISPLAY");
}

int GuiLauncher::exec(char** argv)
{
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        std::fprintf(stderr, "heapscope: cannot find where heapscope runs from: %s\n",
                     std::strerror(errno));
        return CommandLine::InputError;
    }
    std::string path(self, static_cast<size_t>(n));
    path = path.substr(0, path.rfind('/') + 1) + "heapscope-gui";
    argv[0] = path.data();
    ::execv(path.c_str(), argv);
    std::fprintf(stderr, "heapscope: the window and exports need %s, which cannot be run: %s\n",
                 path.c_str(), std::strerror(errno));
    return CommandLine::InputError;
}

} // namespace hs
