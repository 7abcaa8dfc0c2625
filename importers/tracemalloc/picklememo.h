#pragma once

#include "hugepageallocator.h"
#include "picklevalue.h"

#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hs::pickle {

// The unpickler's memo. A snapshot memoises a tuple for every frame and every trace (millions)
// and reads back only its tracebacks and file names. So, optimistically, frame and trace values
// (PairTuple, TraceTuple*) are not kept, only the fact that their index is set; reading one back
// throws NeedsFullMemo, and the caller reads the pickle again with keepAll. CPython's
// Snapshot.dump() never reads them back; a hand-made pickle that shares a frame tuple may.
class PickleMemo
{
public:
    struct NeedsFullMemo
    {};

    explicit PickleMemo(bool keepAll, size_t expectedEntries = 0);

    // MEMOIZE's index: how many distinct keys are set, as len(memo) in Python.
    uint64_t nextIndex() const { return m_dense.size() + m_sparse.size(); }
    void put(uint64_t index, const Value& value);
    const Value* find(uint64_t index) const; // nullptr: never written

private:
    static constexpr uint32_t kDropped = UINT32_MAX;

    bool m_keepAll;
    HugeVector<uint32_t> m_dense;                 // keys 0..n-1: slot in m_values, or kDropped
    HugeVector<Value> m_values;                   // the values kept
    std::unordered_map<uint64_t, Value> m_sparse; // keys set beyond the dense part
};

} // namespace hs::pickle
