#include "arguments.h"
#include "commandline.h"
#include "exportcommand.h"
#include "guimain.h"
#include "hserror.h"
#include "inputfile.h"
#include "storewriter.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

// An interrupted import must leave nothing behind: drop the half-written temporary file.
extern "C" void onSignal(int)
{
    const char* temp = hs::StoreWriter::activeTempFile();
    if (temp[0] != '\0')
        ::unlink(temp);
    ::_exit(hs::CommandLine::Interrupted);
}

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

// A mapped input that shrinks under us (rewritten by another program) raises SIGBUS on the
// lost pages: say so and stop cleanly instead of crashing.
extern "C" void onBusError(int)
{
    const char* temp = hs::StoreWriter::activeTempFile();
    if (temp[0] != '\0')
        ::unlink(temp);
    const char* path = hs::InputFile::lastMappedPath();
    const char prefix[] = "heapscope: ";
    const char suffix[] = ": the file changed while it was being read\n";
    [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, prefix, sizeof prefix - 1);
    ignored = ::write(STDERR_FILENO, path, std::strlen(path));
    ignored = ::write(STDERR_FILENO, suffix, sizeof suffix - 1);
    ::_exit(hs::CommandLine::InputError);
}

} // namespace

int main(int argc, char** argv)
{
    std::signal(SIGBUS, onBusError);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGHUP, onSignal);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "export")
        return runExport({args.begin() + 1, args.end()});
    if (!args.empty() && hs::CommandLine::isSubcommand(args.front()))
        return hs::CommandLine::run(args);
    if (!args.empty() && args.front().starts_with('-')) {
        std::fprintf(stderr, "heapscope: unknown option %s (see heapscope --help)\n",
                     args.front().c_str());
        return hs::CommandLine::UsageError;
    }
    if (!hs::GuiMain::hasDisplay()) {
        if (args.empty()) {
            std::fputs(hs::CommandLine::usage().c_str(), stderr);
            return hs::CommandLine::UsageError;
        }
        return summarise(args);
    }
    return hs::GuiMain::run(argc, argv, args);
}
