// heaptrack recordings: every sample's figures against its .truth.json (computed by heaptrack's
// own tools and an independent re-parse), in every compression, and cut recordings giving the
// figures of exactly the part that could be read.

#include "../common/heaptrackfiles.h"
#include "heaptrackimporter.h"
#include "heaptrackparser.h"
#include "heaptrackstream.h"
#include "heaptracksuppressions.h"
#include "heaptracktokenizer.h"
#include "hserror.h"
#include "store.h"
#include "storewriter.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <random>
#include <zlib.h>
#include <zstd.h>

using namespace hs;

namespace {

using namespace hstest;

// Splits text at a line boundary near its middle.
QList<QByteArray> halves(const QByteArray& text)
{
    const qsizetype cut = text.indexOf('\n', text.size() / 2) + 1;
    return {text.left(cut), text.mid(cut)};
}

QByteArray variant(const QByteArray& zst, const QString& kind)
{
    if (kind == "zst")
        return zst;
    const QByteArray text = decompress(zst);
    if (kind == "plain")
        return text;
    if (kind == "gz")
        return gzipMembers({text});
    if (kind == "gz, two members")
        return gzipMembers(halves(text));
    return zstdFrames(halves(text)); // "zst, two frames"
}

} // namespace

class TestHeaptrack : public QObject
{
    Q_OBJECT

private slots:
    void summary_data();
    void summary();
    void perSiteCosts_data();
    void perSiteCosts();
    void importSamples_data();
    void importSamples();
    void suppressions_data();
    void suppressions();
    void cutRecordings_data();
    void cutRecordings();
    void refuses_data();
    void refuses();
    void emptyRecording();
    void tokenizer_data();
    void tokenizer();
};

void TestHeaptrack::summary_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("kind");
    const QStringList truths = QDir(heaptrackDir()).entryList({"*.truth.json"}, QDir::Files);
    QVERIFY(truths.size() >= 3);
    for (const QString& t : truths) {
        const QString name = t.chopped(int(sizeof(".truth.json") - 1));
        for (const char* kind : {"zst", "plain", "gz", "gz, two members", "zst, two frames"})
            QTest::addRow("%s %s", qPrintable(name), kind) << name << QString::fromLatin1(kind);
    }
}

void TestHeaptrack::summary()
{
    QFETCH(QString, name);
    QFETCH(QString, kind);
    const QJsonObject truth =
        QJsonDocument::fromJson(readAll(heaptrackDir() + "/" + name + ".truth.json")).object();
    const QJsonObject x = truth.value("exact_from_file").toObject();
    const QByteArray file = variant(readAll(heaptrackDir() + "/" + name + ".zst"), kind);
    QVERIFY(!file.isEmpty());
    const HeaptrackSummary s = HeaptrackParser::summarise(view(file), name.toStdString());
    QVERIFY2(s.complete, s.truncation.c_str());
    QCOMPARE(QString::number(s.heaptrackVersion, 16), x.value("heaptrack_version_hex").toString());
    QCOMPARE(s.fileFormat, x.value("file_format_version").toInt());
    QCOMPARE(QString::fromStdString(s.debuggee), x.value("command").toString());
    const std::pair<const char*, uint64_t> figures[] = {
        {"lines", s.lines},
        {"plus_events", s.allocations},
        {"minus_events", s.deallocations},
        {"allocation_info_lines", s.allocationInfoLines},
        {"string_lines", s.stringLines},
        {"ip_lines", s.ipLines},
        {"trace_lines", s.traceLines},
        {"timestamp_lines", s.timestampLines},
        {"rss_lines", s.rssLines},
        {"unknown_lines", s.unknownLines},
        {"unparsable_event_lines", s.unparsableEventLines},
        {"total_allocations", s.allocations},
        {"total_allocated_bytes", s.allocatedBytes},
        {"temporary_allocations_print_semantics", s.temporary},
        {"peak_heap_bytes", s.peakBytes},
        {"peak_time_ms", s.peakTimeMs},
        {"leaked_bytes_before_suppressions", s.leakedBytes},
        {"last_timestamp_ms", s.lastTimestampMs},
        {"total_runtime_ms", s.runtimeMs()},
        {"page_size", s.pageSize},
        {"physical_pages", s.physicalPages},
        {"peak_rss_pages", s.peakRssPages},
        {"peak_rss_bytes", s.peakRssBytes()},
    };
    // (The truths' decompressed_bytes predate the samples' path rewriting; the text differs in
    // length, not in any figure.)
    for (const auto& [key, value] : figures)
        QVERIFY2(qint64(value) == x.value(key).toInteger(),
                 qPrintable(QStringLiteral("%1: %2, expected %3")
                                .arg(key)
                                .arg(value)
                                .arg(x.value(key).toInteger())));
    QCOMPARE(s.attached, x.value("attached").toBool());
    // heaptrack_print's own flame-graph totals agree.
    const QJsonObject sums = truth.value("heaptrack_print_flamegraph_sums").toObject();
    QCOMPARE(qint64(s.allocations), sums.value("allocations").toInteger());
    QCOMPARE(qint64(s.temporary), sums.value("temporary").toInteger());
    QCOMPARE(qint64(s.peakBytes), sums.value("peak").toInteger());
    QCOMPARE(qint64(s.leakedBytes - s.suppressedBytes), sums.value("leaked").toInteger());
}

