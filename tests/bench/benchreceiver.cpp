#include "tests/bench/benchreceiver.h"

#include "tests/bench/benchsupport.h"

#include "shared/webhooksignature.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace ferry::bench {

Result<void> BenchReceiver::start(quint16 port)
{
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_listen, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::listen(m_listen, 1024) != 0)
        return makeError(u"the receiver cannot listen on 127.0.0.1:%1: %2"_s.arg(port).arg(
            QString::fromLocal8Bit(std::strerror(errno))));
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_listen;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_listen, &ev);
    m_thread = std::thread([this] { run(); });
    return {};
}

void BenchReceiver::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
    for (auto &[fd, conn] : m_conns)
        ::close(fd);
    m_conns.clear();
    if (m_epoll >= 0)
        ::close(std::exchange(m_epoll, -1));
    if (m_listen >= 0)
        ::close(std::exchange(m_listen, -1));
}

QHash<QByteArray, qint64> BenchReceiver::takeArrivals()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_arrivals, {});
}

bool BenchReceiver::waitForValid(qint64 count, milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_arrived.wait_for(lock, timeout, [&] { return m_valid.load() >= count; });
}

void BenchReceiver::run()
{
    std::vector<epoll_event> events(256);
    while (!m_stop.load()) {
        const int n = ::epoll_wait(m_epoll, events.data(), int(events.size()), 100);
        const qint64 before = m_valid.load();
        for (int i = 0; i < n; ++i) {
            const int fd = events[size_t(i)].data.fd;
            if (fd == m_listen) {
                acceptAll();
                continue;
            }
            const auto it = m_conns.find(fd);
            if (it != m_conns.end())
                onEvent(*it->second, events[size_t(i)].events);
        }
        if (m_valid.load() != before) {
            std::lock_guard lock(m_mutex); // a waiter between its check and its wait sees this
            m_arrived.notify_all();
        }
    }
}

void BenchReceiver::acceptAll()
{
    for (;;) {
        const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto conn = std::make_unique<Conn>();
        conn->fd = fd;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        m_conns.emplace(fd, std::move(conn));
        ++m_accepted;
    }
}

void BenchReceiver::onEvent(Conn &c, quint32 events)
{
    const int fd = c.fd;
    if ((events & EPOLLOUT) && !flush(c))
        return closeConn(fd);
    if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        return;
    const bool open = readAll(c);
    if (!serve(c) || !open)
        closeConn(fd);
}

// Reads what the socket has; false when the peer closed or failed.
bool BenchReceiver::readAll(Conn &c)
{
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::recv(c.fd, buffer, sizeof buffer, 0);
        if (got > 0) {
            c.in.append(buffer, got);
            continue;
        }
        return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

// Answers every complete request in the buffer; false on a malformed one.
bool BenchReceiver::serve(Conn &c)
{
    static const QByteArray ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    static const QByteArray bad = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n";
    qsizetype used = 0;
    for (;;) {
        Request r;
        const qsizetype length = parse(c.in, used, &r);
        if (length < 0)
            return false;
        if (length == 0)
            break;
        used += length;
        const qint64 arrival = wallMicros();
        const bool valid =
            WebhookSignature::verify(m_secret, r.id, r.timestamp, r.body, r.signature,
                                     arrival / 1'000'000) == WebhookSignature::Verdict::Valid;
        if (valid)
            count(r, arrival);
        else
            ++m_bad;
        c.out += valid ? ok : bad;
    }
    c.in.remove(0, used);
    return c.out.isEmpty() || flush(c);
}

void BenchReceiver::count(const Request &r, qint64 arrival)
{
    if (m_trackIds.load()) {
        const qsizetype before = m_seen.size();
        m_seen.insert(r.id);
        if (m_seen.size() == before)
            ++m_duplicates;
    } else if (!m_seen.isEmpty()) {
        m_seen.clear();
    }
    if (m_recording.load()) {
        std::lock_guard lock(m_mutex);
        m_arrivals.insert(r.id, arrival); // keeps the first: a duplicate is not a delivery
    }
    ++m_valid;
}

// The length of a complete request at `from` in `in`, 0 while incomplete, -1 when it is not a
// request with a Content-Length body.
qsizetype BenchReceiver::parse(const QByteArray &in, qsizetype from, Request *r)
{
    const qsizetype headEnd = in.indexOf("\r\n\r\n", from);
    if (headEnd < 0)
        return in.size() - from > 65536 ? -1 : 0;
    qsizetype length = -1;
    for (const QByteArray &line : in.mid(from, headEnd - from).split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "webhook-id")
            r->id = value;
        else if (name == "webhook-timestamp")
            r->timestamp = value;
        else if (name == "webhook-signature")
            r->signature = value;
    }
    if (length < 0 || in.mid(from, 5) != "POST ")
        return -1;
    if (in.size() < headEnd + 4 + length)
        return 0;
    r->body = in.mid(headEnd + 4, length);
    return headEnd + 4 + length - from;
}

// Writes what the socket takes; waits for EPOLLOUT only when it takes less.
bool BenchReceiver::flush(Conn &c)
{
    while (!c.out.isEmpty()) {
        const ssize_t n = ::send(c.fd, c.out.constData(), size_t(c.out.size()), MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0)
            return false;
        c.out.remove(0, n);
    }
    if (c.wantsOut != !c.out.isEmpty()) {
        c.wantsOut = !c.out.isEmpty();
        epoll_event ev{};
        ev.events = c.wantsOut ? EPOLLIN | EPOLLOUT : EPOLLIN;
        ev.data.fd = c.fd;
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
    }
    return true;
}

void BenchReceiver::closeConn(int fd)
{
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    m_conns.erase(fd);
}

} // namespace ferry::bench
