#include "agent/dispatch/dispatcher.h"

#include "agent/adapters/webhookadapter.h"
#include "agent/app/logging.h"
#include "agent/dispatch/concurrencylimiter.h"
#include "agent/metrics/agentmetrics.h"
#include "shared/masterkey.h"

#include <QDateTime>
#include <QJsonObject>

#include <curl/curl.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::dispatch {

namespace {
constexpr qint64 kFlushAfterMs = 5;
constexpr int kFlushAtCount = 200;
constexpr qint64 kReconnectEveryMs = 500;
constexpr const char *kChannel = "webhook"; // the only adapter so far
} // namespace

struct Dispatcher::InFlight
{
    store::ClaimedDelivery delivery;
    std::unique_ptr<adapters::WebhookTransfer> transfer;
    QDateTime startedAt;
    QElapsedTimer timer;
};

Dispatcher::Dispatcher(Options options)
    : m_options(std::move(options))
    , m_rng(QRandomGenerator::securelySeeded())
{}

Dispatcher::~Dispatcher()
{
    stop();
}

void Dispatcher::start()
{
    if (m_thread.joinable())
        return;
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, long(m_options.maxInFlight));
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void Dispatcher::stop()
{
    if (!m_thread.joinable())
        return;
    m_stopping = true;
    wake();
    m_thread.join();
    curl_multi_cleanup(m_multi);
    m_multi = nullptr;
}

void Dispatcher::requestStop()
{
    m_stopping = true;
    wake();
}

void Dispatcher::wake()
{
    m_wakeRequested = true;
    if (m_multi)
        curl_multi_wakeup(m_multi);
}

bool Dispatcher::ensureConnected()
{
    if (m_db.isOpen())
        return true;
    if (m_sinceConnectAttempt.isValid() && m_sinceConnectAttempt.elapsed() < kReconnectEveryMs)
        return false;
    m_sinceConnectAttempt.start();
    auto opened = m_db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds);
    if (!opened) {
        if (m_lastDbError != opened.error().message)
            qCWarning(lcDispatch).noquote() << "dispatcher:" << opened.error().message;
        m_lastDbError = opened.error().message;
        return false;
    }
    if (!m_lastDbError.isEmpty())
        qCInfo(lcDispatch) << "dispatcher reconnected to PostgreSQL";
    m_lastDbError.clear();
    // Commits of other agents announce new deliveries on this channel.
    (void)m_db.command("LISTEN ferry_work");
    m_wakeRequested = true; // anything may have arrived while we were away
    return true;
}

void Dispatcher::run()
{
    m_clock.start();
    qint64 graceDeadline = -1;
    for (;;) {
        const qint64 now = m_clock.elapsed();
        const bool stopping = m_stopping;
        if (stopping && graceDeadline < 0)
            graceDeadline = now + m_options.graceMs;

        if (!stopping && ensureConnected()) {
            if (m_options.runsRescuer && now >= m_nextRescueAt) {
                rescue();
                m_nextRescueAt = now + std::max<qint64>(250, m_options.leaseMs / 4);
            }
            if (now >= m_nextLeaseExtensionAt) {
                extendLeases();
                m_nextLeaseExtensionAt = now + std::max<qint64>(100, m_options.leaseMs / 3);
            }
            if (m_waitingCount > 0)
                launchWaiting();
            const bool retryDue = m_nextRetryDueAt >= 0 && now >= m_nextRetryDueAt;
            if (busySlots() < m_options.maxInFlight &&
                (m_wakeRequested.exchange(false) || now >= m_nextPollAt || retryDue)) {
                if (retryDue)
                    m_nextRetryDueAt = -1;
                m_nextPollAt = now + m_options.pollIntervalMs;
                claim();
            }
        }

        int running = 0;
        curl_multi_perform(m_multi, &running);
        collectFinished();

        if (!m_completions.isEmpty() && (stopping || m_completions.size() >= kFlushAtCount ||
                                         m_clock.elapsed() - m_oldestCompletionAt >= kFlushAfterMs))
            flushCompletions();

        if (stopping) {
            if (m_inFlight.empty() && m_completions.isEmpty()) {
                if (m_waitingCount > 0)
                    releaseAll(); // never started: give them back at once
                break;
            }
            if (m_clock.elapsed() >= graceDeadline) {
                releaseAll();
                break;
            }
        }
        curl_waitfd db{};
        db.fd = m_db.isOpen() ? m_db.socket() : -1;
        db.events = CURL_WAIT_POLLIN;
        curl_multi_poll(m_multi, db.fd >= 0 ? &db : nullptr, db.fd >= 0 ? 1 : 0, int(pollTimeout()),
                        nullptr);
        if (m_db.isOpen())
            readNotifications();
    }
    m_db.close();
}

