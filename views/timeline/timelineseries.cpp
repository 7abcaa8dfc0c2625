#include "timelineseries.h"

#include "costformat.h"
#include "heapqueries.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace hs {

namespace {

constexpr size_t kTopSites = 5;

QString siteName(const ProfileData& data, uint32_t frame)
{
    const Frame& f = data.frames[frame];
    const auto text = [&](uint32_t i) {
        return i < data.strings.size() ? QString::fromStdString(data.strings[i]) : QString();
    };
    QString name = QString::fromStdString(shortenTemplates(text(f.function).toStdString()));
    if (name.isEmpty())
        name = text(f.module);
    return name.isEmpty() ? QStringLiteral("??") : name;
}

// The largest peak contributors (heaptrack's peak list), their live bytes over time, as lines
// and stacked.
void siteSeries(TimelineData& t, const ProfileData& data, const HeapProfile& heap)
{
    const HeapTopLists top = heapTopLists(heap, heapWindow(heap), kTopSites);
    std::vector<uint32_t> locations;
    for (const HeapSite& site : top.peak)
        locations.push_back(site.location);
    if (locations.empty())
        return;
    const HeapSiteSeries sites = heapSiteSeries(heap, locations);
    std::vector<double> times(sites.timeMs.begin(), sites.timeMs.end());
    std::vector<double> sum(times.size(), 0);
    for (size_t k = 0; k < locations.size(); ++k) {
        const QString name = siteName(data, heap.locations[locations[k]]);
        TimelineSeries line{name, true, SeriesGroup::Sites, times, {}, -1, {}};
        TimelineSeries stacked{name, true, SeriesGroup::SitesStacked, times, {}, -1, {}};
        for (size_t b = 0; b < times.size(); ++b) {
            line.value.push_back(double(sites.bytes[k][b]));
            sum[b] += double(sites.bytes[k][b]);
            stacked.value.push_back(sum[b]);
        }
        if (k > 0)
            stacked.below = int(t.series.size()) - 1; // the previous site's stacked series
        t.series.push_back(std::move(line));
        t.series.push_back(std::move(stacked));
    }
}

void heaptrackSeries(TimelineData& t, const ProfileData& data, const SnapshotData& snap,
                     const RecordingInfo& rec)
{
    t.heaptrack = true;
    const HeapProfile& heap = snap.heap;
    TimelineSeries consumed{QStringLiteral("Heap"), true, SeriesGroup::Memory, {}, {}, -1, {}};
    TimelineSeries rss{QStringLiteral("RSS"), true, SeriesGroup::Memory, {}, {}, -1, {}};
    TimelineSeries calls{
        QStringLiteral("Allocations (cumulative)"), false, SeriesGroup::Counts, {}, {}, -1, {}};
    TimelineSeries temporary{
        QStringLiteral("Temporary (cumulative)"), false, SeriesGroup::Counts, {}, {}, -1, {}};
    // Every interval, exactly: the widget decimates what it draws.
    uint64_t allocations = 0, temp = 0;
    for (const HeapInterval& in : heap.intervals) {
        const double ms = double(in.timeMs);
        consumed.timeMs.push_back(ms);
        consumed.value.push_back(double(in.heapMax));
        if (in.rssBytes) {
            rss.timeMs.push_back(ms);
            rss.value.push_back(double(in.rssBytes));
        }
        allocations += in.allocations;
        temp += in.temporary;
        calls.timeMs.push_back(ms);
        calls.value.push_back(double(allocations));
        temporary.timeMs.push_back(ms);
        temporary.value.push_back(double(temp));
    }
    t.series = {std::move(consumed), std::move(rss), std::move(calls), std::move(temporary)};
    siteSeries(t, data, heap);
    if (const uint64_t peak = rec.number("peak_bytes")) {
        t.peakValue = double(peak);
        t.peakTimeMs = double(rec.number("peak_time_ms"));
    }
}

void recorderSeries(TimelineData& t, const ProfileData& data, uint32_t recording)
{
    const RecorderTimeline& tl = data.recordings[recording].timeline;
    const auto series = [](const char* name, bool bytes) {
        return TimelineSeries{QString::fromLatin1(name),
                              bytes,
                              bytes ? SeriesGroup::Memory : SeriesGroup::Counts,
                              {},
                              {},
                              -1,
                              {}};
    };
    TimelineSeries traced = series("Traced memory", true);
    TimelineSeries peak = series("Traced peak", true);
    TimelineSeries rss = series("RSS", true);
    TimelineSeries gc = series("gc objects (generation 0)", false);
    for (const auto& s : tl.samples) {
        traced.timeMs.push_back(s.timeMs);
        traced.value.push_back(double(s.tracedCurrent));
        peak.timeMs.push_back(s.timeMs);
        peak.value.push_back(double(s.tracedPeak));
        rss.timeMs.push_back(s.timeMs);
        rss.value.push_back(double(s.rssBytes));
        gc.timeMs.push_back(s.timeMs);
        gc.value.push_back(double(s.gcCount[0]));
    }
    t.series = {std::move(traced), std::move(peak), std::move(rss), std::move(gc)};
    for (size_t k = 0; k < t.series[0].value.size(); ++k)
        if (t.series[0].value[k] > t.peakValue) {
            t.peakValue = t.series[0].value[k];
            t.peakTimeMs = t.series[0].timeMs[k];
        }
}

} // namespace

