#include "agent/ctl/schemacommands.h"

#include "agent/app/cliio.h"
#include "agent/ctl/apioutput.h"
#include "agent/ctl/ctlio.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

using agent::err;
using agent::out;

const QString kUsage =
    u"schemas list --tenant T [--event-type TYPE] | schemas put --tenant T TYPE VERSION "
    "[--field PATH[:TYPE]]… [--description TEXT] [--schema-file FILE] | schemas delete --tenant "
    "T TYPE VERSION | schemas strict --tenant T on|off"_s;

// /v1/tenants/TENANT/schemas[/TYPE/VERSION], each word one path segment, percent-encoded.
QString schemaPath(const QCommandLineParser &p, const QStringList &words)
{
    QString path = u"/v1/tenants/%1/schemas"_s.arg(
        QString::fromLatin1(QUrl::toPercentEncoding(p.value(u"tenant"_s))));
    for (const QString &word : words)
        path += u'/' + QString::fromLatin1(QUrl::toPercentEncoding(word));
    return path;
}

// "customer.id:string" → {"path": "customer.id", "type": "string"}; a path without one of the
// types after its last ':' is a path of any type.
QJsonValue fieldJson(const QString &spec)
{
    static const QStringList types{u"string"_s,  u"number"_s, u"integer"_s,
                                   u"boolean"_s, u"object"_s, u"array"_s};
    const qsizetype colon = spec.lastIndexOf(u':');
    if (colon > 0 && types.contains(spec.mid(colon + 1)))
        return QJsonObject{{u"path"_s, spec.left(colon)}, {u"type"_s, spec.mid(colon + 1)}};
    return QJsonObject{{u"path"_s, spec}};
}

// The body of a PUT: --schema-file's object, with the --field and --description options on top.
Result<QJsonObject> schemaBody(const QCommandLineParser &p)
{
    QJsonObject body;
    if (p.isSet(u"schema-file"_s)) {
        QFile f(p.value(u"schema-file"_s));
        if (!f.open(QIODevice::ReadOnly))
            return makeError(u"cannot read %1: %2"_s.arg(f.fileName(), f.errorString()));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
        if (!doc.isObject())
            return makeError(
                u"%1 does not hold a JSON object such as {\"required\": "
                "[{\"path\": \"customer.id\", \"type\": \"string\"}]}"_s.arg(f.fileName()));
        body = doc.object();
    }
    QJsonArray required = body.value("required"_L1).toArray();
    for (const QString &spec : p.values(u"field"_s))
        required.append(fieldJson(spec));
    body.insert(u"required"_s, required);
    if (p.isSet(u"description"_s))
        body.insert(u"description"_s, p.value(u"description"_s));
    return body;
}

// Each item's required fields as "customer.id:string, total", for the table.
QJsonArray readable(const QJsonArray &items)
{
    QJsonArray out;
    for (const QJsonValue &item : items) {
        QJsonObject o = item.toObject();
        QStringList fields;
        for (const QJsonValue &f : o.value("required"_L1).toArray()) {
            const QString type = f["type"_L1].toString();
            fields.append(f["path"_L1].toString() + (type.isEmpty() ? QString() : u':' + type));
        }
        o.insert(u"required"_s, fields.join(u", "_s));
        out.append(o);
    }
    return out;
}

int listSchemas(const ApiProfile &profile, const QCommandLineParser &p)
{
    const auto r = apiCall(profile, "GET",
                           withFilters(p, schemaPath(p, {}),
                                       {{u"event-type"_s, u"event_type"_s},
                                        {u"limit"_s, u"limit"_s},
                                        {u"cursor"_s, u"cursor"_s}}));
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s)) {
        printJson(r);
        return 0;
    }
    const QJsonObject o = r.json().toObject();
    out() << "tenant " << p.value(u"tenant"_s) << ": strict mode "
          << (o.value("strict_schemas"_L1).toBool()
                  ? "on (events of registered types must match their schema)"
                  : "off")
          << "\n";
    printTable(readable(o.value("items"_L1).toArray()), {{u"event type"_s, u"event_type"_s},
                                                         {u"version"_s, u"version"_s},
                                                         {u"required"_s, u"required"_s},
                                                         {u"description"_s, u"description"_s},
                                                         {u"updated"_s, u"updated_at"_s}});
    const QString next = o.value("next_cursor"_L1).toString();
    if (!next.isEmpty())
        err() << "more: add --cursor " << next << Qt::endl;
    return 0;
}

int deleteSchema(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const auto r = apiCall(profile, "DELETE", schemaPath(p, args.mid(2, 2)));
    if (!r.ok())
        return refused(r);
    out() << "deleted version " << args[3] << " of " << args[2] << Qt::endl;
    return 0;
}

int strictMode(const ApiProfile &profile, const QCommandLineParser &p, const QString &word)
{
    if (word != "on"_L1 && word != "off"_L1)
        return usage(u"schemas strict --tenant T on|off"_s);
    return post(profile, p, "PATCH",
                u"/v1/tenants/"_s +
                    QString::fromLatin1(QUrl::toPercentEncoding(p.value(u"tenant"_s))),
                {{u"strict_schemas"_s, word == "on"_L1}});
}

} // namespace

int schemas(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (!p.isSet(u"tenant"_s) || p.value(u"tenant"_s).isEmpty())
        return usage(kUsage);
    if ((sub.isEmpty() || sub == "list"_L1) && args.size() <= 2)
        return listSchemas(profile, p);
    if (sub == "put"_L1 && args.size() == 4) {
        auto body = schemaBody(p);
        if (!body)
            return usage(body.error().message);
        return post(profile, p, "PUT", schemaPath(p, args.mid(2, 2)), *body);
    }
    if (sub == "delete"_L1 && args.size() == 4)
        return deleteSchema(profile, p, args);
    if (sub == "strict"_L1 && args.size() == 3)
        return strictMode(profile, p, args[2]);
    return usage(kUsage);
}

void addSchemaOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"field"_s,
         u"schemas put: a required field of the event's data, PATH or PATH:TYPE (string, "
         "number, integer, boolean, object, array); repeat for more."_s,
         u"PATH[:TYPE]"_s},
        {u"description"_s, u"schemas put: what this version is."_s, u"TEXT"_s},
        {u"schema-file"_s,
         u"schemas put: the version as JSON, {\"required\": […], \"description\": …}."_s,
         u"FILE"_s},
    });
}

} // namespace ferry::ctl
