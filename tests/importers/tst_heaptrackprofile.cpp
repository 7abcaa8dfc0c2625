// heaptrack recordings imported as heap profiles: heaptrack_print's top lists in its order, the
// fixtures recorded with heaptrack (a crash, cut files, no events, embedded and user
// suppressions, threads in gzip), one profile whatever the compression, and the timeline's time
// windows against a brute-force count over the raw events.

#include "../common/heaptrackfiles.h"
#include "heapcolumns.h"
#include "heapqueries.h"
#include "heaptrackimporter.h"
#include "heaptrackstream.h"
#include "hserror.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <set>
#include <zlib.h>

using namespace hs;

namespace {

using namespace hstest;

QJsonObject readJson(const QString& path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

// Every recording with a truth file: the shared samples (NAME.zst + NAME.truth.json) and the
// fixtures recorded here (FILE + FILE.truth.json).
QList<QPair<QString, QString>> recordings()
{
    QList<QPair<QString, QString>> out;
    for (const QString& t : QDir(heaptrackDir()).entryList({"*.truth.json"}, QDir::Files)) {
        const QString name = t.chopped(int(sizeof(".truth.json") - 1));
        out.append({heaptrackDir() + "/" + name + ".zst", heaptrackDir() + "/" + t});
    }
    const QDir fixtures(heaptrackDir() + "/fixtures");
    for (const QString& t : fixtures.entryList({"*.truth.json"}, QDir::Files)) {
        const QString file = t.chopped(int(sizeof(".truth.json") - 1));
        out.append({fixtures.filePath(file), fixtures.filePath(t)});
    }
    return out;
}

struct Imported
{
    ProfileData data;
    uint32_t snapshot = 0;
    const HeapProfile& heap() const { return data.snapshots.at(snapshot).heap; }
    int64_t property(const char* key) const
    {
        for (const auto& [k, v] : data.recordings.at(0).properties) {
            if (k == key)
                return std::stoll(v);
        }
        return -1;
    }
};

Imported import(const QByteArray& bytes, const HeaptrackImporter::Options& options = {})
{
    ProfileBuilder builder;
    Imported out;
    out.snapshot = HeaptrackImporter::import(view(bytes), "rec", builder, options);
    out.data = builder.take();
    return out;
}

// A recording's + and - events, read line by line from its text, independently of the parser.
struct Event
{
    char kind;
    uint64_t info;
    int64_t time;
};

struct RawEvents
{
    std::vector<uint64_t> sizes;
    std::vector<Event> events;
};

const RawEvents& rawEvents(const QString& file)
{
    static QHash<QString, RawEvents> cache;
    if (cache.contains(file))
        return cache[file];
    RawEvents& raw = cache[file];
    int64_t now = 0;
    for (const QByteArray& line : decompress(readAll(file)).split('\n')) {
        if (line.size() < 3)
            continue;
        bool ok = false;
        const uint64_t v = line.mid(2).split(' ').value(0).toULongLong(&ok, 16);
        if (!ok)
            continue;
        if (line[0] == 'a')
            raw.sizes.push_back(v);
        else if (line[0] == 'c')
            now = int64_t(v);
        else if ((line[0] == '+' || line[0] == '-') && v < raw.sizes.size())
            raw.events.push_back({line[0], v, now});
    }
    return raw;
}

// heaptrack's figures for the events whose timestamp is in [lo, hi].
struct Brute
{
    uint64_t allocations = 0, temporary = 0, allocated = 0, peak = 0;
    int64_t delta = 0;
};

Brute bruteForce(const RawEvents& raw, int64_t lo, int64_t hi)
{
    Brute b;
    uint64_t last = 0; // heaptrack's marker for temporary allocations, over the whole file
    for (const Event& e : raw.events) {
        const bool in = e.time >= lo && e.time <= hi;
        const uint64_t size = raw.sizes[e.info];
        if (e.kind == '+') {
            last = e.info;
            if (in) {
                ++b.allocations;
                b.allocated += size;
                b.delta += int64_t(size);
                b.peak = std::max<uint64_t>(b.peak, uint64_t(std::max<int64_t>(b.delta, 0)));
            }
        } else {
            if (in) {
                b.delta -= int64_t(size);
                b.temporary += e.info == last;
            }
            last = 0;
        }
    }
    return b;
}

} // namespace

class TestHeaptrackProfile : public QObject
{
    Q_OBJECT

private slots:
    void topLists_data();
    void topLists();
    void fixtures_data();
    void fixtures();
    void suppressions_data();
    void suppressions();
    void compressions_data();
    void compressions();
    void timeline_data();
    void timeline();
    void timeWindows_data();
    void timeWindows();
    void templateNames_data();
    void templateNames();
    void prefixes_data();
    void prefixes();
    void twoRecordingsShareOneTrie();
};

void TestHeaptrackProfile::topLists_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("truth");
    QTest::addColumn<QString>("list");
    for (const auto& [file, truth] : recordings()) {
        if (!readJson(truth).contains("top5_by_calls"))
            continue;
        for (const char* list : {"top5_by_calls", "top5_by_peak", "top5_by_temporary"})
            QTest::addRow("%s %s", qPrintable(QFileInfo(file).fileName()), list)
                << file << truth << QString::fromLatin1(list);
    }
}

