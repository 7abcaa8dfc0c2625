#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <sys/mman.h>
#include <vector>

namespace hs {

// An allocator for the large arrays of an import (memo, value pools, hash tables): blocks of
// 2 MiB and more are mapped 2 MiB-aligned and marked for transparent huge pages, so filling them
// costs a page fault per 2 MiB instead of per 4 KiB. Smaller blocks come from the heap.
template <typename T>
class HugePageAllocator
{
public:
    using value_type = T;
    static constexpr size_t kHuge = size_t(2) << 20;

    HugePageAllocator() = default;
    template <typename U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept
    {}

    T* allocate(size_t n)
    {
        const size_t bytes = n * sizeof(T);
        if (bytes < kHuge)
            return std::allocator<T>().allocate(n);
        const size_t length = roundUp(bytes);
        // Over-map by one huge page to align, then give back the unaligned ends.
        void* raw = ::mmap(nullptr, length + kHuge, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED)
            throw std::bad_alloc();
        auto* base = static_cast<char*>(raw);
        const auto address = reinterpret_cast<uintptr_t>(base);
        char* aligned = base + ((kHuge - address % kHuge) % kHuge);
        if (aligned > base)
            ::munmap(base, static_cast<size_t>(aligned - base));
        const size_t tail = static_cast<size_t>(base + length + kHuge - (aligned + length));
        if (tail > 0)
            ::munmap(aligned + length, tail);
        ::madvise(aligned, length, MADV_HUGEPAGE);
        return reinterpret_cast<T*>(aligned);
    }

    void deallocate(T* p, size_t n) noexcept
    {
        const size_t bytes = n * sizeof(T);
        if (bytes < kHuge)
            std::allocator<T>().deallocate(p, n);
        else
            ::munmap(p, roundUp(bytes));
    }

    template <typename U>
    bool operator==(const HugePageAllocator<U>&) const noexcept
    {
        return true;
    }

private:
    static size_t roundUp(size_t bytes) { return (bytes + kHuge - 1) / kHuge * kHuge; }
};

template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

} // namespace hs
