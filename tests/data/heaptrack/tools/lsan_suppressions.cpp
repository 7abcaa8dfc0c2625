// Fixture program for lsan_suppressions.zst: embeds an LSAN-style suppression
// (heaptrack copies it into the recording as an `S` line) and leaks from three
// functions with known sizes:
//   leakyHelper  8 x 1024 B = 8192 B  (suppressed by the embedded rule)
//   realLeak     3 x  500 B = 1500 B  (suppressed only by user_suppressions.txt)
//   stillLeaking 2 x  256 B =  512 B  (never suppressed)
// plus non-leaking work so that the other figures are not trivial.
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

// Looked up by libheaptrack at startup; it must be in the dynamic symbol
// table, hence the -rdynamic in make_fixtures.sh.
extern "C" const char* __lsan_default_suppressions()
{
    return "leak:leakyHelper\n";
}

namespace {
void* volatile g_sink; // defeats dead-store elimination of the leaks
}

__attribute__((noinline)) void leakyHelper(int n)
{
    for (int i = 0; i < n; ++i) {
        void* p = std::malloc(1024);
        std::memset(p, i, 1024);
        g_sink = p;
    }
}

__attribute__((noinline)) void realLeak(int n)
{
    for (int i = 0; i < n; ++i) {
        char* p = new char[500];
        std::memset(p, i, 500);
        g_sink = p;
    }
}

__attribute__((noinline)) void stillLeaking(int n)
{
    for (int i = 0; i < n; ++i) {
        void* p = std::calloc(1, 256);
        g_sink = p;
    }
}

// Freed work: a growing vector and short strings (temporaries and reallocs).
__attribute__((noinline)) size_t busyWork(int n)
{
    std::vector<std::string> words;
    for (int i = 0; i < n; ++i)
        words.push_back(std::string(20 + i % 7, static_cast<char>('a' + i % 26)));
    size_t total = 0;
    for (const auto& w : words)
        total += w.size();
    return total;
}

int main()
{
    leakyHelper(8);
    realLeak(3);
    stillLeaking(2);
    g_sink = reinterpret_cast<void*>(busyWork(300));
    return 0;
}
