#include "mappedfile.h"

#include "hserror.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hs {

MappedFile::MappedFile(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    struct stat st = {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throw Error(path + ": cannot read: " + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path + ": not a regular file");
    }
    m_size = static_cast<size_t>(st.st_size);
    if (m_size > 0) {
        m_data = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m_data == MAP_FAILED) {
            const int err = errno;
            m_data = nullptr;
            ::close(fd);
            throw Error(path + ": cannot map: " + std::strerror(err));
        }
        ::madvise(m_data, m_size, MADV_SEQUENTIAL | MADV_WILLNEED);
    }
    ::close(fd);
}

void MappedFile::release(size_t upTo) const
{
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const size_t length = std::min(upTo, m_size) / page * page;
    if (m_data && length > 0)
        ::madvise(m_data, length, MADV_DONTNEED);
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(m_data, m_size);
}

} // namespace hs