qint64 Dispatcher::pollTimeout() const
{
    const qint64 now = m_clock.elapsed();
    qint64 wait = std::max<qint64>(0, m_nextPollAt - now);
    if (m_nextRetryDueAt >= 0)
        wait = std::min(wait, std::max<qint64>(0, m_nextRetryDueAt - now));
    if (!m_completions.isEmpty())
        wait = std::min(wait, kFlushAfterMs);
    if (!m_db.isOpen())
        wait = std::min(wait, kReconnectEveryMs);
    if (m_waitingCount > 0)
        wait = std::min<qint64>(wait, 5); // a slot may free up in another worker
    long curlTimeout = -1;
    curl_multi_timeout(m_multi, &curlTimeout);
    if (curlTimeout >= 0)
        wait = std::min<qint64>(wait, curlTimeout);
    return std::clamp<qint64>(wait, 0, 1000);
}

void Dispatcher::claim()
{
    const int free = m_options.maxInFlight - busySlots();
    if (free <= 0)
        return;
    store::DeliveryStore store(m_db);
    auto claimed = store.claim(free, m_options.leaseMs, m_waiting.keys());
    if (auto *e = std::get_if<store::PgError>(&claimed)) {
        qCWarning(lcDispatch).noquote() << "claim failed:" << e->message;
        if (e->connectionLost)
            m_db.close();
        return;
    }
    const auto &list = std::get<QList<store::ClaimedDelivery>>(claimed);
    for (const auto &d : list)
        startTransfer(d);
    // Keep at most one cap's worth waiting per endpoint: give the rest back at once, so a
    // slow endpoint's backlog does not hold slots that other endpoints could use.
    QList<QPair<QUuid, qint64>> excess;
    for (auto it = m_waiting.begin(); it != m_waiting.end(); ++it) {
        const int cap = capFor(it->first());
        while (it->size() > cap) {
            const auto d = it->takeLast();
            excess.append({d.id, d.leaseToken});
            --m_waitingCount;
        }
    }
    if (!excess.isEmpty())
        (void)store.release(excess);
    if (list.size() == free)
        m_wakeRequested = true; // there may be more: claim again once slots free up
    if (!list.isEmpty())
        qCDebug(lcDispatch) << "claimed" << list.size() << "deliveries";
}

int Dispatcher::capFor(const store::ClaimedDelivery &delivery) const
{
    return delivery.maxConcurrency > 0 ? delivery.maxConcurrency
                                       : std::max(1, m_options.maxPerEndpoint);
}

int Dispatcher::busySlots() const
{
    return int(m_inFlight.size() + size_t(m_waitingCount));
}

void Dispatcher::startTransfer(const store::ClaimedDelivery &delivery)
{
    const int cap = capFor(delivery);
    if (delivery.endpointEnabled && !m_options.limiter->tryAcquire(delivery.endpointId, cap)) {
        m_waiting[delivery.endpointId].append(delivery);
        ++m_waitingCount;
        return;
    }
    launch(delivery);
}

void Dispatcher::launchWaiting()
{
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        auto &queue = it.value();
        const int cap = capFor(queue.first());
        while (!queue.isEmpty() && m_options.limiter->tryAcquire(it.key(), cap)) {
            launch(queue.takeFirst());
            --m_waitingCount;
        }
        it = queue.isEmpty() ? m_waiting.erase(it) : std::next(it);
    }
}

