#include "summarypage.h"

#include "costformat.h"
#include "heapqueries.h"
#include "latestjob.h"
#include "selectionstate.h"

#include <QFont>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QStackedLayout>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <memory>

namespace hs {

namespace {

constexpr int kListRows = 10; // rows a top list shows without scrolling
constexpr uint8_t kLeaf = 1;  // a stack some allocation is charged to
constexpr uint8_t kWalked = 2;

bool isHeaptrack(const ProfileData& data, uint32_t snapshot)
{
    if (snapshot >= data.snapshots.size())
        return false;
    const SnapshotData& snap = data.snapshots[snapshot];
    const uint32_t rec = snap.info.recording;
    return (rec < data.recordings.size() && data.recordings[rec].kind == "heaptrack") ||
           !snap.heap.empty();
}

SummaryContent::Figure makeFigure(const char* key, const QString& title, const QString& value,
                                  const QString& exact)
{
    return {QString::fromLatin1(key), title, value, exact};
}

// Replaces the figure with the same key, or puts it after `after` (at the end without one).
void putFigure(SummaryContent& c, const char* after, SummaryContent::Figure f)
{
    for (SummaryContent::Figure& g : c.figures) {
        if (g.key == f.key) {
            g = std::move(f);
            return;
        }
    }
    auto at = c.figures.end();
    if (after) {
        at = std::find_if(c.figures.begin(), c.figures.end(),
                          [after](const auto& g) { return g.key == QLatin1String(after); });
    }
    c.figures.insert(at == c.figures.end() ? at : at + 1, std::move(f));
}

QString seconds(int64_t ms)
{
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 2);
}

// The part of the recording the figures are over: the selection widened to whole buckets.
void addWindow(SummaryContent& c, const HeapProfile& heap, int64_t fromMs, int64_t toMs)
{
    const HeapWindow w = heapWindow(heap, fromMs, toMs);
    if (w.whole)
        return;
    const size_t timestamps = w.endInterval > w.firstInterval ? w.endInterval - w.firstInterval : 0;
    const int64_t from = timestamps ? w.fromMs : fromMs, to = timestamps ? w.toMs : toMs;
    c.figures.insert(c.figures.begin(),
                     makeFigure("range", QStringLiteral("Time range"),
                                QStringLiteral("%1 to %2%3")
                                    .arg(seconds(from), seconds(to),
                                         timestamps ? QString() : QStringLiteral(" (no events)")),
                                QStringLiteral("%1 ms to %2 ms, %3 timestamps")
                                    .arg(from)
                                    .arg(to)
                                    .arg(qulonglong(timestamps))));
}

// What tracemalloc users count: distinct tracebacks (one allocated in two domains is still one
// traceback; the content counts per domain) and distinct frames, plus the checkpoint's label
// and, for a recorder checkpoint, the size of its object graph.
void addPythonShape(SummaryContent& c, const ProfileData& data, const SnapshotData& snap)
{
    std::vector<uint8_t> stackSeen(data.stacks.size(), 0);
    std::vector<uint8_t> frameSeen(data.frames.size(), 0);
    uint64_t tracebacks = 0, frames = 0;
    for (const StackCost& cost : snap.costs) {
        if (cost.stack >= stackSeen.size() || (stackSeen[cost.stack] & kLeaf))
            continue;
        stackSeen[cost.stack] |= kLeaf;
        ++tracebacks;
        // Up the trie until a stack whose frames were already counted.
        for (uint32_t s = cost.stack; s < stackSeen.size() && !(stackSeen[s] & kWalked);
             s = data.stacks[s].parent) {
            stackSeen[s] |= kWalked;
            const uint32_t frame = data.stacks[s].frame;
            if (frame < frameSeen.size() && !frameSeen[frame]) {
                frameSeen[frame] = 1;
                ++frames;
            }
        }
    }
    putFigure(c, "truncated",
              makeFigure("tracebacks", QStringLiteral("Distinct tracebacks"),
                         formatCount(int64_t(tracebacks)), QString::number(tracebacks)));
    putFigure(c, "tracebacks",
              makeFigure("frames", QStringLiteral("Distinct frames"), formatCount(int64_t(frames)),
                         QString::number(frames)));
    if (!snap.info.label.empty()) {
        const QString label = QString::fromStdString(snap.info.label);
        c.figures.insert(c.figures.begin(),
                         makeFigure("label", QStringLiteral("Snapshot"), label, label));
    }
    if (!snap.graph.empty()) {
        const uint64_t objects = snap.graph.nodeCount(), edges = snap.graph.edges.edgeCount();
        putFigure(c, nullptr,
                  makeFigure("objects", QStringLiteral("Objects in the graph"),
                             formatCount(int64_t(objects)), QString::number(objects)));
        putFigure(c, nullptr,
                  makeFigure("references", QStringLiteral("References between them"),
                             formatCount(int64_t(edges)), QString::number(edges)));
    }
}

const QLabel* labelOf(const std::vector<std::pair<QString, QLabel*>>& labels, const QString& key)
{
    for (const auto& [k, label] : labels) {
        if (k == key)
            return label;
    }
    return nullptr;
}

// Runs on the worker: everything the page shows, as text.
SummaryContent contentOf(const ProfileData& data, uint32_t snapshot, bool hasRange, int64_t fromMs,
                         int64_t toMs)
{
    SummaryContent c =
        SummaryContent::of(data, snapshot, hasRange, fromMs, toMs, size_t(kListRows));
    if (snapshot >= data.snapshots.size()) {
        c.heading = QStringLiteral("No snapshot %1 in this file").arg(snapshot);
        return c;
    }
    const SnapshotData& snap = data.snapshots[snapshot];
    if (!isHeaptrack(data, snapshot))
        addPythonShape(c, data, snap);
    else if (hasRange)
        addWindow(c, snap.heap, fromMs, toMs);
    return c;
}

} // namespace

