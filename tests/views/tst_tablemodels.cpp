// The tables' item models on real samples, each under QAbstractItemModelTester: the call
// trees (top-down, bottom-up) and the top-sites table in every grouping, sorted and filtered
// through the proxy, with their figures against the truth files.

#include "../common/truthfile.h"
#include "calltreemodel.h"
#include "csvexport.h"
#include "inputloader.h"
#include "tablefilter.h"
#include "topsitesmodel.h"
#include "treefilterproxy.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

using namespace hs;

namespace {

std::shared_ptr<const ProfileData> load(const QString& file)
{
    return std::make_shared<const ProfileData>(
        InputLoader::load((hstest::dataDir() + '/' + file).toStdString(), {}));
}

std::shared_ptr<const CallTree> tree(const ProfileData& data, bool bottomUp)
{
    CallTreeOptions o;
    o.bottomUp = bottomUp;
    return std::make_shared<const CallTree>(
        buildCallTree(data, uint32_t(data.snapshots.size() - 1), o));
}

void addSamples()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("tracemalloc leaky-cache") << "tracemalloc/leaky-cache-py312-tb10-t3.pickle";
    QTest::newRow("tracemalloc bst tb50") << "tracemalloc/bst-build-py310-tb50.pickle";
    QTest::newRow("tracemalloc empty") << "tracemalloc/empty-py311.pickle";
    QTest::newRow("heaptrack cpp") << "heaptrack/cpp_leak_temporary_demo.zst";
    QTest::newRow("heaptrack sqlite") << "heaptrack/sqlite3_orders_workload.zst";
}

} // namespace

