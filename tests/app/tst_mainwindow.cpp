// The window as a person uses it, offscreen: open real samples, wait for the import, read the
// flame graph's first level against the truth files, click to zoom, go back and forward,
// search, switch the cost, turn bottom-up on, export every format, save and reopen, cancel
// an import halfway, and keep the GUI thread responsive while a large file is imported.

#include "../common/truthfile.h"
#include "calltreemodel.h"
#include "documentlist.h"
#include "flamegraphpage.h"
#include "flamegraphwidget.h"
#include "flamepainter.h"
#include "mainwindow.h"
#include "selectionstate.h"
#include "summarypage.h"
#include "tablespage.h"

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <QXmlStreamReader>
#include <QtTest>
#include <fstream>

using namespace hs;

namespace {

QString sample(const QString& name)
{
    return hstest::dataDir() + '/' + name;
}

// Opens files and waits until every page shows them.
bool openAndWait(MainWindow& w, const QStringList& paths)
{
    QSignalSpy done(&w, &MainWindow::importFinished);
    w.openFiles(paths);
    return QTest::qWaitFor([&] { return done.size() >= paths.size(); }, 60000) &&
           QTest::qWaitFor(
               [&] {
                   return w.flamePage()->settled() && w.tablesPage()->settled() &&
                          w.summaryPage()->settled();
               },
               60000);
}

bool waitSettled(MainWindow& w)
{
    return QTest::qWaitFor([&] { return w.flamePage()->settled(); }, 60000);
}

// The first level of the flame graph: its nodes, widest first, as the page orders them.
std::vector<uint32_t> firstLevel(const FlameGraphWidget* g)
{
    const CallTree* t = g->tree();
    const auto& order = *g->order();
    return {order.begin() + t->childStart[0], order.begin() + t->childStart[1]};
}

} // namespace

