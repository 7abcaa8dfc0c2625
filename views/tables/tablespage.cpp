#include "tablespage.h"

#include "calltreecache.h"
#include "calltreemodel.h"
#include "costbardelegate.h"
#include "csvexport.h"
#include "latestjob.h"
#include "selectionstate.h"
#include "tablefilter.h"
#include "treefilterproxy.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace hs {

namespace {

struct Filters
{
    std::shared_ptr<const std::vector<uint8_t>> top, bottom, sites;
};

} // namespace

TablesPage::TablesPage(SelectionState* state, CallTreeCache* cache, QWidget* parent)
    : QWidget(parent), m_state(state), m_cache(cache)
{
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter by function, file or module"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Show only the rows whose frame contains this text, with what leads "
                            "to them and what they call"));
    m_filter->setStatusTip(m_filter->toolTip());
    m_grouping = new QComboBox(this);
    m_grouping->addItem(tr("by allocating frame"), int(TopSitesModel::Grouping::Frame));
    m_grouping->addItem(tr("by file"), int(TopSitesModel::Grouping::File));
    m_grouping->addItem(tr("by call stack"), int(TopSitesModel::Grouping::CallStack));
    m_grouping->setToolTip(tr("How the top sites table groups allocations"));
    m_grouping->setStatusTip(m_grouping->toolTip());

    m_topModel = new CallTreeModel(this);
    m_bottomModel = new CallTreeModel(this);
    m_sitesModel = new TopSitesModel(this);
    m_proxies[TopDown] =
        new TreeFilterProxy(CallTreeModel::NodeRole, CallTreeModel::SortRole, this);
    m_proxies[BottomUp] =
        new TreeFilterProxy(CallTreeModel::NodeRole, CallTreeModel::SortRole, this);
    m_proxies[TopSites] = new TreeFilterProxy(-1, TopSitesModel::SortRole, this);
    m_proxies[TopDown]->setSourceModel(m_topModel);
    m_proxies[BottomUp]->setSourceModel(m_bottomModel);
    m_proxies[TopSites]->setSourceModel(m_sitesModel);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    const char* names[] = {QT_TR_NOOP("Top-down"), QT_TR_NOOP("Bottom-up"),
                           QT_TR_NOOP("Top sites")};
    const char* tips[] = {QT_TR_NOOP("Callers first: where the cost comes from"),
                          QT_TR_NOOP("Allocating frames first, then who called them"),
                          QT_TR_NOOP("One row per allocation site")};
    for (int t = 0; t < 3; ++t) {
        m_views[t] = makeView(m_proxies[t]);
        m_views[t]->setItemDelegate(new CostBarDelegate(
            t == TopSites ? int(TopSitesModel::ShareRole) : int(CallTreeModel::ShareRole),
            m_views[t]));
        m_tabs->addTab(m_views[t], tr(names[t]));
        m_tabs->setTabToolTip(t, tr(tips[t]));
    }
    m_views[TopSites]->setRootIsDecorated(false);

    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(new QLabel(tr("Top sites:"), this));
    top->addWidget(m_grouping);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);

    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(250);
    m_filterJob = new LatestJob(this);
    m_sitesJob = new LatestJob(this);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this, &TablesPage::runFilter);
    connect(m_grouping, &QComboBox::currentIndexChanged, this, &TablesPage::rebuildSites);
    connect(m_cache, &CallTreeCache::ready, this, [this] {
        if (m_waiting)
            refresh();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == BottomUp && !m_bottom)
            refresh();
    });
    connect(m_state, &SelectionState::currentChanged, this, &TablesPage::refresh);
    connect(m_state, &SelectionState::timeRangeChanged, this, &TablesPage::refresh);
    connect(m_state, &SelectionState::selectedFrameChanged, this, &TablesPage::followSelection);
    connect(m_state, &SelectionState::costChanged, this, [this] {
        // Sort every table by the cost the user is looking at.
        if (!m_top)
            return;
        const int column = m_topModel->costColumn(m_state->cost(), false);
        for (int t = 0; t < 2; ++t)
            m_views[t]->sortByColumn(column, Qt::DescendingOrder);
        if (m_top->column(m_state->cost()) >= 0)
            m_views[TopSites]->sortByColumn(1 + m_top->column(m_state->cost()),
                                            Qt::DescendingOrder);
    });
    connect(m_filterJob, &LatestJob::settled, this, &TablesPage::settledChanged);
    connect(m_sitesJob, &LatestJob::settled, this, &TablesPage::settledChanged);
    refresh();
}

