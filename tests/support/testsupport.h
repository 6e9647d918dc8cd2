#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QProcess>
#include <QString>

#include "shared/producer.h"

#include <memory>

namespace ferry::test {

// The PostgreSQL server the tests use: FERRY_DATABASE_URL when set, otherwise the private
// cluster that the CTest fixture `db` started (its URL is in FERRY_TEST_DB_DIR/url).
QString serverUrl();

// A fresh database on that server for one test program, dropped at the end.
class TestDatabase
{
public:
    explicit TestDatabase(const QString &name);
    ~TestDatabase();
    bool ok() const { return m_ok; }
    QString error() const { return m_error; }
    QString url() const { return m_url; }
    // Runs SQL and returns the first column of the first row as text ("" on no rows).
    QString scalar(const QString &sql) const;
    bool exec(const QString &sql) const;

private:
    QString m_name;
    QString m_serverUrl;
    QString m_url;
    QString m_error;
    bool m_ok = false;
};

// A private PostgreSQL cluster of its own, for tests that stop and restart the server.
class PrivateCluster
{
public:
    explicit PrivateCluster(const QString &dir);
    ~PrivateCluster();
    // `environment`: FERRY_PG_LISTEN_ALSO, FERRY_PG_TRUST_NETWORK (scripts/pg-embedded.sh).
    bool start(const QHash<QString, QString> &environment = {});
    // Starts this cluster as a streaming hot standby of the running cluster at `primaryUrl`.
    bool startStandby(const QString &primaryUrl);
    bool stop();
    bool restartImmediate();
    bool pause(); // SIGSTOP the server and its backends
    bool resume();
    QString url() const { return m_url; }

private:
    QString m_dir;
    QString m_url;
};

// A TCP port for a test server or agent: never the same one twice in this process, not one that
// another live test process holds, bindable on 127.0.0.1 and 0.0.0.0, and outside the kernel's
// ephemeral range. 0 when none is left (a warning says why). FERRY_TEST_PORT_START sets the
// first port tried (default: a random one per process).
quint16 freePort();

struct HttpResponse
{
    int status = 0; // 0: no HTTP response (connection error)
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QString error;
};

struct HttpRequest
{
    QByteArray method = "POST";
    QString url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString caFile; // HTTPS: trust the certificates in this PEM file
};

// Runs the requests with up to `parallel` in flight (libcurl multi) and returns the responses
// in request order.
QList<HttpResponse> httpMany(const QList<HttpRequest> &requests, int parallel,
                             long timeoutMs = 30000);
HttpResponse http(const HttpRequest &request, long timeoutMs = 30000);

// A ferry-agent process (or any helper binary) with its output captured to a file.
class Process
{
public:
    Process(QString program, QStringList arguments, QHash<QString, QString> environment = {});
    ~Process();
    bool start();
    void kill();                           // SIGKILL
    bool terminate(int timeoutMs = 30000); // SIGTERM, waits; true if it exited with code 0
    bool isRunning() const;
    QString output() const; // stdout + stderr so far
    int pid() const;

private:
    QString m_program;
    QStringList m_arguments;
    QHash<QString, QString> m_environment;
    std::unique_ptr<QProcess> m_process;
    QString m_logPath;
};

// Runs a program to completion; returns {exit code, stdout} (stderr appended to `err`).
struct RunResult
{
    int exitCode = -1;
    QString out;
    QString err;
};
RunResult run(const QString &program, const QStringList &arguments,
              const QHash<QString, QString> &environment = {}, int timeoutMs = 60000);

QString agentBinary();
QString receiverBinary();

// A CloudEvent body for tests.
QByteArray cloudEvent(const QString &id, const QString &type = QStringLiteral("order.created"),
                      const QString &data = QStringLiteral("{\"n\":1}"));

// Admin commands through the real binary; each returns the line it prints ("" on failure).
QString createTenant(const QString &databaseUrl, const QString &name);
QString addEndpoint(const QString &databaseUrl, const QString &tenant, const QString &url,
                    const QString &eventType = {});
// The environment for an agent under test: its database, its ports (ZeroMQ on a free port
// unless given, Prometheus on a free port), and short timings.
QHash<QString, QString> agentEnvironment(const QString &databaseUrl, quint16 httpPort,
                                         quint16 zmqPort = 0);

// Turns on the agent's TLS API in `environment`: on 127.0.0.1:apiPort, with the api.crt and
// api.key that 'ferry-agent cert generate --out certDir' wrote.
void addApi(QHash<QString, QString> &environment, quint16 apiPort, const QString &certDir);

// `ferry-agent producer add`, with the agent address set to the given ZeroMQ port.
ferry::ProducerCredentials addProducer(const QString &databaseUrl, const QString &tenant,
                                       quint16 zmqPort);

// A raw DEALER socket speaking frames directly, for protocol tests.
class ZmqClient
{
public:
    ZmqClient(const QString &endpoint, const ferry::ProducerCredentials &credentials);
    ~ZmqClient();
    bool send(const QList<QByteArray> &frames);
    // The next message, or an empty list after timeoutMs.
    QList<QByteArray> receive(int timeoutMs = 10000);
    // Waits for a socket monitor event in `mask` (ZMQ_EVENT_*); returns it, or 0 on timeout.
    int waitForEvent(int mask, int timeoutMs = 10000);

private:
    void *m_context = nullptr;
    void *m_socket = nullptr;
    void *m_monitor = nullptr;
};

// Waits (with the event loop running) until `healthz` on the port answers 200.
bool waitForHealthy(quint16 port, int timeoutMs = 20000,
                    const QString &host = QStringLiteral("127.0.0.1"));

} // namespace ferry::test
