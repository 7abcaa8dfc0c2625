// The window benchmark (issue targets), printed as a table. Not a test: it drives heapscope's
// real MainWindow offscreen on the large heaptrack recording's .heapscope, against
// heaptrack_print (the anchor) on the original file, on the same machine, in the same run.
//
//   bench_window [--runs N] [--file RECORDING] [--dir DIR]
//
// 1. Open: from File > Open of the .heapscope until the summary, flame graph, tables and
//    timeline all show it and the window is painted, at most 1/100 of heaptrack_print.
// 2. Memory: the process's peak RSS with that file open in the window, below heaptrack_print's.
// 3. Re-filter: from a new time range in the shared selection until every page shows that
//    window and the window is painted, at most 1/100 of heaptrack_print (heaptrack_gui re-reads
//    the file for this). Each run takes a range not seen before, so no cached tree answers it.

#include "benchprocess.h"
#include "flamegraphpage.h"
#include "largerecording.h"
#include "mainwindow.h"
#include "profiledata.h"
#include "selectionstate.h"
#include "summarypage.h"
#include "tablespage.h"
#include "timelinepage.h"

#include <QApplication>
#include <QEventLoop>
#include <QPixmap>
#include <QStandardPaths>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace {

using bench::Clock;
using bench::median;
using bench::msSince;

bool allSettled(const hs::MainWindow& w)
{
    return w.summaryPage()->settled() && w.flamePage()->settled() && w.tablesPage()->settled() &&
           w.timelinePage()->settled();
}

// Runs the event loop until every page has settled (woken by their signals, with a 2 ms poll
// as a safety net), then paints the whole window once. False on a 5-minute timeout.
// When each page (summary, flame graph, tables, timeline) first settled, ms from `start`.
struct PageTimes
{
    double ms[4] = {-1, -1, -1, -1};
};

bool settleAndPaint(hs::MainWindow& w, const std::function<bool()>& extra = {},
                    PageTimes* times = nullptr, Clock::time_point start = {})
{
    QEventLoop loop;
    const auto check = [&] {
        if (times) {
            const bool settled[4] = {w.summaryPage()->settled(), w.flamePage()->settled(),
                                     w.tablesPage()->settled(), w.timelinePage()->settled()};
            for (int p = 0; p < 4; ++p)
                if (settled[p] && times->ms[p] < 0 && (!extra || extra()))
                    times->ms[p] = msSince(start);
        }
        if (allSettled(w) && (!extra || extra()))
            loop.quit();
    };
    std::vector<QMetaObject::Connection> links;
    links.push_back(QObject::connect(w.summaryPage(), &hs::SummaryPage::settledChanged, check));
    links.push_back(QObject::connect(w.flamePage(), &hs::FlameGraphPage::settledChanged, check));
    links.push_back(QObject::connect(w.tablesPage(), &hs::TablesPage::settledChanged, check));
    links.push_back(QObject::connect(w.timelinePage(), &hs::TimelinePage::settledChanged, check));
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, check);
    poll.start(2);
    bool timedOut = false;
    QTimer::singleShot(300000, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    QTimer::singleShot(0, &loop, check);
    loop.exec();
    for (const auto& c : links)
        QObject::disconnect(c);
    if (timedOut)
        return false;
    (void)w.grab(); // what a person sees: every visible widget painted with the new content
    return true;
}

struct Target
{
    std::string task, figure, goal;
    int state; // 1 met, 0 missed, -1 skipped
};