void TestHeaptrack::perSiteCosts_data()
{
    QTest::addColumn<QString>("name");
    for (const QString& t : QDir(heaptrackDir()).entryList({"*.truth.json"}, QDir::Files))
        QTest::newRow(qPrintable(t)) << t.chopped(int(sizeof(".truth.json") - 1));
}

void TestHeaptrack::perSiteCosts()
{
    // The costs charged to each allocation site add up to heaptrack_print's totals, the peak
    // included: every site's live bytes are taken at the moment of the global peak.
    QFETCH(QString, name);
    const QJsonObject truth =
        QJsonDocument::fromJson(readAll(heaptrackDir() + "/" + name + ".truth.json")).object();
    const QJsonObject sums = truth.value("heaptrack_print_flamegraph_sums").toObject();
    const QByteArray file = readAll(heaptrackDir() + "/" + name + ".zst");
    HeaptrackStream stream(view(file), "x");
    HeaptrackParser parser;
    std::string text;
    while (stream.read(text, 1 << 20)) {
    }
    for (size_t start = 0, nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        parser.feed(std::string_view(text).substr(start, nl - start));
    const HeaptrackSummary s = parser.finish();
    uint64_t allocations = 0, temporary = 0, peak = 0, leaked = 0;
    for (size_t i = 0; i < parser.infoCosts().size(); ++i) {
        const auto& c = parser.infoCosts()[i];
        allocations += c.allocations;
        temporary += c.temporary;
        peak += c.peakLive * c.size;
        leaked += c.live * c.size;
    }
    QCOMPARE(qint64(allocations), sums.value("allocations").toInteger());
    QCOMPARE(qint64(temporary), sums.value("temporary").toInteger());
    QCOMPARE(qint64(peak), sums.value("peak").toInteger());
    QCOMPARE(leaked, s.leakedBytes);
}

void TestHeaptrack::importSamples_data()
{
    perSiteCosts_data();
}

void TestHeaptrack::importSamples()
{
    // The imported trie and costs carry every figure; nothing is lost in the store.
    QFETCH(QString, name);
    const QJsonObject truth =
        QJsonDocument::fromJson(readAll(heaptrackDir() + "/" + name + ".truth.json")).object();
    const QJsonObject sums = truth.value("heaptrack_print_flamegraph_sums").toObject();
    const QByteArray file = readAll(heaptrackDir() + "/" + name + ".zst");
    ProfileBuilder builder;
    const uint32_t snap = HeaptrackImporter::import(view(file), name.toStdString(), builder, {});
    ProfileData imported = builder.take();
    QTemporaryDir dir;
    StoreWriter::write(imported, dir.filePath("h.heapscope").toStdString());
    const ProfileData data = Store(dir.filePath("h.heapscope").toStdString()).load();
    QCOMPARE(data.recordings.at(0).kind, std::string("heaptrack"));
    uint64_t allocations = 0, temporary = 0, peak = 0, leaked = 0;
    for (const HeapCost& c : data.snapshots.at(snap).heap.costs) {
        allocations += c.allocations;
        temporary += c.temporary;
        peak += c.peakBytes;
        leaked += c.leakedBytes + c.suppressedBytes;
        // heaptrack charges the caller of operator new, never operator new itself.
        const Frame& leaf = data.frames[data.stacks[c.stack].frame];
        QVERIFY(leaf.function == kNoIndex ||
                !data.strings[leaf.function].starts_with("operator new("));
    }
    QCOMPARE(qint64(allocations), sums.value("allocations").toInteger());
    QCOMPARE(qint64(temporary), sums.value("temporary").toInteger());
    QCOMPARE(qint64(peak), sums.value("peak").toInteger());
    const QJsonObject x = truth.value("exact_from_file").toObject();
    QCOMPARE(qint64(leaked), x.value("leaked_bytes_before_suppressions").toInteger());
    const auto property = [&](const char* key) {
        for (const auto& [k, v] : data.recordings.at(0).properties) {
            if (k == key)
                return QString::fromStdString(v).toLongLong();
        }
        return -1ll;
    };
    QCOMPARE(property("leaked_bytes"), sums.value("leaked").toInteger());
    QCOMPARE(property("runtime_ms"), x.value("total_runtime_ms").toInteger());
    QCOMPARE(property("peak_rss_bytes"), x.value("peak_rss_bytes").toInteger());
    QCOMPARE(property("complete"), 1);
}

void TestHeaptrack::suppressions_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("matches");
    QTest::newRow("substring") << "leak:libfoo"
                               << "/usr/lib/libfoo.so.1" << true;
    QTest::newRow("no match") << "leak:libfoo"
                              << "/usr/lib/libbar.so" << false;
    QTest::newRow("wildcard") << "leak:make*Key"
                              << "makeBigKey(int)" << true;
    QTest::newRow("anchored start") << "leak:^std::"
                                    << "void std::vector<>" << false;
    QTest::newRow("anchored both") << "leak:^main$"
                                   << "main" << true;
    QTest::newRow("anchored end") << "leak:.cpp$"
                                  << "a.cpp.o" << false;
    QTest::newRow("built-in list") << ""
                                   << "__new_exitfn" << true;
    QTest::newRow("not a leak rule") << "race:foo"
                                     << "foo" << false;
}

