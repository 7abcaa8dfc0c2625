// The timeline's level of detail: painting a series of 10,000,000 points into a 1920x1080
// image, against a series of 10,000 points of the same signal (issue target: at most 2x).
// Both are finished as TimelineData::of finishes them (their block pyramid built), the whole
// recording in view; median of 7 paints after a warm-up.

#include "timelinepainter.h"

#include <QFont>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using namespace hs;

namespace {

TimelineData walk(size_t points)
{
    TimelineData t;
    TimelineSeries s;
    s.name = QStringLiteral("Heap");
    std::mt19937_64 rng(7);
    const double span = 60000; // one minute, whatever the number of points
    s.timeMs.reserve(points);
    s.value.reserve(points);
    for (size_t i = 0; i < points; ++i) {
        // The same signal sampled more or less densely: a heap that swells and shrinks, with
        // allocation noise.
        const double t = span * double(i) / double(points);
        s.timeMs.push_back(t);
        s.value.push_back(1e6 + 4e5 * std::sin(t / 3000) + 2e5 * std::sin(t / 517) +
                          double(rng() % 10001));
    }
    s.finish();
    t.series.push_back(std::move(s));
    return t;
}

double paintMs(const TimelineData& t, int runs)
{
    QImage image(1920, 1080, QImage::Format_RGB32);
    TimelineView view;
    view.fromMs = t.firstMs();
    view.toMs = t.lastMs();
    QFont font;
    font.setPixelSize(12);
    std::vector<double> ms;
    for (int r = 0; r <= runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        {
            QPainter p(&image);
            TimelinePainter::paint(p, image.rect(), t, view, QPalette(), font);
        }
        const double took =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        if (r > 0) // the first run warms caches and fonts
            ms.push_back(took);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const TimelineData small = walk(10000);
    const auto built = std::chrono::steady_clock::now();
    const TimelineData large = walk(10000000);
    const double buildMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - built).count();
    const double a = paintMs(small, 7), b = paintMs(large, 7);
    std::printf("heapscope timeline benchmark: paint 1920x1080, median of 7 runs\n");
    std::printf("  10,000 points:      %8.2f ms\n", a);
    std::printf("  10,000,000 points:  %8.2f ms  (%.2fx the 10k paint; target <= 2x)\n", b, b / a);
    std::printf("  building the 10M series and its blocks: %.0f ms (%zu levels)\n", buildMs,
                large.series[0].levels.size());
    return 0;
}
