#pragma once

// Running a command as a benchmark does: wall time and the child's peak RSS, median of runs.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace bench {

struct Sample
{
    double ms = 0;
    long rssKb = 0;
};

struct Measure
{
    double ms = 0;  // median wall time
    long rssKb = 0; // median peak RSS
};

inline bool exists(const std::string& path)
{
    struct stat st = {};
    return ::stat(path.c_str(), &st) == 0;
}

// Runs a command with stdout discarded; returns wall time and the child's peak RSS.
inline Sample runOnce(const std::vector<std::string>& argv)
{
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        std::perror(args[0]);
        ::_exit(127);
    }
    int status = 0;
    struct rusage usage = {};
    ::wait4(pid, &status, 0, &usage);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench: command failed: %s ...\n", argv[0].c_str());
        std::exit(1);
    }
    return {ms, usage.ru_maxrss};
}

inline Measure measure(const std::vector<std::string>& argv, int runs, bool warm = true)
{
    std::vector<double> ms;
    std::vector<long> rss;
    if (warm)
        runOnce(argv); // warm the page cache
    for (int i = 0; i < runs; ++i) {
        const Sample s = runOnce(argv);
        ms.push_back(s.ms);
        rss.push_back(s.rssKb);
    }
    std::sort(ms.begin(), ms.end());
    std::sort(rss.begin(), rss.end());
    return {ms[ms.size() / 2], rss[rss.size() / 2]};
}

inline std::string selfDir()
{
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    std::string path(buf, n > 0 ? size_t(n) : 0);
    return path.substr(0, path.find_last_of('/'));
}

using Clock = std::chrono::steady_clock;

inline double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

inline double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// A field of /proc/self/status in KiB (VmRSS:, VmHWM:).
inline long statusKb(const char* field)
{
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(field, 0) == 0)
            return std::atol(line.c_str() + std::strlen(field) + 1);
    return 0;
}

inline bool onPath(const std::string& program)
{
    const char* env = std::getenv("PATH");
    const std::string list = env ? env : "/usr/bin:/bin";
    for (size_t start = 0; start <= list.size();) {
        size_t end = list.find(':', start);
        if (end == std::string::npos)
            end = list.size();
        const std::string dir = end > start ? list.substr(start, end - start) : ".";
        if (::access((dir + "/" + program).c_str(), X_OK) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

inline bool olderThan(const std::string& a, const std::string& b)
{
    struct stat sa = {};
    struct stat sb = {};
    return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_mtime < sb.st_mtime;
}

// Like runOnce, but a failing command is reported, not fatal (the caller may hold a Qt
// application and threads may have run: nothing is allocated between fork and exec).
inline bool tryRun(const std::vector<std::string>& argv, Sample& out)
{
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::fflush(stdout);
    std::fflush(stderr);
    const auto start = Clock::now();
    const pid_t pid = ::fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::execvp(args[0], args.data());
        std::perror(args[0]);
        ::_exit(127);
    }
    int status = 0;
    struct rusage usage = {};
    if (::wait4(pid, &status, 0, &usage) != pid)
        return false;
    out.ms = msSince(start);
    out.rssKb = usage.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace bench