QTreeView* TablesPage::makeView(QAbstractItemModel* model)
{
    auto* v = new QTreeView(this);
    v->setModel(model);
    v->setSortingEnabled(true);
    v->setUniformRowHeights(true);
    v->setAlternatingRowColors(true);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->header()->setStretchLastSection(false);
    v->header()->setSectionResizeMode(QHeaderView::Interactive);
    connect(v->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { rowSelected(current); });
    return v;
}

QTreeView* TablesPage::view(Tab tab) const
{
    return m_views[tab];
}

bool TablesPage::settled() const
{
    return !m_waiting && !m_filterJob->busy() && !m_sitesJob->busy() && !m_filterDelay->isActive();
}

void TablesPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

void TablesPage::refresh()
{
    const auto& doc = m_state->document();
    if (!doc) {
        m_waiting = false;
        adoptTrees({}, {});
        return;
    }
    CallTreeOptions o;
    o.windowed = m_state->hasTimeRange();
    o.fromMs = m_state->fromMs();
    o.toMs = m_state->toMs();
    auto top = m_cache->get(doc->data, m_state->snapshot(), o);
    // The bottom-up tree can be several times the top-down one (4.6M nodes against 1.5M for
    // a large compiler run): it is built when its tab is shown, not on every open and range.
    std::shared_ptr<const CallTree> bottom;
    const bool wantBottom = m_tabs->currentIndex() == BottomUp;
    if (wantBottom) {
        o.bottomUp = true;
        bottom = m_cache->get(doc->data, m_state->snapshot(), o);
    }
    m_waiting = !top || (wantBottom && !bottom);
    if (!m_waiting)
        adoptTrees(std::move(top), std::move(bottom));
    emit settledChanged();
}

void TablesPage::adoptTrees(std::shared_ptr<const CallTree> top,
                            std::shared_ptr<const CallTree> bottom)
{
    if (top == m_top && bottom == m_bottom)
        return;
    const bool newTop = top != m_top;
    m_top = std::move(top);
    m_bottom = std::move(bottom);
    const auto data = m_state->document() ? m_state->document()->data : nullptr;
    for (auto* proxy : m_proxies)
        proxy->setKeep({});
    if (newTop) {
        m_topModel->setTree(data, m_top);
        rebuildSites();
    }
    m_bottomModel->setTree(data, m_bottom);
    if (m_top) {
        const int column = m_topModel->costColumn(m_state->cost(), false);
        for (int t = 0; t < 2; ++t) {
            m_views[t]->sortByColumn(std::max(column, 1), Qt::DescendingOrder);
            m_views[t]->header()->resizeSection(0, 420);
        }
    }
    if (!m_filter->text().isEmpty())
        runFilter();
    followSelection();
}

void TablesPage::rebuildSites()
{
    const auto data = m_state->document() ? m_state->document()->data : nullptr;
    auto top = m_top;
    const auto grouping = TopSitesModel::Grouping(m_grouping->currentData().toInt());
    m_sitesJob->start<std::shared_ptr<const TopSitesModel::Rows>>(
        [data, top, grouping] {
            return std::make_shared<const TopSitesModel::Rows>(
                TopSitesModel::build(data, top, grouping));
        },
        [this, top](std::shared_ptr<const TopSitesModel::Rows> rows) {
            if (top != m_top)
                return;
            m_proxies[TopSites]->setKeep({});
            m_sitesModel->setRows(std::move(rows));
            const int column = m_top ? m_top->column(m_state->cost()) : -1;
            m_views[TopSites]->sortByColumn(1 + std::max(column, 0), Qt::DescendingOrder);
            m_views[TopSites]->header()->resizeSection(0, 420);
            if (!m_filter->text().isEmpty())
                runFilter();
        });
}