SummaryPage::SummaryPage(SelectionState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_job(new LatestJob(this))
{
    m_hint = new QLabel(tr("Open a tracemalloc dump, a heaptrack recording or a recorder file "
                           "(File > Open, or drop it here)"));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setMargin(24);
    // A muted role of the palette, so the hint reads well in light and dark themes alike.
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    m_body = new QWidget;
    m_heading = new QLabel(m_body);
    QFont big = m_heading->font();
    if (big.pointSizeF() > 0) // else sized in pixels by a style sheet: leave it
        big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_heading->setFont(big);
    m_heading->setTextFormat(Qt::PlainText); // file names are not markup
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_figures = new QFormLayout;
    m_figures->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_figures->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_figures->setHorizontalSpacing(18);
    m_listGrid = new QGridLayout;
    m_listGrid->setColumnStretch(0, 1);
    m_listGrid->setColumnStretch(1, 1);

    auto* body = new QVBoxLayout(m_body);
    body->addWidget(m_heading);
    body->addSpacing(6);
    body->addLayout(m_figures);
    body->addSpacing(12);
    body->addLayout(m_listGrid);
    body->addStretch(1);

    m_scroll = new QScrollArea;
    m_scroll->setWidget(m_body);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    // A scroll area paints QPalette::Dark behind its widget; the page should look like a page.
    m_scroll->setBackgroundRole(QPalette::Window);

    m_stack = new QStackedLayout(this);
    m_stack->setContentsMargins(0, 0, 0, 0);
    m_stack->addWidget(m_hint);
    m_stack->addWidget(m_scroll);
    m_stack->setCurrentWidget(m_hint);

    connect(m_state, &SelectionState::currentChanged, this, &SummaryPage::refresh);
    connect(m_state, &SelectionState::timeRangeChanged, this, &SummaryPage::onTimeRangeChanged);
    connect(m_job, &LatestJob::settled, this, &SummaryPage::updateSettled);
    refresh(); // a page made after a file was opened shows it at once
}

bool SummaryPage::settled() const
{
    return !m_job->busy() && m_shown == m_requested;
}

QString SummaryPage::figure(const QString& key) const
{
    const QLabel* label = labelOf(m_figureLabels, key);
    return label ? label->text() : QString();
}

QString SummaryPage::exactFigure(const QString& key) const
{
    const QLabel* label = labelOf(m_figureLabels, key);
    return label ? label->toolTip() : QString();
}

QString SummaryPage::heading() const
{
    return m_heading->text();
}

bool SummaryPage::showsHint() const
{
    return m_stack->currentWidget() == m_hint;
}

void SummaryPage::refresh()
{
    const quint64 request = ++m_requested;
    const std::shared_ptr<const Document>& doc = m_state->document();
    if (!doc || !doc->data) {
        m_job->forget(); // a result still on its way is of a closed file
        adopt(request, {}, false);
        return;
    }
    std::shared_ptr<const ProfileData> data = doc->data;
    const uint32_t snapshot = m_state->snapshot();
    const bool range = m_state->hasTimeRange();
    const int64_t from = m_state->fromMs(), to = m_state->toMs();
    m_job->start<SummaryContent>(
        [data, snapshot, range, from, to] { return contentOf(*data, snapshot, range, from, to); },
        [this, request](SummaryContent content) { adopt(request, content, true); });
    updateSettled();
}

void SummaryPage::onTimeRangeChanged()
{
    // Only a heaptrack recording has figures over time; a Python snapshot is one moment.
    const ProfileData* data = m_state->data();
    if (data && isHeaptrack(*data, m_state->snapshot()))
        refresh();
}

void SummaryPage::adopt(quint64 request, const SummaryContent& content, bool document)
{
    m_shown = request;
    rebuild(content);
    if (document)
        m_stack->setCurrentWidget(m_scroll);
    else
        m_stack->setCurrentWidget(m_hint);
    updateSettled();
}

void SummaryPage::clearContent()
{
    while (m_figures->rowCount() > 0)
        m_figures->removeRow(0); // deletes the row's labels
    while (QLayoutItem* item = m_listGrid->takeAt(0)) {
        delete item->widget(); // the group box, with its list
        delete item;
    }
    m_figureLabels.clear();
    m_lists.clear();
    m_listTitles.clear();
}

void SummaryPage::rebuild(const SummaryContent& content)
{
    // Rebuilt whole: a dozen labels and a few short lists cost nothing next to the worker's part.
    clearContent();
    m_heading->setText(content.heading);
    for (const SummaryContent::Figure& f : content.figures) {
        auto* title = new QLabel(f.title + QLatin1Char(':'), m_body);
        title->setTextFormat(Qt::PlainText);
        title->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto* value = new QLabel(f.value, m_body);
        value->setTextFormat(Qt::PlainText);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setObjectName(f.key);
        value->setToolTip(f.exact); // the exact figure behind the rounded one
        QFont bold = value->font();
        bold.setBold(true);
        value->setFont(bold);
        m_figures->addRow(title, value);
        m_figureLabels.emplace_back(f.key, value);
    }
    int k = 0;
    for (const SummaryContent::TopList& list : content.lists) {
        auto* box = new QGroupBox(list.title, m_body);
        auto* tree = new QTreeWidget(box);
        tree->setColumnCount(int(list.columns.size()));
        tree->setHeaderLabels(list.columns);
        tree->headerItem()->setTextAlignment(0, Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        tree->setRootIsDecorated(false);
        tree->setUniformRowHeights(true);
        tree->setAlternatingRowColors(true);
        tree->setTextElideMode(Qt::ElideMiddle); // long paths keep their file name in view
        for (const QStringList& row : list.rows) {
            auto* item = new QTreeWidgetItem(tree, row);
            item->setTextAlignment(0, Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
            // Narrow columns elide: the tooltip has the whole row.
            const QString whole = row.join(QStringLiteral("\n"));
            for (int col = 0; col < row.size(); ++col)
                item->setToolTip(col, whole);
        }
        for (int col = 0; col + 1 < tree->columnCount(); ++col) {
            tree->resizeColumnToContents(col);
            tree->setColumnWidth(col, std::min(tree->columnWidth(col), 360));
        }
        // Room for a full list, so that lists side by side line up.
        const int rowHeight = std::max(tree->fontMetrics().height() + 6,
                                       tree->topLevelItemCount() > 0 ? tree->sizeHintForRow(0) : 0);
        tree->setMinimumHeight(tree->header()->sizeHint().height() + kListRows * rowHeight +
                               2 * tree->frameWidth());
        auto* v = new QVBoxLayout(box);
        v->addWidget(tree);
        m_listGrid->addWidget(box, k / 2, k % 2);
        m_lists.push_back(tree);
        m_listTitles << list.title;
        ++k;
    }
}

void SummaryPage::updateSettled()
{
    if (settled() == m_wasSettled)
        return;
    m_wasSettled = !m_wasSettled;
    emit settledChanged();
}

} // namespace hs
