// `heapscope export`: the window's views written without a display, as a CI job would run it.
// Each format is checked as a file (SVG parses as XML with the frames' labels, PNG has the
// requested size, PDF has a page, CSV has the tables' columns), and bad requests fail with a
// message naming what is wrong.

#include "../common/runheapscope.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

QString sample(const char* name)
{
    return QStringLiteral(HEAPSCOPE_TEST_DATA "/") + QLatin1String(name);
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