void TestHeaptrackProfile::topLists()
{
    // heaptrack_print's entries, in its order (ties included), merged by location.
    QFETCH(QString, file);
    QFETCH(QString, truth);
    QFETCH(QString, list);
    const Imported imp = import(readAll(file));
    const HeapProfile& heap = imp.heap();
    const HeapTopLists top = heapTopLists(heap, heapWindow(heap), 10);
    const std::vector<HeapSite>& got = list == "top5_by_calls"  ? top.allocations
                                       : list == "top5_by_peak" ? top.peak
                                                                : top.temporary;
    const QJsonArray expected = readJson(truth).value(list).toArray();
    QVERIFY(size_t(expected.size()) <= got.size());
    QVERIFY(got.size() <= 10);
    const auto str = [&](uint32_t id) {
        return id == kNoIndex ? QString() : QString::fromStdString(imp.data.strings.at(id));
    };
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QJsonObject e = expected[i].toObject();
        const HeapSite& s = got[size_t(i)];
        const Frame& frame = imp.data.frames.at(heap.locations.at(s.location));
        QCOMPARE(QString::fromStdString(shortenTemplates(str(frame.function).toStdString())),
                 e.value("function").toString());
        QCOMPARE(str(frame.module), e.value("module").toString());
        if (e.contains("at"))
            QCOMPARE(str(frame.file) + ":" + QString::number(frame.line), e.value("at").toString());
        else
            QCOMPARE(frame.file, kNoIndex);
        QCOMPARE(s.allocations, e.value("calls").toInteger());
    }
}

void TestHeaptrackProfile::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("truth");
    for (const auto& [file, truth] : recordings())
        QTest::newRow(qPrintable(QFileInfo(file).fileName())) << file << truth;
}

