// The timeline: min/max decimation as a pure function, the series of each kind of input, and
// the chart driven as a person would: drag a range on a heaptrack recording and the flame
// graph shows what happened in it (checked against a count over the raw events of the
// decompressed recording), click to clear it and the whole returns.

#include "../common/heaptrackfiles.h"
#include "../common/truthfile.h"
#include "flamegraphpage.h"
#include "flamegraphwidget.h"
#include "heapqueries.h"
#include "inputloader.h"
#include "mainwindow.h"
#include "selectionstate.h"
#include "timelinepage.h"
#include "timelinewidget.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>
#include <random>

using namespace hs;

namespace {

// Allocation events ('+' lines) placed at the last timestamp ('c' line) before them, with
// the time in [fromMs, toMs].
int64_t countAllocations(const QByteArray& text, int64_t fromMs, int64_t toMs)
{
    int64_t now = 0, count = 0;
    for (const QByteArray& line : text.split('\n')) {
        if (line.startsWith("c "))
            now = line.mid(2).toLongLong(nullptr, 16);
        else if (line.startsWith("+ ") && now >= fromMs && now <= toMs)
            ++count;
    }
    return count;
}

bool chooseCost(FlameGraphPage* page, CostKind kind)
{
    QComboBox* box = page->costBox();
    for (int k = 0; k < box->count(); ++k)
        if (CostKind(box->itemData(k).toInt()) == kind) {
            box->setCurrentIndex(k);
            emit box->activated(k);
            return true;
        }
    return false;
}

} // namespace

