// The summary page on real samples, against the figures the source tools printed (the
// .truth.json beside each sample): heaptrack_print's totals and top lists for native
// recordings, CPython's totals and statistics() lists for tracemalloc dumps. Also the shared
// time range, a superseded selection, and the hint shown when nothing is open.

#include "../common/truthfile.h"
#include "costformat.h"
#include "document.h"
#include "heapqueries.h"
#include "heapreport.h"
#include "inputloader.h"
#include "selectionstate.h"
#include "summarypage.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

using namespace hs;

namespace {

constexpr int kTimeoutMs = 60000; // the machine may be busy compiling

std::shared_ptr<const Document> openSample(const QString& file)
{
    const QString path = hstest::dataDir() + QLatin1Char('/') + file;
    ProfileData data = InputLoader::load(path.toStdString(), {});
    return std::make_shared<Document>(Document{
        path, QFileInfo(path).fileName(), std::make_shared<const ProfileData>(std::move(data))});
}

// The digits of a shown text ("1 234 567 B" -> 1234567), sign kept.
qint64 digitsOf(QString text)
{
    text.remove(QRegularExpression(QStringLiteral("[^0-9-]")));
    return text.toLongLong();
}

qint64 exact(const SummaryPage& page, const char* key)
{
    return digitsOf(page.exactFigure(QLatin1String(key)));
}

// heaptrack_print's "at": file:line, or nothing for a frame without debug information; the
// page shows the module then.
QString whereOf(const QJsonObject& entry)
{
    const QString at = entry.value(QLatin1String("at")).toString();
    return at.isEmpty() ? entry.value(QLatin1String("module")).toString() : at;
}

} // namespace

class TestSummaryPage : public QObject
{
    Q_OBJECT

private slots:
    void hintWithoutDocument();
    void heaptrack_data();
    void heaptrack();
    void heaptrackTimeRange();
    void tracemalloc_data();
    void tracemalloc();
    void supersededSelection();
};

void TestSummaryPage::hintWithoutDocument()
{
    SelectionState state;
    SummaryPage page(&state);
    QVERIFY(page.settled());
    QVERIFY(page.showsHint());
    QCOMPARE(page.topListCount(), 0);

    state.setCurrent(openSample(QStringLiteral("tracemalloc/json-parse-py38-tb1.pickle")), 0);
    QTRY_VERIFY_WITH_TIMEOUT(page.settled(), kTimeoutMs);
    QVERIFY(!page.showsHint());
    QVERIFY(!page.figure(QStringLiteral("total_size")).isEmpty());

    // Closing the file shows the hint at once, not after a worker round trip.
    state.setCurrent(nullptr, 0);
    QVERIFY(page.showsHint());
    QTRY_VERIFY_WITH_TIMEOUT(page.settled(), kTimeoutMs);
    QCOMPARE(page.topListCount(), 0);
    QVERIFY(page.figure(QStringLiteral("total_size")).isEmpty());
}

void TestSummaryPage::heaptrack_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("cpp leak and temporaries") << "cpp_leak_temporary_demo";
    QTest::newRow("sqlite3 workload") << "sqlite3_orders_workload";
    QTest::newRow("python3 with suppressions") << "python3_dicts_lists_leak";
}

