#include "timelinepainter.h"

#include "costformat.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <algorithm>
#include <cmath>

namespace hs {

namespace {

constexpr int kLeft = 72, kRight = 12, kTop = 8, kBottom = 22;

// 1, 2 or 5 times a power of ten, giving about `count` steps over `span`.
double niceStep(double span, int count)
{
    const double raw = span / std::max(count, 1);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * power >= raw)
            return m * power;
    return 10 * power;
}

// For bytes, steps of 1, 2 or 5 tenths... of the unit the top value is read in (KiB, MiB...),
// so the labels are round numbers of that unit.
double byteStep(double top, int count)
{
    double unit = 1;
    while (unit * 1024 <= top)
        unit *= 1024;
    return niceStep(top / unit, count) * unit;
}

} // namespace

QString TimelinePainter::timeText(double ms, double span)
{
    if (span < 5000)
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', span < 50 ? 1 : 0);
    if (span < 600000)
        return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', span < 20000 ? 2 : 1);
    return QStringLiteral("%1 min").arg(ms / 60000, 0, 'f', 1);
}

QColor TimelinePainter::colour(size_t k, bool dark)
{
    static const int hues[] = {210, 20, 120, 280, 50, 330, 170, 0};
    return QColor::fromHsv(hues[k % 8], 200, dark ? 240 : 190);
}

QRect TimelinePainter::plotRect(const QRect& area)
{
    return area.adjusted(kLeft, kTop, -kRight, -kBottom);
}

int TimelinePainter::xOf(const QRect& plot, const TimelineView& view, double ms)
{
    return plot.left() +
           int(std::lround((ms - view.fromMs) / (view.toMs - view.fromMs) * plot.width()));
}

double TimelinePainter::maxValue(const TimelineData& data, const TimelineView& view, int columns)
{
    double top = 0;
    for (const auto& s : data.series)
        if (view.shows(s))
            for (const DecimatedPoint& d : decimate(s, view.fromMs, view.toMs, columns))
                top = std::max(top, d.value);
    return top > 0 ? top * 1.05 : 1;
}

