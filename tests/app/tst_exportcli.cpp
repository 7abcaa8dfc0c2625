// `heapscope export`: the window's views written without a display, as a CI job would run it.
// Each format is checked as a file (SVG parses as XML with the frames' labels, PNG has the
// requested size, PDF has a page, CSV has the tables' columns), and bad requests fail with a
// message naming what is wrong.

#include "../common/runheapscope.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

QString sample(const char* name)
{
    return QStringLiteral(HEAPSCOPE_TEST_DATA "/") + QLatin1String(name);
}

// A heaptrack timeline's points against the truth beside the recording: the last cumulative
// count is the number of calls, the largest heap value the peak; with a range, every point
// is in it.
void checkCsv(const QString& input, const QStringList& options, const QByteArray& csv)
{
    const QList<QByteArray> lines = csv.trimmed().split('\n');
    QVERIFY(lines.size() > 2);
    const int at = int(options.indexOf("--time-range"));
    const QList<QByteArray> range =
        at >= 0 ? options[at + 1].toLatin1().split(':') : QList<QByteArray>{};
    double heapMax = 0, calls = -1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> f = lines[i].trimmed().split(',');
        QCOMPARE(f.size(), 4);
        const double t = f[2].toDouble(), v = f[3].toDouble();
        if (!range.isEmpty())
            QVERIFY(t >= range[0].toDouble() && t <= range[1].toDouble());
        if (f[0] == "Heap")
            heapMax = std::max(heapMax, v);
        if (f[0] == "Allocations (cumulative)")
            calls = v;
    }
    if (!input.endsWith(QLatin1String(".zst")) || !range.isEmpty())
        return;
    QFile file(QString(input).replace(QLatin1String(".zst"), QLatin1String(".truth.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject sums = QJsonDocument::fromJson(file.readAll())
                                 .object()[QLatin1String("heaptrack_print_flamegraph_sums")]
                                 .toObject();
    QCOMPARE(qint64(calls), sums[QLatin1String("allocations")].toInteger());
    QCOMPARE(qint64(heapMax), sums[QLatin1String("peak")].toInteger());
}

} // namespace

class TestExportCli : public QObject
{
    Q_OBJECT

private slots:
    void formats_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QString>("expected"); // a label the output must contain
        const QString heap = sample("heaptrack/cpp_leak_temporary_demo.zst");
        const QString py = sample("tracemalloc/leaky-cache-py312-tb10-t3.pickle");
        QTest::newRow("heaptrack peak svg") << heap << QStringList{"--cost", "peak"} << "svg"
                                            << "main";
        QTest::newRow("heaptrack leaked bottom-up svg")
            << heap << QStringList{"--cost", "leaked", "--bottom-up"} << "svg"
            << "all";
        QTest::newRow("tracemalloc png")
            << py << QStringList{"--width", "1000", "--height", "500"} << "png"
            << "";
        QTest::newRow("tracemalloc png scaled")
            << py << QStringList{"--width", "640", "--height", "200", "--scale", "2"} << "png"
            << "";
        QTest::newRow("tracemalloc count pdf") << py << QStringList{"--cost", "count"} << "pdf"
                                               << "";
        QTest::newRow("tracemalloc top-sites csv")
            << py << QStringList{"--view", "top-sites", "--by", "filename"} << "csv"
            << "/opt/app/workloads.py";
        QTest::newRow("heaptrack bottom-up csv")
            << heap << QStringList{"--view", "bottom-up"} << "csv"
            << "peakBlock()";
        QTest::newRow("heaptrack time window svg")
            << heap << QStringList{"--cost", "allocations", "--time-range", "0:100"} << "svg"
            << "all";
    }
    void formats()
    {
        QFETCH(QString, input);
        QFETCH(QStringList, options);
        QFETCH(QString, suffix);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString out = dir.filePath("out." + suffix);
        const auto r = hstest::run(QStringList{"export", input, "-o", out} + options);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        if (suffix == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            QStringList texts;
            int rects = 0;
            while (!xml.atEnd()) {
                if (xml.readNext() != QXmlStreamReader::StartElement)
                    continue;
                if (xml.name() == QLatin1String("text"))
                    texts << xml.readElementText();
                rects += xml.name() == QLatin1String("rect");
            }
            QVERIFY(!xml.hasError());
            QVERIFY(rects > 3);
            QVERIFY2(texts.contains(expected), qPrintable(texts.join('|')));
            QVERIFY(texts.first().startsWith(QStringLiteral("cpp_leak_temporary_demo.zst")));
        } else if (suffix == QLatin1String("png")) {
            const QImage image = QImage::fromData(bytes, "PNG");
            const int scale = options.contains("--scale") ? 2 : 1;
            const int width = options[options.indexOf("--width") + 1].toInt();
            const int height = options[options.indexOf("--height") + 1].toInt();
            QCOMPARE(image.size(), QSize(width * scale, height * scale));
        } else if (suffix == QLatin1String("pdf")) {
            QVERIFY(bytes.startsWith("%PDF-"));
            QVERIFY(bytes.contains("/Type /Page") || bytes.contains("/Type/Page"));
        } else {
            QVERIFY(bytes.contains(expected.toUtf8()));
        }
    }

    void timeline_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QString>("expected"); // a text the picture or the CSV must contain
        const QString heap = sample("heaptrack/sqlite3_orders_workload.zst");
        const QString rec = sample("recorder/seeds/timeline-py311.hsr");
        QTest::newRow("heaptrack memory svg") << heap << QStringList{} << "svg"
                                              << "Heap";
        QTest::newRow("heaptrack counts svg") << heap << QStringList{"--show", "counts"} << "svg"
                                              << "Allocations (cumulative)";
        QTest::newRow("heaptrack stacked sites png")
            << heap << QStringList{"--show", "sites-stacked", "--width", "900", "--height", "300"}
            << "png"
            << "";
        QTest::newRow("heaptrack range pdf")
            << heap << QStringList{"--time-range", "1000:2000", "--zoom"} << "pdf"
            << "";
        QTest::newRow("heaptrack csv") << heap << QStringList{} << "csv"
                                       << "Heap,bytes,";
        QTest::newRow("heaptrack range csv")
            << heap << QStringList{"--time-range", "1000:2000"} << "csv"
            << "Allocations (cumulative),count,";
        QTest::newRow("recorder svg") << rec << QStringList{} << "svg"
                                      << "Traced memory";
        QTest::newRow("recorder counts csv") << rec << QStringList{"--show", "counts"} << "csv"
                                             << "gc objects (generation 0),count,";
    }
    void timeline()
    {
        QFETCH(QString, input);
        QFETCH(QStringList, options);
        QFETCH(QString, suffix);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString out = dir.filePath("timeline." + suffix);
        const auto r =
            hstest::run(QStringList{"export", input, "--view", "timeline", "-o", out} + options);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        if (suffix == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            QStringList texts;
            int paths = 0;
            while (!xml.atEnd()) {
                if (xml.readNext() != QXmlStreamReader::StartElement)
                    continue;
                if (xml.name() == QLatin1String("text"))
                    texts << xml.readElementText().trimmed();
                paths += xml.name() == QLatin1String("path");
            }
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QVERIFY(paths > 0);
            QVERIFY2(texts.contains(expected), qPrintable(texts.join('|')));
            QVERIFY(texts.first().startsWith(QFileInfo(input).fileName()));
        } else if (suffix == QLatin1String("png")) {
            const QImage image = QImage::fromData(bytes, "PNG");
            QCOMPARE(image.width(), 900);
            QVERIFY(image.height() > 300); // the chart and the title above it
        } else if (suffix == QLatin1String("pdf")) {
            QVERIFY(bytes.startsWith("%PDF-"));
            QVERIFY(bytes.contains("/Type /Page") || bytes.contains("/Type/Page"));
        } else {
            QVERIFY(bytes.startsWith("series,unit,time_ms,value\r\n"));
            QVERIFY(bytes.contains(expected.toUtf8()));
            checkCsv(input, options, bytes);
        }
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString heap = sample("heaptrack/cpp_leak_temporary_demo.zst");
        QTest::newRow("no output") << QStringList{"export", heap} << 2 << "-o FILE";
        QTest::newRow("bad format")
            << QStringList{"export", heap, "-o", "/tmp/x.gif"} << 2 << "x.gif";
        QTest::newRow("bad cost") << QStringList{"export", heap, "--cost",
                                                 "size",   "-o", "/tmp/x.svg"}
                                  << 2 << "--cost size";
        QTest::newRow("bad view") << QStringList{"export", heap, "--view",
                                                 "pie",    "-o", "/tmp/x.svg"}
                                  << 2 << "pie";
        QTest::newRow("bad snapshot")
            << QStringList{"export", heap, "--snapshot", "4", "-o", "/tmp/x.svg"} << 2
            << "--snapshot 4";
        QTest::newRow("missing input")
            << QStringList{"export", "/nonexistent/in.zst", "-o", "/tmp/x.svg"} << 1
            << "/nonexistent/in.zst";
        QTest::newRow("unwritable") << QStringList{"export", heap, "-o", "/nonexistent/dir/x.svg"}
                                    << 3 << "/nonexistent/dir/x.svg";
        const QString py = sample("tracemalloc/leaky-cache-py312-tb10-t3.pickle");
        QTest::newRow("one dump has no timeline")
            << QStringList{"export", py, "--view", "timeline", "-o", "/tmp/x.svg"} << 1
            << "has no timeline";
        QTest::newRow("no sites in a recorder file")
            << QStringList{"export", sample("recorder/seeds/timeline-py311.hsr"),
                           "--view", "timeline",
                           "--show", "sites",
                           "-o",     "/tmp/x.svg"}
            << 2 << "--show sites";
        QTest::newRow("timeline as gif")
            << QStringList{"export", heap, "--view", "timeline", "-o", "/tmp/x.gif"} << 2
            << "a timeline is written as";
        QTest::newRow("time range of a dump")
            << QStringList{"export", py, "--time-range", "0:10", "-o", "/tmp/x.svg"} << 2
            << "--time-range applies to heaptrack";
        QTest::newRow("backwards range")
            << QStringList{"export",       heap,  "--view", "timeline",
                           "--time-range", "9:3", "-o",     "/tmp/x.csv"}
            << 2 << "FROM <= TO";
    }
    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const auto r = hstest::run(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }
};

QTEST_MAIN(TestExportCli)
#include "tst_exportcli.moc"