void Dispatcher::launch(const store::ClaimedDelivery &delivery)
{
    auto flight = std::make_unique<InFlight>();
    flight->delivery = delivery;
    flight->startedAt = QDateTime::currentDateTimeUtc();
    flight->timer.start();
    if (!delivery.endpointEnabled) {
        store::Completion c;
        c.id = delivery.id;
        c.leaseToken = delivery.leaseToken;
        c.attempt = delivery.attempt;
        c.state = store::Completion::State::Dead;
        c.outcome = u"permanent"_s;
        c.error = u"the endpoint is disabled"_s;
        c.deadReason = u"endpoint_disabled"_s;
        c.startedAt = flight->startedAt;
        if (m_completions.isEmpty())
            m_oldestCompletionAt = m_clock.elapsed();
        m_completions.append(c);
        metrics::AgentMetrics::instance().countAttempt(kChannel, c.outcome, -1);
        return;
    }
    if (delivery.credential.id != 0) {
        auto secret = credentialSecret(delivery.credential);
        if (!secret) {
            // Nothing was sent; the operator can fix the key or the credential in the meantime.
            store::Completion c;
            c.id = delivery.id;
            c.leaseToken = delivery.leaseToken;
            c.attempt = delivery.attempt;
            c.outcome = u"retryable"_s;
            c.error = secret.error().message;
            c.startedAt = flight->startedAt;
            c.endpointId = delivery.endpointId;
            scheduleRetry(c, delivery,
                          {adapters::AttemptResult::Kind::Retryable, 0, c.error, u"credential"_s,
                           std::nullopt});
            qCWarning(lcDispatch).noquote()
                << "delivery" << delivery.id.toString(QUuid::WithoutBraces)
                << "not sent:" << c.error;
            if (m_completions.isEmpty())
                m_oldestCompletionAt = m_clock.elapsed();
            m_completions.append(c);
            metrics::AgentMetrics::instance().countAttempt(kChannel, c.outcome, -1);
            m_options.limiter->release(delivery.endpointId); // taken by the caller
            return;
        }
        flight->delivery.secret = *secret;
    }
    flight->transfer = std::make_unique<adapters::WebhookTransfer>(
        flight->delivery, m_options.timeoutMs, QDateTime::currentSecsSinceEpoch(),
        m_options.ssrfGuard);
    CURL *easy = flight->transfer->handle();
    curl_multi_add_handle(m_multi, easy);
    m_inFlight.emplace(easy, std::move(flight));
    ++m_stats.attempts;
}

void Dispatcher::collectFinished()
{
    int left = 0;
    while (CURLMsg *msg = curl_multi_info_read(m_multi, &left)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        const int code = msg->data.result;
        auto it = m_inFlight.find(easy);
        if (it == m_inFlight.end())
            continue;
        std::unique_ptr<InFlight> flight = std::move(it->second);
        m_inFlight.erase(it);
        finishTransfer(*flight, code);
        curl_multi_remove_handle(m_multi, easy);
        m_options.limiter->release(flight->delivery.endpointId);
        if (m_waitingCount > 0)
            launchWaiting();
    }
}

void Dispatcher::finishTransfer(InFlight &flight, int curlCode)
{
    const adapters::AttemptResult r = flight.transfer->result(curlCode);
    const auto &d = flight.delivery;
    store::Completion c;
    c.id = d.id;
    c.leaseToken = d.leaseToken;
    c.attempt = d.attempt;
    c.statusCode = r.statusCode;
    c.error = r.error;
    c.durationMs = flight.timer.elapsed();
    c.startedAt = flight.startedAt;
    c.endpointId = d.endpointId;
    switch (r.kind) {
    case adapters::AttemptResult::Kind::Success:
        c.state = store::Completion::State::Succeeded;
        c.outcome = u"succeeded"_s;
        ++m_stats.succeeded;
        break;
    case adapters::AttemptResult::Kind::Gone:
        c.state = store::Completion::State::Dead;
        c.outcome = u"gone"_s;
        c.deadReason = r.reason;
        c.endpointGone = true;
        ++m_stats.dead;
        qCWarning(lcDispatch).noquote()
            << "endpoint" << d.endpointId << "answered 410 Gone; it is now disabled";
        break;
    case adapters::AttemptResult::Kind::Permanent:
        c.state = store::Completion::State::Dead;
        c.outcome = u"permanent"_s;
        c.deadReason = r.reason;
        ++m_stats.dead;
        break;
    case adapters::AttemptResult::Kind::Retryable:
        c.outcome = u"retryable"_s;
        scheduleRetry(c, d, r);
        break;
    }
    if (m_completions.isEmpty())
        m_oldestCompletionAt = m_clock.elapsed();
    m_completions.append(c);
    auto &metrics = metrics::AgentMetrics::instance();
    metrics.countAttempt(kChannel, c.outcome, double(flight.timer.nsecsElapsed()) / 1e9);
    if (c.state == store::Completion::State::Succeeded && d.createdAt.isValid())
        metrics.observeEndToEnd(kChannel,
                                double(d.createdAt.msecsTo(QDateTime::currentDateTimeUtc())) / 1e3);
}

