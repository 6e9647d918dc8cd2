#include "agent/ctl/schedulecommands.h"

#include "agent/app/cliio.h"
#include "agent/ctl/apioutput.h"
#include "agent/ctl/ctlio.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

using agent::out;

constexpr qint64 kMaxBodyBytes = qint64(256) * 1024;

const QString kUsage =
    u"schedules list --tenant T | schedules show|delete|pause|resume --tenant T NAME | "
    "schedules put --tenant T NAME --cron EXPR [--time-zone ZONE] --event-type TYPE "
    "[--event-source S] [--data JSON | --data-file FILE] [--catch-up skip|once|all] "
    "[--catch-up-limit N] [--paused] | schedules put --tenant T NAME --definition-file FILE|-"_s;

// The options that build a body; --definition-file gives the whole body instead.
const QStringList kFieldOptions{u"cron"_s,         u"time-zone"_s,      u"event-type"_s,
                                u"event-source"_s, u"data"_s,           u"data-file"_s,
                                u"catch-up"_s,     u"catch-up-limit"_s, u"paused"_s};

QString encoded(const QString &word)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(word));
}

QString basePath(const QCommandLineParser &p)
{
    return u"/v1/tenants/%1/schedules"_s.arg(encoded(p.value(u"tenant"_s)));
}

QString schedulePath(const QCommandLineParser &p, const QString &name)
{
    return basePath(p) + u'/' + encoded(name);
}

// The bytes of FILE, '-' standard input; at most `kMaxBodyBytes`.
Result<QByteArray> readInput(const QString &path, const QString &option)
{
    QFile f(path);
    const bool opened =
        path == "-"_L1 ? f.open(stdin, QIODevice::ReadOnly) : f.open(QIODevice::ReadOnly);
    if (!opened)
        return makeError(u"--%1: cannot read %2 (%3); give a readable file, or '-' for standard "
                         "input"_s.arg(option, path, f.errorString()));
    return f.read(kMaxBodyBytes);
}

// Any JSON value, scalars included ("42", "\"text\"", "{…}").
Result<QJsonValue> parseData(const QByteArray &text, const QString &from)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "\n]", &error);
    if (!doc.isArray() || doc.array().size() != 1)
        return makeError(u"%1 is not one JSON value (%2); give the event's data as JSON, such as "
                         "'{\"format\":\"csv\"}'"_s.arg(from, error.error ? error.errorString()
                                                              : doc.array().isEmpty()
                                                                  ? u"it is empty"_s
                                                                  : u"it holds several values"_s));
    return doc.array().first();
}

// --data or --data-file, not both.
Result<QJsonValue> eventData(const QCommandLineParser &p)
{
    if (p.isSet(u"data"_s) && p.isSet(u"data-file"_s))
        return makeError(u"give the event's data once: --data JSON or --data-file FILE"_s);
    if (p.isSet(u"data"_s))
        return parseData(p.value(u"data"_s).toUtf8(), u"--data"_s);
    auto bytes = readInput(p.value(u"data-file"_s), u"data-file"_s);
    if (!bytes)
        return bytes.error();
    return parseData(*bytes, p.value(u"data-file"_s));
}

Result<QJsonObject> definitionBody(const QCommandLineParser &p)
{
    for (const QString &option : kFieldOptions) {
        if (p.isSet(option))
            return makeError(u"--definition-file gives the whole schedule: leave out --%1, or "
                             "put it into the file"_s.arg(option));
    }
    auto bytes = readInput(p.value(u"definition-file"_s), u"definition-file"_s);
    if (!bytes)
        return bytes.error();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &error);
    if (!doc.isObject())
        return makeError(u"%1 is not a JSON object (%2); it holds the schedule: {\"cron\": …, "
                         "\"event\": {\"type\": …}, …} (docs/api.md)"_s.arg(
                             p.value(u"definition-file"_s),
                             error.error ? error.errorString() : u"another JSON value"_s));
    return doc.object();
}

Result<QJsonObject> optionsBody(const QCommandLineParser &p)
{
    if (!p.isSet(u"cron"_s) || !p.isSet(u"event-type"_s))
        return makeError(u"schedules put needs --cron EXPR (such as '0 2 * * *', @daily or "
                         "'@every 30s') and --event-type TYPE, or --definition-file FILE|-; "
                         "usage: "_s +
                         kUsage);
    QJsonObject event{{u"type"_s, p.value(u"event-type"_s)}};
    if (p.isSet(u"event-source"_s))
        event.insert(u"source"_s, p.value(u"event-source"_s));
    if (p.isSet(u"data"_s) || p.isSet(u"data-file"_s)) {
        auto data = eventData(p);
        if (!data)
            return data.error();
        event.insert(u"data"_s, *data);
    }
    QJsonObject body{{u"cron"_s, p.value(u"cron"_s)}, {u"event"_s, event}};
    if (p.isSet(u"time-zone"_s))
        body.insert(u"time_zone"_s, p.value(u"time-zone"_s));
    if (p.isSet(u"catch-up"_s))
        body.insert(u"catch_up"_s, p.value(u"catch-up"_s));
    if (p.isSet(u"catch-up-limit"_s)) {
        bool ok = false;
        const int limit = p.value(u"catch-up-limit"_s).toInt(&ok);
        if (!ok)
            return makeError(u"--catch-up-limit takes a whole number from 1 to 10000 (the "
                             "missed slots --catch-up all fires at most), not '%1'"_s.arg(
                                 p.value(u"catch-up-limit"_s)));
        body.insert(u"catch_up_limit"_s, limit);
    }
    if (p.isSet(u"paused"_s))
        body.insert(u"paused"_s, true);
    return body;
}

