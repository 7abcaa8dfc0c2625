#include "graphcommands.h"

#include "arguments.h"
#include "clioutput.h"
#include "graphdot.h"
#include "graphreport.h"
#include "hserror.h"
#include "inputloader.h"

#include <algorithm>
#include <fstream>
#include <map>

namespace hs {

namespace {

// One checkpoint's graph with its analysis, loaded from a recorder file or a .heapscope file.
struct LoadedGraph
{
    ProfileData data;
    uint32_t snapshot = 0;
    GraphAnalysis analysis;
    ReportSource source() const
    {
        return {path, InputLoader::formatName(InputLoader::detectFile(path)), &data, snapshot};
    }
    const ObjectGraph& graph() const { return data.snapshots[snapshot].graph; }
    std::string path;
};

// --snapshot N, or the last snapshot that holds a graph.
LoadedGraph load(const std::string& path, const Arguments& a, const std::string& option,
                 size_t fromEnd = 0)
{
    LoadedGraph l;
    l.path = path;
    l.data = InputLoader::load(path, {});
    if (!a.has("--json"))
        warnAbout(l.data);
    std::vector<uint32_t> withGraph;
    for (uint32_t s = 0; s < l.data.snapshots.size(); ++s)
        if (!l.data.snapshots[s].graph.empty())
            withGraph.push_back(s);
    if (a.has(option)) {
        const size_t n = a.number(option, 0);
        if (n >= l.data.snapshots.size() || l.data.snapshots[n].graph.empty())
            throw Error(path + ": snapshot " + std::to_string(n) + " holds no object graph");
        l.snapshot = static_cast<uint32_t>(n);
    } else {
        if (withGraph.size() <= fromEnd)
            throw Error(path + (withGraph.empty()
                                    ? ": holds no object graph (record one with "
                                      "hr.checkpoint(..., graph=True) or --graph-at-exit)"
                                    : ": holds only one object graph"));
        l.snapshot = withGraph[withGraph.size() - 1 - fromEnd];
    }
    // A .heapscope file carries the analysis; a recorder file was analysed as it was read.
    GraphAnalysis& cached = l.data.snapshots[l.snapshot].analysis;
    l.analysis = cached.empty() ? analyseGraph(l.graph()) : std::move(cached);
    return l;
}

uint64_t parseId(const std::string& text)
{
    // Python prints id() in decimal; hexadecimal (0x...) as heapscope prints it works too.
    try {
        size_t used = 0;
        const uint64_t v = text.starts_with("0x") ? std::stoull(text.substr(2), &used, 16) + 0
                                                  : std::stoull(text, &used, 10);
        if (used == (text.starts_with("0x") ? text.size() - 2 : text.size()))
            return v;
    } catch (const std::exception&) {
    }
    throw Arguments::UsageError{"an object id is a number, as Python's id() prints it"};
}

uint32_t nodeOf(const LoadedGraph& l, const std::string& idText)
{
    const uint32_t node = nodeByAddress(l.graph(), parseId(idText));
    if (node == UINT32_MAX)
        throw Error(l.path + ": no object with id " + idText + " in checkpoint '" +
                    l.data.snapshots[l.snapshot].info.label + "'");
    return node;
}

} // namespace

int GraphCommands::objects(const std::vector<std::string>& args)
{
    const Arguments a(args, {"--json", "--all"}, {"--by", "--sort", "--limit", "--snapshot"});
    if (a.positional().size() != 1)
        throw Arguments::UsageError{"objects needs exactly one input file"};
    if (a.value("--by", "type") != "type")
        throw Arguments::UsageError{"--by takes type"};
    const std::string sortName = a.value("--sort", "count");
    CensusSort sort;
    if (sortName == "count")
        sort = CensusSort::Count;
    else if (sortName == "size")
        sort = CensusSort::Size;
    else if (sortName == "retained")
        sort = CensusSort::Retained;
    else
        throw Arguments::UsageError{"--sort takes count, size or retained"};
    const size_t limit = a.number("--limit", 20);
    const LoadedGraph l = load(a.positional().front(), a, "--snapshot");
    const auto rows = typeCensus(l.graph(), l.analysis, !a.has("--all"), sort, l.data.strings);
    writeOut(a.has("--json") ? GraphReport::objectsJson(l.source(), rows, limit)
                             : GraphReport::objectsText(l.source(), rows, limit));
    return 0;
}

int GraphCommands::cycles(const std::vector<std::string>& args)
{
    const Arguments a(args, {"--json", "--garbage-only"}, {"--limit", "--snapshot"});
    if (a.positional().size() != 1)
        throw Arguments::UsageError{"cycles needs exactly one input file"};
    const size_t limit = a.number("--limit", 20);
    const LoadedGraph l = load(a.positional().front(), a, "--snapshot");
    auto cycles = graphCycles(l.graph(), l.analysis);
    if (a.has("--garbage-only"))
        std::erase_if(cycles, [](const GraphCycle& c) { return !c.garbage; });
    writeOut(a.has("--json") ? GraphReport::cyclesJson(l.source(), cycles, limit)
                             : GraphReport::cyclesText(l.source(), cycles, limit));
    return 0;
}

int GraphCommands::retainers(const std::vector<std::string>& args)
{
    const Arguments a(args, {"--json"}, {"--snapshot"});
    if (a.positional().size() != 2)
        throw Arguments::UsageError{"retainers needs INPUT and OBJECT_ID"};
    const LoadedGraph l = load(a.positional().front(), a, "--snapshot");
    const uint32_t node = nodeOf(l, a.positional()[1]);
    const auto path = retainingPath(l.graph(), l.analysis, node);
    const bool garbage = l.analysis.garbage[node] != 0;
    writeOut(a.has("--json") ? GraphReport::pathJson(l.source(), path, garbage)
                             : GraphReport::pathText(l.source(), path, garbage));
    return 0;
}

int GraphCommands::dot(const std::vector<std::string>& args)
{
    const Arguments a(args, {}, {"--cycle", "--object", "--depth", "--snapshot", "-o", "--output"});
    if (a.positional().size() != 1)
        throw Arguments::UsageError{"dot needs exactly one input file"};
    if (a.has("--cycle") == a.has("--object"))
        throw Arguments::UsageError{"dot takes either --cycle N or --object ID"};
    const LoadedGraph l = load(a.positional().front(), a, "--snapshot");
    std::vector<uint32_t> nodes;
    std::string title;
    if (a.has("--cycle")) {
        const auto cycles = graphCycles(l.graph(), l.analysis);
        const size_t n = a.number("--cycle", 1);
        if (n == 0 || n > cycles.size())
            throw Error(l.path + ": there is no cycle " + std::to_string(n) + " (it has " +
                        std::to_string(cycles.size()) +
                        ", numbered from 1 as `cycles` lists them)");
        nodes = cycles[n - 1].members;
        title = "cycle " + std::to_string(n) + " of " + l.path;
    } else {
        const uint32_t node = nodeOf(l, a.value("--object"));
        const auto depth = static_cast<uint32_t>(std::min<size_t>(a.number("--depth", 3), 1000));
        nodes = referrerNeighbourhood(l.graph(), node, depth);
        title = "what refers to " + a.value("--object") + " (" + std::to_string(depth) +
                " levels) in " + l.path;
    }
    const std::string text = graphDot(l.graph(), l.data.strings, nodes, title);
    const std::string out = a.value("-o", a.value("--output"));
    if (out.empty()) {
        writeOut(text);
        return 0;
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.flush())
        throw OutputFailure{out + ": cannot be written"};
    return 0;
}

int GraphCommands::diffObjects(const std::vector<std::string>& args)
{
    const Arguments a(args, {"--json", "--objects"},
                      {"--old-snapshot", "--new-snapshot", "--limit"});
    const auto& files = a.positional();
    if (files.empty() || files.size() > 2)
        throw Arguments::UsageError{"diff --objects needs OLD and NEW (or one file with two "
                                    "graphs)"};
    const size_t limit = a.number("--limit", 20);
    const bool one = files.size() == 1;
    const LoadedGraph older = load(files.front(), a, "--old-snapshot", one ? 1 : 0);
    const LoadedGraph newer = load(files.back(), a, "--new-snapshot", 0);
    // Types by name: the two files number their strings differently.
    std::map<std::string, GraphReport::Growth> byName;
    const auto count = [&](const LoadedGraph& l, bool after) {
        const ObjectGraph& g = l.graph();
        for (size_t v = 0; v < g.nodeCount(); ++v) {
            if (!(g.flags[v] & ObjectGraph::Tracked))
                continue;
            GraphReport::Growth& row = byName[l.data.strings[g.type[v]]];
            (after ? row.after : row.before) += 1;
            if (after)
                row.type = g.type[v];
        }
    };
    count(older, false);
    count(newer, true);
    std::vector<GraphReport::Growth> rows;
    std::vector<std::string> names;
    for (auto& [name, row] : byName)
        if (row.after > row.before) {
            rows.push_back(row);
            names.push_back(name);
        }
    // objgraph's show_growth order: the largest increase first, then by name.
    std::vector<size_t> order(rows.size());
    for (size_t k = 0; k < order.size(); ++k)
        order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        return rows[x].after - rows[x].before > rows[y].after - rows[y].before;
    });
    std::vector<GraphReport::Growth> sorted;
    for (const size_t k : order)
        sorted.push_back(rows[k]);
    writeOut(a.has("--json")
                 ? GraphReport::growthJson(older.source(), newer.source(), sorted, limit)
                 : GraphReport::growthText(older.source(), newer.source(), sorted, limit));
    return 0;
}

} // namespace hs
