// The input digest: SHA-256 with and without the CPU's SHA instructions against Qt's
// implementation and the standard's examples, over lengths around the block and padding edges
// and data fed in pieces of every kind.

#include "sha256.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

using namespace hs;

class TestSha256 : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Which path each second pass below takes on this machine.
        qInfo("SHA instructions on this CPU: %s", Sha256::hasShaInstructions() ? "yes" : "no");
    }

    void knownDigests_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("digest");
        QTest::newRow("empty")
            << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        QTest::newRow("abc") << QByteArray("abc")
                             << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        QTest::newRow("two blocks")
            << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    }
    void knownDigests()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, digest);
        for (const bool portable : {true, false}) {
            Sha256 sha(portable);
            sha.addData(input.constData(), size_t(input.size()));
            QCOMPARE(QString::fromStdString(sha.hexResult()), digest);
        }
    }

    void againstQt_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("piece"); // 0: all at once
        for (const int length : {1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 4096 + 7})
            for (const int piece : {0, 1, 7, 64, 100})
                QTest::addRow("%d bytes in pieces of %d", length, piece) << length << piece;
        QTest::newRow("3 MiB at once") << (3 << 20) << 0;
        QTest::newRow("3 MiB in odd pieces") << (3 << 20) + 13 << 65537;
    }
    void againstQt()
    {
        QFETCH(int, length);
        QFETCH(int, piece);
        QByteArray data(length, Qt::Uninitialized);
        QRandomGenerator random(uint32_t(length) * 31 + uint32_t(piece));
        for (char& c : data)
            c = char(random.bounded(256));
        const QString expected =
            QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
        for (const bool portable : {true, false}) {
            Sha256 sha(portable);
            const int step = piece > 0 ? piece : length;
            for (int at = 0; at < length; at += step)
                sha.addData(data.constData() + at, size_t(std::min(step, length - at)));
            QCOMPARE(QString::fromStdString(sha.hexResult()), expected);
        }
    }
};

QTEST_APPLESS_MAIN(TestSha256)
#include "tst_sha256.moc"
