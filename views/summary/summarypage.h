#pragma once

#include "summarycontent.h"

#include <QWidget>

class QGridLayout;
class QLabel;
class QTreeWidget;

namespace hs {

class LatestJob;
class SelectionState;

// The summary page: the current snapshot's headline figures and top lists, made on a worker
// whenever the snapshot or the time range changes.
class SummaryPage : public QWidget
{
    Q_OBJECT

public:
    explicit SummaryPage(SelectionState* state, QWidget* parent = nullptr);

    bool settled() const;
    // The shown text of a figure by its key ("peak", "total_size"...), and its exact value.
    QString figure(const QString& key) const;
    QString exactFigure(const QString& key) const;
    int topListCount() const { return int(m_lists.size()); }
    QTreeWidget* topList(int k) const { return m_lists[size_t(k)]; }

signals:
    void settledChanged();

private:
    void refresh();
    void adopt(const SummaryContent& content);

    SelectionState* m_state;
    LatestJob* m_job;
    QLabel* m_hint;
    QLabel* m_heading;
    QGridLayout* m_figures;
    QGridLayout* m_listGrid;
    QWidget* m_body;
    SummaryContent m_content;
    std::vector<QTreeWidget*> m_lists;
};

} // namespace hs
