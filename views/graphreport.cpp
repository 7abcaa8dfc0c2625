#include "graphreport.h"

#include "jsonwriter.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace hs {

namespace {

const ObjectGraph& graphOf(const ReportSource& s)
{
    return s.data->snapshots[s.snapshot].graph;
}

std::string str(const ReportSource& s, uint32_t index)
{
    return index < s.data->strings.size() ? s.data->strings[index] : std::string();
}

void writeSnapshot(JsonWriter& w, const ReportSource& s)
{
    const SnapshotData& snap = s.data->snapshots[s.snapshot];
    w.key("snapshot");
    w.beginObject();
    w.key("path");
    w.value(s.path);
    w.key("format");
    w.value(s.format);
    w.key("index");
    w.value(static_cast<uint64_t>(s.snapshot));
    w.key("label");
    w.value(snap.info.label);
    w.key("time_ms");
    if (snap.info.timeMs < 0)
        w.null();
    else
        w.value(snap.info.timeMs);
    w.key("objects");
    w.value(static_cast<uint64_t>(snap.graph.nodeCount()));
    w.key("references");
    w.value(static_cast<uint64_t>(snap.graph.edges.edgeCount()));
    w.endObject();
}

std::string header(const ReportSource& s)
{
    const SnapshotData& snap = s.data->snapshots[s.snapshot];
    char line[512];
    std::snprintf(line, sizeof line, "%s, checkpoint '%s': %zu objects, %zu references\n",
                  s.path.c_str(), snap.info.label.c_str(), snap.graph.nodeCount(),
                  snap.graph.edges.edgeCount());
    return line;
}

size_t shown(size_t size, size_t limit)
{
    return limit == 0 ? size : std::min(size, limit);
}

} // namespace

