#include "exportcommand.h"

#include "arguments.h"
#include "calltree.h"
#include "commandline.h"
#include "csvexport.h"
#include "flameexport.h"
#include "hserror.h"
#include "inputloader.h"
#include "timelineexport.h"
#include "topsitesmodel.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QGuiApplication>
#include <cstdio>
#include <memory>

namespace hs {

namespace {

CostKind parseCost(const std::string& name, const std::vector<CostKind>& offered)
{
    for (CostKind k : offered)
        if (name == costName(k))
            return k;
    std::string names;
    for (CostKind k : offered)
        names += (names.empty() ? "" : ", ") + std::string(costName(k));
    throw Arguments::UsageError{"--cost " + name + " is not a cost of this snapshot (it has " +
                                names + ")"};
}

int fail(const QString& message)
{
    std::fprintf(stderr, "heapscope export: %s\n", message.toLocal8Bit().constData());
    return CommandLine::OutputError;
}

// Painting text needs a QGuiApplication; the offscreen platform needs no display.
std::unique_ptr<QGuiApplication> guiApplication()
{
    if (QGuiApplication::instance())
        return nullptr;
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "heapscope";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QGuiApplication>(argc, argv);
}

QFont exportFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    font.setPixelSize(12);
    return font;
}

QString msText(double ms)
{
    return ms < 10000 ? QStringLiteral("%1 ms").arg(ms, 0, 'f', 0)
                      : QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 3);
}

SeriesGroup parseShow(const std::string& show, const TimelineData& t)
{
    const SeriesGroup group =
        show == "memory"   ? SeriesGroup::Memory
        : show == "counts" ? SeriesGroup::Counts
        : show == "sites"  ? SeriesGroup::Sites
        : show == "sites-stacked"
            ? SeriesGroup::SitesStacked
            : throw Arguments::UsageError{"--show " + show +
                                          " (memory, counts, sites, sites-stacked)"};
    if (!t.has(group == SeriesGroup::SitesStacked ? SeriesGroup::Sites : group))
        throw Arguments::UsageError{"--show " + show +
                                    ": this input's timeline has no such series"};
    return group;
}

// The timeline as the window draws it (with a range: highlighted, and with --zoom only it),
// or its points as CSV.
int exportTimeline(const Arguments& a, const ProfileData& data, size_t snapshot,
                   const std::string& input, const QString& path, const QString& suffix)
{
    const TimelineData t = TimelineData::of(data, uint32_t(snapshot));
    if (t.empty())
        throw Error(input + ": has no timeline (one tracemalloc dump has no times; a series of "
                            "dumps, a heaptrack recording or a recorder file has one)");
    TimelineExportRequest r;
    r.path = path;
    r.view.group = parseShow(a.value("--show", "memory"), t);
    r.view.fromMs = t.firstMs();
    r.view.toMs = t.lastMs() > t.firstMs() ? t.lastMs() : t.firstMs() + 1;
    r.caption = QStringLiteral("%1 to %2").arg(msText(t.firstMs()), msText(t.lastMs()));
    if (const auto range = a.timeRange()) {
        const double from = double(range->first), to = double(range->second);
        r.view.selFrom = from;
        r.view.selTo = to;
        if (a.has("--zoom") || suffix == QLatin1String("csv")) {
            r.view.fromMs = from;
            r.view.toMs = to > from ? to : from + 1;
        }
        QStringList parts{
            QStringLiteral("%1 to %2 (%3)").arg(msText(from), msText(to), msText(to - from))};
        parts << rangeDeltas(t, r.view.group, from, to);
        r.caption = parts.join(QStringLiteral(" · "));
    }
    r.width = int(a.number("--width", 1200));
    r.height = int(a.number("--height", 360));
    if (r.width < 200 || r.width > 20000 || r.height < 100 || r.height > 20000)
        throw Arguments::UsageError{"a timeline takes --width 200..20000 and --height 100..20000"};
    const auto app = suffix == QLatin1String("csv") ? nullptr : guiApplication();
    r.font = exportFont();
    r.title =
        QStringLiteral("%1 — timeline").arg(QFileInfo(QString::fromStdString(input)).fileName());
    QString error;
    return TimelineExport::write(t, r, error) ? CommandLine::Ok : fail(error);
}

} // namespace

