#include "flamegraphpage.h"

#include "calltreecache.h"
#include "costformat.h"
#include "flameexport.h"
#include "flamegraphwidget.h"
#include "flametext.h"
#include "latestjob.h"
#include "selectionstate.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollArea>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace hs {

namespace {

QAction* makeAction(QObject* parent, const QString& text, const QString& tip,
                    const QKeySequence& key, QStyle::StandardPixmap icon = QStyle::SP_CustomBase)
{
    auto* a = new QAction(text, parent);
    a->setToolTip(tip + (key.isEmpty() ? QString()
                                       : QStringLiteral(" (%1)").arg(
                                             key.toString(QKeySequence::NativeText))));
    a->setStatusTip(tip);
    a->setShortcut(key);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    if (icon != QStyle::SP_CustomBase)
        a->setIcon(QApplication::style()->standardIcon(icon));
    return a;
}

} // namespace

FlameGraphPage::FlameGraphPage(SelectionState* state, CallTreeCache* cache, QWidget* parent)
    : QWidget(parent), m_state(state), m_cache(cache),
      m_searchResult(std::make_shared<FlameSearchResult>())
{
    auto* bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_back = makeAction(this, tr("Back"), tr("Go back to the previous zoom"), QKeySequence::Back,
                        QStyle::SP_ArrowBack);
    m_forward = makeAction(this, tr("Forward"), tr("Go forward to the next zoom"),
                           QKeySequence::Forward, QStyle::SP_ArrowForward);
    m_reset = makeAction(this, tr("Reset"), tr("Show the whole graph"),
                         QKeySequence(Qt::CTRL | Qt::Key_0), QStyle::SP_BrowserReload);
    m_zoomIn =
        makeAction(this, tr("Zoom in"), tr("Zoom into the selected frame"), QKeySequence::ZoomIn);
    m_zoomOut =
        makeAction(this, tr("Zoom out"), tr("Zoom out to the caller"), QKeySequence::ZoomOut);
    m_bottomUp =
        makeAction(this, tr("Bottom-up"), tr("Allocating frames on top, their callers below"),
                   QKeySequence(Qt::CTRL | Qt::Key_B));
    m_bottomUp->setCheckable(true);
    m_collapse = makeAction(this, tr("Collapse recursion"),
                            tr("Show a frame that calls itself as one frame"),
                            QKeySequence(Qt::CTRL | Qt::Key_R));
    m_collapse->setCheckable(true);
    for (QAction* a : {m_back, m_forward, m_reset}) {
        bar->addAction(a);
        // Icons only: the toolbar must fit beside the sidebar (the tooltips say what they do).
        if (auto* button = qobject_cast<QToolButton*>(bar->widgetForAction(a)))
            button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }
    addAction(m_zoomIn);
    addAction(m_zoomOut);
    bar->addSeparator();
    m_cost = new QComboBox(this);
    m_cost->setToolTip(tr("The cost the frames' widths stand for"));
    m_cost->setStatusTip(m_cost->toolTip());
    bar->addWidget(new QLabel(tr(" Cost: "), this));
    bar->addWidget(m_cost);
    bar->addAction(m_bottomUp);
    bar->addAction(m_collapse);
    m_colours = new QComboBox(this);
    m_colours->addItem(tr("Colour by module"), int(FlameColours::ByModule));
    m_colours->addItem(tr("Colour by cost"), int(FlameColours::ByCost));
    m_colours->setToolTip(tr("What the colours of the frames say"));
    m_colours->setStatusTip(m_colours->toolTip());
    bar->addWidget(m_colours);
    m_threshold = new QDoubleSpinBox(this);
    m_threshold->setRange(0, 50);
    m_threshold->setDecimals(1);
    m_threshold->setSingleStep(0.5);
    m_threshold->setSuffix(QStringLiteral(" %"));
    m_threshold->setPrefix(tr("hide < "));
    m_threshold->setToolTip(tr("Hide frames below this share of what is shown"));
    m_threshold->setStatusTip(m_threshold->toolTip());
    bar->addWidget(m_threshold);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search (regular expression)"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Highlight the frames whose function, file or module match"));
    m_search->setStatusTip(m_search->toolTip());
    m_search->setMinimumWidth(160);
    bar->addWidget(m_search);
    auto* find = makeAction(this, tr("Find"), tr("Search the frames"), QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    addAction(find);

    m_graph = new FlameGraphWidget(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_graph);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_status);

    m_orderJob = new LatestJob(this);
    m_searchJob = new LatestJob(this);
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);

    connect(m_back, &QAction::triggered, this, &FlameGraphPage::back);
    connect(m_forward, &QAction::triggered, this, &FlameGraphPage::forward);
    connect(m_reset, &QAction::triggered, this, &FlameGraphPage::resetZoom);
    connect(m_zoomOut, &QAction::triggered, this, &FlameGraphPage::zoomOut);
    connect(m_zoomIn, &QAction::triggered, this, [this] {
        // Into the frame the cursor is on, else the selected frame's widest node.
        if (m_hovered != kNoIndex)
            zoomTo(m_hovered);
    });
    connect(m_bottomUp, &QAction::toggled, this, &FlameGraphPage::refresh);
    connect(m_collapse, &QAction::toggled, this, &FlameGraphPage::refresh);
    connect(m_colours, &QComboBox::currentIndexChanged, this,
            [this] { m_graph->setColours(FlameColours(m_colours->currentData().toInt())); });
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { m_graph->setThreshold(v / 100); });
    connect(m_cost, &QComboBox::activated, this,
            [this] { m_state->setCost(CostKind(m_cost->currentData().toInt())); });
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this,
            [this] { m_state->setSearch(m_search->text()); });
    connect(m_graph, &FlameGraphWidget::clicked, this, [this](uint32_t node) {
        zoomTo(node);
        if (m_tree && node != 0)
            m_state->setSelectedFrame(m_tree->frame[node]);
    });
    connect(m_graph, &FlameGraphWidget::hovered, this, [this](uint32_t node) {
        m_hovered = node;
        updateStatus();
    });
    connect(m_graph, &FlameGraphWidget::contextMenuRequested, this, &FlameGraphPage::showMenu);
    connect(m_cache, &CallTreeCache::ready, this, [this] {
        if (m_waitingForTree)
            refresh();
    });
    connect(m_state, &SelectionState::currentChanged, this, &FlameGraphPage::refresh);
    connect(m_state, &SelectionState::timeRangeChanged, this, &FlameGraphPage::refresh);
    connect(m_state, &SelectionState::costChanged, this, &FlameGraphPage::reorder);
    connect(m_state, &SelectionState::searchChanged, this, [this] {
        if (m_search->text() != m_state->search())
            m_search->setText(m_state->search());
        runSearch();
    });
    connect(m_state, &SelectionState::selectedFrameChanged, this,
            [this] { m_graph->setSelectedFrame(m_state->selectedFrame()); });
    connect(m_orderJob, &LatestJob::settled, this, &FlameGraphPage::settledChanged);
    connect(m_searchJob, &LatestJob::settled, this, &FlameGraphPage::settledChanged);
    refresh();
}

