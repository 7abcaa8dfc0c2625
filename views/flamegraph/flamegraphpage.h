#pragma once

#include "calltree.h"
#include "flamesearch.h"

#include <QWidget>
#include <functional>
#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QScrollArea;
class QTimer;

namespace hs {

class CallTreeCache;
class FlameGraphWidget;
class LatestJob;
class SelectionState;

// The flame graph page: the graph, its toolbar (back, forward, reset, cost, bottom-up,
// collapsed recursion, colours, threshold, search) and a status line. It follows the shared
// selection and builds nothing on the GUI thread: trees come from the cache, the children's
// order and the search from workers.
class FlameGraphPage : public QWidget
{
    Q_OBJECT

public:
    FlameGraphPage(SelectionState* state, CallTreeCache* cache, QWidget* parent = nullptr);

    FlameGraphWidget* graph() const { return m_graph; }
    QLineEdit* searchField() const { return m_search; }
    QAction* backAction() const { return m_back; }
    QAction* forwardAction() const { return m_forward; }
    QAction* resetAction() const { return m_reset; }
    QAction* bottomUpAction() const { return m_bottomUp; }
    QAction* collapseAction() const { return m_collapse; }
    QComboBox* costBox() const { return m_cost; }
    QComboBox* coloursBox() const { return m_colours; }
    QDoubleSpinBox* thresholdBox() const { return m_threshold; }
    QString statusText() const;
    // True once the graph shows what the selection asks for (no build or search running).
    bool settled() const;
    const FlameSearchResult& searchResult() const { return *m_searchResult; }

    // Writing the graph as it is shown to SVG, PNG or PDF, as work for a worker thread (it
    // holds what it needs): it returns an empty string or what went wrong. Null when there is
    // nothing to export.
    std::function<QString()> exportJob(const QString& path, double scale) const;

public slots:
    void zoomTo(uint32_t node);
    void back();
    void forward();
    void resetZoom();
    void zoomOut();

signals:
    void showInTables(uint32_t frame);
    void settledChanged();

private:
    void refresh();
    void adoptTree(std::shared_ptr<const CallTree> tree);
    void reorder();
    void runSearch();
    void updateStatus();
    void updateCosts();
    void showMenu(uint32_t node, const QPoint& pos);
    CallTreeOptions options() const;

    SelectionState* m_state;
    CallTreeCache* m_cache;
    FlameGraphWidget* m_graph;
    QScrollArea* m_scroll;
    QAction *m_back, *m_forward, *m_reset, *m_zoomIn, *m_zoomOut, *m_bottomUp, *m_collapse;
    QComboBox* m_cost;
    QComboBox* m_colours;
    QDoubleSpinBox* m_threshold;
    QLineEdit* m_search;
    QLabel* m_status;
    QTimer* m_searchDelay;
    LatestJob* m_orderJob;
    LatestJob* m_searchJob;

    std::shared_ptr<const CallTree> m_tree;
    int m_column = -1;
    std::vector<uint32_t> m_backStack, m_forwardStack;
    std::shared_ptr<const FlameSearchResult> m_searchResult;
    uint32_t m_hovered = kNoIndex;
    bool m_waitingForTree = false;
};

} // namespace hs
