#include "signalguard.h"

#include "commandline.h"
#include "inputfile.h"
#include "storewriter.h"

#include <csignal>
#include <cstring>
#include <unistd.h>

namespace hs {

namespace {

void dropTempFile()
{
    const char* temp = StoreWriter::activeTempFile();
    if (temp[0] != '\0')
        ::unlink(temp);
}

extern "C" void onSignal(int)
{
    dropTempFile();
    ::_exit(CommandLine::Interrupted);
}

extern "C" void onBusError(int)
{
    dropTempFile();
    const char* path = InputFile::lastMappedPath();
    const char prefix[] = "heapscope: ";
    const char suffix[] = ": the file changed while it was being read\n";
    [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, prefix, sizeof prefix - 1);
    ignored = ::write(STDERR_FILENO, path, std::strlen(path));
    ignored = ::write(STDERR_FILENO, suffix, sizeof suffix - 1);
    ::_exit(CommandLine::InputError);
}

} // namespace

void SignalGuard::install()
{
    std::signal(SIGBUS, onBusError);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGHUP, onSignal);
}

} // namespace hs
