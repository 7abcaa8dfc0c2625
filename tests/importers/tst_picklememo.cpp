// The pickle memo across its two modes: values put before the scan finishes (kept whole) and
// after (kept only if read back) must read back exactly as Python's memo dict would.

#include "picklememo.h"

#include <QTest>

using namespace hs::pickle;

namespace {

Value intValue(int64_t v)
{
    return Value{Kind::Int, 0, 0, 0, v};
}

// A pickle whose only memo reads are of the given indices, padded so that scanning it takes
// long enough for the puts below to land before the scan is done.
QByteArray readsOf(std::initializer_list<int> indices)
{
    QByteArray data;
    for (const int i : indices)
        data += QByteArray("h") + char(i);
    data += QByteArray(20 << 20, 'N');
    return data + ".";
}

} // namespace

class TestPickleMemo : public QObject
{
    Q_OBJECT

private slots:
    void lenCountsDistinctKeys();
    void rewrittenIndexKeepsLastValue();
    void unreadValuesAreDropped();
};

void TestPickleMemo::lenCountsDistinctKeys()
{
    const QByteArray data = readsOf({});
    PickleMemo memo(std::string_view(data.constData(), size_t(data.size())));
    QCOMPARE(memo.nextIndex(), uint64_t(0));
    memo.put(0, intValue(1));
    memo.put(0, intValue(2)); // a rewrite adds no key
    QCOMPARE(memo.nextIndex(), uint64_t(1));
    memo.put(1000000, intValue(3)); // far beyond: one more key, no array of a million
    QCOMPARE(memo.nextIndex(), uint64_t(2));
    memo.put(2, intValue(4));
    QCOMPARE(memo.nextIndex(), uint64_t(3)); // key 1 is still unset
}

void TestPickleMemo::rewrittenIndexKeepsLastValue()
{
    const QByteArray data = readsOf({5});
    PickleMemo memo(std::string_view(data.constData(), size_t(data.size())));
    memo.put(5, intValue(1)); // set out of order, before 0..4
    for (int i = 0; i < 5; ++i)
        memo.put(uint64_t(i), intValue(100 + i));
    memo.put(5, intValue(2)); // rewritten once the dense part reaches it
    QCOMPARE(memo.find(5)->num, 2);
    memo.waitForScan();
    memo.put(6, intValue(3)); // compacts
    QVERIFY(memo.find(5));
    QCOMPARE(memo.find(5)->num, 2);
}

void TestPickleMemo::unreadValuesAreDropped()
{
    const QByteArray data = readsOf({1});
    PickleMemo memo(std::string_view(data.constData(), size_t(data.size())));
    memo.waitForScan();
    memo.put(0, intValue(7));
    memo.put(1, intValue(8));
    QVERIFY(!memo.find(0)); // never read back: not kept
    QCOMPARE(memo.find(1)->num, 8);
    QCOMPARE(memo.nextIndex(), uint64_t(2));
}

QTEST_GUILESS_MAIN(TestPickleMemo)
#include "tst_picklememo.moc"
