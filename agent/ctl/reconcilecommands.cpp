#include "agent/ctl/reconcilecommands.h"

#include "agent/app/cliio.h"
#include "agent/ctl/apioutput.h"
#include "agent/ctl/ctlio.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

using agent::err;
using agent::out;

constexpr qint64 kWaitMs = qint64(10) * 60 * 1000;

QString reportPath(const QCommandLineParser &p)
{
    return u"/v1/tenants/%1/reconciliation"_s.arg(
        QString::fromLatin1(QUrl::toPercentEncoding(p.value(u"tenant"_s))));
}

const QList<Column> kDriftColumns{{u"run"_s, u"run_id"_s},
                                  {u"provider id"_s, u"provider_message_id"_s},
                                  {u"channel"_s, u"channel"_s},
                                  {u"Ferry believed"_s, u"believed"_s},
                                  {u"provider said"_s, u"provider_said"_s},
                                  {u"action"_s, u"action"_s},
                                  {u"found"_s, u"found_at"_s}};

const QList<Column> kRunColumns{{u"run"_s, u"id"_s},
                                {u"trigger"_s, u"trigger"_s},
                                {u"state"_s, u"state"_s},
                                {u"requested"_s, u"requested_at"_s},
                                {u"checked"_s, u"checked"_s},
                                {u"drifts"_s, u"drifts"_s},
                                {u"failures"_s, u"failures"_s},
                                {u"error"_s, u"error"_s}};

// The report of one run once it has finished; the run's progress goes to stderr meanwhile.
int waitFor(const ApiProfile &profile, const QCommandLineParser &p, qint64 runId)
{
    const QString path = reportPath(p) + u"?limit=1000&run=%1"_s.arg(runId);
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const auto r = apiCall(profile, "GET", path);
        if (!r.ok())
            return refused(r);
        const QJsonObject report = r.json().toObject();
        for (const QJsonValue &run : report.value("runs"_L1).toArray()) {
            if (run["id"_L1].toInteger() != runId || run["state"_L1] != "finished"_L1)
                continue;
            if (p.isSet(u"json"_s)) {
                printJson(r);
                return 0;
            }
            printObject(run.toObject());
            out() << Qt::endl;
            printTable(report.value("drifts"_L1).toArray(), kDriftColumns);
            return run["error"_L1].isNull() ? 0 : 1;
        }
        if (clock.elapsed() > kWaitMs) {
            err() << "run " << runId << " has not finished after 10 minutes; see "
                  << "'ferryctl reconciliation --tenant " << p.value(u"tenant"_s) << " --run "
                  << runId << "'" << Qt::endl;
            return 1;
        }
        QThread::msleep(500);
    }
}

} // namespace

int reconcile(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    if (!p.isSet(u"tenant"_s) || args.size() != 1)
        return usage(u"reconcile --tenant T [--wait]"_s);
    const auto r = apiCall(profile, "POST", reportPath(p), "{}");
    if (!r.ok())
        return refused(r);
    const qint64 runId = r.json().toObject().value("id"_L1).toInteger();
    if (p.isSet(u"wait"_s))
        return waitFor(profile, p, runId);
    if (p.isSet(u"json"_s))
        printJson(r);
    else
        out() << "reconciliation run " << runId << " requested; 'ferryctl reconciliation --tenant "
              << p.value(u"tenant"_s) << " --run " << runId << "' shows what it found" << Qt::endl;
    return 0;
}

int reconciliation(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    if (!p.isSet(u"tenant"_s) || args.size() != 1)
        return usage(u"reconciliation --tenant T [--run ID] [--limit N]"_s);
    const auto r =
        apiCall(profile, "GET",
                withFilters(p, reportPath(p), {{u"run"_s, u"run"_s}, {u"limit"_s, u"limit"_s}}));
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s)) {
        printJson(r);
        return 0;
    }
    const QJsonObject report = r.json().toObject();
    out() << "Runs" << Qt::endl;
    printTable(report.value("runs"_L1).toArray(), kRunColumns);
    out() << Qt::endl << "Drifts" << Qt::endl;
    printTable(report.value("drifts"_L1).toArray(), kDriftColumns);
    return 0;
}

void addReconcileOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"wait"_s, u"reconcile: wait for the run and print what it found."_s},
        {u"run"_s, u"reconciliation: the drifts of this run only."_s, u"ID"_s},
    });
}

} // namespace ferry::ctl
