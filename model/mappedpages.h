#pragma once

#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace hs {

// Gives back the whole pages of [from, to) of a read-only file mapping: they leave the process's
// memory and are read again from the page cache if ever touched. Never for anonymous memory,
// which this would zero.
inline void releaseMappedPages(const char* from, const char* to)
{
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const uintptr_t first = (reinterpret_cast<uintptr_t>(from) + page - 1) / page * page;
    const uintptr_t end = reinterpret_cast<uintptr_t>(to) / page * page;
    if (end > first)
        ::madvise(reinterpret_cast<void*>(first), end - first, MADV_DONTNEED);
}

} // namespace hs
