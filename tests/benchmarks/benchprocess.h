#pragma once

// Running a command as a benchmark does: wall time and the child's peak RSS, median of runs.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
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

} // namespace bench
