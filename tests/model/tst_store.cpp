// The .heapscope store: round trip, schema versioning, refusal of foreign or damaged files, and
// atomic writes that leave nothing behind when they fail.

#include "heapcolumns.h"
#include "hserror.h"
#include "profilebuilder.h"
#include "schema.h"
#include "stacktree.h"
#include "store.h"
#include "storewriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sqlite3.h>

using namespace hs;

namespace {

// Two snapshots sharing frames: a() -> b() allocating, and a recursive c() -> c().
ProfileData sampleData()
{
    ProfileBuilder b;
    const uint32_t rec =
        b.addRecording({"tracemalloc", "in.pickle", 10, "ab", "", "now", {"w1"}, {}, {}});
    const uint32_t fa = b.internFrame({kNoIndex, b.internString("a.py"), 1, kNoIndex});
    const uint32_t fb = b.internFrame({kNoIndex, b.internString("b.py"), 2, kNoIndex});
    const uint32_t fc = b.internFrame({kNoIndex, b.internString("c\xed\xb3\xbf.py"), 3, kNoIndex});
    const uint32_t sa = b.internStack(kNoIndex, fa);
    const uint32_t sab = b.internStack(sa, fb);
    const uint32_t sc = b.internStack(kNoIndex, fc);
    const uint32_t scc = b.internStack(sc, fc);
    SnapshotInfo i;
    i.recording = rec;
    i.label = "first";
    i.totalSize = 300;
    i.totalCount = 3;
    i.python = "3.9+";
    i.protocol = 5;
    const uint32_t s0 = b.addSnapshot(i);
    b.setCosts(s0, {{sab, 0, 100, 1, 0}, {scc, 0, 150, 1, 1}, {sab, 7, 50, 1, 0}});
    i.label = "second";
    i.timeMs = 12.5;
    i.order = TracebackOrder::MostRecentFirst;
    i.totalSize = uint64_t(1) << 63; // sizes use all 64 bits
    const uint32_t s1 = b.addSnapshot(i);
    b.setCosts(s1, {{sa, 0, uint64_t(1) << 63, 1, 0}});
    HeapProfile heap;
    heap.costs = {{sab, 1, 10, 1000, 3, 200, 100, 0}, {scc, 0, 1, 64, 0, 0, 0, 64}};
    heap.locations = {fc, fb};
    heap.intervals = {{0, 10, 3, 1000, 900, 0, 1000, 0}, {7, 1, 0, 64, 0, 100, 164, 4096}};
    heap.bucketWidth = 1;
    heap.bucketCosts = {{0, sab, 10, 3, 1000, 900}, {1, scc, 1, 0, 64, 0}};
    heap.sizes = {{64, 1}, {100, 10}};
    b.setHeapProfile(s1, heap);
    b.recordingInfo(rec).properties = {{"peak_rss_bytes", "27467776"}, {"runtime_ms", "785"}};
    return b.take();
}

void setUserVersion(const QString& path, int version)
{
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    const QByteArray sql = "PRAGMA user_version = " + QByteArray::number(version);
    QCOMPARE(sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

void execSql(const QString& path, const char* sql)
{
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

QString errorOf(const QString& path, Store::Parts parts = Store::Parts())
{
    try {
        Store(path.toStdString()).load(parts);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void roundTripManyBlocks();
    void skipsUnknownColumns();
    void refuses_data();
    void refuses();
    void failedWriteLeavesNothing();
    void stackTreeTotals();
    void replacesAtomically();
};

void TestStore::roundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("a.heapscope");
    const ProfileData in = sampleData();
    StoreWriter::write(in, path.toStdString());
    QVERIFY(Store::looksLikeStore(path.toStdString()));
    const Store store(path.toStdString());
    QCOMPARE(store.schemaVersion(), schema::kVersion);
    const ProfileData out = store.load();
    QCOMPARE(out.strings, in.strings);
    QCOMPARE(out.frames.size(), in.frames.size());
    for (size_t i = 0; i < in.frames.size(); ++i) {
        QCOMPARE(out.frames[i].file, in.frames[i].file);
        QCOMPARE(out.frames[i].line, in.frames[i].line);
        QCOMPARE(out.frames[i].function, kNoIndex);
    }
    QCOMPARE(out.stacks.size(), in.stacks.size());
    for (size_t i = 0; i < in.stacks.size(); ++i) {
        QCOMPARE(out.stacks[i].parent, in.stacks[i].parent);
        QCOMPARE(out.stacks[i].frame, in.stacks[i].frame);
    }
    QCOMPARE(out.recordings.at(0).warnings, std::vector<std::string>{"w1"});
    QCOMPARE(out.recordings.at(0).properties.size(), size_t(2));
    QCOMPARE(out.recordings.at(0).properties[1].second, std::string("785"));
    const HeapProfile& heap = out.snapshots[1].heap;
    const HeapProfile& heapIn = in.snapshots[1].heap;
    QCOMPARE(heap.costs.size(), size_t(2));
    QCOMPARE(heap.costs[0].allocatedBytes, uint64_t(1000));
    QCOMPARE(heap.costs[0].location, uint32_t(1));
    QCOMPARE(heap.costs[1].suppressedBytes, uint64_t(64));
    QCOMPARE(heap.locations, heapIn.locations);
    QCOMPARE(heap.intervals.size(), size_t(2));
    QCOMPARE(heap.intervals[1].timeMs, int64_t(7));
    QCOMPARE(heap.intervals[1].heapMax, uint64_t(164));
    QCOMPARE(heap.intervals[1].rssBytes, uint64_t(4096));
    QCOMPARE(heap.bucketCosts.size(), size_t(2));
    QCOMPARE(heap.bucketCosts[1].stack, heapIn.bucketCosts[1].stack);
    QCOMPARE(heap.bucketCosts[0].freedBytes, uint64_t(900));
    QCOMPARE(heap.sizes.size(), size_t(2));
    QCOMPARE(heap.sizes[1].count, uint64_t(10));
    QVERIFY(out.snapshots[0].heap.empty());
    QCOMPARE(out.recordings.at(0).sourceSha256, std::string("ab"));
    QCOMPARE(out.snapshots.size(), size_t(2));
    QCOMPARE(out.snapshots[0].info.label, std::string("first"));
    QCOMPARE(out.snapshots[0].info.timeMs, -1.0);
    QCOMPARE(out.snapshots[1].info.timeMs, 12.5);
    QCOMPARE(out.snapshots[1].info.order, TracebackOrder::MostRecentFirst);
    QCOMPARE(out.snapshots[1].info.totalSize, uint64_t(1) << 63);
    QCOMPARE(out.snapshots[1].costs.at(0).size, uint64_t(1) << 63);
    const ProfileData listing = store.loadSnapshotList();
    QCOMPARE(listing.snapshots.size(), size_t(2));
    QCOMPARE(listing.snapshots[1].info.label, std::string("second"));
    QVERIFY(listing.snapshots[0].costs.empty() && listing.stacks.empty());
    uint64_t sum = 0, truncated = 0;
    for (const auto& c : out.snapshots[0].costs)
        sum += c.size, truncated += c.truncated;
    QCOMPARE(sum, uint64_t(300));
    QCOMPARE(truncated, uint64_t(1));
}

void TestStore::roundTripManyBlocks()
{
    // More rows than one block holds, in two snapshots: every block keeps its snapshot.
    ProfileBuilder b;
    SnapshotInfo info;
    info.recording = b.addRecording({});
    const uint32_t s0 = b.addSnapshot(info);
    const uint32_t s1 = b.addSnapshot(info);
    const uint32_t file = b.internString("f.py");
    std::vector<StackCost> costs0, costs1;
    uint32_t parent = kNoIndex;
    for (int i = 0; i < 150000; ++i) {
        const uint32_t frame = b.internFrame({kNoIndex, file, i, kNoIndex});
        parent = b.internStack(i % 1000 == 0 ? kNoIndex : parent, frame);
        costs0.push_back({parent, 0, uint64_t(i), 1, 0});
        if (i % 2)
            costs1.push_back({parent, uint32_t(i % 3), 7, 2, 1});
    }
    b.setCosts(s0, costs0);
    b.setCosts(s1, costs1);
    const ProfileData in = b.take();
    QTemporaryDir dir;
    const std::string path = dir.filePath("big.heapscope").toStdString();
    StoreWriter::write(in, path);
    const ProfileData out = Store(path).load();
    QCOMPARE(out.frames.size(), in.frames.size());
    QCOMPARE(out.stacks.size(), in.stacks.size());
    for (size_t i = 0; i < in.stacks.size(); i += 997) {
        QCOMPARE(out.stacks[i].parent, in.stacks[i].parent);
        QCOMPARE(out.frames[i].line, in.frames[i].line);
    }
    for (size_t s = 0; s < 2; ++s) {
        QCOMPARE(out.snapshots[s].costs.size(), in.snapshots[s].costs.size());
        const auto& a = in.snapshots[s].costs;
        const auto& c = out.snapshots[s].costs;
        for (size_t i = 0; i < a.size(); i += 991) {
            QCOMPARE(c[i].stack, a[i].stack);
            QCOMPARE(c[i].domain, a[i].domain);
            QCOMPARE(c[i].size, a[i].size);
        }
    }
}

// A newer writer's extra heap fields (a known struct's or a new one's) are skipped; every
// field the profile has still reads back exactly.
void TestStore::skipsUnknownColumns()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("a.heapscope");
    const ProfileData in = sampleData();
    StoreWriter::write(in, path.toStdString());
    execSql(path, "INSERT INTO heap_column_block VALUES (1, 'cost.future', 0, 2, zeroblob(16)),"
                  " (1, 'novel.field', 0, 3, zeroblob(3)), (1, 'unqualified', 0, 1, zeroblob(1))");
    const ProfileData out = Store(path.toStdString()).load();
    QVERIFY(heapToColumns(out.snapshots[1].heap) == heapToColumns(in.snapshots[1].heap));
    QVERIFY(out.snapshots[0].heap.empty());
}

void TestStore::refuses_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("message");
    QTest::newRow("newer schema") << "version 99"
                                  << "written by a newer heapscope";
    QTest::newRow("unknown schema 0") << "version 0"
                                      << "unknown heapscope schema version 0";
    QTest::newRow("foreign SQLite database") << "foreign"
                                             << "not a heapscope file";
    QTest::newRow("text file") << "text"
                               << "not a heapscope file";
    QTest::newRow("missing file") << "missing"
                                  << "cannot open";
    QTest::newRow("stack cycle")
        << "UPDATE stack_block SET parent_ids = x'03000000' || substr(parent_ids, 5)"
        << "broken call-stack tree";
    QTest::newRow("cost of a missing stack")
        << "UPDATE cost_block SET stack_ids = x'63000000' || substr(stack_ids, 5)"
        << "cost of a missing stack";
    QTest::newRow("short blob") << "UPDATE frame_block SET lines = zeroblob(3)"
                                << "malformed frame block";
    QTest::newRow("gap in blocks") << "UPDATE stack_block SET first = 5"
                                   << "malformed stack block";
    QTest::newRow("gap in ids") << "DELETE FROM string WHERE id = 0"
                                << "unexpected id";
    QTest::newRow("heap cost of a missing location")
        << "UPDATE heap_column_block SET data = CAST(x'09' || zeroblob(count * 8 - 1) AS BLOB) "
           "WHERE name = 'cost.location'"
        << "refers to something that does not exist";
    QTest::newRow("heap columns of different lengths")
        << "UPDATE heap_column_block SET data = zeroblob(8), count = 1 "
           "WHERE name = 'cost.allocations'"
        << "different lengths";
    // Each field is written straight into its row: a missing one would silently read as 0.
    QTest::newRow("heap field missing (first of its struct)")
        << "DELETE FROM heap_column_block WHERE name = 'cost.allocated_bytes'"
        << "different lengths (cost)";
    QTest::newRow("heap field missing (last of its struct)")
        << "DELETE FROM heap_column_block WHERE name = 'interval.time_ms'"
        << "different lengths (interval)";
    QTest::newRow("bucket width of 0")
        << "UPDATE heap_column_block SET data = zeroblob(8) WHERE name = 'bucket.width'"
        << "refers to something that does not exist";
    QTest::newRow("column values of 3 bytes")
        << "UPDATE heap_column_block SET data = zeroblob(count * 3) WHERE name = 'cost.stack'"
        << "malformed column block";
    // Before version 4 every column value took 8 bytes.
    QTest::newRow("narrow columns in a version-3 file") << "version 3"
                                                        << "malformed column block";
    QTest::newRow("heap bucket out of range")
        << "UPDATE heap_column_block SET data = CAST(x'09' || zeroblob(count * 8 - 1) AS BLOB) "
           "WHERE name = 'bucket_cost.bucket'"
        << "refers to something that does not exist";
    // Checked whether or not the trie is loaded (a heaptrack report reads without it): a
    // query sized by stack ids must stay bounded by the file's stacks.
    QTest::newRow("heap bucket of a missing stack")
        << "UPDATE heap_column_block SET data = CAST(x'ffffff7f' || zeroblob(count * 4 - 4) AS "
           "BLOB) WHERE name = 'bucket_cost.stack'"
        << "refers to something that does not exist";
    QTest::newRow("heap cost of a missing stack")
        << "UPDATE heap_column_block SET data = CAST(x'ffffff7f' || zeroblob(count * 4 - 4) AS "
           "BLOB) WHERE name = 'cost.stack'"
        << "refers to something that does not exist";
}

void TestStore::refuses()
{
    QFETCH(QString, damage);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath("x.heapscope");
    if (damage == "foreign") {
        execSql(path, "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
    } else if (damage == "text") {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just some text, long enough to be read as a header\n");
    } else if (damage != "missing") {
        StoreWriter::write(sampleData(), path.toStdString());
        if (damage.startsWith("version "))
            setUserVersion(path, damage.mid(8).toInt());
        else
            execSql(path, damage.toUtf8().constData());
    }
    const QString error = errorOf(path);
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.startsWith(path), qPrintable(error));
    if (damage.contains("heap_column_block")) { // the heap profile alone refuses it too
        const QString partial = errorOf(path, {false, true});
        QVERIFY2(partial.contains(message), qPrintable(partial));
    }
}

void TestStore::failedWriteLeavesNothing()
{
    QTemporaryDir dir;
    const QString target = dir.filePath("missing-dir/out.heapscope");
    QVERIFY_THROWS_EXCEPTION(Error, StoreWriter::write(sampleData(), target.toStdString()));
    QVERIFY(QDir(dir.path()).isEmpty());
    QCOMPARE(StoreWriter::activeTempFile(), std::string(""));
}

void TestStore::stackTreeTotals()
{
    // a() -> b() holds 150 bytes in two domains, c() -> c() 150: roots carry the totals.
    const ProfileData data = sampleData();
    const auto tree = stackTreeCosts(data, 0);
    QCOMPARE(tree.size(), data.stacks.size());
    QCOMPARE(tree[0].totalSize, uint64_t(150)); // a
    QCOMPARE(tree[0].selfSize, uint64_t(0));
    QCOMPARE(tree[1].selfSize, uint64_t(150)); // a -> b
    QCOMPARE(tree[1].selfCount, uint64_t(2));
    QCOMPARE(tree[2].totalSize, uint64_t(150)); // c
    QCOMPARE(tree[3].totalCount, uint64_t(1));  // c -> c
    QCOMPARE(tree[0].totalSize + tree[2].totalSize, data.snapshots[0].info.totalSize);
}

void TestStore::replacesAtomically()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("a.heapscope");
    StoreWriter::write(sampleData(), path.toStdString());
    ProfileData second = sampleData();
    second.snapshots.pop_back();
    StoreWriter::write(second, path.toStdString());
    QCOMPARE(Store(path.toStdString()).load().snapshots.size(), size_t(1));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"a.heapscope"});
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
