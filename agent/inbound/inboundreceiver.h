#pragma once

#include "agent/net/httprequest.h"
#include "agent/net/httpresponse.h"
#include "shared/masterkey.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace ferry::agent::store {
class PgConnection;
struct InboundConnector;
} // namespace ferry::agent::store

namespace ferry::agent::inbound {

// Receives inbound provider webhooks (POST /v1/inbound/{tenant}/{connector} on the ingest port)
// on a thread of its own with its own database connection: finds the connector, checks the
// signature over the raw bytes, stores the request in the inbox once per provider event and
// answers 200 as soon as it is committed. A refused request stores nothing; it is counted. The
// queue is bounded: when it is full, submit() refuses and the caller answers 503.
class InboundReceiver
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        std::optional<MasterKey> masterKey; // none: connectors cannot be opened (503)
        bool tls = false;                   // the ingest listener's scheme, for Twilio's URL
        qsizetype queueLimit = 1000;
        std::function<void()> stored; // a new entry is in the inbox (wakes its worker)
    };
    using Done = std::function<void(const net::HttpResponse &)>;

    explicit InboundReceiver(Options options);
    ~InboundReceiver();
    InboundReceiver(const InboundReceiver &) = delete;
    InboundReceiver &operator=(const InboundReceiver &) = delete;

    void start();
    void stop();
    // `done` runs on the receiver's thread. False when the queue is full.
    bool submit(net::HttpRequest &&request, Done done);

private:
    struct Job
    {
        net::HttpRequest request;
        Done done;
    };
    void run();
    net::HttpResponse handle(const net::HttpRequest &request);
    net::HttpResponse receive(const store::InboundConnector &connector,
                              const net::HttpRequest &request);
    static net::HttpResponse handshake(const store::InboundConnector &connector,
                                       const net::HttpRequest &request);
    bool connected();

    Options m_options;
    std::unique_ptr<store::PgConnection> m_db;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace ferry::agent::inbound
