#include "heapreport.h"

#include "heapqueries.h"
#include "jsonwriter.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace hs {

namespace {

struct Figures
{
    const ProfileData& data;
    const RecordingInfo& rec;
    const HeapProfile& heap;
    HeapWindow window;
    HeapTotals totals;
    HeapTopLists top;
};

Figures figuresOf(const ReportSource& s, const HeapReport::Request& r)
{
    const SnapshotData& snap = s.data->snapshots[s.snapshot];
    const HeapProfile& heap = snap.heap;
    const HeapWindow window =
        r.rangeMs ? heapWindow(heap, r.rangeMs->first, r.rangeMs->second) : heapWindow(heap);
    return {*s.data,
            s.data->recordings[snap.info.recording],
            heap,
            window,
            heapTotals(heap, window),
            heapTopLists(heap, window, r.limit == 0 ? SIZE_MAX : r.limit)};
}

std::string text(const ProfileData& data, uint32_t string)
{
    return string < data.strings.size() ? data.strings[string] : std::string();
}

std::string number(int64_t v)
{
    return std::to_string(v);
}

const char* const kLists[] = {"peak", "leaked", "allocations", "temporary"};

const std::vector<HeapSite>& list(const HeapTopLists& top, const std::string& name)
{
    if (name == "peak")
        return top.peak;
    if (name == "allocations")
        return top.allocations;
    if (name == "temporary")
        return top.temporary;
    return top.leaked;
}

int64_t valueOf(const HeapSite& s, const std::string& name)
{
    if (name == "peak")
        return s.peakBytes;
    if (name == "allocations")
        return s.allocations;
    if (name == "temporary")
        return s.temporary;
    return s.leakedBytes;
}

void writeSite(JsonWriter& w, const Figures& f, const HeapSite& s, int64_t value)
{
    const Frame& frame = f.data.frames[f.heap.locations[s.location]];
    w.beginObject();
    w.key("function");
    w.value(shortenTemplates(text(f.data, frame.function)));
    w.key("file");
    w.value(text(f.data, frame.file));
    w.key("line");
    w.value(frame.line);
    w.key("module");
    w.value(text(f.data, frame.module));
    w.key("value");
    w.value(value);
    w.key("allocations");
    w.value(s.allocations);
    w.endObject();
}

void appendSite(std::string& out, const Figures& f, const HeapSite& s)
{
    const Frame& frame = f.data.frames[f.heap.locations[s.location]];
    out += "  " + shortenTemplates(text(f.data, frame.function)) + "\n";
    if (frame.file != kNoIndex)
        out += "    at " + text(f.data, frame.file) + ":" + number(frame.line) + "\n";
    out += "    in " + (frame.module != kNoIndex ? text(f.data, frame.module) : "??") + "\n";
}

std::string label(const std::string& list, const HeapSite& s, bool window)
{
    char percent[32];
    std::snprintf(percent, sizeof percent, "%.2f",
                  s.allocations ? static_cast<double>(static_cast<float>(s.temporary) * 100.f /
                                                      static_cast<float>(s.allocations))
                                : 0.0);
    if (list == "allocations")
        return number(s.allocations) + " calls to allocation functions with " +
               HeapReport::formatBytes(s.peakBytes) + " peak consumption from";
    if (list == "peak")
        return HeapReport::formatBytes(s.peakBytes) + " peak memory consumed over " +
               number(s.allocations) + " calls from";
    if (list == "temporary")
        return number(s.temporary) + " temporary allocations of " + number(s.allocations) +
               " allocations in total (" + percent + "%) from";
    return HeapReport::formatBytes(s.leakedBytes) + (window ? " consumed" : " leaked") + " over " +
           number(s.allocations) + " calls from";
}

} // namespace

std::string HeapReport::formatBytes(int64_t bytes)
{
    static const char units[] = {'B', 'K', 'M', 'G', 'T'};
    double value = static_cast<double>(bytes);
    size_t unit = 0;
    while (unit < 4 && std::abs(value) > 1000.) {
        value /= 1000.;
        ++unit;
    }
    if (unit == 0)
        return std::to_string(bytes) + "B";
    char out[64];
    std::snprintf(out, sizeof out, "%.2f%c", value, units[unit]);
    return out;
}

