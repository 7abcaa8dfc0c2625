#pragma once

#include "picklememoscan.h"
#include "picklevalue.h"

#include <atomic>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hs::pickle {

// The unpickler's memo. A snapshot memoises millions of tuples and reads back only a few
// thousand (its tracebacks and filenames), so values are kept only for the indices the pickle
// reads. Which those are, a PickleMemoScan finds on a second core while the reader runs; until
// it is done every value is kept, then the memo compacts itself.
class PickleMemo
{
public:
    explicit PickleMemo(std::string_view data);
    ~PickleMemo();
    PickleMemo(const PickleMemo&) = delete;
    PickleMemo& operator=(const PickleMemo&) = delete;

    // MEMOIZE's index: how many distinct keys are set, as len(memo) in Python.
    uint64_t nextIndex() const { return m_dense + m_above.size(); }
    void put(uint64_t index, const Value& value);
    const Value* find(uint64_t index) const; // nullptr: never written (or never read back)

    // Blocks until the scan is done; the next put() then compacts. For tests.
    void waitForScan()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    static constexpr uint8_t kUnset = 0xFF; // a Value depth no real value has

    void compact();

    uint64_t m_dense = 0;                 // keys 0 .. m_dense-1 are set
    std::unordered_set<uint64_t> m_above; // set keys beyond those

    bool m_compacted = false;
    std::vector<Value> m_provisional;             // before compaction: every value, by index
    std::vector<Value> m_slots;                   // after: values of read indices, by scan slot
    std::unordered_map<uint64_t, Value> m_sparse; // indices outside the dense ranges

    std::optional<PickleMemoScan> m_scan;
    std::atomic<bool> m_scanned{false};
    std::jthread m_thread; // last: joined before the members it writes are destroyed
};

} // namespace hs::pickle
