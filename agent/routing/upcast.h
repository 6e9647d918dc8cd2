#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// Schema versions on routes: which versions of an event a route accepts, and the declarative
// upcasts that bring an older version's `data` to one it accepts (docs/schemas.md). Pure
// functions: the route API checks a route's upcasts with them, the route store derives the
// versions routing lets through, and the dispatcher maps a payload before it is sent.
namespace ferry::agent::routing {

// A schema version: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit
// ("1", "2.1", "v3"). The registry and routes use the same names.
bool isSchemaVersion(const QString &version);
// A dotted path of object keys into an event's `data` ("customer.id"): 1 to 200 characters,
// no empty key, no whitespace.
bool isFieldPath(const QString &path);
// The value at a dotted path of `data`; nullopt when a key on the way is missing or a value on
// the way is not an object.
std::optional<QJsonValue> fieldAt(const QJsonObject &data, const QString &path);

// One step from version `from` to version `to`, applied to `data` in this order: each `rename`
// moves the value at its source path to its target path (a missing source moves nothing), each
// `set` assigns its value (creating objects on the way, replacing what is there), each `drop`
// removes its path. Paths are isFieldPath(); entries apply in key order.
struct Upcast
{
    QString from;
    QString to;
    QList<QPair<QString, QString>> rename;
    QList<QPair<QString, QJsonValue>> set;
    QStringList drop;

    // {"from", "to", "rename": {…}, "set": {…}, "drop": […]}, as parseUpcasts() reads it.
    QJsonObject toJson() const;
};

// A route's `upcasts` field: an array of upcast objects (null: none). Errors name the entry and
// its member ("upcasts[1].rename: …").
Result<QList<Upcast>> parseUpcasts(const QJsonValue &value);
QJsonArray upcastsJson(const QList<Upcast> &upcasts);

// What a route with `accepted` versions (empty: every version, then there may be no upcasts)
// and `upcasts` needs to be consistent: one upcast per `from` version, none from an accepted
// version, and each leads (in one or more steps) to an accepted version.
Result<void> checkUpcasts(const QStringList &accepted, const QList<Upcast> &upcasts);

// The upcasts that take `version` to an accepted one, in order: empty when the route accepts it
// as it is (or accepts every version); nullopt when it cannot be brought to one.
std::optional<QList<Upcast>> upcastChain(const QString &version, const QStringList &accepted,
                                         const QList<Upcast> &upcasts);
// Every version an event may have for the route to take it: the accepted ones and those an
// upcast chain leads from. Empty when the route accepts every version.
QStringList routableVersions(const QStringList &accepted, const QList<Upcast> &upcasts);

// One step over an event's `data` (an object; absent data counts as an empty one).
QJsonObject upcastData(QJsonObject data, const Upcast &upcast);
// The event (CloudEvent JSON) with `chain` applied to its `data` and its `schemaversion` set to
// the last step's `to`, as compact JSON. An event whose `data` is present but not an object (or
// that carries data_base64) keeps its data as it is; only its version changes. The chain
// empty: the event unchanged.
Result<QByteArray> upcastEvent(const QByteArray &eventJson, const QList<Upcast> &chain);

} // namespace ferry::agent::routing
