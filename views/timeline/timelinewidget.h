#pragma once

#include "timelineseries.h"

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
    void setShowCounts(bool counts); // the count series instead of the byte series
    void setView(double fromMs, double toMs);
    void resetView();
    void setSelection(double fromMs, double toMs); // toMs < fromMs: none
    const TimelineData* data() const { return m_data.get(); }
    double viewFrom() const { return m_from; }
    double viewTo() const { return m_to; }
    bool hasSelection() const { return m_selTo > m_selFrom; }
    double selectionFrom() const { return m_selFrom; }
    double selectionTo() const { return m_selTo; }

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
    bool shown(const TimelineSeries& s) const { return s.bytes != m_counts; }
    double maxValue() const;

    std::shared_ptr<const TimelineData> m_data;
    bool m_counts = false;
    double m_from = 0, m_to = 1;
    double m_selFrom = 0, m_selTo = -1;
    int m_pressX = -1, m_dragX = -1;
};

} // namespace hs
