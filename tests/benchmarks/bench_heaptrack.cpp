// The heaptrack speed and memory benchmark (issue targets), printed as a table. Not a test: it
// measures heapscope against heaptrack_print (the anchor) and `zstd -dc` (the floor for reading
// the file at all) on the same machine, in the same run.
//
//   bench_heaptrack [--runs N] [--file RECORDING] [--dir DIR]
//
// The recording is made once by tests/benchmarks/make_large_heaptrack.sh (GCC compiling a
// generated template-heavy file under heaptrack: 100+ million allocation calls).

#include "benchprocess.h"

#include <cstring>

namespace {

using namespace bench;

// ours / anchor must stay within `maxRatio` (and the RSS ratio within `maxRss` when > 0).
void row(const char* task, const Measure& ours, const char* anchorName, const Measure& anchor,
         double maxRatio, double maxRss, bool& allMet)
{
    const double ratio = ours.ms / anchor.ms;
    const double rss = double(ours.rssKb) / double(anchor.rssKb);
    const bool met = ratio <= maxRatio && (maxRss <= 0 || rss <= maxRss);
    allMet = allMet && met;
    char target[64];
    if (maxRatio >= 1)
        std::snprintf(target, sizeof target, "<= %.0fx %s", maxRatio, anchorName);
    else
        std::snprintf(target, sizeof target, "<= 1/%.0f %s%s", 1 / maxRatio, anchorName,
                      maxRss > 0 ? ", RSS <=" : "");
    std::printf("%-40s %10.1f %10.1f %8.3f %8.1f %8.1f  %-28s %s\n", task, ours.ms, anchor.ms,
                ratio, ours.rssKb / 1024.0, anchor.rssKb / 1024.0, target, met ? "met" : "MISSED");
}

// The recording's runtime, read from heapscope's own JSON report.
long runtimeMs(const std::string& heapscope, const std::string& store)
{
    FILE* out = ::popen((heapscope + " stats --json --limit 1 '" + store + "'").c_str(), "r");
    std::string text;
    char buf[4096];
    for (size_t n; out && (n = std::fread(buf, 1, sizeof buf, out)) > 0;)
        text.append(buf, n);
    if (out)
        ::pclose(out);
    const size_t at = text.find("\"runtime_ms\":");
    return at == std::string::npos ? 0 : std::atol(text.c_str() + at + 13);
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 3;
    std::string dir = "/tmp/heapscope-bench";
    std::string file;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--runs"))
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--file"))
            file = argv[i + 1];
        else if (!std::strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
    }
    if (file.empty())
        file = dir + "/large.zst";
    ::mkdir(dir.c_str(), 0755);
    if (!exists(file)) {
        std::printf("Recording %s with heaptrack (several minutes)...\n", file.c_str());
        std::fflush(stdout);
        runOnce({"bash", HEAPSCOPE_SOURCE_DIR "/tests/benchmarks/make_large_heaptrack.sh", dir});
    }
    const std::string heapscope = selfDir() + "/heapscope";
    const std::string store = dir + "/large-heaptrack.heapscope";

    std::printf("heapscope heaptrack benchmark: %s\n", file.c_str());
    std::printf("median of %d runs (heaptrack_print: one run), wall ms and peak RSS MiB\n\n", runs);
    std::printf("%-40s %10s %10s %8s %8s %8s  %-28s\n", "task", "heapscope", "anchor", "ratio",
                "RSS hs", "RSS anc", "target");
    bool allMet = true;
    const Measure zstd = measure({"zstd", "-dc", file}, runs);
    const Measure print = measure({"heaptrack_print", file}, 1, false);
    const Measure import = measure({heapscope, "import", file, "-o", store}, runs);
    row("import vs heaptrack_print", import, "heaptrack_print", print, 0.2, 1.0, allMet);
    row("import vs zstd -dc", import, "zstd -dc", zstd, 3.0, 0, allMet);
    row("stats --json on the .heapscope", measure({heapscope, "stats", "--json", store}, runs),
        "heaptrack_print", print, 0.01, 0, allMet);
    const long runtime = runtimeMs(heapscope, store); // the window: its middle third
    const std::string range = std::to_string(runtime / 3) + ":" + std::to_string(2 * runtime / 3);
    row("stats --json --time-range on .heapscope",
        measure({heapscope, "stats", "--json", "--time-range", range, store}, runs),
        "heaptrack_print", print, 0.01, 0, allMet);
    std::printf("\n%s\n", allMet ? "all targets met" : "some targets MISSED");
    return 0;
}
