#include "agent/ctl/admincommands.h"

#include "agent/app/cliio.h"
#include "agent/ctl/apioutput.h"
#include "agent/ctl/ctlio.h"

#include <QCommandLineParser>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

using agent::err;
using agent::out;

const QString kTokensUsage = u"tokens [list] [--tenant T] | tokens create --role "
                             "viewer|operator|admin [--tenant T] [--name TEXT] [--expires-in "
                             "DURATION] | tokens revoke ID"_s;

const QList<Column> kTokenColumns = {
    {u"id"_s, u"id"_s},
    {u"name"_s, u"name"_s},
    {u"role"_s, u"role"_s},
    {u"tenant"_s, u"tenant"_s},
    {u"created"_s, u"created_at"_s},
    {u"expires"_s, u"expires_at"_s},
    {u"revoked"_s, u"revoked_at"_s},
};

const QList<Column> kAgentColumns = {
    {u"id"_s, u"id"_s},
    {u"host"_s, u"host"_s},
    {u"version"_s, u"version"_s},
    {u"pid"_s, u"pid"_s},
    {u"up (s)"_s, u"uptime_seconds"_s},
    {u"alive"_s, u"alive"_s},
    {u"silent (s)"_s, u"silent_seconds"_s},
    {u"jobs"_s, u"jobs"_s},
    {u"api"_s, u"listen.api"_s},
    {u"current"_s, u"current"_s},
};

const QList<Column> kGroupColumns = {
    {u"count"_s, u"count"_s},           {u"tenant"_s, u"tenant"_s},    {u"route"_s, u"endpoint"_s},
    {u"name"_s, u"endpoint_name"_s},    {u"target"_s, u"target"_s},    {u"reason"_s, u"reason"_s},
    {u"breaker"_s, u"breaker"_s},       {u"first"_s, u"first_seen"_s}, {u"last"_s, u"last_seen"_s},
    {u"last error"_s, u"last_error"_s},
};

int createToken(const ApiProfile &profile, const QCommandLineParser &p)
{
    if (!p.isSet(u"role"_s))
        return usage(u"tokens create needs --role viewer, operator or admin"_s);
    QJsonObject body{{u"role"_s, p.value(u"role"_s)}};
    if (p.isSet(u"tenant"_s))
        body.insert(u"tenant"_s, p.value(u"tenant"_s));
    if (p.isSet(u"name"_s))
        body.insert(u"name"_s, p.value(u"name"_s));
    if (p.isSet(u"expires-in"_s))
        body.insert(u"expires_in"_s, p.value(u"expires-in"_s));
    const auto r = apiCall(profile, "POST", u"/v1/tokens"_s,
                           QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s)) {
        printJson(r);
        return 0;
    }
    // The secret alone on standard output (for a pipe into a file or a keychain), the rest on
    // standard error.
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    err() << "created token " << cell(o.value("id"_L1)) << " (" << o.value("role"_L1).toString()
          << ", "
          << (o.value("tenant"_L1).isNull() ? u"every tenant"_s : o.value("tenant"_L1).toString())
          << "); its secret is shown only now:" << Qt::endl;
    out() << o.value("token"_L1).toString() << Qt::endl;
    return 0;
}

} // namespace

int tokens(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub.isEmpty() || sub == "list"_L1) {
        return list(
            profile, p,
            withFilters(
                p, u"/v1/tokens"_s,
                {{u"tenant"_s, u"tenant"_s}, {u"limit"_s, u"limit"_s}, {u"cursor"_s, u"cursor"_s}}),
            kTokenColumns);
    }
    if (sub == "create"_L1 && args.size() == 2)
        return createToken(profile, p);
    if (sub == "revoke"_L1 && args.size() == 3) {
        const auto r = apiCall(profile, "DELETE", u"/v1/tokens/"_s + args[2]);
        if (!r.ok())
            return refused(r);
        out() << "revoked token " << args[2] << Qt::endl;
        return 0;
    }
    return usage(kTokensUsage);
}

int agents(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    if (args.size() > 1 && args[1] != "list"_L1)
        return usage(u"agents [list]"_s);
    return list(profile, p, u"/v1/agents"_s, kAgentColumns);
}

int dlqGroups(const ApiProfile &profile, const QCommandLineParser &p)
{
    return list(profile, p,
                withFilters(p, u"/v1/dlq/groups"_s,
                            {{u"tenant"_s, u"tenant"_s},
                             {u"channel"_s, u"channel"_s},
                             {u"since"_s, u"since"_s},
                             {u"limit"_s, u"limit"_s}}),
                kGroupColumns);
}

void addAdminOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"role"_s, u"tokens create: viewer, operator or admin."_s, u"ROLE"_s},
        {u"name"_s, u"tokens create: what the token is for (\"console of ana\")."_s, u"TEXT"_s},
        {u"expires-in"_s, u"tokens create: a lifetime such as 12h or 90d (default: none)."_s,
         u"DURATION"_s},
    });
}

} // namespace ferry::ctl
