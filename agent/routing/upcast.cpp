#include "agent/routing/upcast.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry::agent::routing {

namespace {

constexpr qsizetype kMaxUpcasts = 20;
constexpr qsizetype kMaxEntries = 100; // per rename, set or drop

// Sets `value` at `keys` (from `at` on), creating or replacing objects on the way.
void setAt(QJsonObject &object, const QStringList &keys, qsizetype at, const QJsonValue &value)
{
    if (at == keys.size() - 1) {
        object.insert(keys[at], value);
        return;
    }
    QJsonObject child = object.value(keys[at]).toObject(); // not an object: replaced
    setAt(child, keys, at + 1, value);
    object.insert(keys[at], child);
}

// Removes the value at `keys`, if it is there; true when something was removed.
bool removeAt(QJsonObject &object, const QStringList &keys, qsizetype at)
{
    const auto it = object.find(keys[at]);
    if (it == object.end())
        return false;
    if (at == keys.size() - 1) {
        object.erase(it);
        return true;
    }
    if (!it->isObject())
        return false;
    QJsonObject child = it->toObject();
    if (!removeAt(child, keys, at + 1))
        return false;
    *it = child;
    return true;
}

Error invalid(qsizetype index, const QString &member, const QString &detail)
{
    return makeError(u"upcasts[%1]%2: %3"_s.arg(index).arg(member, detail), 422);
}

// `rename`: an object of path → path, as pairs.
Result<QList<QPair<QString, QString>>> renames(const QJsonValue &v, qsizetype index)
{
    QList<QPair<QString, QString>> out;
    const QJsonObject o = v.toObject();
    if (!v.isUndefined() && !v.isNull() && !v.isObject())
        return invalid(index, u".rename"_s, u"an object of old path → new path"_s);
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!isFieldPath(it.key()) || !it->isString() || !isFieldPath(it->toString()))
            return invalid(index, u".rename"_s,
                           u"'%1': each entry maps a dotted path in data to another, such as "
                           "{\"cust_id\": \"customer.id\"}"_s.arg(it.key()));
        out.append({it.key(), it->toString()});
    }
    return out;
}

Result<QList<QPair<QString, QJsonValue>>> assignments(const QJsonValue &v, qsizetype index)
{
    QList<QPair<QString, QJsonValue>> out;
    if (!v.isUndefined() && !v.isNull() && !v.isObject())
        return invalid(index, u".set"_s, u"an object of path → value"_s);
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!isFieldPath(it.key()))
            return invalid(index, u".set"_s,
                           u"'%1' is not a dotted path in data, such as \"currency\" or "
                           "\"customer.tier\""_s.arg(it.key()));
        out.append({it.key(), it.value()});
    }
    return out;
}

Result<QStringList> drops(const QJsonValue &v, qsizetype index)
{
    QStringList out;
    if (!v.isUndefined() && !v.isNull() && !v.isArray())
        return invalid(index, u".drop"_s, u"a list of dotted paths in data"_s);
    for (const QJsonValue &path : v.toArray()) {
        if (!isFieldPath(path.toString()))
            return invalid(index, u".drop"_s,
                           u"each entry is a dotted path in data, such as \"legacy\""_s);
        out.append(path.toString());
    }
    return out;
}

Result<void> checkMembers(const QJsonObject &o, qsizetype index)
{
    static const QStringList known{u"from"_s, u"to"_s, u"rename"_s, u"set"_s, u"drop"_s};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(
                index, {},
                u"unknown member '%1'; an upcast has %2"_s.arg(it.key(), known.join(u", "_s)));
    }
    for (const char *end : {"from", "to"}) {
        if (!isSchemaVersion(o.value(QLatin1StringView(end)).toString()))
            return invalid(index, u"."_s + QLatin1StringView(end),
                           u"a schema version: 1 to 64 letters, digits, '.', '_' or '-'"_s);
    }
    if (o.value("from"_L1) == o.value("to"_L1))
        return invalid(index, {}, u"\"from\" and \"to\" name the same version"_s);
    return {};
}

Result<Upcast> parseOne(const QJsonValue &v, qsizetype index)
{
    if (!v.isObject())
        return invalid(index, {},
                       u"an object such as {\"from\": \"1\", \"to\": \"2\", \"rename\": "
                       "{\"cust_id\": \"customer.id\"}, \"set\": {\"currency\": \"EUR\"}, "
                       "\"drop\": [\"legacy\"]}"_s);
    const QJsonObject o = v.toObject();
    if (auto ok = checkMembers(o, index); !ok)
        return ok.error();
    auto rename = renames(o.value("rename"_L1), index);
    auto set = assignments(o.value("set"_L1), index);
    auto drop = drops(o.value("drop"_L1), index);
    if (!rename || !set || !drop)
        return !rename ? rename.error() : !set ? set.error() : drop.error();
    if (rename->size() > kMaxEntries || set->size() > kMaxEntries || drop->size() > kMaxEntries)
        return invalid(index, {},
                       u"at most %1 entries in each of rename, set and drop"_s.arg(kMaxEntries));
    return Upcast{o.value("from"_L1).toString(), o.value("to"_L1).toString(), *rename, *set, *drop};
}

const Upcast *upcastFrom(const QList<Upcast> &upcasts, const QString &version)
{
    for (const Upcast &u : upcasts) {
        if (u.from == version)
            return &u;
    }
    return nullptr;
}

} // namespace

