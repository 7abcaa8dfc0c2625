#pragma once

#include "timelineseries.h"

#include <QWidget>
#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QLabel;

namespace hs {

class LatestJob;
class SelectionState;
class TimelineWidget;

// The timeline above the pages: the chart, what it shows (memory, counts or top sites), zoom into
// the selection, back out, reset, and a line with the selected range and its deltas. A range on a
// heaptrack recording goes into the shared selection, so every page shows that window; on a
// recorder file it names the snapshots just before and after it.
class TimelinePage : public QWidget
{
    Q_OBJECT

public:
    explicit TimelinePage(SelectionState* state, QWidget* parent = nullptr);

    TimelineWidget* chart() const { return m_chart; }
    QString selectionText() const;
    bool settled() const;

signals:
    void settledChanged();
    void snapshotChosen(uint32_t snapshot);

private:
    void refresh();
    void offerGroups();
    void onRange(double fromMs, double toMs);
    void onCleared();
    void describe();

    SelectionState* m_state;
    TimelineWidget* m_chart;
    QComboBox* m_show;
    QLabel* m_info;
    QAction *m_zoomIn, *m_zoomOut, *m_reset;
    LatestJob* m_job;
    std::shared_ptr<const TimelineData> m_data;
    const void* m_shownRecording = nullptr;
    std::vector<std::pair<double, double>> m_zooms; // views to go back to
};

} // namespace hs
