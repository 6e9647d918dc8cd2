#include "agent/api/apirequest.h"

#include "agent/adapters/ssrfpolicy.h"
#include "agent/api/apijson.h"
#include "agent/api/apiserver.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/publicerror.h"
#include "agent/store/readmodels/apistore.h"
#include "shared/problem.h"
#include "shared/redactedurl.h"

#include "agent/net/httprequest.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

ApiReply ApiReply::json(const QJsonValue &value, int status)
{
    return {status, value.isArray()
                        ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)};
}

ApiReply ApiReply::problem(int status, const QString &slug, const QString &title,
                           const QString &detail)
{
    return {status, Problem::make(status, slug, title, detail).toJson()};
}

ApiReply ApiReply::notFound(const QString &detail)
{
    return problem(404, u"not-found"_s, u"Not found"_s, detail);
}

ApiReply ApiReply::badParameter(const QString &detail)
{
    return problem(400, u"invalid-parameter"_s, u"Invalid parameter"_s, detail);
}

ApiReply ApiReply::invalidField(const QString &field, const QString &detail)
{
    Problem p = Problem::make(422, u"invalid-field"_s, u"Invalid request"_s,
                              u"%1: %2"_s.arg(field, detail));
    p.extra.insert(u"field"_s, field);
    return {422, p.toJson()};
}

std::optional<ApiReply> readTimes(const QHash<QString, QString> &p,
                                  std::initializer_list<std::pair<QString, QDateTime *>> targets,
                                  const QString &example)
{
    for (const auto &[name, target] : targets) {
        if (!p.contains(name))
            continue;
        *target = apijson::timeParameter(p.value(name));
        if (!target->isValid())
            return ApiReply::badParameter(
                u"%1 '%2' is not an ISO 8601 time such as %3"_s.arg(name, p.value(name), example));
    }
    return std::nullopt;
}

QString ApiRequest::queryValue(const QString &name) const
{
    return QUrlQuery(http.url).queryItemValue(name);
}

bool ApiRequest::hasQueryValue(const QString &name) const
{
    return QUrlQuery(http.url).hasQueryItem(name);
}

QHash<QString, QString> ApiRequest::queryValues() const
{
    QHash<QString, QString> values;
    for (const auto &item : QUrlQuery(http.url).queryItems(QUrl::FullyDecoded))
        values.insert(item.first, item.second);
    return values;
}

QByteArray ApiRequest::header(const QByteArray &name) const
{
    QByteArray value;
    for (const auto &h : http.headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            value = h.second;
    }
    return value;
}

QString ApiRequest::actor() const
{
    return u"api:token/%1"_s.arg(who.tokenId);
}

QString ApiRequest::shownUrl(const QString &url) const
{
    return int(who.role) >= int(store::Role::Admin) ? url : redactedUrl(url);
}

bool ApiRequest::visible(qint64 tenantId) const
{
    return tenantId != 0 && (who.tenantId == 0 || who.tenantId == tenantId);
}

Result<qint64, ApiReply> ApiRequest::visibleTenant() const
{
    const QString tenant = pathParameter(u"tenant"_s);
    auto tenantId = store::AdminStore(db, actor()).findTenant(tenant);
    if (!tenantId)
        return writeError(tenantId.error());
    if (*tenantId == 0 || (who.tenantId != 0 && who.tenantId != *tenantId))
        return ApiReply::notFound(u"no tenant named '%1'"_s.arg(tenant));
    return *tenantId;
}

Result<adapters::SsrfGuard, ApiReply> ApiRequest::tenantGuard(qint64 tenantId) const
{
    auto guard = adapters::SsrfPolicy::tenantGuard(ssrfGuard, db, tenantId);
    if (!guard)
        return storeError(guard.error());
    return *guard;
}

std::optional<ApiReply> ApiRequest::hiddenDelivery(const QUuid &id) const
{
    auto owner = store::ApiStore(db).deliveryTenant(id);
    if (!owner)
        return storeError(owner.error());
    if (!visible(*owner))
        return ApiReply::notFound();
    return std::nullopt;
}

ApiReply ApiRequest::storeError(const Error &e) const
{
    if (!db.isOpen() || db.isBroken())
        db.close();
    return databaseProblem(e);
}

ApiReply ApiRequest::databaseProblem(const Error &e) const
{
    const auto pub = store::publicError(e, u"api "_s + QString::fromLatin1(route.method) + u' ' +
                                               http.url.path());
    Problem p =
        Problem::make(503, pub.timedOut ? u"store-timeout"_s : u"store-unavailable"_s,
                      pub.timedOut ? u"Database too slow"_s : u"Database error"_s, pub.message);
    if (!pub.ref.isEmpty())
        p.extra.insert(u"ref"_s, pub.ref);
    return {503, p.toJson()};
}

ApiReply ApiRequest::writeError(const Error &e) const
{
    if (e.code >= 400 && e.code < 500) {
        if (e.code == 404)
            return ApiReply::notFound(e.message);
        if (e.code == 409)
            return ApiReply::problem(409, u"conflict"_s, u"Conflict"_s, e.message);
        return ApiReply::problem(e.code, u"invalid"_s, u"Invalid request"_s, e.message);
    }
    if (db.isBroken())
        db.close();
    return databaseProblem(e);
}

Result<int, ApiReply> ApiRequest::limit(int fallback) const
{
    if (!hasQueryValue(u"limit"_s))
        return fallback;
    const QString text = queryValue(u"limit"_s);
    if (const auto limit = apijson::limitFrom(text))
        return *limit;
    return ApiReply::badParameter(
        u"limit '%1' is out of range: give a whole number from 1 to 1000 (default %2)"_s
            .arg(text.left(20))
            .arg(fallback));
}

Result<Page, ApiReply> ApiRequest::page(const QString &prefix) const
{
    const QUrlQuery q(http.url);
    Page page;
    const auto limit = this->limit(page.limit);
    if (!limit)
        return limit.error();
    page.limit = *limit;
    const QString cursor = q.queryItemValue(u"cursor"_s);
    if (!cursor.isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(
            cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals |
                                   QByteArray::AbortOnBase64DecodingErrors);
        const QString text = QString::fromUtf8(decoded.decoded);
        if (!decoded || !text.startsWith(prefix))
            return ApiReply::invalidField(
                u"cursor"_s, u"not a cursor of this list: pass next_cursor as it was answered"_s);
        page.position = text.mid(prefix.size());
    }
    return page;
}

std::optional<ApiReply> ApiRequest::onlyParameters(const QStringList &known) const
{
    const auto values = queryValues();
    for (auto it = values.constBegin(); it != values.constEnd(); ++it) {
        if (!known.contains(it.key()))
            return ApiReply::badParameter(u"unknown parameter '%1'; this route accepts %2"_s.arg(
                it.key(), known.join(u", "_s)));
    }
    return std::nullopt;
}

} // namespace ferry::agent::api
