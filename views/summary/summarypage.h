#pragma once

#include "summarycontent.h"

#include <QString>
#include <QStringList>
#include <QWidget>
#include <utility>
#include <vector>

class QFormLayout;
class QGridLayout;
class QLabel;
class QScrollArea;
class QStackedLayout;
class QTreeWidget;

namespace hs {

class LatestJob;
class SelectionState;

// The summary page: the current snapshot's headline figures and top lists. heaptrack_gui's
// summary for a native recording (over the shared time range, when one is set); totals,
// limits and statistics('lineno') / statistics('filename') for a Python snapshot. The figures
// are made on a worker whenever the snapshot or the time range changes.
class SummaryPage : public QWidget
{
    Q_OBJECT

public:
    explicit SummaryPage(SelectionState* state, QWidget* parent = nullptr);

    // No job running, and what is shown was made for the current selection.
    bool settled() const;

    // The shown text of a figure by its key ("peak", "total_size", ...) and its exact value
    // (the tooltip); empty when the page has no such figure.
    QString figure(const QString& key) const;
    QString exactFigure(const QString& key) const;
    QString heading() const;
    bool showsHint() const; // no document: the "open a file" hint instead of figures

    int topListCount() const { return int(m_lists.size()); }
    QTreeWidget* topList(int k) const
    {
        return k >= 0 && k < topListCount() ? m_lists[size_t(k)] : nullptr;
    }
    QString topListTitle(int k) const
    {
        return k >= 0 && k < m_listTitles.size() ? m_listTitles[k] : QString();
    }

signals:
    void settledChanged();

private:
    void refresh();
    void onTimeRangeChanged();
    void adopt(quint64 request, const SummaryContent& content, bool document);
    void rebuild(const SummaryContent& content);
    void clearContent();
    void updateSettled();

    SelectionState* m_state;
    LatestJob* m_job;
    QStackedLayout* m_stack;
    QLabel* m_hint;
    QScrollArea* m_scroll;
    QWidget* m_body;
    QLabel* m_heading;
    QFormLayout* m_figures;
    QGridLayout* m_listGrid;
    std::vector<std::pair<QString, QLabel*>> m_figureLabels; // key, shown value
    std::vector<QTreeWidget*> m_lists;
    QStringList m_listTitles;
    // Requests are numbered: the page is settled once the newest one is shown.
    quint64 m_requested = 0;
    quint64 m_shown = 0;
    bool m_wasSettled = true;
};

} // namespace hs
