#pragma once

namespace hs {

// The window and the exports live in a second executable, heapscope-gui, beside heapscope:
// the command line's import and stats then never load Qt's GUI libraries (about 9 MiB of
// resident memory and a few dozen shared objects), and heapscope hands over to it with exec.
class GuiLauncher
{
public:
    // True when a window can be shown: a display, or a Qt platform chosen explicitly.
    static bool hasDisplay();
    // Replaces this process with heapscope-gui and the same arguments; returns only on
    // failure, having said why.
    static int exec(char** argv);
};

} // namespace hs
