#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace hs {

// SHA-256 (FIPS 180-4) of a stream of bytes, for the digest a store keeps of each input. Uses
// the CPU's SHA instructions where there are some (about eight times faster than portable code:
// an import's digest then costs little of the core the parser shares with it).
class Sha256
{
public:
    // With `portable`, the instructions are not used even if the CPU has them (for the tests).
    explicit Sha256(bool portable = false);

    void addData(const void* data, size_t size);
    // The digest as 64 lower-case hex digits; the object is spent afterwards.
    std::string hexResult();

    // Whether this CPU has the SHA instructions that addData() then uses.
    static bool hasShaInstructions();

private:
    using Block = void (*)(uint32_t* state, const unsigned char* blocks, size_t count);
    std::array<uint32_t, 8> m_state;
    std::array<unsigned char, 64> m_pending{};
    size_t m_pendingSize = 0;
    uint64_t m_length = 0;
    Block m_block;
};

} // namespace hs
