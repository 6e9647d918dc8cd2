#include "agent/metrics/tenantdirectory.h"

#include <QCryptographicHash>

namespace ferry::agent::metrics {

QByteArray TenantDirectory::keyForTenantId(qint64 tenantId, int partition)
{
    if (tenantId <= 0)
        return {};
    // Other partitions' tenant ids are their own databases': told apart by the partition.
    return partition > 0 ? 'p' + QByteArray::number(partition) + '/' + QByteArray::number(tenantId)
                         : 'i' + QByteArray::number(tenantId);
}

QByteArray TenantDirectory::keyForTokenHash(const QByteArray &sha256)
{
    return sha256.isEmpty() ? QByteArray() : 't' + sha256;
}

QByteArray TenantDirectory::keyForAuthorization(QByteArrayView header)
{
    const QByteArray value = header.toByteArray().trimmed();
    if (!value.startsWith("Bearer ") || value.size() <= 7)
        return {};
    return keyForTokenHash(
        QCryptographicHash::hash(value.mid(7).trimmed(), QCryptographicHash::Sha256));
}

void TenantDirectory::update(QHash<qint64, QString> names, QHash<QByteArray, qint64> tokenTenants,
                             int partition)
{
    std::lock_guard lock(m_mutex);
    if (m_partitions.size() <= size_t(partition))
        m_partitions.resize(size_t(partition) + 1);
    m_partitions[size_t(partition)] = {std::move(names), std::move(tokenTenants)};
}

std::optional<QByteArray> TenantDirectory::resolve(const QByteArray &key) const
{
    if (key.isEmpty())
        return std::nullopt;
    std::lock_guard lock(m_mutex);
    std::optional<QString> name;
    const auto inPartition = [&](size_t partition, qint64 id) {
        if (partition < m_partitions.size())
            if (const auto it = m_partitions[partition].names.constFind(id);
                it != m_partitions[partition].names.constEnd())
                name = *it;
    };
    if (key.startsWith('i')) {
        inPartition(0, key.mid(1).toLongLong());
    } else if (key.startsWith('p')) {
        const qsizetype slash = key.indexOf('/');
        inPartition(size_t(key.mid(1, slash - 1).toLongLong()), key.mid(slash + 1).toLongLong());
    } else if (key.startsWith('t')) {
        const QByteArray hash = key.mid(1);
        for (size_t p = 0; p < m_partitions.size() && !name; ++p) {
            if (const qint64 id = m_partitions[p].tokenTenants.value(hash); id > 0)
                inPartition(p, id);
        }
    }
    if (!name)
        return std::nullopt;
    return name->toUtf8();
}

} // namespace ferry::agent::metrics
