// statistics() and compare_to() semantics on small hand-built profiles: grouping keys,
// cumulative counting of repeated frames, Python's tie order in both Traceback orders, and
// groups that appear or vanish between snapshots.

#include "hserror.h"
#include "profilebuilder.h"
#include "statistics.h"

#include <QTest>

using namespace hs;

namespace {

// Builds one snapshot from traces given as "size:count:file:line,file:line,..." (most recent
// frame first), and returns the profile.
ProfileData profile(const QStringList& traces, TracebackOrder order = TracebackOrder::OldestFirst)
{
    ProfileBuilder b;
    SnapshotInfo info;
    info.recording = b.addRecording({});
    info.order = order;
    const uint32_t snap = b.addSnapshot(info);
    std::vector<StackCost> costs;
    for (const QString& t : traces) {
        const QStringList parts = t.split(QLatin1Char(';'));
        const QStringList frames = parts[2].split(QLatin1Char(','));
        uint32_t stack = kNoIndex;
        for (qsizetype i = frames.size(); i-- > 0;) {
            const QStringList fl = frames[i].split(QLatin1Char(':'));
            stack =
                b.internStack(stack, b.internFrame({kNoIndex, b.internString(fl[0].toStdString()),
                                                    fl[1].toLongLong(), kNoIndex}));
        }
        costs.push_back({stack, 0, parts[0].toULongLong(), parts[1].toULongLong(), 0});
    }
    b.setCosts(snap, costs);
    return b.take();
}

QString render(const std::vector<StatRow>& rows, bool diff)
{
    QStringList out;
    for (const auto& r : rows) {
        QStringList frames;
        for (const auto& f : r.frames)
            frames << QString::fromStdString(std::string(f.file)) + ":" + QString::number(f.line);
        QString s = QString::number(r.size) + "/" + QString::number(r.count);
        if (diff)
            s += QStringLiteral("(%1/%2)").arg(r.sizeDiff).arg(r.countDiff);
        out << s + " " + frames.join(",");
    }
    return out.join(" | ");
}

} // namespace

class TestStatistics : public QObject
{
    Q_OBJECT

private slots:
    void statistics_data();
    void statistics();
    void compare_data();
    void compare();
    void differenceBeyond64Bits();
};

void TestStatistics::statistics_data()
{
    QTest::addColumn<QStringList>("traces");
    QTest::addColumn<int>("by");
    QTest::addColumn<bool>("cumulative");
    QTest::addColumn<bool>("py36");
    QTest::addColumn<QString>("expected");
    const int lineno = int(GroupBy::Lineno), filename = int(GroupBy::Filename),
              traceback = int(GroupBy::Traceback);
    QTest::newRow("lineno sums by most recent frame")
        << QStringList{"10;1;a:1,m:9", "5;2;a:1,n:9", "7;1;b:2"} << lineno << false << false
        << "15/3 a:1 | 7/1 b:2";
    QTest::newRow("filename keeps line 0") << QStringList{"10;1;a:1", "5;1;a:2", "20;1;b:2"}
                                           << filename << false << false << "20/1 b:0 | 15/2 a:0";
    QTest::newRow("ties broken by key, descending")
        << QStringList{"5;1;a:1", "5;1;b:1", "5;1;a:2"} << lineno << false << false
        << "5/1 b:1 | 5/1 a:2 | 5/1 a:1";
    QTest::newRow("bytes compare unsigned") << QStringList{"5;1;z:1", "5;1;\xc3\xa9:1"} << lineno
                                            << false << false << "5/1 \xc3\xa9:1 | 5/1 z:1";
    QTest::newRow("cumulative counts recursion per occurrence")
        << QStringList{"10;1;r:1,r:1,r:1,m:1"} << lineno << true << false << "30/3 r:1 | 10/1 m:1";
    QTest::newRow("cumulative filename") << QStringList{"10;1;a:1,a:2,b:3", "4;1;b:1"} << filename
                                         << true << false << "20/2 a:0 | 14/2 b:0";
    QTest::newRow("traceback ties, 3.7+ compares oldest first")
        << QStringList{"5;1;x:1,b:1", "5;1;y:1,a:1"} << traceback << false << false
        << "5/1 x:1,b:1 | 5/1 y:1,a:1";
    QTest::newRow("traceback ties, 3.6 compares most recent first")
        << QStringList{"5;1;x:1,b:1", "5;1;y:1,a:1"} << traceback << false << true
        << "5/1 y:1,a:1 | 5/1 x:1,b:1";
    QTest::newRow("traceback prefix is smaller")
        << QStringList{"5;1;m:1", "5;1;x:1,m:1"} << traceback << false << false
        << "5/1 x:1,m:1 | 5/1 m:1";
    QTest::newRow("count breaks size ties")
        << QStringList{"6;1;a:1", "6;2;b:1"} << lineno << false << false << "6/2 b:1 | 6/1 a:1";
}