CallTreeOptions FlameGraphPage::options() const
{
    CallTreeOptions o;
    o.bottomUp = m_bottomUp->isChecked();
    o.collapseRecursion = m_collapse->isChecked();
    o.windowed = m_state->hasTimeRange();
    o.fromMs = m_state->fromMs();
    o.toMs = m_state->toMs();
    return o;
}

bool FlameGraphPage::settled() const
{
    return !m_waitingForTree && !m_orderJob->busy() && !m_searchJob->busy() &&
           !m_searchDelay->isActive();
}

void FlameGraphPage::refresh()
{
    updateCosts();
    const auto& doc = m_state->document();
    if (!doc) {
        m_waitingForTree = false;
        adoptTree({});
        return;
    }
    auto tree = m_cache->get(doc->data, m_state->snapshot(), options());
    m_waitingForTree = !tree;
    if (tree)
        adoptTree(std::move(tree));
    else
        updateStatus();
    emit settledChanged();
}

void FlameGraphPage::adoptTree(std::shared_ptr<const CallTree> tree)
{
    if (tree == m_tree)
        return;
    m_tree = std::move(tree);
    m_backStack.clear();
    m_forwardStack.clear();
    m_column = -1;
    m_searchResult = std::make_shared<FlameSearchResult>();
    reorder();
    runSearch();
}

