#pragma once

#include "timelineseries.h"

#include <QColor>
#include <QRect>
#include <QString>

class QFont;
class QPainter;
class QPalette;

namespace hs {

// What part of a timeline is drawn, and how.
struct TimelineView
{
    double fromMs = 0, toMs = 1;
    double selFrom = 0, selTo = -1; // the selected range; none when selTo < selFrom
    SeriesGroup group = SeriesGroup::Memory;
    int dragFrom = -1, dragTo = -1; // a range being dragged, in pixels (-1: none)

    bool shows(const TimelineSeries& s) const { return s.group == group; }
    bool hasSelection() const { return selTo > selFrom; }
};

// Paints a timeline chart into any painter (the widget, an image, an SVG or PDF file): the
// group's series decimated to the pixels they cover, axes with readable units, snapshot
// markers, the global peak and the selection.
class TimelinePainter
{
public:
    static QRect plotRect(const QRect& area);
    static int xOf(const QRect& plot, const TimelineView& view, double ms);
    static double maxValue(const TimelineData& data, const TimelineView& view, int columns);
    static void paint(QPainter& p, const QRect& area, const TimelineData& data,
                      const TimelineView& view, const QPalette& palette, const QFont& font);
    static QString timeText(double ms, double span);
    static QColor colour(size_t k, bool dark);
};

} // namespace hs
