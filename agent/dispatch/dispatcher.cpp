#include "agent/dispatch/dispatcher.h"

#include "agent/adapters/adapter.h"
#include "agent/adapters/adapterset.h"
#include "agent/adapters/curlmulti.h"
#include "agent/adapters/ssrfpolicy.h"
#include "agent/app/logging.h"
#include "agent/dispatch/concurrencylimiter.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/store/admin/routestore.h"
#include "agent/store/admin/sealedsecretstore.h"
#include "agent/templates/messagerenderer.h"
#include "shared/failpoint.h"
#include "shared/masterkey.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::agent::dispatch {

namespace {
constexpr qint64 kFlushAfterMs = 5;
constexpr int kFlushAtCount = 200;
constexpr qint64 kTokenWaitMs = 20;
constexpr qint64 kBreakerReportEveryMs = 100;

adapters::Outcome failed(adapters::Outcome::Kind kind, QString error, QString reason)
{
    adapters::Outcome o;
    o.kind = kind;
    o.error = std::move(error);
    o.reason = std::move(reason);
    return o;
}
} // namespace

struct Dispatcher::InFlight
{
    store::ClaimedDelivery delivery;
    adapters::Adapter *adapter = nullptr;
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
    m_multi = std::make_unique<adapters::CurlMulti>(m_options.maxInFlight);
    m_options.adapters.timeoutMs = m_options.timeoutMs;
    if (!m_options.adapters.guard)
        m_options.adapters.guard = m_options.ssrfGuard;
    if (m_options.makeAdapters)
        m_ownedAdapters = m_options.makeAdapters(*m_multi);
    else
        m_ownedAdapters = adapters::makeAdapters(*m_multi, m_options.adapters);
    for (const auto &adapter : m_ownedAdapters) {
        adapter->setDone([this](const QUuid &id, const adapters::Outcome &o) { onOutcome(id, o); });
        m_adapters.insert(adapter->channel(), adapter.get());
    }
    m_renderer = std::make_unique<templates::MessageRenderer>(m_db);
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
    m_adapters.clear();
    m_ownedAdapters.clear();
    m_multi.reset();
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
        m_multi->wakeup();
}

void Dispatcher::noteDbError(const char *what, const Error &e)
{
    qCWarning(lcDispatch).noquote() << what << "failed:" << e.message;
    if (e.connectionLost)
        m_db.close();
}

bool Dispatcher::ensureConnected()
{
    if (m_db.isOpen())
        return true;
    auto opened = m_db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds);
    if (!opened) {
        if (m_lastDbError != opened.error().message)
            qCWarning(lcDispatch).noquote() << "dispatcher:" << opened.error().message;
        m_lastDbError = opened.error().message;
        return false;
    }
    // Commits of other agents announce new deliveries on this channel. Without it this agent
    // would see their work only at the next poll, so a failure counts as a lost connection.
    if (auto listening = store::DeliveryStore(m_db).listenForWork(); !listening) {
        qCWarning(lcDispatch).noquote()
            << "dispatcher: LISTEN failed:" << listening.error().message;
        m_db.close();
        return false;
    }
    if (!m_lastDbError.isEmpty())
        qCInfo(lcDispatch) << "dispatcher reconnected to PostgreSQL";
    m_lastDbError.clear();
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
        m_beat = QDeadlineTimer::current().deadline();
        m_databaseUp = m_db.isOpen();
        if (stopping && graceDeadline < 0)
            graceDeadline = now + m_options.graceMs;
        if (!stopping && ensureConnected())
            step(now);
        pumpTransfers(stopping);
        if (stopping && doneStopping(graceDeadline))
            break;
        m_multi->wait(m_db.isOpen() ? m_db.socket() : -1, int(pollTimeout()));
        if (m_db.isOpen())
            readNotifications();
    }
    if (m_db.isOpen())
        reportToBreakers();
    m_db.close();
}

// Moves the transfers on and records what finished (at once when stopping).
void Dispatcher::pumpTransfers(bool stopping)
{
    m_multi->perform();
    for (auto *adapter : std::as_const(m_adapters))
        adapter->poll();
    if (!m_completions.isEmpty() && (stopping || flushDue()))
        flushCompletions();
}

