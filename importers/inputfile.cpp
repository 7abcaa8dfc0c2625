#include "inputfile.h"

#include "hserror.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hs {

namespace {

char g_lastMapped[4096] = {0};

class Descriptor
{
public:
    explicit Descriptor(int fd) : m_fd(fd) {}
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

} // namespace

InputFile::InputFile(const std::string& path, bool populate)
{
    struct stat st = {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw Error(path + ": not a regular file");
    // O_NONBLOCK: a path swapped for a FIFO after the stat must not make the open wait.
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    if (::fstat(fd.get(), &st) != 0)
        throw Error(path + ": cannot read: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw Error(path + ": not a regular file");
    m_size = static_cast<size_t>(st.st_size);
    if (m_size == 0)
        return;
    // Populated up front: one pass over the page cache instead of a fault per page.
    m_data = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0),
                    fd.get(), 0);
    if (m_data == MAP_FAILED) {
        m_data = nullptr;
        throw Error(path + ": cannot map: " + std::strerror(errno));
    }
    const size_t n = std::min(path.size(), sizeof g_lastMapped - 1);
    std::memcpy(g_lastMapped, path.data(), n);
    g_lastMapped[n] = '\0';
}

InputFile::~InputFile()
{
    if (m_data)
        ::munmap(m_data, m_size);
}

const char* InputFile::lastMappedPath()
{
    return g_lastMapped;
}

} // namespace hs