class TestTimeline : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("HEAPSCOPE_NO_DIALOGS", "1");
        qRegisterMetaType<hs::ImportResult>();
    }

    void decimation_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("columns");
        QTest::addColumn<bool>("levels"); // read through the block pyramid
        for (const bool levels : {false, true}) {
            const char* how = levels ? "blocks" : "points";
            QTest::addRow("fewer points than columns, %s", how) << 50 << 800 << levels;
            QTest::addRow("10k on 800, %s", how) << 10000 << 800 << levels;
            QTest::addRow("1M on 800, %s", how) << 1000000 << 800 << levels;
            QTest::addRow("1M on 3, %s", how) << 1000000 << 3 << levels;
            QTest::addRow("1M on 1919, %s", how) << 1000000 << 1919 << levels;
        }
    }
    void decimation()
    {
        QFETCH(int, points);
        QFETCH(int, columns);
        QFETCH(bool, levels);
        TimelineSeries s;
        std::mt19937 rng(3);
        double lo = 1e300, hi = -1e300;
        for (int i = 0; i < points; ++i) {
            s.timeMs.push_back(i * 0.5);
            s.value.push_back(double(rng() % 100000));
            lo = std::min(lo, s.value.back());
            hi = std::max(hi, s.value.back());
        }
        if (levels)
            s.finish();
        const auto d = decimate(s, 0, s.timeMs.back(), columns);
        // Every point drawn is a point of the series.
        for (const DecimatedPoint& p : d)
            QCOMPARE(s.value[size_t(p.timeMs * 2)], p.value);
        // A part of the series: its extremes survive too, read in blocks or not.
        const double from = s.timeMs.back() * 0.3 + 0.25, to = s.timeMs.back() * 0.7;
        double plo = 1e300, phi = -1e300;
        for (size_t i = 0; i < s.timeMs.size(); ++i)
            if (s.timeMs[i] >= from && s.timeMs[i] <= to) {
                plo = std::min(plo, s.value[i]);
                phi = std::max(phi, s.value[i]);
            }
        double dplo = 1e300, dphi = -1e300;
        for (const DecimatedPoint& p : decimate(s, from, to, columns))
            if (p.timeMs >= from && p.timeMs <= to) {
                dplo = std::min(dplo, p.value);
                dphi = std::max(dphi, p.value);
            }
        if (phi >= plo) {
            QCOMPARE(dplo, plo);
            QCOMPARE(dphi, phi);
        }
        QVERIFY(d.size() <= size_t(4 * (columns + 2)));
        QVERIFY(d.size() <= size_t(points));
        // The extremes survive, the ends are the series' ends, time never goes back.
        double dlo = 1e300, dhi = -1e300;
        for (size_t i = 0; i < d.size(); ++i) {
            dlo = std::min(dlo, d[i].value);
            dhi = std::max(dhi, d[i].value);
            if (i)
                QVERIFY(d[i].timeMs >= d[i - 1].timeMs);
        }
        QCOMPARE(dlo, lo);
        QCOMPARE(dhi, hi);
        QCOMPARE(d.front().timeMs, 0.0);
        QCOMPARE(d.back().timeMs, s.timeMs.back());
        QVERIFY(decimate(s, 10, 5, columns).empty());
    }

    void heaptrackSeries()
    {
        const ProfileData d = InputLoader::load(
            (hstest::heaptrackDir() + "/sqlite3_orders_workload.zst").toStdString(), {});
        const TimelineData t = TimelineData::of(d, 0);
        QVERIFY(t.heaptrack);
        QCOMPARE(t.series[0].timeMs.size(), d.snapshots[0].heap.intervals.size());
        QCOMPARE(t.series[0].group, SeriesGroup::Memory);
        QCOMPARE(t.series[2].group, SeriesGroup::Counts);
        const QJsonObject truth =
            hstest::readJson(hstest::heaptrackDir() + "/sqlite3_orders_workload.truth.json");
        const auto sums = truth["heaptrack_print_flamegraph_sums"].toObject();
        QCOMPARE(qint64(t.series[2].value.back()), sums["allocations"].toInteger());
        QCOMPARE(qint64(t.series[3].value.back()), sums["temporary"].toInteger());
        QCOMPARE(qint64(t.peakValue), sums["peak"].toInteger());
        // The top sites, heaptrack_print's peak list in its order: each line and stacked band
        // ends with what stayed alive there, the stack with all of them.
        const auto top = truth["top5_by_peak"].toArray();
        std::vector<const TimelineSeries*> lines, stacked;
        for (const TimelineSeries& s : t.series) {
            if (s.group == SeriesGroup::Sites)
                lines.push_back(&s);
            if (s.group == SeriesGroup::SitesStacked)
                stacked.push_back(&s);
        }
        QCOMPARE(lines.size(), size_t(std::min<qsizetype>(5, top.size())));
        QCOMPARE(stacked.size(), lines.size());
        const HeapProfile& heap = d.snapshots[0].heap;
        const HeapTopLists lists = heapTopLists(heap, heapWindow(heap), 5);
        double sum = 0;
        for (size_t k = 0; k < lines.size(); ++k) {
            int64_t alive = 0;
            for (const HeapCost& c : heap.costs)
                if (c.location == lists.peak[k].location)
                    alive += int64_t(c.leakedBytes + c.suppressedBytes);
            QCOMPARE(int64_t(lines[k]->value.back()), alive);
            sum += lines[k]->value.back();
            QCOMPARE(stacked[k]->value.back(), sum);
            const size_t last = stacked[k]->value.size() - 1;
            QCOMPARE(stacked[k]->own(last, t.series), lines[k]->value.back());
            QVERIFY2(top[qsizetype(k)].toObject()["function"].toString().startsWith(
                         lines[k]->name.left(12)),
                     qPrintable(lines[k]->name));
        }
    }

    void pythonSeries()
    {
        // One dump has no timeline; the recorder's samples make one, with snapshot markers.
        const ProfileData one = InputLoader::load(
            (hstest::tracemallocDir() + "/json-parse-py38-tb1.pickle").toStdString(), {});
        QVERIFY(TimelineData::of(one, 0).empty());
        const ProfileData rec = InputLoader::load(
            (hstest::dataDir() + "/recorder/seeds/timeline-py311.hsr").toStdString(), {});
        const TimelineData t = TimelineData::of(rec, 0);
        QVERIFY(!t.empty());
        QCOMPARE(t.series[0].timeMs.size(), rec.recordings[0].timeline.samples.size());
    }

    void dragRange()
    {
        const QString path = hstest::heaptrackDir() + "/sqlite3_orders_workload.zst";
        const QByteArray text = hstest::decompress(hstest::readAll(path));
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy done(&w, &MainWindow::importFinished);
        w.openFiles({path});
        QVERIFY(done.wait(60000));
        w.showPage(MainWindow::Flame);
        TimelinePage* timeline = w.timelinePage();
        QVERIFY(QTest::qWaitFor([&] { return timeline->settled() && timeline->chart()->data(); }));
        FlameGraphPage* flame = w.flamePage();
        QVERIFY(QTest::qWaitFor([&] { return flame->settled(); }));
        QVERIFY(chooseCost(flame, CostKind::Allocations));
        QVERIFY(QTest::qWaitFor([&] { return flame->settled(); }));
        const int64_t whole = flame->graph()->tree()->total[size_t(flame->graph()->column())][0];
        QCOMPARE(whole, countAllocations(text, 0, INT64_MAX));

        // Drag over the middle third of the chart.
        TimelineWidget* chart = timeline->chart();
        const QRect plot = chart->plotRect();
        const QPoint a(plot.left() + plot.width() / 3, plot.center().y());
        const QPoint b(plot.left() + 2 * plot.width() / 3, plot.center().y());
        QTest::mousePress(chart, Qt::LeftButton, {}, a);
        QTest::mouseMove(chart, (a + b) / 2);
        QTest::mouseMove(chart, b);
        QTest::mouseRelease(chart, Qt::LeftButton, {}, b);
        QVERIFY(w.state()->hasTimeRange());
        QVERIFY(timeline->selectionText().contains(QStringLiteral(" to ")));
        QVERIFY(QTest::qWaitFor([&] { return flame->settled() && flame->graph()->tree(); }));
        QCOMPARE(w.state()->cost(), CostKind::Allocations);
        const HeapWindow window = heapWindow(w.state()->data()->snapshots[0].heap,
                                             w.state()->fromMs(), w.state()->toMs());
        const int64_t inRange = flame->graph()->tree()->total[size_t(flame->graph()->column())][0];
        QCOMPARE(inRange, countAllocations(text, window.fromMs, window.toMs));
        QVERIFY(inRange > 0 && inRange < whole);

        // A click clears the range: the whole again.
        QTest::mouseClick(chart, Qt::LeftButton, {}, plot.center());
        QVERIFY(!w.state()->hasTimeRange());
        QVERIFY(QTest::qWaitFor([&] { return flame->settled(); }));
        QCOMPARE(flame->graph()->tree()->total[size_t(flame->graph()->column())][0], whole);
    }

    void recorderPair_data()
    {
        // Fractions of the chart's width to drag over, and whether snapshots lie on both sides.
        QTest::addColumn<double>("from");
        QTest::addColumn<double>("to");
        QTest::addColumn<bool>("pair");
        QTest::newRow("middle") << 0.45 << 0.55 << true;
        QTest::newRow("wide") << 0.2 << 0.8 << true;
        QTest::newRow("from the start") << 0.0 << 0.5 << false;
        QTest::newRow("to the end") << 0.5 << 1.0 << false;
    }

    void recorderPair()
    {
        // A range on a recorder's timeline puts the snapshots just before and after it into
        // the shared selection, as the pair to compare; clearing the range clears the pair.
        QFETCH(double, from);
        QFETCH(double, to);
        QFETCH(bool, pair);
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy done(&w, &MainWindow::importFinished);
        w.openFiles({hstest::dataDir() + "/recorder/seeds/timeline-py311.hsr"});
        QVERIFY(done.wait(60000));
        TimelinePage* timeline = w.timelinePage();
        QVERIFY(QTest::qWaitFor([&] { return timeline->settled() && timeline->chart()->data(); }));
        TimelineWidget* chart = timeline->chart();
        const QRect plot = chart->plotRect();
        const QPoint a(plot.left() + int(from * (plot.width() - 1)), plot.center().y());
        const QPoint b(plot.left() + int(to * (plot.width() - 1)), plot.center().y());
        QSignalSpy changed(w.state(), &SelectionState::comparePairChanged);
        QTest::mousePress(chart, Qt::LeftButton, {}, a);
        QTest::mouseMove(chart, (a + b) / 2);
        QTest::mouseMove(chart, b);
        QTest::mouseRelease(chart, Qt::LeftButton, {}, b);
        QVERIFY(chart->hasSelection());
        QVERIFY(!w.state()->hasTimeRange()); // a recorder's range filters nothing

        // The reference: every snapshot of the recording with a time, by brute force.
        const ProfileData* data = w.state()->data();
        const double selFrom = chart->selectionFrom(), selTo = chart->selectionTo();
        uint32_t before = kNoIndex, after = kNoIndex;
        double beforeMs = 0, afterMs = 0;
        for (uint32_t k = 0; k < data->snapshots.size(); ++k) {
            const double t = data->snapshots[k].info.timeMs;
            if (t < 0)
                continue;
            if (t <= selFrom && (before == kNoIndex || t > beforeMs))
                before = k, beforeMs = t;
            if (t >= selTo && (after == kNoIndex || t < afterMs))
                after = k, afterMs = t;
        }
        QCOMPARE(before != kNoIndex && after != kNoIndex, pair);
        const auto expected = pair ? std::pair{before, after} : std::pair{kNoIndex, kNoIndex};
        QCOMPARE(w.state()->comparePair(), expected);
        QCOMPARE(changed.size(), pair ? 1 : 0);
        QCOMPARE(timeline->selectionText().contains(QStringLiteral("to compare")), pair);
        if (pair)
            QVERIFY(before < after);

        QTest::mouseClick(chart, Qt::LeftButton, {}, plot.center());
        QVERIFY(!chart->hasSelection());
        QCOMPARE(w.state()->comparePair(), (std::pair{kNoIndex, kNoIndex}));
    }
};

QTEST_MAIN(TestTimeline)
#include "tst_timeline.moc"
