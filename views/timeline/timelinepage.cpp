#include "timelinepage.h"

#include "costformat.h"
#include "latestjob.h"
#include "selectionstate.h"
#include "timelinewidget.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace hs {

namespace {

QString timeText(double ms)
{
    return ms < 10000 ? QStringLiteral("%1 ms").arg(ms, 0, 'f', 0)
                      : QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 2);
}

} // namespace

TimelinePage::TimelinePage(SelectionState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_chart(new TimelineWidget(this)), m_job(new LatestJob(this))
{
    m_show = new QComboBox(this);
    m_show->addItem(tr("Memory"), int(SeriesGroup::Memory));
    m_show->addItem(tr("Allocations and counts"), int(SeriesGroup::Counts));
    m_show->setToolTip(tr("What the timeline draws"));
    m_show->setStatusTip(m_show->toolTip());
    const auto tool = [this](const QString& text, const QString& tip, QStyle::StandardPixmap icon) {
        auto* a = new QAction(QApplication::style()->standardIcon(icon), text, this);
        a->setToolTip(tip);
        a->setStatusTip(tip);
        auto* b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setAutoRaise(true);
        return std::make_pair(a, b);
    };
    auto [zoomIn, zoomInButton] =
        tool(tr("Zoom to selection"), tr("Show only the selected range"), QStyle::SP_ArrowDown);
    auto [zoomOut, zoomOutButton] =
        tool(tr("Zoom out"), tr("Back to the previous view"), QStyle::SP_ArrowUp);
    auto [reset, resetButton] =
        tool(tr("Whole recording"), tr("Show the whole recording and clear the range"),
             QStyle::SP_BrowserReload);
    m_zoomIn = zoomIn;
    m_zoomOut = zoomOut;
    m_reset = reset;
    m_info = new QLabel(this);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Timeline:"), this));
    bar->addWidget(m_show);
    for (QToolButton* b : {zoomInButton, zoomOutButton, resetButton})
        bar->addWidget(b);
    bar->addWidget(m_info, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addLayout(bar);
    layout->addWidget(m_chart, 1);

    connect(m_show, &QComboBox::currentIndexChanged, this, [this] {
        m_chart->setGroup(SeriesGroup(m_show->currentData().toInt()));
        describe();
    });
    connect(m_zoomIn, &QAction::triggered, this, [this] {
        if (!m_chart->hasSelection())
            return;
        m_zooms.emplace_back(m_chart->viewFrom(), m_chart->viewTo());
        m_chart->setView(m_chart->selectionFrom(), m_chart->selectionTo());
    });
    connect(m_zoomOut, &QAction::triggered, this, [this] {
        if (m_zooms.empty())
            return m_chart->resetView();
        m_chart->setView(m_zooms.back().first, m_zooms.back().second);
        m_zooms.pop_back();
    });
    connect(m_reset, &QAction::triggered, this, [this] {
        m_zooms.clear();
        m_chart->resetView();
        m_chart->setSelection(0, -1);
        onCleared();
    });
    connect(m_chart, &TimelineWidget::rangeSelected, this, &TimelinePage::onRange);
    connect(m_chart, &TimelineWidget::selectionCleared, this, &TimelinePage::onCleared);
    connect(m_chart, &TimelineWidget::markerClicked, this, &TimelinePage::snapshotChosen);
    connect(m_state, &SelectionState::currentChanged, this, &TimelinePage::refresh);
    connect(m_job, &LatestJob::settled, this, &TimelinePage::settledChanged);
    refresh();
}

bool TimelinePage::settled() const
{
    return !m_job->busy();
}

QString TimelinePage::selectionText() const
{
    return m_info->text();
}

void TimelinePage::refresh()
{
    const auto& doc = m_state->document();
    if (!doc) {
        m_job->forget();
        m_data.reset();
        m_shownRecording = nullptr;
        m_chart->setData(nullptr);
        describe();
        return;
    }
    // One timeline per recording: choosing another snapshot of it keeps the view.
    const ProfileData* data = doc->data.get();
    const uint32_t snapshot = m_state->snapshot();
    const void* recording = &data->recordings[data->snapshots[snapshot].info.recording];
    if (recording == m_shownRecording)
        return;
    m_shownRecording = recording;
    auto shared = doc->data;
    m_job->start<std::shared_ptr<const TimelineData>>(
        [shared, snapshot] {
            return std::shared_ptr<const TimelineData>(
                std::make_shared<TimelineData>(TimelineData::of(*shared, snapshot)));
        },
        [this](std::shared_ptr<const TimelineData> t) {
            m_data = std::move(t);
            m_zooms.clear();
            m_chart->setData(m_data);
            offerGroups();
            // A range already chosen (another page's snapshot of this recording) stays.
            if (m_state->hasTimeRange())
                m_chart->setSelection(double(m_state->fromMs()), double(m_state->toMs()));
            describe();
        });
}

void TimelinePage::offerGroups()
{
    // Top sites only where there are some (heaptrack); the choice stays when it still exists.
    const int chosen = m_show->currentData().toInt();
    const QSignalBlocker block(m_show);
    while (m_show->count() > 2)
        m_show->removeItem(2);
    if (m_data && m_data->has(SeriesGroup::Sites)) {
        m_show->addItem(tr("Top sites"), int(SeriesGroup::Sites));
        m_show->addItem(tr("Top sites, stacked"), int(SeriesGroup::SitesStacked));
    }
    const int index = m_show->findData(chosen);
    m_show->setCurrentIndex(index < 0 ? 0 : index);
    m_chart->setGroup(SeriesGroup(m_show->currentData().toInt()));
}

void TimelinePage::onRange(double fromMs, double toMs)
{
    if (m_data && m_data->heaptrack)
        m_state->setTimeRange(int64_t(fromMs), int64_t(toMs));
    describe();
}

void TimelinePage::onCleared()
{
    m_state->clearTimeRange();
    describe();
}

void TimelinePage::describe()
{
    // A recorder's range offers the snapshots around it; heaptrack's filters every page instead.
    const auto pair = m_data && !m_data->heaptrack && m_chart->hasSelection()
                          ? m_data->comparePair(m_chart->selectionFrom(), m_chart->selectionTo())
                          : std::pair{kNoIndex, kNoIndex};
    m_state->setComparePair(pair.first, pair.second);
    if (!m_data || m_data->empty()) {
        m_info->setText(m_data ? tr("This input has no timeline.") : QString());
        return;
    }
    if (!m_chart->hasSelection()) {
        m_info->setText(tr("%1 to %2 — drag to select a range")
                            .arg(timeText(m_data->firstMs()), timeText(m_data->lastMs())));
        return;
    }
    const double from = m_chart->selectionFrom(), to = m_chart->selectionTo();
    QStringList parts{tr("%1 to %2 (%3)").arg(timeText(from), timeText(to), timeText(to - from))};
    parts << rangeDeltas(*m_data, m_chart->group(), from, to);
    if (pair.first != kNoIndex)
        parts << tr("snapshots %1 → %2 to compare").arg(pair.first).arg(pair.second);
    m_info->setText(parts.join(QStringLiteral(" · ")));
}

} // namespace hs
