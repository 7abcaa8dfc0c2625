// Fixture program for multi_thread_gz.gz: three threads allocate at the same
// time from different functions, so the event stream interleaves their
// backtraces. Each thread frees everything except workerLeaks' 4 x 128 B.
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
void* volatile g_sink;
}

// Growing vectors: realloc-like pattern through operator new/delete.
__attribute__((noinline)) void workerVectors(int rounds)
{
    for (int r = 0; r < rounds; ++r) {
        std::vector<int> v;
        for (int i = 0; i < 2000; ++i)
            v.push_back(i);
        g_sink = v.data();
        usleep(2000);
    }
}

// Short-lived malloc/free pairs (temporary allocations).
__attribute__((noinline)) void workerTemporaries(int rounds)
{
    for (int r = 0; r < rounds; ++r) {
        for (int i = 0; i < 100; ++i) {
            void* p = std::malloc(32 + i % 3 * 16);
            std::memset(p, i, 32);
            g_sink = p;
            std::free(p);
        }
        usleep(2000);
    }
}

// A map of strings built and torn down each round, plus a small leak.
__attribute__((noinline)) void workerLeaks(int rounds)
{
    for (int r = 0; r < rounds; ++r) {
        std::map<int, std::string> m;
        for (int i = 0; i < 50; ++i)
            m[i] = std::string(40, static_cast<char>('a' + i % 26));
        g_sink = &m;
        usleep(2000);
    }
    for (int i = 0; i < 4; ++i)
        g_sink = std::malloc(128);
}

int main(int argc, char** argv)
{
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 40;
    std::thread a(workerVectors, rounds);
    std::thread b(workerTemporaries, rounds);
    std::thread c(workerLeaks, rounds);
    a.join();
    b.join();
    c.join();
    return 0;
}