int put(const ApiProfile &profile, const QCommandLineParser &p, const QString &name)
{
    static const QRegularExpression valid(u"^[a-z0-9][a-z0-9_.-]{0,62}$"_s);
    if (!valid.match(name).hasMatch())
        return usage(
            u"'%1' is not a schedule name: use 1 to 63 lowercase letters, digits, '.', "
            "'_' or '-', starting with a letter or digit (such as nightly-report)"_s.arg(name));
    auto body = p.isSet(u"definition-file"_s) ? definitionBody(p) : optionsBody(p);
    if (!body)
        return usage(body.error().message);
    return post(profile, p, "PUT", schedulePath(p, name), *body);
}

int remove(const ApiProfile &profile, const QCommandLineParser &p, const QString &name)
{
    const auto r = apiCall(profile, "DELETE", schedulePath(p, name));
    if (!r.ok())
        return refused(r);
    out() << "deleted the schedule " << name << "; the events it fired stay" << Qt::endl;
    return 0;
}

// Pause or resume, and say what it means for the next slot.
int setPaused(const ApiProfile &profile, const QCommandLineParser &p, const QString &name,
              bool paused)
{
    const auto r = apiCall(profile, "POST",
                           schedulePath(p, name) + (paused ? u"/pause"_s : u"/resume"_s), "{}");
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s)) {
        printJson(r);
        return 0;
    }
    const QJsonObject s = r.json().toObject();
    if (paused)
        out() << "paused the schedule " << name << ": no slot fires until 'ferryctl schedules "
              << "resume --tenant " << p.value(u"tenant"_s) << ' ' << name << "'" << Qt::endl;
    else
        out() << "resumed the schedule " << name << "; it fires next at "
              << cell(s.value("next_fire_at"_L1)) << " (the slots of the pause are not made up)"
              << Qt::endl;
    return 0;
}

} // namespace

int schedules(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (!p.isSet(u"tenant"_s))
        return usage(u"schedules commands need --tenant T; usage: "_s + kUsage);
    if ((sub.isEmpty() || sub == "list"_L1) && args.size() <= 2)
        return list(profile, p, basePath(p),
                    {{u"name"_s, u"name"_s},
                     {u"cron"_s, u"cron"_s},
                     {u"zone"_s, u"time_zone"_s},
                     {u"paused"_s, u"paused"_s},
                     {u"next fire"_s, u"next_fire_at"_s},
                     {u"fired"_s, u"fired"_s},
                     {u"skipped"_s, u"skipped"_s},
                     {u"last error"_s, u"last_error"_s}});
    if (args.size() != 3)
        return usage(kUsage);
    const QString &name = args[2];
    if (sub == "show"_L1)
        return show(profile, p, schedulePath(p, name));
    if (sub == "put"_L1)
        return put(profile, p, name);
    if (sub == "delete"_L1)
        return remove(profile, p, name);
    if (sub == "pause"_L1 || sub == "resume"_L1)
        return setPaused(profile, p, name, sub == "pause"_L1);
    return usage(kUsage);
}

void addScheduleOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"cron"_s,
         u"schedules put: when it fires: five cron fields ('0 2 * * *'), @hourly, @daily, "
         "@weekly, @monthly, @yearly, or '@every 30s'."_s,
         u"EXPR"_s},
        {u"time-zone"_s,
         u"schedules put: the zone its cron expression is read in (IANA, such as "
         "Europe/Berlin; default UTC)."_s,
         u"ZONE"_s},
        {u"event-source"_s, u"schedules put: the events' source (default /schedules/NAME)."_s,
         u"SOURCE"_s},
        {u"data"_s, u"schedules put: the events' data, JSON."_s, u"JSON"_s},
        {u"data-file"_s, u"schedules put: the events' data, a JSON file ('-': stdin)."_s,
         u"FILE"_s},
        {u"catch-up"_s,
         u"schedules put: slots missed while no agent ran: skip, once (default) or all."_s,
         u"POLICY"_s},
        {u"catch-up-limit"_s,
         u"schedules put: the missed slots --catch-up all fires at most (default 100)."_s, u"N"_s},
        {u"paused"_s, u"schedules put: store it paused (resume it later)."_s},
    });
}

} // namespace ferry::ctl