// True when a stopping worker may leave: nothing in flight or left to record, or its grace is
// over. What never started, or is still running at the end of the grace, is given back.
bool Dispatcher::doneStopping(qint64 graceDeadline)
{
    if (m_inFlight.isEmpty() && m_completions.isEmpty()) {
        if (m_waitingCount > 0)
            releaseAll(); // never started: give them back at once
        return true;
    }
    if (m_clock.elapsed() < graceDeadline)
        return false;
    releaseAll();
    return true;
}

QString Dispatcher::unready(qint64 stuckMs) const
{
    if (m_beat != 0 && !m_databaseUp)
        return u"a dispatch worker cannot reach PostgreSQL"_s;
    return stalled(stuckMs);
}

QString Dispatcher::stalled(qint64 stuckMs) const
{
    const qint64 beat = m_beat;
    if (beat == 0)
        return u"a dispatch worker has not started"_s;
    const qint64 quiet = QDeadlineTimer::current().deadline() - beat;
    if (quiet > stuckMs)
        return u"a dispatch worker has not come round its loop for %1 s"_s.arg(quiet / 1000);
    return {};
}

// One round of the claim side: rescue, lease upkeep, and a claim whenever work may be due.
void Dispatcher::step(qint64 now)
{
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
    if (m_options.ssrfPolicy) {
        if (auto r = m_options.ssrfPolicy->refreshIfDue(m_db); !r)
            noteDbError("reading the tenants' allowed networks", r.error());
    }
    if (now >= m_nextBreakerReportAt) {
        reportToBreakers();
        m_nextBreakerReportAt = now + kBreakerReportEveryMs;
    }
    const bool retryDue = m_nextRetryDueAt >= 0 && now >= m_nextRetryDueAt;
    const bool woken = m_wakeRequested.exchange(false);
    if (busySlots() >= m_options.maxInFlight ||
        !(m_claimAgain || woken || retryDue || now >= m_nextPollAt))
        return;
    if (retryDue)
        m_nextRetryDueAt = -1;
    m_nextPollAt = now + m_options.pollIntervalMs;
    claim();
}

bool Dispatcher::flushDue() const
{
    return m_completions.size() >= kFlushAtCount ||
           m_clock.elapsed() - m_oldestCompletionAt >= kFlushAfterMs;
}

qint64 Dispatcher::pollTimeout() const
{
    const qint64 now = m_clock.elapsed();
    if (m_claimAgain && !m_stopping && m_db.isOpen() && busySlots() < m_options.maxInFlight)
        return 0; // work is waiting and there is room for it
    qint64 wait = std::max<qint64>(0, m_nextPollAt - now);
    if (m_nextRetryDueAt >= 0)
        wait = std::min(wait, std::max<qint64>(0, m_nextRetryDueAt - now));
    if (!m_completions.isEmpty())
        wait = std::min(wait, std::max<qint64>(0, m_oldestCompletionAt + kFlushAfterMs - now));
    if (!m_db.isOpen())
        wait = std::min(wait, m_db.msUntilReconnect());
    if (m_waitingCount > 0)
        wait = std::min<qint64>(wait, 5); // a slot may free up in another worker
    return std::clamp<qint64>(wait, 0, 1000);
}

void Dispatcher::claim()
{
    const int free = std::min(kClaimAtMost, m_options.maxInFlight - busySlots());
    if (free <= 0)
        return;
    store::DeliveryStore store(m_db);
    bool outOfTokens = false;
    auto claimed = store.claimGuarded(free, m_options.leaseMs,
                                      std::max(1, m_options.maxPerEndpoint), &outOfTokens);
    if (!claimed) {
        noteDbError("claim", claimed.error());
        m_claimAgain = false;
        return;
    }
    // A rate limit held work back: look again once a few tokens have come in, not at the poll.
    if (outOfTokens)
        m_nextPollAt = std::min(m_nextPollAt, m_clock.elapsed() + kTokenWaitMs);
    const auto &list = *claimed;
    // Found work: there may be more, so claim again as soon as there is room. Found none: wait
    // for a commit, a notification, a freed slot, a retry falling due or the poll.
    m_claimAgain = !list.isEmpty();
    for (const auto &d : list)
        startTransfer(d);
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
    return int(m_inFlight.size() + m_waitingCount);
}

