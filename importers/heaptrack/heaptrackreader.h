#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace hs {

// Decompresses a recording on a thread of its own, a few chunks ahead of the parser, so that
// both cores work and memory stays at a few chunks whatever the file's size.
class HeaptrackReader
{
public:
    HeaptrackReader(std::string_view fileBytes, std::string fileName);
    ~HeaptrackReader();
    HeaptrackReader(const HeaptrackReader&) = delete;
    HeaptrackReader& operator=(const HeaptrackReader&) = delete;

    // The next piece of text (replacing `chunk`, whose storage is reused); false at the end.
    // Rethrows what the decompressor threw.
    bool next(std::string& chunk);
    // Empty for a complete stream, else why and where it stopped; valid once next() is false.
    const std::string& truncation() const { return m_truncation; }

private:
    static constexpr size_t kChunk = size_t(1) << 20;
    static constexpr size_t kAhead = 4;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::string> m_ready;
    std::vector<std::string> m_spare;
    bool m_done = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    std::string m_truncation;
    std::thread m_thread;
};

} // namespace hs
