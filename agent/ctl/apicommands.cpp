#include "agent/ctl/apicommands.h"

#include "agent/app/cliio.h"
#include "agent/ctl/admincommands.h"
#include "agent/ctl/apiclient.h"
#include "agent/ctl/apioutput.h"
#include "agent/ctl/ctlio.h"
#include "agent/ctl/inboundcommands.h"
#include "agent/ctl/jobcommands.h"
#include "agent/ctl/reconcilecommands.h"
#include "agent/ctl/routecommands.h"
#include "agent/ctl/schedulecommands.h"
#include "agent/ctl/schemacommands.h"
#include "agent/ctl/tokeninput.h"
#include "agent/ctl/workflowcommands.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QUrlQuery>

#include <tuple>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

using agent::err;
using agent::out;

const QList<std::pair<QString, QString>> kDeliveryFilters = {
    {u"tenant"_s, u"tenant"_s},   {u"state"_s, u"state"_s},
    {u"channel"_s, u"channel"_s}, {u"endpoint"_s, u"endpoint"_s},
    {u"since"_s, u"since"_s},     {u"until"_s, u"until"_s},
    {u"event"_s, u"event_id"_s},  {u"partition-key"_s, u"partition_key"_s},
    {u"limit"_s, u"limit"_s},     {u"cursor"_s, u"cursor"_s},
    {u"reason"_s, u"reason"_s},   {u"status"_s, u"status"_s},
};

const QList<Column> kDeadColumns = {
    {u"id"_s, u"id"_s},
    {u"tenant"_s, u"tenant"_s},
    {u"channel"_s, u"channel"_s},
    {u"type"_s, u"event_type"_s},
    {u"attempts"_s, u"attempts"_s},
    {u"reason"_s, u"reason"_s},
    {u"died"_s, u"died_at"_s},
    {u"triage"_s, u"triage_status"_s},
    {u"assignee"_s, u"assignee"_s},
    {u"last error"_s, u"last_error"_s},
};

int login(const QCommandLineParser &p)
{
    ApiProfile profile;
    profile.path = ApiProfile::defaultPath();
    profile.url = p.value(u"url"_s);
    profile.pin = p.value(u"pin"_s);
    profile.caFile = p.value(u"cacert"_s);
    if (profile.url.isEmpty())
        return usage(u"login needs --url https://HOST:7643; the token comes on standard input "
                     "or with --token-file FILE"_s);
    if (!profile.pin.isEmpty() && !profile.pin.startsWith("sha256/"_L1))
        return usage(u"--pin takes the fingerprint as 'ferry-agent cert generate' prints it: "
                     "sha256/<base64>"_s);
    auto token = readLoginToken(p);
    if (!token)
        return usage(token.error().message);
    profile.token = *token;
    const auto r = apiCall(profile, "GET", u"/v1/overview"_s);
    if (r.status == 0) {
        err() << "ferryctl: " << r.error << Qt::endl;
        if (profile.pin.isEmpty() && profile.caFile.isEmpty()) {
            // Shown, never trusted: the user compares it with what the agent printed.
            const auto seen = fetchFingerprint(profile.url);
            if (seen && !seen->isEmpty())
                err() << "The agent presents the key fingerprint " << *seen
                      << "\nIf it is the one 'ferry-agent cert generate' printed on the agent, "
                         "run again with --pin "
                      << *seen << Qt::endl;
        }
        return 1;
    }
    if (r.status == 401)
        return refused(r);
    if (auto saved = profile.save(); !saved)
        return usage(saved.error().message);
    out() << "logged in to " << profile.url << "; settings in " << profile.path
          << " (readable only by you)" << Qt::endl;
    return 0;
}

int logout()
{
    const QString path = ApiProfile::defaultPath();
    QFile::remove(path);
    out() << "logged out; removed " << path << Qt::endl;
    return 0;
}

int overview(const ApiProfile &profile, const QCommandLineParser &p, const QStringList & /*words*/)
{
    return show(profile, p, u"/v1/overview"_s);
}

