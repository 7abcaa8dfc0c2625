// Report rendering: tracemalloc's size wording, exact JSON numbers and string escaping.

#include "jsonwriter.h"
#include "statisticsreport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace hs;

class TestStatisticsReport : public QObject
{
    Q_OBJECT

private slots:
    void formatSize_data();
    void formatSize();
    void jsonStrings_data();
    void jsonStrings();
    void jsonNumbers();
};

void TestStatisticsReport::formatSize_data()
{
    // Expected strings are what CPython's tracemalloc._format_size() returns.
    QTest::addColumn<double>("size");
    QTest::addColumn<bool>("sign");
    QTest::addColumn<QString>("expected");
    QTest::newRow("0") << 0.0 << false << "0 B";
    QTest::newRow("99") << 99.0 << false << "99 B";
    QTest::newRow("10239") << 10239.0 << false << "10239 B";
    QTest::newRow("10240") << 10240.0 << false << "10.0 KiB";
    QTest::newRow("102399") << 102399.0 << false << "100.0 KiB";
    QTest::newRow("102400") << 102400.0 << false << "100 KiB";
    QTest::newRow("123456789") << 123456789.0 << false << "118 MiB";
    QTest::newRow("5 TiB") << 5497558138880.0 << false << "5120 GiB";
    QTest::newRow("2^62") << 4611686018427387904.0 << false << "4194304 TiB";
    QTest::newRow("-2048 signed") << -2048.0 << true << "-2048 B";
    QTest::newRow("+2048 signed") << 2048.0 << true << "+2048 B";
    QTest::newRow("0 signed") << 0.0 << true << "+0 B";
    QTest::newRow("+146 KiB") << 150000.0 << true << "+146 KiB";
    QTest::newRow("-146 KiB") << -150000.0 << true << "-146 KiB";
    QTest::newRow("412.5 rounds half to even") << 412.5 << false << "412 B";
    QTest::newRow("10.5 KiB") << 10741.76 << false << "10.5 KiB";
}

void TestStatisticsReport::formatSize()
{
    QFETCH(double, size);
    QFETCH(bool, sign);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(StatisticsReport::formatSize(size, sign)), expected);
}

void TestStatisticsReport::jsonStrings_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("ascii") << QByteArray("a/b.py") << QByteArray("\"a/b.py\"");
    QTest::newRow("quote and backslash") << QByteArray("a\"\\") << QByteArray("\"a\\\"\\\\\"");
    QTest::newRow("control") << QByteArray("a\nb\x01", 4) << QByteArray("\"a\\u000ab\\u0001\"");
    QTest::newRow("utf-8 passes") << QByteArray("j\xc3\xbcrgen") << QByteArray("\"j\xc3\xbcrgen\"");
    QTest::newRow("lone surrogate escaped")
        << QByteArray("caf\xed\xb3\xa9") << QByteArray("\"caf\\udce9\"");
    QTest::newRow("invalid byte escaped as surrogateescape")
        << QByteArray("\xff.p") << QByteArray("\"\\udcff.p\"");
    QTest::newRow("truncated sequence") << QByteArray("a\xc3") << QByteArray("\"a\\udcc3\"");
    QTest::newRow("overlong form") << QByteArray("\xc0\xaf") << QByteArray("\"\\udcc0\\udcaf\"");
    QTest::newRow("astral passes")
        << QByteArray("\xf0\x9f\x98\x80") << QByteArray("\"\xf0\x9f\x98\x80\"");
}

void TestStatisticsReport::jsonStrings()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, json);
    JsonWriter w;
    w.value(std::string_view(raw.constData(), size_t(raw.size())));
    QCOMPARE(QByteArray::fromStdString(w.text()), json);
}

void TestStatisticsReport::jsonNumbers()
{
    JsonWriter w;
    w.beginObject();
    w.key("u");
    w.value(UINT64_MAX);
    w.key("i");
    w.value(INT64_MIN);
    w.key("list");
    w.beginArray();
    w.value(1);
    w.value(true);
    w.null();
    w.endArray();
    w.endObject();
    QCOMPARE(QByteArray::fromStdString(w.text()),
             QByteArray("{\"u\": 18446744073709551615, \"i\": -9223372036854775808, "
                        "\"list\": [1, true, null]}"));
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(w.text()));
    QVERIFY(doc.isObject());
    QCOMPARE(doc.object().value("i").toInteger(), INT64_MIN);
}

QTEST_GUILESS_MAIN(TestStatisticsReport)
#include "tst_statisticsreport.moc"