double valueAt(const TimelineSeries& s, double ms)
{
    auto it = std::upper_bound(s.timeMs.begin(), s.timeMs.end(), ms);
    return it == s.timeMs.begin() ? (s.value.empty() ? 0 : s.value.front())
                                  : s.value[size_t(it - s.timeMs.begin()) - 1];
}

QStringList rangeDeltas(const TimelineData& data, SeriesGroup group, double fromMs, double toMs)
{
    if (group == SeriesGroup::SitesStacked)
        group = SeriesGroup::Sites;
    QStringList parts;
    for (const TimelineSeries& s : data.series) {
        if (s.group != group)
            continue;
        const int64_t delta = int64_t(valueAt(s, toMs) - valueAt(s, fromMs));
        parts << QStringLiteral("%1 %2%3").arg(s.name, delta >= 0 ? QStringLiteral("+") : QString(),
                                               s.bytes ? formatBytes(delta) : formatCount(delta));
    }
    return parts;
}

double TimelineData::firstMs() const
{
    double v = 0;
    bool any = false;
    for (const auto& s : series)
        if (!s.timeMs.empty()) {
            v = any ? std::min(v, s.timeMs.front()) : s.timeMs.front();
            any = true;
        }
    return v;
}

bool TimelineData::has(SeriesGroup group) const
{
    return std::any_of(series.begin(), series.end(),
                       [group](const TimelineSeries& s) { return s.group == group; });
}

double TimelineData::lastMs() const
{
    double v = 0;
    for (const auto& s : series)
        if (!s.timeMs.empty())
            v = std::max(v, s.timeMs.back());
    return v;
}

TimelineData TimelineData::of(const ProfileData& data, uint32_t snapshot)
{
    TimelineData t;
    if (snapshot >= data.snapshots.size())
        return t;
    const uint32_t recording = data.snapshots[snapshot].info.recording;
    const RecordingInfo& rec = data.recordings[recording];
    if (!data.snapshots[snapshot].heap.intervals.empty()) {
        heaptrackSeries(t, data, data.snapshots[snapshot], rec);
        for (auto& series : t.series)
            series.finish();
        return t;
    }
    if (!rec.timeline.samples.empty()) {
        recorderSeries(t, data, recording);
    } else {
        // A series of dumps: their totals in series order (by time where known).
        TimelineSeries totals{
            QStringLiteral("Traced memory (snapshots)"), true, SeriesGroup::Memory, {}, {}, -1, {}};
        for (size_t k = 0; k < data.snapshots.size(); ++k) {
            const SnapshotInfo& info = data.snapshots[k].info;
            if (info.recording != recording && data.snapshots[k].heap.empty())
                continue;
            totals.timeMs.push_back(info.timeMs >= 0 ? info.timeMs : double(totals.timeMs.size()));
            totals.value.push_back(double(info.totalSize));
        }
        if (totals.timeMs.size() >= 2)
            t.series.push_back(std::move(totals));
    }
    for (size_t k = 0; k < data.snapshots.size(); ++k) {
        const SnapshotInfo& info = data.snapshots[k].info;
        if (info.recording == recording && info.timeMs >= 0)
            t.markers.push_back({info.timeMs, QString::fromStdString(info.label), uint32_t(k)});
    }
    for (auto& series : t.series)
        series.finish();
    return t;
}

std::pair<uint32_t, uint32_t> TimelineData::comparePair(double fromMs, double toMs) const
{
    const TimelineMarker* before = nullptr;
    const TimelineMarker* after = nullptr;
    for (const TimelineMarker& m : markers) {
        if (m.snapshot == kNoIndex)
            continue;
        if (m.timeMs <= fromMs && (!before || m.timeMs > before->timeMs))
            before = &m;
        if (m.timeMs >= toMs && (!after || m.timeMs < after->timeMs))
            after = &m;
    }
    if (!before || !after)
        return {kNoIndex, kNoIndex};
    return {before->snapshot, after->snapshot};
}

