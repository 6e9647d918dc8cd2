#include "agent/api/livefeed.h"

#include "agent/store/admin/apitokenstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

namespace {

Q_LOGGING_CATEGORY(lcLive, "ferry.agent.api.live", QtInfoMsg)

constexpr qint64 kMaxUnsentBytes = 4 << 20;

QJsonValue optionalNumber(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

// The queue lag per tenant and channel, of the tenants in `names`.
QJsonArray lagJson(const store::LiveSample &now, const QHash<qint64, QString> &names)
{
    QJsonArray lag;
    for (const auto &l : now.lag) {
        if (!names.contains(l.tenantId))
            continue;
        lag.append(QJsonObject{{u"tenant"_s, names.value(l.tenantId)},
                               {u"channel"_s, l.channel},
                               {u"ready"_s, l.ready},
                               {u"in_flight"_s, l.inFlight},
                               {u"oldest_due_age_s"_s, l.oldestDueAgeS}});
    }
    return lag;
}

using GuardIndex = QHash<store::GuardKey, const store::GuardStatus *>;

GuardIndex indexGuards(const store::LiveSample *sample)
{
    GuardIndex index;
    if (sample) {
        for (const auto &g : sample->guards)
            index.insert(g.key, &g);
    }
    return index;
}

// The share of its rate limit a route or account used over the interval; null: no limit.
QJsonValue rateUse(const store::GuardStatus &g, const GuardIndex &before, double seconds)
{
    const store::GuardStatus *b = before.value(g.key);
    if (g.ratePerSecond <= 0 || !b)
        return {};
    return double(g.spent - b->spent) / seconds / g.ratePerSecond;
}

QJsonObject guardJson(const store::GuardStatus &g, const GuardIndex &before, double seconds)
{
    return QJsonObject{
        {u"scope"_s, g.key.scope},
        {u"id"_s, g.key.id},
        {u"name"_s, g.name},
        {u"tenant"_s, g.tenant},
        {u"channel"_s, g.channel},
        {u"breaker"_s, g.breaker},
        {u"retry_at"_s,
         g.retryAt.isValid() ? QJsonValue(g.retryAt.toString(Qt::ISODateWithMs)) : QJsonValue()},
        {u"opened_count"_s, g.openedCount},
        {u"last_error"_s, g.lastError},
        {u"rate_per_second"_s, g.ratePerSecond > 0 ? QJsonValue(g.ratePerSecond) : QJsonValue()},
        {u"rate_limit_use"_s, rateUse(g, before, seconds)},
        {u"in_flight"_s, g.inFlight},
        {u"max_concurrency"_s, g.maxConcurrency > 0 ? QJsonValue(g.maxConcurrency) : QJsonValue()}};
}

// The guards of routes and provider accounts of the tenants in `names`.
QJsonArray guardsJson(const store::LiveSample &now, const QSet<QString> &tenants,
                      const GuardIndex &before, double seconds)
{
    QJsonArray out;
    for (const auto &g : now.guards) {
        if (tenants.contains(g.tenant))
            out.append(guardJson(g, before, seconds));
    }
    return out;
}

QJsonArray errorsJson(const QList<store::LiveSample::RecentError> &recentErrors)
{
    QJsonArray errors;
    for (const auto &e : recentErrors)
        errors.append(QJsonObject{{u"at"_s, e.at.toString(Qt::ISODateWithMs)},
                                  {u"status"_s, e.status ? QJsonValue(*e.status) : QJsonValue()},
                                  {u"error"_s, e.error}});
    return errors;
}

// The channels of the tenants in `names`, their rates over `channelSeconds`, with the breaker
// and limiter use of the route and of its provider account.
QJsonArray channelsJson(const store::LiveSample &now, const QHash<qint64, QString> &names,
                        const GuardIndex &before, double channelSeconds)
{
    const GuardIndex guards = indexGuards(&now);
    QJsonArray channels;
    for (const auto &c : now.channels) {
        if (!names.contains(c.tenantId))
            continue;
        const store::GuardStatus *g = guards.value({u"endpoint"_s, c.endpointId});
        channels.append(QJsonObject{
            {u"channel"_s, c.channel},
            {u"endpoint"_s, c.endpointId},
            {u"tenant"_s, names.value(c.tenantId)},
            {u"in_flight"_s, c.inFlight},
            {u"latency_p50_ms"_s, optionalNumber(c.latencyP50Ms)},
            {u"latency_p99_ms"_s, optionalNumber(c.latencyP99Ms)},
            {u"success_per_s"_s, double(c.successes) / channelSeconds},
            {u"failure_per_s"_s, double(c.failures) / channelSeconds},
            {u"breaker"_s, g ? g->breaker : u"closed"_s},
            {u"rate_limit_use"_s, g ? rateUse(*g, before, channelSeconds) : QJsonValue()},
            {u"recent_errors"_s, errorsJson(c.recentErrors)}});
    }
    return channels;
}

} // namespace

LiveFeed::LiveFeed(std::function<store::PgConnection *()> db, int intervalMs)
    : m_db(std::move(db))
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LiveFeed::tick);
}

