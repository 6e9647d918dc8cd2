#pragma once

#include "agent/api/loginthrottle.h"
#include "agent/store/admin/apitokenstore.h"
#include "agent/store/pgconnection.h"
#include "shared/result.h"

#include <QSet>
#include <QString>

#include <functional>

class QHostAddress;

namespace ferry::agent::net {
struct HttpRequest;
}

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
        QString storeMessage; // NoDatabase: what a client may be told (store::publicError())
    };

    // `db` answers the API thread's connection, opened, or nullptr when the database is down.
    explicit Authenticator(std::function<store::PgConnection *()> db);

    Result<Caller, Failure> authenticate(const net::HttpRequest &request);

    // Whom the throttle counts: an IPv4 address, or an IPv6 address's /64 (one host's usual
    // share), so that one host cannot spread its guesses over its addresses.
    static QString throttleKey(const QHostAddress &address);

private:
    // An error with an empty message: no connection could be opened.
    Result<std::optional<store::ApiPrincipal>> lookUp(const QByteArray &token);

    std::function<store::PgConnection *()> m_db;
    LoginThrottle m_throttle;
    QSet<QByteArray> m_recentlyValid; // token hashes
};

} // namespace ferry::agent::api