void TestHeaptrackProfile::fixtures()
{
    // Every recording, cut or crashed ones included, gives the figures of what could be read.
    QFETCH(QString, file);
    QFETCH(QString, truth);
    const QJsonObject t = readJson(truth);
    const QJsonObject x = t.value("exact_from_file").toObject();
    const Imported imp = import(readAll(file));
    const std::pair<const char*, const char*> figures[] = {
        {"allocations", "total_allocations"},
        {"allocated_bytes", "total_allocated_bytes"},
        {"temporary", "temporary_allocations_print_semantics"},
        {"peak_bytes", "peak_heap_bytes"},
        {"peak_time_ms", "peak_time_ms"},
        {"runtime_ms", "total_runtime_ms"},
        {"peak_rss_bytes", "peak_rss_bytes"}};
    for (const auto& [ours, theirs] : figures)
        QVERIFY2(imp.property(ours) == x.value(theirs).toInteger(),
                 qPrintable(QStringLiteral("%1: %2, expected %3")
                                .arg(ours)
                                .arg(imp.property(ours))
                                .arg(x.value(theirs).toInteger())));
    QCOMPARE(imp.property("leaked_bytes") + imp.property("suppressed_bytes"),
             x.value("leaked_bytes_before_suppressions").toInteger());
    const bool complete = x.value("complete").toBool(true);
    QCOMPARE(imp.property("complete"), complete ? 1 : 0);
    const auto& warnings = imp.data.recordings.at(0).warnings;
    const bool warned = std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
        return w.find("incomplete") != std::string::npos;
    });
    QCOMPARE(warned, !complete);
    if (x.value("total_allocations").toInteger() == 0)
        QVERIFY(!warnings.empty());
    // The per-site costs add up to heaptrack_print's flame-graph sums.
    const QJsonObject sums = t.value("heaptrack_print_flamegraph_sums").toObject();
    int64_t allocations = 0, temporary = 0, peak = 0;
    for (const HeapCost& c : imp.heap().costs) {
        allocations += int64_t(c.allocations);
        temporary += int64_t(c.temporary);
        peak += int64_t(c.peakBytes);
    }
    QCOMPARE(allocations, sums.value("allocations").toInteger());
    QCOMPARE(temporary, sums.value("temporary").toInteger());
    QCOMPARE(peak, sums.value("peak").toInteger());
}

void TestHeaptrackProfile::suppressions_data()
{
    QTest::addColumn<QString>("userFile");
    QTest::addColumn<QString>("expected");
    // heaptrack_print 1.4 cannot read the sized S lines its own recorder writes, and with a user
    // file it suppresses every leak; heapscope applies the rules as written (see the fixture's
    // truth: embedded_rules_decoded and all_rules_intended).
    QTest::newRow("embedded rule") << QString() << "embedded_rules_decoded";
    QTest::newRow("embedded and user rules") << "user_suppressions.txt"
                                             << "all_rules_intended";
}

void TestHeaptrackProfile::suppressions()
{
    QFETCH(QString, userFile);
    QFETCH(QString, expected);
    const QString dir = heaptrackDir() + "/fixtures/";
    const QJsonObject want = readJson(dir + "lsan_suppressions.zst.truth.json")
                                 .value("leak_suppression_summary")
                                 .toObject()
                                 .value(expected)
                                 .toObject();
    HeaptrackImporter::Options options;
    if (!userFile.isEmpty())
        options.suppressions = readAll(dir + userFile).toStdString();
    const Imported imp = import(readAll(dir + "lsan_suppressions.zst"), options);
    QCOMPARE(imp.property("leaked_bytes"), want.value("leaked").toInteger());
    QCOMPARE(imp.property("suppressed_bytes"), want.value("suppressed").toInteger());
    int64_t leaked = 0, suppressed = 0;
    for (const HeapCost& c : imp.heap().costs) {
        leaked += int64_t(c.leakedBytes);
        suppressed += int64_t(c.suppressedBytes);
    }
    QCOMPARE(leaked, want.value("leaked").toInteger());
    QCOMPARE(suppressed, want.value("suppressed").toInteger());
    const HeapTopLists top = heapTopLists(imp.heap(), heapWindow(imp.heap()), 0 - size_t(1));
    int64_t listed = 0;
    for (const HeapSite& s : top.leaked)
        listed += s.leakedBytes;
    QCOMPARE(listed, leaked);
}

void TestHeaptrackProfile::compressions_data()
{
    fixtures_data();
}

void TestHeaptrackProfile::compressions()
{
    // zstd, gzip and plain text are one and the same recording.
    QFETCH(QString, file);
    const QByteArray original = readAll(file);
    const QByteArray text = decompress(original);
    const HeapColumns reference = heapToColumns(import(original).heap());
    QVERIFY(heapToColumns(import(text).heap()) == reference);
    QVERIFY(heapToColumns(import(gzipMembers({text})).heap()) == reference);
}