void TablesPage::runFilter()
{
    const QString text = m_filter->text();
    if (text.isEmpty() || !m_top) {
        m_filterJob->forget();
        for (auto* proxy : m_proxies)
            proxy->setKeep({});
        emit settledChanged();
        return;
    }
    const auto data = m_state->document()->data;
    auto top = m_top;
    auto bottom = m_bottom;
    auto rows = m_sitesModel->rows();
    m_filterJob->start<Filters>(
        [data, top, bottom, rows, text] {
            Filters f;
            f.top = std::make_shared<const std::vector<uint8_t>>(treeFilter(*data, *top, text));
            if (bottom) // only while the bottom-up tab has its tree
                f.bottom =
                    std::make_shared<const std::vector<uint8_t>>(treeFilter(*data, *bottom, text));
            if (rows) {
                auto keep = std::make_shared<std::vector<uint8_t>>(rows->size(), 0);
                for (size_t r = 0; r < rows->size(); ++r)
                    (*keep)[r] = rows->detail(r).contains(text, Qt::CaseInsensitive) ||
                                 rows->label(r).contains(text, Qt::CaseInsensitive);
                f.sites = keep;
            }
            return f;
        },
        [this, top, bottom, rows](Filters f) {
            if (top != m_top || bottom != m_bottom || rows != m_sitesModel->rows())
                return;
            m_proxies[TopDown]->setKeep(f.top);
            m_proxies[BottomUp]->setKeep(f.bottom);
            if (f.sites)
                m_proxies[TopSites]->setKeep(f.sites);
        });
}

void TablesPage::rowSelected(const QModelIndex& index)
{
    if (m_following || !index.isValid())
        return;
    const uint frame = index.data(CallTreeModel::FrameRole).toUInt();
    if (frame != kNoIndex)
        m_state->setSelectedFrame(frame);
}

void TablesPage::followSelection()
{
    const uint32_t frame = m_state->selectedFrame();
    if (frame == kNoIndex || !m_top)
        return;
    m_following = true;
    for (int t = 0; t < 3; ++t) {
        QModelIndex source;
        if (t == TopSites) {
            const int row = m_sitesModel->rowOfFrame(frame);
            if (row >= 0)
                source = m_sitesModel->index(row, 0);
        } else {
            const CallTreeModel* model = treeModel(Tab(t));
            source = model->indexOfNode(model->bestNodeOfFrame(frame));
        }
        const QModelIndex proxied = m_proxies[t]->mapFromSource(source);
        if (!proxied.isValid())
            continue;
        const QModelIndex current = m_views[t]->currentIndex();
        if (current.isValid() && current.data(CallTreeModel::FrameRole).toUInt() == frame)
            continue;
        for (QModelIndex p = proxied.parent(); p.isValid(); p = p.parent())
            m_views[t]->expand(p);
        m_views[t]->setCurrentIndex(proxied);
        m_views[t]->scrollTo(proxied);
    }
    m_following = false;
}

std::function<QString()> TablesPage::exportCsvJob(const QString& path) const
{
    const auto& doc = m_state->document();
    if (!doc || !m_top)
        return {};
    const int tab = m_tabs->currentIndex();
    if (tab == TopSites) {
        auto rows = m_sitesModel->rows();
        if (!rows)
            return {};
        // The rows in the order and with the filter the table shows.
        std::vector<size_t> order;
        const TreeFilterProxy* proxy = m_proxies[TopSites];
        for (int r = 0; r < proxy->rowCount(); ++r)
            order.push_back(size_t(proxy->mapToSource(proxy->index(r, 0)).row()));
        return [rows, order, path] {
            return CsvExport::write(path, rows->csvHeader(), order.size(),
                                    [&](size_t r) { return rows->csvRow(order[r]); });
        };
    }
    auto data = doc->data;
    auto tree = tab == TopDown ? m_top : m_bottom;
    if (!tree)
        return {}; // the bottom-up tree is still being built
    const QString text = m_filter->text();
    return [data, tree, text, path] {
        std::vector<uint8_t> keep;
        if (!text.isEmpty())
            keep = treeFilter(*data, *tree, text);
        return CsvExport::writeTree(path, *data, *tree, text.isEmpty() ? nullptr : &keep);
    };
}

} // namespace hs
