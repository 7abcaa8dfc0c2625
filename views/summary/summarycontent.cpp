#include "summarycontent.h"

#include "costformat.h"
#include "heapqueries.h"
#include "statistics.h"

#include <cstdlib>

namespace hs {

namespace {

QString text(const ProfileData& data, uint32_t s)
{
    return s < data.strings.size() ? QString::fromStdString(data.strings[s]) : QString();
}

QString seconds(int64_t ms)
{
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 2);
}

QString bytesExact(int64_t v)
{
    return formatExactCost(CostKind::Size, v);
}

void heapFigures(SummaryContent& c, const ProfileData& data, const SnapshotData& snap,
                 bool hasRange, int64_t fromMs, int64_t toMs, size_t limit)
{
    const HeapProfile& heap = snap.heap;
    const RecordingInfo& rec = data.recordings[snap.info.recording];
    const HeapWindow window = hasRange ? heapWindow(heap, fromMs, toMs) : heapWindow(heap);
    const HeapTotals t = heapTotals(heap, window);
    const bool whole = window.whole;
    // The whole recording's figures are the ones heaptrack computed while reading the file.
    const uint64_t calls = whole ? rec.number("allocations") : t.allocations;
    const uint64_t temporary = whole ? rec.number("temporary") : t.temporary;
    const int64_t peak = int64_t(whole ? rec.number("peak_bytes") : t.peakBytes);
    const int64_t peakTime = whole ? int64_t(rec.number("peak_time_ms")) : t.peakTimeMs;
    const int64_t rss = int64_t(whole ? rec.number("peak_rss_bytes") : t.peakRssBytes);
    const int64_t runtime = whole ? int64_t(rec.number("runtime_ms")) : window.toMs - window.fromMs;
    const auto add = [&](const char* key, const QString& title, const QString& value,
                         const QString& exact) {
        c.figures.push_back({QString::fromLatin1(key), title, value, exact});
    };
    add("runtime", QStringLiteral("Runtime"), seconds(runtime),
        QStringLiteral("%1 ms").arg(runtime));
    const double rate = runtime > 0 ? double(calls) * 1000.0 / double(runtime) : 0;
    add("calls", QStringLiteral("Calls to allocation functions"),
        QStringLiteral("%1 (%2/s)").arg(formatCount(int64_t(calls)), formatCount(int64_t(rate))),
        formatExactCost(CostKind::Allocations, int64_t(calls)));
    add("temporary", QStringLiteral("Temporary allocations"),
        QStringLiteral("%1 (%2 of all calls)")
            .arg(formatCount(int64_t(temporary)),
                 formatShare(calls ? double(temporary) / double(calls) : 0)),
        formatExactCost(CostKind::Temporary, int64_t(temporary)));
    add("peak", QStringLiteral("Peak heap memory"),
        QStringLiteral("%1 after %2").arg(formatBytes(peak), seconds(peakTime)), bytesExact(peak));
    add("peak_rss", QStringLiteral("Peak RSS (including heaptrack's overhead)"), formatBytes(rss),
        bytesExact(rss));
    if (whole) {
        const int64_t leaked = int64_t(rec.number("leaked_bytes"));
        const int64_t suppressed = int64_t(rec.number("suppressed_bytes"));
        add("leaked", QStringLiteral("Memory leaked"), formatBytes(leaked), bytesExact(leaked));
        add("suppressed", QStringLiteral("Suppressed leaks"), formatBytes(suppressed),
            bytesExact(suppressed));
    } else {
        add("delta", QStringLiteral("Memory consumption delta"), formatBytes(t.deltaBytes),
            bytesExact(t.deltaBytes));
    }
    add("allocated", QStringLiteral("Bytes allocated in total"),
        formatBytes(int64_t(whole ? rec.number("allocated_bytes") : t.allocatedBytes)),
        bytesExact(int64_t(whole ? rec.number("allocated_bytes") : t.allocatedBytes)));

    const HeapTopLists top = heapTopLists(heap, window, limit);
    const auto list = [&](const QString& title, const QString& column,
                          const std::vector<HeapSite>& sites, auto value) {
        SummaryContent::TopList l{
            title, {column, QStringLiteral("Function"), QStringLiteral("Location")}, {}};
        for (const HeapSite& s : sites) {
            const Frame& f = data.frames[heap.locations[s.location]];
            QString where = text(data, f.file);
            if (!where.isEmpty())
                where += QLatin1Char(':') + QString::number(f.line);
            else
                where = text(data, f.module);
            l.rows.push_back(
                {value(s),
                 QString::fromStdString(shortenTemplates(text(data, f.function).toStdString())),
                 where});
        }
        c.lists.push_back(std::move(l));
    };
    if (whole)
        list(QStringLiteral("Peak contributions"), QStringLiteral("Peak"), top.peak,
             [](const HeapSite& s) { return formatBytes(s.peakBytes); });
    list(whole ? QStringLiteral("Largest leaks") : QStringLiteral("Largest consumption delta"),
         whole ? QStringLiteral("Leaked") : QStringLiteral("Delta"), top.leaked,
         [](const HeapSite& s) { return formatBytes(s.leakedBytes); });
    list(QStringLiteral("Most allocations"), QStringLiteral("Calls"), top.allocations,
         [](const HeapSite& s) { return formatCount(s.allocations); });
    list(QStringLiteral("Most temporary allocations"), QStringLiteral("Temporary"), top.temporary,
         [](const HeapSite& s) { return formatCount(s.temporary); });
}

void pythonFigures(SummaryContent& c, const ProfileData& data, uint32_t snapshot, size_t limit)
{
    const SnapshotData& snap = data.snapshots[snapshot];
    const SnapshotInfo& info = snap.info;
    const auto add = [&](const char* key, const QString& title, const QString& value,
                         const QString& exact) {
        c.figures.push_back({QString::fromLatin1(key), title, value, exact});
    };
    add("total_size", QStringLiteral("Traced memory"), formatBytes(int64_t(info.totalSize)),
        bytesExact(int64_t(info.totalSize)));
    add("total_count", QStringLiteral("Memory blocks"), formatCount(int64_t(info.totalCount)),
        formatExactCost(CostKind::Count, int64_t(info.totalCount)));
    add("traceback_limit", QStringLiteral("Traceback limit"),
        QStringLiteral("%1 frames").arg(info.tracebackLimit), QString::number(info.tracebackLimit));
    add("truncated", QStringLiteral("Blocks with a deeper stack than recorded"),
        formatCount(int64_t(info.truncatedCount)), QString::number(info.truncatedCount));
    add("tracebacks", QStringLiteral("Distinct tracebacks"),
        formatCount(int64_t(snap.costs.size())), QString::number(snap.costs.size()));
    if (info.timeMs >= 0)
        add("time", QStringLiteral("Taken at"), seconds(int64_t(info.timeMs)),
            QStringLiteral("%1 ms").arg(info.timeMs, 0, 'f', 1));
    if (!info.python.empty())
        add("python", QStringLiteral("Written by CPython"), QString::fromStdString(info.python),
            info.protocol >= 0 ? QStringLiteral("pickle protocol %1").arg(info.protocol)
                               : QString());
    const auto list = [&](const QString& title, GroupBy by) {
        SummaryContent::TopList l{
            title, {QStringLiteral("Size"), QStringLiteral("Blocks"), QStringLiteral("Where")}, {}};
        const std::vector<StatRow> rows = computeStatistics(data, snapshot, by, false);
        for (size_t k = 0; k < rows.size() && k < limit; ++k) {
            const StatRow& r = rows[k];
            QString where = r.frames.empty()
                                ? QStringLiteral("?")
                                : QString::fromUtf8(r.frames[0].file.data(),
                                                    qsizetype(r.frames[0].file.size()));
            if (by == GroupBy::Lineno && !r.frames.empty())
                where += QLatin1Char(':') + QString::number(r.frames[0].line);
            l.rows.push_back({formatBytes(int64_t(r.size)), formatCount(int64_t(r.count)), where});
        }
        c.lists.push_back(std::move(l));
    };
    list(QStringLiteral("Top lines"), GroupBy::Lineno);
    list(QStringLiteral("Top files"), GroupBy::Filename);
}

} // namespace

SummaryContent SummaryContent::of(const ProfileData& data, uint32_t snapshot, bool hasRange,
                                  int64_t fromMs, int64_t toMs, size_t limit)
{
    SummaryContent c;
    if (snapshot >= data.snapshots.size())
        return c;
    const SnapshotData& snap = data.snapshots[snapshot];
    const RecordingInfo& rec = data.recordings[snap.info.recording];
    c.heading = QStringLiteral("%1 — %2 (%3)")
                    .arg(QString::fromStdString(rec.sourceName),
                         snap.info.label.empty() ? QStringLiteral("snapshot %1").arg(snapshot)
                                                 : QString::fromStdString(snap.info.label),
                         QString::fromStdString(rec.kind));
    if (!snap.heap.empty())
        heapFigures(c, data, snap, hasRange, fromMs, toMs, limit);
    else
        pythonFigures(c, data, snapshot, limit);
    return c;
}

} // namespace hs