void TestHeaptrackProfile::timeline_data()
{
    fixtures_data();
}

void TestHeaptrackProfile::timeline()
{
    // The timeline, the chart and the size histogram agree with the recording's figures.
    QFETCH(QString, file);
    const Imported imp = import(readAll(file));
    const HeapProfile& heap = imp.heap();
    const HeapTotals whole = heapTotals(heap, heapWindow(heap));
    QCOMPARE(int64_t(whole.allocations), imp.property("allocations"));
    QCOMPARE(int64_t(whole.temporary), imp.property("temporary"));
    QCOMPARE(int64_t(whole.allocatedBytes), imp.property("allocated_bytes"));
    QCOMPARE(int64_t(whole.peakBytes), imp.property("peak_bytes"));
    QCOMPARE(whole.peakTimeMs, imp.property("peak_time_ms"));
    QCOMPARE(int64_t(whole.peakRssBytes), imp.property("peak_rss_bytes"));
    QCOMPARE(whole.deltaBytes, imp.property("leaked_bytes") + imp.property("suppressed_bytes"));
    for (const size_t points : {size_t(1), size_t(7), size_t(500), size_t(100000)}) {
        const auto chart = heapChart(heap, points);
        QVERIFY(chart.size() <= points);
        QVERIFY(!chart.empty());
        uint64_t top = 0;
        for (const auto& p : chart)
            top = std::max(top, p.heapBytes);
        QCOMPARE(int64_t(top), imp.property("peak_bytes"));
        QCOMPARE(int64_t(chart.back().allocations), imp.property("allocations"));
        QCOMPARE(int64_t(chart.back().temporary), imp.property("temporary"));
    }
    uint64_t calls = 0, bytes = 0;
    for (const HeapSizeCount& s : heap.sizes) {
        calls += s.count;
        bytes += s.size * s.count;
    }
    QCOMPARE(int64_t(calls), imp.property("allocations"));
    QCOMPARE(int64_t(bytes), imp.property("allocated_bytes"));

    // Every location's live bytes over time: together they are the heap at each bucket's end
    // (the intervals' own running figure), and each ends with what stayed alive there.
    std::vector<uint32_t> all(heap.locations.size());
    for (size_t k = 0; k < all.size(); ++k)
        all[k] = uint32_t(k);
    const HeapSiteSeries sites = heapSiteSeries(heap, all);
    const size_t width = std::max<size_t>(heap.bucketWidth, 1);
    QCOMPARE(sites.timeMs.size(), (heap.intervals.size() + width - 1) / width);
    for (size_t b = 0; b < sites.timeMs.size(); ++b) {
        const HeapInterval& in =
            heap.intervals[std::min((b + 1) * width, heap.intervals.size()) - 1];
        QCOMPARE(sites.timeMs[b], in.timeMs);
        int64_t sum = 0;
        for (const auto& series : sites.bytes)
            sum += series[b];
        QCOMPARE(sum, int64_t(in.heapStart + in.allocatedBytes - in.freedBytes));
    }
    std::vector<int64_t> alive(heap.locations.size(), 0);
    for (const HeapCost& c : heap.costs)
        alive[c.location] += int64_t(c.leakedBytes + c.suppressedBytes);
    for (size_t k = 0; k < all.size() && !sites.timeMs.empty(); ++k)
        QCOMPARE(sites.bytes[k].back(), alive[k]);
    // Asking for some locations gives just theirs, in the order asked.
    if (all.size() >= 2) {
        const HeapSiteSeries two = heapSiteSeries(heap, {all.back(), all.front()});
        QCOMPARE(two.bytes.size(), size_t(2));
        QCOMPARE(two.bytes[0], sites.bytes.back());
        QCOMPARE(two.bytes[1], sites.bytes.front());
    }
}

