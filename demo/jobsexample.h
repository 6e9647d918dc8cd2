#pragma once

#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace ferry::demo {

// The worked example of scheduled background jobs (docs/jobs.md): a reports tenant of its own
// whose schedule "nightly-report" emits report.requested, and an exec route that runs the
// command nightly-report for it. The command is one the demo configures for its agent (a JSON
// file in exec.commands_dir, as an administrator would): a short shell script that reports its
// progress and writes a CSV file named after the slot. The docs' schedule fires at 02:00 in
// Europe/Berlin; the demo's every 2 s, and is paused once three reports are written.
class JobsExample
{
public:
    static constexpr int kSlots = 3; // the reports the demo waits for

    // Where the example keeps its files, absolute, under the demo's folder.
    struct Folders
    {
        QString commands; // exec.commands_dir
        QString scratch;  // exec.scratch_dir: the runs' working directories
        QString reports;  // the command writes into <reports>/<tenant>
    };
    struct Outcome
    {
        QString tenant;
        QString reportDir;
        qint64 fired = 0;      // slots the schedule fired
        qint64 deliveries = 0; // exec deliveries, finished or not
        qint64 succeeded = 0;  // exec deliveries that succeeded
        qint64 open = 0;       // exec deliveries not finished yet
        qint64 jobs = 0;       // job runs that succeeded (progress 100)
        qsizetype reports = 0; // report files written
    };
    // Runs `ferry-agent` with the arguments and returns what it printed.
    using AgentCommand = std::function<Result<QString>(const QStringList &)>;
    using StopReason = std::function<QString()>;

    static Folders folders(const QString &demoDir);
    // Writes the command's file. Before the agent starts: it reads its commands at start.
    static Result<void> writeCommand(const Folders &folders);

    JobsExample(agent::store::PgConnection &db, Folders folders)
        : m_db(db)
        , m_folders(std::move(folders))
    {}

    // The tenant, its exec route and its schedule (firing from the next slot on). The route's
    // signing secret (unused by the exec channel) is sealed with `key`, like every other.
    Result<void> prepare(const AgentCommand &agent, const MasterKey &key);
    // Waits until kSlots reports were written by succeeded exec jobs, pauses the schedule and
    // waits for the jobs of slots fired meanwhile.
    Result<Outcome> run(const StopReason &stop);

private:
    Result<void> putRoute(const MasterKey &key);
    Result<void> putSchedule();
    Result<void> pauseSchedule();
    Result<Outcome> outcome();
    Result<Outcome> waitUntil(const std::function<bool(const Outcome &)> &done,
                              const StopReason &stop);

    agent::store::PgConnection &m_db;
    Folders m_folders;
    QString m_tenant;
    qint64 m_tenantId = 0;
};

} // namespace ferry::demo
