// The tracemalloc speed and memory benchmark (issue targets), printed as a table. Not a test:
// it measures heapscope against the anchor, CPython's own tracemalloc, on the same machine and
// in the same run.
//
//   bench_tracemalloc [--runs N] [--python PYTHON] [--dir DIR]
//
// Dumps are made once by tests/benchmarks/make_large_dump.py (>= 1,000,000 traces, traceback
// limit 12, tens of thousands of distinct tracebacks) with PYTHON and kept in DIR.

#include "benchprocess.h"

#include <cstring>

namespace {

using namespace bench;

void row(const char* task, const Measure& ours, const Measure& anchor, double maxTimeRatio,
         double maxRssRatio, bool& allMet)
{
    const double timeRatio = ours.ms / anchor.ms;
    const double rssRatio = double(ours.rssKb) / double(anchor.rssKb);
    const bool met = timeRatio <= maxTimeRatio && (maxRssRatio <= 0 || rssRatio <= maxRssRatio);
    allMet = allMet && met;
    std::printf("%-44s %9.1f %9.1f  1/%-6.1f %7.1f %7.1f  %-22s %s\n", task, ours.ms, anchor.ms,
                anchor.ms / ours.ms, ours.rssKb / 1024.0, anchor.rssKb / 1024.0,
                (std::string("<= 1/") + std::to_string(int(1 / maxTimeRatio + 0.5)) +
                 (maxRssRatio > 0 ? " time, <= 1/2 RSS" : " time"))
                    .c_str(),
                met ? "met" : "MISSED");
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 5;
    std::string python = "python3";
    std::string dir = "/tmp/heapscope-bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--runs"))
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--python"))
            python = argv[i + 1];
        else if (!std::strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
    }
    const std::string heapscope = selfDir() + "/heapscope";
    const std::string oldDump = dir + "/large-old.pickle";
    const std::string newDump = dir + "/large-new.pickle";
    const std::string store = dir + "/large-old.heapscope";
    ::mkdir(dir.c_str(), 0755);
    if (!exists(oldDump) || !exists(newDump)) {
        std::printf("Making the benchmark dumps with %s (about a minute)...\n", python.c_str());
        std::fflush(stdout);
        runOnce({python, HEAPSCOPE_SOURCE_DIR "/tests/benchmarks/make_large_dump.py", oldDump,
                 newDump});
    }
    runOnce({heapscope, "import", oldDump, "-o", store});
    runOnce({heapscope, "import", newDump, "-o", dir + "/large-new.heapscope"});

    const std::string stats = "import sys, tracemalloc\n"
                              "tracemalloc.Snapshot.load(sys.argv[1]).statistics('lineno')\n";
    const std::string compare = "import sys, tracemalloc\n"
                                "old = tracemalloc.Snapshot.load(sys.argv[1])\n"
                                "new = tracemalloc.Snapshot.load(sys.argv[2])\n"
                                "new.compare_to(old, 'lineno')\n";

    std::printf("heapscope tracemalloc benchmark: median of %d runs, wall ms and peak RSS MiB\n",
                runs);
    std::printf("anchor: %s; dumps: %s, %s\n\n", python.c_str(), oldDump.c_str(), newDump.c_str());
    std::printf("%-44s %9s %9s  %-8s %7s %7s  %-22s %s\n", "task", "heapscope", "python", "ratio",
                "RSS hs", "RSS py", "target", "");
    bool allMet = true;
    const Measure pyStats = measure({python, "-c", stats, oldDump}, runs);
    row("stats --by lineno DUMP vs statistics()",
        measure({heapscope, "stats", "--by", "lineno", oldDump}, runs), pyStats, 0.1, 0.5, allMet);
    row("diff --by lineno OLD NEW vs compare_to()",
        measure({heapscope, "diff", "--by", "lineno", oldDump, newDump}, runs),
        measure({python, "-c", compare, oldDump, newDump}, runs), 0.1, 0, allMet);
    row("stats on the reopened .heapscope",
        measure({heapscope, "stats", "--by", "lineno", store}, runs), pyStats, 0.02, 0, allMet);
    std::printf("\n%s\n", allMet ? "all targets met" : "some targets MISSED");
    return 0;
}
