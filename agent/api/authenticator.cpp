#include "agent/api/authenticator.h"

#include "agent/net/httprequest.h"
#include "agent/store/publicerror.h"

#include <QCryptographicHash>
#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

namespace {

constexpr qsizetype kMaxRecentlyValid = 10000;

// The token of 'Authorization: Bearer <token>'; empty when there is none.
QByteArray bearerToken(const net::HttpRequest &request)
{
    QByteArray auth;
    for (const auto &h : request.headers) {
        if (h.first.compare("authorization", Qt::CaseInsensitive) == 0)
            auth = h.second.trimmed();
    }
    return auth.startsWith("Bearer ") ? auth.mid(7).trimmed() : QByteArray();
}

} // namespace

Authenticator::Authenticator(std::function<store::PgConnection *()> db)
    : m_db(std::move(db))
{}

Result<Authenticator::Caller, Authenticator::Failure>
Authenticator::authenticate(const net::HttpRequest &request)
{
    const QByteArray token = bearerToken(request);
    if (token.isEmpty())
        return Failure{Refusal::NoBearer, {}};
    const QByteArray tokenHash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    const QString from = throttleKey(request.remoteAddress);
    if (m_throttle.throttled(from) && !m_recentlyValid.contains(tokenHash))
        return Failure{Refusal::Throttled, {}};
    auto principal = lookUp(token);
    if (!principal) {
        if (principal.error().message.isEmpty()) // no connection could be opened
            return Failure{Refusal::NoDatabase, {}};
        return Failure{Refusal::NoDatabase,
                       store::publicError(principal.error(), u"api authentication"_s).message};
    }
    if (!*principal) {
        m_throttle.recordFailure(from);
        m_recentlyValid.remove(tokenHash);
        return Failure{Refusal::BadToken, {}};
    }
    if (m_recentlyValid.size() > kMaxRecentlyValid)
        m_recentlyValid.clear();
    m_recentlyValid.insert(tokenHash);
    return Caller{token, **principal};
}

// The token's principal. Authentication is the first statement of every request, so a
// connection that the server dropped while it sat idle (a restart, a failover) is found here:
// the lookup, a read, runs once more on a fresh connection before the request is refused.
Result<std::optional<store::ApiPrincipal>> Authenticator::lookUp(const QByteArray &token)
{
    for (int attempt = 0;; ++attempt) {
        store::PgConnection *db = m_db();
        if (!db)
            return Error{};
        auto principal = store::ApiTokenStore(*db).authenticate(token);
        if (principal || !principal.error().connectionLost)
            return principal;
        db->close();
        if (attempt == 1)
            return principal;
    }
}

QString Authenticator::throttleKey(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 ipv4 = address.toIPv4Address(&v4); // also an IPv4-mapped IPv6 address
    if (v4)
        return QHostAddress(ipv4).toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    std::fill(bytes.c + 8, bytes.c + 16, quint8(0));
    return QHostAddress(bytes).toString() + u"/64"_s;
}

} // namespace ferry::agent::api