void TestSummaryPage::heaptrack()
{
    QFETCH(QString, name);
    const QJsonObject truth =
        hstest::readJson(hstest::dataDir() + "/heaptrack/" + name + ".truth.json");
    QVERIFY(!truth.isEmpty());
    SelectionState state;
    SummaryPage page(&state);
    state.setCurrent(openSample("heaptrack/" + name + ".zst"), 0);
    QVERIFY(!page.settled());
    QTRY_VERIFY_WITH_TIMEOUT(page.settled(), kTimeoutMs);
    QVERIFY(!page.showsHint());
    QVERIFY2(page.heading().contains(QLatin1String("heaptrack")), qPrintable(page.heading()));

    for (const char* key :
         {"runtime", "calls", "temporary", "peak", "peak_rss", "leaked", "suppressed"})
        QVERIFY2(!page.exactFigure(QLatin1String(key)).isEmpty(), key);
    const QJsonObject sums = truth["heaptrack_print_flamegraph_sums"].toObject();
    QCOMPARE(exact(page, "calls"), sums["allocations"].toInteger());
    QCOMPARE(exact(page, "temporary"), sums["temporary"].toInteger());
    QCOMPARE(exact(page, "peak"), sums["peak"].toInteger());
    QCOMPARE(exact(page, "leaked"), sums["leaked"].toInteger());

    // The figures heaptrack_print only prints rounded: the exact ones round to them.
    const QJsonObject printed = truth["heaptrack_print"].toObject();
    QCOMPARE(page.figure(QStringLiteral("runtime")),
             QStringLiteral("%1 s").arg(printed["total_runtime_s"].toDouble(), 0, 'f', 2));
    QCOMPARE(QString::fromStdString(HeapReport::formatBytes(exact(page, "peak_rss"))),
             printed["peak_rss_printed"].toString());
    if (printed.contains(QLatin1String("suppressed_leaks_printed")))
        QCOMPARE(QString::fromStdString(HeapReport::formatBytes(exact(page, "suppressed"))),
                 printed["suppressed_leaks_printed"].toString());
    QVERIFY(page.figure(QStringLiteral("calls")).contains(QLatin1String("/s")));
    QVERIFY(page.figure(QStringLiteral("temporary")).contains(QLatin1String("%")));

    // heaptrack_gui's four lists: peak, leaks, most calls, most temporary; heaptrack_print's
    // order, ties included.
    QCOMPARE(page.topListCount(), 4);
    for (int k = 0; k < page.topListCount(); ++k) {
        QVERIFY(page.topList(k));
        QVERIFY(page.topList(k)->topLevelItemCount() <= 10);
        QVERIFY(!page.topListTitle(k).isEmpty());
    }
    struct Expected
    {
        int list;
        const char* truthKey;
        const char* value; // the truth's figure the list's first column shows, if exact
    };
    for (const Expected& e :
         {Expected{0, "top5_by_peak", nullptr}, Expected{2, "top5_by_calls", "calls"},
          Expected{3, "top5_by_temporary", "temporary"}}) {
        const QJsonArray rows = truth[QLatin1String(e.truthKey)].toArray();
        const QTreeWidget* tree = page.topList(e.list);
        QVERIFY2(tree->topLevelItemCount() >= rows.size(), e.truthKey);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject row = rows[i].toObject();
            const QTreeWidgetItem* item = tree->topLevelItem(int(i));
            QCOMPARE(item->text(1), row["function"].toString());
            QCOMPARE(item->text(2), whereOf(row));
            if (e.value)
                QCOMPARE(digitsOf(item->text(0)), row[QLatin1String(e.value)].toInteger());
        }
    }
}

void TestSummaryPage::heaptrackTimeRange()
{
    const auto doc = openSample(QStringLiteral("heaptrack/cpp_leak_temporary_demo.zst"));
    const HeapProfile& heap = doc->data->snapshots.at(0).heap;
    QVERIFY(heap.intervals.size() >= 8);
    SelectionState state;
    SummaryPage page(&state);
    state.setCurrent(doc, 0);
    QTRY_VERIFY_WITH_TIMEOUT(page.settled(), kTimeoutMs);
    const qint64 wholeCalls = exact(page, "calls");

    const int64_t from = heap.intervals[heap.intervals.size() / 4].timeMs;
    const int64_t to = heap.intervals[heap.intervals.size() / 2].timeMs;
    const HeapWindow window = heapWindow(heap, from, to);
    if (window.whole)
        QSKIP("the recording's time buckets are too wide for a partial window");
    state.setTimeRange(from, to);
    QVERIFY(!page.settled());
    QTRY_VERIFY_WITH_TIMEOUT(page.settled(), kTimeoutMs);

    // heaptrack's "filter in": the window's own figures, a delta instead of leaks, no peak list.
    const HeapTotals totals = heapTotals(heap, window);
    QCOMPARE(exact(page, "calls"), qint64(totals.allocations));
    QCOMPARE(exact(page, "temporary"), qint64(totals.temporary));
    QCOMPARE(exact(page, "peak"), qint64(totals.peakBytes));
    QCOMPARE(exact(page, "delta"), qint64(totals.deltaBytes));
    QVERIFY(page.exactFigure(QStringLiteral("leaked")).isEmpty());
    QVERIFY(!page.figure(QStringLiteral("range")).isEmpty());
    const HeapTopLists top = heapTopLists(heap, window, 10);
    QCOMPARE(page.topListCount(), 3);
    QCOMPARE(page.topList(1)->topLevelItemCount(), int(top.allocations.size()));
    if (!top.allocations.empty())
        QCOMPARE(digitsOf(page.topList(1)->topLevelItem(0)->text(0)),
                 qint64(top.allocations.front().allocations));

    state.clearTimeRange();
    QTRY_VERIFY_WITH_TIMEOUT(page.settled(), kTimeoutMs);
    QCOMPARE(exact(page, "calls"), wholeCalls);
    QCOMPARE(page.topListCount(), 4);
    QVERIFY(page.figure(QStringLiteral("range")).isEmpty());
}

