#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace ferry::sim {

// One HTTP request as a provider sees it: the parts the simulator's handlers need.
struct SimRequest
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;

    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    // The request's idempotency header, whichever of the usual names it used.
    QString idempotencyKey() const;
    // The token of an `Authorization: Bearer …` header; empty without one.
    QByteArray bearerToken() const;
};

// One answer, written by the server as it is (or held, or dropped, by the fault knobs).
struct Answer
{
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray contentType = "application/json; charset=utf-8";

    QByteArray serialize() const;
    static Answer json(int status, const QByteArray &body) { return Answer{status, body, {}}; }
};

// An `application/x-www-form-urlencoded` body, in order ('+' is a space).
QList<QPair<QString, QString>> decodeForm(const QByteArray &body);
QByteArray encodeForm(const QList<QPair<QString, QString>> &fields);

} // namespace ferry::sim
