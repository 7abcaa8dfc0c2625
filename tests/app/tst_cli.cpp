// The heapscope executable as a user or CI script runs it: JSON figures equal CPython's,
// imports round-trip, inputs stay untouched, and every failure is one clear line with the
// documented exit code and nothing left behind.

#include "../common/runheapscope.h"
#include "../common/truthfile.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sqlite3.h>
#include <sys/stat.h>

namespace {

using namespace hstest;

QStringList orderArgs(const QJsonObject& truth)
{
    return hstest::writtenByPython36(truth) ? QStringList{"--python", "3.6"} : QStringList();
}

QByteArray sha256Of(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
               ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()
               : QByteArray();
}

QString sample(const char* name)
{
    return hstest::tracemallocDir() + QLatin1Char('/') + QLatin1String(name);
}

QStringList statArgs(const hstest::StatList& list)
{
    QStringList a{"--json", "--limit", "0", "--by", QLatin1String(hs::groupByName(list.by))};
    if (list.cumulative)
        a << "--cumulative";
    return a;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void statsJson_data();
    void statsJson();
    void diffJson_data();
    void diffJson();
    void textMatchesPython();
    void importedSeries();
    void errors_data();
    void errors();
    void hostileImports_data();
    void hostileImports();
    void interruptedImportLeavesNothing();
};

void TestCli::statsJson_data()
{
    QTest::addColumn<QString>("truthPath");
    QTest::addColumn<int>("list");
    for (const QString& t : hstest::truthFiles()) {
        const QJsonObject truth = hstest::readJson(t);
        const auto lists = hstest::statLists();
        for (int i = 0; i < lists.size(); ++i) {
            if (truth.contains(QLatin1String(lists[i].key)))
                QTest::addRow("%s %s", qPrintable(QFileInfo(t).baseName()), lists[i].key) << t << i;
        }
    }
    QVERIFY(hstest::truthFiles().size() >= 7);
}

void TestCli::statsJson()
{
    QFETCH(QString, truthPath);
    QFETCH(int, list);
    const hstest::StatList l = hstest::statLists().at(list);
    const QJsonObject truth = hstest::readJson(truthPath);
    const QString input = hstest::picklePathFor(truthPath);
    const QJsonObject json = runJson(QStringList{"stats", input} + statArgs(l) + orderArgs(truth));
    const QJsonObject snap = json.value("snapshot").toObject();
    QCOMPARE(snap.value("total_size").toInteger(), truth.value("total_size").toInteger());
    QCOMPARE(snap.value("total_count").toInteger(), truth.value("total_count").toInteger());
    QCOMPARE(snap.value("traceback_limit").toInteger(), truth.value("traceback_limit").toInteger());
    QCOMPARE(snap.value("index").toInteger(), 0);
    QCOMPARE(json.value("by").toString(), QLatin1String(hs::groupByName(l.by)));
    QCOMPARE(json.value("source").toObject().value("format").toString(), QString("tracemalloc"));
    const auto expected = hstest::rowsFromTruth(truth.value(l.key).toArray(), l.by, false);
    const QString problem = hstest::mismatch(
        hstest::rowsFromCli(json.value("stats").toArray(), false, expected.size()), expected);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestCli::diffJson_data()
{
    QTest::addColumn<QString>("truthPath");
    QTest::addColumn<int>("list");
    for (const QString& t : hstest::truthFiles()) {
        const QJsonObject cmp = hstest::readJson(t).value("compare_to_previous").toObject();
        const auto lists = hstest::compareLists();
        for (int i = 0; i < lists.size(); ++i) {
            if (cmp.contains(QLatin1String(lists[i].key)))
                QTest::addRow("%s %s", qPrintable(QFileInfo(t).baseName()), lists[i].key) << t << i;
        }
    }
}

void TestCli::diffJson()
{
    QFETCH(QString, truthPath);
    QFETCH(int, list);
    const hstest::StatList l = hstest::compareLists().at(list);
    const QJsonObject truth = hstest::readJson(truthPath);
    const QJsonObject cmp = truth.value("compare_to_previous").toObject();
    const QString older = hstest::tracemallocDir() + "/" + cmp.value("previous").toString();
    const QJsonObject json = runJson(QStringList{"diff", older, hstest::picklePathFor(truthPath)} +
                                     statArgs(l) + orderArgs(truth));
    QCOMPARE(json.value("old_snapshot").toObject().value("label").toString(),
             cmp.value("previous").toString());
    const auto expected = hstest::rowsFromTruth(cmp.value(l.key).toArray(), l.by, true);
    const QString problem = hstest::mismatch(
        hstest::rowsFromCli(json.value("stats").toArray(), true, expected.size()), expected);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestCli::textMatchesPython()
{
    // After "#N: ", each line is what str() of CPython 3.12's Statistic / StatisticDiff prints.
    const QString t0 = sample("leaky-cache-py312-tb10-t0.pickle");
    const QString t1 = sample("leaky-cache-py312-tb10-t1.pickle");
    Result r = run({"stats", t1});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("\n#1: /opt/python/3.12/lib/python3.12/ctypes/__init__.py:65: "
                           "size=1350 KiB, count=3368, average=411 B\n"));
    r = run({"stats", t1, "--by", "filename"});
    QVERIFY(r.out.contains("\n#2: /opt/python/3.12/lib/python3.12/ctypes/__init__.py:0: "
                           "size=1482 KiB, count=4057, average=374 B\n"));
    r = run({"diff", t0, t1, "--limit", "0"});
    QVERIFY(r.out.contains("\n#1: /opt/python/3.12/lib/python3.12/ctypes/__init__.py:65: "
                           "size=1350 KiB (+1110 KiB), count=3368 (+2770), average=411 B\n"));
    QVERIFY(r.out.endsWith("\n#121: /opt/app/workloads.py:169: size=32 B (+0 B), count=1 (+0), "
                           "average=32 B\n"));
}

void TestCli::importedSeries()
{
    QTemporaryDir dir;
    const QString out = dir.filePath("series.heapscope");
    QStringList inputs;
    QList<QByteArray> hashes;
    for (int i = 0; i < 4; ++i) {
        inputs << sample(qPrintable(QStringLiteral("leaky-cache-py312-tb10-t%1.pickle").arg(i)));
        hashes << sha256Of(inputs.last());
    }
    inputs << sample("tuple-container-py311.pickle");
    Result r = run(QStringList{"import"} + inputs + QStringList{"-o", out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.err.contains("tuple-container-py311.pickle: warning: ignored an unknown Snapshot "
                           "attribute 'note'"));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(sha256Of(inputs[i]), hashes[i]);

    // Each snapshot of the file gives its dump's statistics, in the order given.
    for (int i = 0; i < 5; ++i) {
        const QJsonObject truth = hstest::readJson(inputs[i].chopped(7) + ".truth.json");
        const QJsonObject json =
            runJson({"stats", out, "--snapshot", QString::number(i), "--json", "--limit", "0"});
        QCOMPARE(json.value("source").toObject().value("format").toString(), QString("heapscope"));
        QCOMPARE(json.value("source")
                     .toObject()
                     .value("recording")
                     .toObject()
                     .value("source_sha256")
                     .toString(),
                 truth.value("sha256").toString());
        const auto expected = hstest::rowsFromTruth(
            truth.value("statistics_lineno_top10").toArray(), hs::GroupBy::Lineno, false);
        const QString problem = hstest::mismatch(
            hstest::rowsFromCli(json.value("stats").toArray(), false, expected.size()), expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    // One file, two snapshots: diff inside it equals compare_to() of the dumps.
    const QJsonObject truth = hstest::readJson(sample("leaky-cache-py312-tb10-t3.truth.json"));
    const QJsonObject json = runJson(
        {"diff", out, "--old-snapshot", "2", "--new-snapshot", "3", "--json", "--by", "traceback"});
    const QJsonObject cmp = truth.value("compare_to_previous").toObject();
    const auto expected =
        hstest::rowsFromTruth(cmp.value("traceback_top3").toArray(), hs::GroupBy::Traceback, true);
    const QString problem = hstest::mismatch(
        hstest::rowsFromCli(json.value("stats").toArray(), true, expected.size()), expected);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // A single dump diffed with itself, as Python's s.compare_to(s): every difference 0.
    const QJsonObject self = runJson({"diff", inputs[0], "--json", "--limit", "0"});
    QVERIFY(!self.value("stats").toArray().isEmpty());
    for (const auto& row : self.value("stats").toArray())
        QCOMPARE(row.toObject().value("size_diff").toInteger(), 0);

    // Re-importing over an existing heapscope file replaces it.
    r = run({"import", inputs[0], "-o", out});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(
        runJson({"stats", out, "--json"}).value("source").toObject().value("snapshots").toInt(), 1);
}

void TestCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString tiny = sample("tiny-py311.pickle");
    QTest::newRow("missing input") << QStringList{"stats", "/nonexistent/x.pickle"} << 1
                                   << "/nonexistent/x.pickle: cannot open";
    QTest::newRow("hostile pickle") << QStringList{"import", "@hostile", "-o", "@out"} << 1
                                    << "@hostile: byte 0: refused: the pickle names the global "
                                       "'os.system'";
    QTest::newRow("truncated dump") << QStringList{"stats", "@truncated"} << 1 << "truncated";
    QTest::newRow("text file") << QStringList{"stats", "@text"} << 1 << "not a recognised input";
    QTest::newRow("empty file") << QStringList{"import", "@empty", "-o", "@out"} << 1
                                << "the file is empty";
    QTest::newRow("directory") << QStringList{"stats", "/tmp"} << 1 << "not a regular file";
    QTest::newRow("no snapshot 5")
        << QStringList{"stats", tiny, "--snapshot", "5"} << 1 << "has no snapshot 5";
    QTest::newRow("no input") << QStringList{"stats"} << 2 << "needs exactly one input";
    QTest::newRow("bad --by") << QStringList{"stats", tiny, "--by", "size"} << 2
                              << "--by takes lineno";
    QTest::newRow("cumulative traceback")
        << QStringList{"stats", tiny, "--by", "traceback", "--cumulative"} << 2
        << "--cumulative works with";
    QTest::newRow("unknown option")
        << QStringList{"stats", tiny, "--frobnicate"} << 2 << "unknown option --frobnicate";
    QTest::newRow("bad --limit") << QStringList{"stats", tiny, "--limit", "ten"} << 2
                                 << "non-negative whole number";
    QTest::newRow("output is the input")
        << QStringList{"import", "@text", "-o", "@text"} << 2 << "is also an input";
    QTest::newRow("output is another SQLite database")
        << QStringList{"import", tiny, "-o", "@foreign"} << 2 << "pass --force";
    QTest::newRow("output is not a heapscope file")
        << QStringList{"import", tiny, "-o", "@text"} << 2 << "pass --force";
    QTest::newRow("output is a directory")
        << QStringList{"import", tiny, "-o", "@dir"} << 2 << "is not a regular file";
    QTest::newRow("empty output path")
        << QStringList{"import", tiny, "-o", ""} << 2 << "the output path is empty";
    QTest::newRow("input is a FIFO") << QStringList{"stats", "@fifo"} << 1 << "not a regular file";
    QTest::newRow("output is a FIFO")
        << QStringList{"import", tiny, "-o", "@fifo"} << 2 << "not a regular file";
    QTest::newRow("a leading unknown option")
        << QStringList{"--json", tiny} << 2 << "unknown option --json";
    QTest::newRow("bad --python") << QStringList{"stats", tiny, "--python", "3.x"} << 2
                                  << "--python takes a version";
    QTest::newRow("output directory missing")
        << QStringList{"import", tiny, "-o", "@dir/missing/out.heapscope"} << 3
        << "missing/out.heapscope: cannot open";
}

void TestCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const auto write = [&](const QString& name, const QByteArray& bytes) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    QFile tiny(sample("tiny-py311.pickle"));
    QVERIFY(tiny.open(QIODevice::ReadOnly));
    write("hostile", "cos\nsystem\n(Vtouch owned\ntR.");
    write("truncated", tiny.readAll().chopped(1));
    write("text", "hello, I am not a heap snapshot\n");
    write("empty", "");
    QCOMPARE(::mkfifo(dir.filePath("fifo").toUtf8().constData(), 0600), 0);
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(dir.filePath("foreign").toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(
        sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(42);", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
    const QByteArray foreignHash = sha256Of(dir.filePath("foreign"));
    const QByteArray textHash = sha256Of(dir.filePath("text"));
    for (QString& a : args) {
        a.replace("@dir", dir.path());
        if (a.startsWith('@'))
            a = dir.filePath(a.mid(1));
    }
    message.replace("@hostile", dir.filePath("hostile"));
    const Result r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);                        // one line
    QVERIFY2(!r.err.contains(".tmp-"), r.err.constData()); // names the user's file
    QVERIFY(r.out.isEmpty());
    // Nothing was created, nothing the user had was changed, nothing ran.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::System | QDir::Hidden),
             (QStringList{"empty", "fifo", "foreign", "hostile", "text", "truncated"}));
    QCOMPARE(sha256Of(dir.filePath("text")), textHash);
    QCOMPARE(sha256Of(dir.filePath("foreign")), foreignHash);
    QVERIFY(!QFile::exists("owned"));
}

void TestCli::hostileImports_data()
{
    // Each payload would run "touch owned" if it were unpickled by Python.
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("message");
    const QByteArray p4("\x80\x04", 2);
    const auto str = [](const QByteArray& s) { return char(0x8c) + (char(s.size()) + s); };
    QTest::newRow("GLOBAL + REDUCE, protocol 0")
        << QByteArray("cos\nsystem\n(Vtouch owned\ntR.") << "refused: the pickle names";
    QTest::newRow("STACK_GLOBAL + REDUCE, protocol 4")
        << p4 + str("builtins") + str("exec") + char(0x93) + str("import os") + char(0x85) + "R."
        << "refused: the pickle names";
    QTest::newRow("INST") << QByteArray("(S'touch owned'\nios\nsystem\n.") << "not a recognised";
    QTest::newRow("allowed class, forbidden call")
        << p4 + str("tracemalloc") + str("Snapshot") + char(0x93) + ")R."
        << "REDUCE may only call";
    QTest::newRow("string of 2^60 bytes")
        << QByteArray("\x80\x04\x8d", 3) + QByteArray("\x00\x00\x00\x00\x00\x00\x00\x10", 8)
        << "truncated";
    QTest::newRow("memo index 2^32-1")
        << QByteArray("\x80\x04Nr\xff\xff\xff\xff.", 9) << "not a tracemalloc snapshot";
    QTest::newRow("nesting bomb") << p4 + ")" + QByteArray(10000, char(0x85)) + "."
                                  << "nested deeper";
    QFile tiny(sample("tiny-py311.pickle"));
    QVERIFY(tiny.open(QIODevice::ReadOnly));
    QByteArray hidden = tiny.readAll();
    hidden.insert(hidden.indexOf("\x94(", 84) + 2,
                  QByteArray("cposix\nsystem\n(Vtouch owned\ntR0"));
    QTest::newRow("call hidden between real traces") << hidden << "'posix.system'";
}

void TestCli::hostileImports()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString input = dir.filePath("payload.pickle");
    QFile f(input);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(payload);
    f.close();
    const Result r = run({"import", input, "-o", dir.filePath("out.heapscope")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith(("heapscope: " + input + ": ").toUtf8()), r.err.constData());
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"payload.pickle"});
    QVERIFY(!QFile::exists("owned"));
}

void TestCli::interruptedImportLeavesNothing()
{
    // Kill the import while its temporary file exists; neither it nor the output may remain.
    QTemporaryDir dir;
    QStringList inputs;
    for (int i = 0; i < 12; ++i)
        inputs << sample("bst-build-py310-tb50.pickle")
               << sample("stdlib-imports-py36-tb10.pickle");
    const QString out = dir.filePath("big.heapscope");
    bool caught = false;
    for (int attempt = 0; attempt < 20 && !caught; ++attempt) {
        QProcess p;
        p.start(QStringLiteral(HEAPSCOPE_BINARY),
                QStringList{"import"} + inputs + QStringList{"-o", out});
        QVERIFY(p.waitForStarted());
        while (p.state() == QProcess::Running) {
            if (!QDir(dir.path()).entryList({"big.heapscope.tmp-*"}, QDir::Files).isEmpty()) {
                ::kill(pid_t(p.processId()), SIGTERM);
                caught = true;
                break;
            }
            QTest::qWait(0);
        }
        p.waitForFinished(60000);
        if (caught && p.exitCode() == 0) {
            caught = false; // the rename won the race against the signal: try again
            QFile::remove(out);
            continue;
        }
        if (caught) {
            QCOMPARE(p.exitCode(), 130);
            QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
        } else {
            QFile::remove(out);
        }
    }
    QVERIFY2(caught, "the temporary file was never seen while the import ran");
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
