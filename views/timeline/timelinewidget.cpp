#include "timelinewidget.h"

#include "costformat.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace hs {

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setToolTip(tr("Drag to select a time range; click a snapshot marker to show it"));
    setStatusTip(toolTip());
}

void TimelineWidget::setData(std::shared_ptr<const TimelineData> data)
{
    m_data = std::move(data);
    m_view.selTo = -1;
    resetView();
}

void TimelineWidget::setGroup(SeriesGroup group)
{
    m_view.group = group;
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
    m_view.fromMs = fromMs;
    m_view.toMs = toMs > fromMs ? toMs : fromMs + 1;
    update();
}

void TimelineWidget::setSelection(double fromMs, double toMs)
{
    m_view.selFrom = fromMs;
    m_view.selTo = toMs;
    update();
}

QRect TimelineWidget::plotRect() const
{
    return TimelinePainter::plotRect(rect());
}

int TimelineWidget::xOf(double ms) const
{
    return TimelinePainter::xOf(plotRect(), m_view, ms);
}

double TimelineWidget::msAt(int x) const
{
    const QRect p = plotRect();
    return m_view.fromMs +
           double(x - p.left()) / std::max(p.width(), 1) * (m_view.toMs - m_view.fromMs);
}

QString TimelineWidget::readout(double ms) const
{
    if (!m_data)
        return {};
    QStringList lines{TimelinePainter::timeText(ms, m_view.toMs - m_view.fromMs)};
    for (const auto& s : m_data->series) {
        if (!m_view.shows(s) || s.timeMs.empty())
            continue;
        // The last point at or before the time: what the value was then.
        auto it = std::upper_bound(s.timeMs.begin(), s.timeMs.end(), ms);
        const size_t i = it == s.timeMs.begin() ? 0 : size_t(it - s.timeMs.begin()) - 1;
        const int64_t v = int64_t(s.own(i, m_data->series));
        lines << QStringLiteral("%1: %2").arg(s.name, s.bytes ? formatExactCost(CostKind::Size, v)
                                                              : formatCount(v));
    }
    return lines.join(QLatin1Char('\n'));
}

void TimelineWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    if (m_data)
        TimelinePainter::paint(p, rect(), *m_data, m_view, palette(), font());
    else
        TimelinePainter::paint(p, rect(), TimelineData{}, m_view, palette(), font());
}

void TimelineWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_data)
        return;
    m_pressX = event->position().toPoint().x();
    m_view.dragFrom = m_view.dragTo = -1;
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* event)
{
    const int x = event->position().toPoint().x();
    if (m_pressX >= 0 && (event->buttons() & Qt::LeftButton) && std::abs(x - m_pressX) > 3) {
        m_view.dragFrom = m_pressX;
        m_view.dragTo = std::clamp(x, plotRect().left(), plotRect().right());
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
    if (m_view.dragTo >= 0) {
        m_view.dragFrom = m_view.dragTo = -1;
        const double a = msAt(std::min(press, x)), b = msAt(std::max(press, x));
        setSelection(std::max(a, m_view.fromMs), std::min(b, m_view.toMs));
        emit rangeSelected(m_view.selFrom, m_view.selTo);
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