void TestHeaptrackProfile::timeWindows_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("intervalBudget");
    QTest::addColumn<int>("rowBudget");
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    const char* names[] = {"cpp_leak_temporary_demo.zst", "sqlite3_orders_workload.zst",
                           "fixtures/crash_midrun.zst", "fixtures/multi_thread_gz.gz"};
    const std::pair<double, double> windows[] = {{0, 1},   {0, 0.3},     {0.3, 0.6},
                                                 {0.5, 1}, {0.45, 0.45}, {1.01, 2}};
    for (const char* name : names) {
        // Default budgets keep one interval per timestamp; tiny ones force folding.
        for (const auto& [intervals, rows] : {std::pair{1 << 15, 1 << 20}, {4, 1 << 20}, {64, 5}}) {
            for (const auto& [from, to] : windows)
                QTest::addRow("%s, budgets %d/%d, %.2f-%.2f", name, intervals, rows, from, to)
                    << heaptrackDir() + "/" + name << intervals << rows << from << to;
        }
    }
}

void TestHeaptrackProfile::timeWindows()
{
    // A window's figures, from the stored intervals and buckets, equal a count over the raw
    // events of the part of the recording the window covers.
    QFETCH(QString, file);
    QFETCH(int, intervalBudget);
    QFETCH(int, rowBudget);
    QFETCH(double, from);
    QFETCH(double, to);
    static QHash<QString, Imported> imports;
    const QString key = file + QString::number(intervalBudget) + "/" + QString::number(rowBudget);
    if (!imports.contains(key)) {
        HeaptrackImporter::Options options;
        options.timelineIntervals = size_t(intervalBudget);
        options.timelineBucketRows = size_t(rowBudget);
        imports.insert(key, import(readAll(file), options));
    }
    const Imported& imp = imports[key];
    const HeapProfile& heap = imp.heap();
    if (intervalBudget < (1 << 15))
        QVERIFY(heap.intervals.size() <= size_t(intervalBudget) + 1);
    const int64_t runtime = imp.property("runtime_ms");
    const HeapWindow w =
        heapWindow(heap, int64_t(from * double(runtime)), int64_t(to * double(runtime)));
    const HeapTotals totals = heapTotals(heap, w);
    // The part covered: from the first included interval's timestamp to the next one's.
    const bool none = w.firstInterval == w.endInterval;
    const int64_t lo = none ? 1 : heap.intervals[w.firstInterval].timeMs;
    const int64_t hi = none ? 0
                       : w.endInterval < heap.intervals.size()
                           ? heap.intervals[w.endInterval].timeMs - 1
                           : INT64_MAX;
    const Brute b = bruteForce(rawEvents(file), lo, hi);
    QCOMPARE(totals.allocations, b.allocations);
    QCOMPARE(totals.temporary, b.temporary);
    QCOMPARE(totals.allocatedBytes, b.allocated);
    QCOMPARE(totals.deltaBytes, b.delta);
    QCOMPARE(totals.peakBytes, b.peak);
    // The per-stack buckets and the merged top lists hold the same events.
    uint64_t allocations = 0, temporary = 0;
    int64_t delta = 0;
    for (const HeapBucketCost& c : heap.bucketCosts) {
        if (c.bucket < w.firstBucket || c.bucket >= w.endBucket)
            continue;
        allocations += c.allocations;
        temporary += c.temporary;
        delta += int64_t(c.allocatedBytes) - int64_t(c.freedBytes);
    }
    QCOMPARE(allocations, b.allocations);
    QCOMPARE(temporary, b.temporary);
    QCOMPARE(delta, b.delta);
    const HeapTopLists top = heapTopLists(heap, w, 0 - size_t(1));
    int64_t listed = 0;
    for (const HeapSite& s : top.allocations)
        listed += s.allocations;
    QCOMPARE(uint64_t(listed), b.allocations);
    QVERIFY(top.peak.empty());
}