void TestHeaptrack::suppressions()
{
    QFETCH(QString, pattern);
    QFETCH(QString, name);
    QFETCH(bool, matches);
    HeaptrackSuppressions s;
    s.addLine(pattern.toStdString());
    QCOMPARE(s.matches(name.toStdString()), matches);
}

void TestHeaptrack::cutRecordings_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("permille");
    for (const char* kind : {"zst", "gz", "plain"}) {
        for (const int permille : {0, 1, 37, 250, 500, 999})
            QTest::addRow("%s cut at %d/1000", kind, permille)
                << QString::fromLatin1(kind) << permille;
    }
}

void TestHeaptrack::cutRecordings()
{
    // Whatever the cut, the figures are those of the complete lines that could be read.
    QFETCH(QString, kind);
    QFETCH(int, permille);
    const QByteArray whole =
        variant(readAll(heaptrackDir() + "/cpp_leak_temporary_demo.zst"), kind);
    const QByteArray cut = whole.left(qMax<qsizetype>(16, whole.size() * permille / 1000));
    HeaptrackSummary s;
    try {
        s = HeaptrackParser::summarise(view(cut), "cut");
    } catch (const Error& e) {
        // Nothing at all could be read: said so, with where the data stopped.
        QVERIFY2(QString::fromUtf8(e.what()).contains("cut before its first line"), e.what());
        QVERIFY(kind != "plain" || permille == 0); // compressed data decodes block by block
        return;
    }
    QVERIFY(!s.complete);
    QVERIFY(!s.truncation.empty());
    const QByteArray text = decompress(whole).left(qsizetype(s.decompressedBytes));
    const QByteArray lines = text.left(text.lastIndexOf('\n') + 1);
    const HeaptrackSummary expected = HeaptrackParser::summarise(view(lines), "prefix");
    QCOMPARE(s.lines, expected.lines);
    QCOMPARE(s.allocations, expected.allocations);
    QCOMPARE(s.temporary, expected.temporary);
    QCOMPARE(s.peakBytes, expected.peakBytes);
    QCOMPARE(s.leakedBytes, expected.leakedBytes);
    QCOMPARE(s.lastTimestampMs, expected.lastTimestampMs);
}