LiveFeed::~LiveFeed()
{
    for (auto &c : m_clients) {
        c.socket->disconnect(this);
        c.socket->abort();
        delete c.socket;
    }
}

void LiveFeed::add(std::unique_ptr<QWebSocket> socket, const QByteArray &token, qint64 tenantId)
{
    QWebSocket *s = socket.release();
    connect(s, &QWebSocket::disconnected, this, [this, s] { remove(s); });
    // Listeners only listen: whatever they send is ignored.
    m_clients.push_back({s, token, tenantId});
    if (!m_timer.isActive()) {
        // Sample at once, so the first snapshot a second later has rates over a real interval.
        if (store::PgConnection *db = m_db()) {
            auto first = store::LiveStore(*db).sample({});
            if (first)
                m_previous = std::move(*first);
        }
        m_ticks = 0;
        m_timer.start();
        qCInfo(lcLive) << "live feed started";
    }
}

void LiveFeed::remove(QWebSocket *socket)
{
    std::erase_if(m_clients, [socket](const Client &c) { return c.socket == socket; });
    socket->deleteLater();
    if (m_clients.empty() && m_timer.isActive()) {
        m_timer.stop();
        m_previous.reset();
        qCInfo(lcLive) << "live feed stopped: nobody listens";
    }
}

void LiveFeed::tokensRevoked()
{
    if (m_clients.empty())
        return;
    if (store::PgConnection *db = m_db())
        recheckTokens(*db);
}

void LiveFeed::recheckTokens(store::PgConnection &db)
{
    store::ApiTokenStore tokens(db);
    std::vector<QWebSocket *> revoked;
    for (const auto &c : m_clients) {
        auto who = tokens.authenticate(c.token);
        if (who && !*who)
            revoked.push_back(c.socket);
    }
    for (QWebSocket *s : revoked)
        s->close(QWebSocketProtocol::CloseCodePolicyViolated,
                 u"the token was revoked or has expired"_s);
}

void LiveFeed::tick()
{
    store::PgConnection *db = m_db();
    if (!db) {
        qCWarning(lcLive) << "live feed: the database is unreachable; no snapshot this second";
        return;
    }
    if (++m_ticks % 30 == 0)
        recheckTokens(*db);
    auto sample = store::LiveStore(*db).sample(m_previous ? m_previous->at : QDateTime());
    if (!sample) {
        qCWarning(lcLive).noquote()
            << "live feed: no snapshot this second:" << sample.error().message;
        if (db->isBroken())
            db->close();
        return;
    }
    QHash<qint64, QByteArray> views;               // one JSON text per scope present
    const std::vector<Client> clients = m_clients; // sending may disconnect one
    for (const auto &c : clients) {
        // A listener that does not read loses snapshots; the agent does not queue them up.
        if (c.socket->bytesToWrite() > kMaxUnsentBytes)
            continue;
        auto it = views.find(c.tenantId);
        if (it == views.end())
            it = views.insert(
                c.tenantId,
                QJsonDocument(snapshot(*sample, m_previous ? &*m_previous : nullptr, c.tenantId))
                    .toJson(QJsonDocument::Compact));
        c.socket->sendTextMessage(QString::fromUtf8(*it));
    }
    m_previous = std::move(*sample);
}