void TestSummaryPage::tracemalloc_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("3.12 two domains") << "leaky-cache-py312-tb10-t3";
    QTest::newRow("3.8 one frame") << "json-parse-py38-tb1";
    QTest::newRow("3.10 50 frames") << "bst-build-py310-tb50";
    QTest::newRow("empty") << "empty-py311";
}

void TestSummaryPage::tracemalloc()
{
    QFETCH(QString, name);
    const QJsonObject truth =
        hstest::readJson(hstest::tracemallocDir() + '/' + name + ".truth.json");
    QVERIFY(!truth.isEmpty());
    SelectionState state;
    SummaryPage page(&state);
    state.setCurrent(openSample("tracemalloc/" + name + ".pickle"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(page.settled(), kTimeoutMs);
    QVERIFY2(page.heading().contains(QLatin1String("tracemalloc")), qPrintable(page.heading()));

    const qint64 totalSize = truth["total_size"].toInteger();
    const qint64 totalCount = truth["total_count"].toInteger();
    QCOMPARE(exact(page, "total_size"), totalSize);
    QCOMPARE(page.figure(QStringLiteral("total_size")), formatBytes(totalSize));
    QCOMPARE(exact(page, "total_count"), totalCount);
    QCOMPARE(exact(page, "traceback_limit"), truth["traceback_limit"].toInteger());
    const QJsonObject checks = truth["checks"].toObject();
    if (totalCount > 0) {
        QCOMPARE(exact(page, "tracebacks"), checks["unique_tracebacks"].toInteger());
        QCOMPARE(exact(page, "frames"), checks["unique_frames"].toInteger());
    }
    if (checks.contains(QLatin1String("traces_with_total_nframe_gt_frames")))
        QCOMPARE(exact(page, "truncated"),
                 checks["traces_with_total_nframe_gt_frames"].toInteger());

    // statistics('lineno') and statistics('filename'), CPython's first ten in its order.
    QCOMPARE(page.topListCount(), 2);
    const char* const keys[] = {"statistics_lineno_top10", "statistics_filename_top10"};
    for (int k = 0; k < 2; ++k) {
        const QJsonArray rows = truth[QLatin1String(keys[k])].toArray();
        const QTreeWidget* tree = page.topList(k);
        QCOMPARE(tree->topLevelItemCount(), int(rows.size()));
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject row = rows[i].toObject();
            const QTreeWidgetItem* item = tree->topLevelItem(int(i));
            QString where = row["filename"].toString();
            if (k == 0)
                where += QLatin1Char(':') + QString::number(row["lineno"].toInteger());
            QCOMPARE(item->text(2), where);
            QCOMPARE(item->text(0), formatBytes(row["size"].toInteger()));
            QCOMPARE(digitsOf(item->text(1)), row["count"].toInteger());
        }
    }

    // A Python snapshot is one moment: a time range changes nothing and starts no job.
    state.setTimeRange(0, 1);
    QVERIFY(page.settled());
    QCOMPARE(exact(page, "total_size"), totalSize);
}

void TestSummaryPage::supersededSelection()
{
    const auto heap = openSample(QStringLiteral("heaptrack/cpp_leak_temporary_demo.zst"));
    const auto dump = openSample(QStringLiteral("tracemalloc/leaky-cache-py312-tb10-t3.pickle"));
    SelectionState state;
    SummaryPage page(&state);
    QSignalSpy spy(&page, &SummaryPage::settledChanged);
    // The heaptrack job is still running when the dump is selected: only the dump is shown.
    state.setCurrent(heap, 0);
    state.setCurrent(dump, 0);
    QVERIFY(!page.settled());
    QTRY_VERIFY_WITH_TIMEOUT(page.settled(), kTimeoutMs);
    QCOMPARE(spy.count(), 2); // unsettled once, settled once
    QCOMPARE(exact(page, "total_size"), qint64(dump->data->snapshots.at(0).info.totalSize));
    QVERIFY(page.exactFigure(QStringLiteral("calls")).isEmpty());
    QCOMPARE(page.topListCount(), 2);
}

QTEST_MAIN(TestSummaryPage)
#include "tst_summarypage.moc"
