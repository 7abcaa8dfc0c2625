// The object-graph benchmark: graphs of 250k to 2M objects recorded by heapscope's recorder
// from a real Python heap, then imported (reading, resolving references, components,
// dominators and retained sizes). Prints, per size, the recorder's write time, heapscope's
// import time and peak RSS, and the analysis's own peak memory per object + reference.
//
//   bench_graph [--sizes 250000,500000,1000000,2000000] [--dir DIR] [--python python3]

#include "benchprocess.h"
#include "graphanalysis.h"
#include "inputloader.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace bench;

namespace {

std::string runCapture(const std::string& command)
{
    std::string text;
    FILE* out = ::popen(command.c_str(), "r");
    char buf[4096];
    for (size_t n; out && (n = std::fread(buf, 1, sizeof buf, out)) > 0;)
        text.append(buf, n);
    if (out)
        ::pclose(out);
    return text;
}

double jsonNumber(const std::string& text, const std::string& key)
{
    const size_t at = text.find("\"" + key + "\":");
    return at == std::string::npos ? -1 : std::atof(text.c_str() + at + key.size() + 3);
}

} // namespace

int main(int argc, char** argv)
{
    std::string dir = "/tmp/heapscope-bench", python = "python3";
    std::vector<long> sizes{250000, 500000, 1000000, 2000000};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
        else if (!std::strcmp(argv[i], "--python"))
            python = argv[i + 1];
        else if (!std::strcmp(argv[i], "--sizes")) {
            sizes.clear();
            std::stringstream list(argv[i + 1]);
            for (std::string item; std::getline(list, item, ',');)
                sizes.push_back(std::atol(item.c_str()));
        }
    }
    ::mkdir(dir.c_str(), 0755);
    const std::string heapscope = selfDir() + "/heapscope";
    std::printf("heapscope object-graph benchmark (%s)\n\n", python.c_str());
    std::printf("%10s %10s %10s %10s %10s %10s %10s %9s %9s %8s\n", "objects", "nodes", "edges",
                "bare ms", "write ms", "import ms", "ratio", "RSS MiB", "analysis", "B/(n+e)");
    bool met = true;
    double previous = 0;
    for (const long n : sizes) {
        const std::string hsr = dir + "/graph-" + std::to_string(n) + ".hsr";
        const std::string store = dir + "/graph-" + std::to_string(n) + ".heapscope";
        const std::string report =
            runCapture("PYTHONPATH=" HEAPSCOPE_SOURCE_DIR "/resources/recorder " + python + " " +
                       HEAPSCOPE_SOURCE_DIR "/tests/benchmarks/make_graph_workload.py " + hsr +
                       " " + std::to_string(n));
        const double writeMs = jsonNumber(report, "write_s") * 1000;
        const double bareMs = jsonNumber(report, "bare_s") * 1000;
        if (writeMs < 0) {
            std::fprintf(stderr, "bench: the recorder failed: %s\n", report.c_str());
            return 1;
        }
        const Measure import = measure({heapscope, "import", hsr, "-o", store}, 3);
        // The analysis alone, in this process: its peak above what the loaded graph holds.
        hs::ProfileData data = hs::InputLoader::load(hsr, {});
        const hs::ObjectGraph* graph = nullptr;
        for (const auto& s : data.snapshots)
            if (!s.graph.empty())
                graph = &s.graph;
        if (!graph) {
            std::fprintf(stderr, "bench: %s holds no graph\n", hsr.c_str());
            return 1;
        }
        std::ofstream("/proc/self/clear_refs") << "5"; // resets the peak RSS
        const long before = statusKb("VmRSS:");
        const auto start = std::chrono::steady_clock::now();
        const hs::GraphAnalysis analysis = hs::analyseGraph(*graph);
        const double analysisMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        const long peak = statusKb("VmHWM:");
        const double items = double(graph->nodeCount() + graph->edges.edgeCount());
        const double perItem = double(peak - before) * 1024 / items;
        const double ratio = import.ms / writeMs;
        std::printf("%10ld %10zu %10zu %10.0f %10.0f %10.0f %10.3f %9.1f %9.0f %8.1f\n", n,
                    graph->nodeCount(), graph->edges.edgeCount(), bareMs, writeMs, import.ms, ratio,
                    import.rssKb / 1024.0, analysisMs, perItem);
        met &= ratio < 1 && perItem < 100;
        if (previous > 0)
            std::printf("%10s doubling: import took %.2fx the time of the half-size graph\n", "",
                        import.ms / previous);
        previous = import.ms;
    }
    std::printf("\ntargets: import + analysis faster than the recorder wrote the graph; analysis "
                "under 100 bytes per object + reference: %s\n",
                met ? "met" : "MISSED");
    return 0;
}
