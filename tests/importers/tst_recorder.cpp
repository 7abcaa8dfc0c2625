// The .hsr importer on files built here byte by byte: every record type, a graph whose cycles,
// garbage and retained sizes are known, a cut at every byte, damaged input with clear errors,
// and the store round trip of graph, analysis, timeline and checkpoints.

#include "../common/hsrwriter.h"
#include "graphqueries.h"
#include "hserror.h"
#include "inputloader.h"
#include "recorderimporter.h"
#include "store.h"
#include "storewriter.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hs;
using hs::test::HsrFile;
using hs::test::HsrPayload;

namespace {

enum : uint8_t
{
    Meta = 1,
    Strings,
    Sample,
    Checkpoint,
    SnapshotBegin,
    Traces,
    SnapshotEnd,
    GraphBegin,
    Tracebacks,
    Nodes,
    Roots,
    GraphEnd,
    End
};

// Strings: 1 builtins.dict, 2 __main__.Node, 3 builtins.str, 4 next, 5 module, 6 __main__,
// 7 a.py, 8 key, 9 builtins.module, 10 'hello'.
// Objects (address: what): 100 module __main__ -> 200 (its dict) -> 300 Node A (alive ring A<->B
// via 301/401 dicts: simplified as direct refs) ; 500 <-> 600 a garbage ring of two Nodes,
// 600 -> 700 a str only the ring holds.
HsrFile sampleFile(bool withEnd = true)
{
    HsrFile f;
    f.record(Meta, HsrPayload().str(R"({"recorder": "1", "python": "3.11.7", "pid": 42,
        "argv": ["prog.py", "--fast"], "tracemalloc": true})"));
    HsrPayload strings;
    strings.varint(1).varint(10);
    for (const char* s : {"builtins.dict", "__main__.Node", "builtins.str", "next", "module",
                          "__main__", "a.py", "key", "builtins.module", "'hello'"})
        strings.str(s);
    f.record(Strings, strings, true);
    for (int i = 0; i < 3; ++i)
        f.record(Sample, HsrPayload()
                             .f64(0.1 * (i + 1))
                             .varint(1000 * (i + 1))
                             .varint(5000)
                             .varint(1 << 20)
                             .varint(i)
                             .varint(1)
                             .varint(2)
                             .varint(10 + i)
                             .varint(3)
                             .varint(1));
    f.record(Checkpoint, HsrPayload().varint(1).f64(0.35).str("check").varint(3));
    f.record(SnapshotBegin, HsrPayload().varint(1).varint(5).varint(3));
    // Three traces: two share a stack (a.py:10 called from a.py:1), one is truncated.
    f.record(Traces,
             HsrPayload()
                 .varint(3)
                 .varint(0)
                 .varint(100)
                 .varint(2)
                 .varint(2)
                 .varint(7)
                 .varint(10)
                 .varint(7)
                 .varint(1)
                 .varint(0)
                 .varint(50)
                 .varint(2)
                 .varint(2)
                 .varint(7)
                 .varint(10)
                 .varint(7)
                 .varint(1)
                 .varint(0)
                 .varint(8)
                 .varint(9)
                 .varint(1)
                 .varint(7)
                 .varint(20),
             true);
    f.record(SnapshotEnd, HsrPayload().varint(1).varint(3));
    f.record(GraphBegin, HsrPayload().varint(1).f64(0.36));
    f.record(Tracebacks, HsrPayload().varint(1).varint(1).varint(1).varint(7).varint(10), true);
    HsrPayload nodes;
    nodes.varint(7);
    // address, type, size, label, flags, traceback, edges (target, name)...
    nodes.varint(100)
        .varint(9)
        .varint(72)
        .varint(6)
        .varint(1 | 2)
        .varint(0)
        .varint(1)
        .varint(200)
        .varint(0);
    nodes.varint(200)
        .varint(1)
        .varint(232)
        .varint(0)
        .varint(1)
        .varint(0)
        .varint(2)
        .varint(300)
        .varint(8)
        .varint(999)
        .varint(8); // 999: not in the file
    nodes.varint(300)
        .varint(2)
        .varint(48)
        .varint(0)
        .varint(1)
        .varint(1)
        .varint(1)
        .varint(400)
        .varint(4);
    nodes.varint(400)
        .varint(2)
        .varint(48)
        .varint(0)
        .varint(1)
        .varint(1)
        .varint(1)
        .varint(300)
        .varint(4);
    nodes.varint(500)
        .varint(2)
        .varint(48)
        .varint(0)
        .varint(1)
        .varint(0)
        .varint(1)
        .varint(600)
        .varint(4);
    nodes.varint(600)
        .varint(2)
        .varint(48)
        .varint(0)
        .varint(1)
        .varint(0)
        .varint(2)
        .varint(500)
        .varint(4)
        .varint(700)
        .varint(0);
    nodes.varint(700).varint(3).varint(54).varint(10).varint(0).varint(0).varint(0);
    f.record(Nodes, nodes, true);
    // A duplicate of 700 in a later record: the first one wins.
    f.record(
        Nodes,
        HsrPayload().varint(1).varint(700).varint(3).varint(1).varint(0).varint(0).varint(0).varint(
            0),
        true);
    f.record(Roots, HsrPayload().varint(1).varint(100).varint(5).varint(6));
    f.record(GraphEnd, HsrPayload().varint(1).varint(8).varint(8));
    if (withEnd)
        f.record(End, HsrPayload().f64(0.4));
    return f;
}

ProfileData import(const std::string& bytes, const std::string& name = "t.hsr")
{
    ProfileBuilder b;
    RecorderImporter::import(bytes, name, b);
    return b.take();
}

uint32_t node(const ObjectGraph& g, uint64_t address)
{
    return nodeByAddress(g, address);
}

} // namespace

