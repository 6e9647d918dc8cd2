#include "agent/ctl/routecommands.h"

#include "agent/ctl/apioutput.h"
#include "agent/ctl/ctlio.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

// A number option into `body` when it is set; false when it is not a number.
bool addNumber(const QCommandLineParser &p, const QString &option, const QString &field,
               QJsonObject &body)
{
    if (!p.isSet(option))
        return true;
    bool ok = false;
    const double v = p.value(option).toDouble(&ok);
    if (ok)
        body.insert(field, v);
    return ok;
}

int createRoute(const ApiProfile &profile, const QCommandLineParser &p)
{
    if (!p.isSet(u"tenant"_s) || !p.isSet(u"target"_s))
        return usage(u"routes create --tenant T --target URL|RECIPIENT [--channel C] "
                     "[--credential NAME] [--event-type TYPE]… [--rate N] [--concurrency N]"_s);
    QJsonObject body{{u"tenant"_s, p.value(u"tenant"_s)},
                     {u"channel"_s, p.isSet(u"channel"_s) ? p.value(u"channel"_s) : u"webhook"_s},
                     {u"target"_s, p.value(u"target"_s)}};
    if (p.isSet(u"credential"_s))
        body.insert(u"credential"_s, p.value(u"credential"_s));
    if (p.isSet(u"event-type"_s))
        body.insert(u"event_types"_s, QJsonArray::fromStringList(p.values(u"event-type"_s)));
    if (!addNumber(p, u"rate"_s, u"rate_per_second"_s, body) ||
        !addNumber(p, u"concurrency"_s, u"concurrency"_s, body))
        return usage(u"--rate and --concurrency take numbers"_s);
    return post(profile, p, "POST", u"/v1/routes"_s, body);
}

// The credential's secret: a JSON object from a file ('-': standard input), never an argument
// (it would show in the process list and the shell's history).
Result<QJsonObject> readSecret(const QString &path)
{
    QFile f(path);
    const bool opened =
        path == "-"_L1 ? f.open(stdin, QIODevice::ReadOnly) : f.open(QIODevice::ReadOnly);
    if (!opened)
        return makeError(u"cannot read %1: %2"_s.arg(path, f.errorString()));
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject())
        return makeError(
            u"%1 does not hold a JSON object such as {\"account_sid\": …}"_s.arg(path));
    return doc.object();
}

int putCredential(const ApiProfile &profile, const QCommandLineParser &p, const QString &name)
{
    if (!p.isSet(u"tenant"_s) || !p.isSet(u"provider"_s) || !p.isSet(u"secret-file"_s))
        return usage(u"credentials put --tenant T NAME --provider twilio|meta|fcm|smtp|webhook "
                     "--secret-file FILE|- [--base-url URL] [--rate N] [--max-concurrency N]"_s);
    auto secret = readSecret(p.value(u"secret-file"_s));
    if (!secret)
        return usage(secret.error().message);
    QJsonObject body{{u"provider"_s, p.value(u"provider"_s)}, {u"secret"_s, *secret}};
    if (p.isSet(u"base-url"_s))
        body.insert(u"base_url"_s, p.value(u"base-url"_s));
    if (!addNumber(p, u"rate"_s, u"rate_per_second"_s, body) ||
        !addNumber(p, u"max-concurrency"_s, u"max_concurrency"_s, body))
        return usage(u"--rate and --max-concurrency take numbers"_s);
    return post(profile, p, "PUT",
                u"/v1/tenants/%1/credentials/%2"_s.arg(p.value(u"tenant"_s), name), body);
}

} // namespace

int routes(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub.isEmpty() || sub == "list"_L1)
        return list(profile, p, withFilters(p, u"/v1/routes"_s, {{u"tenant"_s, u"tenant"_s}}),
                    {{u"id"_s, u"id"_s},
                     {u"tenant"_s, u"tenant"_s},
                     {u"channel"_s, u"channel"_s},
                     {u"target"_s, u"target"_s},
                     {u"credential"_s, u"credential"_s},
                     {u"event types"_s, u"event_types"_s},
                     {u"rate/s"_s, u"rate_per_second"_s},
                     {u"ordered"_s, u"ordered"_s},
                     {u"enabled"_s, u"enabled"_s}});
    if (sub == "show"_L1 && args.size() == 3)
        return show(profile, p, u"/v1/routes/"_s + args[2]);
    if (sub == "create"_L1 && args.size() == 2)
        return createRoute(profile, p);
    return usage(u"routes [list] [--tenant T] | routes show ID | routes create --tenant T "
                 "--target URL|RECIPIENT [--channel C] [--credential NAME] …"_s);
}

int credentials(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    const QString base = u"/v1/tenants/%1/credentials"_s.arg(p.value(u"tenant"_s));
    if (!p.isSet(u"tenant"_s))
        return usage(u"credentials needs --tenant T"_s);
    if (sub.isEmpty() || sub == "list"_L1)
        return list(profile, p, base,
                    {{u"name"_s, u"name"_s},
                     {u"provider"_s, u"provider"_s},
                     {u"base url"_s, u"base_url"_s},
                     {u"rate/s"_s, u"rate_per_second"_s},
                     {u"max conc."_s, u"max_concurrency"_s},
                     {u"updated"_s, u"updated_at"_s}});
    if (sub == "put"_L1 && args.size() == 3)
        return putCredential(profile, p, args[2]);
    if (sub == "delete"_L1 && args.size() == 3)
        return post(profile, p, "DELETE", base + u'/' + args[2], {});
    return usage(u"credentials list --tenant T | credentials put --tenant T NAME … | "
                 "credentials delete --tenant T NAME"_s);
}

void addRouteOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"target"_s, u"routes create: the webhook URL, or the recipient (a template)."_s,
         u"TARGET"_s},
        {u"credential"_s, u"routes create: the provider account it sends through."_s, u"NAME"_s},
        {u"event-type"_s, u"routes create: only events of this type (repeatable)."_s, u"TYPE"_s},
        {u"rate"_s, u"routes create, credentials put: requests per second (all agents)."_s, u"N"_s},
        {u"concurrency"_s, u"routes create: requests in flight at once."_s, u"N"_s},
        {u"provider"_s, u"credentials put: twilio, meta, fcm, smtp or webhook."_s, u"NAME"_s},
        {u"secret-file"_s, u"credentials put: the secret, a JSON file ('-': stdin)."_s, u"FILE"_s},
        {u"base-url"_s, u"credentials put: where the provider is reached."_s, u"URL"_s},
        {u"max-concurrency"_s, u"credentials put: requests in flight at once."_s, u"N"_s},
    });
}

} // namespace ferry::ctl
