#pragma once

namespace hs {

// Both executables' handling of fatal signals: an interrupted import leaves no half-written
// file behind, and a mapped input shrinking under the reader (SIGBUS) is reported by name
// instead of crashing.
class SignalGuard
{
public:
    static void install();
};

} // namespace hs
