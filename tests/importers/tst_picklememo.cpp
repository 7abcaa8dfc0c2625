// The pickle memo: Python's len(memo) semantics for MEMOIZE, sparse keys, rewrites, and the
// optimistic dropping of frame and trace tuples that a snapshot never reads back.

#include "picklememo.h"

#include <QTest>

using namespace hs::pickle;

namespace {

Value intValue(int64_t v)
{
    return Value{Kind::Int, 0, 0, 0, v};
}

Value frameValue(int64_t line)
{
    return Value{Kind::PairTuple, 1, 0, 0, line};
}

} // namespace

class TestPickleMemo : public QObject
{
    Q_OBJECT

private slots:
    void lenCountsDistinctKeys();
    void rewrittenIndexKeepsLastValue();
    void droppedValueAsksForFullMemo();
    void keepAllKeepsFrames();
};

void TestPickleMemo::lenCountsDistinctKeys()
{
    PickleMemo memo(false);
    QCOMPARE(memo.nextIndex(), uint64_t(0));
    memo.put(0, intValue(1));
    memo.put(0, intValue(2)); // a rewrite adds no key
    QCOMPARE(memo.nextIndex(), uint64_t(1));
    memo.put(1000000, intValue(3)); // far beyond: one more key, no array of a million
    QCOMPARE(memo.nextIndex(), uint64_t(2));
    memo.put(2, intValue(4));
    QCOMPARE(memo.nextIndex(), uint64_t(3)); // key 1 is still unset
    QVERIFY(!memo.find(1));
    QCOMPARE(memo.find(1000000)->num, 3);
}

void TestPickleMemo::rewrittenIndexKeepsLastValue()
{
    PickleMemo memo(false);
    memo.put(5, intValue(1)); // set out of order, before 0..4
    for (int i = 0; i < 5; ++i)
        memo.put(uint64_t(i), intValue(100 + i));
    QCOMPARE(memo.find(5)->num, 1);
    QCOMPARE(memo.nextIndex(), uint64_t(6));
    memo.put(5, intValue(2));
    QCOMPARE(memo.find(5)->num, 2);
    memo.put(7, intValue(7));
    memo.put(6, intValue(6)); // fills the gap: 7 joins the dense part with its value
    QCOMPARE(memo.find(7)->num, 7);
    QCOMPARE(memo.nextIndex(), uint64_t(8));
}

void TestPickleMemo::droppedValueAsksForFullMemo()
{
    PickleMemo memo(false);
    memo.put(0, frameValue(10));
    memo.put(1, intValue(1));
    QCOMPARE(memo.nextIndex(), uint64_t(2));
    QCOMPARE(memo.find(1)->num, 1);
    QVERIFY_THROWS_EXCEPTION(PickleMemo::NeedsFullMemo, memo.find(0));
    memo.put(0, intValue(5)); // overwritten by a kept value: readable again
    QCOMPARE(memo.find(0)->num, 5);
}

void TestPickleMemo::keepAllKeepsFrames()
{
    PickleMemo memo(true);
    memo.put(0, frameValue(10));
    QCOMPARE(memo.find(0)->kind, Kind::PairTuple);
    QCOMPARE(memo.find(0)->num, 10);
}

QTEST_GUILESS_MAIN(TestPickleMemo)
#include "tst_picklememo.moc"
