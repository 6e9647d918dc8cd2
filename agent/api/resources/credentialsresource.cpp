#include "agent/api/resources/credentialsresource.h"

#include "agent/adapters/urlcheck.h"
#include "agent/api/apijson.h"
#include "agent/store/admin/credentialstore.h"
#include "shared/webhooksignature.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::credentials {

namespace {

constexpr qsizetype kMaxSecretBytes = qsizetype(64) * 1024;

// The tenant's id when the tenant is visible and the agent can seal credentials.
Result<qint64, ApiReply> usableTenant(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (tenantId && !request.masterKey)
        return ApiReply::problem(
            503, u"credentials-off"_s, u"Credentials are off"_s,
            u"this agent has no master key to seal credentials with: set "
            "credentials.master_key_file (a file from 'ferry-agent credentials "
            "generate-key') or provide the systemd credential ferry-master-key, then "
            "restart the agent"_s);
    return tenantId;
}

// Messages never quote the secret.
std::optional<ApiReply> invalidCredential(const QJsonObject &body)
{
    static const QStringList fields{u"provider"_s, u"secret"_s, u"base_url"_s, u"rate_per_second"_s,
                                    u"max_concurrency"_s};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!fields.contains(it.key()))
            return ApiReply::invalidField(
                it.key(), u"unknown field; a credential has %1"_s.arg(fields.join(u", "_s)));
    }
    const QString provider = body.value("provider"_L1).toString();
    if (!store::CredentialStore::providers().contains(provider))
        return ApiReply::invalidField(
            u"provider"_s, u"one of %1"_s.arg(store::CredentialStore::providers().join(u", "_s)));
    const QJsonValue secret = body.value("secret"_L1);
    if (!secret.isObject() || secret.toObject().isEmpty())
        return ApiReply::invalidField(u"secret"_s,
                                      u"a JSON object with the provider's secrets, such as "
                                      "{\"signing_secret\": \"whsec_…\"} for a webhook"_s);
    if (QJsonDocument(secret.toObject()).toJson(QJsonDocument::Compact).size() > kMaxSecretBytes)
        return ApiReply::invalidField(u"secret"_s, u"at most 64 KiB of JSON"_s);
    if (provider == "webhook"_L1) {
        const QJsonValue signing = secret.toObject().value("signing_secret"_L1);
        if (!signing.isString() ||
            WebhookSignature::keyFromSecret(signing.toString().toUtf8()).size() < 16)
            return ApiReply::invalidField(
                u"secret.signing_secret"_s,
                u"a webhook credential holds a Standard Webhooks secret: 'whsec_' and at least "
                "16 bytes in base64"_s);
    }
    return std::nullopt;
}

// The schemes a provider account's base_url may use.
QStringList schemesFor(const QString &provider)
{
    if (provider == "smtp"_L1)
        return {u"smtp"_s, u"smtps"_s};
    if (provider == "webhook"_L1)
        return {};
    return {u"https"_s, u"http"_s};
}

std::optional<ApiReply> invalidBaseUrl(const QString &provider, const QJsonValue &v)
{
    const QStringList schemes = schemesFor(provider);
    const QUrl url(v.toString(), QUrl::StrictMode);
    const bool missing = v.isUndefined() || v.isNull();
    if (missing && provider != "smtp"_L1)
        return std::nullopt;
    if (schemes.isEmpty())
        return ApiReply::invalidField(u"base_url"_s, u"a webhook credential has no base URL: "
                                                     "the route's target is the URL"_s);
    if (missing || !v.isString() || !url.isValid() || !schemes.contains(url.scheme()) ||
        url.host().isEmpty() || !url.userInfo().isEmpty())
        return ApiReply::invalidField(
            u"base_url"_s, provider == "smtp"_L1
                               ? u"the mail server: smtp://host:587 (STARTTLS, required) or "
                                 "smtps://host:465 (TLS from the start)"_s
                               : u"where the provider's API is reached, such as "
                                 "https://api.twilio.com; leave it out for the provider's own"_s);
    return std::nullopt;
}

