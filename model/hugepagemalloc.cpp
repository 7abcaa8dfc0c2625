#include "hugepagemalloc.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <gnu/libc-version.h>
#include <string>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HEAPSCOPE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define HEAPSCOPE_SANITIZED 1
#endif
#endif

namespace hs {

namespace {

constexpr const char* kTunable = "glibc.malloc.hugetlb";

bool kernelHasHugePages()
{
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string line;
    std::getline(f, line);
    return line.find("[always]") != std::string::npos ||
           line.find("[madvise]") != std::string::npos;
}

bool glibcHasTunable()
{
    int major = 0, minor = 0;
    return std::sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) == 2 &&
           (major > 2 || (major == 2 && minor >= 35));
}

} // namespace

void useHugePageMalloc(char** argv)
{
#ifdef HEAPSCOPE_SANITIZED
    (void)argv;
#else
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (std::getenv("HEAPSCOPE_NO_HUGEPAGES") || (tunables && std::strstr(tunables, kTunable)) ||
        !kernelHasHugePages() || !glibcHasTunable())
        return;
    std::string value = tunables && *tunables ? std::string(tunables) + ":" : std::string();
    value += kTunable;
    value += "=1";
    if (::setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0)
        return;
    ::execv("/proc/self/exe", argv);
    // Not re-executed: carry on with 4 KiB pages. The variable stays, so nothing loops.
#endif
}

} // namespace hs
