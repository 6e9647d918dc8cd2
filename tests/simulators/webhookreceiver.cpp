// ferry-webhook-receiver: a partner webhook endpoint for the demo and the tests. It verifies
// every Standard Webhooks signature, counts deliveries by webhook-id, and answers a chosen
// share of requests with 500 so retries can be seen. For the chaos tests it can also hold a
// share of requests unanswered (the sender times out), process a share and then drop the
// connection without answering (the response is lost), and answer 410 Gone once it has
// processed N deliveries. GET /stats reports what it saw.
#include "shared/webhooksignature.h"

#include <QAbstractHttpServer>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

class Receiver final : public QAbstractHttpServer
{
public:
    QList<QByteArray> secrets;
    double failRate = 0.0;
    int maxFailuresPerId = -1; // -1: unlimited
    int failStatus = 500;
    QByteArray retryAfter; // sent with simulated failures when set
    int delayMs = 0;
    double hangRate = 0.0;   // share of requests never answered
    double loseRate = 0.0;   // share processed, then the connection dropped unanswered
    qint64 goneAfter = -1;   // answer 410 to everything after this many deliveries; -1: never
    QByteArray poisonMarker; // bodies containing it are refused, always
    int poisonStatus = 400;  // answer
    // Where simulated 3xx answers point.
    static inline QByteArray location = "http://127.0.0.1:9/elsewhere";
    // deliveries this late (the connection stays open meanwhile)

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        const QString path = request.url().path();
        if (request.method() == QHttpServerRequest::Method::Get && path == "/stats"_L1) {
            reply(socket, 200, QJsonDocument(stats()).toJson(QJsonDocument::Compact));
            return true;
        }
        if (request.method() == QHttpServerRequest::Method::Get && path == "/order"_L1) {
            // Per partition key, the event ids in the order their first success arrived.
            QJsonObject order;
            for (auto it = m_order.constBegin(); it != m_order.constEnd(); ++it)
                order.insert(it.key(), QJsonArray::fromStringList(it.value()));
            reply(socket, 200, QJsonDocument(order).toJson(QJsonDocument::Compact));
            return true;
        }
        if (request.method() == QHttpServerRequest::Method::Get && path == "/received"_L1) {
            QJsonArray list;
            for (auto it = m_successes.constBegin(); it != m_successes.constEnd(); ++it)
                list.append(QJsonObject{{u"webhook_id"_s, QString::fromLatin1(it.key())},
                                        {u"event_id"_s, m_eventIds.value(it.key())},
                                        {u"count"_s, it.value()}});
            reply(socket, 200, QJsonDocument(list).toJson(QJsonDocument::Compact));
            return true;
        }
        if (request.method() != QHttpServerRequest::Method::Post) {
            reply(socket, 405, "{}");
            return true;
        }
        ++m_requests;
        const QByteArray id = header(request, "webhook-id");
        const QByteArray ts = header(request, "webhook-timestamp");
        const QByteArray sig = header(request, "webhook-signature");
        bool valid = false;
        for (const QByteArray &secret : std::as_const(secrets)) {
            if (ferry::WebhookSignature::verify(secret, id, ts, request.body(), sig,
                                                QDateTime::currentSecsSinceEpoch()) ==
                ferry::WebhookSignature::Verdict::Valid)
                valid = true;
        }
        if (!valid) {
            ++m_badSignatures;
            reply(socket, 401, R"({"error":"bad signature"})");
            return true;
        }
        if (!poisonMarker.isEmpty() && request.body().contains(poisonMarker)) {
            ++m_failures;
            reply(socket, poisonStatus, R"({"error":"poison"})");
            return true;
        }
        if (goneAfter >= 0 && m_deliveries >= goneAfter) {
            ++m_gone;
            reply(socket, 410, R"({"error":"gone"})");
            return true;
        }
        int &failures = m_failuresById[id];
        const bool mayFail = maxFailuresPerId < 0 || failures < maxFailuresPerId;
        if (mayFail && chance(failRate)) {
            ++failures;
            ++m_failures;
            reply(socket, failStatus, R"({"error":"simulated failure"})", retryAfter);
            return true;
        }
        if (mayFail && chance(hangRate)) {
            ++failures;
            ++m_hung; // no answer: the socket stays open until the sender gives up
            return true;
        }
        const QByteArray body = request.body();
        if (mayFail && chance(loseRate)) {
            ++failures;
            ++m_lostResponses;
            record(id, body); // processed: the side effect happened, the answer never leaves
            QPointer<QTcpSocket> guarded(socket);
            QTimer::singleShot(0, this, [guarded] {
                if (guarded)
                    guarded->abort();
            });
            return true;
        }
        const auto accept = [this, id, body](QTcpSocket *s) {
            record(id, body);
            reply(s, 200, R"({"ok":true})");
        };
        if (delayMs <= 0) {
            accept(socket);
            return true;
        }
        // Counted as delivered only if the answer can still be written.
        QPointer<QTcpSocket> guarded(socket);
        QTimer::singleShot(delayMs, this, [guarded, accept] {
            if (guarded && guarded->state() == QAbstractSocket::ConnectedState)
                accept(guarded);
        });
        return true;
    }

    void missingHandler(const QHttpServerRequest &, QTcpSocket *socket) override
    {
        reply(socket, 404, "{}");
    }