// Nanoseconds this thread has spent runnable but waiting for a core (0 where the kernel does
// not say).
qint64 runqueueWaitNs()
{
    std::ifstream f("/proc/thread-self/schedstat");
    long long running = 0, waiting = 0;
    return (f >> running >> waiting) ? waiting : 0;
}

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("HEAPSCOPE_NO_DIALOGS", "1");
        QCoreApplication::setOrganizationName(QStringLiteral("heapscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        qRegisterMetaType<hs::ImportResult>();
    }

    void tracemallocFirstLevel_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("leaky-cache 3.12") << "leaky-cache-py312-tb10-t3";
        QTest::newRow("bst 3.10 tb50") << "bst-build-py310-tb50";
        QTest::newRow("json 3.8 tb1") << "json-parse-py38-tb1";
    }
    void tracemallocFirstLevel()
    {
        QFETCH(QString, name);
        const QJsonObject truth = hstest::readJson(sample("tracemalloc/" + name + ".truth.json"));
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, {sample("tracemalloc/" + name + ".pickle")}));
        w.showPage(MainWindow::Flame);
        FlameGraphPage* page = w.flamePage();
        const FlameGraphWidget* g = page->graph();
        QVERIFY(g->tree());
        QCOMPARE(g->tree()->total[size_t(g->column())][0], truth["total_size"].toInteger());

        // Bottom-up, the first level is statistics('lineno'): same groups, same sizes.
        page->bottomUpAction()->trigger();
        QVERIFY(waitSettled(w));
        QVERIFY(g->tree()->bottomUp);
        const auto level = firstLevel(g);
        QCOMPARE(qint64(level.size()), truth["statistics_lineno_groups"].toInteger());
        const QJsonArray top = truth["statistics_lineno_top10"].toArray();
        for (int k = 0; k < top.size() && size_t(k) < level.size(); ++k)
            QCOMPARE(g->tree()->total[size_t(g->column())][level[size_t(k)]],
                     top[k].toObject()["size"].toInteger());

        // Count instead of size: the widest frame's count is its group's count.
        QComboBox* cost = page->costBox();
        const int countIndex = cost->findText(QStringLiteral("Count"));
        QVERIFY(countIndex >= 0);
        cost->setCurrentIndex(countIndex);
        emit cost->activated(countIndex);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.state()->cost(), CostKind::Count);
        QCOMPARE(g->tree()->total[size_t(g->column())][0], truth["total_count"].toInteger());
    }

    void heaptrackCosts_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("cpp") << "cpp_leak_temporary_demo";
        QTest::newRow("python3") << "python3_dicts_lists_leak";
        QTest::newRow("sqlite3") << "sqlite3_orders_workload";
    }
    void heaptrackCosts()
    {
        // For each cost, the graph's whole (and so its first level's sum) is heaptrack_print's
        // flame-graph sum of that cost.
        QFETCH(QString, name);
        const QJsonObject sums = hstest::readJson(sample(
            "heaptrack/" + name + ".truth.json"))["heaptrack_print_flamegraph_sums"]
                                     .toObject();
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, {sample("heaptrack/" + name + ".zst")}));
        FlameGraphPage* page = w.flamePage();
        for (const char* c : {"allocations", "temporary", "peak", "leaked"}) {
            QComboBox* box = page->costBox();
            int index = -1;
            for (int k = 0; k < box->count(); ++k)
                if (costName(CostKind(box->itemData(k).toInt())) == std::string(c))
                    index = k;
            QVERIFY2(index >= 0, c);
            box->setCurrentIndex(index);
            emit box->activated(index);
            QVERIFY(waitSettled(w));
            const CallTree* t = page->graph()->tree();
            const int column = page->graph()->column();
            qint64 sum = 0;
            for (uint32_t v : firstLevel(page->graph()))
                sum += t->total[size_t(column)][v];
            QCOMPARE(sum, sums[c].toInteger());
            QCOMPARE(t->total[size_t(column)][0], sums[c].toInteger());
        }
    }

    void summary_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("heaptrack cpp") << "heaptrack/cpp_leak_temporary_demo";
        QTest::newRow("heaptrack sqlite3") << "heaptrack/sqlite3_orders_workload";
        QTest::newRow("tracemalloc 3.12") << "tracemalloc/leaky-cache-py312-tb10-t3";
        QTest::newRow("tracemalloc 3.8 tb1") << "tracemalloc/json-parse-py38-tb1";
    }
    void summary()
    {
        QFETCH(QString, file);
        const bool heap = file.startsWith(QLatin1String("heaptrack"));
        const QJsonObject truth = hstest::readJson(sample(file + ".truth.json"));
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, {sample(file + (heap ? ".zst" : ".pickle"))}));
        QCOMPARE(w.pages()->currentIndex(), int(MainWindow::Summary));
        SummaryPage* page = w.summaryPage();
        const auto exact = [&](const char* key) {
            QString digits = page->exactFigure(QLatin1String(key));
            digits.remove(QRegularExpression(QStringLiteral("[^0-9-]")));
            return digits.toLongLong();
        };
        if (heap) {
            const QJsonObject sums = truth["heaptrack_print_flamegraph_sums"].toObject();
            QCOMPARE(exact("calls"), sums["allocations"].toInteger());
            QCOMPARE(exact("temporary"), sums["temporary"].toInteger());
            QCOMPARE(exact("peak"), sums["peak"].toInteger());
            QCOMPARE(exact("leaked"), sums["leaked"].toInteger());
            QCOMPARE(page->topListCount(), 4);
            // The first peak contributor is heaptrack_print's.
            const QJsonObject first = truth["top5_by_peak"].toArray().first().toObject();
            QCOMPARE(page->topList(0)->topLevelItem(0)->text(1), first["function"].toString());
        } else {
            QCOMPARE(exact("total_size"), truth["total_size"].toInteger());
            QCOMPARE(exact("total_count"), truth["total_count"].toInteger());
            QCOMPARE(exact("traceback_limit"), truth["traceback_limit"].toInteger());
            QCOMPARE(page->topListCount(), 2);
            const QJsonObject line = truth["statistics_lineno_top10"].toArray().first().toObject();
            QCOMPARE(page->topList(0)->topLevelItem(0)->text(2),
                     line["filename"].toString() + ':' + QString::number(line["lineno"].toInt()));
            const QJsonObject f = truth["statistics_filename_top10"].toArray().first().toObject();
            QCOMPARE(page->topList(1)->topLevelItem(0)->text(2), f["filename"].toString());
        }
    }

    void zoomSearchBackForward()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(openAndWait(w, {sample("tracemalloc/leaky-cache-py312-tb10-t3.pickle")}));
        w.showPage(MainWindow::Flame);
        FlameGraphPage* page = w.flamePage();
        FlameGraphWidget* g = page->graph();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const uint32_t target = firstLevel(g).front();
        const QRect r = g->nodeRect(target);
        QVERIFY(r.isValid());
        QTest::mouseClick(g, Qt::LeftButton, {}, r.center());
        QCOMPARE(g->zoom(), target);
        QCOMPARE(g->nodeRect(target).width(), g->width());
        QVERIFY(w.state()->selectedFrame() == g->tree()->frame[target]);
        page->backAction()->trigger();
        QCOMPARE(g->zoom(), 0u);
        page->forwardAction()->trigger();
        QCOMPARE(g->zoom(), target);
        page->resetAction()->trigger();
        QCOMPARE(g->zoom(), 0u);

        // Search: the matches and their share are shown.
        QTest::keyClicks(page->searchField(), QStringLiteral("workloads\\.py"));
        QVERIFY(QTest::qWaitFor(
            [&] { return page->settled() && page->searchResult().matchCount > 0; }));
        QVERIFY(page->searchResult().cost[0] > 0);
        QVERIFY(page->searchResult().cost[0] <= g->tree()->total[0][0]);
        QVERIFY2(page->statusText().contains('%'), qPrintable(page->statusText()));
        page->searchField()->clear();
        QVERIFY(QTest::qWaitFor(
            [&] { return page->settled() && page->searchResult().matchCount == 0; }));

        // The same frame selected in the tables, and back.
        w.showPage(MainWindow::Tables);
        QTreeView* top = w.tablesPage()->view(TablesPage::TopDown);
        QVERIFY(QTest::qWaitFor([&] { return top->model()->rowCount() > 0; }));
        const QModelIndex first = top->model()->index(0, 0);
        top->setCurrentIndex(first);
        QCOMPARE(w.state()->selectedFrame(), first.data(CallTreeModel::FrameRole).toUInt());

        // The bottom-up tree is built when its tab is first shown, and covers the same total.
        TablesPage* tables = w.tablesPage();
        QVERIFY(!tables->treeModel(TablesPage::BottomUp)->tree());
        tables->showTab(TablesPage::BottomUp);
        QVERIFY(QTest::qWaitFor([&] { return tables->settled(); }, 60000));
        const CallTree* up = tables->treeModel(TablesPage::BottomUp)->tree();
        QVERIFY(up && up->bottomUp);
        QVERIFY(tables->view(TablesPage::BottomUp)->model()->rowCount() > 0);
        const CallTree* down = tables->treeModel(TablesPage::TopDown)->tree();
        QCOMPARE(up->total[0][0], down->total[0][0]);
        tables->showTab(TablesPage::TopDown);
    }

    void exports_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<bool>("bottomUp");
        QTest::newRow("svg") << "svg" << false;
        QTest::newRow("png") << "png" << false;
        QTest::newRow("pdf") << "pdf" << true;
        QTest::newRow("csv") << "csv" << false;
    }
    void exports()
    {
        QFETCH(QString, suffix);
        QFETCH(bool, bottomUp);
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(openAndWait(w, {sample("heaptrack/sqlite3_orders_workload.zst")}));
        w.showPage(suffix == QLatin1String("csv") ? MainWindow::Tables : MainWindow::Flame);
        if (bottomUp) {
            w.flamePage()->bottomUpAction()->trigger();
            QVERIFY(waitSettled(w));
        }
        QTemporaryDir dir;
        const QString path = dir.filePath("view." + suffix);
        QSignalSpy done(&w, &MainWindow::exportFinished);
        QVERIFY(w.exportCurrentView(path, 2));
        QVERIFY(done.wait(30000));
        QCOMPARE(done.first().first().toString(), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const FlameGraphWidget* g = w.flamePage()->graph();
        if (suffix == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            QStringList texts;
            while (!xml.atEnd())
                if (xml.readNext() == QXmlStreamReader::StartElement &&
                    xml.name() == QLatin1String("text"))
                    texts << xml.readElementText();
            QVERIFY(!xml.hasError());
            QVERIFY(texts.contains(QStringLiteral("all")));
            const uint32_t top = firstLevel(g).front();
            const QString label =
                FlamePainter::frameText(*w.state()->data(), g->tree()->frame[top]);
            bool found = false;
            for (const QString& t : texts)
                found = found || t == label ||
                        (t.endsWith(QChar(0x2026)) && label.startsWith(t.chopped(1)));
            QVERIFY2(found, qPrintable(label));
        } else if (suffix == QLatin1String("png")) {
            const QImage image = QImage::fromData(bytes, "PNG");
            QCOMPARE(image.width(), 2 * std::max(g->width(), 400));
            QVERIFY(image.height() >= 2 * 18);
        } else if (suffix == QLatin1String("pdf")) {
            QVERIFY(bytes.startsWith("%PDF-"));
            QVERIFY(bytes.contains("/Type /Page") || bytes.contains("/Type/Page"));
        } else {
            QVERIFY(bytes.startsWith("depth,frame"));
            QVERIFY(bytes.count('\n') > 10);
        }
    }

    void saveAndReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.heapscope"));
        int64_t before = 0;
        {
            MainWindow w;
            w.show();
            QVERIFY(openAndWait(w, {sample("tracemalloc/leaky-cache-py312-tb10-t2.pickle")}));
            before = w.flamePage()->graph()->tree()->total[0][0];
            QSignalSpy saved(&w, &MainWindow::saveFinished);
            QVERIFY(w.saveSession(path));
            QVERIFY(saved.wait(30000));
            QCOMPARE(saved.first().first().toString(), QString());
        }
        // A recording is never overwritten by a save.
        {
            MainWindow w;
            w.show();
            const QString input = dir.filePath(QStringLiteral("input.pickle"));
            QVERIFY(QFile::copy(sample("tracemalloc/leaky-cache-py312-tb10-t2.pickle"), input));
            QVERIFY(openAndWait(w, {input}));
            const qint64 size = QFileInfo(input).size();
            QVERIFY(!w.saveSession(input));
            QVERIFY(w.lastMessage().contains(input));
            QCOMPARE(QFileInfo(input).size(), size);
        }
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, {path}));
        QCOMPARE(w.flamePage()->graph()->tree()->total[0][0], before);
        QCOMPARE(w.documents()->documents().size(), size_t(1));
        // It is in the recent files now.
        QVERIFY(!w.recentMenu()->actions().isEmpty());
        QCOMPARE(w.recentMenu()->actions().first()->toolTip(), QFileInfo(path).absoluteFilePath());
    }

    void badInput()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("not-a-dump.pickle"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a tracemalloc dump\n");
        f.close();
        MainWindow w;
        w.show();
        QSignalSpy done(&w, &MainWindow::importFinished);
        w.openFiles({path});
        QVERIFY(done.wait(30000));
        const auto result = done.first().first().value<ImportResult>();
        QVERIFY(!result.data);
        QVERIFY2(result.error.contains(path), qPrintable(result.error));
        QVERIFY(w.lastMessage().contains(path));
        QVERIFY(w.documents()->documents().empty());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot).size(), 1);
    }

    void largeImport_data()
    {
        QTest::addColumn<bool>("cancel");
        QTest::newRow("cancel while importing") << true;
        QTest::newRow("responsive throughout") << false;
    }
    void largeImport()
    {
        QFETCH(bool, cancel);
        // A dump big enough to take a while: 600k traces, made by the benchmark's generator.
        static QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("large.pickle"));
        if (!QFileInfo::exists(path)) {
            QProcess py;
            py.start(QStringLiteral("python3"),
                     {QStringLiteral(HEAPSCOPE_SOURCE_DIR "/tests/benchmarks/make_large_dump.py"),
                      path, QStringLiteral("--traces"), QStringLiteral("600000")});
            QVERIFY(py.waitForFinished(120000));
            QCOMPARE(py.exitCode(), 0);
        }
        const QStringList before = QDir(dir.path()).entryList(QDir::Files);
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // The GUI thread's longest gap between two ticks of a 5 ms timer, less the time it
        // waited for a core: other processes (a parallel test) preempting it are not the
        // window blocking.
        QElapsedTimer clock;
        qint64 last = 0, lastWait = 0, worst = 0, worstWall = 0;
        QTimer tick;
        tick.setInterval(5);
        connect(&tick, &QTimer::timeout, [&] {
            const qint64 now = clock.nsecsElapsed(), wait = runqueueWaitNs();
            worst = std::max(worst, (now - last) - (wait - lastWait));
            worstWall = std::max(worstWall, now - last);
            last = now;
            lastWait = wait;
        });
        QSignalSpy done(&w, &MainWindow::importFinished);
        clock.start();
        lastWait = runqueueWaitNs();
        tick.start();
        w.openFiles({path});
        QVERIFY(w.importing());
        QVERIFY(w.cancelButton()->isVisible());
        if (cancel) {
            // Let the worker run for a moment, then click Cancel without the event loop having
            // run in between: the finished result cannot have been handed over yet, so the
            // outcome does not depend on how fast this machine imports (cancel wins until then).
            QThread::msleep(15);
            QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
            QVERIFY(!w.cancelButton()->isEnabled());
            QVERIFY(done.wait(60000));
            const auto result = done.first().first().value<ImportResult>();
            QVERIFY(result.cancelled);
            QVERIFY(!result.data);
            QVERIFY(w.documents()->documents().empty());
            QVERIFY(!w.importing());
            QVERIFY(!w.cancelButton()->isVisible());
            QCOMPARE(QDir(dir.path()).entryList(QDir::Files), before); // nothing left behind
            // Still usable: the next file opens.
            QVERIFY(openAndWait(w, {sample("heaptrack/cpp_leak_temporary_demo.zst")}));
            QCOMPARE(w.documents()->documents().size(), size_t(1));
        } else {
            QVERIFY(done.wait(120000));
            QVERIFY(done.first().first().value<ImportResult>().data);
            QVERIFY(QTest::qWaitFor(
                [&] { return w.flamePage()->settled() && w.tablesPage()->settled(); }, 60000));
            w.showPage(MainWindow::Tables);
            QTest::qWait(100);
            w.showPage(MainWindow::Flame);
            QTest::qWait(100);
        }
        tick.stop();
        worst /= 1000000;
        qInfo("longest GUI-thread stall: %lld ms (%lld ms of wall time)", worst,
              worstWall / 1000000);
        QVERIFY2(worst < 50, qPrintable(QStringLiteral("%1 ms").arg(worst)));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