void Dispatcher::startTransfer(const store::ClaimedDelivery &delivery)
{
    if (delivery.endpointEnabled &&
        !m_options.limiter->tryAcquire(delivery.endpointId, capFor(delivery))) {
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
    using Kind = adapters::Outcome::Kind;
    if (!delivery.endpointEnabled) {
        finishUnsent(delivery, failed(Kind::Permanent, u"the endpoint is disabled"_s,
                                      u"endpoint_disabled"_s));
        return;
    }
    adapters::Adapter *adapter = m_adapters.value(delivery.channel);
    if (!adapter) {
        finishUnsent(delivery,
                     failed(Kind::Permanent,
                            u"this agent has no adapter for channel '%1'"_s.arg(delivery.channel),
                            u"no_adapter"_s));
        return;
    }
    auto value = prepare(delivery);
    if (!value) {
        finishUnsent(delivery, value.error());
        return;
    }
    auto flight = std::make_shared<InFlight>();
    flight->delivery = delivery;
    flight->adapter = adapter;
    flight->startedAt = QDateTime::currentDateTimeUtc();
    flight->timer.start();
    m_inFlight.insert(delivery.id, flight);
    ++m_stats.attempts;
    adapter->send(*value);
}

void Dispatcher::finishUnsent(const store::ClaimedDelivery &delivery,
                              const adapters::Outcome &outcome)
{
    const store::Completion c =
        completionFor(delivery, outcome, 0, QDateTime::currentDateTimeUtc());
    appendCompletion(c, delivery.channel, -1);
    if (delivery.endpointEnabled)
        m_options.limiter->release(delivery.endpointId); // taken by startTransfer
}

void Dispatcher::onOutcome(const QUuid &deliveryId, const adapters::Outcome &outcome)
{
    const std::shared_ptr<InFlight> flight = m_inFlight.take(deliveryId);
    if (!flight)
        return;
    const auto &d = flight->delivery;
    const store::Completion c =
        completionFor(d, outcome, flight->timer.elapsed(), flight->startedAt);
    appendCompletion(c, d.channel, double(flight->timer.nsecsElapsed()) / 1e9);
    // The receiver has it; the success is not committed yet (flushCompletions).
    if (c.state == store::Completion::State::Succeeded)
        FERRY_FAILPOINT("dispatch.after_delivered");
    noteForBreakers(d, outcome);
    if (c.state == store::Completion::State::Succeeded && d.createdAt.isValid())
        metrics::AgentMetrics::instance().observeEndToEnd(
            d.channel, double(d.createdAt.msecsTo(QDateTime::currentDateTimeUtc())) / 1e3);
    m_options.limiter->release(d.endpointId);
    m_claimAgain = true; // a slot is free: the endpoint may have more due
    if (m_waitingCount > 0)
        launchWaiting();
}

store::Completion Dispatcher::completionFor(const store::ClaimedDelivery &d,
                                            const adapters::Outcome &r, qint64 durationMs,
                                            const QDateTime &startedAt)
{
    using Kind = adapters::Outcome::Kind;
    store::Completion c;
    c.id = d.id;
    c.leaseToken = d.leaseToken;
    c.attempt = d.attempt;
    c.statusCode = r.statusCode;
    c.error = r.error;
    c.durationMs = durationMs;
    c.startedAt = startedAt;
    c.endpointId = d.endpointId;
    c.providerMessageId = r.providerMessageId;
    c.output = r.output;
    switch (r.kind) {
    case Kind::Delivered:
        c.state = store::Completion::State::Succeeded;
        c.outcome = u"succeeded"_s;
        ++m_stats.succeeded;
        break;
    case Kind::Permanent:
        c.state = store::Completion::State::Dead;
        c.outcome = r.targetGone                 ? u"gone"_s
                    : r.reason == "cancelled"_L1 ? u"cancelled"_s
                                                 : u"permanent"_s;
        c.deadReason = r.reason;
        c.endpointGone = r.targetGone;
        ++m_stats.dead;
        if (r.targetGone)
            qCWarning(lcDispatch).noquote()
                << "endpoint" << d.endpointId << "answered 410 Gone; it is now disabled";
        break;
    case Kind::Retryable:
    case Kind::Unknown:
        c.outcome = r.kind == Kind::Unknown ? u"unknown"_s : u"retryable"_s;
        scheduleRetry(c, d, r);
        break;
    }
    // A test send that failed is closed, not parked for the operators (decision 0029).
    if (d.test && c.state == store::Completion::State::Dead)
        c.state = store::Completion::State::Discarded;
    return c;
}

void Dispatcher::appendCompletion(const store::Completion &c, const QString &channel,
                                  double seconds)
{
    if (m_completions.isEmpty())
        m_oldestCompletionAt = m_clock.elapsed();
    m_completions.append(c);
    metrics::AgentMetrics::instance().countAttempt(channel, c.outcome, seconds);
}

void Dispatcher::scheduleRetry(store::Completion &c, const store::ClaimedDelivery &d,
                               const adapters::Outcome &r)
{
    const RetryPolicy &policy = policyFor(d.retrySchedule);
    const int limit = d.test ? 1 : d.maxAttempts > 0 ? d.maxAttempts : policy.attemptLimit();
    const qint64 maxAgeMs = d.maxAgeSeconds > 0 ? d.maxAgeSeconds * 1000 : m_options.retry.maxAgeMs;
    qint64 delay = policy.delayAfter(d.attempt, m_rng);
    if (r.retryAfterMs)
        delay = std::max(delay, std::min(*r.retryAfterMs, m_options.retryAfterCapMs));
    const qint64 ageAtRetry =
        d.createdAt.isValid() ? d.createdAt.msecsTo(QDateTime::currentDateTimeUtc()) + delay : 0;
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

Result<adapters::Delivery, adapters::Outcome>
Dispatcher::prepare(const store::ClaimedDelivery &delivery)
{
    using Kind = adapters::Outcome::Kind;
    adapters::Delivery value;
    value.id = delivery.id;
    value.eventId = delivery.eventId;
    value.attempt = delivery.attempt;
    value.endpointId = delivery.endpointId;
    value.tenantId = delivery.tenantId;
    value.eventType = delivery.eventType;
    value.target = delivery.url;
    value.secret = delivery.secret;
    value.payload = delivery.payload;
    if (!delivery.sealedSecret.isNull()) {
        auto secret = delivery.sealedSecret.open(
            m_options.masterKey, store::SealedSecretStore::endpointContext(delivery.endpointId),
            u"the signing secret of route %1"_s.arg(delivery.endpointId));
        if (!secret)
            return failed(Kind::Retryable, secret.error().message, u"credential"_s);
        value.secret = *secret;
    }
    if (m_options.ssrfPolicy)
        value.guard = m_options.ssrfPolicy->forTenant(delivery.tenantId);
    if (delivery.credential.id != 0) {
        auto opened = openCredential(delivery.credential);
        if (!opened) {
            // Nothing was sent; the operator can fix the key or the credential meanwhile.
            qCWarning(lcDispatch).noquote()
                << "delivery" << delivery.id.toString(QUuid::WithoutBraces)
                << "not sent:" << opened.error().message;
            return failed(Kind::Retryable, opened.error().message, u"credential"_s);
        }
        value.account = {delivery.credential.id, delivery.credential.name, delivery.provider,
                         *opened, delivery.baseUrl};
    }
    if (delivery.provider == "webhook"_L1) {
        value.secret = value.account.secret.value("signing_secret"_L1).toString().toUtf8();
        if (value.secret.isEmpty())
            return failed(Kind::Retryable,
                          u"credential '%1' has no \"signing_secret\": store it again with "
                          "{\"signing_secret\": \"whsec_…\"}"_s.arg(delivery.credential.name),
                          u"credential"_s);
    }
    if (auto upcasted = upcast(value, delivery); !upcasted)
        return upcasted.error();
    if (store::Route::sendsMessages(delivery.channel)) {
        if (auto rendered = render(value, delivery); !rendered)
            return rendered.error();
    }
    return value;
}

// An event older than the versions the route takes goes out upcast (its route's declarative
// mappings, routing/upcast.h). Routing made deliveries only of versions the route could take;
// one the route no longer takes (it changed since) is dead-lettered as schema_version.
Result<void, adapters::Outcome> Dispatcher::upcast(adapters::Delivery &value,
                                                   const store::ClaimedDelivery &delivery)
{
    if (delivery.schemaVersions.isEmpty() ||
        delivery.schemaVersions.contains(delivery.schemaVersion))
        return {};
    const auto chain = routing::upcastChain(delivery.schemaVersion, delivery.schemaVersions,
                                            upcastsOf(delivery.upcasts));
    if (!chain)
        return failed(adapters::Outcome::Kind::Permanent,
                      u"route %1 takes schema versions %2 and has no upcast from version '%3' "
                      "to one of them: add one to the route's \"upcasts\" and replay"_s.arg(
                          QString::number(delivery.endpointId),
                          delivery.schemaVersions.join(u", "_s),
                          delivery.schemaVersion.isEmpty() ? u"(none)"_s : delivery.schemaVersion),
                      u"schema_version"_s);
    auto mapped = routing::upcastEvent(value.payload, *chain);
    if (!mapped)
        return failed(adapters::Outcome::Kind::Permanent, mapped.error().message,
                      u"schema_version"_s);
    value.payload = std::move(*mapped);
    return {};
}

const QList<routing::Upcast> &Dispatcher::upcastsOf(const QByteArray &json)
{
    auto it = m_upcasts.find(json);
    if (it == m_upcasts.end()) {
        if (m_upcasts.size() > 1000)
            m_upcasts.clear();
        // Checked when the route was saved; one that no longer parses has none.
        auto parsed = routing::parseUpcasts(QJsonDocument::fromJson(json).array());
        it = m_upcasts.insert(json, parsed ? *parsed : QList<routing::Upcast>());
    }
    return *it;
}

// The route's template for this event: a message that cannot render never will (permanent);
// a database error is retried.
Result<void, adapters::Outcome> Dispatcher::render(adapters::Delivery &value,
                                                   const store::ClaimedDelivery &delivery)
{
    using Kind = adapters::Outcome::Kind;
    auto message = m_renderer->render(delivery.tenantId, delivery.channel, delivery.eventType,
                                      delivery.url, value.payload);
    if (!message) {
        const bool permanent = message.error().code == 404 || message.error().code == 422;
        if (!permanent)
            noteDbError("reading templates", message.error());
        return failed(permanent ? Kind::Permanent : Kind::Retryable, message.error().message,
                      u"template"_s);
    }
    value.message = *message;
    value.target = message->to;
    return {};
}

Result<QJsonObject> Dispatcher::openCredential(const store::SealedCredential &credential)
{
    if (const auto it = m_openedCredentials.constFind(credential.nonce);
        it != m_openedCredentials.cend())
        return *it;
    if (!m_options.masterKey)
        return makeError(u"the route signs with credential '%1', but this agent has no master "
                         "key to open it: set credentials.master_key_file (or the systemd "
                         "credential ferry-master-key)"_s.arg(credential.name));
    auto secret = store::CredentialStore::unseal(credential, *m_options.masterKey);
    if (!secret)
        return secret.error();
    if (m_openedCredentials.size() > 1000)
        m_openedCredentials.clear();
    m_openedCredentials.insert(credential.nonce, secret->toObject());
    return secret->toObject();
}

void Dispatcher::flushCompletions()
{
    if (!ensureConnected())
        return; // keep them; fencing makes a late flush safe
    store::DeliveryStore store(m_db);
    auto r = store.complete(m_completions);
    if (!r && !r.error().connectionLost) {
        qCWarning(lcDispatch).noquote()
            << "recording" << m_completions.size() << "outcomes failed:" << r.error().message
            << "- recording them one by one";
        recordOneByOne(store);
        return;
    }
    if (!r) {
        noteDbError("recording outcomes", r.error());
        return;
    }
    const qint64 applied = *r;
    // A recorded outcome may have let the next delivery of an ordered partition out (it was
    // held until now): look for it at once, not at the next poll.
    if (applied > 0)
        m_claimAgain = true;
    if (applied < m_completions.size()) {
        m_stats.fenced += m_completions.size() - applied;
        qCInfo(lcDispatch) << m_completions.size() - applied
                           << "outcomes ignored: their lease had been taken over";
    }
    m_completions.clear();
    m_oldestCompletionAt = -1;
}

// The batch was refused (not the connection): one bad row must not hold back the others. A row
// refused on its own is recorded without its error text, and failing that, dropped (its lease
// then expires and the delivery is attempted again).
void Dispatcher::recordOneByOne(store::DeliveryStore &store)
{
    qint64 applied = 0;
    qsizetype done = 0;
    for (store::Completion c : std::as_const(m_completions)) {
        auto one = store.complete({c});
        if (!one) {
            c.error = u"(the receiver's answer could not be stored)"_s;
            one = store.complete({c});
        }
        if (!one && one.error().connectionLost) {
            noteDbError("recording outcomes", one.error());
            m_completions.remove(0, done); // the rest is flushed again once reconnected
            return;
        }
        if (one)
            applied += *one;
        ++done;
    }
    m_stats.fenced += m_completions.size() - applied;
    m_completions.clear();
    m_oldestCompletionAt = -1;
}

void Dispatcher::noteForBreakers(const store::ClaimedDelivery &d, const adapters::Outcome &o)
{
    using Kind = adapters::Outcome::Kind;
    // A provider that is down or overloaded fails everyone's requests; a refused message
    // (permanent) says nothing about the provider's health.
    const bool failedHere = o.kind == Kind::Retryable || o.kind == Kind::Unknown;
    if (!failedHere && o.kind != Kind::Delivered)
        return;
    m_breakerDeltas[store::GuardKey{u"endpoint"_s, d.endpointId}].add(failedHere, o.error);
    if (d.accountId)
        m_breakerDeltas[store::GuardKey{u"account"_s, d.accountId}].add(failedHere, o.error);
}

void Dispatcher::reportToBreakers()
{
    if (m_breakerDeltas.isEmpty())
        return;
    auto opened = store::GuardStore(m_db).record(m_breakerDeltas, m_options.breaker);
    if (!opened) {
        noteDbError("recording outcomes for the circuit breakers", opened.error());
        return; // kept: reported with the next ones
    }
    m_breakerDeltas.clear();
    for (const store::GuardKey &key : std::as_const(*opened)) {
        qCWarning(lcDispatch).noquote()
            << "circuit breaker of" << key.scope << key.id << "opened: nothing is sent there for"
            << double(m_options.breaker.cooldownMs) / 1000.0 << "s, then one probe at a time";
        metrics::AgentMetrics::instance().countBreakerOpened(key.scope);
    }
}

void Dispatcher::rescue()
{
    store::DeliveryStore store(m_db);
    auto r = store.rescueExpired([this](const QString &schedule, int maxAttempts) {
        return maxAttempts > 0 ? maxAttempts : policyFor(schedule).attemptLimit();
    });
    if (!r) {
        noteDbError("lease rescue", r.error());
        return;
    }
    if (const qint64 n = *r; n > 0) {
        qCInfo(lcDispatch) << "returned" << n << "deliveries with expired leases to the queue";
        m_wakeRequested = true;
    }
}

const RetryPolicy &Dispatcher::policyFor(const QString &retrySchedule)
{
    if (retrySchedule.isEmpty())
        return m_options.retry;
    auto it = m_policies.find(retrySchedule);
    if (it == m_policies.end()) {
        auto parsed = RetryPolicy::parse(retrySchedule, m_options.retry.backoff);
        it = m_policies.insert(retrySchedule, parsed ? *parsed : m_options.retry);
    }
    return *it;
}

void Dispatcher::extendLeases()
{
    QList<QPair<QUuid, qint64>> claims;
    for (const auto &flight : std::as_const(m_inFlight))
        claims.append({flight->delivery.id, flight->delivery.leaseToken});
    for (const auto &queue : std::as_const(m_waiting)) {
        for (const auto &d : queue)
            claims.append({d.id, d.leaseToken});
    }
    if (claims.isEmpty())
        return;
    auto r = store::DeliveryStore(m_db).extendLeases(claims, m_options.leaseMs);
    if (!r) {
        noteDbError("lease extension", r.error());
        return;
    }
    if (const qint64 kept = *r; kept < claims.size())
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
    // idempotency key.
    for (const auto &flight : std::as_const(m_inFlight)) {
        const auto &d = flight->delivery;
        flight->adapter->abandon(d.id);
        store::Completion c;
        c.id = d.id;
        c.leaseToken = d.leaseToken;
        c.attempt = d.attempt;
        c.state = store::Completion::State::RetryWait;
        c.outcome = u"released"_s;
        c.error = u"the agent stopped before the receiver answered"_s;
        c.startedAt = flight->startedAt;
        c.durationMs = flight->timer.elapsed();
        c.endpointId = d.endpointId;
        appendCompletion(c, d.channel, -1);
        m_options.limiter->release(d.endpointId);
    }
    const qsizetype sent = m_inFlight.size();
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
    if (!unsent.isEmpty() && ensureConnected()) {
        auto r = store::DeliveryStore(m_db).release(unsent);
        if (!r)
            noteDbError("giving back unsent deliveries (their leases expire instead)", r.error());
    }
    if (sent + unsent.size() > 0)
        qCInfo(lcDispatch) << "released" << sent + unsent.size()
                           << "deliveries still in flight at the end of the grace period";
}

} // namespace ferry::agent::dispatch
