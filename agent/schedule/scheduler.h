#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace ferry::agent::store {
class PgConnection;
struct DueSchedule;
struct Schedule;
struct ScheduleAdvance;
} // namespace ferry::agent::store

namespace ferry::agent::ingest {
class BatchWriter;
}

namespace ferry::agent::schedule {

// Fires the tenants' schedules on a thread of its own. Every agent runs one: a due schedule is
// taken by one agent at a time (a short lease), its due slots are published as ordinary events
// through the batch writer, each with the id "schedule-<id>-<slot>", and its next slot is
// recorded. An agent that dies between the two leaves the schedule to the next one after the
// lease, which publishes the same ids again: the dedupe store drops them, so a slot fires once.
// Slots missed while no agent ran go by the schedule's catch-up policy (schedule/cron.h).
class Scheduler
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        QByteArray agentId;
        qint64 tickMs = 200;
        qint64 leaseMs = 30'000;
        qint64 misfireThresholdMs = 60'000; // a slot older than this when fired was missed
    };

    Scheduler(ingest::BatchWriter &writer, Options options);
    ~Scheduler();
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    void start();
    void stop();

private:
    void run();
    bool connected();
    void fireDue();
    void fire(const store::DueSchedule &due);
    bool publish(const store::Schedule &s, const QDateTime &slot, qint64 missed,
                 store::ScheduleAdvance &a);

    ingest::BatchWriter &m_writer;
    Options m_options;
    std::unique_ptr<store::PgConnection> m_db;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_stop{false};
};

} // namespace ferry::agent::schedule