void FlameGraphPage::updateCosts()
{
    const std::vector<CostKind> kinds = m_state->costKinds();
    m_cost->clear();
    for (const CostKind k : kinds)
        m_cost->addItem(QString::fromLatin1(costTitle(k)), int(k));
    m_cost->setCurrentIndex(m_cost->findData(int(m_state->cost())));
}

void FlameGraphPage::reorder()
{
    m_cost->setCurrentIndex(m_cost->findData(int(m_state->cost())));
    if (!m_tree) {
        m_graph->setTree({}, {}, {}, 0);
        updateStatus();
        return;
    }
    const int column = std::max(m_tree->column(m_state->cost()), 0);
    auto tree = m_tree;
    const uint32_t zoom = m_graph->tree() == m_tree.get() ? m_graph->zoom() : 0;
    m_orderJob->start<std::shared_ptr<const std::vector<uint32_t>>>(
        [tree, column] {
            return std::make_shared<const std::vector<uint32_t>>(flameOrder(*tree, column));
        },
        [this, tree, column, zoom](std::shared_ptr<const std::vector<uint32_t>> order) {
            if (tree != m_tree)
                return;
            m_column = column;
            m_graph->setTree(m_state->document()->data, tree, std::move(order), column);
            m_graph->setZoom(zoom);
            m_graph->setSelectedFrame(m_state->selectedFrame());
            m_graph->setMatches(m_searchResult->matches.empty()
                                    ? nullptr
                                    : std::shared_ptr<const std::vector<uint8_t>>(
                                          m_searchResult, &m_searchResult->matches));
            updateStatus();
        });
}

void FlameGraphPage::runSearch()
{
    if (!m_tree || m_state->search().isEmpty()) {
        m_searchJob->forget();
        m_searchResult = std::make_shared<FlameSearchResult>();
        m_graph->setMatches({});
        updateStatus();
        emit settledChanged();
        return;
    }
    const QRegularExpression pattern(m_state->search(), QRegularExpression::CaseInsensitiveOption);
    auto data = m_state->document()->data;
    auto tree = m_tree;
    m_searchJob->start<std::shared_ptr<const FlameSearchResult>>(
        [data, tree, pattern] {
            return std::make_shared<const FlameSearchResult>(searchFlame(*data, *tree, pattern));
        },
        [this, tree](std::shared_ptr<const FlameSearchResult> result) {
            if (tree != m_tree)
                return;
            m_searchResult = std::move(result);
            m_graph->setMatches(m_searchResult->matches.empty()
                                    ? nullptr
                                    : std::shared_ptr<const std::vector<uint8_t>>(
                                          m_searchResult, &m_searchResult->matches));
            updateStatus();
        });
}

QString FlameGraphPage::statusText() const
{
    return m_status->text();
}

