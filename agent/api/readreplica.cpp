#include "agent/api/readreplica.h"

#include "agent/store/readmodels/freshnessstore.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>

#include <algorithm>
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
    , m_connectTimeoutSeconds(std::min(connectTimeoutSeconds, 2)) // libpq's least that works
{
    m_db.setReadTimeout(readTimeoutMs);
    m_db.setListedForRegistry(false);
}

ReadReplica::Choice ReadReplica::choose(store::PgConnection &primary)
{
    if (m_url.isEmpty())
        return {&primary, {{"Ferry-Data-Source", "primary"}}};
    if (QDeadlineTimer::current().deadline() < m_retryStandbyAt)
        return fallBack(primary, m_lastWhy);
    if (!m_db.isOpen()) {
        if (auto opened = m_db.open(m_url, m_connectTimeoutSeconds); !opened)
            return failed(primary, opened.error().message);
    }
    auto fresh = store::FreshnessStore(m_db).freshness();
    if (!fresh) {
        m_db.close();
        return failed(primary, fresh.error().message);
    }
    if (!fresh->standby) {
        m_db.close(); // the next attempt may find a standby (prefer-standby, a rebuilt node)
        return failed(primary, u"database.read_url leads to a primary, not a standby"_s);
    }
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

ReadReplica::Choice ReadReplica::failed(store::PgConnection &primary, const QString &why)
{
    m_retryStandbyAt = QDeadlineTimer::current().deadline() + kRetryStandbyMs;
    return fallBack(primary, why);
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
