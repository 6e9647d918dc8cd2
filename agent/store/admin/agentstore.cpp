#include "agent/store/admin/agentstore.h"

#include "agent/store/upkeep/maintenancestore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// The singleton jobs by the key of their advisory lock (MaintenanceStore::Lock, Migrator).
QString jobOfLock(qint64 key)
{
    switch (key) {
    case qint64(MaintenanceStore::Lock::Retention):
        return u"retention"_s;
    case qint64(MaintenanceStore::Lock::Reconcile):
        return u"reconcile"_s;
    case qint64(MaintenanceStore::Lock::LeaseRescue):
        return u"lease-rescue"_s;
    case 7316001: // Migrator's
        return u"migrations"_s;
    default:
        return {};
    }
}

// An agent is alive while its heartbeat is younger than kMissedBeats of its own intervals;
// only then are its sessions' locks its own (a dead agent's process ids may be reused).
constexpr const char *kListSql =
    "SELECT a.id, a.host, a.version, a.pid, a.started_at, a.heartbeat_at, a.heartbeat_ms,"
    "  coalesce(a.http_listen, ''), coalesce(a.api_listen, ''), x.alive,"
    "  extract(epoch FROM (CASE WHEN x.alive THEN now() ELSE a.heartbeat_at END)"
    "    - a.started_at)::bigint,"
    "  greatest(extract(epoch FROM now() - a.heartbeat_at), 0)::bigint,"
    "  CASE WHEN x.alive THEN array_to_string(ARRAY("
    "    SELECT DISTINCT (l.classid::bigint << 32) | l.objid::bigint FROM pg_locks l"
    "    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
    "      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    "      AND l.pid = ANY (a.session_pids)), ',') ELSE '' END "
    "FROM agents a CROSS JOIN LATERAL (SELECT a.heartbeat_at > now() - a.heartbeat_ms * $1::int"
    "  * interval '1 millisecond' AS alive) x "
    "ORDER BY a.started_at, a.id";

AgentRow agentAt(const PgResult &r, int i)
{
    AgentRow a;
    a.id = r.text(i, 0);
    a.host = r.text(i, 1);
    a.version = r.text(i, 2);
    a.pid = r.int64(i, 3);
    a.startedAt = r.timestamp(i, 4);
    a.heartbeatAt = r.timestamp(i, 5);
    a.heartbeatMs = r.int64(i, 6);
    a.httpListen = r.text(i, 7);
    a.apiListen = r.text(i, 8);
    a.alive = r.boolean(i, 9);
    a.uptimeSeconds = std::max<qint64>(0, r.int64(i, 10));
    a.silentSeconds = r.int64(i, 11);
    for (const QString &key : r.text(i, 12).split(u',', Qt::SkipEmptyParts)) {
        if (const QString job = jobOfLock(key.toLongLong()); !job.isEmpty())
            a.jobs.append(job);
    }
    a.jobs.sort();
    return a;
}

QByteArray optional(const QString &s)
{
    return s.isEmpty() ? QByteArray() : s.toUtf8();
}

} // namespace

AgentStore::AgentStore(PgConnection &db)
    : m_db(db)
{}

Result<void> AgentStore::beat(const AgentRegistration &self, const QList<int> &sessionPids)
{
    QList<qint64> pids;
    for (const int pid : sessionPids)
        pids.append(pid);
    auto r = m_db.command(
        "INSERT INTO agents AS a (id, host, version, pid, started_at, heartbeat_ms, http_listen,"
        "  api_listen, session_pids) "
        "VALUES ($1, $2, $3, $4, now() - $5::bigint * interval '1 millisecond', $6, $7, $8,"
        "  $9::integer[]) "
        "ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), heartbeat_ms = excluded.heartbeat_ms,"
        "  session_pids = excluded.session_pids",
        {self.id, self.host.toUtf8(), self.version.toUtf8(), QByteArray::number(self.pid),
         QByteArray::number(self.uptimeMs), QByteArray::number(self.heartbeatMs),
         optional(self.httpListen), optional(self.apiListen), pgInt64Array(pids)});
    if (!r)
        return r;
    // Agents gone for a day are forgotten.
    return m_db.command("DELETE FROM agents WHERE heartbeat_at < now() - interval '1 day'");
}

Result<void> AgentStore::remove(const QByteArray &id)
{
    return m_db.command("DELETE FROM agents WHERE id = $1", {id});
}

Result<QList<AgentRow>> AgentStore::list()
{
    auto r = m_db.exec(kListSql, {QByteArray::number(kMissedBeats)});
    if (!r)
        return r.error();
    QList<AgentRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(agentAt(*r, i));
    return out;
}

} // namespace ferry::agent::store
