#include "agent/api/readreplica.h"

#include "agent/store/readmodels/freshnessstore.h"

#include <QLoggingCategory>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

namespace {
Q_LOGGING_CATEGORY(lcReplica, "ferry.agent.api.replica", QtInfoMsg)
}

ReadReplica::ReadReplica(QString url, qint64 maxLagMs, int connectTimeoutSeconds,
                         qint64 readTimeoutMs)
    : m_url(std::move(url))
    , m_maxLagMs(maxLagMs)
    , m_connectTimeoutSeconds(connectTimeoutSeconds)
{
    m_db.setReadTimeout(readTimeoutMs);
}

ReadReplica::Choice ReadReplica::choose(store::PgConnection &primary)
{
    if (m_url.isEmpty())
        return {&primary, {{"Ferry-Data-Source", "primary"}}};
    if (!m_db.isOpen()) {
        if (auto opened = m_db.open(m_url, m_connectTimeoutSeconds); !opened)
            return fallBack(primary, opened.error().message);
    }
    auto fresh = store::FreshnessStore(m_db).freshness();
    if (!fresh) {
        if (fresh.error().connectionLost)
            m_db.close();
        return fallBack(primary, fresh.error().message);
    }
    if (!fresh->standby)
        return fallBack(primary, u"database.read_url leads to a primary, not a standby"_s);
    if (!std::isfinite(fresh->maxAgeSeconds) || fresh->maxAgeSeconds * 1000 > double(m_maxLagMs))
        return fallBack(
            primary,
            u"the standby's data may be %1 s old, more than database.read_max_lag"_s.arg(
                std::isfinite(fresh->maxAgeSeconds) ? QString::number(fresh->maxAgeSeconds, 'f', 1)
                                                    : u"arbitrarily"_s));
    if (!m_lastWhy.isEmpty())
        qCInfo(lcReplica) << "reads from the standby again (database.read_url)";
    m_lastWhy.clear();
    return {&m_db,
            {{"Ferry-Data-Source", "replica"},
             {"Ferry-Data-Age", QByteArray::number(fresh->maxAgeSeconds, 'f', 1)}}};
}

ReadReplica::Choice ReadReplica::fallBack(store::PgConnection &primary, const QString &why)
{
    if (why != m_lastWhy)
        qCWarning(lcReplica).noquote()
            << "searches, reports and SLAs read from the primary:" << why;
    m_lastWhy = why;
    return {&primary, {{"Ferry-Data-Source", "primary"}}};
}

} // namespace ferry::agent::api
