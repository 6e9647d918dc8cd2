#pragma once

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace ferry::bench {

// What the load generators of one phase got back: a closed loop keeps a window of requests in
// flight until `stop`; the first failure stops it.
struct Load
{
    std::atomic<bool> stop{false};
    std::atomic<qint64> accepted{0}; // events acknowledged 202
    std::atomic<qint64> inFlight{0}; // requests awaiting an answer
    std::atomic<qint64> failures{0};
    std::mutex mutex;
    std::condition_variable changed;
    QString firstError;

    void fail(const QString &why);
    void requestDone();
    // Waits up to `timeout`; returns early when a failure stops the load.
    void waitFor(std::chrono::milliseconds timeout);
    bool waitIdle(std::chrono::milliseconds timeout);
};

} // namespace ferry::bench