int tenants(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub.isEmpty() || sub == "list"_L1)
        return list(profile, p, u"/v1/tenants"_s,
                    {{u"name"_s, u"name"_s},
                     {u"display name"_s, u"display_name"_s},
                     {u"disabled"_s, u"disabled"_s},
                     {u"created"_s, u"created_at"_s},
                     {u"events/s"_s, u"quotas.events_per_second"_s},
                     {u"events/day"_s, u"quotas.events_per_day"_s},
                     {u"max bytes"_s, u"quotas.max_payload_bytes"_s}});
    if (sub == "show"_L1 && args.size() == 3)
        return show(profile, p, u"/v1/tenants/"_s + args[2]);
    if (sub == "create"_L1 && args.size() == 3)
        return post(profile, p, "POST", u"/v1/tenants"_s, {{u"name"_s, args[2]}});
    if (sub == "networks"_L1 && args.size() >= 3) {
        QStringList cidrs;
        for (const QString &arg : args.mid(3))
            cidrs += arg.split(u',', Qt::SkipEmptyParts);
        return post(profile, p, "PATCH", u"/v1/tenants/"_s + args[2],
                    {{u"allowed_networks"_s, QJsonArray::fromStringList(cidrs)}});
    }
    if (sub == "rename"_L1 && args.size() == 4)
        return post(profile, p, "PATCH", u"/v1/tenants/"_s + args[2],
                    {{u"display_name"_s, args[3]}});
    if ((sub == "disable"_L1 || sub == "enable"_L1) && args.size() == 3)
        return post(profile, p, "PATCH", u"/v1/tenants/"_s + args[2],
                    {{u"disabled"_s, sub == "disable"_L1}});
    return usage(u"tenants [list] | tenants show NAME | tenants create NAME | "
                 "tenants networks NAME [CIDR…] (none: clear) | tenants rename NAME DISPLAY-NAME | "
                 "tenants disable|enable NAME"_s);
}

int deliveries(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub.isEmpty() || sub == "list"_L1 || sub == "search"_L1)
        return list(profile, p, withFilters(p, u"/v1/deliveries"_s, kDeliveryFilters),
                    {{u"id"_s, u"id"_s},
                     {u"tenant"_s, u"tenant"_s},
                     {u"channel"_s, u"channel"_s},
                     {u"type"_s, u"event_type"_s},
                     {u"state"_s, u"state"_s},
                     {u"attempts"_s, u"attempts"_s},
                     {u"partition"_s, u"partition_key"_s},
                     {u"updated"_s, u"updated_at"_s},
                     {u"last error"_s, u"last_error"_s}});
    if (sub == "show"_L1 && args.size() == 3)
        return show(profile, p, u"/v1/deliveries/"_s + args[2]);
    return usage(u"deliveries [--tenant T --state S --channel C --since T --until T --event "
                 "ID --partition-key K] | deliveries show ID"_s);
}

// By ids, or by the filter options (the API's field names; numbers as numbers).
int dlqReplay(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    if (args.size() > 2) {
        QJsonArray ids;
        for (qsizetype i = 2; i < args.size(); ++i)
            ids.append(args[i]);
        return post(profile, p, "POST", u"/v1/dlq/replay"_s, {{u"ids"_s, ids}});
    }
    QJsonObject filter;
    for (const auto &[option, field] : kDeliveryFilters) {
        if (p.isSet(option) && option != "cursor"_L1)
            filter.insert(field == "event_id"_L1 ? field : option,
                          option == "endpoint"_L1 || option == "limit"_L1
                              ? QJsonValue(p.value(option).toDouble())
                              : QJsonValue(p.value(option)));
    }
    if (filter.isEmpty() && !p.isSet(u"dry-run"_s))
        return usage(u"dlq replay needs delivery ids, or a filter (--tenant, --reason, "
                     "--since…; try --dry-run first)"_s);
    return post(profile, p, "POST", u"/v1/dlq/replay"_s,
                {{u"filter"_s, filter}, {u"dry_run"_s, p.isSet(u"dry-run"_s)}});
}

int dlqNote(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    QJsonObject body{{u"note"_s, QStringList(args.mid(3)).join(u' ')}};
    if (p.isSet(u"assignee"_s))
        body.insert(u"assignee"_s, p.value(u"assignee"_s));
    if (p.isSet(u"status"_s))
        body.insert(u"status"_s, p.value(u"status"_s));
    return post(profile, p, "POST", u"/v1/dlq/%1/notes"_s.arg(args[2]), body);
}

