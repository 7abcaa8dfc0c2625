#pragma once

#include "picklememo.h"
#include "picklevalue.h"

#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hs::pickle {

// A restricted unpickler: it builds plain values for pickle protocols 0-5 and never calls
// anything. Only the globals in AllowedGlobal may be named, and objects come into being only in
// the shapes tracemalloc's Snapshot.dump() produces. Every refusal throws hs::Error naming the
// file, the byte offset and the reason. Values are built iteratively; nothing recurses.
class PickleReader
{
public:
    struct Object
    {
        AllowedGlobal cls;
        uint64_t pos;                                    // byte offset where it was created
        std::vector<std::pair<Value, Value>> attributes; // in BUILD order; later ones win
    };

    static constexpr int kMaxDepth = 32;
    static constexpr size_t kMaxMarks = 64;
    static constexpr size_t kMaxLongBytes = 4096;
    static constexpr size_t kMaxAttributeWrites = 100000;

    // Asked for each item appended to a list; returning true means the caller has taken the
    // item over and the list does not keep it. Lets an importer sum millions of traces as they
    // stream by instead of holding them.
    using AppendFilter = std::function<bool(const Value& list, const Value& item)>;
    using Scratch = std::array<Value, 4>;

    PickleReader(std::string_view data, std::string fileName);

    void setAppendFilter(AppendFilter filter) { m_appendFilter = std::move(filter); }

    Value read(); // runs to STOP; the whole input must be consumed

    // PROTO's value, else 1 or 0 by whether binary opcodes occurred.
    int protocol() const { return m_protocol >= 0 ? m_protocol : m_binary ? 1 : 0; }
    size_t tupleCount() const { return m_tuples.size(); }
    size_t stringCount() const { return m_strings.size(); }
    const std::string& fileName() const { return m_fileName; }

    std::string_view str(const Value& v) const { return m_strings[v.ref]; }
    // The items of any tuple kind; inline tuples are expanded into `scratch`.
    std::span<const Value> items(const Value& v, Scratch& scratch) const;
    static size_t tupleSize(const Value& v);
    size_t pooledTupleSize(uint32_t ref) const { return m_tuples[ref].size; }
    // Where a pooled tuple was built; inline tuples report their container's position.
    std::optional<uint64_t> tuplePos(const Value& v) const;
    const std::vector<Value>& containerItems(const Value& v) const { return m_containers[v.ref]; }
    uint64_t containerPos(const Value& v) const { return m_containerPos[v.ref]; }
    const Object& object(const Value& v) const { return m_objects[v.ref]; }
    const Value* attribute(const Object& o, std::string_view name) const;

    [[noreturn]] void failAt(uint64_t pos, const std::string& reason) const;

private:
    struct TupleRec
    {
        uint32_t begin;
        uint32_t size;
        uint64_t pos;
    };

    [[noreturn]] void fail(const std::string& reason) const { failAt(m_opStart, reason); }
    void need(size_t n) const;
    uint64_t readUInt(size_t n);
    std::string_view readBytes(size_t n);
    std::string_view readLine();

    void push(const Value& v);
    Value pop();
    Value& top();
    size_t markFloor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    size_t popMark(); // returns the index of the first item above the mark

    Value makeString(std::string_view bytes, Kind kind);
    Value makeTuple(size_t firstStackIndex);
    Value makeContainer(Kind kind);
    Value makeInt(int64_t v) const { return Value{Kind::Int, 0, 0, 0, v}; }
    Value makeLong(const unsigned char* bytes, size_t n);
    Value parseTextInt(std::string_view text);
    Value globalValue(std::string_view module, std::string_view name);
    Value newObject(AllowedGlobal cls);
    Value memoGet(uint64_t index);
    void memoPut(uint64_t index);
    uint64_t parseMemoIndex(std::string_view text);
    void appendItems(Value& list, size_t first);
    void setItems(Value& dict, size_t first);
    void build();
    void reduce();
    void checkDepth(uint8_t& depth, const Value& child) const;

    void opUnicodeText();
    void opStringText();
    void step(unsigned char op);
    bool fastTrace();

    std::string_view m_data;
    std::string m_fileName;
    size_t m_pos = 0;
    size_t m_opStart = 0;
    int m_protocol = -1;
    bool m_binary = false;
    bool m_stopped = false;

    std::vector<Value> m_stack;
    std::vector<size_t> m_marks;
    std::optional<PickleMemo> m_memo;
    std::optional<Value> m_emptyTuple;
    size_t m_attributeWrites = 0;
    AppendFilter m_appendFilter;
    std::vector<std::string> m_strings;
    std::vector<TupleRec> m_tuples;
    std::vector<Value> m_tupleItems;
    std::vector<std::vector<Value>> m_containers;
    std::vector<uint64_t> m_containerPos;
    std::vector<uint8_t> m_containerDepth;
    std::vector<Object> m_objects;
};

} // namespace hs::pickle