std::string format(const char* fmt, double a, double b, double c)
{
    char buf[160];
    std::snprintf(buf, sizeof buf, fmt, a, b, c);
    return buf;
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 5;
    std::string dir = "/tmp/heapscope-bench";
    std::string file;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--runs"))
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--file"))
            file = argv[i + 1];
        else if (!std::strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // no recent-files or window-state writes

    std::printf("heapscope window benchmark: heapscope's MainWindow, offscreen, 1600x1000\n");
    std::printf("  1. open the large recording's .heapscope until every page shows it, painted\n");
    std::printf("  2. peak RSS of this process with it open (Qt, the window and the file)\n");
    std::printf("  3. re-filter every page to a new time range, painted: median of %d ranges "
                "of each width\n\n",
                runs);

    const bench::LargeRecording large =
        bench::prepareLargeRecording(dir, file, bench::selfDir() + "/heapscope");
    if (!large.skip.empty()) {
        std::printf("skipped: %s\n", large.skip.c_str());
        return 0;
    }
    const double anchorMs = large.print.ms;
    const double anchorMiB = large.print.rssKb / 1024.0;
    std::vector<Target> targets;

    hs::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    w.showPage(hs::MainWindow::Flame);
    std::ofstream("/proc/self/clear_refs") << "5"; // resets the peak RSS to the current one
    const long before = bench::statusKb("VmRSS:");

    // 1. Open.
    bool imported = false;
    const auto done =
        QObject::connect(&w, &hs::MainWindow::importFinished, [&] { imported = true; });
    const auto start = Clock::now();
    w.openFiles({QString::fromStdString(large.store)});
    PageTimes pages;
    const bool opened = settleAndPaint(
                            w, [&] { return imported; }, &pages, start) &&
                        w.state()->data();
    const double openMs = msSince(start);
    QObject::disconnect(done);
    if (!opened) {
        std::printf("opening %s failed\n", large.store.c_str());
        return 1;
    }
    const double peakMiB = bench::statusKb("VmHWM:") / 1024.0;
    std::printf("1. open: %.0f ms (heaptrack_print %.0f ms, 1/%.0f); pages settled at: summary "
                "%.0f, flame graph %.0f, tables %.0f, timeline %.0f ms\n",
                openMs, anchorMs, anchorMs / openMs, pages.ms[0], pages.ms[1], pages.ms[2],
                pages.ms[3]);
    std::printf("2. peak RSS with the file open: %.1f MiB (%.1f MiB before opening; "
                "heaptrack_print %.1f MiB)\n",
                peakMiB, before / 1024.0, anchorMiB);
    targets.push_back({"open .heapscope, every page shown",
                       format("%.0f ms / %.0f ms = 1/%.0f", openMs, anchorMs, anchorMs / openMs),
                       "<= 1/100", openMs <= anchorMs / 100 ? 1 : 0});
    targets.push_back(
        {"window peak RSS with the file open",
         format("%.1f MiB / %.1f MiB = %.2f", peakMiB, anchorMiB, peakMiB / anchorMiB),
         "< 1 (below anchor)", peakMiB < anchorMiB ? 1 : 0});

    // 3. Re-filter: ranges of three widths, each run shifted so no tree is cached.
    const auto& intervals = w.state()->data()->snapshots[0].heap.intervals;
    if (intervals.size() < 2) {
        std::printf("the recording has no timeline\n");
        return 1;
    }
    const double first = double(intervals.front().timeMs);
    const double span = double(intervals.back().timeMs) - first;
    struct Width
    {
        const char* name;
        double fraction;
    };
    const Width widths[] = {{"5%", 0.05}, {"one third", 1.0 / 3}, {"90%", 0.9}};
    std::printf("3. re-filter (recording spans %.0f ms)\n", span);
    std::printf("%12s %12s %12s %12s   %s\n", "range", "median ms", "min ms", "max ms",
                "median settle: summary, flame graph, tables, timeline");
    double worst = 0;
    for (const Width& width : widths) {
        std::vector<double> ms, settle[4];
        for (int i = 0; i <= runs; ++i) {
            const double offset = (1 - width.fraction) * (0.1 + 0.8 * i / std::max(1, runs));
            const auto from = int64_t(first + offset * span);
            const auto to = int64_t(first + (offset + width.fraction) * span);
            const auto t0 = Clock::now();
            w.state()->setTimeRange(from, to);
            PageTimes times;
            if (!settleAndPaint(w, {}, &times, t0)) {
                std::printf("re-filtering to %lld..%lld ms timed out\n", (long long)from,
                            (long long)to);
                return 1;
            }
            if (i > 0) { // the first is a warm-up
                ms.push_back(msSince(t0));
                for (int p = 0; p < 4; ++p)
                    settle[p].push_back(times.ms[p]);
            }
        }
        std::sort(ms.begin(), ms.end());
        for (auto& v : settle)
            std::sort(v.begin(), v.end());
        std::printf("%12s %12.1f %12.1f %12.1f   %.0f, %.0f, %.0f, %.0f\n", width.name, median(ms),
                    ms.front(), ms.back(), median(settle[0]), median(settle[1]), median(settle[2]),
                    median(settle[3]));
        worst = std::max(worst, median(ms));
    }
    std::printf("peak RSS after re-filtering: %.1f MiB\n\n", bench::statusKb("VmHWM:") / 1024.0);
    targets.push_back({"re-filter every page to a range (worst width)",
                       format("%.0f ms / %.0f ms = 1/%.0f", worst, anchorMs, anchorMs / worst),
                       "<= 1/100", worst <= anchorMs / 100 ? 1 : 0});

    std::printf("%-48s %-34s %-20s\n", "target", "measured", "goal");
    bool allMet = true;
    for (const Target& t : targets) {
        allMet = allMet && t.state != 0;
        std::printf("%-48s %-34s %-20s %s\n", t.task.c_str(), t.figure.c_str(), t.goal.c_str(),
                    t.state > 0 ? "met" : "MISSED");
    }
    std::printf("\n%s\n", allMet ? "all targets met" : "some targets MISSED");
    return 0;
}
