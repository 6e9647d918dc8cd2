#pragma once

// Helpers of the chaos scenarios at Ferry's edges (tests/chaos/tst_chaos_edges.cpp): an agent
// process, a receiver process, a TCP proxy that cuts connections on demand, the receiver's
// figures, and the CHAOS summary lines.
#include "tests/chaos/chaossupport.h"
#include "tests/support/testsupport.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace ferry::test::edges {

using chaos::longRun;

// chaos::reportLine() of `CHAOS <scenario>: <figures>`.
void report(const QString &scenario, const QString &figures);

// `ferry-agent migrate` on the database; false if it is not there or the migration failed.
bool migrate(const TestDatabase &db);

// One ferry-agent with short timings, on free ports.
struct AgentProcess
{
    quint16 http = 0;
    quint16 zmq = 0;
    QHash<QString, QString> env;
    std::unique_ptr<Process> process;

    AgentProcess(const QString &databaseUrl, const QHash<QString, QString> &extra);
    bool start();
};

// A tenant with one webhook route and the receiver behind it.
struct ReceiverRoute
{
    QString tenant;
    QString token; // the tenant's ingest token
    quint16 port = 0;
    std::shared_ptr<Process> receiver; // shared: routes are kept in containers

    // Creates the tenant and its route (`routeArgs` to `endpoint add`, e.g. --ordered) and
    // starts a receiver with `receiverArgs`. Empty tenant on failure (a warning says why).
    static ReceiverRoute make(const QString &databaseUrl, const QString &tenant,
                              const QStringList &routeArgs, const QStringList &receiverArgs);
    QJsonObject stats() const; // the receiver's GET /stats
    QJsonObject order() const; // its GET /order
};

// What a drain left, for one tenant: every figure the scenarios report.
struct Tally
{
    int events = 0;      // events stored
    int distinctIds = 0; // distinct CloudEvent ids stored
    int deliveries = 0;  // deliveries made
    int succeeded = 0;   // deliveries that succeeded
    int dead = 0;        // deliveries that are dead
    int queued = 0;      // queue rows not dead (work left)
    int lost = 0;        // succeeded deliveries the receiver never processed
    int repeated = 0;    // repeats at the receiver, by webhook-id
    int reordered = 0;   // deliveries processed before an earlier one of their partition
    int badSignatures = 0;
    QString figures() const; // "N events, 0 lost, R repeated webhook-ids, …"
};
Tally tally(const TestDatabase &db, const ReceiverRoute &route);

// Repeats at the receiver that no unanswered attempt explains (a timeout or a dropped
// connection after the receiver processed the request): 0 when every repeat is one the
// at-least-once contract allows.
int unexplainedRepeats(const TestDatabase &db, const ReceiverRoute &route);

// The attempts of every delivery the receiver processed more than once, one per line: what
// a failure message shows.
QString attemptsOfRepeats(const TestDatabase &db, const ReceiverRoute &route);

// Deliveries of a tenant that are still queued (not dead): "0" once the drain is over.
QString openWork(const TestDatabase &db, const QString &tenant);

// A TCP proxy in front of `target`: it forwards bytes both ways until cut() aborts every
// connection in both directions at once, mid-stream. While dropping answers, what the target
// sends back is read and thrown away (as if lost on the way).
class CuttingProxy : public QObject
{
public:
    explicit CuttingProxy(quint16 target);
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    int cut(); // returns how many connections were open
    qint64 bytesForwarded() const { return m_bytes; }
    void dropAnswers(bool drop) { m_dropAnswers = drop; }
    qint64 answerBytesDropped() const { return m_dropped; }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        QByteArray pending; // client bytes before the upstream is connected
    };
    void accept();
    void forward(QTcpSocket *from, QTcpSocket *to);

    quint16 m_target = 0;
    QTcpServer m_server;
    QList<std::shared_ptr<Pair>> m_pairs;
    qint64 m_bytes = 0;
    bool m_dropAnswers = false;
    qint64 m_dropped = 0;
};

} // namespace ferry::test::edges