void TestStatistics::statistics()
{
    QFETCH(QStringList, traces);
    QFETCH(int, by);
    QFETCH(bool, cumulative);
    QFETCH(bool, py36);
    QFETCH(QString, expected);
    const ProfileData data =
        profile(traces, py36 ? TracebackOrder::MostRecentFirst : TracebackOrder::OldestFirst);
    QCOMPARE(render(computeStatistics(data, 0, GroupBy(by), cumulative), false), expected);
}

void TestStatistics::compare_data()
{
    QTest::addColumn<QStringList>("older");
    QTest::addColumn<QStringList>("newer");
    QTest::addColumn<int>("by");
    QTest::addColumn<QString>("expected");
    const int lineno = int(GroupBy::Lineno);
    QTest::newRow("grown, new and gone groups")
        << QStringList{"10;1;a:1", "50;5;gone:1"} << QStringList{"30;3;a:1", "5;1;new:1"} << lineno
        << "0/0(-50/-5) gone:1 | 30/3(20/2) a:1 | 5/1(5/1) new:1";
    QTest::newRow("unchanged groups stay")
        << QStringList{"10;1;a:1"} << QStringList{"10;1;a:1"} << lineno << "10/1(0/0) a:1";
    QTest::newRow("equal abs diff, size and count: key decides")
        << QStringList{"10;1;a:1", "30;1;b:1"} << QStringList{"20;1;a:1", "20;1;b:1"} << lineno
        << "20/1(-10/0) b:1 | 20/1(10/0) a:1";
    QTest::newRow("equal abs diff: larger size first")
        << QStringList{"10;1;a:1", "40;1;b:1"} << QStringList{"20;1;a:1", "30;1;b:1"} << lineno
        << "30/1(-10/0) b:1 | 20/1(10/0) a:1";
    QTest::newRow("keys match by value across files")
        << QStringList{"1;1;q:1", "2;1;p:1"} << QStringList{"4;1;p:1", "1;1;q:1"} << lineno
        << "4/1(2/0) p:1 | 1/1(0/0) q:1";
}

void TestStatistics::compare()
{
    QFETCH(QStringList, older);
    QFETCH(QStringList, newer);
    QFETCH(int, by);
    QFETCH(QString, expected);
    const ProfileData a = profile(older);
    const ProfileData b = profile(newer);
    QCOMPARE(render(compareStatistics(a, 0, b, 0, GroupBy(by), false), true), expected);
}

void TestStatistics::differenceBeyond64Bits()
{
    // Python's ints have no limit; heapscope refuses rather than print a wrapped number.
    const ProfileData none = profile({});
    const ProfileData huge = profile({"9300000000000000000;1;a:1"});
    QCOMPARE(computeStatistics(huge, 0, GroupBy::Lineno, false).at(0).size, 9300000000000000000ull);
    QVERIFY_THROWS_EXCEPTION(hs::Error,
                             compareStatistics(none, 0, huge, 0, GroupBy::Lineno, false));
    QCOMPARE(compareStatistics(huge, 0, huge, 0, GroupBy::Lineno, false).at(0).sizeDiff, 0);
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
