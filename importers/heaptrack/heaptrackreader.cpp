#include "heaptrackreader.h"

#include "heaptrackstream.h"

namespace hs {

HeaptrackReader::HeaptrackReader(std::string_view fileBytes, std::string fileName)
{
    // The stream is built here so that a file that is no recording fails on the caller's thread.
    auto stream = std::make_shared<HeaptrackStream>(fileBytes, fileName);
    m_thread = std::thread([this, stream] {
        try {
            while (true) {
                std::string chunk;
                {
                    std::unique_lock lock(m_mutex);
                    m_changed.wait(lock, [this] { return m_stop || m_ready.size() < kAhead; });
                    if (m_stop)
                        break;
                    if (!m_spare.empty()) {
                        chunk = std::move(m_spare.back());
                        m_spare.pop_back();
                    }
                }
                chunk.clear();
                const bool more = stream->read(chunk, kChunk);
                std::lock_guard lock(m_mutex);
                if (!chunk.empty())
                    m_ready.push_back(std::move(chunk));
                if (!more) {
                    m_truncation = stream->truncation();
                    break;
                }
                m_changed.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(m_mutex);
            m_error = std::current_exception();
        }
        std::lock_guard lock(m_mutex);
        m_done = true;
        m_changed.notify_all();
    });
}

HeaptrackReader::~HeaptrackReader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

bool HeaptrackReader::next(std::string& chunk)
{
    std::unique_lock lock(m_mutex);
    if (chunk.capacity() > 0)
        m_spare.push_back(std::move(chunk));
    m_changed.notify_all();
    m_changed.wait(lock, [this] { return !m_ready.empty() || m_done; });
    if (!m_ready.empty()) {
        chunk = std::move(m_ready.front());
        m_ready.pop_front();
        m_changed.notify_all();
        return true;
    }
    if (m_error)
        std::rethrow_exception(m_error);
    return false;
}

} // namespace hs
