#include "agent/api/resources/overviewresource.h"

#include "agent/api/apijson.h"
#include "agent/store/readmodels/apistore.h"
#include "agent/store/readmodels/reportstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::overview {

namespace {

const QString kBadCursor = u"the cursor is not one this API gave out; pass the next_cursor of "
                           "the previous page unchanged"_s;

// The SLA list's cursor: the last tenant of the previous page.
std::optional<QString> tenantPosition(const QString &cursor)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith("t1:") || decoded.decoded.size() < 4)
        return std::nullopt;
    return QString::fromUtf8(decoded.decoded.mid(3));
}

} // namespace

ApiReply whoami(const ApiRequest &request)
{
    const store::ApiPrincipal &who = request.who;
    return ApiReply::json(
        QJsonObject{{u"token_id"_s, who.tokenId},
                    {u"role"_s, store::roleName(who.role)},
                    {u"tenant"_s, who.tenantId ? QJsonValue(who.tenant) : QJsonValue()},
                    {u"agent_version"_s, QStringLiteral(FERRY_VERSION)}});
}

ApiReply overview(const ApiRequest &request)
{
    auto r = store::ApiStore(request.db).overview(request.who.tenantId);
    return r ? ApiReply::json(*r) : request.storeError(r.error());
}

ApiReply sla(const ApiRequest &request)
{
    if (auto bad = request.onlyParameters({u"window"_s, u"limit"_s, u"cursor"_s}))
        return *bad;
    const auto p = request.queryValues();
    const QString window = p.value(u"window"_s, u"24h"_s);
    const qint64 seconds = apijson::windowSeconds(window);
    if (seconds <= 0 || seconds > qint64(366) * 86400)
        return ApiReply::badParameter(
            u"window '%1' is not a duration: use 1h, 24h, 7d or a "
            "number of seconds such as 3600s (at most 366 days)"_s.arg(window));
    const auto limit = p.contains(u"limit"_s) ? apijson::limitFrom(p.value(u"limit"_s)) : 100;
    if (!limit)
        return ApiReply::badParameter(u"limit is a number from 1 to 1000 (default 100)"_s);
    const auto after = p.contains(u"cursor"_s) ? tenantPosition(p.value(u"cursor"_s)) : QString();
    if (!after)
        return ApiReply::badParameter(kBadCursor);
    const QDateTime to = QDateTime::currentDateTimeUtc();
    auto r = store::ReportStore(request.db)
                 .sla(request.who.tenantId, to.addSecs(-seconds), to, *after, *limit + 1);
    if (!r)
        return request.storeError(r.error());
    QJsonValue next;
    if (r->size() > *limit) {
        r->removeLast();
        next = QString::fromLatin1(
            ("t1:" + r->last().toObject().value("tenant"_L1).toString().toUtf8())
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }
    return ApiReply::json(QJsonObject{{u"items"_s, *r}, {u"next_cursor"_s, next}});
}

} // namespace ferry::agent::api::overview
