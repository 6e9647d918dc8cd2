#include "tests/support/rawsocket.h"

#include <QElapsedTimer>
#include <QFile>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

namespace ferry::test {

RawSocket::RawSocket(RawSocket &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_closed(other.m_closed)
{}

RawSocket &RawSocket::operator=(RawSocket &&other) noexcept
{
    if (this != &other) {
        close();
        m_fd = std::exchange(other.m_fd, -1);
        m_closed = other.m_closed;
    }
    return *this;
}

RawSocket::~RawSocket()
{
    close();
}

void RawSocket::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

RawSocket RawSocket::connect(quint16 port, const char *source)
{
    RawSocket s;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return s;
    s.m_fd = fd;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr *>(&remote), sizeof remote) != 0) {
        s.close();
        return s;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return s;
}

bool RawSocket::send(QByteArrayView data)
{
    if (m_fd < 0 || m_closed)
        return false;
    const ssize_t n = ::send(m_fd, data.data(), size_t(data.size()), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        m_closed = true;
        return false;
    }
    return true;
}

bool RawSocket::sendAll(QByteArrayView data, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!data.isEmpty() && m_fd >= 0 && !m_closed && clock.elapsed() < timeoutMs) {
        const ssize_t n = ::send(m_fd, data.data(), size_t(data.size()), MSG_NOSIGNAL);
        if (n > 0) {
            data = data.sliced(n);
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            m_closed = true;
            return false;
        }
        pollfd p{m_fd, POLLOUT, 0};
        ::poll(&p, 1, 50);
    }
    return data.isEmpty();
}

QByteArray RawSocket::read(int timeoutMs, QByteArrayView until)
{
    QByteArray got;
    QElapsedTimer clock;
    clock.start();
    while (m_fd >= 0 && !m_closed && clock.elapsed() <= timeoutMs) {
        if (!until.isEmpty() && got.contains(until))
            break;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, int(std::max<qint64>(1, timeoutMs - clock.elapsed()))) <= 0)
            continue;
        char buffer[65536];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n > 0)
            got.append(buffer, n);
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            m_closed = true;
    }
    return got;
}

bool RawSocket::closedByPeer(int timeoutMs)
{
    if (m_fd < 0 || m_closed)
        return true;
    QElapsedTimer clock;
    clock.start();
    do {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs > 0 ? 20 : 0) > 0) {
            char buffer[65536];
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                m_closed = true;
        }
    } while (!m_closed && clock.elapsed() < timeoutMs);
    return m_closed;
}

qint64 residentBytes(int pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

qint64 raiseFileLimit()
{
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return qint64(limit.rlim_cur);
}

} // namespace ferry::test
