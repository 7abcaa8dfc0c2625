#pragma once

#include <atomic>
#include <cstdint>

namespace hs {

// Thrown out of a long task whose Progress was cancelled.
struct Cancelled
{};

// How far a long task (an import, a save) has come, shared between the worker doing it and
// the window showing it: the worker reports, the window polls and may cancel. Lock-free, so
// reporting costs a few stores.
class Progress
{
public:
    // `stage` must outlive the task (a string literal).
    void setStage(const char* stage, uint64_t total = 0)
    {
        m_done.store(0, std::memory_order_relaxed);
        m_total.store(total, std::memory_order_relaxed);
        m_stage.store(stage, std::memory_order_release);
        check();
    }
    // Reports `done` of the stage's total, and throws Cancelled if cancel() was called.
    void advance(uint64_t done)
    {
        m_done.store(done, std::memory_order_relaxed);
        check();
    }
    void check() const
    {
        if (m_cancelled.load(std::memory_order_relaxed))
            throw Cancelled{};
    }

    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    const char* stage() const { return m_stage.load(std::memory_order_acquire); }
    // 0..1, or -1 when the stage has no known total.
    double fraction() const
    {
        const uint64_t total = m_total.load(std::memory_order_relaxed);
        if (total == 0)
            return -1;
        const uint64_t done = m_done.load(std::memory_order_relaxed);
        return done >= total ? 1.0 : double(done) / double(total);
    }

private:
    std::atomic<const char*> m_stage{"starting"};
    std::atomic<uint64_t> m_done{0}, m_total{0};
    std::atomic<bool> m_cancelled{false};
};

} // namespace hs
