// `heapscope stats` and `import` on heaptrack recordings as a user runs them: the JSON summary and
// top lists equal heaptrack's figures, the text reads like heaptrack_print's, a .heapscope file
// answers the same, and time ranges and suppression files behave as documented.

#include "../common/runheapscope.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using namespace hstest;

QString dataDir()
{
    return QStringLiteral(HEAPSCOPE_TEST_DATA "/heaptrack");
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

// Samples and fixtures whose truth holds heaptrack_print's printed figures and top lists.
void addRecordings()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("truth");
    for (const QString& t : QDir(dataDir()).entryList({"*.truth.json"}, QDir::Files)) {
        const QString name = t.chopped(int(sizeof(".truth.json") - 1));
        QTest::newRow(qPrintable(name)) << dataDir() + "/" + name + ".zst" << dataDir() + "/" + t;
    }
    for (const char* name : {"crash_midrun.zst", "multi_thread_gz.gz"})
        QTest::newRow(name) << dataDir() + "/fixtures/" + name
                            << dataDir() + "/fixtures/" + name + ".truth.json";
}

void compareTop(const QJsonArray& got, const QJsonArray& expected, const char* value)
{
    QVERIFY(got.size() >= expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QJsonObject g = got[i].toObject(), e = expected[i].toObject();
        QCOMPARE(g.value("function").toString(), e.value("function").toString());
        QCOMPARE(g.value("module").toString(), e.value("module").toString());
        const QString at =
            g.value("file").toString().isEmpty()
                ? QString()
                : g.value("file").toString() + ":" + QString::number(g.value("line").toInteger());
        QCOMPARE(at, e.value("at").toString());
        QCOMPARE(g.value("allocations").toInteger(), e.value("calls").toInteger());
        if (QByteArray(value) == "calls")
            QCOMPARE(g.value("value").toInteger(), e.value("calls").toInteger());
    }
}

} // namespace

class TestHeaptrackCli : public QObject
{
    Q_OBJECT

private slots:
    void statsJson_data() { addRecordings(); }
    void statsJson();
    void statsText_data() { addRecordings(); }
    void statsText();
    void timeRange_data();
    void timeRange();
    void suppressions();
    void errors_data();
    void errors();
};

void TestHeaptrackCli::statsJson()
{
    // The recording and its .heapscope file give the same figures, heaptrack's own.
    QFETCH(QString, file);
    QFETCH(QString, truth);
    const QJsonObject t = readJson(truth);
    const QJsonObject x = t.value("exact_from_file").toObject();
    QTemporaryDir dir;
    const QString out = dir.filePath("rec.heapscope");
    const auto imported = run({"import", file, "-o", out});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    for (const QString& input : {file, out}) {
        const QJsonObject doc = runJson({"stats", "--json", input});
        const QJsonObject s = doc.value("summary").toObject();
        QCOMPARE(s.value("allocations").toInteger(), x.value("total_allocations").toInteger());
        QCOMPARE(s.value("temporary").toInteger(),
                 x.value("temporary_allocations_print_semantics").toInteger());
        QCOMPARE(s.value("peak_bytes").toInteger(), x.value("peak_heap_bytes").toInteger());
        QCOMPARE(s.value("peak_time_ms").toInteger(), x.value("peak_time_ms").toInteger());
        QCOMPARE(s.value("allocated_bytes").toInteger(),
                 x.value("total_allocated_bytes").toInteger());
        QCOMPARE(s.value("peak_rss_bytes").toInteger(), x.value("peak_rss_bytes").toInteger());
        QCOMPARE(s.value("runtime_ms").toInteger(), x.value("total_runtime_ms").toInteger());
        QCOMPARE(s.value("leaked_bytes").toInteger(),
                 t.value("heaptrack_print_flamegraph_sums").toObject().value("leaked").toInteger());
        QCOMPARE(s.value("debuggee").toString(), t.value("debuggee_command").toString());
        QCOMPARE(s.value("complete").toBool(), true);
        const QJsonObject top = doc.value("top").toObject();
        compareTop(top.value("allocations").toArray(), t.value("top5_by_calls").toArray(), "calls");
        compareTop(top.value("peak").toArray(), t.value("top5_by_peak").toArray(), "peak");
        compareTop(top.value("temporary").toArray(), t.value("top5_by_temporary").toArray(),
                   "temporary");
        for (const char* list : {"peak", "leaked", "allocations", "temporary"})
            QVERIFY(top.value(list).toArray().size() <= 10);
        QCOMPARE(doc.value("source").toObject().value("recording").toObject().value("kind"),
                 QJsonValue("heaptrack"));
    }
}

