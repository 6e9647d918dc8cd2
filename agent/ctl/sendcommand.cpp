#include "agent/ctl/sendcommand.h"

#include "agent/app/cliio.h"
#include "agent/ctl/ctlio.h"
#include "shared/producer.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QMap>

#include <atomic>
#include <mutex>
#include <thread>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

using agent::err;

// Updated from the producer's thread as answers arrive, read by the main thread for progress.
struct Counters
{
    std::atomic<qint64> accepted{0};
    std::atomic<qint64> duplicate{0};
    std::atomic<qint64> rejected{0};
    std::mutex mutex;
    QMap<QString, qint64> reasons;

    void refuse(const QString &why)
    {
        ++rejected;
        std::lock_guard lock(mutex);
        ++reasons[why.isEmpty() ? u"no reason given"_s : why];
    }

    void count(const PublishResult &r)
    {
        if (r.status == 202)
            ++accepted;
        else if (r.status == 200)
            ++duplicate;
        else
            refuse(r.status ? u"%1: %2"_s.arg(r.status).arg(r.error) : r.error);
    }
};

// Reads JSON lines, publishes them in batches with a bounded window of unanswered events, and
// shows progress on standard error about twice a second (one rewritten line on a terminal).
class EventSender
{
public:
    EventSender(Producer &producer, int batchSize)
        : m_producer(producer)
        , m_batchSize(batchSize)
        , m_tty(::isatty(STDERR_FILENO))
    {
        m_clock.start();
        m_sinceProgress.start();
    }

    void sendAll(QFile &input);
    // The final progress line and the counts on standard output; the exit code.
    int report();

private:
    void flush();
    void progress(bool last);
    void progressNow();

    Producer &m_producer;
    const int m_batchSize;
    const bool m_tty;
    Counters m_counters;
    QElapsedTimer m_clock, m_sinceProgress;
    qint64 m_lines = 0;
    QList<QByteArray> m_batch;
};

void EventSender::sendAll(QFile &input)
{
    while (!input.atEnd()) {
        const QByteArray line = input.readLine().trimmed();
        if (line.isEmpty())
            continue;
        ++m_lines;
        QJsonParseError error;
        QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError) {
            m_counters.refuse(u"line is not JSON (%1); not sent"_s.arg(error.errorString()));
            continue;
        }
        m_batch.append(line);
        if (m_batch.size() >= m_batchSize)
            flush();
        progressNow();
    }
    flush();
    while (m_producer.outstanding() > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        progressNow();
    }
    m_producer.close();
}

void EventSender::flush()
{
    if (m_batch.isEmpty())
        return;
    while (m_producer.outstanding() > 512)
        std::this_thread::sleep_for(std::chrono::milliseconds(1)); // bounded window
    Counters &counters = m_counters;
    if (m_batch.size() == 1) {
        m_producer.publish(m_batch.first(),
                           [&counters](const PublishResult &r) { counters.count(r); });
    } else {
        const qsizetype n = m_batch.size();
        m_producer.publishBatch(m_batch, [&counters, n](const BatchPublishResult &b) {
            if (b.status != 200) {
                for (qsizetype i = 0; i < n; ++i)
                    counters.refuse(b.status ? u"%1: %2"_s.arg(b.status).arg(b.error) : b.error);
                return;
            }
            for (const auto &item : b.items)
                counters.count(item);
        });
    }
    m_batch.clear();
}

void EventSender::progressNow()
{
    if (m_sinceProgress.elapsed() > 500) {
        progress(false);
        m_sinceProgress.restart();
    }
}

void EventSender::progress(bool last)
{
    const qint64 done = m_counters.accepted + m_counters.duplicate + m_counters.rejected;
    const QString line =
        u"%1 read, %2 answered (%3 accepted, %4 duplicate, %5 rejected), "
        "%6 events/s"_s.arg(m_lines)
            .arg(done)
            .arg(m_counters.accepted.load())
            .arg(m_counters.duplicate.load())
            .arg(m_counters.rejected.load())
            .arg(qint64(double(done) * 1000.0 / double(std::max<qint64>(1, m_clock.elapsed()))));
    err() << (m_tty ? "\r" : "") << line << (m_tty && !last ? "" : "\n");
    err().flush();
}

int EventSender::report()
{
    progress(true);
    QTextStream &out = agent::out();
    out << "accepted  " << m_counters.accepted.load() << "\n"
        << "duplicate " << m_counters.duplicate.load() << "\n"
        << "rejected  " << m_counters.rejected.load() << Qt::endl;
    for (auto it = m_counters.reasons.constBegin(); it != m_counters.reasons.constEnd(); ++it)
        out << "  " << it.value() << " × " << it.key() << Qt::endl;
    return m_counters.rejected.load() == 0 ? 0 : 1;
}

// The credentials file, with --agent and --token overriding what it says.
Result<ProducerCredentials> credentialsFrom(const QCommandLineParser &parser)
{
    ProducerCredentials credentials;
    if (parser.isSet(u"credentials"_s)) {
        auto loaded = ProducerCredentials::fromFile(parser.value(u"credentials"_s));
        if (!loaded)
            return loaded.error();
        credentials = *loaded;
    }
    if (parser.isSet(u"agent"_s))
        credentials.endpoints = parser.values(u"agent"_s);
    if (parser.isSet(u"token"_s))
        credentials.token = parser.value(u"token"_s).toUtf8();
    if (credentials.endpoints.isEmpty())
        return makeError(u"say where to send: --credentials FILE (from 'ferry-agent producer "
                         "add') or --agent tcp://host:7600 with --token"_s);
    if (credentials.token.isEmpty() && credentials.secretKey.isEmpty())
        return makeError(u"no producer key: pass --credentials FILE, or --token for an agent "
                         "without CURVE"_s);
    return credentials;
}

// "-" is standard input.
Result<void> openInput(QFile &input, const QString &path)
{
    if (path == "-"_L1) {
        if (!input.open(stdin, QIODevice::ReadOnly))
            return makeError(u"cannot read standard input"_s);
        return {};
    }
    input.setFileName(path);
    if (!input.open(QIODevice::ReadOnly))
        return makeError(u"cannot read %1: %2"_s.arg(path, input.errorString()));
    return {};
}

} // namespace

void addSendOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"credentials"_s, u"Producer credentials file from 'ferry-agent producer add'."_s,
         u"FILE"_s},
        {u"agent"_s, u"Agent endpoint, tcp://host:7600 (repeatable; overrides the file)."_s,
         u"ENDPOINT"_s},
        {u"token"_s, u"Producer token, for an agent running ZeroMQ without CURVE."_s, u"TOKEN"_s},
        {u"batch"_s, u"Events per request (1 = single PUB requests)."_s, u"N"_s, u"100"_s},
    });
}

int runSendCommand(const QCommandLineParser &parser, const QStringList &args)
{
    auto credentials = credentialsFrom(parser);
    if (!credentials)
        return usage(credentials.error().message);
    QFile input;
    if (auto opened = openInput(input, args.value(1, u"-"_s)); !opened)
        return usage(opened.error().message);
    bool ok = false;
    const int batchSize = parser.value(u"batch"_s).toInt(&ok);
    if (!ok || batchSize < 1 || batchSize > 1000)
        return usage(u"--batch takes 1 to 1000"_s);

    Producer::Options options;
    options.credentials = *credentials;
    options.maxInFlight = 256;
    Producer producer(options);
    if (auto started = producer.start(); !started)
        return usage(started.error().message);
    EventSender sender(producer, batchSize);
    sender.sendAll(input);
    return sender.report();
}

} // namespace ferry::ctl
