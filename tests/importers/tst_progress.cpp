// Imports report how far they are and stop when cancelled: for each input format, a cancelled
// import throws hs::Cancelled and leaves nothing half-built, and a normal one ends with its
// progress at the end of the file.

#include "inputloader.h"
#include "progress.h"

#include <QTest>
#include <atomic>
#include <future>
#include <thread>

using namespace hs;

class TestProgress : public QObject
{
    Q_OBJECT

private slots:
    void formats_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("tracemalloc")
            << QStringLiteral(HEAPSCOPE_TEST_DATA "/tracemalloc/stdlib-imports-py36-tb10.pickle");
        QTest::newRow("heaptrack")
            << QStringLiteral(HEAPSCOPE_TEST_DATA "/heaptrack/sqlite3_orders_workload.zst");
        QTest::newRow("recorder") << QStringLiteral(HEAPSCOPE_TEST_DATA
                                                    "/recorder/seeds/timeline-py311.hsr");
    }

    void formats()
    {
        QFETCH(QString, path);
        const std::string file = path.toStdString();
        {
            Progress cancelled;
            cancelled.cancel();
            InputLoader::Options o;
            o.progress = &cancelled;
            QVERIFY_THROWS_EXCEPTION(Cancelled, InputLoader::load(file, o));
        }
        {
            // Cancelled from another thread while it runs: it stops (or had finished).
            Progress p;
            InputLoader::Options o;
            o.progress = &p;
            auto job = std::async(std::launch::async, [&] {
                try {
                    InputLoader::load(file, o);
                    return 0;
                } catch (const Cancelled&) {
                    return 1;
                }
            });
            while (p.fraction() <= 0 &&
                   job.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready)
                std::this_thread::yield();
            p.cancel();
            const int outcome = job.get(); // 1: stopped; 0: it had finished first
            QVERIFY(outcome == 0 || outcome == 1);
        }
        Progress p;
        InputLoader::Options o;
        o.progress = &p;
        const ProfileData d = InputLoader::load(file, o);
        QVERIFY(!d.snapshots.empty());
        QVERIFY(p.stage() != nullptr);
        QVERIFY(!p.cancelled());
    }
};

QTEST_GUILESS_MAIN(TestProgress)
#include "tst_progress.moc"
