#pragma once

#include <string>
#include <vector>

namespace hs {

// The headless front door: `heapscope SUBCOMMAND ...`. Output goes to stdout, one-line errors
// naming the file to stderr, and the exit code says what kind of failure it was.
class CommandLine
{
public:
    enum Exit : int
    {
        Ok = 0,
        InputError = 1,
        UsageError = 2,
        OutputError = 3,
        Interrupted = 130
    };

    static bool isSubcommand(const std::string& word);
    static int run(const std::vector<std::string>& args); // args[0] is the subcommand
    static std::string usage();

private:
    static int runImport(const std::vector<std::string>& args);
    static int runStats(const std::vector<std::string>& args);
    static int runDiff(const std::vector<std::string>& args);
};

} // namespace hs
