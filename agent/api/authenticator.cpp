#include "agent/api/authenticator.h"

#include <QCryptographicHash>
#include <QHttpServerRequest>

namespace ferry::agent::api {

namespace {

constexpr qint64 kThrottleMs = 60000;
constexpr int kMaxFailures = 10;
constexpr qsizetype kMaxRecentlyValid = 10000;

// The token of 'Authorization: Bearer <token>'; empty when there is none.
QByteArray bearerToken(const QHttpServerRequest &request)
{
    QByteArray auth;
    for (const auto &h : request.headers()) {
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
Authenticator::authenticate(const QHttpServerRequest &request)
{
    const QByteArray token = bearerToken(request);
    if (token.isEmpty())
        return Failure{Refusal::NoBearer, {}};
    const QByteArray tokenHash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    const QString from = request.remoteAddress().toString();
    if (throttled(from) && !m_recentlyValid.contains(tokenHash))
        return Failure{Refusal::Throttled, {}};
    store::PgConnection *db = m_db();
    if (!db)
        return Failure{Refusal::NoDatabase, {}};
    auto principal = store::ApiTokenStore(*db).authenticate(token);
    if (!principal) {
        if (principal.error().connectionLost)
            db->close();
        return Failure{Refusal::NoDatabase, principal.error().message};
    }
    if (!*principal) {
        recordFailure(from);
        m_recentlyValid.remove(tokenHash);
        return Failure{Refusal::BadToken, {}};
    }
    if (m_recentlyValid.size() > kMaxRecentlyValid)
        m_recentlyValid.clear();
    m_recentlyValid.insert(tokenHash);
    return Caller{token, **principal};
}

bool Authenticator::throttled(const QString &from)
{
    auto it = m_failures.find(from);
    if (it == m_failures.end())
        return false;
    if (it->second.elapsed() > kThrottleMs) {
        m_failures.erase(it);
        return false;
    }
    return it->first >= kMaxFailures;
}

void Authenticator::recordFailure(const QString &from)
{
    auto &entry = m_failures[from];
    if (!entry.second.isValid() || entry.second.elapsed() > kThrottleMs) {
        entry.first = 0;
        entry.second.start();
    }
    ++entry.first;
}

} // namespace ferry::agent::api