class TestRecorder : public QObject
{
    Q_OBJECT

private slots:
    void wholeFile()
    {
        const ProfileData d = import(sampleFile().bytes());
        QCOMPARE(d.recordings.size(), size_t(1));
        const RecordingInfo& r = d.recordings[0];
        QCOMPARE(r.kind, std::string("recorder"));
        QCOMPARE(r.commandLine, std::string("prog.py --fast"));
        QCOMPARE(r.timeline.samples.size(), size_t(3));
        QCOMPARE(r.timeline.samples[2].tracedCurrent, uint64_t(3000));
        QCOMPARE(r.timeline.samples[2].gcCollections[0], uint64_t(12));
        QCOMPARE(r.timeline.checkpoints.size(), size_t(1));
        QCOMPARE(r.timeline.checkpoints[0].label, std::string("check"));
        // A clean file has no warnings; the dangling reference is counted.
        QVERIFY(r.warnings.empty());
        QCOMPARE(r.properties.back(),
                 (std::pair<std::string, std::string>("dropped_references", "1")));

        QCOMPARE(d.snapshots.size(), size_t(1));
        const SnapshotData& s = d.snapshots[0];
        QCOMPARE(s.info.label, std::string("check"));
        QCOMPARE(s.info.tracebackLimit, int64_t(5));
        QCOMPARE(s.info.totalSize, uint64_t(158));
        QCOMPARE(s.info.totalCount, uint64_t(3));
        QCOMPARE(s.info.truncatedCount, uint64_t(1));
        QCOMPARE(s.costs.size(), size_t(2)); // two distinct stacks
        QCOMPARE(s.info.python, std::string("3.11.7"));

        const ObjectGraph& g = s.graph;
        QCOMPARE(g.nodeCount(), size_t(7));
        QCOMPARE(g.edges.edgeCount(), size_t(7));     // 8 written, 1 dangling
        QCOMPARE(g.size[node(g, 700)], uint64_t(54)); // the first of the duplicates
        QCOMPARE(d.strings[g.label[node(g, 700)]], std::string("'hello'"));
        QCOMPARE(g.roots.size(), size_t(1));
        QVERIFY(g.traceback[node(g, 300)] != kNoIndex);

        const GraphAnalysis& a = s.analysis;
        QVERIFY(!a.empty());
        QCOMPARE(a.garbage[node(g, 300)], uint8_t(0));
        QCOMPARE(a.garbage[node(g, 500)], uint8_t(1));
        QCOMPARE(a.garbage[node(g, 700)], uint8_t(1));
        const auto cycles = graphCycles(g, a);
        QCOMPARE(cycles.size(), size_t(2));
        // The garbage ring holds the string as well: it retains the most.
        QCOMPARE(cycles[0].garbage, true);
        QCOMPARE(cycles[0].retained, uint64_t(48 + 48 + 54));
        QCOMPARE(g.address[cycles[0].representative], uint64_t(500));
        QCOMPARE(cycles[1].garbage, false);
        QCOMPARE(cycles[1].retained, uint64_t(96));
        // The module retains everything alive: itself, its dict and the live ring.
        QCOMPARE(a.retained[node(g, 100)], uint64_t(72 + 232 + 96));
        const auto path = retainingPath(g, a, node(g, 400));
        QCOMPARE(path.size(), size_t(4));
        QCOMPARE(g.address[path[0].node], uint64_t(100));
        QCOMPARE(d.strings[path[1].edgeName], std::string("key"));
    }