void TestHeaptrack::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    QTest::newRow("random bytes") << QByteArray("\x01\x02\x03\x04garbage", 11)
                                  << "not a heaptrack recording";
    QTest::newRow("zstd of something else") << zstdFrames({"hello world\n"}) << "no version line";
    QTest::newRow("empty zstd frame") << zstdFrames({""}) << "empty";
    // Text that never ends its line would otherwise be held whole: refused past 16 MiB.
    QTest::newRow("endless line") << zstdFrames({"v 10400 3\n" + QByteArray(17 << 20, 'x')})
                                  << "a line longer than 16 MiB";
}

void TestHeaptrack::refuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    try {
        HeaptrackParser::summarise(view(bytes), "bad.zst");
        QFAIL("accepted");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).startsWith("bad.zst: "), e.what());
        QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
    }
}

void TestHeaptrack::emptyRecording()
{
    // A program that allocated nothing: a valid, empty profile.
    const QByteArray text(
        "v 10400 3\nX /bin/true\nI 1000 5e27ec\nc 5\nR 1a0\n\n# strings: 0\n# ips: 0\n");
    for (const QByteArray& file : {text, zstdFrames({text}), gzipMembers({text})}) {
        const HeaptrackSummary s = HeaptrackParser::summarise(view(file), "empty.zst");
        QVERIFY(s.complete);
        QCOMPARE(s.allocations, uint64_t(0));
        QCOMPARE(s.runtimeMs(), uint64_t(6));
        QCOMPARE(s.peakRssBytes(), uint64_t(0x1a0 * 0x1000));
        QCOMPARE(s.debuggee, std::string("/bin/true"));
    }
}

QTEST_GUILESS_MAIN(TestHeaptrack)
// The window-at-a-time tokenizer gives the line-at-a-time tokens on any text, whatever the
// lines' lengths and where the windows fall (each text is also tokenized from every offset
// in its first 80 bytes).
void TestHeaptrack::tokenizer_data()
{
    QTest::addColumn<QByteArray>("text");
    QByteArray lengths;
    for (int round = 0; round < 8; ++round)
        for (int digits = 0; digits <= 9; ++digits)
            lengths += (round % 2 ? "- " : "+ ") + QByteArray("9a0b1c2d3").left(digits) + "\n";
    QTest::newRow("events of 0 to 9 digits") << lengths;
    QTest::newRow("not quite events")
        << QByteArray("+ 1A\n+ g\n+ \n+1\n-  1\n+ 1 \n* 1\n+ 0\n- ffffff\n+\n-\n").repeated(9);
    QTest::newRow("lines longer than a window")
        << (QByteArray("s ") + QByteArray(150, 'x') + "\n+ 1\n" + QByteArray(63, 'y') + "\n" +
            QByteArray(64, 'z') + "\n- 2\n")
               .repeated(5);
    QTest::newRow("empty lines") << QByteArray(300, '\n');
    QTest::newRow("no newline at the end") << QByteArray("+ 1\n").repeated(40) + "+ 2";
    const QByteArray real = decompress(readAll(heaptrackDir() + "/cpp_leak_temporary_demo.zst"));
    QVERIFY(real.size() > 10000);
    QTest::newRow("a real recording") << real;
    std::mt19937 random(7);
    const char alphabet[] = "+- 0123456789abcdefgA\n\n\n";
    QByteArray noise;
    for (int i = 0; i < 20000; ++i)
        noise += alphabet[random() % (sizeof alphabet - 1)];
    QTest::newRow("noise") << noise;
}

void TestHeaptrack::tokenizer()
{
    QFETCH(QByteArray, text);
    std::vector<uint32_t> fast(size_t(text.size()) + 1), lines(size_t(text.size()) + 1);
    const auto variants = HeaptrackTokenizer::variants();
    QVERIFY(!variants.empty());
    for (const auto& [name, tokenize] : variants) {
        for (int offset = 0; offset < std::min<int>(80, int(text.size())); ++offset) {
            // The whole text once; from the other offsets, its first 64 KiB.
            const std::string_view part(
                text.constData() + offset,
                offset == 0 ? size_t(text.size())
                            : std::min<size_t>(65536, size_t(text.size() - offset)));
            const size_t n = tokenize(part, fast.data());
            QCOMPARE(n, HeaptrackTokenizer::tokenizeLines(part, lines.data()));
            for (size_t i = 0; i < n; ++i)
                QVERIFY2(
                    fast[i] == lines[i],
                    qPrintable(QString("%1, offset %2, token %3").arg(name).arg(offset).arg(i)));
        }
    }
}

#include "tst_heaptrack.moc"
