#pragma once

#include "console/core/tlspolicy.h"

#include <QDateTime>
#include <QObject>

class QJsonObject;
class QSslError;
class QTimer;
class QWebSocket;

namespace ferry::console {

class ApiClient;

// The agent's live snapshots (wss://…/v1/live, one per second) over QWebSocket, under the same
// TLS policy and pin check as the ApiClient's requests (pinVerdict); reconnects with backoff
// while the client is connected, except after a pin mismatch, which stays refused and shown.
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
    PinVerdict pinVerdict(const QList<QSslError> &errors, QString *fingerprint) const;
    void onSslErrors(const QList<QSslError> &errors);
    void refuse(const QString &fingerprint);

    ApiClient *m_client;
    QWebSocket *m_socket;
    QTimer *m_reconnect;
    QString m_status;
    QString m_error;
    QDateTime m_last;
    int m_attempt = 0;
    bool m_wanted = false;
    bool m_refused = false;
};

} // namespace ferry::console
