#pragma once

#include <QDateTime>
#include <QObject>

class QJsonObject;
class QTimer;
class QWebSocket;

namespace ferry::console {

class ApiClient;

// The agent's live snapshots (wss://…/v1/live, one per second) over QWebSocket, under the same
// TLS policy and pin as the ApiClient; reconnects with backoff while the client is connected.
class LiveFeed final : public QObject
{
    Q_OBJECT
public:
    explicit LiveFeed(ApiClient *client, QObject *parent = nullptr);
    ~LiveFeed() override;

    bool isOpen() const;
    QString status() const { return m_status; }
    QDateTime lastSnapshot() const { return m_last; }

Q_SIGNALS:
    void snapshot(const QJsonObject &snapshot);
    void statusChanged(const QString &status);

private:
    void open();
    void close();
    void scheduleReconnect();
    void setStatus(const QString &status);

    ApiClient *m_client;
    QWebSocket *m_socket;
    QTimer *m_reconnect;
    QString m_status;
    QString m_error;
    QDateTime m_last;
    int m_attempt = 0;
    bool m_wanted = false;
};

} // namespace ferry::console
