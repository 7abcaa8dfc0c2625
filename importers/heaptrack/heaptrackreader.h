#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace hs {

// Decompresses a recording on a thread of its own, a few chunks ahead of the parser, and cuts
// each chunk into 32-bit tokens: "+ INFO" / "- INFO" lines become (INFO << 2 | 1 for a free),
// any other line (OFFSET << 2 | 2), an event with an index of 2^30 or more included. The parser
// then applies events without reading text, both cores work, and memory stays at a few chunks
// whatever the file's size.
class HeaptrackReader
{
public:
    struct Unit
    {
        // Whole lines. A plain buffer: a std::string would be cleared on every resize, and
        // that is a pass over each chunk for nothing.
        std::unique_ptr<char[]> bytes;
        size_t size = 0;
        size_t capacity = 0;
        std::string_view text() const { return {bytes.get(), size}; }
        // At most one token per byte; left uninitialised so that only what is written is
        // ever touched.
        std::unique_ptr<uint32_t[]> tokens;
        size_t tokenCapacity = 0;
        size_t tokenCount = 0;
        bool tokenized = false; // else the consumer calls tokenize()
    };

    // With `releaseInput`, the bytes are a read-only file mapping whose pages are given back
    // once decompressed, so the compressed file does not stay in memory as a whole.
    HeaptrackReader(std::string_view fileBytes, std::string fileName, bool releaseInput = false);
    ~HeaptrackReader();
    HeaptrackReader(const HeaptrackReader&) = delete;
    HeaptrackReader& operator=(const HeaptrackReader&) = delete;

    // The next lines (replacing `unit`, whose storage is reused); false at the end. Rethrows
    // what the decompressor threw.
    bool next(Unit& unit);
    // Valid once next() is false: empty for a complete stream, else why and where it stopped;
    // and the text after the last newline (a cut line), if any.
    const std::string& truncation() const { return m_truncation; }
    const std::string& cutLine() const { return m_cutLine; }
    uint64_t decompressedBytes() const { return m_decompressed; }
    // Compressed bytes read so far (for progress; any thread).
    uint64_t consumedInput() const { return m_consumed.load(std::memory_order_relaxed); }

    static void tokenize(Unit& unit);

private:
    // Small enough for a chunk and its tokens to stay in the second-level cache.
    static constexpr size_t kChunk = size_t(1) << 19;
    static constexpr size_t kAhead = 4;
    static constexpr size_t kMaxLine = size_t(16) << 20;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Unit> m_ready;
    std::vector<Unit> m_spare;
    bool m_done = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    std::string m_truncation;
    std::string m_cutLine;
    uint64_t m_decompressed = 0;
    std::atomic<uint64_t> m_consumed{0};
    std::thread m_thread;
};

} // namespace hs