QJsonObject LiveFeed::snapshot(const store::LiveSample &now, const store::LiveSample *previous,
                               qint64 tenantId)
{
    const double seconds = previous ? double(previous->at.msecsTo(now.at)) / 1000.0 : 0.0;
    const auto rate = [&](qint64 diff) {
        return seconds > 0 ? double(std::max<qint64>(0, diff)) / seconds : 0.0;
    };
    QHash<qint64, const store::LiveSample::Tenant *> before;
    if (previous) {
        for (const auto &t : previous->tenants)
            before.insert(t.id, &t);
    }
    QHash<qint64, QString> names;
    qint64 events = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 dead = 0;
    qint64 eventsDiff = 0;
    qint64 succeededDiff = 0;
    qint64 failedDiff = 0;
    QJsonArray tenants;
    for (const auto &t : now.tenants) {
        if (tenantId && t.id != tenantId)
            continue;
        names.insert(t.id, t.name);
        events += t.events;
        succeeded += t.deliveriesSucceeded;
        failed += t.attemptsFailed;
        dead += t.dead;
        if (const auto *b = before.value(t.id)) {
            eventsDiff += t.events - b->events;
            succeededDiff += t.deliveriesSucceeded - b->deliveriesSucceeded;
            failedDiff += t.attemptsFailed - b->attemptsFailed;
        }
        tenants.append(QJsonObject{{u"tenant"_s, t.name},
                                   {u"sla_target"_s, t.slaTarget},
                                   {u"sla_latency_ms"_s, t.slaLatencyMs},
                                   {u"sla_attainment"_s, optionalNumber(t.slaAttainment)},
                                   {u"at_risk"_s, t.atRisk}});
    }
    const QJsonArray lag = lagJson(now, names);
    // Channel rates: attempts finished since the previous sample (the last second at first).
    const GuardIndex guardsBefore = indexGuards(previous);
    const double interval = seconds > 0 ? seconds : 1.0;
    const QJsonArray channels = channelsJson(now, names, guardsBefore, interval);
    const QJsonArray guards =
        guardsJson(now, QSet<QString>(names.cbegin(), names.cend()), guardsBefore, interval);
    const double out = rate(succeededDiff);
    const double failures = rate(failedDiff);
    return QJsonObject{{u"type"_s, u"snapshot"_s},
                       {u"at"_s, now.at.toString(Qt::ISODateWithMs)},
                       {u"interval_ms"_s, previous ? previous->at.msecsTo(now.at) : 0},
                       {u"agent"_s, QJsonObject{{u"version"_s, QStringLiteral(FERRY_VERSION)}}},
                       {u"events_in_per_s"_s, rate(eventsDiff)},
                       {u"deliveries_out_per_s"_s, out},
                       {u"failures_per_s"_s, failures},
                       {u"failure_rate"_s, out + failures > 0 ? failures / (out + failures) : 0.0},
                       {u"dlq_size"_s, dead},
                       {u"totals"_s, QJsonObject{{u"events"_s, events},
                                                 {u"deliveries_succeeded"_s, succeeded},
                                                 {u"attempts_failed"_s, failed}}},
                       {u"lag"_s, lag},
                       {u"channels"_s, channels},
                       {u"guards"_s, guards},
                       {u"tenants"_s, tenants}};
}

} // namespace ferry::agent::api
