// The restricted pickle reader: hostile byte strings built here, one per refusal rule, and
// every byte prefix of small real dumps. Each refusal must name the file and the byte offset.

#include "hserror.h"
#include "profilebuilder.h"
#include "statistics.h"
#include "tracemallocimporter.h"

#include <QFile>
#include <QTest>

using namespace hs;

namespace {

const std::string kName = "hostile.pickle";

QByteArray str(const QByteArray& s)
{
    // SHORT_BINUNICODE
    return QByteArray(1, char(0x8c)) + char(s.size()) + s;
}

QByteArray global(const QByteArray& module, const QByteArray& name)
{
    return str(module) + str(name) + char(0x93);
}

QByteArray frame(const QByteArray& file, int line)
{
    return str(file) + "K" + char(line) + char(0x86);
}

// A trace (domain, size, ((file, line),)) as 3.6-3.8 write it.
QByteArray trace(int size, const QByteArray& file = "a.py", int line = 5)
{
    return QByteArray("K\x00", 2) + "K" + char(size) + frame(file, line) + char(0x85) + char(0x87);
}

// A protocol-4 Snapshot around a trace container, as Snapshot.dump() lays it out.
QByteArray snapshot(const QByteArray& container, const QByteArray& extra = {})
{
    return QByteArray("\x80\x04", 2) + global("tracemalloc", "Snapshot") + ")" + char(0x81) + "}(" +
           str("traces") + global("tracemalloc", "_Traces") + ")" + char(0x81) + "}" +
           str("_traces") + container + "sb" + str("traceback_limit") + "K\x0a" + extra + "ub.";
}

QByteArray list(const QByteArray& items)
{
    return "](" + items + "e";
}

QString importError(const QByteArray& bytes)
{
    ProfileBuilder builder;
    try {
        TracemallocImporter::import(std::string_view(bytes.constData(), size_t(bytes.size())),
                                    kName, builder, {});
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QByteArray readFixture(const char* name)
{
    QFile f(QStringLiteral(HEAPSCOPE_TEST_DATA "/tracemalloc/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestPickleReader : public QObject
{
    Q_OBJECT

private slots:
    void accepts_data();
    void accepts();
    void refuses_data();
    void refuses();
    void hiddenGlobalInRealDump();
    void everyPrefixIsRefused_data();
    void everyPrefixIsRefused();
};

void TestPickleReader::accepts_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("totalSize");
    QTest::addColumn<qint64>("groups");
    QTest::newRow("one trace, APPEND") << snapshot("]" + trace(7) + "a") << 7ll << 1ll;
    QTest::newRow("APPENDS batch")
        << snapshot(list(trace(7) + trace(9, "b.py") + trace(1))) << 17ll << 2ll;
    QTest::newRow("tuple container") << snapshot("(" + trace(3) + trace(4) + "t") << 7ll << 1ll;
    QTest::newRow("empty list") << snapshot("]") << 0ll << 0ll;
    QTest::newRow("memoised traceback")
        << snapshot(list(QByteArray("K\x00K\x02", 4) + frame("m.py", 1) + char(0x85) + char(0x94) +
                         char(0x87) + QByteArray("K\x00K\x03h\x00", 6) + char(0x87)))
        << 5ll << 1ll;
    QTest::newRow("LONG1 size past 2^31")
        << snapshot(list(QByteArray("K\x00", 2) + QByteArray("\x8a\x05\x00\x00\x00\x00\x01", 7) +
                         frame("big.py", 1) + char(0x85) + char(0x87)))
        << (1ll << 32) << 1ll;
    QTest::newRow("FRAME and MEMOIZE of the header")
        << QByteArray("\x80\x05\x95\x05\x00\x00\x00\x00\x00\x00\x00", 11) +
               snapshot(list(trace(1))).mid(2)
        << 1ll << 1ll;
    QTest::newRow("extra Snapshot attribute")
        << snapshot(list(trace(2)), str("note") + str("hello")) << 2ll << 1ll;
    QTest::newRow("lone surrogate in a filename")
        << snapshot(list(trace(2, "caf\xed\xb3\xa9.py"))) << 2ll << 1ll;
    QTest::newRow("a frame tuple shared by two tracebacks")
        << snapshot(list(QByteArray("K\x00K\x03", 4) + frame("a.py", 1) + char(0x94) + char(0x85) +
                         char(0x87) + QByteArray("K\x00K\x04h\x00", 6) + char(0x85) + char(0x87)))
        << 7ll << 1ll;
    QTest::newRow("a trace tuple appended twice")
        << snapshot(list(QByteArray("K\x00K\x03", 4) + frame("a.py", 1) + char(0x85) + char(0x87) +
                         char(0x94) + QByteArray("h\x00", 2)))
        << 6ll << 1ll;
    QTest::newRow("a trace as a list")
        << snapshot(list(QByteArray("(K\x00K\x07", 5) + frame("a.py", 1) + char(0x85) + "l")) << 7ll
        << 1ll;
}

void TestPickleReader::accepts()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, totalSize);
    QFETCH(qint64, groups);
    ProfileBuilder builder;
    TracemallocImporter::import(std::string_view(bytes.constData(), size_t(bytes.size())), kName,
                                builder, {});
    const ProfileData data = builder.take();
    QCOMPARE(qint64(data.snapshots.at(0).info.totalSize), totalSize);
    QCOMPARE(qint64(computeStatistics(data, 0, GroupBy::Lineno, false).size()), groups);
}

void TestPickleReader::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    const QByteArray p4("\x80\x04", 2);
    const QByteArray valid = snapshot(list(trace(7)));

    // Globals: an allow-list of whole (module, name) pairs.
    QTest::newRow("GLOBAL os.system") << QByteArray("cos\nsystem\n.") << "'os.system'";
    QTest::newRow("STACK_GLOBAL builtins.eval") << p4 + global("builtins", "eval") + "."
                                                << "'builtins.eval'";
    QTest::newRow("dotted name Snapshot.load") << p4 + global("tracemalloc", "Snapshot.load") + "."
                                               << "'tracemalloc.Snapshot.load'";
    QTest::newRow("dotted name os.system under tracemalloc")
        << p4 + global("tracemalloc", "os.system") + "."
        << "'tracemalloc.os.system'";
    QTest::newRow("STACK_GLOBAL of non-strings") << p4 + "K\x01K\x02" + char(0x93) + "."
                                                 << "two strings";
    // Calls.
    QTest::newRow("REDUCE of Snapshot") << p4 + global("tracemalloc", "Snapshot") + ")R."
                                        << "REDUCE may only call";
    QTest::newRow("_reconstructor with a bad base")
        << QByteArray("ccopy_reg\n_reconstructor\n(ctracemalloc\nSnapshot\nctracemalloc\n"
                      "Snapshot\nNtR.")
        << "unexpected arguments";
    QTest::newRow("INST") << QByteArray("(itracemalloc\nSnapshot\n.") << "INST/OBJ";
    QTest::newRow("OBJ") << p4 + "(" + global("tracemalloc", "Snapshot") + "o."
                         << "INST/OBJ";
    QTest::newRow("NEWOBJ with arguments")
        << p4 + global("tracemalloc", "Snapshot") + "K\x01" + char(0x85) + char(0x81) + "."
        << "constructor arguments";
    QTest::newRow("NEWOBJ of object") << QByteArray("c__builtin__\nobject\n)") + char(0x81) + "."
                                      << "may be instantiated";
    QTest::newRow("EXT1") << p4 + char(0x82) + "\x01."
                          << "extension codes";
    QTest::newRow("EXT2") << p4 + char(0x83) + "\x01\x00."
                          << "extension codes";
    QTest::newRow("EXT4") << p4 + char(0x84) + QByteArray("\x01\x00\x00\x00.", 5)
                          << "extension codes";
    QTest::newRow("PERSID") << QByteArray("Pid\n.") << "persistent ids";
    QTest::newRow("BINPERSID") << p4 + "K\x01Q."
                               << "persistent ids";
    QTest::newRow("BYTEARRAY8") << QByteArray("\x80\x05\x96", 3) + QByteArray(8, '\0') + "."
                                << "out-of-band";
    QTest::newRow("NEXT_BUFFER") << QByteArray("\x80\x05\x97.", 4) << "out-of-band";
    QTest::newRow("READONLY_BUFFER") << QByteArray("\x80\x05N\x98.", 5) << "out-of-band";
    QTest::newRow("unknown opcode") << p4 + char(0xff) << "unknown opcode 0xff";
    QTest::newRow("protocol 6") << QByteArray("\x80\x06N.", 4) << "unsupported pickle protocol 6";
    // Structure.
    QTest::newRow("stack underflow") << p4 + char(0x85) + "."
                                     << "stack underflow";
    QTest::newRow("underflow past a MARK") << p4 + "N(" + char(0x85) + "."
                                           << "stack underflow";
    QTest::newRow("TUPLE without MARK") << p4 + "t."
                                        << "no MARK";
    QTest::newRow("GET of unset memo") << p4 + "h\x07."
                                       << "memo index 7";
    QTest::newRow("text GET of unset memo") << QByteArray("g12\n.") << "memo index 12";
    QTest::newRow("data after STOP") << valid + "N"
                                     << "data after the end";
    QTest::newRow("missing only the final STOP") << valid.chopped(1) << "truncated";
    QTest::newRow("empty file") << QByteArray() << "truncated";
    QTest::newRow("two values left") << p4 + "NN."
                                     << "malformed stack";
    QTest::newRow("unclosed MARK") << p4 + "(N."
                                   << "malformed stack";
    QTest::newRow("APPEND to an int") << p4 + "K\x01K\x02"
                                              "a."
                                      << "not a list";
    QTest::newRow("SETITEM on a list") << p4 + "]K\x01K\x02s."
                                       << "not a dict";
    QTest::newRow("unhashable key") << p4 + "}]K\x01s."
                                    << "unhashable";
    QTest::newRow("BUILD on a dict") << p4 + "}}b."
                                     << "BUILD on something";
    QTest::newRow("BUILD with a list state")
        << p4 + global("tracemalloc", "Snapshot") + ")" + char(0x81) + "]b."
        << "not a dict";
    QTest::newRow("invalid UTF-8") << p4 + char(0x8c) + "\x02\xff\xfe."
                                   << "not valid UTF-8";
    QTest::newRow("malformed text int") << QByteArray("I12x\n.") << "malformed integer";
    QTest::newRow("malformed \\u escape") << QByteArray("V\\u12\n.") << "\\u escape";
    QTest::newRow("unquoted STRING") << QByteArray("Sabc\n.") << "must be quoted";
    // Resources: declared lengths are checked before anything is allocated.
    QTest::newRow("BINUNICODE8 of 2^60 bytes")
        << QByteArray("\x80\x04\x8d", 3) + QByteArray("\x00\x00\x00\x00\x00\x00\x00\x10", 8) + "."
        << "truncated";
    QTest::newRow("BINBYTES of 4 GiB")
        << QByteArray("\x80\x04\x42\xff\xff\xff\xff.", 8) << "truncated";
    QTest::newRow("BINSTRING negative") << QByteArray("T\xff\xff\xff\xff.", 6) << "negative";
    QTest::newRow("FRAME past the end")
        << QByteArray("\x80\x04\x95\xff\xff\xff\xff\x00\x00\x00\x00N.", 14) << "frame is longer";
    QTest::newRow("LONG4 of 2 GiB")
        << QByteArray("\x80\x04\x8b\xff\xff\xff\x7f.", 8) << "too large";
    QTest::newRow("sparse memo index 2^32-1") << QByteArray("\x80\x04Nr\xff\xff\xff\xff", 8) +
                                                     "0j" + QByteArray("\xff\xff\xff\xff", 4) + "."
                                              << "not a tracemalloc snapshot";
    QTest::newRow("MARK bomb") << p4 + QByteArray(100, '(') << "MARKs nested deeper";
    QTest::newRow("tuple nesting bomb") << p4 + ")" + QByteArray(100, char(0x85)) + "."
                                        << "nested deeper than 32";
    QTest::newRow("list nesting bomb") << p4 + QByteArray(40, ']') + QByteArray(39, 'a') + "."
                                       << "nested deeper than 32";
    // Schema: the right opcodes, the wrong objects.
    QTest::newRow("root is a list") << p4 + "]."
                                    << "no Snapshot object";
    QTest::newRow("no traceback_limit")
        << p4 + global("tracemalloc", "Snapshot") + ")" + char(0x81) + "}b."
        << "no 'traces' or no 'traceback_limit'";
    QTest::newRow("traces is a list")
        << snapshot(list(trace(1)))
               .replace(global("tracemalloc", "_Traces") + ")" + char(0x81) + "}" + str("_traces") +
                            list(trace(1)) + "sb",
                        list(trace(1)))
        << "not a _Traces object";
    QTest::newRow("trace is an int") << snapshot(list("K\x01")) << "a trace is not a tuple";
    QTest::newRow("float size") << snapshot(list(QByteArray("K\x00G", 3) + QByteArray(8, '\0') +
                                                 frame("a.py", 1) + char(0x85) + char(0x87)))
                                << "a trace's size";
    QTest::newRow("negative domain") << snapshot(list(QByteArray("J\xff\xff\xff\xffK\x01", 7) +
                                                      frame("a.py", 1) + char(0x85) + char(0x87)))
                                     << "a trace's domain";
    QTest::newRow("empty traceback")
        << snapshot(list(QByteArray("K\x00K\x01)", 5) + char(0x87))) << "no frames";
    QTest::newRow("frame is not (filename, lineno)")
        << snapshot(list(QByteArray("K\x00K\x01K\x01", 6) + char(0x85) + char(0x85) + char(0x87)))
        << "a frame is not";
    QTest::newRow("line number past 2^63")
        << snapshot(list(QByteArray("K\x00K\x01", 4) + str("a.py") +
                         QByteArray("\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00", 11) +
                         char(0x86) + char(0x85) + char(0x87)))
        << "a line number does not fit in 64 bits";
    QTest::newRow("BUILD repeated to amplify a dict")
        << p4 + global("tracemalloc", "Snapshot") + ")" + char(0x81) + "}" + char(0x94) + "(" +
               [] {
                   QByteArray keys;
                   for (int i = 0; i < 1000; ++i)
                       keys += str("k" + QByteArray::number(i)) + "N";
                   return keys;
               }() +
               "u0" +
               [] {
                   QByteArray builds;
                   for (int i = 0; i < 101; ++i)
                       builds += QByteArray("h\x00"
                                            "b",
                                            3);
                   return builds;
               }() +
               "."
        << "more than 100000 attributes";
    QTest::newRow("second trace has a str size")
        << snapshot(list(trace(1) + QByteArray("K\x00", 2) + str("x") + frame("a.py", 1) +
                         char(0x85) + char(0x87)))
        << "a trace's size";
}

void TestPickleReader::refuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    const QString error = importError(bytes);
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.startsWith(QString::fromStdString(kName) + ": byte "), qPrintable(error));
}

