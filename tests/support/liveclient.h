#pragma once

// A WebSocket client of the API's live feed (wss://…/v1/live) for tests: trusts the test CA,
// sends the bearer token in the handshake, and collects the snapshots it receives.
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTest>
#include <QWebSocket>

namespace ferry::test {

class LiveClient
{
public:
    LiveClient(quint16 port, const QByteArray &token, const QString &caFile,
               const QString &path = QStringLiteral("/v1/live"))
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(caFile));
        m_socket.setSslConfiguration(tls);
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                         [this](const QString &text) {
                             raw.append(text);
                             messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
                         });
        QObject::connect(&m_socket, &QWebSocket::connected, &m_socket, [this] { opened = true; });
        QObject::connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error),
                         &m_socket, [this] { errors.append(m_socket.errorString()); });
        QObject::connect(&m_socket, &QWebSocket::sslErrors, &m_socket,
                         [this](const QList<QSslError> &e) {
                             for (const auto &x : e)
                                 errors.append(x.errorString());
                         });
        QObject::connect(&m_socket, &QWebSocket::disconnected, &m_socket, [this] {
            closed = true;
            closeCode = int(m_socket.closeCode());
            closeReason = m_socket.closeReason();
        });
        QNetworkRequest request(QUrl(QStringLiteral("wss://127.0.0.1:%1%2").arg(port).arg(path)));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        m_socket.open(request);
    }

    // Waits until `count` messages arrived or the server closed; true when they arrived.
    bool waitForMessages(int count, int timeoutMs = 20000)
    {
        (void)QTest::qWaitFor([&] { return messages.size() >= count || closed; }, timeoutMs);
        return messages.size() >= count;
    }
    bool waitForClose(int timeoutMs = 20000)
    {
        return QTest::qWaitFor([&] { return closed; }, timeoutMs);
    }
    void close() { m_socket.close(); }

    QList<QJsonObject> messages;
    QStringList raw;
    bool opened = false;
    bool closed = false;
    int closeCode = 0;
    QString closeReason;
    QStringList errors; // what went wrong on the client's side

private:
    QWebSocket m_socket;
};

} // namespace ferry::test
