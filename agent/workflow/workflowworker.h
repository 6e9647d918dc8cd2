#pragma once

#include "agent/workflow/definition.h"

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace ferry::agent::store {
class PgConnection;
struct ClaimedInstance;
} // namespace ferry::agent::store

namespace ferry::agent::ingest {
class BatchWriter;
}

namespace ferry::agent::workflow {

// Drives workflow instances on a thread of its own: runs each instance's steps in order, and
// when a step fails for good, the compensations of the steps done before it in reverse order.
// A cancelling event stops an instance before its next step. Every step is recorded before and
// after it runs, and the events steps emit carry ids derived from the instance and the step, so
// an instance taken over after a crash (its lease ran out) resumes at the step it stopped and
// never emits a step's event twice. Several agents share the instances (SKIP LOCKED leases).
class WorkflowWorker
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        qint64 pollMs = 500;
        qint64 leaseMs = 30'000;
        qint64 deliveryCheckMs = 500; // how often a step looks at its event's deliveries
        int batch = 50;
    };

    WorkflowWorker(ingest::BatchWriter &writer, Options options);
    ~WorkflowWorker();
    WorkflowWorker(const WorkflowWorker &) = delete;
    WorkflowWorker &operator=(const WorkflowWorker &) = delete;

    void start();
    void stop();

private:
    // What a step's run came to.
    struct StepResult
    {
        enum class Kind { Done, Wait, Failed };
        Kind kind = Kind::Done;
        qint64 waitMs = 0;
        QString error;
    };
    struct Instance;

    void run();
    bool connected();
    int runOnce();
    void advance(store::ClaimedInstance &claimed);
    bool forward(Instance &in);
    bool backward(Instance &in);
    StepResult runStep(Instance &in, int index, bool undo);
    StepResult emitStep(Instance &in, int index, bool undo, const QString &type, bool awaited);
    StepResult waitStep(Instance &in, int index);
    StepResult awaitDeliveries(Instance &in, int index, bool undo, const QString &eventId,
                               const QString &type);
    QString emit(const Instance &in, int index, bool undo, const QString &type, QString *error);
    bool save(const Instance &in, const QString &state, int step, qint64 dueInMs,
              const QString &error = {});

    ingest::BatchWriter &m_writer;
    Options m_options;
    std::unique_ptr<store::PgConnection> m_db;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace ferry::agent::workflow
