// Every tracemalloc fixture against the figures CPython itself computed (its .truth.json):
// totals, per-domain sums, structure checks, statistics() lists and compare_to() lists.

#include "../common/truthfile.h"
#include "inputloader.h"
#include "profilebuilder.h"
#include "statistics.h"
#include "store.h"
#include "storewriter.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <set>

using namespace hs;

namespace {

ProfileData loadDump(const QString& path, const QJsonObject& truth)
{
    InputLoader::Options options;
    if (hstest::writtenByPython36(truth))
        options.tracemalloc.order = TracebackOrder::MostRecentFirst;
    return InputLoader::load(path.toStdString(), options);
}

QByteArray sha256Of(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestTracemallocSamples : public QObject
{
    Q_OBJECT

private slots:
    void totals_data();
    void totals();
    void statistics_data();
    void statistics();
    void compare_data();
    void compare();
    void reopen_data();
    void reopen();
};

void TestTracemallocSamples::totals_data()
{
    QTest::addColumn<QString>("truthPath");
    for (const QString& t : hstest::truthFiles())
        QTest::newRow(qPrintable(QFileInfo(t).fileName())) << t;
    QVERIFY(hstest::truthFiles().size() >= 7);
}

void TestTracemallocSamples::totals()
{
    QFETCH(QString, truthPath);
    const QJsonObject truth = hstest::readJson(truthPath);
    QVERIFY(!truth.isEmpty());
    const ProfileData data = loadDump(hstest::picklePathFor(truthPath), truth);
    QCOMPARE(data.snapshots.size(), size_t(1));
    const SnapshotData& snap = data.snapshots[0];
    QCOMPARE(qint64(snap.info.totalCount), truth.value("number_of_traces").toInteger());
    QCOMPARE(qint64(snap.info.totalCount), truth.value("total_count").toInteger());
    QCOMPARE(qint64(snap.info.totalSize), truth.value("total_size").toInteger());
    QCOMPARE(qint64(snap.info.tracebackLimit), truth.value("traceback_limit").toInteger());
    QCOMPARE(qint64(snap.info.protocol), truth.value("protocol").toInteger());

    std::map<uint32_t, std::pair<uint64_t, uint64_t>> domains;
    std::set<uint32_t> files, frames;
    uint64_t totalFrames = 0, sumLineno = 0, maxDepth = 0, truncated = 0;
    for (const StackCost& c : snap.costs) {
        domains[c.domain].first += c.size;
        domains[c.domain].second += c.count;
        truncated += c.truncated;
        uint64_t depth = 0, lines = 0;
        for (uint32_t s = c.stack; s != kNoIndex; s = data.stacks[s].parent) {
            const Frame& f = data.frames[data.stacks[s].frame];
            files.insert(f.file);
            frames.insert(data.stacks[s].frame);
            ++depth;
            lines += uint64_t(f.line);
        }
        totalFrames += depth * c.count;
        sumLineno += lines * c.count;
        maxDepth = std::max(maxDepth, depth);
    }
    const QJsonObject expectedDomains = truth.value("domains").toObject();
    QCOMPARE(qsizetype(domains.size()), expectedDomains.size());
    for (const auto& [domain, sums] : domains) {
        const QJsonObject d = expectedDomains.value(QString::number(domain)).toObject();
        QCOMPARE(qint64(sums.first), d.value("size").toInteger());
        QCOMPARE(qint64(sums.second), d.value("count").toInteger());
    }
    const QJsonObject checks = truth.value("checks").toObject();
    if (snap.info.totalCount > 0) {
        std::set<uint32_t> leaves;
        for (const StackCost& c : snap.costs)
            leaves.insert(c.stack);
        QCOMPARE(qint64(leaves.size()), checks.value("unique_tracebacks").toInteger());
        QCOMPARE(qint64(files.size()), checks.value("unique_filenames").toInteger());
        QCOMPARE(qint64(frames.size()), checks.value("unique_frames").toInteger());
        QCOMPARE(qint64(totalFrames), checks.value("total_frames").toInteger());
        QCOMPARE(qint64(sumLineno), checks.value("sum_lineno_all_frames").toInteger());
        QCOMPARE(qint64(maxDepth), checks.value("max_frames_per_traceback").toInteger());
    }
    if (checks.contains("traces_with_total_nframe_gt_frames"))
        QCOMPARE(qint64(truncated), checks.value("traces_with_total_nframe_gt_frames").toInteger());
}

void TestTracemallocSamples::statistics_data()
{
    QTest::addColumn<QString>("truthPath");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("by");
    QTest::addColumn<bool>("cumulative");
    for (const QString& t : hstest::truthFiles()) {
        const QJsonObject truth = hstest::readJson(t);
        for (const auto& list : hstest::statLists()) {
            if (truth.contains(QLatin1String(list.key)))
                QTest::addRow("%s %s", qPrintable(QFileInfo(t).baseName()), list.key)
                    << t << QString::fromLatin1(list.key) << int(list.by) << list.cumulative;
        }
    }
}

void TestTracemallocSamples::statistics()
{
    QFETCH(QString, truthPath);
    QFETCH(QString, key);
    QFETCH(int, by);
    QFETCH(bool, cumulative);
    const QJsonObject truth = hstest::readJson(truthPath);
    const ProfileData data = loadDump(hstest::picklePathFor(truthPath), truth);
    const auto rows = computeStatistics(data, 0, GroupBy(by), cumulative);
    const auto expected = hstest::rowsFromTruth(truth.value(key).toArray(), GroupBy(by), false);
    const QString problem =
        hstest::mismatch(hstest::rowsFromStats(rows, false, expected.size()), expected);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // The group counts Python reported, where the truth has them.
    const QString groupsKey = QStringLiteral("statistics_%1%2_groups")
                                  .arg(QLatin1String(groupByName(GroupBy(by))),
                                       cumulative ? QStringLiteral("_cumulative") : QString());
    if (truth.contains(groupsKey))
        QCOMPARE(qint64(rows.size()), truth.value(groupsKey).toInteger());
}

void TestTracemallocSamples::compare_data()
{
    QTest::addColumn<QString>("truthPath");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("by");
    int rows = 0;
    for (const QString& t : hstest::truthFiles()) {
        const QJsonObject cmp = hstest::readJson(t).value("compare_to_previous").toObject();
        for (const auto& list : hstest::compareLists()) {
            if (cmp.contains(QLatin1String(list.key))) {
                QTest::addRow("%s %s", qPrintable(QFileInfo(t).baseName()), list.key)
                    << t << QString::fromLatin1(list.key) << int(list.by);
                ++rows;
            }
        }
    }
    QVERIFY(rows >= 9);
}

void TestTracemallocSamples::compare()
{
    QFETCH(QString, truthPath);
    QFETCH(QString, key);
    QFETCH(int, by);
    const QJsonObject truth = hstest::readJson(truthPath);
    const QJsonObject cmp = truth.value("compare_to_previous").toObject();
    const QString previous =
        hstest::tracemallocDir() + QLatin1Char('/') + cmp.value("previous").toString();
    const ProfileData older = loadDump(previous, truth);
    const ProfileData newer = loadDump(hstest::picklePathFor(truthPath), truth);
    const auto rows = compareStatistics(older, 0, newer, 0, GroupBy(by), false);
    const auto expected = hstest::rowsFromTruth(cmp.value(key).toArray(), GroupBy(by), true);
    const QString problem =
        hstest::mismatch(hstest::rowsFromStats(rows, true, expected.size()), expected);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString entries = QLatin1String(groupByName(GroupBy(by))) + QLatin1String("_entries");
    if (cmp.contains(entries))
        QCOMPARE(qint64(rows.size()), cmp.value(entries).toInteger());
}

void TestTracemallocSamples::reopen_data()
{
    totals_data();
}

void TestTracemallocSamples::reopen()
{
    QFETCH(QString, truthPath);
    const QJsonObject truth = hstest::readJson(truthPath);
    const QString input = hstest::picklePathFor(truthPath);
    const QByteArray before = sha256Of(input);
    QCOMPARE(before, truth.value("sha256").toString().toLatin1());

    QTemporaryDir dir;
    const std::string out = dir.filePath("x.heapscope").toStdString();
    InputLoader::Options options;
    options.hash = true;
    if (hstest::writtenByPython36(truth))
        options.tracemalloc.order = TracebackOrder::MostRecentFirst;
    ProfileBuilder builder;
    InputLoader::importRaw(input.toStdString(), builder, options);
    const ProfileData imported = builder.take();
    StoreWriter::write(imported, out);
    QCOMPARE(sha256Of(input), before); // the input is never touched

    const ProfileData reopened = Store(out).load();
    QCOMPARE(reopened.recordings.at(0).sourceSha256, before.toStdString());
    QCOMPARE(reopened.snapshots.at(0).info.totalSize, imported.snapshots.at(0).info.totalSize);
    QCOMPARE(reopened.snapshots.at(0).info.order, imported.snapshots.at(0).info.order);
    for (const auto& list : hstest::statLists()) {
        const auto a = computeStatistics(imported, 0, list.by, list.cumulative);
        const auto b = computeStatistics(reopened, 0, list.by, list.cumulative);
        const QString problem = hstest::mismatch(hstest::rowsFromStats(b, false, 1 << 30),
                                                 hstest::rowsFromStats(a, false, 1 << 30));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"x.heapscope"});
}

QTEST_GUILESS_MAIN(TestTracemallocSamples)
#include "tst_tracemallocsamples.moc"
