#pragma once

#include "agent/store/admin/credentialstore.h"
#include "agent/store/admin/dlqstore.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QUuid>

#include <optional>
#include <utility>

// Request-independent helpers of the API's resources: JSON conversions, parameter parsing and
// the opaque cursors of paged lists.
namespace ferry::agent::api::apijson {

QString iso(const QDateTime &t);
QJsonValue isoOrNull(const QDateTime &t);
// `url`: the route's target as the caller may see it (ApiRequest::shownUrl()).
QJsonObject deadJson(const store::DeadDelivery &d, const QString &url);
QJsonObject credentialJson(const store::CredentialInfo &c);
store::DlqFilter filterFrom(const QJsonObject &o);

// A whole number in [min, max], or none.
std::optional<qint64> wholeNumber(const QJsonValue &v, qint64 min, qint64 max);
// "24h", "7d", "90m", "3600s" → seconds; 0 when not such a duration.
qint64 windowSeconds(const QString &text);
// An ISO 8601 time; one without an offset is UTC. Invalid when it is none.
QDateTime timeParameter(const QString &text);
// 1 to 1000 from `text`, or none.
std::optional<int> limitFrom(const QString &text);
QByteArray csvField(const QString &s);

// Cursors: base64url of a prefix and a position.
QJsonValue cursorFor(const QString &prefix, const QString &position);
// The delivery search's keyset cursor: (micros, id).
QString deliveryCursor(const std::pair<qint64, QUuid> &at);
std::optional<std::pair<qint64, QUuid>> deliveryPosition(const QString &text);

} // namespace ferry::agent::api::apijson
