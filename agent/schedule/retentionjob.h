#pragma once

#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace ferry::agent::schedule {

// Purges the ingest dedupe store of keys older than ingest.dedupe_retention, every
// maintenance.interval, in small batches. With several agents on one database, the one holding
// the retention advisory lock does it; if that agent dies, the lock goes with its connection and
// the next agent's run takes over.
class RetentionJob
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        qint64 intervalMs = 60'000;
        qint64 dedupeRetentionMs = 7LL * 86'400'000;
        int batch = 5000;
    };
    explicit RetentionJob(Options options);
    ~RetentionJob();

    void start();
    void stop();

private:
    void run();
    void runOnce();

    Options m_options;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_stop{false};
};

} // namespace ferry::agent::schedule