    void snapshotRecordedTwice_data()
    {
        QTest::addColumn<bool>("firstEnded");
        QTest::addColumn<int>("warnings");
        QTest::newRow("first one ended") << true << 1;
        QTest::newRow("first one left open") << false << 2;
    }
    // A damaged file can open a checkpoint's snapshot a second time (fuzz_hsr found a heap
    // overflow there): the later snapshot is kept whole, with totals that match its costs.
    void snapshotRecordedTwice()
    {
        QFETCH(bool, firstEnded);
        QFETCH(int, warnings);
        HsrFile f;
        HsrPayload strings;
        strings.varint(1).varint(1).str("a.py");
        f.record(Strings, strings);
        const auto snapshot = [&f](std::initializer_list<uint64_t> sizes, bool end) {
            f.record(SnapshotBegin, HsrPayload().varint(1).varint(5).varint(sizes.size()));
            HsrPayload traces;
            traces.varint(sizes.size());
            uint64_t line = 0;
            for (const uint64_t size : sizes)
                traces.varint(0).varint(size).varint(1).varint(1).varint(1).varint(++line);
            f.record(Traces, traces);
            if (end)
                f.record(SnapshotEnd, HsrPayload().varint(1).varint(sizes.size()));
        };
        snapshot({100, 200, 300, 400}, firstEnded);
        snapshot({7, 8}, true);
        f.record(End, HsrPayload().f64(1));
        const ProfileData d = import(f.bytes());
        QCOMPARE(d.snapshots.size(), size_t(1));
        const SnapshotData& s = d.snapshots[0];
        QCOMPARE(s.costs.size(), size_t(2));
        uint64_t sum = 0;
        for (const StackCost& c : s.costs)
            sum += c.size;
        QCOMPARE(sum, uint64_t(15));
        QCOMPARE(s.info.totalSize, uint64_t(15));
        QCOMPARE(s.info.totalCount, uint64_t(2));
        QCOMPARE(int(d.recordings[0].warnings.size()), warnings);
    }

