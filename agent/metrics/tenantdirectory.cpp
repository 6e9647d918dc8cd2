#include "agent/metrics/tenantdirectory.h"

#include <QCryptographicHash>

namespace ferry::agent::metrics {

QByteArray TenantDirectory::keyForTenantId(qint64 tenantId)
{
    return tenantId > 0 ? 'i' + QByteArray::number(tenantId) : QByteArray();
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

void TenantDirectory::update(QHash<qint64, QString> names, QHash<QByteArray, qint64> tokenTenants)
{
    std::lock_guard lock(m_mutex);
    m_names = std::move(names);
    m_tokenTenants = std::move(tokenTenants);
}

std::optional<QByteArray> TenantDirectory::resolve(const QByteArray &key) const
{
    if (key.isEmpty())
        return std::nullopt;
    std::lock_guard lock(m_mutex);
    qint64 id = 0;
    if (key.startsWith('i'))
        id = key.mid(1).toLongLong();
    else if (key.startsWith('t'))
        id = m_tokenTenants.value(key.mid(1));
    const auto it = m_names.constFind(id);
    if (it == m_names.constEnd())
        return std::nullopt;
    return it->toUtf8();
}

} // namespace ferry::agent::metrics
