#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace ferry::agent::store {
class PgConnection;
struct InboxEntry;
struct Receipt;
} // namespace ferry::agent::store

namespace ferry::agent::ingest {
class BatchWriter;
}

namespace ferry::agent::inbound {

// Processes the inbox on a thread of its own: delivery receipts (Twilio, WhatsApp) move their
// messages forward, domain webhooks (Stripe, Standard Webhooks, HMAC) become Ferry events
// through the batch writer, routed like any other. An entry that cannot be processed yet (a
// receipt that arrived before its message's acceptance was committed, a database outage) is
// retried with backoff; one that never can (a malformed body), or that is still failing after
// maxAttempts, is parked as dead with the reason. Several agents share the inbox: claims are
// leases taken with SKIP LOCKED.
class InboxWorker
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        qint64 pollMs = 1000;
        qint64 leaseMs = 60'000;
        int batch = 50;
        int maxAttempts = 12;
        qint64 maxBackoffMs = 300'000;
    };

    InboxWorker(ingest::BatchWriter &writer, Options options);
    ~InboxWorker();
    InboxWorker(const InboxWorker &) = delete;
    InboxWorker &operator=(const InboxWorker &) = delete;

    void start();
    void stop();
    void wake();
    // One pass over what is due, on the calling thread; how many entries it handled. Not to be
    // called while the worker's thread runs.
    int runOnce();

private:
    void run();
    bool connected();
    void process(const store::InboxEntry &entry);
    void processReceipts(const store::InboxEntry &entry);
    bool applyReceipts(const store::InboxEntry &entry, const QList<store::Receipt> &receipts,
                       QJsonObject &outcome, QStringList &unmatched);
    void processEvent(const store::InboxEntry &entry);
    void retryOrBury(const store::InboxEntry &entry, const QString &error,
                     const QJsonObject &outcome = {});
    qint64 backoffMs(int attempts) const;

    ingest::BatchWriter &m_writer;
    Options m_options;
    std::unique_ptr<store::PgConnection> m_db;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    bool m_woken = false;
    std::thread m_thread;
};

} // namespace ferry::agent::inbound