private:
    static bool chance(double rate)
    {
        return rate > 0 && QRandomGenerator::global()->generateDouble() < rate;
    }

    // A delivery processed: counted by webhook-id (a repeat is not a second side effect), and
    // its event's place in its partition on the first time.
    void record(const QByteArray &id, const QByteArray &body)
    {
        ++m_successes[id];
        ++m_deliveries;
        if (m_eventIds.contains(id))
            return;
        const auto event = QJsonDocument::fromJson(body).object();
        m_eventIds.insert(id, event.value("id"_L1).toString());
        const QString key = event.value("partitionkey"_L1).toString();
        if (!key.isEmpty())
            m_order[key].append(event.value("id"_L1).toString());
    }

    static QByteArray header(const QHttpServerRequest &request, QByteArrayView name)
    {
        for (const auto &h : request.headers()) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second.trimmed();
        }
        return {};
    }

    static void reply(QTcpSocket *socket, int status, const QByteArray &body,
                      const QByteArray &retryAfter = {})
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " X\r\n";
        out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        if (!retryAfter.isEmpty())
            out += "Retry-After: " + retryAfter + "\r\n";
        if (status >= 300 && status < 400)
            out += "Location: " + location + "\r\n";
        out += "\r\n" + body;
        socket->write(out);
    }

    QJsonObject stats() const
    {
        int duplicates = 0;
        for (int n : m_successes)
            duplicates += n > 1 ? n - 1 : 0;
        QSet<QString> events;
        for (const QString &e : m_eventIds)
            events.insert(e);
        return {{u"requests"_s, m_requests},
                {u"bad_signatures"_s, m_badSignatures},
                {u"failures"_s, m_failures},
                {u"deliveries"_s, m_deliveries},
                {u"distinct_webhook_ids"_s, m_successes.size()},
                {u"distinct_event_ids"_s, events.size()},
                {u"duplicates"_s, duplicates},
                {u"hung"_s, m_hung},
                {u"lost_responses"_s, m_lostResponses},
                {u"gone"_s, m_gone}};
    }

    qint64 m_requests = 0;
    qint64 m_badSignatures = 0;
    qint64 m_failures = 0;
    qint64 m_deliveries = 0;
    qint64 m_hung = 0;
    qint64 m_lostResponses = 0;
    qint64 m_gone = 0;
    QHash<QByteArray, int> m_successes;
    QHash<QByteArray, int> m_failuresById;
    QHash<QByteArray, QString> m_eventIds;
    QHash<QString, QStringList> m_order;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Partner webhook receiver that verifies Standard Webhooks "
                                     "signatures and counts deliveries."_s);
    parser.addHelpOption();
    const QCommandLineOption listen(u"listen"_s, u"host:port to listen on."_s, u"ADDR"_s,
                                    u"127.0.0.1:0"_s);
    const QCommandLineOption secret(u"secret"_s, u"Signing secret (whsec_…); repeatable."_s,
                                    u"SECRET"_s);
    const QCommandLineOption failRate(u"fail-rate"_s, u"Share of requests answered 500."_s,
                                      u"RATE"_s, u"0"_s);
    const QCommandLineOption maxFailures(
        u"max-failures-per-id"_s,
        u"Fail one webhook-id at most N times (failures, hangs and lost responses together)."_s,
        u"N"_s, u"-1"_s);
    const QCommandLineOption delay(u"delay-ms"_s, u"Answer deliveries after N ms."_s, u"N"_s,
                                   u"0"_s);
    const QCommandLineOption hangRate(
        u"hang-rate"_s, u"Share of requests held unanswered until the sender gives up."_s,
        u"RATE"_s, u"0"_s);
    const QCommandLineOption loseRate(
        u"lose-rate"_s,
        u"Share of requests processed, then dropped without an answer (a lost response)."_s,
        u"RATE"_s, u"0"_s);
    const QCommandLineOption goneAfter(u"gone-after"_s,
                                       u"Answer 410 Gone to every request after N deliveries."_s,
                                       u"N"_s, u"-1"_s);
    const QCommandLineOption failStatus(
        u"fail-status"_s, u"Status of simulated failures (default 500)."_s, u"CODE"_s, u"500"_s);
    const QCommandLineOption retryAfter(u"retry-after"_s,
                                        u"Retry-After value sent with failures."_s, u"VALUE"_s);
    const QCommandLineOption poison(
        u"poison-marker"_s, u"Refuse (400) every request whose body contains TEXT."_s, u"TEXT"_s);
    const QCommandLineOption poisonStatus(
        u"poison-status"_s, u"Status for poison requests (default 400)."_s, u"CODE"_s, u"400"_s);
    const QCommandLineOption location(u"location"_s, u"Location of simulated 3xx answers."_s,
                                      u"URL"_s, u"http://127.0.0.1:9/elsewhere"_s);
    parser.addOptions({listen, secret, failRate, maxFailures, delay, hangRate, loseRate, goneAfter,
                       failStatus, retryAfter, poison, poisonStatus, location});
    parser.process(app);

    // A value that does not read would silently turn a fault off, and a chaos test with it
    // would pass without its faults: refuse it.
    bool ok = true;
    const auto number = [&](const QCommandLineOption &option, double low, double high) {
        bool read = false;
        const double v = parser.value(option).toDouble(&read);
        if (!read || v < low || v > high) {
            QTextStream(stderr) << "--" << option.names().constFirst() << ": '"
                                << parser.value(option) << "' is not a number from " << low
                                << " to " << high << Qt::endl;
            ok = false;
        }
        return v;
    };
    Receiver receiver;
    for (const QString &s : parser.values(secret))
        receiver.secrets.append(s.toUtf8());
    receiver.failRate = number(failRate, 0, 1);
    receiver.maxFailuresPerId = int(number(maxFailures, -1, 1e9)); // -1: no limit
    receiver.delayMs = int(number(delay, 0, 1e9));
    receiver.hangRate = number(hangRate, 0, 1);
    receiver.loseRate = number(loseRate, 0, 1);
    receiver.goneAfter = qint64(number(goneAfter, -1, 1e15)); // -1: never
    receiver.failStatus = int(number(failStatus, 100, 599));
    if (!ok)
        return 2;
    receiver.retryAfter = parser.value(retryAfter).toUtf8();
    receiver.poisonMarker = parser.value(poison).toUtf8();
    receiver.poisonStatus = parser.value(poisonStatus).toInt();
    Receiver::location = parser.value(location).toUtf8();

    const QString addr = parser.value(listen);
    const qsizetype colon = addr.lastIndexOf(u':');
    auto *server = new QTcpServer(&receiver);
    if (!server->listen(QHostAddress(addr.left(colon)), addr.mid(colon + 1).toUShort())) {
        QTextStream(stderr) << "cannot listen on " << addr << ": " << server->errorString()
                            << Qt::endl;
        return 1;
    }
    receiver.bind(server);
    QTextStream(stdout) << "listening on " << server->serverPort() << Qt::endl;
    std::signal(SIGTERM, [](int) { QCoreApplication::quit(); });
    return app.exec();
}
