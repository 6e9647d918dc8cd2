#include "agent/store/sessionsharing.h"

#include "agent/store/pgconnection.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

constexpr int kRounds = 3;

// A prepared statement of this connection that its session lacks, or one of another
// connection's names already there: the session is someone else's too.
bool foreignSessionState(const Error &e)
{
    return e.sqlState == "42P05" || e.sqlState == "26000";
}

Result<int> backendPid(PgConnection &db)
{
    auto r = db.exec("SELECT pg_backend_pid()");
    if (!r)
        return r.error();
    return int(r->int64(0, 0));
}

// One round: true when the two connections were seen sharing a server session.
Result<bool> sessionsShared(PgConnection &a, PgConnection &b)
{
    auto before = backendPid(a);
    if (!before)
        return before.error();
    auto tx = b.transaction(); // pins b's server session until the end of the round
    if (!tx)
        return tx.error();
    auto pinned = backendPid(b);
    if (!pinned)
        return pinned.error();
    auto after = backendPid(a);
    if (!after)
        return after.error();
    return *pinned == *before || *after != *before;
}

} // namespace

Result<void> refuseSharedSessions(const QString &url, int connectTimeoutSeconds)
{
    PgConnection a;
    PgConnection b;
    if (auto opened = a.open(url, connectTimeoutSeconds); !opened)
        return opened.error();
    if (auto opened = b.open(url, connectTimeoutSeconds); !opened)
        return opened.error();
    for (int round = 0; round < kRounds; ++round) {
        auto shared = round % 2 == 0 ? sessionsShared(a, b) : sessionsShared(b, a);
        if (!shared && !foreignSessionState(shared.error()))
            return shared.error();
        if (!shared || *shared)
            return makeError(
                u"the database connections of this agent share server sessions: a connection "
                "pooler in transaction or statement pooling mode is in between (database.url). "
                "The agent needs a session of its own per connection (LISTEN, advisory locks, "
                "prepared statements): set pool_mode = session for its database in the pooler, "
                "or connect to PostgreSQL directly (docs/operations.md, 'Connection pooling')"_s);
    }
    return {};
}

} // namespace ferry::agent::store
