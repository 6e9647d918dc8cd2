#pragma once

#include "agent/store/pgconnection.h"
#include "agent/store/readmodels/livestore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QWebSocket;

namespace ferry::agent::api {

// The live feed behind GET /v1/live: while anyone listens, one sample of the database per
// second (one set of queries, however many listeners), and to each listener the snapshot its
// token may see. Lives on the API thread and uses its database connection.
class LiveFeed final : public QObject
{
public:
    // `db` answers the API thread's connection, opened, or nullptr when the database is down.
    explicit LiveFeed(std::function<store::PgConnection *()> db, int intervalMs = 1000);
    ~LiveFeed() override;

    // Takes an authenticated WebSocket; `token` is re-checked every 30 s, so a revoked or
    // expired token stops receiving.
    void add(std::unique_ptr<QWebSocket> socket, const QByteArray &token, qint64 tenantId);
    qsizetype listeners() const { return qsizetype(m_clients.size()); }
    // A token was revoked through this agent: listeners whose token no longer works are
    // closed now rather than at the next check.
    void tokensRevoked();

    // The snapshot a token of `tenantId` (0: all tenants) sees, from two consecutive samples.
    static QJsonObject snapshot(const store::LiveSample &now, const store::LiveSample *previous,
                                qint64 tenantId);

private:
    struct Client
    {
        QWebSocket *socket = nullptr; // owned; deleted after it disconnects
        QByteArray token;
        qint64 tenantId = 0;
    };
    void tick();
    void remove(QWebSocket *socket);
    void recheckTokens(store::PgConnection &db);

    std::function<store::PgConnection *()> m_db;
    QTimer m_timer;
    std::vector<Client> m_clients;
    std::optional<store::LiveSample> m_previous;
    int m_ticks = 0;
};

} // namespace ferry::agent::api
