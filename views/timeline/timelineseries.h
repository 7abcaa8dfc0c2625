#pragma once

#include "profiledata.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <utility>
#include <vector>

namespace hs {

// Which chart a series belongs to: the page shows one group at a time.
enum class SeriesGroup : uint8_t
{
    Memory,      // bytes: heap, RSS, traced memory
    Counts,      // calls, temporary allocations, gc objects
    Sites,       // heaptrack's top sites' live bytes, one line each
    SitesStacked // the same, each drawn on top of the ones before
};

// A run of points summarised for drawing: its ends and its extremes, with their times.
struct SeriesBlock
{
    double tFirst, vFirst, tMin, vMin, tMax, vMax, tLast, vLast;
};

// The lines a timeline draws for one document, as plain numbers: heaptrack's heap, RSS and
// cumulative calls and temporary allocations; the recorder's traced memory (current and peak),
// RSS and gc counts; for a series of tracemalloc dumps their totals per snapshot.
struct TimelineSeries
{
    QString name;
    bool bytes = true; // the values are bytes (else counts)
    SeriesGroup group = SeriesGroup::Memory;
    std::vector<double> timeMs; // ascending
    std::vector<double> value;  // stacked series: this one's plus those below it
    int below = -1;             // stacked: the series drawn under this one, if any
    // Blocks of 8, 32, 128... points, so that drawing millions of points costs what drawing
    // thousands does. Built by finish(); decimate() works without them, only slower.
    std::vector<std::vector<SeriesBlock>> levels;

    void finish();
    double own(size_t i, const std::vector<TimelineSeries>& all) const; // value less `below`'s
};

struct TimelineMarker
{
    double timeMs = 0;
    QString label;
    uint32_t snapshot = kNoIndex; // the snapshot it stands for, if any
};

struct TimelineData
{
    std::vector<TimelineSeries> series;
    std::vector<TimelineMarker> markers;
    double peakTimeMs = -1; // the global peak of the first series
    double peakValue = 0;
    bool heaptrack = false; // a range filters heaptrack's costs

    bool empty() const { return series.empty(); }
    double firstMs() const;
    bool has(SeriesGroup group) const;
    double lastMs() const;
    // The snapshots to compare for a range: the latest marked at or before fromMs and the
    // earliest at or after toMs; kNoIndex for both unless there are both.
    std::pair<uint32_t, uint32_t> comparePair(double fromMs, double toMs) const;

    // For one recording of a document (that of `snapshot`).
    static TimelineData of(const ProfileData& data, uint32_t snapshot);
};

// The value of a series at a time (its last point at or before it), and what each series of a
// group gained over [fromMs, toMs] as "Heap +1.2 MiB" (stacked sites: their own bytes).
double valueAt(const TimelineSeries& series, double ms);
QStringList rangeDeltas(const TimelineData& data, SeriesGroup group, double fromMs, double toMs);

// Min/max decimation: per pixel column of [fromMs, toMs] mapped on `columns` columns, the
// first, smallest, largest and last value that falls in it (and the points just outside, so
// lines run to the edges): at most 4 * (columns + 2) points, whatever the series' size, and
// the drawn line looks exactly like the whole series'. With levels, a long run is read in
// blocks of at most half a column's points (so a block's extremes may land one pixel over).
struct DecimatedPoint
{
    double timeMs;
    double value;
};
std::vector<DecimatedPoint> decimate(const TimelineSeries& series, double fromMs, double toMs,
                                     int columns);

} // namespace hs