void Dispatcher::scheduleRetry(store::Completion &c, const store::ClaimedDelivery &d,
                               const adapters::AttemptResult &r)
{
    {
        const RetryPolicy &policy = policyFor(d);
        const int limit = d.maxAttempts > 0 ? d.maxAttempts : policy.attemptLimit();
        const qint64 maxAgeMs =
            d.maxAgeSeconds > 0 ? d.maxAgeSeconds * 1000 : m_options.retry.maxAgeMs;
        qint64 delay = policy.delayAfter(d.attempt, m_rng);
        if (r.retryAfterMs)
            delay = std::max(delay, std::min(*r.retryAfterMs, m_options.retryAfterCapMs));
        const qint64 ageAtRetry = d.createdAt.isValid()
                                      ? d.createdAt.msecsTo(QDateTime::currentDateTimeUtc()) + delay
                                      : 0;
        if (d.attempt >= limit) {
            c.state = store::Completion::State::Dead;
            c.deadReason = r.reason;
            ++m_stats.dead;
        } else if (maxAgeMs > 0 && ageAtRetry > maxAgeMs) {
            c.state = store::Completion::State::Dead;
            c.deadReason = u"max_age"_s;
            c.error = r.error + u" (no retry: the event would be older than its maximum age)"_s;
            ++m_stats.dead;
        } else {
            c.state = store::Completion::State::RetryWait;
            c.retryDelayMs = delay;
            ++m_stats.retried;
            const qint64 due = m_clock.elapsed() + delay;
            if (m_nextRetryDueAt < 0 || due < m_nextRetryDueAt)
                m_nextRetryDueAt = due;
        }
    }
}

Result<QByteArray> Dispatcher::credentialSecret(const store::SealedCredential &credential)
{
    if (const auto it = m_openedSecrets.constFind(credential.nonce); it != m_openedSecrets.cend())
        return *it;
    if (!m_options.masterKey)
        return makeError(u"the route signs with credential '%1', but this agent has no master "
                         "key to open it: set credentials.master_key_file (or the systemd "
                         "credential ferry-master-key)"_s.arg(credential.name));
    auto secret = store::CredentialStore::unseal(credential, *m_options.masterKey);
    if (!secret)
        return secret.error();
    const QByteArray signing = secret->toObject().value("signing_secret"_L1).toString().toUtf8();
    if (signing.isEmpty())
        return makeError(u"credential '%1' has no \"signing_secret\": store it again with "
                         "{\"signing_secret\": \"whsec_…\"}"_s.arg(credential.name));
    if (m_openedSecrets.size() > 1000)
        m_openedSecrets.clear();
    m_openedSecrets.insert(credential.nonce, signing);
    return signing;
}

void Dispatcher::flushCompletions()
{
    if (!ensureConnected())
        return; // keep them; fencing makes a late flush safe
    store::DeliveryStore store(m_db);
    auto r = store.complete(m_completions);
    if (auto *e = std::get_if<store::PgError>(&r); e && !e->connectionLost) {
        // The batch was refused (not the connection): record the outcomes one by one, so that
        // one bad row cannot hold back the others; a row refused on its own is recorded
        // without its error text, and failing that, dropped (its lease then expires).
        qCWarning(lcDispatch).noquote()
            << "recording" << m_completions.size() << "outcomes failed:" << e->message
            << "- recording them one by one";
        qint64 applied = 0;
        for (store::Completion c : std::as_const(m_completions)) {
            auto one = store.complete({c});
            if (std::holds_alternative<store::PgError>(one)) {
                c.error = u"(the receiver's answer could not be stored)"_s;
                one = store.complete({c});
            }
            if (auto *n = std::get_if<qint64>(&one))
                applied += *n;
            else if (std::get<store::PgError>(one).connectionLost)
                break;
        }
        r = applied;
    }
    if (auto *e = std::get_if<store::PgError>(&r)) {
        qCWarning(lcDispatch).noquote()
            << "recording" << m_completions.size() << "outcomes failed:" << e->message;
        if (e->connectionLost)
            m_db.close();
        return;
    }
    const qint64 applied = std::get<qint64>(r);
    if (applied < m_completions.size()) {
        m_stats.fenced += m_completions.size() - applied;
        qCInfo(lcDispatch) << m_completions.size() - applied
                           << "outcomes ignored: their lease had been taken over";
    }
    m_completions.clear();
    m_oldestCompletionAt = -1;
    m_wakeRequested = true; // slots are free again
}

