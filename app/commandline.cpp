#include "commandline.h"

#include "arguments.h"
#include "clioutput.h"
#include "filehead.h"
#include "graphcommands.h"
#include "heapreport.h"
#include "hserror.h"
#include "inputloader.h"
#include "statistics.h"
#include "statisticsreport.h"
#include "store.h"
#include "storewriter.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <optional>
#include <sys/stat.h>

namespace hs {

namespace {

std::string readSuppressions(const std::string& path)
{
    // A suppression file is a short list of patterns; anything huge is a wrong argument.
    constexpr size_t kMaxBytes = size_t(16) << 20;
    const auto text = readRegularFileHead(path, kMaxBytes + 1);
    if (!text)
        throw Error(path + ": cannot read the suppression file");
    if (text->size() > kMaxBytes)
        throw Error(path + ": the suppression file is larger than 16 MiB");
    return *text;
}

InputLoader::Options loaderOptions(const Arguments& a)
{
    InputLoader::Options o;
    if (a.has("--suppressions"))
        o.heaptrack.suppressions = readSuppressions(a.value("--suppressions"));
    const std::string python = a.value("--python");
    if (python.empty())
        return o;
    const bool digits = python.size() > 2 && python.starts_with("3.") &&
                        python.find_first_not_of("0123456789", 2) == std::string::npos;
    if (!digits)
        throw Arguments::UsageError{"--python takes a version such as 3.6 or 3.12"};
    o.tracemalloc.order =
        python == "3.6" ? TracebackOrder::MostRecentFirst : TracebackOrder::OldestFirst;
    return o;
}

StatisticsReport::Request reportRequest(const Arguments& a)
{
    StatisticsReport::Request r;
    if (!parseGroupBy(a.value("--by", "lineno"), r.by))
        throw Arguments::UsageError{"--by takes lineno, filename or traceback"};
    r.cumulative = a.has("--cumulative");
    if (r.cumulative && r.by == GroupBy::Traceback)
        throw Arguments::UsageError{"--cumulative works with --by lineno or filename only"};
    r.limit = a.number("--limit", 10);
    return r;
}

uint32_t pickSnapshot(const ProfileData& data, const std::string& path, const Arguments& a,
                      const std::string& option, size_t fallbackFromEnd)
{
    if (data.snapshots.empty())
        throw Error(path + ": holds no snapshot");
    const size_t last = data.snapshots.size() - 1;
    const size_t fallback = last >= fallbackFromEnd ? last - fallbackFromEnd : 0;
    const size_t n = a.number(option, fallback);
    if (n > last)
        throw Error(path + ": has no snapshot " + std::to_string(n) + " (it has " +
                    std::to_string(data.snapshots.size()) + ", numbered from 0)");
    return static_cast<uint32_t>(n);
}

std::string formatOf(const std::string& path)
{
    return InputLoader::formatName(InputLoader::detectFile(path));
}

// Where to write: a symlink is written through (its target replaced, the link kept).
std::string outputPath(const std::string& out)
{
    if (out.empty())
        throw Arguments::UsageError{"the output path is empty"};
    std::error_code ec;
    if (!std::filesystem::is_symlink(out, ec))
        return out;
    const auto target = std::filesystem::canonical(out, ec);
    if (ec)
        throw Arguments::UsageError{out + " is a symbolic link to nothing"};
    return target.string();
}

bool sameFile(const std::string& a, const std::string& b)
{
    struct stat sa = {}, sb = {};
    return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

} // namespace

bool CommandLine::isSubcommand(const std::string& word)
{
    return word == "import" || word == "stats" || word == "diff" || word == "objects" ||
           word == "cycles" || word == "retainers" || word == "dot" || word == "help" ||
           word == "--help" || word == "-h" || word == "--version";
}

std::string CommandLine::usage()
{
    return R"(usage: heapscope SUBCOMMAND [OPTIONS]
       heapscope [FILE...]        (the desktop window, with these files open)

Subcommands (headless, no display needed):
  import INPUT... [-o OUT.heapscope] [--python VER] [--suppressions FILE] [--force]
        Import tracemalloc dumps, heaptrack recordings and recorder files (.hsr) into one
        .heapscope file, in the order given. OUT defaults to FIRST_INPUT.heapscope. An
        existing OUT is replaced only if it is a heapscope file (or with --force); an input
        is never overwritten.
  stats INPUT [--snapshot N] [--by lineno|filename|traceback] [--cumulative] [--limit N]
        [--json] [--python VER]
        Snapshot.statistics() of a dump or of a snapshot in a .heapscope file (N counts from 0;
        default: the last). --limit 0 prints every group (default 10).
        For a heaptrack recording: heaptrack_print's summary and top lists (peak, leaked,
        allocations, temporary), [--time-range FROM:TO] for what happened between two times
        (ms, heaptrack's "filter in": consumption delta instead of leaked),
        [--suppressions FILE] LSan-style leak:PATTERN lines applied to the leaks.
  diff OLD [NEW] [--old-snapshot N] [--new-snapshot N] [--by ...] [--cumulative] [--limit N]
        [--json] [--python VER]
        NEW.compare_to(OLD). With one .heapscope file, compares its last two snapshots.
        With --objects: growth of gc-tracked objects per type between two object graphs
        (objgraph's show_growth).

  export INPUT [--view flamegraph|timeline|top-down|bottom-up|top-sites] [--cost C]
        [--snapshot N] [--bottom-up] [--collapse-recursion] [--width W] [--height H]
        [--scale S] [--by lineno|filename|traceback] [--time-range FROM:TO] -o FILE
        The window's views without a display: the flame graph as FILE.svg, .png or .pdf
        (W pixels wide, default 1600; as tall as the graph, or H pixels; PNG at S pixels per
        pixel), the tables as FILE.csv. Costs: size, count (Python snapshots); allocations,
        temporary, peak, leaked, allocated (heaptrack). Default: the last snapshot with
        allocations, its first cost. --time-range (heaptrack): only what happened then.
        --view timeline [--show memory|counts|sites|sites-stacked] [--zoom]: the chart as
        .svg, .png or .pdf (W x H, default 1200 x 360) with the range marked and its deltas
        (--zoom: only the range), or every point of its series as .csv.

Object graphs (files written by heapscope's Python recorder, resources/recorder):
  objects INPUT [--by type] [--sort count|size|retained] [--limit N] [--all] [--json]
        Census of gc-tracked objects by type (--all: untracked ones too), with shallow sizes
        and retained sizes (what would be freed with them).
  cycles INPUT [--garbage-only] [--limit N] [--json]
        Reference cycles, largest retained size first; garbage cycles are what gc.collect()
        would free.
  retainers INPUT OBJECT_ID [--json]
        The shortest chain of references from a root to the object.
  dot INPUT (--cycle N | --object ID [--depth D]) [-o FILE.dot]
        Graphviz DOT text of a cycle, or of what refers to an object up to D levels.
  These take [--snapshot N] for a checkpoint other than the last one with a graph.

--python VER names the Python that wrote a dump when the file cannot tell (3.6 and 3.7 both
write protocol 4); it only changes the order of tied traceback groups.
Inputs are recognised by content: tracemalloc Snapshot.dump() pickles (protocols 0-5, CPython
3.6-3.13), heaptrack recordings (zstd, gzip or plain text), heapscope recorder files (.hsr)
and .heapscope files. Pickles are read by heapscope's own restricted reader, never executed.

Exit codes: 0 success, 1 the input is missing, unreadable, malformed or refused,
2 usage error, 3 the output cannot be written, 130 interrupted.
)";
}

int CommandLine::run(const std::vector<std::string>& args)
{
    const std::string& cmd = args.at(0);
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        if (cmd == "help" || cmd == "--help" || cmd == "-h") {
            writeOut(usage());
            return Ok;
        }
        if (cmd == "--version") {
            writeOut("heapscope " HEAPSCOPE_VERSION "\n");
            return Ok;
        }
        if (cmd == "import")
            return runImport(rest);
        if (cmd == "stats")
            return runStats(rest);
        if (cmd == "diff")
            return std::find(rest.begin(), rest.end(), "--objects") != rest.end()
                       ? GraphCommands::diffObjects(rest)
                       : runDiff(rest);
        if (cmd == "objects")
            return GraphCommands::objects(rest);
        if (cmd == "cycles")
            return GraphCommands::cycles(rest);
        if (cmd == "retainers")
            return GraphCommands::retainers(rest);
        if (cmd == "dot")
            return GraphCommands::dot(rest);
        std::fprintf(stderr, "heapscope: unknown subcommand '%s' (see heapscope --help)\n",
                     cmd.c_str());
        return UsageError;
    } catch (const Arguments::UsageError& e) {
        std::fprintf(stderr, "heapscope %s: %s (see heapscope --help)\n", cmd.c_str(),
                     e.message.c_str());
        return UsageError;
    } catch (const OutputFailure& e) {
        std::fprintf(stderr, "heapscope: %s\n", e.message.c_str());
        return OutputError;
    } catch (const Error& e) {
        std::fprintf(stderr, "heapscope: %s\n", e.what());
        return InputError;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "heapscope: out of memory\n");
        return InputError;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "heapscope: internal error: %s\n", e.what());
        return InputError;
    }
}