int dlq(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub.isEmpty() || sub == "list"_L1)
        return list(profile, p, withFilters(p, u"/v1/dlq"_s, kDeliveryFilters), kDeadColumns);
    if (sub == "show"_L1 && args.size() == 3)
        return show(profile, p, u"/v1/deliveries/"_s + args[2]);
    if (sub == "replay"_L1)
        return dlqReplay(profile, p, args);
    if (sub == "groups"_L1 && args.size() == 2)
        return dlqGroups(profile, p);
    if (sub == "discard"_L1 && args.size() == 3) {
        if (!p.isSet(u"reason"_s))
            return usage(u"dlq discard ID needs --reason \"why\" (it goes to the audit log)"_s);
        return post(profile, p, "POST", u"/v1/dlq/%1/discard"_s.arg(args[2]),
                    {{u"reason"_s, p.value(u"reason"_s)}});
    }
    if (sub == "note"_L1 && args.size() >= 3)
        return dlqNote(profile, p, args);
    return usage(u"dlq list [filters] | dlq groups [--tenant --channel --since --limit] | dlq "
                 "show ID | dlq replay ID… | dlq replay "
                 "[filters] [--dry-run] | dlq discard ID --reason R | dlq note ID TEXT "
                 "[--assignee WHO] [--status S]"_s);
}

// The API's CSV or JSON as it came, to --output or standard output.
int writeReport(const QCommandLineParser &p, const ApiReply &r)
{
    QFile file;
    if (p.isSet(u"output"_s)) {
        file.setFileName(p.value(u"output"_s));
        if (!file.open(QIODevice::WriteOnly))
            return usage(u"cannot write %1: %2"_s.arg(file.fileName(), file.errorString()));
    } else if (!file.open(stdout, QIODevice::WriteOnly)) {
        return usage(u"cannot write to standard output"_s);
    }
    file.write(r.body);
    if (p.isSet(u"output"_s))
        err() << "wrote " << file.fileName() << Qt::endl;
    return 0;
}

// The audit log through GET /v1/audit, filtered like the API: a table, --json or --csv.
int audit(const ApiProfile &profile, const QCommandLineParser &p, const QStringList & /*words*/)
{
    const QString path = withFilters(p, u"/v1/audit"_s,
                                     {{u"tenant"_s, u"tenant"_s},
                                      {u"actor"_s, u"actor"_s},
                                      {u"action"_s, u"action"_s},
                                      {u"since"_s, u"since"_s},
                                      {u"until"_s, u"until"_s},
                                      {u"limit"_s, u"limit"_s},
                                      {u"before"_s, u"before"_s}});
    const bool csv = p.isSet(u"csv"_s);
    const auto r = apiCall(profile, "GET", path, {}, csv ? "text/csv" : "application/json");
    if (!r.ok())
        return refused(r);
    if (csv || p.isSet(u"json"_s))
        return writeReport(p, r);
    const QJsonObject o = r.json().toObject();
    printTable(o.value("items"_L1).toArray(), {{u"id"_s, u"id"_s},
                                               {u"at"_s, u"at"_s},
                                               {u"actor"_s, u"actor"_s},
                                               {u"tenant"_s, u"tenant"_s},
                                               {u"action"_s, u"action"_s},
                                               {u"subject"_s, u"subject"_s}});
    if (const QJsonValue next = o.value("next_before"_L1); !next.isNull() && !next.isUndefined())
        err() << "more: add --before " << next.toInteger() << Qt::endl;
    return 0;
}

int report(const ApiProfile &profile, const QCommandLineParser &p, const QStringList & /*words*/)
{
    const bool csv = p.isSet(u"csv"_s);
    const QString path =
        withFilters(p, u"/v1/reports/deliveries"_s,
                    {{u"tenant"_s, u"tenant"_s}, {u"from"_s, u"from"_s}, {u"to"_s, u"to"_s}});
    const auto r = apiCall(profile, "GET", path, {}, csv ? "text/csv" : "application/json");
    if (!r.ok())
        return refused(r);
    if (csv || p.isSet(u"json"_s))
        return writeReport(p, r);
    if (p.isSet(u"output"_s))
        return usage(u"--output goes with --csv or --json"_s);
    const QJsonObject o = r.json().toObject();
    out() << "tenant " << o.value("tenant"_L1).toString() << ", " << cell(o.value("from"_L1))
          << " to " << cell(o.value("to"_L1)) << "\n";
    printTable(o.value("rows"_L1).toArray(), {{u"channel"_s, u"channel"_s},
                                              {u"state"_s, u"state"_s},
                                              {u"deliveries"_s, u"deliveries"_s},
                                              {u"cost"_s, u"cost"_s}});
    out() << "total " << cell(o.value("total"_L1)) << ", SLA attainment "
          << cell(o.value("sla"_L1).toObject().value("attainment"_L1)) << Qt::endl;
    return 0;
}

