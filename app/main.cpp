#include "commandline.h"
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
    // The desktop window arrives with the GUI; until then a file argument prints its summary.
    std::fprintf(stderr, "heapscope: this build has no desktop window yet; printing each file's "
                         "summary (heapscope --help lists the commands)\n");
    int rc = 0;
    for (const auto& f : files) {
        const int r = hs::CommandLine::run({"stats", f});
        rc = rc ? rc : r;
    }
    return rc;
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
    if (args.empty()) {
        std::fputs(hs::CommandLine::usage().c_str(), stderr);
        return hs::CommandLine::UsageError;
    }
    if (hs::CommandLine::isSubcommand(args.front()))
        return hs::CommandLine::run(args);
    if (args.front().starts_with('-')) {
        std::fprintf(stderr, "heapscope: unknown option %s (see heapscope --help)\n",
                     args.front().c_str());
        return hs::CommandLine::UsageError;
    }
    return summarise(args);
}
