#include "demo/dunning.h"

#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/credentialstore.h"
#include "agent/store/admin/routestore.h"
#include "agent/store/admin/templatestore.h"
#include "agent/store/workflow/workflowstore.h"
#include "demo/terminal.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

#include <curl/curl.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

const QString kActor = u"ferry-demo"_s;
constexpr int kCustomers = 6; // every second one pays during the grace period
constexpr qint64 kTimeoutMs = 90'000;

QJsonArray steps()
{
    return QJsonDocument::fromJson(R"([
        {"name": "email", "emit": "dunning.email"},
        {"name": "grace", "wait": "4s"},
        {"name": "sms", "emit": "dunning.sms"},
        {"name": "downgrade", "emit": "entitlement.downgrade"}])")
        .array();
}

// A blocking POST of one CloudEvent; the HTTP status (0: no answer).
long postEvent(const QByteArray &url, const QByteArray &token, const QByteArray &body)
{
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(),
                                                                   &curl_easy_cleanup);
    const std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
        curl_slist_append(curl_slist_append(nullptr, "Content-Type: application/cloudevents+json"),
                          ("Authorization: Bearer " + token).constData()),
        &curl_slist_free_all);
    curl_easy_setopt(easy.get(), CURLOPT_URL, url.constData());
    curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDS, body.constData());
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDSIZE, long(body.size()));
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(
        easy.get(), CURLOPT_WRITEFUNCTION,
        +[](char *, size_t size, size_t count, void *) { return size * count; });
    long status = 0;
    if (curl_easy_perform(easy.get()) == CURLE_OK)
        curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    return status;
}

} // namespace

Result<void> DunningExample::prepare(const AgentCommand &agent, const Providers &providers,
                                     const MasterKey &key, const QString &receiverUrl,
                                     const QString &receiverSecret)
{
    m_tenant = u"billing-%1"_s.arg(QDateTime::currentSecsSinceEpoch());
    auto token = agent({u"tenant"_s, u"create"_s, m_tenant});
    if (!token)
        return token.error();
    m_token = token->section(u'\n', 0, 0).trimmed();
    auto id = agent::store::AdminStore(m_db, kActor).findTenant(m_tenant);
    if (!id || *id == 0)
        return makeError(u"the tenant %1 was not created"_s.arg(m_tenant));
    m_tenantId = *id;
    if (auto ok = putAccounts(providers, key, receiverSecret); !ok)
        return ok;
    if (auto ok = putRoutes(receiverUrl); !ok)
        return ok;
    return putWorkflow();
}

Result<void> DunningExample::putAccounts(const Providers &providers, const MasterKey &key,
                                         const QString &receiverSecret)
{
    agent::store::CredentialStore store(m_db, kActor);
    for (const QString &channel : {u"email"_s, u"sms"_s}) {
        const ProviderAccount a = providers.account(channel);
        if (auto ok = store.put(m_tenantId, m_tenant, u"billing-"_s + channel, a.provider, a.secret,
                                {a.baseUrl, 0, 0}, key, nullptr);
            !ok)
            return ok.error();
    }
    const QJsonObject signing{{u"signing_secret"_s, receiverSecret}};
    auto ok = store.put(m_tenantId, m_tenant, u"billing-webhook"_s, u"webhook"_s, signing, {}, key,
                        nullptr);
    return ok ? Result<void>() : Result<void>(ok.error());
}

Result<void> DunningExample::putRoutes(const QString &receiverUrl)
{
    const QList<std::tuple<QString, QString, QString, QString>> routes{
        {u"email"_s, u"dunning.email"_s, u"{{data.customer.email}}"_s,
         u"Your payment for invoice {{data.invoice}} failed: please update your card."_s},
        {u"sms"_s, u"dunning.sms"_s, u"{{data.customer.phone}}"_s,
         u"Reminder: invoice {{data.invoice}} is still unpaid."_s},
        {u"webhook"_s, u"entitlement.downgrade"_s, receiverUrl, {}}};
    for (const auto &[channel, type, target, text] : routes) {
        if (!text.isEmpty()) {
            agent::store::StoredTemplate t;
            t.tenantId = m_tenantId;
            t.tenant = m_tenant;
            t.channel = channel;
            t.eventType = type;
            t.parts.subject = u"Payment failed"_s;
            t.parts.text = text;
            if (auto ok = agent::store::TemplateStore(m_db, kActor).put(t, nullptr, nullptr); !ok)
                return ok.error();
        }
        agent::store::Route route;
        route.tenantId = m_tenantId;
        route.tenant = m_tenant;
        route.channel = channel;
        route.target = target;
        route.eventTypes = {type};
        route.credential = u"billing-"_s + channel;
        if (auto ok = agent::store::RouteStore(m_db, kActor, nullptr).create(route, nullptr); !ok)
            return makeError(u"cannot create the %1 route: %2"_s.arg(type, ok.error().message));
    }
    return {};
}

Result<void> DunningExample::putWorkflow()
{
    const agent::store::WorkflowDefinition dunning{u"dunning"_s,
                                                   u"invoice.payment_failed"_s,
                                                   {u"invoice.paid"_s},
                                                   {u"data"_s, u"customer"_s, u"id"_s},
                                                   steps(),
                                                   0,
                                                   {},
                                                   {}};
    auto ok = agent::store::WorkflowStore(m_db, kActor).put(m_tenantId, m_tenant, dunning, nullptr);
    return ok ? Result<void>() : Result<void>(ok.error());
}

Result<void> DunningExample::publish(const QString &id, const QString &type, int customer)
{
    const QByteArray body =
        u"{\"specversion\":\"1.0\",\"id\":\"%1\",\"source\":\"/billing\",\"type\":\"%2\","
        "\"data\":{\"invoice\":\"in_%3\",\"customer\":{\"id\":\"cus_%3\",\"email\":"
        "\"customer-%3@shop.example\",\"phone\":\"+1415555%4\"}}}"_s.arg(id, type)
            .arg(customer)
            .arg(2000 + customer)
            .toUtf8();
    const QByteArray url = "http://127.0.0.1:" + QByteArray::number(m_httpPort) + "/v1/events";
    const long status = postEvent(url, m_token.toUtf8(), body);
    if (status != 202 && status != 200)
        return makeError(u"the agent answered %1 to %2"_s.arg(status).arg(type));
    return {};
}

Result<QHash<QString, int>> DunningExample::states()
{
    auto rows = agent::store::WorkflowStore(m_db, kActor).instances(m_tenantId, {}, {}, 100);
    if (!rows)
        return rows.error();
    QHash<QString, int> out;
    for (const auto &row : *rows)
        ++out[row.state];
    return out;
}

Result<DunningExample::Outcome> DunningExample::run(const StopReason &stop)
{
    for (int c = 1; c <= kCustomers; ++c) {
        if (auto ok = publish(u"failed-%1"_s.arg(c), u"invoice.payment_failed"_s, c); !ok)
            return ok.error();
    }
    pause(1500); // the emails go out; the grace period runs
    for (int c = 2; c <= kCustomers; c += 2) {
        if (auto ok = publish(u"paid-%1"_s.arg(c), u"invoice.paid"_s, c); !ok)
            return ok.error();
    }
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        auto s = states();
        if (!s)
            return s.error();
        if (s->value(u"completed"_s) + s->value(u"cancelled"_s) + s->value(u"compensated"_s) +
                    s->value(u"failed"_s) >=
                kCustomers ||
            clock.elapsed() > kTimeoutMs || !stop().isEmpty())
            return Outcome{m_tenant, kCustomers, *s};
        pause(200);
    }
}

} // namespace ferry::demo