// A template's path: CHANNEL and TYPE ('*': every type) of --tenant.
QString templatePath(const QCommandLineParser &p, const QStringList &args)
{
    return u"/v1/tenants/%1/templates/%2/%3"_s.arg(p.value(u"tenant"_s), args[2], args[3]);
}

// The file's text, or its JSON object when `json`; a usage message when it has neither.
Result<QJsonValue> readPart(const QString &path, bool json)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(u"cannot read %1: %2"_s.arg(path, f.errorString()));
    const QByteArray bytes = f.readAll();
    if (!json)
        return QJsonValue(QString::fromUtf8(bytes));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (!doc.isObject())
        return makeError(u"%1 does not hold a JSON object: %2"_s.arg(
            path, error.error ? error.errorString() : u"it holds another JSON value"_s));
    return QJsonValue(doc.object());
}

int templatesPut(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    QJsonObject body;
    if (p.isSet(u"subject"_s))
        body.insert(u"subject"_s, p.value(u"subject"_s));
    const std::tuple<QString, QString, bool> files[] = {{u"text-file"_s, u"text"_s, false},
                                                        {u"html-file"_s, u"html"_s, false},
                                                        {u"options-file"_s, u"options"_s, true},
                                                        {u"sample-file"_s, u"sample"_s, true}};
    for (const auto &[option, field, json] : files) {
        if (!p.isSet(option))
            continue;
        auto part = readPart(p.value(option), json);
        if (!part)
            return usage(part.error().message);
        body.insert(field, *part);
    }
    return post(profile, p, "PUT", templatePath(p, args), body);
}

int templates(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    const QString usageText =
        u"templates list --tenant T | templates show|delete --tenant T CHANNEL TYPE | "
        "templates put --tenant T CHANNEL TYPE [--subject S] [--text-file F] [--html-file F] "
        "[--options-file F] [--sample-file F] (TYPE '*': every event type)"_s;
    if (!p.isSet(u"tenant"_s))
        return usage(usageText);
    if (sub.isEmpty() || sub == "list"_L1)
        return list(profile, p,
                    withFilters(p, u"/v1/tenants/%1/templates"_s.arg(p.value(u"tenant"_s)),
                                {{u"limit"_s, u"limit"_s}, {u"cursor"_s, u"cursor"_s}}),
                    {{u"channel"_s, u"channel"_s},
                     {u"event type"_s, u"event_type"_s},
                     {u"subject"_s, u"subject"_s},
                     {u"updated"_s, u"updated_at"_s}});
    if (args.size() != 4)
        return usage(usageText);
    if (sub == "show"_L1)
        return show(profile, p, templatePath(p, args));
    if (sub == "put"_L1)
        return templatesPut(profile, p, args);
    if (sub == "delete"_L1) {
        const auto r = apiCall(profile, "DELETE", templatePath(p, args));
        if (!r.ok())
            return refused(r);
        out() << "deleted the " << args[2] << " template for " << args[3] << Qt::endl;
        return 0;
    }
    return usage(usageText);
}

// The commands that need a login; `login` and `logout` are handled before the profile loads.
struct ApiCommand
{
    const char *name;
    int (*run)(const ApiProfile &, const QCommandLineParser &, const QStringList &);
};

constexpr ApiCommand kApiCommands[] = {
    {"overview", overview},     {"audit", audit},           {"tenants", tenants},
    {"routes", routes},         {"deliveries", deliveries}, {"dlq", dlq},
    {"report", report},         {"templates", templates},   {"credentials", credentials},
    {"connectors", connectors}, {"inbox", inbox},           {"messages", messages},
    {"prices", prices},         {"reconcile", reconcile},   {"reconciliation", reconciliation},
    {"workflows", workflows},   {"schemas", schemas},       {"jobs", jobs},
    {"schedules", schedules},   {"tokens", tokens},         {"agents", agents},
};

} // namespace

