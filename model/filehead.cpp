#include "filehead.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hs {

std::optional<std::string> readRegularFileHead(const std::string& path, size_t n)
{
    struct stat st = {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    // O_NONBLOCK: had the path become a FIFO since the stat, opening it must not wait.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::string head(n, '\0');
    size_t got = 0;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        while (got < n) {
            const ssize_t r = ::read(fd, head.data() + got, n - got);
            if (r <= 0)
                break;
            got += static_cast<size_t>(r);
        }
    }
    ::close(fd);
    head.resize(got);
    return head;
}

} // namespace hs