void TestHeaptrackCli::statsText()
{
    // heaptrack_print's wording: its entry labels in its order, its summary lines.
    QFETCH(QString, file);
    QFETCH(QString, truth);
    const QJsonObject t = readJson(truth);
    const Result r = run({"stats", file});
    QCOMPARE(r.exitCode, 0);
    const QString text = QString::fromUtf8(r.out);
    for (const char* list : {"top5_by_calls", "top5_by_peak", "top5_by_temporary"}) {
        qsizetype from = 0;
        for (const QJsonValue& e : t.value(list).toArray()) {
            const QString label = e.toObject().value("label").toString() + "\n";
            const qsizetype at = text.indexOf(label, from);
            QVERIFY2(at >= 0, qPrintable(label));
            from = at + 1;
        }
    }
    const QJsonObject p = t.value("heaptrack_print").toObject();
    const QString lines[] = {
        "peak heap memory consumption: " +
            p.value("peak_heap_memory_consumption_printed").toString(),
        "peak RSS (including heaptrack overhead): " + p.value("peak_rss_printed").toString(),
        "total memory leaked: " + p.value("total_memory_leaked_printed").toString(),
        "calls to allocation functions: " +
            QString::number(p.value("calls_to_allocation_functions").toInteger()) + " (",
        "temporary memory allocations: " +
            QString::number(p.value("temporary_memory_allocations").toInteger()) + " ("};
    for (const QString& line : lines)
        QVERIFY2(text.contains(line), qPrintable(line + "\n---\n" + text));
    QVERIFY(text.contains(QStringLiteral("total runtime: %1s.")
                              .arg(p.value("total_runtime_s").toDouble(), 0, 'f', 2)));
}

void TestHeaptrackCli::timeRange_data()
{
    QTest::addColumn<QString>("range");
    QTest::newRow("all of it") << "0:100000";
    QTest::newRow("the first half") << "0:390";
    QTest::newRow("one timestamp") << "421:421";
    QTest::newRow("after the end") << "90000:90001";
}

void TestHeaptrackCli::timeRange()
{
    // A window reports calls, temporary and the consumption delta of its events only; the
    // parts add up to the whole.
    QFETCH(QString, range);
    const QString file = dataDir() + "/cpp_leak_temporary_demo.zst";
    const QJsonObject whole = runJson({"stats", "--json", file}).value("summary").toObject();
    const QStringList parts = range.split(':');
    const QJsonObject doc = runJson({"stats", "--json", "--time-range", range, file});
    const QJsonObject s = doc.value("summary").toObject();
    const QJsonObject window = s.value("time_range").toObject();
    QCOMPARE(window.value("requested_from_ms").toInteger(), parts[0].toLongLong());
    QVERIFY(!s.contains("leaked_bytes"));
    QVERIFY(s.contains("delta_bytes"));
    QVERIFY(!doc.value("top").toObject().contains("peak"));
    QVERIFY(doc.value("top").toObject().contains("delta"));
    QVERIFY(s.value("allocations").toInteger() <= whole.value("allocations").toInteger());
    if (range == "0:100000") {
        QCOMPARE(s.value("allocations"), whole.value("allocations"));
        QCOMPARE(s.value("temporary"), whole.value("temporary"));
        QCOMPARE(s.value("peak_bytes"), whole.value("peak_bytes"));
        QCOMPARE(s.value("delta_bytes").toInteger(), whole.value("leaked_bytes").toInteger());
    }
    if (range == "0:390") {
        // The rest of the recording holds the other calls.
        const QJsonObject rest = runJson({"stats", "--json", "--time-range", "391:100000", file})
                                     .value("summary")
                                     .toObject();
        QCOMPARE(s.value("allocations").toInteger() + rest.value("allocations").toInteger(),
                 whole.value("allocations").toInteger());
        QCOMPARE(s.value("delta_bytes").toInteger() + rest.value("delta_bytes").toInteger(),
                 whole.value("leaked_bytes").toInteger());
        QVERIFY(s.value("allocations").toInteger() > 0);
    }
    if (range == "90000:90001")
        QCOMPARE(s.value("allocations").toInteger(), 0);
    // The imported file answers from its time buckets (read only for a range) the same.
    QTemporaryDir tmp;
    const QString store = tmp.filePath("r.heapscope");
    QCOMPARE(run({"import", file, "-o", store}).exitCode, 0);
    const QJsonObject fromStore = runJson({"stats", "--json", "--time-range", range, store});
    QCOMPARE(fromStore.value("summary"), doc.value("summary"));
    QCOMPARE(fromStore.value("top"), doc.value("top"));
    const Result text = run({"stats", "--time-range", range, file});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains("memory consumption delta: "));
    QVERIFY(text.out.contains("time range: "));
}

