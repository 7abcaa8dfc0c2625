#include "timelinewidget.h"

#include "costformat.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace hs {

namespace {

constexpr int kLeft = 72, kRight = 12, kTop = 8, kBottom = 22;

QString timeText(double ms, double span)
{
    if (span < 5000)
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', span < 50 ? 1 : 0);
    if (span < 600000)
        return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', span < 20000 ? 2 : 1);
    return QStringLiteral("%1 min").arg(ms / 60000, 0, 'f', 1);
}

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

QColor seriesColour(size_t k, bool dark)
{
    static const int hues[] = {210, 20, 120, 280};
    return QColor::fromHsv(hues[k % 4], 200, dark ? 240 : 190);
}

} // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setToolTip(tr("Drag to select a time range; click a snapshot marker to show it"));
    setStatusTip(toolTip());
}

void TimelineWidget::setData(std::shared_ptr<const TimelineData> data)
{
    m_data = std::move(data);
    m_selTo = -1;
    resetView();
}

void TimelineWidget::setShowCounts(bool counts)
{
    m_counts = counts;
    update();
}

void TimelineWidget::resetView()
{
    if (m_data && !m_data->empty())
        setView(m_data->firstMs(), m_data->lastMs());
    else
        setView(0, 1);
}

void TimelineWidget::setView(double fromMs, double toMs)
{
    m_from = fromMs;
    m_to = toMs > fromMs ? toMs : fromMs + 1;
    update();
}

void TimelineWidget::setSelection(double fromMs, double toMs)
{
    m_selFrom = fromMs;
    m_selTo = toMs;
    update();
}

QRect TimelineWidget::plotRect() const
{
    return rect().adjusted(kLeft, kTop, -kRight, -kBottom);
}

int TimelineWidget::xOf(double ms) const
{
    const QRect p = plotRect();
    return p.left() + int(std::lround((ms - m_from) / (m_to - m_from) * p.width()));
}

double TimelineWidget::msAt(int x) const
{
    const QRect p = plotRect();
    return m_from + double(x - p.left()) / std::max(p.width(), 1) * (m_to - m_from);
}

double TimelineWidget::maxValue() const
{
    double top = 0;
    if (m_data)
        for (const auto& s : m_data->series)
            if (shown(s))
                for (const DecimatedPoint& d : decimate(s, m_from, m_to, plotRect().width()))
                    top = std::max(top, d.value);
    return top > 0 ? top * 1.05 : 1;
}

QString TimelineWidget::readout(double ms) const
{
    if (!m_data)
        return {};
    QStringList lines{timeText(ms, m_to - m_from)};
    for (const auto& s : m_data->series) {
        if (!shown(s) || s.timeMs.empty())
            continue;
        // The last point at or before the time: what the value was then.
        auto it = std::upper_bound(s.timeMs.begin(), s.timeMs.end(), ms);
        const size_t i = it == s.timeMs.begin() ? 0 : size_t(it - s.timeMs.begin()) - 1;
        const int64_t v = int64_t(s.value[i]);
        lines << QStringLiteral("%1: %2").arg(s.name, s.bytes ? formatExactCost(CostKind::Size, v)
                                                              : formatCount(v));
    }
    return lines.join(QLatin1Char('\n'));
}

void TimelineWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QRect plot = plotRect();
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!m_data || m_data->empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No timeline: this input has no times"));
        return;
    }
    const double top = maxValue();
    const auto yOf = [&](double v) { return plot.bottom() - v / top * plot.height(); };
    // Grid and axes.
    const QColor grid = palette().color(QPalette::Mid);
    p.setPen(grid);
    p.drawRect(plot);
    const QFontMetrics fm(font());
    const double vStep = niceStep(top, std::max(2, plot.height() / 28));
    const bool bytes = !m_counts;
    for (double v = vStep; v < top; v += vStep) {
        const int y = int(yOf(v));
        p.setPen(QPen(grid, 0, Qt::DotLine));
        p.drawLine(plot.left(), y, plot.right(), y);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(0, y - 8, kLeft - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                   bytes ? formatBytes(int64_t(v)) : formatCount(int64_t(v)));
    }
    const double tStep = niceStep(m_to - m_from, std::max(2, plot.width() / 110));
    for (double t = std::ceil(m_from / tStep) * tStep; t <= m_to; t += tStep) {
        const int x = xOf(t);
        p.setPen(QPen(grid, 0, Qt::DotLine));
        p.drawLine(x, plot.top(), x, plot.bottom());
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(x - 50, plot.bottom() + 2, 100, kBottom - 2), Qt::AlignCenter,
                   timeText(t, m_to - m_from));
    }
    // The selection under the lines.
    if (hasSelection() || m_dragX >= 0) {
        const int a = m_dragX >= 0 ? std::min(m_pressX, m_dragX) : xOf(m_selFrom);
        const int b = m_dragX >= 0 ? std::max(m_pressX, m_dragX) : xOf(m_selTo);
        QColor c = palette().color(QPalette::Highlight);
        c.setAlpha(70);
        p.fillRect(QRect(QPoint(std::max(a, plot.left()), plot.top()),
                         QPoint(std::min(b, plot.right()), plot.bottom())),
                   c);
    }
    p.setClipRect(plot.adjusted(0, 0, 1, 1));
    p.setRenderHint(QPainter::Antialiasing);
    int legendX = plot.left() + 6;
    for (size_t k = 0; k < m_data->series.size(); ++k) {
        const TimelineSeries& s = m_data->series[k];
        if (!shown(s))
            continue;
        const auto points = decimate(s, m_from, m_to, plot.width());
        QPainterPath path;
        for (size_t i = 0; i < points.size(); ++i) {
            const QPointF at(plot.left() +
                                 (points[i].timeMs - m_from) / (m_to - m_from) * plot.width(),
                             yOf(points[i].value));
            if (i == 0)
                path.moveTo(at);
            else
                path.lineTo(at);
        }
        p.setPen(QPen(seriesColour(k, dark), 1.5));
        p.drawPath(path);
        p.drawText(legendX, plot.top() + fm.ascent() + 2, s.name);
        legendX += fm.horizontalAdvance(s.name) + 16;
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    // Snapshot markers and the peak.
    p.setPen(QPen(palette().color(QPalette::Text), 0, Qt::DashLine));
    for (const TimelineMarker& m : m_data->markers)
        p.drawLine(xOf(m.timeMs), plot.top(), xOf(m.timeMs), plot.bottom());
    if (m_data->peakTimeMs >= 0 && bytes) {
        const int x = xOf(m_data->peakTimeMs);
        const int y = int(yOf(m_data->peakValue));
        p.setBrush(palette().color(QPalette::Highlight));
        p.setPen(Qt::NoPen);
        p.drawPolygon(QPolygon({QPoint(x, y), QPoint(x - 5, y - 8), QPoint(x + 5, y - 8)}));
        p.setPen(palette().color(QPalette::Text));
        const QString text = tr("peak %1").arg(formatBytes(int64_t(m_data->peakValue)));
        const int w = fm.horizontalAdvance(text);
        // Beside the marker, on whichever side has room.
        const int tx = x + 7 + w <= plot.right() ? x + 7 : x - 7 - w;
        p.drawText(tx, std::max(y - 2, plot.top() + 2 * fm.height()), text);
    }
}

void TimelineWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_data)
        return;
    m_pressX = event->position().toPoint().x();
    m_dragX = -1;
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* event)
{
    const int x = event->position().toPoint().x();
    if (m_pressX >= 0 && (event->buttons() & Qt::LeftButton) && std::abs(x - m_pressX) > 3) {
        m_dragX = std::clamp(x, plotRect().left(), plotRect().right());
        update();
    }
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_pressX < 0)
        return;
    const int x = event->position().toPoint().x();
    const int press = m_pressX;
    m_pressX = -1;
    if (m_dragX >= 0) {
        m_dragX = -1;
        const double a = msAt(std::min(press, x)), b = msAt(std::max(press, x));
        setSelection(std::max(a, m_from), std::min(b, m_to));
        emit rangeSelected(m_selFrom, m_selTo);
        return;
    }
    // A click: a marker near it, else clear the selection.
    for (const TimelineMarker& m : m_data->markers)
        if (std::abs(xOf(m.timeMs) - x) <= 4 && m.snapshot != kNoIndex) {
            emit markerClicked(m.snapshot);
            return;
        }
    if (hasSelection()) {
        setSelection(0, -1);
        emit selectionCleared();
    }
}

bool TimelineWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_data && !m_data->empty()) {
        auto* help = static_cast<QHelpEvent*>(event);
        if (plotRect().contains(help->pos()))
            QToolTip::showText(help->globalPos(), readout(msAt(help->pos().x())), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace hs
