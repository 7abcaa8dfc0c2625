#include "summarypage.h"

#include "latestjob.h"
#include "selectionstate.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hs {

SummaryPage::SummaryPage(SelectionState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_job(new LatestJob(this))
{
    m_hint = new QLabel(tr("Open a tracemalloc dump, a heaptrack recording or a recorder file "
                           "(File > Open, or drop it here)."),
                        this);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_body = new QWidget;
    m_heading = new QLabel(m_body);
    QFont big = m_heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_heading->setFont(big);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_figures = new QGridLayout;
    m_figures->setColumnStretch(2, 1);
    m_figures->setHorizontalSpacing(18);
    m_listGrid = new QGridLayout;
    auto* body = new QVBoxLayout(m_body);
    body->addWidget(m_heading);
    body->addLayout(m_figures);
    body->addSpacing(12);
    body->addLayout(m_listGrid, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_hint);
    layout->addWidget(scroll, 1);
    scroll->setVisible(false);
    connect(m_state, &SelectionState::currentChanged, this, &SummaryPage::refresh);
    connect(m_state, &SelectionState::timeRangeChanged, this, &SummaryPage::refresh);
    connect(m_job, &LatestJob::settled, this, &SummaryPage::settledChanged);
    connect(this, &SummaryPage::settledChanged, scroll, [this, scroll] {
        scroll->setVisible(m_state->document() != nullptr);
        m_hint->setVisible(m_state->document() == nullptr);
    });
}

bool SummaryPage::settled() const
{
    return !m_job->busy();
}

QString SummaryPage::figure(const QString& key) const
{
    for (const auto& f : m_content.figures)
        if (f.key == key)
            return f.value;
    return {};
}

QString SummaryPage::exactFigure(const QString& key) const
{
    for (const auto& f : m_content.figures)
        if (f.key == key)
            return f.exact;
    return {};
}

void SummaryPage::refresh()
{
    const auto doc = m_state->document();
    if (!doc) {
        m_job->forget();
        adopt({});
        emit settledChanged();
        return;
    }
    auto data = doc->data;
    const uint32_t snapshot = m_state->snapshot();
    const bool range = m_state->hasTimeRange();
    const int64_t from = m_state->fromMs(), to = m_state->toMs();
    m_job->start<SummaryContent>(
        [data, snapshot, range, from, to] {
            return SummaryContent::of(*data, snapshot, range, from, to);
        },
        [this](SummaryContent c) { adopt(c); });
}

void SummaryPage::adopt(const SummaryContent& content)
{
    m_content = content;
    m_heading->setText(content.heading);
    // Rebuilt whole: a handful of labels and lists.
    while (QLayoutItem* item = m_figures->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    while (QLayoutItem* item = m_listGrid->takeAt(0)) {
        delete item->widget(); // with its list
        delete item;
    }
    m_lists.clear();
    int row = 0;
    for (const auto& f : content.figures) {
        auto* title = new QLabel(f.title + QLatin1Char(':'), m_body);
        auto* value = new QLabel(f.value, m_body);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QFont bold = value->font();
        bold.setBold(true);
        value->setFont(bold);
        value->setToolTip(f.exact);
        value->setObjectName(f.key);
        m_figures->addWidget(title, row, 0);
        m_figures->addWidget(value, row, 1);
        ++row;
    }
    int k = 0;
    for (const auto& list : content.lists) {
        auto* tree = new QTreeWidget(m_body);
        tree->setHeaderLabels(list.columns);
        tree->setRootIsDecorated(false);
        tree->setAlternatingRowColors(true);
        tree->setToolTip(list.title);
        tree->setMinimumHeight(tree->fontMetrics().height() * 14);
        for (const QStringList& r : list.rows) {
            auto* item = new QTreeWidgetItem(tree, r);
            item->setTextAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
            for (int c = 0; c < r.size(); ++c)
                item->setToolTip(c, r[c]);
        }
        for (int c = 0; c < list.columns.size(); ++c)
            tree->resizeColumnToContents(c);
        auto* box = new QWidget(m_body);
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(list.title.toHtmlEscaped()), box);
        v->addWidget(title);
        v->addWidget(tree);
        m_listGrid->addWidget(box, k / 2, k % 2);
        m_lists.push_back(tree);
        ++k;
    }
}

} // namespace hs