void TestHeaptrackCli::suppressions()
{
    // Embedded rules apply as written, a user file adds its own; heaptrack_print 1.4 gets both
    // wrong (see the fixture's truth file).
    const QString dir = dataDir() + "/fixtures/";
    const QJsonObject want = readJson(dir + "lsan_suppressions.zst.truth.json")
                                 .value("leak_suppression_summary")
                                 .toObject();
    const QString file = dir + "lsan_suppressions.zst";
    QJsonObject s = runJson({"stats", "--json", file}).value("summary").toObject();
    QCOMPARE(s.value("leaked_bytes"),
             want.value("embedded_rules_decoded").toObject().value("leaked"));
    s = runJson({"stats", "--json", "--suppressions", dir + "user_suppressions.txt", file})
            .value("summary")
            .toObject();
    QCOMPARE(s.value("leaked_bytes"), want.value("all_rules_intended").toObject().value("leaked"));
    QCOMPARE(s.value("suppressed_bytes"),
             want.value("all_rules_intended").toObject().value("suppressed"));
    // Fixed at import: the .heapscope file keeps them.
    QTemporaryDir tmp;
    const QString out = tmp.filePath("s.heapscope");
    QCOMPARE(
        run({"import", "--suppressions", dir + "user_suppressions.txt", file, "-o", out}).exitCode,
        0);
    s = runJson({"stats", "--json", out}).value("summary").toObject();
    QCOMPARE(s.value("leaked_bytes"), want.value("all_rules_intended").toObject().value("leaked"));
}

void TestHeaptrackCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString file = dataDir() + "/cpp_leak_temporary_demo.zst";
    QTest::newRow("range without colon")
        << QStringList{"stats", "--time-range", "5", file} << 2 << "--time-range takes FROM:TO";
    QTest::newRow("range backwards")
        << QStringList{"stats", "--time-range", "9:5", file} << 2 << "FROM <= TO";
    QTest::newRow("negative range")
        << QStringList{"stats", "--time-range", "-1:5", file} << 2 << "--time-range";
    QTest::newRow("range on a Python dump")
        << QStringList{"stats", "--time-range", "0:5",
                       QStringLiteral(HEAPSCOPE_TEST_DATA "/tracemalloc/empty-py311.pickle")}
        << 2 << "heaptrack recordings";
    QTest::newRow("missing suppression file")
        << QStringList{"stats", "--suppressions", "/nonexistent/supp.txt", file} << 1
        << "/nonexistent/supp.txt";
}

void TestHeaptrackCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Result r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
}

QTEST_GUILESS_MAIN(TestHeaptrackCli)
#include "tst_heaptrackcli.moc"
