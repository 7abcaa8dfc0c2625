#pragma once

#include "timelinepainter.h"

#include <QWidget>
#include <memory>

namespace hs {

// The chart: the chosen series as lines, decimated to the pixels they cover, with a time axis,
// a value axis, snapshot markers, the global peak and the selected range. Drag to select a
// range, click a marker to choose its snapshot; the page decides what both mean.
class TimelineWidget : public QWidget
{
    Q_OBJECT

public:
    explicit TimelineWidget(QWidget* parent = nullptr);

    void setData(std::shared_ptr<const TimelineData> data);
    void setGroup(SeriesGroup group); // which series to draw
    SeriesGroup group() const { return m_view.group; }
    void setView(double fromMs, double toMs);
    void resetView();
    void setSelection(double fromMs, double toMs); // toMs < fromMs: none
    const TimelineData* data() const { return m_data.get(); }
    const TimelineView& view() const { return m_view; }
    double viewFrom() const { return m_view.fromMs; }
    double viewTo() const { return m_view.toMs; }
    bool hasSelection() const { return m_view.hasSelection(); }
    double selectionFrom() const { return m_view.selFrom; }
    double selectionTo() const { return m_view.selTo; }

    // Where a time is drawn, and the time at an x (for tests and the page).
    int xOf(double ms) const;
    double msAt(int x) const;
    QRect plotRect() const;
    // The values of the shown series nearest to a time, as text lines.
    QString readout(double ms) const;

    QSize sizeHint() const override { return {800, 170}; }
    QSize minimumSizeHint() const override { return {200, 90}; }

signals:
    void rangeSelected(double fromMs, double toMs);
    void selectionCleared();
    void markerClicked(uint32_t snapshot);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    std::shared_ptr<const TimelineData> m_data;
    TimelineView m_view;
    int m_pressX = -1;
};

} // namespace hs