bool isSchemaVersion(const QString &version)
{
    static const QRegularExpression valid(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"_s);
    return valid.match(version).hasMatch();
}

bool isFieldPath(const QString &path)
{
    static const QRegularExpression valid(u"^[^.\\s]+(\\.[^.\\s]+)*$"_s);
    return path.size() <= 200 && valid.match(path).hasMatch();
}

std::optional<QJsonValue> fieldAt(const QJsonObject &data, const QString &path)
{
    QJsonValue at = data;
    for (const QStringView key : QStringView(path).split(u'.')) {
        if (!at.isObject())
            return std::nullopt;
        const QJsonObject object = at.toObject();
        const auto it = object.constFind(key);
        if (it == object.constEnd())
            return std::nullopt;
        at = *it;
    }
    return at;
}

QJsonObject Upcast::toJson() const
{
    QJsonObject renameObject;
    for (const auto &[source, target] : rename)
        renameObject.insert(source, target);
    QJsonObject setObject;
    for (const auto &[path, value] : set)
        setObject.insert(path, value);
    QJsonObject o{{u"from"_s, from}, {u"to"_s, to}};
    if (!rename.isEmpty())
        o.insert(u"rename"_s, renameObject);
    if (!set.isEmpty())
        o.insert(u"set"_s, setObject);
    if (!drop.isEmpty())
        o.insert(u"drop"_s, QJsonArray::fromStringList(drop));
    return o;
}

Result<QList<Upcast>> parseUpcasts(const QJsonValue &value)
{
    if (!value.isNull() && !value.isUndefined() && !value.isArray())
        return makeError(u"upcasts: a list of upcasts such as [{\"from\": \"1\", \"to\": \"2\", "
                         "\"rename\": {\"cust_id\": \"customer.id\"}}], or [] or null for none"_s,
                         422);
    const QJsonArray array = value.toArray();
    if (array.size() > kMaxUpcasts)
        return makeError(u"upcasts: at most %1 per route"_s.arg(kMaxUpcasts), 422);
    QList<Upcast> out;
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto one = parseOne(array[i], i);
        if (!one)
            return one.error();
        out.append(*one);
    }
    return out;
}

QJsonArray upcastsJson(const QList<Upcast> &upcasts)
{
    QJsonArray out;
    for (const Upcast &u : upcasts)
        out.append(u.toJson());
    return out;
}

Result<void> checkUpcasts(const QStringList &accepted, const QList<Upcast> &upcasts)
{
    if (accepted.isEmpty() && !upcasts.isEmpty())
        return makeError(u"upcasts: a route with upcasts names the versions it accepts in "
                         "\"schema_versions\" (it takes every version as it is otherwise)"_s,
                         422);
    QSet<QString> from;
    for (const Upcast &u : upcasts) {
        if (from.contains(u.from))
            return makeError(
                u"upcasts: two upcasts start from version '%1'; give one"_s.arg(u.from), 422);
        from.insert(u.from);
        if (accepted.contains(u.from))
            return makeError(u"upcasts: the route accepts version '%1' as it is; remove the "
                             "upcast from it"_s.arg(u.from),
                             422);
    }
    for (const Upcast &u : upcasts) {
        if (!upcastChain(u.from, accepted, upcasts))
            return makeError(u"upcasts: version '%1' leads to no version the route accepts (%2); "
                             "end the chain at one of them"_s.arg(u.from, accepted.join(u", "_s)),
                             422);
    }
    return {};
}

std::optional<QList<Upcast>> upcastChain(const QString &version, const QStringList &accepted,
                                         const QList<Upcast> &upcasts)
{
    QList<Upcast> chain;
    QString at = version;
    while (!accepted.isEmpty() && !accepted.contains(at)) {
        const Upcast *next = upcastFrom(upcasts, at);
        if (!next || chain.size() >= upcasts.size()) // no step, or a cycle
            return std::nullopt;
        chain.append(*next);
        at = next->to;
    }
    return chain;
}

QStringList routableVersions(const QStringList &accepted, const QList<Upcast> &upcasts)
{
    QStringList out = accepted;
    for (const Upcast &u : upcasts) {
        if (!out.contains(u.from) && upcastChain(u.from, accepted, upcasts))
            out.append(u.from);
    }
    return out;
}

QJsonObject upcastData(QJsonObject data, const Upcast &upcast)
{
    for (const auto &[source, target] : upcast.rename) {
        const auto value = fieldAt(data, source);
        if (!value)
            continue;
        removeAt(data, source.split(u'.'), 0);
        setAt(data, target.split(u'.'), 0, *value);
    }
    for (const auto &[path, value] : upcast.set)
        setAt(data, path.split(u'.'), 0, value);
    for (const QString &path : upcast.drop)
        removeAt(data, path.split(u'.'), 0);
    return data;
}

Result<QByteArray> upcastEvent(const QByteArray &eventJson, const QList<Upcast> &chain)
{
    if (chain.isEmpty())
        return eventJson;
    QJsonParseError error;
    QJsonObject event = QJsonDocument::fromJson(eventJson, &error).object();
    if (error.error != QJsonParseError::NoError || event.isEmpty())
        return makeError(u"the stored event is not a JSON object: %1"_s.arg(error.errorString()));
    const QJsonValue data = event.value("data"_L1);
    const bool binary = event.contains("data_base64"_L1);
    if (!binary && (data.isObject() || data.isUndefined() || data.isNull())) {
        QJsonObject mapped = data.toObject();
        for (const Upcast &step : chain)
            mapped = upcastData(mapped, step);
        event.insert(u"data"_s, mapped);
    }
    event.insert(u"schemaversion"_s, chain.last().to);
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

} // namespace ferry::agent::routing
