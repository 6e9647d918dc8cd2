#include "agent/store/sessionsharing.h"

#include "agent/store/pgconnection.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

constexpr int kRounds = 3;

// The server session a statement ran in: its process on its server (two servers behind one
// address may hand out the same process id).
Result<QByteArray> serverSession(PgConnection &db)
{
    auto r = db.exec("SELECT pg_backend_pid() || '@' || coalesce(host(inet_server_addr()), "
                     "'local') || ':' || coalesce(inet_server_port(), 0) || '/' || "
                     "pg_postmaster_start_time()");
    if (!r)
        return r.error();
    return r->bytes(0, 0);
}

// One round: true when the two connections were seen sharing a server session. b's open
// transaction pins its server session for the round. BEGIN and ROLLBACK go as plain statements,
// not PgConnection::transaction()'s prepared ones: a session pooler that does not reset its
// server sessions may hand over another client's prepared statement names.
Result<bool> sessionsShared(PgConnection &a, PgConnection &b)
{
    auto before = serverSession(a);
    if (!before)
        return before.error();
    if (auto begun = b.command("BEGIN"); !begun)
        return begun.error();
    auto pinned = serverSession(b);
    auto after = serverSession(a);
    if (auto ended = b.command("ROLLBACK"); !ended)
        return ended.error();
    if (!pinned)
        return pinned.error();
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
        if (!shared)
            return shared.error();
        if (*shared)
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