void FlameGraphPage::updateStatus()
{
    const auto& doc = m_state->document();
    if (!doc) {
        m_status->setText(tr("Open a file to see where its memory goes."));
        return;
    }
    if (m_waitingForTree || !m_tree) {
        m_status->setText(tr("Building the call tree…"));
        return;
    }
    const int column = std::max(m_tree->column(m_state->cost()), 0);
    const CostKind kind = m_tree->kinds.empty() ? CostKind::Size : m_tree->kinds[size_t(column)];
    QStringList parts;
    const int64_t all = m_tree->total[size_t(column)][0];
    parts << tr("%1: %2 in %3 frames")
                 .arg(QString::fromLatin1(costTitle(kind)), formatCost(kind, all))
                 .arg(formatCount(int64_t(m_tree->nodeCount() - 1)));
    if (m_graph->zoom() != 0)
        parts << tr("zoomed into %1")
                     .arg(QString::fromStdString(
                         frameLabel(*doc->data, m_tree->frame[m_graph->zoom()])));
    if (!m_state->search().isEmpty()) {
        if (!QRegularExpression(m_state->search()).isValid())
            parts << tr("the search is not a valid regular expression");
        else if (!m_searchResult->matches.empty()) {
            const int64_t matched = m_searchResult->cost[size_t(column)];
            parts << tr("search: %1 frames match, %2 (%3)")
                         .arg(formatCount(int64_t(m_searchResult->matchCount)),
                              formatCost(kind, matched),
                              formatShare(all != 0 ? double(matched) / double(all) : 0));
        }
    }
    if (m_hovered != kNoIndex && m_hovered < m_tree->nodeCount())
        parts << FlameText::tooltip(*doc->data, *m_tree, column, m_hovered, false)
                     .replace(QLatin1Char('\n'), QStringLiteral(" · "));
    m_status->setText(parts.join(QStringLiteral(" — ")));
}

void FlameGraphPage::zoomTo(uint32_t node)
{
    if (!m_tree || node >= m_tree->nodeCount() || node == m_graph->zoom())
        return;
    m_backStack.push_back(m_graph->zoom());
    m_forwardStack.clear();
    m_graph->setZoom(node);
    updateStatus();
}

void FlameGraphPage::back()
{
    if (m_backStack.empty())
        return;
    m_forwardStack.push_back(m_graph->zoom());
    m_graph->setZoom(m_backStack.back());
    m_backStack.pop_back();
    updateStatus();
}

void FlameGraphPage::forward()
{
    if (m_forwardStack.empty())
        return;
    m_backStack.push_back(m_graph->zoom());
    m_graph->setZoom(m_forwardStack.back());
    m_forwardStack.pop_back();
    updateStatus();
}

void FlameGraphPage::resetZoom()
{
    zoomTo(0);
}

void FlameGraphPage::zoomOut()
{
    if (m_tree && m_graph->zoom() != 0)
        zoomTo(m_tree->parent[m_graph->zoom()]);
}

void FlameGraphPage::showMenu(uint32_t node, const QPoint& pos)
{
    if (!m_tree || node == 0)
        return;
    const auto& data = *m_state->document()->data;
    QMenu menu(this);
    menu.addAction(tr("Zoom into this frame"), this, [this, node] { zoomTo(node); });
    menu.addAction(tr("Copy the frame"), this, [&data, this, node] {
        QApplication::clipboard()->setText(FlameText::frameLine(data, m_tree->frame[node]));
    });
    menu.addAction(tr("Copy the stack"), this, [&data, this, node] {
        QApplication::clipboard()->setText(FlameText::stack(data, *m_tree, node));
    });
    menu.addAction(tr("Show this frame in the tables"), this, [this, node] {
        m_state->setSelectedFrame(m_tree->frame[node]);
        emit showInTables(m_tree->frame[node]);
    });
    menu.exec(pos);
}

std::function<QString()> FlameGraphPage::exportJob(const QString& path, double scale) const
{
    const auto& doc = m_state->document();
    if (!doc || !m_tree || !m_graph->tree() || !m_graph->order())
        return {};
    FlameExportRequest r;
    r.path = path;
    r.width = std::max(m_graph->width(), 400);
    r.scale = scale;
    r.column = m_graph->column();
    r.zoomNode = m_graph->zoom();
    r.style = m_graph->style();
    r.style.title = tr("%1 — %2, %3")
                        .arg(doc->title, QString::fromLatin1(costTitle(m_state->cost())),
                             m_tree->bottomUp ? tr("bottom-up") : tr("top-down"));
    auto data = doc->data;
    auto tree = m_tree;
    auto order = m_graph->order();
    auto search = m_searchResult;
    return [data, tree, order, search, r]() mutable {
        r.matches = search->matches.empty() ? nullptr : &search->matches;
        QString error;
        FlameExport::write(*data, *tree, *order, r, error);
        return error;
    };
}

} // namespace hs
