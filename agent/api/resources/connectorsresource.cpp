#include "agent/api/resources/connectorsresource.h"

#include "agent/api/apijson.h"
#include "agent/inbound/inboundcheck.h"
#include "agent/store/inbound/connectorstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::connectors {

namespace {

constexpr qsizetype kMaxSecretBytes = 4096;
constexpr qsizetype kMaxSecrets = 8;

Result<qint64, ApiReply> usableTenant(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (tenantId && !request.masterKey)
        return ApiReply::problem(
            503, u"connectors-off"_s, u"Connectors are off"_s,
            u"this agent has no master key to seal connector secrets with: set "
            "credentials.master_key_file (a file from 'ferry-agent credentials generate-key') "
            "and restart the agent"_s);
    return tenantId;
}

QJsonObject connectorJson(const store::ConnectorInfo &c)
{
    return {{u"name"_s, c.name},
            {u"kind"_s, c.kind},
            {u"settings"_s, c.settings},
            {u"secrets"_s, c.secrets},
            {u"verify_token"_s, c.verifyToken},
            {u"created_at"_s, apijson::iso(c.createdAt)},
            {u"updated_at"_s, apijson::iso(c.updatedAt)}};
}

// "secrets": one to eight non-empty strings (the first signs nothing: all are accepted).
Result<store::ConnectorSecrets, ApiReply> secretsFrom(const QJsonObject &body)
{
    const QJsonValue v = body.value("secrets"_L1);
    const QJsonArray list = v.toArray();
    const auto bad = [] {
        return ApiReply::invalidField(
            u"secrets"_s, u"1 to 8 signing secrets (strings up to 4 KiB); list the old and the "
                          "new one while a provider rotates"_s);
    };
    if (!v.isArray() || list.isEmpty() || list.size() > kMaxSecrets)
        return bad();
    store::ConnectorSecrets out;
    for (const QJsonValue &s : list) {
        if (!s.isString() || s.toString().isEmpty() || s.toString().size() > kMaxSecretBytes)
            return bad();
        out.secrets.append(s.toString().toUtf8());
    }
    const QJsonValue token = body.value("verify_token"_L1);
    if (!token.isUndefined() && (!token.isString() || token.toString().size() > kMaxSecretBytes))
        return ApiReply::invalidField(u"verify_token"_s, u"a string up to 4 KiB"_s);
    out.verifyToken = token.toString().toUtf8();
    return out;
}

std::optional<ApiReply> invalidConnector(const QJsonObject &body)
{
    static const QStringList fields{u"kind"_s, u"secrets"_s, u"verify_token"_s, u"settings"_s};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!fields.contains(it.key()))
            return ApiReply::invalidField(
                it.key(), u"unknown field; a connector has %1"_s.arg(fields.join(u", "_s)));
    }
    const QString kind = body.value("kind"_L1).toString();
    if (!store::ConnectorStore::kinds().contains(kind))
        return ApiReply::invalidField(
            u"kind"_s, u"one of %1"_s.arg(store::ConnectorStore::kinds().join(u", "_s)));
    const QJsonValue settings = body.value("settings"_L1);
    if (!settings.isUndefined() && !settings.isObject())
        return ApiReply::invalidField(u"settings"_s, u"a JSON object"_s);
    if (auto ok = inbound::checkSettings(kind, settings.toObject()); !ok)
        return ApiReply::invalidField(u"settings"_s, ok.error().message);
    if (body.contains("verify_token"_L1) && kind != "whatsapp"_L1)
        return ApiReply::invalidField(u"verify_token"_s,
                                      u"only a whatsapp connector has a verify token"_s);
    return std::nullopt;
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto tenantId = usableTenant(request);
    if (!tenantId)
        return tenantId.error();
    auto list = store::ConnectorStore(request.db, request.actor()).list(*tenantId);
    if (!list)
        return request.storeError(list.error());
    QJsonArray items;
    for (const store::ConnectorInfo &c : *list)
        items.append(connectorJson(c));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

ApiReply put(const ApiRequest &request)
{
    auto tenantId = usableTenant(request);
    if (!tenantId)
        return tenantId.error();
    if (auto bad = invalidConnector(request.body))
        return *bad;
    auto secrets = secretsFrom(request.body);
    if (!secrets)
        return secrets.error();
    bool created = false;
    auto info = store::ConnectorStore(request.db, request.actor())
                    .put(*tenantId, request.pathParameter(u"tenant"_s),
                         request.pathParameter(u"name"_s), request.body.value("kind"_L1).toString(),
                         request.body.value("settings"_L1).toObject(), *secrets, *request.masterKey,
                         &created);
    if (!info)
        return request.writeError(info.error());
    return ApiReply::json(connectorJson(*info), created ? 201 : 200);
}

ApiReply remove(const ApiRequest &request)
{
    auto tenantId = usableTenant(request);
    if (!tenantId)
        return tenantId.error();
    auto r = store::ConnectorStore(request.db, request.actor())
                 .remove(*tenantId, request.pathParameter(u"tenant"_s),
                         request.pathParameter(u"name"_s));
    return r ? ApiReply::noContent() : request.writeError(r.error());
}

} // namespace ferry::agent::api::connectors
