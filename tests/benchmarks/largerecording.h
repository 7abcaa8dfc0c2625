#pragma once

// The large heaptrack recording the flame-graph and window benchmarks share: recorded once by
// make_large_heaptrack.sh, imported once into a .heapscope kept beside it, and heaptrack_print
// (the anchor) run once on the original.

#include "benchprocess.h"
#include "store.h"

#include <cstdio>
#include <string>

namespace bench {

struct LargeRecording
{
    std::string file;  // the heaptrack recording
    std::string store; // its .heapscope
    std::string skip;  // why the recording cannot be measured; empty when it can
    Sample print;      // heaptrack_print on file
};

// DIR/large.zst unless FILE is given; records it when missing and it is the default one.
inline LargeRecording prepareLargeRecording(const std::string& dir, std::string file,
                                            const std::string& heapscope)
{
    LargeRecording r;
    const bool defaultFile = file.empty();
    r.file = defaultFile ? dir + "/large.zst" : file;
    r.store = dir + "/large-heaptrack.heapscope";
    if (!onPath("heaptrack_print"))
        r.skip = "heaptrack_print is not installed";
    else if (!exists(heapscope))
        r.skip = heapscope + " is not built";
    if (r.skip.empty() && !exists(r.file)) {
        if (defaultFile && onPath("heaptrack") && onPath("g++") && onPath("zstd") &&
            onPath("python3")) {
            std::printf("Recording %s with heaptrack (several minutes)...\n", r.file.c_str());
            Sample ignored;
            tryRun({"bash", HEAPSCOPE_SOURCE_DIR "/tests/benchmarks/make_large_heaptrack.sh", dir},
                   ignored);
        }
        if (!exists(r.file))
            r.skip =
                "no recording " + r.file + " (tests/benchmarks/make_large_heaptrack.sh makes it)";
    }
    // A store of an older schema still opens, but would not measure what heapscope writes now.
    if (r.skip.empty() && (!hs::Store::isHeapscopeFile(r.store) || olderThan(r.store, r.file) ||
                           olderThan(r.store, heapscope))) {
        std::printf("Importing %s into %s...\n", r.file.c_str(), r.store.c_str());
        Sample ignored;
        if (!tryRun({heapscope, "import", r.file, "-o", r.store}, ignored) ||
            !hs::Store::isHeapscopeFile(r.store))
            r.skip = "heapscope import " + r.file + " failed";
    }
    if (r.skip.empty()) {
        std::printf("Running heaptrack_print %s once...\n", r.file.c_str());
        if (!tryRun({"heaptrack_print", r.file}, r.print) || r.print.ms <= 0)
            r.skip = "heaptrack_print " + r.file + " failed";
        else
            std::printf("heaptrack_print: %.0f ms, peak RSS %.1f MiB\n\n", r.print.ms,
                        r.print.rssKb / 1024.0);
    }
    return r;
}

} // namespace bench