    void everyCut()
    {
        // Cut anywhere: the records before the cut, a warning, never an exception.
        const HsrFile f = sampleFile();
        const std::string& bytes = f.bytes();
        for (size_t n = 9; n < bytes.size(); ++n) {
            ProfileData d;
            try {
                d = import(bytes.substr(0, n));
            } catch (const Error& e) {
                QFAIL(qPrintable(QStringLiteral("cut at %1: %2").arg(n).arg(e.what())));
            }
            size_t complete = 0;
            for (const size_t end : f.recordEnds())
                complete += end <= n;
            QVERIFY2(!d.recordings[0].warnings.empty(), qPrintable(QString::number(n)));
            const size_t samples = d.recordings[0].timeline.samples.size();
            QCOMPARE(samples, std::min<size_t>(3, complete >= 2 ? complete - 2 : 0));
        }
        QVERIFY_THROWS_EXCEPTION(Error, import(bytes.substr(0, 8)));
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("not hsr") << QByteArray("hello world") << "no .hsr signature";
        QTest::newRow("newer version")
            << QByteArray("\x89HSR\r\n\x1a\n\x02", 9) << "version 2 is not supported";
        const auto file = [](uint8_t type, const HsrPayload& p) {
            HsrFile f;
            f.record(type, p);
            return QByteArray::fromStdString(f.bytes());
        };
        QTest::newRow("roots outside a graph")
            << file(Roots, HsrPayload().varint(1).varint(1).varint(3).varint(0))
            << "holds roots outside a graph";
        {
            HsrFile f;
            f.record(SnapshotBegin, HsrPayload().varint(1).varint(1).varint(1));
            f.record(
                Traces,
                HsrPayload().varint(1).varint(0).varint(8).varint(1).varint(1).varint(9).varint(3));
            QTest::newRow("undefined string") << QByteArray::fromStdString(f.bytes())
                                              << "refers to string 9, which is not defined";
        }
        QTest::newRow("string out of order")
            << file(Strings, HsrPayload().varint(5).varint(1).str("x"))
            << "defines string 5 where 1 was next";
        QTest::newRow("traces outside a snapshot")
            << file(Traces, HsrPayload().varint(0)) << "holds traces outside a snapshot";
        QTest::newRow("number too long")
            << file(Sample, HsrPayload().f64(1).varint(UINT64_MAX).varint(1))
            << "ends inside a number";
    }
    void refused()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        try {
            import(bytes.toStdString(), "bad.hsr");
            QFAIL("accepted");
        } catch (const Error& e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.startsWith(QStringLiteral("bad.hsr")), qPrintable(what));
            QVERIFY2(what.contains(message), qPrintable(what));
        }
    }

    void damagedCompressedRecordStops()
    {
        HsrFile f = sampleFile();
        std::string bytes = f.bytes();
        // The strings record's zlib stream: flip bytes in its middle.
        const size_t at = f.recordEnds()[0] + 6;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x55);
        bytes[at + 1] = static_cast<char>(bytes[at + 1] ^ 0x55);
        ProfileData d;
        try {
            d = import(bytes);
        } catch (const Error& e) {
            // Also acceptable: the inflated bytes parse to nonsense, refused with a message.
            QVERIFY(std::string(e.what()).starts_with("t.hsr"));
            return;
        }
        QVERIFY(!d.recordings[0].warnings.empty());
    }

    void storeRoundTrip()
    {
        QTemporaryDir dir;
        const std::string hsr = dir.filePath(QStringLiteral("r.hsr")).toStdString();
        {
            FILE* out = std::fopen(hsr.c_str(), "wb");
            const std::string bytes = sampleFile().bytes();
            std::fwrite(bytes.data(), 1, bytes.size(), out);
            std::fclose(out);
        }
        QCOMPARE(InputLoader::detectFile(hsr), InputFormat::Recorder);
        const ProfileData direct = InputLoader::load(hsr, {});
        const std::string store = dir.filePath(QStringLiteral("r.heapscope")).toStdString();
        StoreWriter::write(direct, store);
        const ProfileData back = Store(store).load();
        const SnapshotData& a = direct.snapshots[0];
        const SnapshotData& b = back.snapshots[0];
        QCOMPARE(b.graph.address, a.graph.address);
        QCOMPARE(b.graph.type, a.graph.type);
        QCOMPARE(b.graph.size, a.graph.size);
        QCOMPARE(b.graph.label, a.graph.label);
        QCOMPARE(b.graph.flags, a.graph.flags);
        QCOMPARE(b.graph.traceback, a.graph.traceback);
        QCOMPARE(b.graph.edges.start, a.graph.edges.start);
        QCOMPARE(b.graph.edges.target, a.graph.edges.target);
        QCOMPARE(b.graph.edgeName, a.graph.edgeName);
        QCOMPARE(b.graph.roots.size(), a.graph.roots.size());
        QCOMPARE(b.analysis.component, a.analysis.component);
        QCOMPARE(b.analysis.garbage, a.analysis.garbage);
        QCOMPARE(b.analysis.idom, a.analysis.idom);
        QCOMPARE(b.analysis.retained, a.analysis.retained);
        QCOMPARE(b.analysis.componentRetained, a.analysis.componentRetained);
        const RecorderTimeline& ta = direct.recordings[0].timeline;
        const RecorderTimeline& tb = back.recordings[0].timeline;
        QCOMPARE(tb.samples.size(), ta.samples.size());
        for (size_t k = 0; k < ta.samples.size(); ++k) {
            QCOMPARE(tb.samples[k].timeMs, ta.samples[k].timeMs);
            QCOMPARE(tb.samples[k].rssBytes, ta.samples[k].rssBytes);
            QCOMPARE(tb.samples[k].gcCollections[2], ta.samples[k].gcCollections[2]);
        }
        QCOMPARE(tb.checkpoints.size(), size_t(1));
        QCOMPARE(tb.checkpoints[0].label, std::string("check"));
        QCOMPARE(tb.checkpoints[0].flags, uint32_t(3));
        QCOMPARE(b.costs.size(), a.costs.size());
    }
};

QTEST_GUILESS_MAIN(TestRecorder)
#include "tst_recorder.moc"
