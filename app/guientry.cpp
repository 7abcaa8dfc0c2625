// heapscope-gui: the window and `export`, started by heapscope (see GuiLauncher).
#include "arguments.h"
#include "commandline.h"
#include "exportcommand.h"
#include "guilauncher.h"
#include "guimain.h"
#include "hserror.h"
#include "signalguard.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

int runExport(const std::vector<std::string>& args)
{
    try {
        return hs::ExportCommand::run(args);
    } catch (const hs::Arguments::UsageError& e) {
        std::fprintf(stderr, "heapscope export: %s (see heapscope --help)\n", e.message.c_str());
        return hs::CommandLine::UsageError;
    } catch (const hs::Error& e) {
        std::fprintf(stderr, "heapscope: %s\n", e.what());
        return hs::CommandLine::InputError;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "heapscope: out of memory\n");
        return hs::CommandLine::InputError;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "heapscope: %s\n", e.what());
        return hs::CommandLine::InputError;
    }
}

// Qt wants a private runtime directory and warns on every start without one (root shells, CI,
// `make run` over ssh); give it the one it would fall back to, quietly.
void ensureRuntimeDir()
{
    if (std::getenv("XDG_RUNTIME_DIR"))
        return;
    const std::string dir = "/tmp/runtime-" + std::to_string(::getuid());
    struct stat st;
    if (::mkdir(dir.c_str(), 0700) == 0 || (::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
                                            st.st_uid == ::getuid() && (st.st_mode & 0777) == 0700))
        ::setenv("XDG_RUNTIME_DIR", dir.c_str(), 0);
}

} // namespace

int main(int argc, char** argv)
{
    hs::SignalGuard::install();
    ensureRuntimeDir();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "export")
        return runExport({args.begin() + 1, args.end()});
    if (!hs::GuiLauncher::hasDisplay()) {
        std::fprintf(stderr, "heapscope-gui: no display (DISPLAY and WAYLAND_DISPLAY are not "
                             "set); run heapscope for the command line\n");
        return hs::CommandLine::UsageError;
    }
    return hs::GuiMain::run(argc, argv, args);
}