class TestTableModels : public QObject
{
    Q_OBJECT

private slots:
    void callTree_data() { addSamples(); }
    void callTree()
    {
        QFETCH(QString, file);
        const auto data = load(file);
        for (bool bottomUp : {false, true}) {
            const auto t = tree(*data, bottomUp);
            CallTreeModel model;
            QAbstractItemModelTester tester(&model,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
            model.setTree(data, t);
            QCOMPARE(model.rowCount(), int(t->childCount(0)));
            QCOMPARE(model.columnCount(), 1 + 2 * int(t->kinds.size()));
            // The first level's inclusive costs add up to the whole.
            for (size_t c = 0; c < t->kinds.size(); ++c) {
                const int col = model.costColumn(t->kinds[c], false);
                qint64 sum = 0;
                for (int r = 0; r < model.rowCount(); ++r)
                    sum += model.index(r, col).data(CallTreeModel::SortRole).toLongLong();
                QCOMPARE(sum, qint64(t->total[c][0]));
            }
            // Every node has an index that leads back to it.
            for (uint32_t v = 1; v < t->nodeCount();
                 v += std::max<uint32_t>(1, uint32_t(t->nodeCount() / 200))) {
                const QModelIndex i = model.indexOfNode(v);
                QVERIFY(i.isValid());
                QCOMPARE(i.data(CallTreeModel::NodeRole).toUInt(), v);
            }
            TreeFilterProxy proxy(CallTreeModel::NodeRole, CallTreeModel::SortRole);
            QAbstractItemModelTester proxyTester(
                &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
            proxy.setSourceModel(&model);
            proxy.sort(1, Qt::DescendingOrder);
            for (int r = 1; r < proxy.rowCount(); ++r)
                QVERIFY(proxy.index(r - 1, 1).data(CallTreeModel::SortRole).toLongLong() >=
                        proxy.index(r, 1).data(CallTreeModel::SortRole).toLongLong());
            if (t->nodeCount() > 1) {
                const QString name =
                    QString::fromStdString(frameLabel(*data, t->frame[t->child(0, 0)]));
                proxy.setKeep(
                    std::make_shared<const std::vector<uint8_t>>(treeFilter(*data, *t, name)));
                QVERIFY(proxy.rowCount() >= 1);
                QVERIFY(proxy.rowCount() <= model.rowCount());
            }
            proxy.setKeep(nullptr);
            QCOMPARE(proxy.rowCount(), model.rowCount());
            model.setTree(nullptr, nullptr);
            QCOMPARE(model.rowCount(), 0);
        }
    }

    void topSites_data() { addSamples(); }
    void topSites()
    {
        QFETCH(QString, file);
        const auto data = load(file);
        const auto top = tree(*data, false);
        const auto bottom = tree(*data, true);
        for (auto g : {TopSitesModel::Grouping::Frame, TopSitesModel::Grouping::File,
                       TopSitesModel::Grouping::CallStack}) {
            TopSitesModel model;
            QAbstractItemModelTester tester(&model,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
            auto rows =
                std::make_shared<const TopSitesModel::Rows>(TopSitesModel::build(data, top, g));
            model.setRows(rows);
            QCOMPARE(model.rowCount(), int(rows->size()));
            // Frame and call-stack rows partition the whole; so do files for Python.
            qint64 sum = 0;
            for (size_t r = 0; r < rows->size(); ++r)
                sum += rows->at(r, 0);
            if (g != TopSitesModel::Grouping::File || rows->kinds[0] == CostKind::Size)
                QCOMPARE(sum, qint64(top->total[0][0]));
            if (g == TopSitesModel::Grouping::Frame) {
                // Rows by frame are the bottom-up tree's first level, built the long way.
                std::map<uint64_t, std::vector<int64_t>> expected, got;
                for (uint32_t k = 0; k < bottom->childCount(0); ++k) {
                    const uint32_t c = bottom->child(0, k);
                    std::vector<int64_t> costs;
                    bool any = false;
                    for (size_t j = 0; j < bottom->kinds.size(); ++j) {
                        costs.push_back(bottom->total[j][c]);
                        any |= costs.back() != 0;
                    }
                    if (any)
                        expected[frameMergeKey(*data, bottom->frame[c])] = costs;
                }
                for (size_t r = 0; r < rows->size(); ++r) {
                    std::vector<int64_t> costs;
                    for (size_t j = 0; j < rows->kinds.size(); ++j)
                        costs.push_back(rows->at(r, j));
                    QVERIFY(got.emplace(frameMergeKey(*data, rows->frame[r]), costs).second);
                }
                QCOMPARE(got.size(), expected.size());
                QVERIFY(got == expected);
            }
            TreeFilterProxy proxy(-1, TopSitesModel::SortRole);
            QAbstractItemModelTester proxyTester(
                &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
            proxy.setSourceModel(&model);
            proxy.sort(1, Qt::DescendingOrder);
            model.setRows(nullptr);
            QCOMPARE(proxy.rowCount(), 0);
        }
    }

    void statisticsMatchTruth_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("leaky-cache") << "leaky-cache-py312-tb10-t3";
        QTest::newRow("json tb1") << "json-parse-py38-tb1";
        QTest::newRow("bst tb50") << "bst-build-py310-tb50";
    }
    void statisticsMatchTruth()
    {
        // The "by line" and "by file" tables are statistics('lineno') / ('filename').
        QFETCH(QString, name);
        const QJsonObject truth =
            hstest::readJson(hstest::tracemallocDir() + '/' + name + ".truth.json");
        const auto data = load("tracemalloc/" + name + ".pickle");
        const auto top = tree(*data, false);
        const auto bottom = tree(*data, true);
        const struct
        {
            TopSitesModel::Grouping grouping;
            const char* groups;
            const char* top10;
        } cases[] = {
            {TopSitesModel::Grouping::Frame, "statistics_lineno_groups", "statistics_lineno_top10"},
            {TopSitesModel::Grouping::File, "statistics_filename_groups",
             "statistics_filename_top10"}};
        for (const auto& c : cases) {
            TopSitesModel model;
            model.setRows(std::make_shared<const TopSitesModel::Rows>(
                TopSitesModel::build(data, top, c.grouping)));
            TreeFilterProxy proxy(-1, TopSitesModel::SortRole);
            proxy.setSourceModel(&model);
            proxy.sort(1, Qt::DescendingOrder);
            QCOMPARE(model.rowCount(), truth[c.groups].toInt());
            const QJsonArray expected = truth[c.top10].toArray();
            for (int r = 0; r < expected.size() && r < proxy.rowCount(); ++r) {
                QCOMPARE(proxy.index(r, 1).data(TopSitesModel::SortRole).toLongLong(),
                         expected[r].toObject()["size"].toInteger());
                QCOMPARE(proxy.index(r, 2).data(TopSitesModel::SortRole).toLongLong(),
                         expected[r].toObject()["count"].toInteger());
            }
        }
    }

    void csv()
    {
        const auto data = load("tracemalloc/leaky-cache-py312-tb10-t3.pickle");
        const auto t = tree(*data, false);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.csv"));
        QCOMPARE(CsvExport::writeTree(path, *data, *t, nullptr), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size() - 1, int(t->nodeCount() - 1) + 1); // header + every node but the root
        QVERIFY(lines[0].startsWith("depth,"));
        QVERIFY(
            !CsvExport::writeTree(dir.filePath(QStringLiteral("no/such/t.csv")), *data, *t, nullptr)
                 .isEmpty());
    }
};

QTEST_MAIN(TestTableModels)
#include "tst_tablemodels.moc"
