#pragma once

#include "agent/jobs/execcommand.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QUuid>

#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace ferry::agent::store {
class PgConnection;
}

namespace ferry::agent::jobs {

// What one run of a command came to.
struct JobResult
{
    enum class Kind {
        Succeeded, // exit code 0
        Retry,     // exit code 75 (EX_TEMPFAIL), a timeout, or the command could not start
        Failed,    // any other exit code, or killed by a signal (a resource limit)
        Cancelled, // an operator cancelled it
    };
    Kind kind = Kind::Failed;
    int exitCode = -1;
    QString error;  // empty on success
    QString reason; // dead-letter reason: exit_code, timeout, cancelled, exec_start
    QString output; // standard output and error, bounded
};

// One run to start: the delivery it belongs to and the command's settings.
struct JobRequest
{
    QUuid deliveryId;
    int attempt = 1;
    qint64 tenantId = 0;
    qint64 endpointId = 0;
    QUuid eventId;
    QString eventType;
    QByteArray payload; // the event's JSON, on the command's standard input
    ExecCommand command;
};

// Runs the commands of exec deliveries on a thread of its own, for every dispatch worker of one
// agent: each in a process group of its own, with a clean environment, its limits and a
// working directory, its output captured within its bound and its progress lines written to
// the job's row. A run that outlives its timeout, or that an operator cancels (read from the
// database), has its process group terminated (SIGTERM, then SIGKILL after the command's
// kill_grace). Nothing the command leaves behind outlives it: the group is killed and reaped
// when its leader exits.
class JobRunner
{
public:
    using Done = std::function<void(const QUuid &deliveryId, const JobResult &result)>;

    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        QByteArray agentId;
        QString scratchDirectory; // per-run directories of commands without their own
        qint64 syncMs = 500;      // progress, heartbeats and cancellations
    };

    JobRunner(Options options, ExecCommands commands);
    ~JobRunner();
    JobRunner(const JobRunner &) = delete;
    JobRunner &operator=(const JobRunner &) = delete;

    void start();
    // Kills whatever still runs (its delivery was released by the dispatcher) and joins.
    void stop();

    const ExecCommands &commands() const { return m_commands; }
    // Thread-safe. `done` is called once, on the runner's thread, unless the run is abandoned.
    void run(JobRequest request, Done done);
    // Thread-safe: kills the run of `deliveryId` without reporting it.
    void abandon(const QUuid &deliveryId);

private:
    struct Running;

    void loop();
    void killRemaining();
    void takeRequests();
    void launch(JobRequest request, Done done);
    void startProcess(Running &job);
    void pollOnce();
    void readOutputs();
    void service(Running &job, qint64 now);
    bool finishIfDone(Running &job, qint64 now);
    static JobResult resultOf(const Running &job);
    void finish(Running &job, const JobResult &result);
    static void terminate(Running &job, int ending, qint64 now);
    void sync(qint64 now);
    bool connected();
    void wakeUp() const;

    Options m_options;
    ExecCommands m_commands;
    std::thread m_thread;
    int m_wakeFd = -1;
    std::mutex m_mutex; // guards the three below
    bool m_stopping = false;
    QList<std::pair<JobRequest, Done>> m_requests;
    QList<QUuid> m_abandoned;
    // Runner-thread state.
    std::unique_ptr<store::PgConnection> m_db;
    QString m_lastConnectError; // logged once until it changes
    QHash<QUuid, std::shared_ptr<Running>> m_running;
    qint64 m_nextSyncAt = 0;
    qint64 m_nextHeartbeatAt = 0;
};

} // namespace ferry::agent::jobs