void TimelineSeries::finish()
{
    levels.clear();
    const size_t n = timeMs.size();
    if (n < 64)
        return;
    std::vector<SeriesBlock> first;
    first.reserve(n / 8 + 1);
    for (size_t i = 0; i < n; i += 8) {
        const size_t end = std::min(n, i + 8);
        SeriesBlock b{timeMs[i], value[i], timeMs[i], value[i], timeMs[i], value[i], 0, 0};
        for (size_t j = i + 1; j < end; ++j) {
            if (value[j] < b.vMin)
                b.vMin = value[j], b.tMin = timeMs[j];
            if (value[j] > b.vMax)
                b.vMax = value[j], b.tMax = timeMs[j];
        }
        b.tLast = timeMs[end - 1];
        b.vLast = value[end - 1];
        first.push_back(b);
    }
    levels.push_back(std::move(first));
    while (levels.back().size() >= 64) {
        const std::vector<SeriesBlock>& fine = levels.back();
        std::vector<SeriesBlock> coarse;
        coarse.reserve(fine.size() / 4 + 1);
        for (size_t i = 0; i < fine.size(); i += 4) {
            SeriesBlock b = fine[i];
            for (size_t j = i + 1; j < std::min(fine.size(), i + 4); ++j) {
                if (fine[j].vMin < b.vMin)
                    b.vMin = fine[j].vMin, b.tMin = fine[j].tMin;
                if (fine[j].vMax > b.vMax)
                    b.vMax = fine[j].vMax, b.tMax = fine[j].tMax;
                b.tLast = fine[j].tLast;
                b.vLast = fine[j].vLast;
            }
            coarse.push_back(b);
        }
        levels.push_back(std::move(coarse));
    }
}

double TimelineSeries::own(size_t i, const std::vector<TimelineSeries>& all) const
{
    if (below < 0 || size_t(below) >= all.size() || i >= all[size_t(below)].value.size())
        return value[i];
    return value[i] - all[size_t(below)].value[i];
}

std::vector<DecimatedPoint> decimate(const TimelineSeries& s, double fromMs, double toMs,
                                     int columns)
{
    std::vector<DecimatedPoint> out;
    const size_t n = s.timeMs.size();
    if (n == 0 || columns <= 0 || !(toMs > fromMs))
        return out;
    size_t first =
        size_t(std::lower_bound(s.timeMs.begin(), s.timeMs.end(), fromMs) - s.timeMs.begin());
    size_t last =
        size_t(std::upper_bound(s.timeMs.begin(), s.timeMs.end(), toMs) - s.timeMs.begin());
    if (first > 0)
        --first; // the point before, so the line enters from the left edge
    if (last < n)
        ++last;
    // The coarsest level that still has two blocks per column over this run.
    int level = -1;
    size_t blockSize = 8;
    for (size_t k = 0; k < s.levels.size(); ++k, blockSize *= 4)
        if ((last - first) / blockSize >= size_t(2 * columns))
            level = int(k);
        else
            break;
    const size_t size = level < 0 ? 1 : size_t(8) << (2 * level);
    // Units to walk: single points up to the first whole block, whole blocks, points after;
    // the points just outside the range are never inside a block.
    const size_t blockFrom = level < 0 ? last : (first + size) / size;
    const size_t blockTo = level < 0 ? last : (last - 1) / size;
    const auto unit = [&](size_t u) -> SeriesBlock {
        const size_t bStart = blockFrom * size, bEnd = blockTo * size;
        if (level >= 0 && u >= bStart && u < bEnd)
            return s.levels[size_t(level)][u / size];
        return {s.timeMs[u], s.value[u], s.timeMs[u], s.value[u],
                s.timeMs[u], s.value[u], s.timeMs[u], s.value[u]};
    };
    const auto step = [&](size_t u) {
        return level >= 0 && u >= blockFrom * size && u < blockTo * size ? size : size_t(1);
    };
    const double perColumn = (toMs - fromMs) / columns;
    const auto columnOf = [&](double t) { return long(std::floor((t - fromMs) / perColumn)); };
    for (size_t i = first; i < last;) {
        // All units starting in this column: keep the first, min, max and last, in time order.
        SeriesBlock c = unit(i);
        const long column = columnOf(c.tFirst);
        size_t j = i + step(i);
        while (j < last) {
            const SeriesBlock b = unit(j);
            if (columnOf(b.tFirst) != column)
                break;
            if (b.vMin < c.vMin)
                c.vMin = b.vMin, c.tMin = b.tMin;
            if (b.vMax > c.vMax)
                c.vMax = b.vMax, c.tMax = b.tMax;
            c.tLast = b.tLast;
            c.vLast = b.vLast;
            j += step(j);
        }
        DecimatedPoint keep[4] = {
            {c.tFirst, c.vFirst},
            c.tMin <= c.tMax ? DecimatedPoint{c.tMin, c.vMin} : DecimatedPoint{c.tMax, c.vMax},
            c.tMin <= c.tMax ? DecimatedPoint{c.tMax, c.vMax} : DecimatedPoint{c.tMin, c.vMin},
            {c.tLast, c.vLast}};
        for (size_t k = 0; k < 4; ++k)
            if (k == 0 || keep[k].timeMs != keep[k - 1].timeMs ||
                keep[k].value != keep[k - 1].value)
                out.push_back(keep[k]);
        i = j;
    }
    return out;
}

} // namespace hs