std::string GraphReport::objectsJson(const ReportSource& source,
                                     const std::vector<TypeCensus>& rows, size_t limit)
{
    JsonWriter w;
    w.beginObject();
    writeSnapshot(w, source);
    w.key("types");
    w.beginArray();
    for (size_t k = 0; k < shown(rows.size(), limit); ++k) {
        w.beginObject();
        w.key("type");
        w.value(str(source, rows[k].type));
        w.key("count");
        w.value(rows[k].count);
        w.key("size");
        w.value(rows[k].size);
        w.key("retained");
        w.value(rows[k].retained);
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.text() + "\n";
}

std::string GraphReport::objectsText(const ReportSource& source,
                                     const std::vector<TypeCensus>& rows, size_t limit)
{
    std::string out = header(source);
    char line[1024];
    std::snprintf(line, sizeof line, "%-40s %12s %14s %14s\n", "type", "count", "size", "retained");
    out += line;
    for (size_t k = 0; k < shown(rows.size(), limit); ++k) {
        std::snprintf(line, sizeof line, "%-40s %12llu %14llu %14llu\n",
                      str(source, rows[k].type).c_str(),
                      static_cast<unsigned long long>(rows[k].count),
                      static_cast<unsigned long long>(rows[k].size),
                      static_cast<unsigned long long>(rows[k].retained));
        out += line;
    }
    return out;
}

std::string GraphReport::cyclesJson(const ReportSource& source,
                                    const std::vector<GraphCycle>& cycles, size_t limit)
{
    const ObjectGraph& g = graphOf(source);
    JsonWriter w;
    w.beginObject();
    writeSnapshot(w, source);
    w.key("cycles");
    w.beginArray();
    for (size_t k = 0; k < shown(cycles.size(), limit); ++k) {
        const GraphCycle& c = cycles[k];
        std::map<std::string, uint64_t> types;
        for (const uint32_t m : c.members)
            ++types[str(source, g.type[m])];
        w.beginObject();
        w.key("id");
        w.value(static_cast<uint64_t>(k + 1));
        w.key("members");
        w.value(static_cast<uint64_t>(c.members.size()));
        w.key("size");
        w.value(c.size);
        w.key("retained");
        w.value(c.retained);
        w.key("garbage");
        w.value(c.garbage);
        w.key("types");
        w.beginObject();
        for (const auto& [type, n] : types) {
            w.key(type);
            w.value(n);
        }
        w.endObject();
        w.key("representative");
        w.value(g.address[c.representative]);
        w.key("member_ids");
        w.beginArray();
        for (const uint32_t m : c.members)
            w.value(g.address[m]);
        w.endArray();
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.text() + "\n";
}

std::string GraphReport::cyclesText(const ReportSource& source,
                                    const std::vector<GraphCycle>& cycles, size_t limit)
{
    const ObjectGraph& g = graphOf(source);
    std::string out = header(source);
    char line[1024];
    size_t garbage = 0;
    for (const auto& c : cycles)
        garbage += c.garbage;
    std::snprintf(line, sizeof line, "%zu reference cycles, %zu of them garbage\n", cycles.size(),
                  garbage);
    out += line;
    for (size_t k = 0; k < shown(cycles.size(), limit); ++k) {
        const GraphCycle& c = cycles[k];
        std::map<std::string, uint64_t> types;
        for (const uint32_t m : c.members)
            ++types[str(source, g.type[m])];
        // Most common types first; a big cycle names its six commonest and counts the rest.
        std::vector<std::pair<std::string, uint64_t>> byCount(types.begin(), types.end());
        std::stable_sort(byCount.begin(), byCount.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        std::string typeList;
        constexpr size_t kShownTypes = 6;
        for (size_t t = 0; t < std::min(byCount.size(), kShownTypes); ++t)
            typeList +=
                (t ? ", " : "") + byCount[t].first + " x" + std::to_string(byCount[t].second);
        if (byCount.size() > kShownTypes)
            typeList += ", and " + std::to_string(byCount.size() - kShownTypes) + " more types";
        std::snprintf(line, sizeof line,
                      "#%zu %s: %zu objects, %llu bytes, retains %llu bytes, e.g. 0x%llx\n", k + 1,
                      c.garbage ? "garbage" : "alive", c.members.size(),
                      static_cast<unsigned long long>(c.size),
                      static_cast<unsigned long long>(c.retained),
                      static_cast<unsigned long long>(g.address[c.representative]));
        out += line;
        out += "    " + typeList + "\n";
    }
    return out;
}

std::string GraphReport::pathJson(const ReportSource& source, const std::vector<PathStep>& path,
                                  bool garbage)
{
    const ObjectGraph& g = graphOf(source);
    JsonWriter w;
    w.beginObject();
    writeSnapshot(w, source);
    w.key("garbage");
    w.value(garbage);
    w.key("path");
    w.beginArray();
    for (const PathStep& step : path) {
        w.beginObject();
        w.key("id");
        w.value(g.address[step.node]);
        w.key("type");
        w.value(str(source, g.type[step.node]));
        w.key("label");
        w.value(str(source, g.label[step.node]));
        w.key("edge");
        if (step.edgeName == UINT32_MAX)
            w.null();
        else
            w.value(str(source, step.edgeName));
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.text() + "\n";
}

std::string GraphReport::pathText(const ReportSource& source, const std::vector<PathStep>& path,
                                  bool garbage)
{
    const ObjectGraph& g = graphOf(source);
    std::string out = header(source);
    out += garbage ? "garbage: no root reaches it; what keeps it is this cycle of garbage\n"
                   : "shortest chain of references from a root:\n";
    for (size_t k = 0; k < path.size(); ++k) {
        const uint32_t v = path[k].node;
        char line[1024];
        std::snprintf(line, sizeof line, "%s0x%llx %s %s\n", k == 0 ? "  " : "    -> ",
                      static_cast<unsigned long long>(g.address[v]), str(source, g.type[v]).c_str(),
                      str(source, g.label[v]).c_str());
        out += line;
        if (path[k].edgeName != UINT32_MAX && !str(source, path[k].edgeName).empty())
            out += "       via " + str(source, path[k].edgeName) + "\n";
    }
    return out;
}

std::string GraphReport::growthJson(const ReportSource& older, const ReportSource& newer,
                                    const std::vector<Growth>& rows, size_t limit)
{
    JsonWriter w;
    w.beginObject();
    w.key("old");
    w.beginObject();
    writeSnapshot(w, older);
    w.endObject();
    w.key("new");
    w.beginObject();
    writeSnapshot(w, newer);
    w.endObject();
    w.key("growth");
    w.beginArray();
    for (size_t k = 0; k < shown(rows.size(), limit); ++k) {
        w.beginObject();
        w.key("type");
        w.value(str(newer, rows[k].type));
        w.key("old");
        w.value(rows[k].before);
        w.key("new");
        w.value(rows[k].after);
        w.key("delta");
        w.value(rows[k].after - rows[k].before);
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.text() + "\n";
}

std::string GraphReport::growthText(const ReportSource& older, const ReportSource& newer,
                                    const std::vector<Growth>& rows, size_t limit)
{
    std::string out = header(older) + header(newer);
    for (size_t k = 0; k < shown(rows.size(), limit); ++k) {
        char line[1024];
        std::snprintf(line, sizeof line, "%-40s %12lld %+12lld\n", str(newer, rows[k].type).c_str(),
                      static_cast<long long>(rows[k].after),
                      static_cast<long long>(rows[k].after - rows[k].before));
        out += line;
    }
    return out;
}

} // namespace hs
