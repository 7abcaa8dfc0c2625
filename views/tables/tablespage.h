#pragma once

#include "calltree.h"
#include "topsitesmodel.h"

#include <QWidget>
#include <functional>
#include <memory>

class QComboBox;
class QLineEdit;
class QTabWidget;
class QTimer;
class QTreeView;

namespace hs {

class CallTreeCache;
class CallTreeModel;
class LatestJob;
class SelectionState;
class TreeFilterProxy;

// The tables page: the top-down and bottom-up trees and the flat top-sites table, every cost
// as a sortable column with bars, one filter for all three. Selecting a row selects its frame
// for every view; a frame selected elsewhere is found and shown here.
class TablesPage : public QWidget
{
    Q_OBJECT

public:
    enum Tab
    {
        TopDown,
        BottomUp,
        TopSites
    };

    TablesPage(SelectionState* state, CallTreeCache* cache, QWidget* parent = nullptr);

    QTreeView* view(Tab tab) const;
    CallTreeModel* treeModel(Tab tab) const { return tab == TopDown ? m_topModel : m_bottomModel; }
    TopSitesModel* sitesModel() const { return m_sitesModel; }
    QLineEdit* filterField() const { return m_filter; }
    QComboBox* groupingBox() const { return m_grouping; }
    QTabWidget* tabs() const { return m_tabs; }
    bool settled() const;

    // Writing the current table (as filtered and sorted) as CSV, for a worker; returns an
    // empty string or what went wrong. Null when there is nothing to export.
    std::function<QString()> exportCsvJob(const QString& path) const;

public slots:
    void showTab(hs::TablesPage::Tab tab);

signals:
    void settledChanged();

private:
    void refresh();
    void adoptTrees(std::shared_ptr<const CallTree> top, std::shared_ptr<const CallTree> bottom);
    void rebuildSites();
    void runFilter();
    void followSelection();
    void rowSelected(const QModelIndex& index);
    QTreeView* makeView(QAbstractItemModel* model);

    SelectionState* m_state;
    CallTreeCache* m_cache;
    QLineEdit* m_filter;
    QComboBox* m_grouping;
    QTabWidget* m_tabs;
    QTreeView* m_views[3];
    CallTreeModel* m_topModel;
    CallTreeModel* m_bottomModel;
    TopSitesModel* m_sitesModel;
    TreeFilterProxy* m_proxies[3];
    QTimer* m_filterDelay;
    LatestJob* m_filterJob;
    LatestJob* m_sitesJob;
    std::shared_ptr<const CallTree> m_top, m_bottom;
    bool m_waiting = false;
    bool m_following = false; // selecting a row because the shared selection changed
};

} // namespace hs
