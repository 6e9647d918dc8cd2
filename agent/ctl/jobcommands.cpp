#include "agent/ctl/jobcommands.h"

#include "agent/app/cliio.h"
#include "agent/ctl/apioutput.h"
#include "agent/ctl/ctlio.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QUrl>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

using agent::err;
using agent::out;

const QString kUsage = u"jobs list --tenant T [--state S] [--limit N] | jobs show --tenant T ID "
                       "[--follow] | jobs cancel --tenant T ID (ID: the job's delivery id)"_s;

constexpr unsigned long kFollowIntervalMs = 1000;
// A running job whose heartbeat has not moved for this long has probably lost its agent.
constexpr qint64 kQuietMs = qint64(60) * 1000;

QString basePath(const QCommandLineParser &p)
{
    return u"/v1/tenants/%1/jobs"_s.arg(
        QString::fromLatin1(QUrl::toPercentEncoding(p.value(u"tenant"_s))));
}

// "30% reading invoices", "30%", the message alone, or "-".
QString progressText(const QJsonObject &job)
{
    const QJsonValue percent = job.value("progress"_L1);
    const QString message = job.value("progress_message"_L1).toString();
    QString text = percent.isDouble() ? QString::number(percent.toInt()) + u'%' : QString();
    if (!message.isEmpty())
        text += (text.isEmpty() ? QString() : u" "_s) + message;
    return text.isEmpty() ? u"-"_s : text;
}

int listJobs(const ApiProfile &profile, const QCommandLineParser &p)
{
    const auto r =
        apiCall(profile, "GET",
                withFilters(p, basePath(p), {{u"state"_s, u"state"_s}, {u"limit"_s, u"limit"_s}}));
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s)) {
        printJson(r);
        return 0;
    }
    QJsonArray items;
    for (const QJsonValue &item : r.json().toObject().value("items"_L1).toArray()) {
        QJsonObject job = item.toObject();
        job.insert(u"progress_text"_s, progressText(job));
        items.append(job);
    }
    printTable(items, {{u"delivery id"_s, u"delivery_id"_s},
                       {u"command"_s, u"command"_s},
                       {u"state"_s, u"state"_s},
                       {u"progress"_s, u"progress_text"_s},
                       {u"started"_s, u"started_at"_s},
                       {u"agent"_s, u"agent"_s}});
    return 0;
}

// One line per change of the job: its state, progress and message, with the attempt when a new
// one started, and the cancellation when someone asked for it.
QString changeLine(const QJsonObject &job, const QJsonObject &before)
{
    QString line = QTime::currentTime().toString(u"HH:mm:ss"_s) + u"  "_s +
                   job.value("state"_L1).toString() + u"  "_s + progressText(job);
    if (!before.isEmpty() && before.value("attempt"_L1) != job.value("attempt"_L1))
        line += u"  (attempt %1)"_s.arg(job.value("attempt"_L1).toInt());
    if (!job.value("cancel_requested_at"_L1).isNull() &&
        before.value("cancel_requested_at"_L1) != job.value("cancel_requested_at"_L1))
        line += u"  (cancel requested by %1)"_s.arg(cell(job.value("cancel_requested_by"_L1)));
    if (job.value("state"_L1) != "running"_L1 && !job.value("exit_code"_L1).isNull())
        line += u"  exit code %1"_s.arg(job.value("exit_code"_L1).toInt());
    return line;
}

bool changed(const QJsonObject &job, const QJsonObject &before)
{
    for (const char *key :
         {"attempt", "state", "progress", "progress_message", "cancel_requested_at", "exit_code"}) {
        if (job.value(QLatin1StringView(key)) != before.value(QLatin1StringView(key)))
            return true;
    }
    return before.isEmpty();
}

// Re-reads the job every second until it no longer runs: 0 when it succeeded, 1 otherwise.
int follow(const ApiProfile &profile, const QCommandLineParser &p, const QString &path)
{
    QJsonObject before;
    QElapsedTimer quiet; // since the heartbeat last moved
    quiet.start();
    bool warned = false;
    for (;;) {
        const auto r = apiCall(profile, "GET", path);
        if (!r.ok())
            return refused(r);
        const QJsonObject job = r.json().toObject();
        if (changed(job, before)) {
            if (p.isSet(u"json"_s))
                out() << QJsonDocument(job).toJson(QJsonDocument::Compact) << Qt::endl;
            else
                out() << changeLine(job, before) << Qt::endl;
        }
        const QString state = job.value("state"_L1).toString();
        if (state != "running"_L1) {
            if (state != "succeeded"_L1 && !p.isSet(u"json"_s))
                err() << "ferryctl: the job ended " << state << "; what it printed is in "
                      << "'ferryctl deliveries show " << job.value("delivery_id"_L1).toString()
                      << "'" << Qt::endl;
            return state == "succeeded"_L1 ? 0 : 1;
        }
        if (job.value("heartbeat_at"_L1) != before.value("heartbeat_at"_L1)) {
            quiet.restart();
            warned = false;
        } else if (!warned && quiet.elapsed() > kQuietMs) {
            err() << "ferryctl: no heartbeat from agent " << job.value("agent"_L1).toString()
                  << " since " << cell(job.value("heartbeat_at"_L1))
                  << ": if that agent stopped, the job is marked lost when its delivery is "
                     "tried again; press Ctrl-C to stop following"
                  << Qt::endl;
            warned = true;
        }
        before = job;
        QThread::msleep(kFollowIntervalMs);
    }
}

int cancel(const ApiProfile &profile, const QCommandLineParser &p, const QString &id)
{
    const auto r = apiCall(profile, "POST", basePath(p) + u'/' + id + u"/cancel"_s, "{}");
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s)) {
        printJson(r);
        return 0;
    }
    const QJsonObject job = r.json().toObject();
    out() << "asked agent " << job.value("agent"_L1).toString() << " to cancel the job of delivery "
          << id << " (command " << job.value("command"_L1).toString() << ", " << progressText(job)
          << "): its processes are terminated within seconds and the delivery is dead-lettered "
             "as cancelled; 'ferryctl jobs show --tenant "
          << p.value(u"tenant"_s) << ' ' << id << " --follow' shows when it has stopped"
          << Qt::endl;
    return 0;
}

} // namespace

int jobs(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (!p.isSet(u"tenant"_s))
        return usage(u"jobs commands need --tenant T; usage: "_s + kUsage);
    if ((sub.isEmpty() || sub == "list"_L1) && args.size() <= 2)
        return listJobs(profile, p);
    if (args.size() != 3 || (sub != "show"_L1 && sub != "cancel"_L1))
        return usage(kUsage);
    const QUuid id = QUuid::fromString(args[2]);
    if (id.isNull())
        return usage(
            u"'%1' is not a job id: a job is named by its delivery's id, a UUID as "
            "'ferryctl jobs list --tenant %2' shows it"_s.arg(args[2], p.value(u"tenant"_s)));
    const QString idText = id.toString(QUuid::WithoutBraces);
    if (p.isSet(u"follow"_s) && sub != "show"_L1)
        return usage(u"--follow goes with jobs show; usage: "_s + kUsage);
    if (sub == "cancel"_L1)
        return cancel(profile, p, idText);
    if (p.isSet(u"follow"_s))
        return follow(profile, p, basePath(p) + u'/' + idText);
    return show(profile, p, basePath(p) + u'/' + idText);
}

void addJobOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"follow"_s,
         u"jobs show: print a line whenever the job's state or progress changes, until it ends "
         "(exit code 0 when it succeeded)."_s},
    });
}

} // namespace ferry::ctl