// base_url, rate_per_second and max_concurrency of a provider account.
Result<store::AccountSettings, ApiReply> accountSettings(const QJsonObject &body)
{
    const QString provider = body.value("provider"_L1).toString();
    if (auto bad = invalidBaseUrl(provider, body.value("base_url"_L1)))
        return *bad;
    store::AccountSettings a;
    a.baseUrl = body.value("base_url"_L1).toString();
    const QJsonValue rate = body.value("rate_per_second"_L1);
    if (!rate.isUndefined() && !rate.isNull() &&
        (!rate.isDouble() || rate.toDouble() <= 0 || rate.toDouble() > 1'000'000))
        return ApiReply::invalidField(u"rate_per_second"_s,
                                      u"requests per second through this account, all agents "
                                      "together: a number above 0 up to 1000000, or null"_s);
    a.ratePerSecond = rate.toDouble(0);
    const QJsonValue cap = body.value("max_concurrency"_L1);
    const auto n = apijson::wholeNumber(cap, 1, 10000);
    if (!cap.isUndefined() && !cap.isNull() && !n)
        return ApiReply::invalidField(u"max_concurrency"_s,
                                      u"requests in flight through this account at once: a "
                                      "whole number from 1 to 10000, or null"_s);
    a.maxConcurrency = int(n.value_or(0));
    return a;
}

// A provider account's base URL may not lead into the customer's network (checked again at
// every connection).
Result<void, ApiReply> reachableBaseUrl(const ApiRequest &request, qint64 tenantId,
                                        const store::AccountSettings &account)
{
    if (account.baseUrl.isEmpty())
        return {};
    auto guard = request.tenantGuard(tenantId);
    if (!guard)
        return guard.error();
    const QString provider = request.body.value("provider"_L1).toString();
    if (auto ok = adapters::checkUrlAtSave(account.baseUrl, *guard, schemesFor(provider)); !ok)
        return ApiReply::invalidField(u"base_url"_s, ok.error().message);
    return {};
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto tenantId = usableTenant(request);
    if (!tenantId)
        return tenantId.error();
    auto page = request.page(u"c:"_s);
    if (!page)
        return page.error();
    auto list = store::CredentialStore(request.db, request.actor())
                    .list(*tenantId, page->position, page->limit + 1);
    if (!list)
        return request.writeError(list.error());
    QJsonArray items;
    QJsonValue next;
    for (qsizetype i = 0; i < list->size() && i < page->limit; ++i)
        items.append(apijson::credentialJson(list->at(i)));
    if (list->size() > page->limit)
        next = apijson::cursorFor(u"c:"_s, list->at(page->limit - 1).name);
    return ApiReply::json(QJsonObject{{u"items"_s, items}, {u"next_cursor"_s, next}});
}

ApiReply put(const ApiRequest &request)
{
    auto tenantId = usableTenant(request);
    if (!tenantId)
        return tenantId.error();
    if (auto bad = invalidCredential(request.body))
        return *bad;
    auto account = accountSettings(request.body);
    if (!account)
        return account.error();
    if (auto reached = reachableBaseUrl(request, *tenantId, *account); !reached)
        return reached.error();
    bool created = false;
    auto info =
        store::CredentialStore(request.db, request.actor())
            .put(*tenantId, request.pathParameter(u"tenant"_s), request.pathParameter(u"name"_s),
                 request.body.value("provider"_L1).toString(), request.body.value("secret"_L1),
                 *account, *request.masterKey, &created);
    if (!info)
        return request.writeError(info.error());
    return ApiReply::json(apijson::credentialJson(*info), created ? 201 : 200);
}

ApiReply remove(const ApiRequest &request)
{
    auto tenantId = usableTenant(request);
    if (!tenantId)
        return tenantId.error();
    auto r = store::CredentialStore(request.db, request.actor())
                 .remove(*tenantId, request.pathParameter(u"tenant"_s),
                         request.pathParameter(u"name"_s));
    return r ? ApiReply::noContent() : request.writeError(r.error());
}

} // namespace ferry::agent::api::credentials
