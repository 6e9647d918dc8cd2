#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QHash>
#include <QSet>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace ferry::bench {

// A lean HTTP/1.1 receiver on one epoll thread, keep-alive: every POST's Standard Webhooks
// signature is verified (shared/webhooksignature), 200 for a good one, 401 otherwise. It counts
// valid requests, duplicates by webhook-id while tracking ids, and records each webhook-id's
// first arrival (wall clock, µs) while recording. ferry-webhook-receiver (QHttpServer, a JSON
// parse and several hash updates per request, a separate process) does not record arrival
// times and would cost the shared cores more per request than this.
class BenchReceiver
{
public:
    explicit BenchReceiver(QByteArray secret)
        : m_secret(std::move(secret))
    {}
    ~BenchReceiver() { stop(); }

    Result<void> start(quint16 port);
    void stop();
    void setTrackIds(bool on) { m_trackIds = on; }
    void setRecording(bool on) { m_recording = on; }
    qint64 valid() const { return m_valid.load(); }
    qint64 duplicates() const { return m_duplicates.load(); }
    qint64 badSignatures() const { return m_bad.load(); }
    qint64 connections() const { return m_accepted.load(); }
    // webhook-id -> first arrival (µs), recorded since the last take.
    QHash<QByteArray, qint64> takeArrivals();
    bool waitForValid(qint64 count, std::chrono::milliseconds timeout);

private:
    struct Conn
    {
        int fd = -1;
        QByteArray in;
        QByteArray out;
        bool wantsOut = false; // registered for EPOLLOUT
    };
    struct Request
    {
        QByteArray id, timestamp, signature, body;
    };

    void run();
    void acceptAll();
    void onEvent(Conn &c, quint32 events);
    bool readAll(Conn &c);
    bool serve(Conn &c);
    bool flush(Conn &c);
    void closeConn(int fd);
    static qsizetype parse(const QByteArray &in, qsizetype from, Request *r);
    void count(const Request &r, qint64 arrival);

    QByteArray m_secret;
    int m_listen = -1;
    int m_epoll = -1;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_trackIds{false};
    std::atomic<bool> m_recording{false};
    std::atomic<qint64> m_valid{0}, m_duplicates{0}, m_bad{0}, m_accepted{0};
    std::unordered_map<int, std::unique_ptr<Conn>> m_conns; // receiver thread only
    QSet<QByteArray> m_seen;                                // receiver thread only
    std::mutex m_mutex;                                     // guards m_arrivals
    std::condition_variable m_arrived;
    QHash<QByteArray, qint64> m_arrivals;
};

} // namespace ferry::bench