void Dispatcher::rescue()
{
    store::DeliveryStore store(m_db);
    auto r = store.rescueExpired(m_options.retry.attemptLimit());
    if (auto *e = std::get_if<store::PgError>(&r)) {
        qCWarning(lcDispatch).noquote() << "lease rescue failed:" << e->message;
        if (e->connectionLost)
            m_db.close();
        return;
    }
    if (const qint64 n = std::get<qint64>(r); n > 0) {
        qCInfo(lcDispatch) << "returned" << n << "deliveries with expired leases to the queue";
        m_wakeRequested = true;
    }
}

const RetryPolicy &Dispatcher::policyFor(const store::ClaimedDelivery &delivery)
{
    if (delivery.retrySchedule.isEmpty())
        return m_options.retry;
    auto it = m_policies.find(delivery.retrySchedule);
    if (it == m_policies.end()) {
        auto parsed = RetryPolicy::parse(delivery.retrySchedule, m_options.retry.backoff);
        it = m_policies.insert(delivery.retrySchedule, parsed ? *parsed : m_options.retry);
    }
    return *it;
}

void Dispatcher::extendLeases()
{
    QList<QPair<QUuid, qint64>> claims;
    for (const auto &[easy, flight] : m_inFlight)
        claims.append({flight->delivery.id, flight->delivery.leaseToken});
    for (const auto &queue : std::as_const(m_waiting)) {
        for (const auto &d : queue)
            claims.append({d.id, d.leaseToken});
    }
    if (claims.isEmpty())
        return;
    auto r = store::DeliveryStore(m_db).extendLeases(claims, m_options.leaseMs);
    if (auto *e = std::get_if<store::PgError>(&r)) {
        if (e->connectionLost)
            m_db.close();
        return;
    }
    if (const qint64 kept = std::get<qint64>(r); kept < claims.size())
        qCWarning(lcDispatch) << claims.size() - kept
                              << "leases were taken over while their attempts ran; their "
                                 "outcomes will not be recorded here";
}

void Dispatcher::readNotifications()
{
    for (const QByteArray &payload : m_db.takeNotifications()) {
        if (payload != m_options.agentId)
            m_wakeRequested = true;
    }
}

void Dispatcher::releaseAll()
{
    // Requests on the wire: their outcome is unknown. They count as an attempt (recorded as
    // 'released') and are due again at once; the receiver may see them twice, with the same
    // webhook-id.
    for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it) {
        const auto &d = it->second->delivery;
        store::Completion c;
        c.id = d.id;
        c.leaseToken = d.leaseToken;
        c.attempt = d.attempt;
        c.state = store::Completion::State::RetryWait;
        c.outcome = u"released"_s;
        c.error = u"the agent stopped before the receiver answered"_s;
        c.startedAt = it->second->startedAt;
        c.durationMs = it->second->timer.elapsed();
        c.endpointId = d.endpointId;
        m_completions.append(c);
        metrics::AgentMetrics::instance().countAttempt(kChannel, c.outcome, -1);
        curl_multi_remove_handle(m_multi, it->first);
        m_options.limiter->release(d.endpointId);
    }
    const qsizetype sent = qsizetype(m_inFlight.size());
    m_inFlight.clear();
    // Claimed but never sent: given back as they were.
    QList<QPair<QUuid, qint64>> unsent;
    for (const auto &queue : std::as_const(m_waiting)) {
        for (const auto &d : queue)
            unsent.append({d.id, d.leaseToken});
    }
    m_waiting.clear();
    m_waitingCount = 0;
    if (!m_completions.isEmpty())
        flushCompletions();
    if (!unsent.isEmpty() && ensureConnected())
        (void)store::DeliveryStore(m_db).release(unsent);
    if (sent + unsent.size() > 0)
        qCInfo(lcDispatch) << "released" << sent + unsent.size()
                           << "deliveries still in flight at the end of the grace period";
}

} // namespace ferry::agent::dispatch
