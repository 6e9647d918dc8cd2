#include "agent/api/resources/producersresource.h"

#include "agent/api/apijson.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/producerkeystore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::producers {

namespace {

QJsonObject producerJson(const store::ProducerCredential &c)
{
    QJsonObject o{{u"kind"_s, c.kind},
                  {u"id"_s, c.id},
                  {u"created_at"_s, apijson::iso(c.createdAt)},
                  {u"revoked_at"_s, apijson::isoOrNull(c.revokedAt)}};
    if (c.kind == "curve"_L1)
        o.insert(u"public_key"_s, QString::fromLatin1(c.publicKey));
    return o;
}

ApiReply createToken(const ApiRequest &request, const QString &tenant)
{
    auto token = store::AdminStore(request.db, request.actor()).addProducerToken(tenant);
    if (!token)
        return request.writeError(token.error());
    return ApiReply::json(QJsonObject{{u"kind"_s, u"token"_s},
                                      {u"id"_s, token->first},
                                      {u"token"_s, QString::fromLatin1(token->second)}},
                          201);
}

ApiReply createCurve(const ApiRequest &request, const QString &tenant)
{
    store::ProducerKeyStore keys(request.db);
    auto server = keys.serverPublicKey(request.masterKey ? &*request.masterKey : nullptr);
    if (!server)
        return request.writeError(server.error());
    qint64 newId = 0;
    auto pair = keys.addProducer(tenant, request.actor(), &newId);
    if (!pair)
        return request.writeError(pair.error());
    return ApiReply::json(QJsonObject{{u"kind"_s, u"curve"_s},
                                      {u"id"_s, newId},
                                      {u"public_key"_s, QString::fromLatin1(pair->publicKey)},
                                      {u"secret_key"_s, QString::fromLatin1(pair->secretKey)},
                                      {u"server_key"_s, QString::fromLatin1(*server)}},
                          201);
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    if (auto tenantId = request.visibleTenant(); !tenantId)
        return tenantId.error();
    auto page = request.page(u"p:"_s);
    if (!page)
        return page.error();
    const QString afterKind = page->position.section(u':', 0, 0);
    const qint64 afterId = page->position.section(u':', 1).toLongLong();
    auto list = store::AdminStore(request.db, request.actor())
                    .producerCredentials(request.pathParameter(u"tenant"_s), afterKind, afterId,
                                         page->limit + 1);
    if (!list)
        return request.writeError(list.error());
    QJsonArray items;
    QJsonValue next;
    for (qsizetype i = 0; i < list->size() && i < page->limit; ++i)
        items.append(producerJson(list->at(i)));
    if (list->size() > page->limit) {
        const auto &last = list->at(page->limit - 1);
        next = apijson::cursorFor(u"p:"_s, last.kind + u':' + QString::number(last.id));
    }
    return ApiReply::json(QJsonObject{{u"items"_s, items}, {u"next_cursor"_s, next}});
}

ApiReply create(const ApiRequest &request)
{
    if (auto tenantId = request.visibleTenant(); !tenantId)
        return tenantId.error();
    const QString tenant = request.pathParameter(u"tenant"_s);
    const QString kind = request.body.value("kind"_L1).toString();
    if (kind == "token"_L1)
        return createToken(request, tenant);
    if (kind == "curve"_L1)
        return createCurve(request, tenant);
    return ApiReply::invalidField(u"kind"_s, u"'token' (an HTTP bearer token) or 'curve' (a "
                                             "ZeroMQ CURVE key pair)"_s);
}

// DELETE …/producers/{num}?kind=token|curve
ApiReply revoke(const ApiRequest &request)
{
    if (auto tenantId = request.visibleTenant(); !tenantId)
        return tenantId.error();
    const QString tenant = request.pathParameter(u"tenant"_s);
    const qint64 id = request.pathParameter(u"num"_s).toLongLong();
    const QString kind = request.queryValue(u"kind"_s);
    Result<void> revoked;
    if (kind == "token"_L1)
        revoked = store::AdminStore(request.db, request.actor()).revokeProducerToken(tenant, id);
    else if (kind == "curve"_L1)
        revoked = store::ProducerKeyStore(request.db).revokeProducer(tenant, id, request.actor());
    else
        return ApiReply::invalidField(u"kind"_s, u"add ?kind=token or ?kind=curve: token and key "
                                                 "ids are separate"_s);
    if (!revoked)
        return request.writeError(revoked.error());
    return ApiReply::noContent();
}

} // namespace ferry::agent::api::producers
