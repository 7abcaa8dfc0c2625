#pragma once

#include "pickleheap.h"
#include "pickleinput.h"
#include "picklememo.h"
#include "picklevalue.h"
#include "progress.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hs::pickle {

// A restricted unpickler: it builds plain values for pickle protocols 0-5 and never calls
// anything. Only the globals in AllowedGlobal may be named, and objects come into being only in
// the shapes tracemalloc's Snapshot.dump() produces. Every refusal throws hs::Error naming the
// file, the byte offset and the reason. Values are built iteratively; nothing recurses.
class PickleReader
{
public:
    static constexpr size_t kMaxMarks = 64;
    static constexpr size_t kMaxAttributeWrites = 100000;

    // Asked for each item appended to a list; returning true means the caller has taken the
    // item over and the list does not keep it. Lets an importer sum millions of traces as they
    // stream by instead of holding them.
    using AppendFilter = std::function<bool(const Value& list, const Value& item)>;

    // keepAllMemo: see PickleMemo; read() throws PickleMemo::NeedsFullMemo when it is needed.
    PickleReader(std::string_view data, std::string fileName, bool keepAllMemo = false);

    void setAppendFilter(AppendFilter filter) { m_appendFilter = std::move(filter); }
    // Told how far into the bytes the reader is now and then; may throw Cancelled.
    void setProgress(Progress* progress) { m_progress = progress; }

    Value read(); // runs to STOP; the whole input must be consumed

    // PROTO's value, else 1 or 0 by whether binary opcodes occurred.
    int protocol() const { return m_protocol >= 0 ? m_protocol : m_binary ? 1 : 0; }
    const std::string& fileName() const { return m_fileName; }
    const PickleHeap& heap() const { return m_heap; }

    [[noreturn]] void failAt(uint64_t pos, const std::string& reason) const;

private:
    [[noreturn]] void fail(const std::string& reason) const { failAt(m_opStart, reason); }

    void push(const Value& v);
    Value pop();
    Value& top();
    size_t markFloor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    size_t popMark(); // returns the index of the first item above the mark

    Value makeTuple(size_t firstStackIndex);
    Value globalValue(std::string_view module, std::string_view name);
    Value memoGet(uint64_t index);
    void memoPut(uint64_t index);
    uint64_t parseMemoIndex(std::string_view text);
    void appendItems(Value& list, size_t first);
    void setItems(Value& dict, size_t first);
    void build();
    void reduce();

    void run();
    void step(unsigned char op);
    bool fastTrace();
    bool fastFrame();
    void finishPattern(size_t pos); // moves past a matched pattern and a MEMOIZE after it

    PickleInput m_in;
    std::string m_fileName;
    size_t m_opStart = 0;
    int m_protocol = -1;
    bool m_binary = false;
    bool m_stopped = false;

    PickleHeap m_heap;
    std::vector<Value> m_stack;
    std::vector<size_t> m_marks;
    std::optional<PickleMemo> m_memo;
    bool m_keepAllMemo;
    std::optional<Value> m_emptyTuple;
    size_t m_attributeWrites = 0;
    AppendFilter m_appendFilter;
    Progress* m_progress = nullptr;
    uint32_t m_opsSinceReport = 0;
};

} // namespace hs::pickle