int ExportCommand::run(const std::vector<std::string>& args)
{
    const Arguments a(args, {"--bottom-up", "--collapse-recursion", "--zoom"},
                      {"--view", "--cost", "--snapshot", "--width", "--height", "--scale", "--by",
                       "-o", "--python", "--show", "--time-range"});
    if (a.positional().size() != 1)
        throw Arguments::UsageError{"takes one INPUT"};
    const std::string out = a.value("-o");
    if (out.empty())
        throw Arguments::UsageError{"-o FILE is required"};
    const std::string view = a.value("--view", "flamegraph");
    const QString suffix = QFileInfo(QString::fromStdString(out)).suffix().toLower();
    const bool flame = view == "flamegraph";
    const bool timeline = view == "timeline";
    if (!flame && !timeline && view != "top-down" && view != "bottom-up" && view != "top-sites")
        throw Arguments::UsageError{
            "--view " + view +
            " is not a view (flamegraph, timeline, top-down, bottom-up, top-sites)"};
    if (timeline && !TimelineExport::formats().contains(suffix))
        throw Arguments::UsageError{out + ": a timeline is written as .svg, .png, .pdf or .csv"};
    if (flame && !FlameExport::formats().contains(suffix))
        throw Arguments::UsageError{out + ": a flame graph is written as .svg, .png or .pdf"};
    if (!flame && !timeline && suffix != QLatin1String("csv"))
        throw Arguments::UsageError{out + ": a table is written as .csv"};
    const size_t width = a.number("--width", 1600);
    const size_t height = a.number("--height", 0);
    if (!timeline && (width < 16 || width > 100000 || height > 1000000))
        throw Arguments::UsageError{"--width must be 16..100000 and --height at most 1000000"};
    const auto range = a.timeRange();
    double scale = 1.0;
    if (a.has("--scale")) {
        bool ok = false;
        scale = QString::fromStdString(a.value("--scale")).toDouble(&ok);
        if (!ok)
            scale = 0;
    }
    if (!(scale >= 0.25 && scale <= 8))
        throw Arguments::UsageError{"--scale must be between 0.25 and 8"};

    const std::string input = a.positional().front();
    ProfileData data = InputLoader::load(input, {});
    if (data.snapshots.empty())
        throw Error(input + ": has no snapshots");
    // By default the last snapshot with allocations, as the window opens (a recorder's exit
    // checkpoint may hold only the object graph).
    size_t fallback = data.snapshots.size() - 1;
    for (size_t k = data.snapshots.size(); k-- > 0;)
        if (!data.snapshots[k].costs.empty() || !data.snapshots[k].heap.empty()) {
            fallback = k;
            break;
        }
    const size_t snapshot = a.number("--snapshot", fallback);
    if (snapshot >= data.snapshots.size())
        throw Arguments::UsageError{"--snapshot " + std::to_string(snapshot) + ": " + input +
                                    " has " + std::to_string(data.snapshots.size()) +
                                    " snapshots (0.." + std::to_string(data.snapshots.size() - 1) +
                                    ")"};
    if (timeline)
        return exportTimeline(a, data, snapshot, input, QString::fromStdString(out), suffix);
    const bool windowed = range && !data.snapshots[snapshot].heap.intervals.empty();
    if (range && !windowed)
        throw Arguments::UsageError{"--time-range applies to heaptrack recordings"};
    const auto offered = costKinds(data, uint32_t(snapshot), windowed);
    if (offered.empty())
        throw Error(input + ": snapshot " + std::to_string(snapshot) + " has no allocation costs");
    const CostKind cost = a.has("--cost") ? parseCost(a.value("--cost"), offered) : offered[0];

    CallTreeOptions options;
    options.bottomUp = view == "bottom-up" || (flame && a.has("--bottom-up"));
    options.collapseRecursion = a.has("--collapse-recursion");
    if (windowed) {
        options.windowed = true;
        options.fromMs = range->first;
        options.toMs = range->second;
    }
    auto shared = std::make_shared<const ProfileData>(std::move(data));
    auto tree =
        std::make_shared<const CallTree>(buildCallTree(*shared, uint32_t(snapshot), options));
    const QString path = QString::fromStdString(out);

    if (view == "top-sites") {
        const std::string by = a.value("--by", "lineno");
        const auto grouping =
            by == "lineno"     ? TopSitesModel::Grouping::Frame
            : by == "filename" ? TopSitesModel::Grouping::File
            : by == "traceback"
                ? TopSitesModel::Grouping::CallStack
                : throw Arguments::UsageError{"--by " + by + " (lineno, filename, traceback)"};
        const auto rows = TopSitesModel::build(shared, tree, grouping);
        const QString error = CsvExport::write(path, rows.csvHeader(), rows.size(),
                                               [&](size_t r) { return rows.csvRow(r); });
        return error.isEmpty() ? CommandLine::Ok : fail(error);
    }
    if (!flame) {
        const QString error = CsvExport::writeTree(path, *shared, *tree, nullptr);
        return error.isEmpty() ? CommandLine::Ok : fail(error);
    }

    const auto app = guiApplication();
    const int column = tree->column(cost);
    FlameExportRequest r;
    r.path = path;
    r.width = int(width);
    r.height = int(height);
    r.scale = scale;
    r.column = column;
    r.style.font = exportFont();
    r.style.rowHeight = QFontMetrics(r.style.font).height() + 6;
    r.style.title =
        QStringLiteral("%1 — %2, %3")
            .arg(QFileInfo(QString::fromStdString(input)).fileName(),
                 QString::fromLatin1(costTitle(cost)),
                 options.bottomUp ? QStringLiteral("bottom-up") : QStringLiteral("top-down"));
    if (windowed)
        r.style.title += QStringLiteral(", %1 to %2")
                             .arg(msText(double(range->first)), msText(double(range->second)));
    const std::vector<uint32_t> order = flameOrder(*tree, column);
    QString error;
    if (!FlameExport::write(*shared, *tree, order, r, error))
        return fail(error);
    return CommandLine::Ok;
}

} // namespace hs