void TestHeaptrackProfile::templateNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("shortened");
    QTest::newRow("plain") << "main"
                           << "main";
    QTest::newRow("nested") << "std::vector<std::pair<int, int>, std::allocator<int> >::push_back"
                            << "std::vector<>::push_back";
    QTest::newRow("two lists") << "void f<int>(std::array<char, 3ul>)"
                               << "void f<>(std::array<>)";
    QTest::newRow("operator<<") << "std::ostream& operator<< <char>(std::ostream&)"
                                << "std::ostream& operator<< <>(std::ostream&)";
    QTest::newRow("operator<") << "bool operator<(A const&, B<int> const&)"
                               << "bool operator<(A const&, B<> const&)";
    QTest::newRow("operator>>") << "X::operator>>(int)"
                                << "X::operator>>(int)";
    QTest::newRow("stray closing bracket") << "a>b(c)"
                                           << "a";
}

void TestHeaptrackProfile::templateNames()
{
    QFETCH(QString, name);
    QFETCH(QString, shortened);
    QCOMPARE(QString::fromStdString(shortenTemplates(name.toStdString())), shortened);
}

void TestHeaptrackProfile::prefixes_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("zstd file") << "zst";
    QTest::newRow("gzip file") << "gz";
    QTest::newRow("decompressed text") << "text";
}

void TestHeaptrackProfile::prefixes()
{
    // Every cut of a small recording imports what it can (marked incomplete) or is refused
    // with a message naming the file: never a crash, a hang or a leak (also run under ASan).
    QFETCH(QString, kind);
    // (The crash fixture's zstd frame is one block, which decodes whole or not at all: the
    // zstd cuts use a recording of many blocks.)
    const QByteArray text = decompress(readAll(heaptrackDir() + "/fixtures/crash_midrun.zst"));
    const QByteArray whole = kind == "zst"
                                 ? readAll(heaptrackDir() + "/cpp_leak_temporary_demo.zst")
                             : kind == "gz" ? gzipMembers({text})
                                            : text;
    const qsizetype step = kind == "text" ? 53 : kind == "gz" ? 3 : 29;
    int imported = 0, refused = 0;
    for (qsizetype n = 0; n < whole.size(); n += step) {
        HeaptrackImporter::Options options;
        options.timelineIntervals = 2; // fold as often as possible
        options.timelineBucketRows = 3;
        ProfileBuilder builder;
        try {
            const uint32_t snap =
                HeaptrackImporter::import(view(whole.left(n)), "cut", builder, options);
            const ProfileData data = builder.take();
            const auto& props = data.recordings.at(0).properties;
            QVERIFY(std::find(props.begin(), props.end(),
                              std::pair<std::string, std::string>("complete", "0")) != props.end());
            QVERIFY(data.snapshots.at(snap).heap.intervals.size() <= 3);
            ++imported;
        } catch (const Error& e) {
            QVERIFY2(std::string_view(e.what()).starts_with("cut: "), e.what());
            ++refused;
        }
    }
    QVERIFY(imported > 10);
    QVERIFY(refused >= 1); // at least the empty prefix
}

void TestHeaptrackProfile::twoRecordingsShareOneTrie()
{
    // The importer frees the stack index after each recording; a second input into the same
    // file must find the stacks it shares with the first, never add them twice.
    const QByteArray a = readAll(heaptrackDir() + "/cpp_leak_temporary_demo.zst");
    ProfileBuilder both;
    HeaptrackImporter::import(view(a), "a", both, {});
    const size_t afterFirst = both.data().stacks.size();
    const uint32_t again = HeaptrackImporter::import(view(a), "a again", both, {});
    const ProfileData data = both.take();
    QCOMPARE(data.stacks.size(), afterFirst);
    std::set<std::pair<uint32_t, uint32_t>> seen;
    for (const StackNode& n : data.stacks)
        QVERIFY(seen.insert({n.parent, n.frame}).second);
    const Imported alone = import(a);
    QCOMPARE(data.snapshots.at(again).heap.costs.size(), alone.heap().costs.size());
}

QTEST_GUILESS_MAIN(TestHeaptrackProfile)
#include "tst_heaptrackprofile.moc"
