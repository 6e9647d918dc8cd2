#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace ferry::test {

// A local HTTP server that records every request and answers each with one configured
// response: a receiver of provider callbacks, or a stand-in for one endpoint of a provider.
class RecordingServer final : public QAbstractHttpServer
{
public:
    struct Request
    {
        QString path;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };

    // Listens on 127.0.0.1 on a free port.
    bool start();
    quint16 port() const { return m_port; }
    QString url(const QString &path) const;
    // The answer to every request from now on (default: 200 with no body).
    void answer(int status, const QByteArray &json);
    const QList<Request> &received() const { return m_received; }
    // How many TCP connections clients opened.
    int connections() const { return m_connections; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    QList<Request> m_received;
    quint16 m_port = 0;
    int m_connections = 0;
    int m_status = 200;
    QByteArray m_body;
};

} // namespace ferry::test
