#pragma once

#include "picklecodes.h"

#include <cstdint>

namespace hs::pickle {

// Matches an opcode sequence at a byte position without moving the reader, so that the common
// shapes of a dump can be taken in one step (with exactly the effect of stepping them).
struct OpcodePattern
{
    const unsigned char* p;
    const unsigned char* end;

    bool op(unsigned char code)
    {
        if (p == end || *p != code)
            return false;
        ++p;
        return true;
    }
    bool smallInt(int64_t& v)
    {
        if (end - p >= 2 && p[0] == BININT1) {
            v = p[1];
            p += 2;
        } else if (end - p >= 3 && p[0] == BININT2) {
            v = p[1] | p[2] << 8;
            p += 3;
        } else if (end - p >= 5 && p[0] == BININT) {
            v = static_cast<int32_t>(p[1] | p[2] << 8 | p[3] << 16 | uint32_t(p[4]) << 24);
            p += 5;
        } else {
            return false;
        }
        return true;
    }
    bool get(uint64_t& index)
    {
        if (end - p >= 2 && p[0] == BINGET) {
            index = p[1];
            p += 2;
        } else if (end - p >= 5 && p[0] == LONG_BINGET) {
            index = p[1] | p[2] << 8 | p[3] << 16 | uint64_t(p[4]) << 24;
            p += 5;
        } else {
            return false;
        }
        return true;
    }
};

} // namespace hs::pickle
