#pragma once

namespace hs {

// heapscope's arrays run to hundreds of MiB, and on virtual machines a 4 KiB page fault can
// cost 10 us or more: touching 100 MiB of fresh memory took 300 ms here, against 10 ms with
// transparent huge pages. glibc (2.35+) backs malloc with huge pages when the tunable
// glibc.malloc.hugetlb=1 is set, but reads tunables only at start-up, so this re-executes the
// program once with it added to GLIBC_TUNABLES. It returns (and the program goes on as it is)
// when the tunable is already set, HEAPSCOPE_NO_HUGEPAGES is set, the kernel has huge pages
// off, glibc is older, the build is sanitized, or the re-execution fails. Call it first in
// main(), before any thread starts.
void useHugePageMalloc(char** argv);

} // namespace hs