std::string HeapReport::json(const ReportSource& source, const Request& request)
{
    const Figures f = figuresOf(source, request);
    const bool whole = f.window.whole;
    JsonWriter w;
    w.beginObject();
    w.key("source");
    writeReportSource(w, source);
    w.key("summary");
    w.beginObject();
    if (!whole) {
        w.key("time_range");
        w.beginObject();
        w.key("requested_from_ms");
        w.value(request.rangeMs->first);
        w.key("requested_to_ms");
        w.value(request.rangeMs->second);
        w.key("from_ms");
        w.value(f.window.fromMs);
        w.key("to_ms");
        w.value(f.window.toMs);
        w.key("intervals");
        w.value(static_cast<uint64_t>(f.window.endInterval - f.window.firstInterval));
        w.endObject();
    }
    // The whole recording's figures are the importer's; a window's come from the timeline.
    w.key("allocations");
    w.value(whole ? f.rec.number("allocations") : f.totals.allocations);
    w.key("temporary");
    w.value(whole ? f.rec.number("temporary") : f.totals.temporary);
    w.key("peak_bytes");
    w.value(whole ? f.rec.number("peak_bytes") : f.totals.peakBytes);
    w.key("peak_time_ms");
    w.value(whole ? static_cast<int64_t>(f.rec.number("peak_time_ms")) : f.totals.peakTimeMs);
    if (whole) {
        w.key("leaked_bytes");
        w.value(f.rec.number("leaked_bytes"));
        w.key("suppressed_bytes");
        w.value(f.rec.number("suppressed_bytes"));
    } else {
        w.key("delta_bytes");
        w.value(f.totals.deltaBytes);
    }
    w.key("allocated_bytes");
    w.value(whole ? f.rec.number("allocated_bytes") : f.totals.allocatedBytes);
    w.key("peak_rss_bytes");
    w.value(whole ? f.rec.number("peak_rss_bytes") : f.totals.peakRssBytes);
    w.key("runtime_ms");
    w.value(f.rec.number("runtime_ms"));
    w.key("debuggee");
    w.value(f.rec.commandLine);
    w.key("complete");
    w.value(f.rec.number("complete") == 1);
    w.endObject();
    w.key("top");
    w.beginObject();
    for (const std::string name : kLists) {
        if (!whole && name == "peak")
            continue; // a site's share of a window's peak is not kept
        w.key(whole || name != "leaked" ? name : std::string("delta"));
        w.beginArray();
        for (const HeapSite& s : list(f.top, name))
            writeSite(w, f, s, valueOf(s, name));
        w.endArray();
    }
    w.endObject();
    w.endObject();
    return w.text() + "\n";
}

std::string HeapReport::text(const ReportSource& source, const Request& request)
{
    const Figures f = figuresOf(source, request);
    const bool whole = f.window.whole;
    std::string out = "heaptrack recording " + source.path + "\n";
    if (!f.rec.commandLine.empty())
        out += "debuggee: " + f.rec.commandLine + "\n";
    if (!whole)
        out += "time range: " + number(f.window.fromMs) + " ms to " + number(f.window.toMs) +
               " ms (" +
               number(static_cast<int64_t>(f.window.endInterval - f.window.firstInterval)) +
               " timestamps)\n";
    const std::pair<const char*, std::string> sections[] = {
        {"MOST CALLS TO ALLOCATION FUNCTIONS", "allocations"},
        {"PEAK MEMORY CONSUMERS", "peak"},
        {whole ? "MEMORY LEAKS" : "MEMORY CONSUMPTION DELTA", "leaked"},
        {"MOST TEMPORARY ALLOCATIONS", "temporary"}};
    for (const auto& [title, name] : sections) {
        if (!whole && name == "peak")
            continue;
        out += std::string("\n") + title + "\n";
        for (const HeapSite& s : list(f.top, name)) {
            out += label(name, s, !whole) + "\n";
            appendSite(out, f, s);
        }
    }
    const uint64_t runtime = f.rec.number("runtime_ms");
    // Rates are per second of the recording, or of the window.
    const uint64_t span = whole ? runtime
                                : (f.window.endInterval > f.window.firstInterval
                                       ? static_cast<uint64_t>(f.window.toMs - f.window.fromMs + 1)
                                       : 0);
    const uint64_t calls = whole ? f.rec.number("allocations") : f.totals.allocations;
    const uint64_t temporary = whole ? f.rec.number("temporary") : f.totals.temporary;
    const double perSecond = span ? 1000. / static_cast<double>(span) : 1.;
    char line[256];
    std::snprintf(line, sizeof line,
                  "\ntotal runtime: %.2fs.\ncalls to allocation functions: %" PRIu64 " (%" PRId64
                  "/s)\ntemporary memory allocations: %" PRIu64 " (%" PRId64 "/s)\n",
                  static_cast<double>(runtime) / 1000., calls,
                  static_cast<int64_t>(static_cast<double>(calls) * perSecond), temporary,
                  static_cast<int64_t>(static_cast<double>(temporary) * perSecond));
    out += line;
    const auto peak = static_cast<int64_t>(whole ? f.rec.number("peak_bytes") : f.totals.peakBytes);
    out += "peak heap memory consumption: " + formatBytes(peak) + "\n";
    out += "peak RSS (including heaptrack overhead): " +
           formatBytes(static_cast<int64_t>(whole ? f.rec.number("peak_rss_bytes")
                                                  : f.totals.peakRssBytes)) +
           "\n";
    if (whole) {
        out += "total memory leaked: " +
               formatBytes(static_cast<int64_t>(f.rec.number("leaked_bytes"))) + "\n";
        if (const uint64_t suppressed = f.rec.number("suppressed_bytes"))
            out += "suppressed leaks: " + formatBytes(static_cast<int64_t>(suppressed)) + "\n";
    } else {
        out += "memory consumption delta: " + formatBytes(f.totals.deltaBytes) + "\n";
    }
    for (const auto& warning : f.rec.warnings)
        out += "warning: " + warning + "\n";
    return out;
}

} // namespace hs