void TestPickleReader::hiddenGlobalInRealDump()
{
    // A real dump with one call smuggled in between its traces: the reader stops at it.
    QByteArray bytes = readFixture("tiny-py311.pickle");
    QVERIFY(bytes.size() > 1000);
    QVERIFY(importError(bytes).isEmpty());
    const qsizetype at = bytes.indexOf("\x94(", 84) + 2; // first trace of the list
    QVERIFY(at > 84);
    bytes.insert(at, QByteArray("cposix\nsystem\n(Vecho owned\ntR0"));
    const QString error = importError(bytes);
    QVERIFY2(error.contains(QStringLiteral("byte %1:").arg(at)), qPrintable(error));
    QVERIFY2(error.contains("'posix.system'"), qPrintable(error));
}

void TestPickleReader::everyPrefixIsRefused_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::newRow("protocol 5 real dump") << "tiny-py311.pickle";
    QTest::newRow("protocol 5 extreme values") << "hostile-values-py312.pickle";
    QTest::newRow("protocol 1") << "hostile-values-p1-py312.pickle";
    QTest::newRow("protocol 0 text") << "hostile-values-p0-py312.pickle";
    QTest::newRow("protocol 4, 3.6") << "ties-py36.pickle";
}

void TestPickleReader::everyPrefixIsRefused()
{
    QFETCH(QString, fixture);
    const QByteArray bytes = readFixture(qPrintable(fixture));
    QVERIFY(!bytes.isEmpty());
    QVERIFY(importError(bytes).isEmpty());
    for (qsizetype n = 0; n < bytes.size(); ++n) {
        const QString error = importError(bytes.left(n));
        if (error.isEmpty())
            QFAIL(qPrintable(QStringLiteral("the %1-byte prefix was accepted").arg(n)));
        if (!error.startsWith(QString::fromStdString(kName) + ": byte "))
            QFAIL(qPrintable(error));
    }
}

QTEST_GUILESS_MAIN(TestPickleReader)
#include "tst_picklereader.moc"
