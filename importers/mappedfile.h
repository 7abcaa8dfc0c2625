#pragma once

#include <string>
#include <string_view>

namespace hs {

// A whole input file mapped read-only: the input is never modified and never copied.
class MappedFile
{
public:
    explicit MappedFile(const std::string& path); // throws hs::Error naming the file
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view bytes() const { return {static_cast<const char*>(m_data), m_size}; }

    // Drops the pages before `upTo` from memory; reading them again faults them back in.
    void release(size_t upTo) const;

private:
    void* m_data = nullptr;
    size_t m_size = 0;
};

} // namespace hs
