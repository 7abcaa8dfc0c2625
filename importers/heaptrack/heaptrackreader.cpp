#include "heaptrackreader.h"

#include "heaptrackstream.h"
#include "heaptracktokenizer.h"
#include "hserror.h"
#include "mappedpages.h"

#include <cstring>

namespace hs {

void HeaptrackReader::tokenize(Unit& unit)
{
    // Every line has at least its newline: at most one token per byte, written through a
    // pointer without a capacity check per line.
    const std::string_view text = unit.text();
    if (unit.tokenCapacity < text.size() + 1) {
        unit.tokenCapacity = text.size() + 1;
        unit.tokens.reset(new uint32_t[unit.tokenCapacity]);
    }
    unit.tokenCount = HeaptrackTokenizer::tokenize(text, unit.tokens.get());
    unit.tokenized = true;
}

HeaptrackReader::HeaptrackReader(std::string_view fileBytes, std::string fileName,
                                 bool releaseInput)
{
    // The stream is built here so that a file that is no recording fails on the caller's thread.
    auto stream = std::make_shared<HeaptrackStream>(fileBytes, fileName);
    m_thread = std::thread([this, stream, fileBytes, releaseInput, fileName] {
        std::string carry; // the start of a line that continues in the next chunk
        size_t released = 0;
        try {
            while (true) {
                Unit unit;
                {
                    std::unique_lock lock(m_mutex);
                    m_changed.wait(lock, [this] { return m_stop || m_ready.size() < kAhead; });
                    if (m_stop)
                        break;
                    if (!m_spare.empty()) {
                        unit = std::move(m_spare.back());
                        m_spare.pop_back();
                    }
                }
                if (unit.capacity < carry.size() + kChunk) {
                    unit.capacity = carry.size() + kChunk;
                    unit.bytes.reset(new char[unit.capacity]);
                }
                std::memcpy(unit.bytes.get(), carry.data(), carry.size());
                size_t produced = 0;
                const bool more = stream->read(unit.bytes.get() + carry.size(), kChunk, produced);
                unit.size = carry.size() + produced;
                m_consumed.store(stream->consumed(), std::memory_order_relaxed);
                if (releaseInput && stream->consumed() > released + kChunk) {
                    releaseMappedPages(fileBytes.data() + released,
                                       fileBytes.data() + stream->consumed());
                    released = stream->consumed();
                }
                const size_t whole = unit.text().rfind('\n') + 1; // 0 when there is no newline
                carry.assign(unit.text().substr(whole));
                // heaptrack's longest lines are symbol names of some kilobytes: text without a
                // newline for this long is not a recording, and must not grow without bound.
                if (carry.size() > kMaxLine)
                    throw Error(fileName + ": not a heaptrack recording (a line longer than " +
                                std::to_string(kMaxLine >> 20) + " MiB after byte " +
                                std::to_string(m_decompressed) + " of the text)");
                unit.size = whole;
                // Whoever is ahead cuts the lines into tokens: this thread while the parser has
                // work queued, else the parser, so that both cores stay busy.
                bool parserBusy;
                {
                    std::lock_guard lock(m_mutex);
                    parserBusy = !m_ready.empty();
                }
                unit.tokenized = false;
                if (parserBusy)
                    tokenize(unit);
                std::lock_guard lock(m_mutex);
                m_decompressed += whole;
                if (unit.size > 0)
                    m_ready.push_back(std::move(unit));
                if (!more) {
                    m_truncation = stream->truncation();
                    m_cutLine = carry;
                    m_decompressed += carry.size();
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

bool HeaptrackReader::next(Unit& unit)
{
    std::unique_lock lock(m_mutex);
    if (unit.capacity > 0)
        m_spare.push_back(std::move(unit));
    m_changed.notify_all();
    m_changed.wait(lock, [this] { return !m_ready.empty() || m_done; });
    if (!m_ready.empty()) {
        unit = std::move(m_ready.front());
        m_ready.pop_front();
        m_changed.notify_all();
        return true;
    }
    if (m_error)
        std::rethrow_exception(m_error);
    return false;
}

} // namespace hs
