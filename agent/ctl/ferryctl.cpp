// ferryctl: Ferry from the shell. `send` publishes JSON-lines CloudEvents over ZeroMQ; the
// other commands use the agent's TLS API (agent/ctl/apicommands.cpp).
#include "agent/app/cliio.h"
#include "agent/ctl/apicommands.h"
#include "shared/producer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QMap>
#include <QTextStream>

#include <atomic>
#include <mutex>
#include <thread>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

using ferry::agent::err;

int usage(const QString &message)
{
    err() << "ferryctl: " << message << Qt::endl;
    return 2;
}

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
};

int send(const QCommandLineParser &parser, const QStringList &args)
{
    ferry::ProducerCredentials credentials;
    if (parser.isSet(u"credentials"_s)) {
        auto loaded = ferry::ProducerCredentials::fromFile(parser.value(u"credentials"_s));
        if (!loaded)
            return usage(loaded.error().message);
        credentials = *loaded;
    }
    if (parser.isSet(u"agent"_s))
        credentials.endpoints = parser.values(u"agent"_s);
    if (parser.isSet(u"token"_s))
        credentials.token = parser.value(u"token"_s).toUtf8();
    if (credentials.endpoints.isEmpty())
        return usage(u"say where to send: --credentials FILE (from 'ferry-agent producer add') "
                     "or --agent tcp://host:7600 with --token"_s);
    if (credentials.token.isEmpty() && credentials.secretKey.isEmpty())
        return usage(u"no producer key: pass --credentials FILE, or --token for an agent "
                     "without CURVE"_s);

    QFile input;
    const QString path = args.value(1, u"-"_s);
    if (path == "-"_L1) {
        if (!input.open(stdin, QIODevice::ReadOnly))
            return usage(u"cannot read standard input"_s);
    } else {
        input.setFileName(path);
        if (!input.open(QIODevice::ReadOnly))
            return usage(u"cannot read %1: %2"_s.arg(path, input.errorString()));
    }
    bool ok = false;
    const int batchSize = parser.value(u"batch"_s).toInt(&ok);
    if (!ok || batchSize < 1 || batchSize > 1000)
        return usage(u"--batch takes 1 to 1000"_s);

    ferry::Producer::Options options;
    options.credentials = credentials;
    options.maxInFlight = 256;
    ferry::Producer producer(options);
    if (auto started = producer.start(); !started)
        return usage(started.error().message);

    Counters counters;
    const bool tty = ::isatty(STDERR_FILENO);
    QElapsedTimer clock, sinceProgress;
    clock.start();
    sinceProgress.start();
    qint64 lines = 0, sent = 0;
    const auto progress = [&](bool last) {
        const qint64 done = counters.accepted + counters.duplicate + counters.rejected;
        const QString line =
            u"%1 read, %2 answered (%3 accepted, %4 duplicate, %5 rejected), "
            "%6 events/s"_s.arg(lines)
                .arg(done)
                .arg(counters.accepted.load())
                .arg(counters.duplicate.load())
                .arg(counters.rejected.load())
                .arg(qint64(double(done) * 1000.0 / double(std::max<qint64>(1, clock.elapsed()))));
        err() << (tty ? "\r" : "") << line << (tty && !last ? "" : "\n");
        err().flush();
    };
    const auto onItem = [&counters](const ferry::PublishResult &r) {
        if (r.status == 202)
            ++counters.accepted;
        else if (r.status == 200)
            ++counters.duplicate;
        else
            counters.refuse(r.status ? u"%1: %2"_s.arg(r.status).arg(r.error) : r.error);
    };

    QList<QByteArray> batch;
    const auto flush = [&] {
        if (batch.isEmpty())
            return;
        while (producer.outstanding() > 512)
            std::this_thread::sleep_for(std::chrono::milliseconds(1)); // bounded window
        sent += batch.size();
        if (batch.size() == 1) {
            producer.publish(batch.first(), onItem);
        } else {
            const qsizetype n = batch.size();
            producer.publishBatch(
                batch, [&counters, onItem, n](const ferry::BatchPublishResult &b) {
                    if (b.status != 200) {
                        for (qsizetype i = 0; i < n; ++i)
                            counters.refuse(b.status ? u"%1: %2"_s.arg(b.status).arg(b.error)
                                                     : b.error);
                        return;
                    }
                    for (const auto &item : b.items)
                        onItem(item);
                });
        }
        batch.clear();
    };
    while (!input.atEnd()) {
        const QByteArray line = input.readLine().trimmed();
        if (line.isEmpty())
            continue;
        ++lines;
        QJsonParseError error;
        QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError) {
            counters.refuse(u"line is not JSON (%1); not sent"_s.arg(error.errorString()));
            continue;
        }
        batch.append(line);
        if (batch.size() >= batchSize)
            flush();
        if (sinceProgress.elapsed() > 500) {
            progress(false);
            sinceProgress.restart();
        }
    }
    flush();
    while (producer.outstanding() > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (sinceProgress.elapsed() > 500) {
            progress(false);
            sinceProgress.restart();
        }
    }
    producer.close();
    progress(true);

    QTextStream &out = ferry::agent::out();
    out << "accepted  " << counters.accepted.load() << "\n"
        << "duplicate " << counters.duplicate.load() << "\n"
        << "rejected  " << counters.rejected.load() << Qt::endl;
    for (auto it = counters.reasons.constBegin(); it != counters.reasons.constEnd(); ++it)
        out << "  " << it.value() << " × " << it.key() << Qt::endl;
    return counters.rejected.load() == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"ferryctl"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Ferry from the shell.\n\nCommands:\n"
        "  send [FILE|-]   publish CloudEvents, one JSON object per line, over ZeroMQ;\n"
        "                  prints accepted / duplicate / rejected counts with the reasons\n"
        "\nThrough the agent's TLS API (log in first; tables by default, --json for JSON):\n"
        "  login --url https://HOST:7643 --token TOKEN [--pin sha256/… | --cacert FILE]\n"
        "  logout\n"
        "  overview\n"
        "  tenants [list] | tenants show NAME | tenants create NAME\n"
        "  routes [list] [--tenant T] | routes show ID\n"
        "  deliveries [--tenant --state --channel --since --until --event --partition-key]\n"
        "  deliveries show ID\n"
        "  dlq list [filters] | dlq show ID | dlq replay ID… | dlq replay [filters] [--dry-run]\n"
        "  dlq discard ID --reason R | dlq note ID TEXT [--assignee WHO] [--status S]\n"
        "  report --tenant T --from TIME --to TIME [--csv] [--output FILE]\n"
        "  audit [--limit N]\n"
        "\nThe login is kept in $XDG_CONFIG_HOME/ferry/ferryctl.json (mode 0600; FERRYCTL_CONFIG\n"
        "names another file); FERRY_API_URL and FERRY_API_TOKEN override it."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {u"credentials"_s, u"Producer credentials file from 'ferry-agent producer add'."_s,
         u"FILE"_s},
        {u"agent"_s, u"Agent endpoint, tcp://host:7600 (repeatable; overrides the file)."_s,
         u"ENDPOINT"_s},
        {u"token"_s, u"Producer token, for an agent running ZeroMQ without CURVE."_s, u"TOKEN"_s},
        {u"batch"_s, u"Events per request (1 = single PUB requests)."_s, u"N"_s, u"100"_s},
    });
    ferry::ctl::addApiOptions(parser);
    parser.addPositionalArgument(u"command"_s, u"send, login, tenants, dlq… (see above)"_s);
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    if (args.value(0) == "send"_L1)
        return send(parser, args);
    if (ferry::ctl::isApiCommand(args.value(0)))
        return ferry::ctl::runApiCommand(parser, args);
    return usage(args.isEmpty() ? u"no command given; see ferryctl --help"_s
                                : u"unknown command '%1'; see ferryctl --help"_s.arg(args[0]));
}
