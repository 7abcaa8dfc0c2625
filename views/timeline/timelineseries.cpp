#include "timelineseries.h"

#include "heapqueries.h"

#include <algorithm>
#include <cstdlib>

namespace hs {

namespace {

void heaptrackSeries(TimelineData& t, const SnapshotData& snap, const RecordingInfo& rec)
{
    t.heaptrack = true;
    const HeapProfile& heap = snap.heap;
    TimelineSeries consumed{QStringLiteral("Heap"), true, {}, {}};
    TimelineSeries rss{QStringLiteral("RSS"), true, {}, {}};
    TimelineSeries calls{QStringLiteral("Allocations (cumulative)"), false, {}, {}};
    TimelineSeries temporary{QStringLiteral("Temporary (cumulative)"), false, {}, {}};
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
    if (const uint64_t peak = rec.number("peak_bytes")) {
        t.peakValue = double(peak);
        t.peakTimeMs = double(rec.number("peak_time_ms"));
    }
}

void recorderSeries(TimelineData& t, const ProfileData& data, uint32_t recording)
{
    const RecorderTimeline& tl = data.recordings[recording].timeline;
    TimelineSeries traced{QStringLiteral("Traced memory"), true, {}, {}};
    TimelineSeries peak{QStringLiteral("Traced peak"), true, {}, {}};
    TimelineSeries rss{QStringLiteral("RSS"), true, {}, {}};
    TimelineSeries gc{QStringLiteral("gc objects (generation 0)"), false, {}, {}};
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
        heaptrackSeries(t, data.snapshots[snapshot], rec);
        return t;
    }
    if (!rec.timeline.samples.empty()) {
        recorderSeries(t, data, recording);
    } else {
        // A series of dumps: their totals in series order (by time where known).
        TimelineSeries totals{QStringLiteral("Traced memory (snapshots)"), true, {}, {}};
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
    return t;
}

std::vector<DecimatedPoint> decimate(const TimelineSeries& s, double fromMs, double toMs,
                                     int columns)
{
    std::vector<DecimatedPoint> out;
    const size_t n = s.timeMs.size();
    if (n == 0 || columns <= 0 || !(toMs > fromMs))
        return out;
    auto first = std::lower_bound(s.timeMs.begin(), s.timeMs.end(), fromMs) - s.timeMs.begin();
    auto last = std::upper_bound(s.timeMs.begin(), s.timeMs.end(), toMs) - s.timeMs.begin();
    if (first > 0)
        --first; // the point before, so the line enters from the left edge
    if (last < long(n))
        ++last;
    const double perColumn = (toMs - fromMs) / columns;
    for (long i = first; i < last;) {
        const long column = long((s.timeMs[size_t(i)] - fromMs) / perColumn);
        // All points of this column: keep the first, min, max and last, in time order.
        long j = i;
        size_t lo = size_t(i), hi = size_t(i);
        while (j < last && long((s.timeMs[size_t(j)] - fromMs) / perColumn) == column) {
            if (s.value[size_t(j)] < s.value[lo])
                lo = size_t(j);
            if (s.value[size_t(j)] > s.value[hi])
                hi = size_t(j);
            ++j;
        }
        size_t keep[4] = {size_t(i), std::min(lo, hi), std::max(lo, hi), size_t(j - 1)};
        for (size_t k = 0; k < 4; ++k)
            if (out.empty() || k == 0 || keep[k] != keep[k - 1])
                out.push_back({s.timeMs[keep[k]], s.value[keep[k]]});
        i = j;
    }
    return out;
}

} // namespace hs
