#include "statisticsreport.h"

#include "jsonwriter.h"

#include <cmath>
#include <cstdio>

namespace hs {

namespace {

size_t shown(const std::vector<StatRow>& rows, size_t limit)
{
    return limit == 0 ? rows.size() : std::min(limit, rows.size());
}

void writeSnapshot(JsonWriter& w, const ReportSource& s)
{
    const SnapshotInfo& info = s.data->snapshots[s.snapshot].info;
    w.beginObject();
    w.key("index");
    w.value(static_cast<uint64_t>(s.snapshot));
    w.key("label");
    w.value(info.label);
    w.key("traceback_limit");
    w.value(info.tracebackLimit);
    w.key("total_size");
    w.value(info.totalSize);
    w.key("total_count");
    w.value(info.totalCount);
    w.key("truncated_count");
    w.value(info.truncatedCount);
    w.key("python");
    w.value(info.python);
    w.key("protocol");
    w.value(info.protocol);
    w.endObject();
}

void writeRows(JsonWriter& w, const std::vector<StatRow>& rows, size_t limit, bool diff)
{
    w.beginArray();
    for (size_t i = 0; i < shown(rows, limit); ++i) {
        const StatRow& r = rows[i];
        w.beginObject();
        w.key("size");
        w.value(r.size);
        if (diff) {
            w.key("size_diff");
            w.value(r.sizeDiff);
        }
        w.key("count");
        w.value(r.count);
        if (diff) {
            w.key("count_diff");
            w.value(r.countDiff);
        }
        w.key("frames");
        w.beginArray();
        for (const auto& f : r.frames) {
            w.beginObject();
            w.key("filename");
            w.value(f.file);
            w.key("lineno");
            w.value(f.line);
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
}

void writeRequest(JsonWriter& w, const StatisticsReport::Request& request, size_t groups)
{
    w.key("by");
    w.value(groupByName(request.by));
    w.key("cumulative");
    w.value(request.cumulative);
    w.key("groups");
    w.value(static_cast<uint64_t>(groups));
}

std::string location(const StatFrame& f)
{
    return std::string(f.file) + ":" + std::to_string(f.line);
}

std::string heading(const ReportSource& s)
{
    const SnapshotInfo& info = s.data->snapshots[s.snapshot].info;
    return s.path + " [snapshot " + std::to_string(s.snapshot) + " \"" + info.label +
           "\"]: " + std::to_string(info.totalCount) + " traces, " +
           StatisticsReport::formatSize(static_cast<double>(info.totalSize), false) +
           ", traceback limit " + std::to_string(info.tracebackLimit) + "\n";
}

std::string rowText(const StatRow& r, GroupBy by, bool diff)
{
    std::string line = by == GroupBy::Traceback ? std::string() : location(r.frames[0]) + ": ";
    line += "size=" + StatisticsReport::formatSize(static_cast<double>(r.size), false);
    if (diff)
        line += " (" + StatisticsReport::formatSize(static_cast<double>(r.sizeDiff), true) + ")";
    line += ", count=" + std::to_string(r.count);
    if (diff)
        line +=
            std::string(" (") + (r.countDiff >= 0 ? "+" : "") + std::to_string(r.countDiff) + ")";
    if (r.count)
        line +=
            ", average=" + StatisticsReport::formatSize(
                               static_cast<double>(r.size) / static_cast<double>(r.count), false);
    if (by == GroupBy::Traceback) {
        for (const auto& f : r.frames)
            line += "\n    " + location(f);
    }
    return line;
}

std::string rowsText(const std::vector<StatRow>& rows, const StatisticsReport::Request& request,
                     bool diff)
{
    std::string out;
    for (size_t i = 0; i < shown(rows, request.limit); ++i)
        out += "#" + std::to_string(i + 1) + ": " + rowText(rows[i], request.by, diff) + "\n";
    if (shown(rows, request.limit) < rows.size())
        out += std::to_string(rows.size() - shown(rows, request.limit)) + " more " +
               groupByName(request.by) + " groups (--limit 0 shows all)\n";
    return out;
}

// One document: a snapshot's statistics, or with `older` the diff against it.
std::string jsonDocument(const ReportSource& source, const ReportSource* older,
                         const StatisticsReport::Request& request, const std::vector<StatRow>& rows)
{
    JsonWriter w;
    w.beginObject();
    w.key("source");
    writeReportSource(w, source);
    w.key("snapshot");
    writeSnapshot(w, source);
    if (older) {
        w.key("old_source");
        writeReportSource(w, *older);
        w.key("old_snapshot");
        writeSnapshot(w, *older);
    }
    writeRequest(w, request, rows.size());
    w.key("stats");
    writeRows(w, rows, request.limit, older != nullptr);
    w.endObject();
    return w.text() + "\n";
}

std::string textDocument(const std::string& headings, const char* noun,
                         const StatisticsReport::Request& request, const std::vector<StatRow>& rows,
                         bool diff)
{
    return headings + "Top " + std::to_string(shown(rows, request.limit)) + " of " +
           std::to_string(rows.size()) + " " + noun + " by " + groupByName(request.by) +
           (request.cumulative ? " (cumulative)" : "") + ":\n" + rowsText(rows, request, diff);
}

} // namespace

std::string StatisticsReport::formatSize(double size, bool sign)
{
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    char buf[64] = {0};
    for (const char* unit : units) {
        const bool bytes = unit == units[0];
        if (std::fabs(size) < 100 && !bytes) {
            std::snprintf(buf, sizeof buf, sign ? "%+.1f %s" : "%.1f %s", size, unit);
            return buf;
        }
        if (std::fabs(size) < 10 * 1024 || unit == units[4]) {
            std::snprintf(buf, sizeof buf, sign ? "%+.0f %s" : "%.0f %s", size, unit);
            return buf;
        }
        size /= 1024;
    }
    return buf;
}

std::string StatisticsReport::json(const ReportSource& source, const Request& request,
                                   const std::vector<StatRow>& rows)
{
    return jsonDocument(source, nullptr, request, rows);
}

std::string StatisticsReport::diffJson(const ReportSource& older, const ReportSource& newer,
                                       const Request& request, const std::vector<StatRow>& rows)
{
    return jsonDocument(newer, &older, request, rows);
}

std::string StatisticsReport::text(const ReportSource& source, const Request& request,
                                   const std::vector<StatRow>& rows)
{
    return textDocument(heading(source), "groups", request, rows, false);
}

std::string StatisticsReport::diffText(const ReportSource& older, const ReportSource& newer,
                                       const Request& request, const std::vector<StatRow>& rows)
{
    return textDocument("old: " + heading(older) + "new: " + heading(newer), "differences", request,
                        rows, true);
}

} // namespace hs
