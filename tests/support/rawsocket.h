#pragma once

#include <QByteArray>
#include <QString>

namespace ferry::test {

// A plain TCP client on a POSIX socket, bound to a chosen loopback source address (the whole
// of 127.0.0.0/8 is this host, so one test can play many clients). No event loop: for hostile
// clients that hold thousands of connections, and for bytes a well-formed client never sends.
class RawSocket
{
public:
    RawSocket() = default;
    RawSocket(RawSocket &&other) noexcept;
    RawSocket &operator=(RawSocket &&other) noexcept;
    ~RawSocket();

    // Connects from `source` to 127.0.0.1:port; invalid() when refused.
    static RawSocket connect(quint16 port, const char *source = "127.0.0.1");
    bool valid() const { return m_fd >= 0; }
    // Sends what the kernel takes now (non-blocking); false once the peer is gone.
    bool send(QByteArrayView data);
    // Sends all of it, waiting for room up to `timeoutMs`; false if the peer went away first.
    bool sendAll(QByteArrayView data, int timeoutMs = 10000);
    // Reads what arrives within `timeoutMs`, until `until` is in it or the peer closed.
    QByteArray read(int timeoutMs, QByteArrayView until = {});
    // True once the peer closed or reset the connection (reading and dropping what it sent).
    bool closedByPeer(int timeoutMs = 0);
    void close();

private:
    int m_fd = -1;
    bool m_closed = false;
};

// Resident memory of a process, in bytes (from /proc/<pid>/status); -1 when unknown.
qint64 residentBytes(int pid);
// Raises this process's open-file limit to its hard limit; returns the new soft limit.
qint64 raiseFileLimit();

} // namespace ferry::test
