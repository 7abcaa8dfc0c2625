#pragma once

#include "hugepageallocator.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace hs {

// A growable array in fixed blocks: growing never copies the elements nor holds two copies of
// them at once, and the unused tail is at most one block. For the tables an import fills
// without knowing their final size. Blocks of 2 MiB or more are huge pages: filling one is a
// page fault, not 512.
template <typename T, size_t BlockBits = 14>
class ChunkedVector
{
public:
    static constexpr size_t kBlock = size_t(1) << BlockBits;

    ChunkedVector() = default;
    ChunkedVector(ChunkedVector&& other) noexcept
        : m_blocks(std::move(other.m_blocks)), m_size(other.m_size)
    {
        other.m_blocks.clear();
        other.m_size = 0;
    }
    ChunkedVector& operator=(ChunkedVector&& other) noexcept
    {
        if (this != &other) {
            clear();
            m_blocks = std::move(other.m_blocks);
            m_size = other.m_size;
            other.m_blocks.clear();
            other.m_size = 0;
        }
        return *this;
    }
    ChunkedVector(const ChunkedVector&) = delete;
    ChunkedVector& operator=(const ChunkedVector&) = delete;
    ~ChunkedVector() { clear(); }

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    T& operator[](size_t i) { return m_blocks[i >> BlockBits][i & (kBlock - 1)]; }
    const T& operator[](size_t i) const { return m_blocks[i >> BlockBits][i & (kBlock - 1)]; }
    T& back() { return (*this)[m_size - 1]; }

    void push_back(const T& value)
    {
        if ((m_size & (kBlock - 1)) == 0 && (m_size >> BlockBits) == m_blocks.size()) {
            m_blocks.reserve(m_blocks.size() + 1);
            T* block = HugePageAllocator<T>().allocate(kBlock);
            std::uninitialized_value_construct_n(block, kBlock);
            m_blocks.push_back(block);
        }
        (*this)[m_size++] = value;
    }

    // Every element set to `value`, the size unchanged.
    void fill(const T& value)
    {
        for (size_t i = 0; i < m_size; ++i)
            (*this)[i] = value;
    }

    void clear()
    {
        for (T* block : m_blocks) {
            std::destroy_n(block, kBlock);
            HugePageAllocator<T>().deallocate(block, kBlock);
        }
        m_blocks.clear();
        m_size = 0;
    }

private:
    std::vector<T*> m_blocks;
    size_t m_size = 0;
};

} // namespace hs
