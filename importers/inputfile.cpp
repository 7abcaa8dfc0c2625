#include "inputfile.h"

#include "hserror.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hs {

namespace {

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

InputFile::InputFile(const std::string& path)
{
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    struct stat st = {};
    if (::fstat(fd.get(), &st) != 0)
        throw Error(path + ": cannot read: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw Error(path + ": not a regular file");
    const auto expected = static_cast<size_t>(st.st_size);
    m_data = std::make_unique_for_overwrite<char[]>(expected + 1);
    while (m_size < expected) {
        const ssize_t n = ::read(fd.get(), m_data.get() + m_size, expected - m_size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(path + ": cannot read: " + std::strerror(errno));
        if (n == 0)
            break; // the file shrank while being read: parse what there is
        m_size += static_cast<size_t>(n);
    }
}

} // namespace hs
