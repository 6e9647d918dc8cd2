#include "agent/ctl/workflowcommands.h"

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

using agent::out;

constexpr qint64 kMaxDefinitionBytes = qint64(256) * 1024;

QString encoded(const QString &word)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(word));
}

QString basePath(const QCommandLineParser &p)
{
    return u"/v1/tenants/%1/workflows"_s.arg(encoded(p.value(u"tenant"_s)));
}

int putWorkflow(const ApiProfile &profile, const QCommandLineParser &p, const QString &name)
{
    const QString path = p.value(u"definition-file"_s);
    QFile f(path);
    const bool opened =
        path == "-"_L1 ? f.open(stdin, QIODevice::ReadOnly) : f.open(QIODevice::ReadOnly);
    if (path.isEmpty() || !opened)
        return usage(u"workflows put needs --definition-file FILE ('-': stdin), a JSON object "
                     "with trigger, cancel_on, correlate and steps (docs/workflows.md)"_s);
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.read(kMaxDefinitionBytes), &error);
    if (!doc.isObject())
        return usage(u"%1 is not a JSON object (%2)"_s.arg(path, error.errorString()));
    return post(profile, p, "PUT", basePath(p) + u'/' + encoded(name), doc.object());
}

int deleteWorkflow(const ApiProfile &profile, const QCommandLineParser &p, const QString &name)
{
    const auto r = apiCall(profile, "DELETE", basePath(p) + u'/' + encoded(name));
    if (!r.ok())
        return refused(r);
    out() << "deleted the workflow " << name << ", its route and its finished instances"
          << Qt::endl;
    return 0;
}

// One line per step of each instance: "email do done", …
int instances(const ApiProfile &profile, const QCommandLineParser &p)
{
    const QString path = withFilters(
        p, u"/v1/tenants/%1/workflow-instances"_s.arg(encoded(p.value(u"tenant"_s))),
        {{u"workflow"_s, u"workflow"_s}, {u"state"_s, u"state"_s}, {u"limit"_s, u"limit"_s}});
    return list(profile, p, path,
                {{u"id"_s, u"id"_s},
                 {u"workflow"_s, u"workflow"_s},
                 {u"correlation"_s, u"correlation"_s},
                 {u"state"_s, u"state"_s},
                 {u"step"_s, u"step"_s},
                 {u"updated"_s, u"updated_at"_s},
                 {u"error"_s, u"error"_s}});
}

} // namespace

int workflows(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    const QString usageText =
        u"workflows list --tenant T | workflows put --tenant T NAME --definition-file FILE|- | "
        "workflows delete --tenant T NAME | workflows instances --tenant T [--workflow W] "
        "[--state S] [--limit N]"_s;
    if (!p.isSet(u"tenant"_s))
        return usage(usageText);
    if ((sub.isEmpty() || sub == "list"_L1) && args.size() <= 2)
        return list(profile, p, basePath(p),
                    {{u"name"_s, u"name"_s},
                     {u"trigger"_s, u"trigger"_s},
                     {u"cancel on"_s, u"cancel_on"_s},
                     {u"correlate"_s, u"correlate"_s},
                     {u"route"_s, u"route_id"_s},
                     {u"updated"_s, u"updated_at"_s}});
    if (sub == "put"_L1 && args.size() == 3)
        return putWorkflow(profile, p, args[2]);
    if (sub == "delete"_L1 && args.size() == 3)
        return deleteWorkflow(profile, p, args[2]);
    if (sub == "instances"_L1 && args.size() == 2)
        return instances(profile, p);
    return usage(usageText);
}

void addWorkflowOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"definition-file"_s, u"workflows put: the definition, a JSON file ('-': stdin)."_s,
         u"FILE"_s},
        {u"workflow"_s, u"workflows instances: the instances of this workflow only."_s, u"NAME"_s},
    });
}

} // namespace ferry::ctl
