#include "agent/api/apijson.h"

#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::apijson {

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(iso(t)) : QJsonValue();
}

QJsonObject deadJson(const store::DeadDelivery &d, const QString &url)
{
    return {{u"id"_s, d.id.toString(QUuid::WithoutBraces)},
            {u"tenant"_s, d.tenant},
            {u"event_id"_s, d.eventId.toString(QUuid::WithoutBraces)},
            {u"event_type"_s, d.eventType},
            {u"endpoint"_s, d.endpointId},
            {u"endpoint_name"_s, d.endpointName.isEmpty() ? QJsonValue() : d.endpointName},
            {u"url"_s, url},
            {u"channel"_s, d.channel},
            {u"attempts"_s, d.attempts},
            {u"reason"_s, d.reason},
            {u"last_error"_s, d.lastError},
            {u"died_at"_s, d.finishedAt.toString(Qt::ISODate)},
            {u"triage_status"_s, d.triageStatus},
            {u"assignee"_s, d.assignee}};
}

QJsonObject credentialJson(const store::CredentialInfo &c)
{
    return {{u"name"_s, c.name},
            {u"provider"_s, c.provider},
            {u"created_at"_s, iso(c.createdAt)},
            {u"updated_at"_s, iso(c.updatedAt)},
            {u"fingerprint"_s, c.fingerprint},
            {u"base_url"_s, c.account.baseUrl.isEmpty() ? QJsonValue() : c.account.baseUrl},
            {u"rate_per_second"_s,
             c.account.ratePerSecond > 0 ? QJsonValue(c.account.ratePerSecond) : QJsonValue()},
            {u"max_concurrency"_s,
             c.account.maxConcurrency > 0 ? QJsonValue(c.account.maxConcurrency) : QJsonValue()}};
}

store::DlqFilter filterFrom(const QJsonObject &o)
{
    store::DlqFilter f;
    f.tenant = o.value("tenant"_L1).toString();
    // Absent or null: every endpoint. Anything but a whole number that can be an id matches no
    // endpoint: a filter that cannot be read never widens to all of them (and a double beyond
    // qint64, such as 1e300, is never converted to one).
    const QJsonValue endpoint = o.value("endpoint"_L1);
    if (!endpoint.isUndefined() && !endpoint.isNull())
        f.endpointId = wholeNumber(endpoint, 0, qint64(1) << 53).value_or(-1);
    f.channel = o.value("channel"_L1).toString();
    // "reason": "" names the deliveries that died without a recorded reason.
    f.reason = o.value("reason"_L1).toString();
    f.noReason = o.value("reason"_L1).isString() && f.reason.isEmpty();
    f.since = QDateTime::fromString(o.value("since"_L1).toString(), Qt::ISODate);
    f.until = QDateTime::fromString(o.value("until"_L1).toString(), Qt::ISODate);
    f.triageStatus = o.value("status"_L1).toString();
    f.limit = o.value("limit"_L1).toInt(100);
    return f;
}

std::optional<qint64> wholeNumber(const QJsonValue &v, qint64 min, qint64 max)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d != std::floor(d) || d < double(min) || d > double(max))
        return std::nullopt;
    return qint64(d);
}

qint64 windowSeconds(const QString &text)
{
    static const QRegularExpression re(u"^([0-9]{1,9})([smhd])$"_s);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return 0;
    const qint64 n = m.captured(1).toLongLong();
    const QChar unit = m.captured(2).at(0);
    return n * (unit == u's' ? 1 : unit == u'm' ? 60 : unit == u'h' ? 3600 : 86400);
}

QDateTime timeParameter(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    if (t.isValid() && t.timeSpec() == Qt::LocalTime)
        t.setTimeZone(QTimeZone::utc()); // no offset given: UTC
    return t;
}

std::optional<int> limitFrom(const QString &text)
{
    bool ok = false;
    const int limit = text.toInt(&ok);
    if (!ok || limit < 1 || limit > 1000)
        return std::nullopt;
    return limit;
}

QByteArray csvField(const QString &s)
{
    if (!s.contains(u',') && !s.contains(u'"') && !s.contains(u'\n') && !s.contains(u'\r'))
        return s.toUtf8();
    return '"' + QString(s).replace(u"\""_s, u"\"\""_s).toUtf8() + '"';
}

QJsonValue cursorFor(const QString &prefix, const QString &position)
{
    return QString::fromLatin1(
        (prefix + position)
            .toUtf8()
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString deliveryCursor(const std::pair<qint64, QUuid> &at)
{
    return QString::fromLatin1(
        (QByteArray("d1:") + QByteArray::number(at.first) + ':' +
         at.second.toByteArray(QUuid::WithoutBraces))
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<std::pair<qint64, QUuid>> deliveryPosition(const QString &text)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    const QList<QByteArray> parts = decoded.decoded.split(':');
    if (!decoded || parts.size() != 3 || parts[0] != "d1")
        return std::nullopt;
    bool ok = false;
    const qint64 micros = parts[1].toLongLong(&ok);
    const QUuid id = QUuid::fromString(QLatin1StringView(parts[2]));
    if (!ok || id.isNull())
        return std::nullopt;
    return std::pair(micros, id);
}

} // namespace ferry::agent::api::apijson
