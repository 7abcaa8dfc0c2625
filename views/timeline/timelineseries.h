#pragma once

#include "profiledata.h"

#include <QString>
#include <cstdint>
#include <vector>

namespace hs {

// The lines a timeline draws for one document, as plain numbers: heaptrack's heap, RSS and
// cumulative calls and temporary allocations; the recorder's traced memory (current and peak),
// RSS and gc counts; for a series of tracemalloc dumps their totals per snapshot.
struct TimelineSeries
{
    QString name;
    bool bytes = true;          // the values are bytes (else counts)
    std::vector<double> timeMs; // ascending
    std::vector<double> value;
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
    double lastMs() const;

    // For one recording of a document (that of `snapshot`).
    static TimelineData of(const ProfileData& data, uint32_t snapshot);
};

// Min/max decimation: per pixel column of [fromMs, toMs] mapped on `columns` columns, the
// first, smallest, largest and last value that falls in it (and the points just outside, so
// lines run to the edges): at most 4 * (columns + 2) points, whatever the series' size, and
// the drawn line looks exactly like the whole series'.
struct DecimatedPoint
{
    double timeMs;
    double value;
};
std::vector<DecimatedPoint> decimate(const TimelineSeries& series, double fromMs, double toMs,
                                     int columns);

} // namespace hs