void TimelinePainter::paint(QPainter& p, const QRect& area, const TimelineData& data,
                            const TimelineView& view, const QPalette& palette, const QFont& font)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    const QRect plot = plotRect(area);
    p.save();
    p.setFont(font);
    p.fillRect(area, palette.color(QPalette::Base));
    if (data.empty() || plot.width() < 2 || plot.height() < 2) {
        p.setPen(palette.color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, QStringLiteral("No timeline: this input has no times"));
        p.restore();
        return;
    }
    const double span = view.toMs - view.fromMs;
    const double top = maxValue(data, view, plot.width());
    const auto yOf = [&](double v) { return plot.bottom() - v / top * plot.height(); };
    const auto xAt = [&](double ms) {
        return plot.left() + (ms - view.fromMs) / span * plot.width();
    };
    // Grid and axes.
    const QColor grid = palette.color(QPalette::Mid);
    p.setPen(grid);
    p.drawRect(plot);
    const QFontMetrics fm(font);
    const bool bytes = view.group != SeriesGroup::Counts;
    const int steps = std::max(2, plot.height() / 28);
    const double vStep = bytes ? byteStep(top, steps) : niceStep(top, steps);
    for (double v = vStep; v < top; v += vStep) {
        const int y = int(yOf(v));
        p.setPen(QPen(grid, 0, Qt::DotLine));
        p.drawLine(plot.left(), y, plot.right(), y);
        p.setPen(palette.color(QPalette::Text));
        p.drawText(QRect(area.left(), y - 8, kLeft - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                   bytes ? formatBytes(int64_t(v)) : formatCount(int64_t(v)));
    }
    const double tStep = niceStep(span, std::max(2, plot.width() / 110));
    for (double t = std::ceil(view.fromMs / tStep) * tStep; t <= view.toMs; t += tStep) {
        const int x = xOf(plot, view, t);
        p.setPen(QPen(grid, 0, Qt::DotLine));
        p.drawLine(x, plot.top(), x, plot.bottom());
        p.setPen(palette.color(QPalette::Text));
        p.drawText(QRect(x - 50, plot.bottom() + 2, 100, kBottom - 2), Qt::AlignCenter,
                   timeText(t, span));
    }
    // The selection under the lines.
    if (view.hasSelection() || view.dragTo >= 0) {
        const bool drag = view.dragTo >= 0;
        const int a = drag ? std::min(view.dragFrom, view.dragTo) : xOf(plot, view, view.selFrom);
        const int b = drag ? std::max(view.dragFrom, view.dragTo) : xOf(plot, view, view.selTo);
        QColor c = palette.color(QPalette::Highlight);
        c.setAlpha(70);
        p.fillRect(QRect(QPoint(std::max(a, plot.left()), plot.top()),
                         QPoint(std::min(b, plot.right()), plot.bottom())),
                   c);
    }
    p.setClipRect(plot.adjusted(0, 0, 1, 1));
    p.setRenderHint(QPainter::Antialiasing);
    std::vector<size_t> shown;
    for (size_t k = 0; k < data.series.size(); ++k)
        if (view.shows(data.series[k]))
            shown.push_back(k);
    // Stacked series fill down to the axis, the top one first, so each band shows its own.
    const bool stacked = view.group == SeriesGroup::SitesStacked;
    if (stacked)
        std::reverse(shown.begin(), shown.end());
    for (size_t n = 0; n < shown.size(); ++n) {
        const TimelineSeries& s = data.series[shown[n]];
        const size_t hue = stacked ? shown.size() - 1 - n : n;
        const auto points = decimate(s, view.fromMs, view.toMs, plot.width());
        if (points.empty())
            continue;
        QPainterPath path;
        path.moveTo(xAt(points[0].timeMs), yOf(points[0].value));
        for (size_t i = 1; i < points.size(); ++i)
            path.lineTo(xAt(points[i].timeMs), yOf(points[i].value));
        const QColor c = colour(hue, dark);
        if (stacked) {
            QPainterPath area = path;
            area.lineTo(xAt(points.back().timeMs), plot.bottom());
            area.lineTo(xAt(points.front().timeMs), plot.bottom());
            area.closeSubpath();
            QColor fill = c;
            fill.setAlpha(dark ? 150 : 110);
            p.fillPath(area, palette.color(QPalette::Base)); // hides the bands above
            p.fillPath(area, fill);
        }
        p.setPen(QPen(c, 1.5));
        p.drawPath(path);
    }
    // The legend, in the series' order.
    int legendX = plot.left() + 6;
    for (size_t n = 0; n < shown.size(); ++n) {
        const size_t k = stacked ? shown[shown.size() - 1 - n] : shown[n];
        p.setPen(colour(n, dark));
        const QString& name = data.series[k].name;
        const QString text = fm.elidedText(name, Qt::ElideMiddle, 260);
        if (legendX + fm.horizontalAdvance(text) > plot.right())
            break;
        p.drawText(legendX, plot.top() + fm.ascent() + 2, text);
        legendX += fm.horizontalAdvance(text) + 16;
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    // Snapshot markers and the peak.
    p.setPen(QPen(palette.color(QPalette::Text), 0, Qt::DashLine));
    for (const TimelineMarker& m : data.markers)
        p.drawLine(xOf(plot, view, m.timeMs), plot.top(), xOf(plot, view, m.timeMs), plot.bottom());
    if (data.peakTimeMs >= 0 && view.group == SeriesGroup::Memory) {
        const int x = xOf(plot, view, data.peakTimeMs);
        const int y = int(yOf(data.peakValue));
        p.setBrush(palette.color(QPalette::Highlight));
        p.setPen(Qt::NoPen);
        p.drawPolygon(QPolygon({QPoint(x, y), QPoint(x - 5, y - 8), QPoint(x + 5, y - 8)}));
        p.setPen(palette.color(QPalette::Text));
        const QString text = QStringLiteral("peak %1").arg(formatBytes(int64_t(data.peakValue)));
        const int w = fm.horizontalAdvance(text);
        // Beside the marker, on whichever side has room.
        const int tx = x + 7 + w <= plot.right() ? x + 7 : x - 7 - w;
        p.drawText(tx, std::max(y - 2, plot.top() + 2 * fm.height()), text);
    }
    p.restore();
}

} // namespace hs
