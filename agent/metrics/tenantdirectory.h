#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <mutex>
#include <optional>
#include <vector>

namespace ferry::agent::metrics {

// Tenant names for metric labels. Ingest front ends know a request's tenant only as a tenant id
// (ZeroMQ with CURVE) or a producer token's hash (HTTP; the batch writer resolves it later, off
// their thread), so they count under an opaque key, and the exposition turns keys into names
// through this directory, which the metrics collector refreshes from PostgreSQL.
class TenantDirectory
{
public:
    // The label exported for requests whose tenant is not known (no or a wrong token). Tenant
    // names cannot start with '_', so it never collides with a tenant.
    static constexpr const char *kUnknown = "_unknown";

    // `partition`: database.partitions' index of the tenant's database (-1 or 0: main).
    static QByteArray keyForTenantId(qint64 tenantId, int partition = -1);
    static QByteArray keyForTokenHash(const QByteArray &sha256);
    // From an `Authorization: Bearer <token>` header value; empty when there is no token.
    static QByteArray keyForAuthorization(QByteArrayView header);

    // The names of one database's tenants (`partition`: its database.partitions index, 0 for
    // database.url); tenant ids are per database, token hashes are not.
    void update(QHash<qint64, QString> names, QHash<QByteArray, qint64> tokenTenants,
                int partition = 0);
    // The tenant name of a key, or nullopt when the key is empty or not (yet) known.
    std::optional<QByteArray> resolve(const QByteArray &key) const;

private:
    struct Names
    {
        QHash<qint64, QString> names;
        QHash<QByteArray, qint64> tokenTenants; // SHA-256 of a producer token → tenant id
    };
    mutable std::mutex m_mutex;
    std::vector<Names> m_partitions;
};

} // namespace ferry::agent::metrics
