#pragma once

#include "agent/store/admin/apitokenstore.h"
#include "agent/store/pgconnection.h"
#include "shared/result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QString>

#include <functional>

class QHttpServerRequest;

namespace ferry::agent::api {

// The one authentication step of the API, for HTTP requests and WebSocket handshakes alike:
// the bearer token → its principal. An address that sent too many bad tokens is refused for a
// minute, except with a token that worked lately (so guessing from one address cannot lock
// out the people behind it).
class Authenticator
{
public:
    struct Caller
    {
        QByteArray token;
        store::ApiPrincipal who;
    };
    enum class Refusal {
        NoBearer,   // no 'Authorization: Bearer …' header
        Throttled,  // too many bad tokens from this address lately
        NoDatabase, // the token could not be checked
        BadToken    // unknown, expired or revoked
    };
    struct Failure
    {
        Refusal refusal;
        QString storeMessage; // NoDatabase: the store's error, if it got that far
    };

    // `db` answers the API thread's connection, opened, or nullptr when the database is down.
    explicit Authenticator(std::function<store::PgConnection *()> db);

    Result<Caller, Failure> authenticate(const QHttpServerRequest &request);

private:
    bool throttled(const QString &from);
    void recordFailure(const QString &from);

    std::function<store::PgConnection *()> m_db;
    QHash<QString, std::pair<int, QElapsedTimer>> m_failures; // by address
    QSet<QByteArray> m_recentlyValid;                         // token hashes
};

} // namespace ferry::agent::api
