#include "tests/support/recordingserver.h"

#include "tests/support/testsupport.h"

#include <QHttpServerRequest>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace ferry::test {

bool RecordingServer::start()
{
    m_port = freePort();
    auto *server = new QTcpServer(this);
    if (!server->listen(QHostAddress::LocalHost, m_port))
        return false;
    connect(server, &QTcpServer::pendingConnectionAvailable, this, [this] { ++m_connections; });
    bind(server);
    return true;
}

QString RecordingServer::url(const QString &path) const
{
    return u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path);
}

void RecordingServer::answer(int status, const QByteArray &json)
{
    m_status = status;
    m_body = json;
}

bool RecordingServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Request r{request.url().path(), {}, request.body()};
    for (const auto &[name, value] : request.headers())
        r.headers.insert(name.toLower(), value);
    m_received.append(r);
    socket->write("HTTP/1.1 " + QByteArray::number(m_status) +
                  " X\r\nContent-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(m_body.size()) + "\r\n\r\n" + m_body);
    return true;
}

} // namespace ferry::test
