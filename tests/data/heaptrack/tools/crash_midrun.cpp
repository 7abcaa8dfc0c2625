// Fixture program for crash_midrun.zst: allocates from three functions for
// about 300 ms (so heaptrack's timer writes several `c` lines), keeps part of
// the memory alive, then dies with SIGSEGV while that memory is still live.
// No stdio output on purpose: stdio buffers would add allocations of their own.
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace {

struct Node
{
    Node* next;
    char payload[40];
};

Node* g_nodes = nullptr; // kept until the crash
char* g_records[512];    // some freed later, some kept
int g_recordCount = 0;
int* volatile g_badPointer = nullptr; // volatile: the compiler cannot see it is null
volatile unsigned g_checksum = 0;

// Kept: 48-byte nodes chained into a list that is never freed.
__attribute__((noinline)) void keepNodes(int n)
{
    for (int i = 0; i < n; ++i) {
        Node* node = new Node;
        std::memset(node->payload, i, sizeof(node->payload));
        node->next = g_nodes;
        g_nodes = node;
    }
}

// Temporary: malloc immediately followed by free, four distinct sizes.
__attribute__((noinline)) void scratchBuffers(int n)
{
    for (int i = 0; i < n; ++i) {
        const size_t size = 64 + static_cast<size_t>(i % 4) * 32;
        char* p = static_cast<char*>(std::malloc(size));
        std::memset(p, i, size);
        g_checksum = g_checksum + static_cast<unsigned char>(p[size / 2]);
        std::free(p);
    }
}

// Mixed: records of 200 bytes; every second one of the previous round is freed.
__attribute__((noinline)) void makeRecords(int n)
{
    for (int i = 0; i < g_recordCount; i += 2) {
        std::free(g_records[i]);
        g_records[i] = nullptr;
    }
    int kept = 0;
    for (int i = 0; i < g_recordCount; ++i)
        if (g_records[i])
            g_records[kept++] = g_records[i];
    g_recordCount = kept;
    for (int i = 0; i < n && g_recordCount < 512; ++i) {
        char* r = static_cast<char*>(std::malloc(200));
        std::memset(r, 'r', 200);
        g_records[g_recordCount++] = r;
    }
}

} // namespace

int main(int argc, char** argv)
{
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 30;
    for (int round = 0; round < rounds; ++round) {
        keepNodes(20);
        scratchBuffers(50);
        makeRecords(30);
        usleep(10000); // ~10 ms per round: heaptrack's timer ticks every 10 ms
    }
    *g_badPointer = 42; // SIGSEGV with everything above still allocated
    return 0;
}