int CommandLine::runImport(const std::vector<std::string>& args)
{
    const Arguments a(args, {"--force"}, {"-o", "--output", "--python", "--suppressions"});
    const auto& inputs = a.positional();
    if (inputs.empty())
        throw Arguments::UsageError{"import needs at least one input file"};
    const std::string out =
        outputPath(a.value("-o", a.value("--output", inputs.front() + ".heapscope")));
    for (const auto& in : inputs) {
        if (sameFile(in, out))
            throw Arguments::UsageError{"the output " + out + " is also an input"};
    }
    struct stat st = {};
    if (::stat(out.c_str(), &st) == 0) {
        if (!S_ISREG(st.st_mode))
            throw Arguments::UsageError{out + " exists and is not a regular file"};
        if (!a.has("--force") && !Store::isHeapscopeFile(out))
            throw Arguments::UsageError{out + " exists and is not a heapscope file; "
                                              "pass --force to replace it"};
    }

    const auto start = std::chrono::steady_clock::now();
    const InputLoader::Options options = [&] {
        InputLoader::Options o = loaderOptions(a);
        o.hash = true;
        return o;
    }();
    ProfileBuilder builder;
    for (const auto& in : inputs)
        InputLoader::importRaw(in, builder, options);
    const ProfileData data = builder.take();
    try {
        StoreWriter::write(data, out);
    } catch (const Error& e) {
        throw OutputFailure{e.what()};
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    uint64_t traces = 0, calls = 0; // Python's live blocks; heaptrack's allocation calls
    for (const auto& s : data.snapshots)
        (data.recordings[s.info.recording].kind == "heaptrack" ? calls : traces) +=
            s.info.totalCount;
    std::string what = std::to_string(traces) + " traces";
    if (calls > 0)
        what = (traces > 0 ? what + ", " : std::string()) + std::to_string(calls) +
               " allocation calls";
    char line[512];
    std::snprintf(line, sizeof line, "%s: %zu snapshots, %s, %zu call stacks (%.0f ms)\n",
                  out.c_str(), data.snapshots.size(), what.c_str(), data.stacks.size(), ms);
    writeOut(line);
    warnAbout(data);
    return Ok;
}

int CommandLine::runStats(const std::vector<std::string>& args)
{
    const Arguments a(
        args, {"--json", "--cumulative"},
        {"--snapshot", "--by", "--limit", "--python", "--suppressions", "--time-range"});
    if (a.positional().size() != 1)
        throw Arguments::UsageError{"stats needs exactly one input file"};
    const std::string& path = a.positional().front();
    const StatisticsReport::Request request = reportRequest(a);
    const auto range = a.timeRange();
    if (a.has("--suppressions") && InputLoader::detectFile(path) == InputFormat::Heapscope)
        throw Arguments::UsageError{"--suppressions applies when a heaptrack recording is read; "
                                    "import it again with --suppressions"};
    const ProfileData data = [&] {
        if (InputLoader::detectFile(path) != InputFormat::Heapscope)
            return InputLoader::load(path, loaderOptions(a));
        // heaptrack's figures come from its profile alone: the trie is not read at all.
        const Store store(path);
        const ProfileData list = store.loadSnapshotList();
        const uint32_t n = pickSnapshot(list, path, a, "--snapshot", 0);
        if (list.recordings[list.snapshots[n].info.recording].kind != "heaptrack")
            return store.load();
        return store.load({false, range.has_value()});
    }();
    const uint32_t snap = pickSnapshot(data, path, a, "--snapshot", 0);
    if (data.recordings[data.snapshots[snap].info.recording].kind == "heaptrack") {
        const ReportSource source{path, formatOf(path), &data, snap};
        const HeapReport::Request heapRequest{request.limit, range};
        writeOut(a.has("--json") ? HeapReport::json(source, heapRequest)
                                 : HeapReport::text(source, heapRequest));
        return Ok;
    }
    if (range)
        throw Arguments::UsageError{"--time-range applies to heaptrack recordings"};
    std::vector<StatRow> rows;
    try {
        rows = computeStatistics(data, snap, request.by, request.cumulative);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    const ReportSource source{path, formatOf(path), &data, snap};
    if (!a.has("--json"))
        warnAbout(data);
    writeOut(a.has("--json") ? StatisticsReport::json(source, request, rows)
                             : StatisticsReport::text(source, request, rows));
    return Ok;
}

int CommandLine::runDiff(const std::vector<std::string>& args)
{
    const Arguments a(args, {"--json", "--cumulative"},
                      {"--old-snapshot", "--new-snapshot", "--by", "--limit", "--python"});
    const auto& files = a.positional();
    if (files.empty() || files.size() > 2)
        throw Arguments::UsageError{"diff needs OLD and NEW (or one file with two snapshots)"};
    const std::string& oldPath = files.front();
    const std::string& newPath = files.back();
    const StatisticsReport::Request request = reportRequest(a);
    const InputLoader::Options options = loaderOptions(a);
    const bool same = files.size() == 1 || sameFile(oldPath, newPath);
    // The two inputs load on both cores.
    auto newLoad = std::async(same ? std::launch::deferred : std::launch::async, [&] {
        return same ? ProfileData() : InputLoader::load(newPath, options);
    });
    const ProfileData oldData = InputLoader::load(oldPath, options);
    const ProfileData newData = newLoad.get();
    const ProfileData& newer = same ? oldData : newData;
    // One file: its last two snapshots (a single dump is compared with itself, as Python would).
    const uint32_t oldSnap = pickSnapshot(oldData, oldPath, a, "--old-snapshot", same ? 1 : 0);
    const uint32_t newSnap = pickSnapshot(newer, newPath, a, "--new-snapshot", 0);
    std::vector<StatRow> rows;
    try {
        rows = compareStatistics(oldData, oldSnap, newer, newSnap, request.by, request.cumulative);
    } catch (const Error& e) {
        throw Error(oldPath + " -> " + newPath + ": " + e.what());
    }
    const ReportSource older{oldPath, formatOf(oldPath), &oldData, oldSnap};
    const ReportSource newerSource{newPath, formatOf(newPath), &newer, newSnap};
    if (!a.has("--json")) {
        warnAbout(oldData);
        if (!same)
            warnAbout(newData);
    }
    writeOut(a.has("--json") ? StatisticsReport::diffJson(older, newerSource, request, rows)
                             : StatisticsReport::diffText(older, newerSource, request, rows));
    return Ok;
}

} // namespace hs