void addApiOptions(QCommandLineParser &parser)
{
    addRouteOptions(parser);
    addInboundOptions(parser);
    addSchemaOptions(parser);
    addReconcileOptions(parser);
    addWorkflowOptions(parser);
    addScheduleOptions(parser);
    addJobOptions(parser);
    addAdminOptions(parser);
    parser.addOptions({
        {u"url"_s, u"login: the agent's API, https://HOST:7643."_s, u"URL"_s},
        {u"pin"_s,
         u"login: the agent's key fingerprint (sha256/…) from 'ferry-agent cert generate'."_s,
         u"FINGERPRINT"_s},
        {u"cacert"_s, u"login: a CA file that signed the agent's certificate."_s, u"FILE"_s},
        {u"token-file"_s, u"login: read the API token from this file (default: standard input)."_s,
         u"FILE"_s},
        {u"json"_s, u"Print the API's JSON instead of a table."_s},
        {u"tenant"_s, u"Filter by, or act on, this tenant."_s, u"TENANT"_s},
        {u"state"_s,
         u"deliveries: pending, in_flight, retry_wait, succeeded, dead…; inbox: pending, done, "
         "dead; jobs: running, succeeded, failed, retrying, timed_out, cancelled, lost."_s,
         u"STATE"_s},
        {u"channel"_s, u"Filter by channel (webhook, email, sms…)."_s, u"CHANNEL"_s},
        {u"endpoint"_s, u"Filter by route (endpoint) id."_s, u"ID"_s},
        {u"since"_s, u"From this time (ISO 8601)."_s, u"TIME"_s},
        {u"until"_s, u"Up to this time (ISO 8601)."_s, u"TIME"_s},
        {u"event"_s, u"deliveries: of this event id."_s, u"ID"_s},
        {u"partition-key"_s, u"deliveries: with this partition key."_s, u"KEY"_s},
        {u"limit"_s, u"At most this many items (1-1000)."_s, u"N"_s},
        {u"cursor"_s, u"Continue a list where the last one stopped."_s, u"CURSOR"_s},
        {u"reason"_s, u"dlq: filter by reason; discard: why."_s, u"REASON"_s},
        {u"status"_s, u"dlq: triage status (new, investigating, resolved…)."_s, u"STATUS"_s},
        {u"assignee"_s, u"dlq note: assign to this person."_s, u"WHO"_s},
        {u"dry-run"_s, u"dlq replay by filter: count, change nothing."_s},
        {u"from"_s, u"report: period start (ISO 8601)."_s, u"TIME"_s},
        {u"to"_s, u"report: period end (ISO 8601)."_s, u"TIME"_s},
        {u"csv"_s, u"report, audit: CSV instead of a table."_s},
        {u"output"_s, u"report, audit: write to this file instead of standard output."_s,
         u"FILE"_s},
        {u"actor"_s, u"audit: entries whose actor contains this text."_s, u"TEXT"_s},
        {u"action"_s, u"audit: this action (route.update) or family (route.*)."_s, u"ACTION"_s},
        {u"before"_s, u"audit: entries older than this id (the next page)."_s, u"ID"_s},
        {u"subject"_s, u"templates put: the subject (email) or title (push) template."_s,
         u"TEXT"_s},
        {u"text-file"_s, u"templates put: the plain-text body template."_s, u"FILE"_s},
        {u"html-file"_s, u"templates put: the HTML body template (email)."_s, u"FILE"_s},
        {u"options-file"_s, u"templates put: channel options, JSON with templates as strings."_s,
         u"FILE"_s},
        {u"sample-file"_s,
         u"templates put: an example event; the template must render against it."_s, u"FILE"_s},
    });
}

bool isApiCommand(const QString &command)
{
    if (command == "login"_L1 || command == "logout"_L1)
        return true;
    return std::any_of(std::begin(kApiCommands), std::end(kApiCommands),
                       [&](const ApiCommand &c) { return command == QLatin1StringView(c.name); });
}

int runApiCommand(const QCommandLineParser &p, const QStringList &args)
{
    const QString command = args.value(0);
    if (command == "login"_L1)
        return login(p);
    if (command == "logout"_L1)
        return logout();
    const auto profile = ApiProfile::load();
    if (!profile)
        return usage(profile.error().message);
    for (const ApiCommand &c : kApiCommands) {
        if (command == QLatin1StringView(c.name))
            return c.run(*profile, p, args);
    }
    return usage(u"unknown command '%1'; see ferryctl --help"_s.arg(command));
}

} // namespace ferry::ctl
