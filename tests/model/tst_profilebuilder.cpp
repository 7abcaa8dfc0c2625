// Interning call stacks: whatever the trie's shape (chains, wide fan-outs that make a parent a
// hub, many roots) and whether the index was released and rebuilt in between, each distinct
// (parent, frame) gets one id, in first-seen order, as a plain map would give them; and the
// merged trie numbers its nodes as a map would.

#include "calltree.h"
#include "hserror.h"
#include "profilebuilder.h"
#include "stackmerge.h"

#include <QTest>
#include <map>
#include <random>

using namespace hs;

class TestProfileBuilder : public QObject
{
    Q_OBJECT

private slots:
    void internStack_data();
    void internStack();
    void refusesMissingParent();
};

void TestProfileBuilder::internStack_data()
{
    QTest::addColumn<int>("calls");
    QTest::addColumn<int>("frames");       // distinct frames to draw from
    QTest::addColumn<int>("newChain");     // in 100: how often the next parent is the last stack
    QTest::addColumn<int>("releaseEvery"); // 0: never release the index
    QTest::newRow("chains") << 20000 << 1000 << 90 << 0;
    QTest::newRow("wide fan-out (hubs)") << 20000 << 200 << 10 << 0;
    QTest::newRow("few frames, many repeats") << 20000 << 5 << 50 << 0;
    QTest::newRow("many roots") << 5000 << 3000 << 0 << 0;
    QTest::newRow("released and rebuilt") << 20000 << 100 << 60 << 3000;
}

void TestProfileBuilder::internStack()
{
    QFETCH(int, calls);
    QFETCH(int, frames);
    QFETCH(int, newChain);
    QFETCH(int, releaseEvery);
    ProfileBuilder b;
    std::vector<uint32_t> frameIds;
    // Every third frame has one of a few function names, so that stacks merge by function.
    for (int f = 0; f < frames; ++f)
        frameIds.push_back(
            b.internFrame({f % 3 == 0 ? b.internString("fn" + std::to_string(f % 7)) : kNoIndex,
                           b.internString("f.py"), f + 1, kNoIndex}));
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> reference;
    std::mt19937 random(11);
    uint32_t last = kNoIndex;
    for (int i = 0; i < calls; ++i) {
        if (releaseEvery > 0 && i % releaseEvery == releaseEvery - 1)
            b.releaseStackIndex();
        // The parent: the last stack (a chain), the root, or any stack so far.
        const size_t have = reference.size();
        const int roll = int(random() % 100);
        const uint32_t parent = roll < newChain ? last
                                : have == 0 || roll % 4 == 0
                                    ? kNoIndex
                                    : static_cast<uint32_t>(random() % have);
        const uint32_t frame = frameIds[random() % frameIds.size()];
        const auto [it, added] =
            reference.emplace(std::make_pair(parent, frame), static_cast<uint32_t>(have));
        const uint32_t id = b.internStack(parent, frame);
        QCOMPARE(id, it->second);
        QCOMPARE(b.data().stacks.size(), reference.size());
        if (added) {
            QCOMPARE(b.data().stacks[id].parent, parent);
            QCOMPARE(b.data().stacks[id].frame, frame);
        }
        last = id;
    }
    // The merged trie numbers nodes as a map of (merged parent, frame key) would.
    const ProfileData& d = b.data();
    std::map<std::pair<uint32_t, uint64_t>, uint32_t> nodeOf;
    std::vector<uint32_t> merged(d.stacks.size());
    for (size_t s = 0; s < d.stacks.size(); ++s) {
        const uint32_t parent =
            d.stacks[s].parent == kNoIndex ? kNoIndex : merged[d.stacks[s].parent];
        merged[s] = nodeOf
                        .emplace(std::make_pair(parent, frameMergeKey(d, d.stacks[s].frame)),
                                 static_cast<uint32_t>(nodeOf.size()))
                        .first->second;
    }
    QVERIFY(mergeStacks(d) == merged);
}

void TestProfileBuilder::refusesMissingParent()
{
    ProfileBuilder b;
    const uint32_t f = b.internFrame({kNoIndex, b.internString("f.py"), 1, kNoIndex});
    const uint32_t root = b.internStack(kNoIndex, f);
    QCOMPARE(b.internStack(root, f), root + 1);
    QVERIFY_THROWS_EXCEPTION(Error, b.internStack(root + 2, f));
}

QTEST_GUILESS_MAIN(TestProfileBuilder)
#include "tst_profilebuilder.moc"
