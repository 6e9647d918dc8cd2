// ferry-demo: runs Ferry end to end on this machine. It prepares the database, starts a webhook
// receiver that fails a share of requests on purpose, starts ferry-agent, sends events, waits
// until every delivery is finished, and checks that each event arrived exactly once.
#include "demo/demodatabase.h"
#include "demo/eventsender.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTextStream>
#include <QThread>

#include <curl/curl.h>

#include <csignal>
#include <memory>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

constexpr int kReceiverConcurrency = 256;

volatile std::sig_atomic_t g_interrupts = 0; // Ctrl-C presses (SIGINT or SIGTERM)

void onSignal(int)
{
    g_interrupts = g_interrupts + 1;
}

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

const bool g_tty = ::isatty(STDOUT_FILENO) == 1;

// A progress line: on a terminal it is rewritten in place (cut to the terminal's width, or the
// carriage return would not reach its start) and ends with `last`; elsewhere each is a line.
void progress(const QString &text, bool last)
{
    if (!g_tty) {
        out() << text << Qt::endl;
        return;
    }
    winsize size{};
    const int width =
        ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1 ? size.ws_col : 80;
    out() << "\r\x1b[K" << text.left(width - 1) << (last ? "\n" : "") << Qt::flush;
}

struct Options
{
    QString agent;
    QString receiver;
    QString console;
    QString databaseUrl;
    int events = 10'000;
    double failRate = 0.2;
    bool keepRunning = false;
    bool openConsole = false;
    quint16 httpPort = 0;
    quint16 receiverPort = 0;
    quint16 apiPort = 0;
    int timeoutSeconds = 180;
};

Result<Options> parseOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs Ferry end to end: a private tenant, a webhook receiver that fails some requests "
        "on purpose, ferry-agent, and a burst of events. Needs FERRY_DATABASE_URL."_s);
    parser.addHelpOption();
    const QCommandLineOption events(u"events"_s, u"Events to send (default 10000)."_s, u"N"_s,
                                    u"10000"_s);
    const QCommandLineOption failRate(u"fail-rate"_s,
                                      u"Share of webhook requests the receiver answers with 500 "
                                      "(default 0.2)."_s,
                                      u"R"_s, u"0.2"_s);
    const QCommandLineOption keep(u"keep-running"_s,
                                  u"After the summary, keep the agent and receiver running "
                                  "until Ctrl-C."_s);
    const QCommandLineOption console(
        u"console"_s,
        u"Like --keep-running, and open ferry-console connected to the demo agent (needs a "
        "display)."_s);
    const QCommandLineOption consolePath(u"console-path"_s, u"Path of ferry-console."_s, u"PATH"_s,
                                         QStringLiteral(FERRY_DEMO_CONSOLE));
    const QCommandLineOption httpPort(u"http-port"_s, u"Agent HTTP port (default: a free one)."_s,
                                      u"PORT"_s, u"0"_s);
    const QCommandLineOption receiverPort(
        u"receiver-port"_s, u"Receiver port (default: a free one)."_s, u"PORT"_s, u"0"_s);
    const QCommandLineOption apiPort(
        u"api-port"_s, u"Agent TLS API port (default: 7643 when free, else a free one)."_s,
        u"PORT"_s, u"0"_s);
    const QCommandLineOption timeout(
        u"timeout"_s, u"Seconds to wait for deliveries (default 180)."_s, u"SECONDS"_s, u"180"_s);
    const QCommandLineOption agent(u"agent"_s, u"Path of ferry-agent."_s, u"PATH"_s,
                                   QStringLiteral(FERRY_DEMO_AGENT));
    const QCommandLineOption receiver(u"receiver"_s, u"Path of ferry-webhook-receiver."_s,
                                      u"PATH"_s, QStringLiteral(FERRY_DEMO_RECEIVER));
    parser.addOptions({events, failRate, keep, console, consolePath, httpPort, receiverPort,
                       apiPort, timeout, agent, receiver});
    if (!parser.parse(arguments))
        return makeError(parser.errorText() + u" (see ferry-demo --help)"_s);
    if (parser.isSet(u"help"_s)) {
        out() << parser.helpText();
        return makeError({}, 0);
    }

    Options o;
    bool ok1 = false, ok2 = false, ok3 = false, ok4 = false, ok5 = false, ok6 = false;
    o.events = parser.value(events).toInt(&ok1);
    o.failRate = parser.value(failRate).toDouble(&ok2);
    o.httpPort = parser.value(httpPort).toUShort(&ok3);
    o.receiverPort = parser.value(receiverPort).toUShort(&ok4);
    o.apiPort = parser.value(apiPort).toUShort(&ok6);
    o.timeoutSeconds = parser.value(timeout).toInt(&ok5);
    if (!ok1 || o.events < 1)
        return makeError(u"--events takes a whole number of 1 or more"_s);
    if (!ok2 || o.failRate < 0 || o.failRate >= 1)
        return makeError(u"--fail-rate takes a share from 0 up to (not including) 1, e.g. 0.2"_s);
    if (!ok3 || !ok4 || !ok6)
        return makeError(
            u"--http-port, --receiver-port and --api-port take a port number (1-65535)"_s);
    if (!ok5 || o.timeoutSeconds < 1)
        return makeError(u"--timeout takes a number of seconds, 1 or more"_s);
    o.openConsole = parser.isSet(console);
    o.keepRunning = parser.isSet(keep) || o.openConsole;
    o.console = parser.value(consolePath);
    o.agent = parser.value(agent);
    o.receiver = parser.value(receiver);
    for (const auto &[path, option] : {std::pair{o.agent, "--agent"}, {o.receiver, "--receiver"}}) {
        if (!QFileInfo(path).isExecutable())
            return makeError(u"no program at '%1'; build the tree (cmake --build --preset dev; "
                             "the receiver needs BUILD_TESTING=ON) or pass its path with %2"_s.arg(
                                 path, QLatin1StringView(option)));
    }
    o.databaseUrl = qEnvironmentVariable("FERRY_DATABASE_URL");
    if (o.databaseUrl.isEmpty())
        return makeError(u"FERRY_DATABASE_URL is not set. Point it at a PostgreSQL database the "
                         "demo may use, e.g.\n  export FERRY_DATABASE_URL=$(scripts/pg-embedded.sh "
                         "start .ferry/pg)"_s);
    return o;
}

bool portIsFree(quint16 port)
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, port);
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

struct HttpAnswer
{
    long status = 0; // 0: no answer
    QByteArray body;
};

HttpAnswer httpGet(const QByteArray &url)
{
    HttpAnswer answer;
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(),
                                                                   &curl_easy_cleanup);
    curl_easy_setopt(easy.get(), CURLOPT_URL, url.constData());
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(
        easy.get(), CURLOPT_WRITEFUNCTION, +[](char *data, size_t size, size_t count, void *user) {
            static_cast<QByteArray *>(user)->append(data, qsizetype(size * count));
            return size * count;
        });
    if (curl_easy_perform(easy.get()) == CURLE_OK)
        curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
}

QString lastLines(const QString &path, int lines)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList all = QString::fromUtf8(file.readAll()).trimmed().split(u'\n');
    return u"    "_s + all.mid(std::max<qsizetype>(0, all.size() - lines)).join(u"\n    "_s);
}

// Sleeps up to `ms`, waking early on Ctrl-C.
void pause(int ms)
{
    for (int waited = 0; waited < ms && g_interrupts == 0; waited += 50)
        QThread::msleep(50);
}

// A child program that is always stopped: on destruction, on Ctrl-C, and (through the parent
// death signal) even when ferry-demo itself is killed. It runs in its own process group so a
// Ctrl-C reaches only ferry-demo, which then stops the children in order.
class Child
{
public:
    explicit Child(QString name)
        : m_name(std::move(name))
    {}
    ~Child() { stop(); }

    QProcess &process() { return m_process; }
    QString logPath() const { return m_logPath; }
    bool started() const { return m_started; }

    // Without an event loop QProcess learns of an exit only inside a waitFor call: poll.
    bool running()
    {
        return m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(0);
    }

    // stderr (and with `logStdout` stdout too) goes to `logPath`, which starts empty.
    Result<void> start(const QString &program, const QStringList &arguments,
                       const QProcessEnvironment &environment, const QString &logPath,
                       bool logStdout)
    {
        m_logPath = QFileInfo(logPath).absoluteFilePath();
        QFile::remove(m_logPath);
        m_process.setStandardErrorFile(m_logPath, QIODevice::Append);
        if (logStdout)
            m_process.setStandardOutputFile(m_logPath, QIODevice::Append);
        m_process.setProcessEnvironment(environment);
        const pid_t parent = ::getpid();
        m_process.setChildProcessModifier([parent] {
            ::setpgid(0, 0);
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent)
                ::_exit(1);
        });
        m_process.start(program, arguments);
        if (!m_process.waitForStarted(10'000))
            return makeError(u"cannot start %1: %2"_s.arg(program, m_process.errorString()));
        m_started = true;
        return {};
    }

    // SIGTERM, then waits (a second Ctrl-C or the timeout turns it into SIGKILL). Returns the
    // exit code, or -1 if it had to be killed or crashed.
    int stop(int timeoutMs = 30'000)
    {
        if (!running())
            return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
        const int interruptsBefore = g_interrupts;
        m_process.terminate();
        QElapsedTimer clock;
        clock.start();
        while (!m_process.waitForFinished(100)) {
            if (clock.elapsed() > timeoutMs || g_interrupts > std::max(1, interruptsBefore)) {
                out() << "  " << m_name << " did not stop; killing it" << Qt::endl;
                m_process.kill();
                m_process.waitForFinished(5000);
                return -1;
            }
        }
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

    // Why the child is not running, with the end of its log; empty while it runs.
    QString deathNotice()
    {
        if (!m_started || running())
            return {};
        const QString how = m_process.exitStatus() == QProcess::CrashExit
                                ? u"was killed by signal %1"_s.arg(m_process.exitCode())
                                : u"exited unexpectedly (exit code %1)"_s.arg(m_process.exitCode());
        return u"%1 %2; the end of its log (%3):\n%4"_s.arg(m_name, how, m_logPath,
                                                            lastLines(m_logPath, 15));
    }

private:
    QString m_name;
    QString m_logPath;
    QProcess m_process;
    bool m_started = false;
};

struct ReceiverStats
{
    qint64 requests = 0, badSignatures = 0, failures = 0, deliveries = 0, distinctWebhookIds = 0,
           distinctEventIds = 0, duplicates = 0;
};

class Demo
{
public:
    explicit Demo(Options options)
        : m_options(std::move(options))
    {}
    int run();

private:
    Result<QString> agentCommand(const QStringList &arguments);
    Result<void> prepare();
    Result<void> startReceiver();
    Result<void> startAgent();
    Result<void> sendEvents();
    Result<void> waitForDeliveries();
    Result<ReceiverStats> receiverStats();
    Result<QStringList> summarize();
    void keepRunning();
    void printApiAccess();
    void openConsole();
    void warnAboutLeftovers();
    QString stopReason();
    QProcessEnvironment agentEnvironment() const;

    Options m_options;
    QString m_tenant, m_token, m_secret, m_logDir;
    QString m_apiCert, m_apiKey, m_apiPin, m_apiToken; // the TLS API: certificate, admin token
    Child m_receiver{u"ferry-webhook-receiver"_s};
    Child m_agent{u"ferry-agent"_s};
    DemoDatabase m_db;
    EventSender::Counts m_sent;
    QDateTime m_sendStarted; // the last acknowledgement came m_sent.elapsedMs after this
    bool m_timedOut = false;
};

QString Demo::stopReason()
{
    if (g_interrupts > 0)
        return u"interrupted"_s;
    if (QString notice = m_agent.deathNotice(); !notice.isEmpty())
        return notice;
    return m_receiver.deathNotice();
}

QProcessEnvironment Demo::agentEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"FERRY_DATABASE_URL"_s, m_options.databaseUrl);
    return env;
}

Result<QString> Demo::agentCommand(const QStringList &arguments)
{
    QProcess process;
    process.setProcessEnvironment(agentEnvironment());
    process.start(m_options.agent, arguments);
    QElapsedTimer clock;
    clock.start();
    while (!process.waitForFinished(100)) {
        if (g_interrupts > 0 || clock.elapsed() > 60'000 ||
            process.state() == QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
            return makeError(g_interrupts > 0 ? u"interrupted"_s
                                              : u"'ferry-agent %1' did not finish: %2"_s.arg(
                                                    arguments.join(u' '), process.errorString()));
        }
    }
    const QString stderrText = QString::fromUtf8(process.readAllStandardError())
                                   .trimmed()
                                   .replace(u"\n"_s, u"\n    "_s)
                                   .replace(u'\t', u' ');
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return makeError(u"'ferry-agent %1' failed (exit code %2):\n    %3"_s.arg(
            arguments.join(u' '), QString::number(process.exitCode()), stderrText));
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

Result<void> Demo::prepare()
{
    out() << "[1/5] Preparing the database" << Qt::endl;
    auto migrated = agentCommand({u"migrate"_s});
    if (!migrated)
        return migrated.error();
    out() << "      " << migrated->split(u'\n').join(u"; "_s) << Qt::endl;

    m_tenant = u"demo-%1"_s.arg(QDateTime::currentSecsSinceEpoch());
    auto token = agentCommand({u"tenant"_s, u"create"_s, m_tenant});
    if (!token)
        return token.error();
    m_token = token->section(u'\n', 0, 0).trimmed();

    if (m_options.receiverPort == 0)
        m_options.receiverPort = freePort();
    const QString url = u"http://127.0.0.1:%1/hooks/ferry"_s.arg(m_options.receiverPort);
    // The receiver is local and keeps connections alive: it can take more requests at once than
    // the default cap per endpoint (webhook.max_concurrency_per_endpoint) lets through. With 64
    // the drain trailed ingest by 3 s on two cores; with 256 it keeps pace.
    auto secret = agentCommand({u"endpoint"_s, u"add"_s, u"--tenant"_s, m_tenant, u"--url"_s, url,
                                u"--max-concurrency"_s, QString::number(kReceiverConcurrency)});
    if (!secret)
        return secret.error();
    m_secret = secret->section(u'\n', 0, 0).trimmed();
    if (m_token.isEmpty())
        return makeError(u"'ferry-agent tenant create' printed no producer token"_s);
    if (!m_secret.startsWith("whsec_"_L1))
        return makeError(
            u"'ferry-agent endpoint add' printed '%1', not a whsec_ secret"_s.arg(m_secret));
    out() << "      tenant " << m_tenant << " created; its webhook endpoint is " << url << " ("
          << kReceiverConcurrency << " requests at once)" << Qt::endl;

    // The TLS API, for curl, ferryctl and the console: a self-signed certificate (kept between
    // runs, so a pinned fingerprint stays valid) and an admin token for this run.
    const QString apiDir = m_logDir + u"/api"_s;
    m_apiCert = QFileInfo(apiDir + u"/api.crt"_s).absoluteFilePath();
    m_apiKey = QFileInfo(apiDir + u"/api.key"_s).absoluteFilePath();
    if (!QFileInfo::exists(m_apiCert) || !QFileInfo::exists(m_apiKey)) {
        auto cert = agentCommand({u"cert"_s, u"generate"_s, u"--out"_s, apiDir});
        if (!cert)
            return cert.error();
    }
    auto pin = agentCommand({u"cert"_s, u"fingerprint"_s, m_apiCert});
    if (!pin)
        return pin.error();
    m_apiPin = pin->trimmed();
    auto apiToken =
        agentCommand({u"token"_s, u"create"_s, u"--role"_s, u"admin"_s, u"--expires"_s, u"7d"_s});
    if (!apiToken)
        return apiToken.error();
    m_apiToken = apiToken->section(u'\n', 0, 0).trimmed();
    if (auto opened = m_db.open(m_options.databaseUrl); !opened)
        return opened;
    // The agent delivers for every tenant: leftovers of an interrupted run slow this one down.
    auto open = m_db.count("SELECT count(*) FROM deliveries WHERE state IN "
                           "('pending', 'in_flight', 'retry_wait') AND tenant_id <> "
                           "(SELECT id FROM tenants WHERE name = $1)",
                           {m_tenant});
    if (!open)
        return open.error();
    if (*open > 0)
        out() << "      note: " << *open << " deliveries of other tenants (an interrupted demo?) "
              << "are still open; the agent retries them too, which slows this run down. For a "
              << "clean start, use a fresh database." << Qt::endl;
    return {};
}

Result<void> Demo::startReceiver()
{
    out() << "[2/5] Starting the webhook receiver on 127.0.0.1:" << m_options.receiverPort
          << " (it answers " << qRound(m_options.failRate * 100)
          << "% of requests with 500, at most 3 times per webhook)" << Qt::endl;
    if (auto started = m_receiver.start(
            m_options.receiver,
            {u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_options.receiverPort), u"--secret"_s, m_secret,
             u"--fail-rate"_s, QString::number(m_options.failRate), u"--max-failures-per-id"_s,
             u"3"_s},
            QProcessEnvironment::systemEnvironment(), m_logDir + u"/receiver.log"_s, false);
        !started)
        return started;
    QElapsedTimer clock;
    clock.start();
    QByteArray printed;
    while (!printed.contains('\n') && clock.elapsed() < 10'000) {
        if (const QString reason = stopReason(); !reason.isEmpty())
            return makeError(reason);
        m_receiver.process().waitForReadyRead(100);
        printed += m_receiver.process().readAllStandardOutput();
    }
    if (!printed.startsWith("listening on "))
        return makeError(u"the webhook receiver did not start listening within 10 s; see %1"_s.arg(
            m_receiver.logPath()));
    return {};
}

Result<void> Demo::startAgent()
{
    if (m_options.httpPort == 0)
        m_options.httpPort = freePort();
    QProcessEnvironment env = agentEnvironment();
    env.insert(u"FERRY_HTTP_LISTEN"_s, u"127.0.0.1:%1"_s.arg(m_options.httpPort));
    env.insert(u"FERRY_ZMQ_LISTEN"_s, u"tcp://127.0.0.1:%1"_s.arg(freePort()));
    env.insert(u"FERRY_METRICS_LISTEN"_s, u"127.0.0.1:%1"_s.arg(freePort()));
    env.insert(u"FERRY_RETRY_SCHEDULE"_s, u"exponential"_s);
    env.insert(u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8"_s);
    env.insert(u"FERRY_RETRY_BASE"_s, u"200ms"_s);
    env.insert(u"FERRY_RETRY_CAP"_s, u"2s"_s);
    env.insert(u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"10"_s);
    if (m_options.apiPort == 0)
        m_options.apiPort = portIsFree(7643) ? 7643 : freePort();
    env.insert(u"FERRY_API_LISTEN"_s, u"127.0.0.1:%1"_s.arg(m_options.apiPort));
    env.insert(u"FERRY_API_CERTIFICATE"_s, m_apiCert);
    env.insert(u"FERRY_API_PRIVATE_KEY"_s, m_apiKey);
    const QString log = m_logDir + u"/agent.log"_s;
    out() << "[3/5] Starting ferry-agent on 127.0.0.1:" << m_options.httpPort
          << " (retries after 200 ms, doubling up to 2 s; log: "
          << QFileInfo(log).absoluteFilePath() << ")" << Qt::endl;
    if (auto started = m_agent.start(m_options.agent, {u"run"_s}, env, log, true); !started)
        return started;

    const QByteArray healthz =
        "http://127.0.0.1:" + QByteArray::number(m_options.httpPort) + "/healthz";
    QElapsedTimer clock;
    clock.start();
    while (httpGet(healthz).status != 200) {
        if (const QString reason = stopReason(); !reason.isEmpty())
            return makeError(reason);
        if (clock.elapsed() > 20'000)
            return makeError(u"ferry-agent did not answer GET %1 with 200 within 20 s; the end "
                             "of its log:\n%2"_s.arg(QString::fromLatin1(healthz),
                                                     lastLines(m_agent.logPath(), 15)));
        pause(100);
    }
    out() << "      ready after " << QString::number(clock.elapsed() / 1000.0, 'f', 1) << " s"
          << Qt::endl;
    return {};
}

Result<void> Demo::sendEvents()
{
    const int total = m_options.events;
    // Enough connections that the sender is not what limits the run: HTTP ingest answers each
    // request after its group commit, so throughput grows with the requests in flight.
    constexpr int kInFlight = 128;
    out() << "[4/5] Sending " << total << " CloudEvents to POST /v1/events (" << kInFlight
          << " in flight)" << Qt::endl;
    EventSender sender({"http://127.0.0.1:" + QByteArray::number(m_options.httpPort) + "/v1/events",
                        m_token.toUtf8(), total, kInFlight, 60'000});
    m_sendStarted = QDateTime::currentDateTimeUtc();
    qint64 lastMark = 0;
    const auto line = [&](const EventSender::Counts &c) {
        return u"      %1/%2 answered, %3 accepted, %4 events/s"_s.arg(c.answered)
            .arg(total)
            .arg(c.accepted + c.duplicates)
            .arg(qRound64((c.accepted + c.duplicates) * 1000.0 / std::max<qint64>(1, c.elapsedMs)));
    };
    auto sent = sender.run(
        [&](const EventSender::Counts &c) {
            // On a terminal every 200 ms, elsewhere every tenth of the events.
            const qint64 mark = g_tty ? c.elapsedMs / 200 : c.answered * 10 / total;
            if (mark > lastMark && c.answered < total) {
                progress(line(c), false);
                lastMark = mark;
            }
        },
        [this] { return stopReason(); });
    if (!sent)
        return sent.error();
    m_sent = *sent;
    progress(line(m_sent), true);
    out() << "      done in " << QString::number(m_sent.elapsedMs / 1000.0, 'f', 1)
          << " s: " << m_sent.accepted << " accepted, " << m_sent.duplicates << " duplicates, "
          << m_sent.rejected << " rejected, " << m_sent.gaveUp << " not delivered to the agent"
          << (m_sent.resent > 0
                  ? u" (%1 requests sent again after 503 or a connection error)"_s.arg(
                        m_sent.resent)
                  : QString())
          << Qt::endl;
    for (const QString &p : std::as_const(m_sent.problems))
        out() << "      ! " << p << Qt::endl;
    return {};
}

Result<ReceiverStats> Demo::receiverStats()
{
    const HttpAnswer a =
        httpGet("http://127.0.0.1:" + QByteArray::number(m_options.receiverPort) + "/stats");
    if (a.status != 200)
        return makeError(u"the webhook receiver did not answer GET /stats"_s);
    const QJsonObject o = QJsonDocument::fromJson(a.body).object();
    const auto n = [&o](const char *key) { return o.value(QLatin1StringView(key)).toInteger(); };
    return ReceiverStats{n("requests"),   n("bad_signatures"),       n("failures"),
                         n("deliveries"), n("distinct_webhook_ids"), n("distinct_event_ids"),
                         n("duplicates")};
}

Result<void> Demo::waitForDeliveries()
{
    out() << "[5/5] Waiting for deliveries (up to " << m_options.timeoutSeconds << " s)"
          << Qt::endl;
    QElapsedTimer clock;
    clock.start();
    while (true) {
        if (const QString reason = stopReason(); !reason.isEmpty())
            return makeError(reason);
        auto rows = m_db.query("SELECT state, count(*) FROM deliveries d JOIN tenants t "
                               "ON t.id = d.tenant_id WHERE t.name = $1 GROUP BY state",
                               {m_tenant});
        if (!rows)
            return rows.error();
        QHash<QString, qint64> byState;
        for (const QStringList &row : std::as_const(*rows))
            byState.insert(row.value(0), row.value(1).toLongLong());
        auto stats = receiverStats();
        if (!stats)
            return stats.error();
        const qint64 open = byState.value(u"pending"_s) + byState.value(u"in_flight"_s) +
                            byState.value(u"retry_wait"_s);
        const bool done = open == 0 || clock.elapsed() >= m_options.timeoutSeconds * 1000LL;
        progress(u"      %1 s: %2 delivered, %3 to send, %4 awaiting retry, %5 dead | receiver: "
                 "%6 requests, %7 failed"_s.arg(clock.elapsed() / 1000)
                     .arg(byState.value(u"succeeded"_s))
                     .arg(byState.value(u"pending"_s) + byState.value(u"in_flight"_s))
                     .arg(byState.value(u"retry_wait"_s))
                     .arg(byState.value(u"dead"_s))
                     .arg(stats->requests)
                     .arg(stats->failures),
                 done);
        if (done) {
            m_timedOut = open > 0;
            out() << (m_timedOut ? "      gave up waiting: deliveries are still open"
                                 : "      every delivery is finished")
                  << Qt::endl;
            return {};
        }
        pause(1000);
    }
}

// Prints the summary; returns what did not add up (empty: all good).
Result<QStringList> Demo::summarize()
{
    auto stats = receiverStats();
    if (!stats)
        return stats.error();
    if (!m_options.keepRunning) {
        out() << "Stopping ferry-agent and the webhook receiver..." << Qt::endl;
        if (const int code = m_agent.stop(); code != 0)
            return makeError(u"ferry-agent did not stop cleanly (exit code %1); see %2"_s.arg(
                QString::number(code), m_agent.logPath()));
        stats = receiverStats(); // after the agent's last requests
        if (!stats)
            return stats.error();
        m_receiver.stop();
    }
    auto rows = m_db.query(
        "SELECT count(*) FILTER (WHERE d.state = 'succeeded'), "
        "count(*) FILTER (WHERE d.state = 'dead'), count(*), "
        "coalesce(extract(epoch FROM max(d.finished_at) - min(d.created_at)), 0), "
        "coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "
        "d.finished_at - d.created_at)) FILTER (WHERE d.state = 'succeeded'), 0), "
        "coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM "
        "d.finished_at - d.created_at)) FILTER (WHERE d.state = 'succeeded'), 0), "
        "coalesce(extract(epoch FROM max(d.finished_at) - $2::timestamptz), 0) "
        "FROM deliveries d JOIN tenants t ON t.id = d.tenant_id WHERE t.name = $1",
        {m_tenant, m_sendStarted.addMSecs(m_sent.elapsedMs).toString(Qt::ISODateWithMs)});
    if (!rows)
        return rows.error();
    auto retried = m_db.count(
        "SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
        "JOIN tenants t ON t.id = d.tenant_id WHERE t.name = $1 AND a.outcome = 'retryable'",
        {m_tenant});
    if (!retried)
        return retried.error();
    const QStringList r = rows->value(0);
    const qint64 succeeded = r.value(0).toLongLong(), dead = r.value(1).toLongLong(),
                 deliveries = r.value(2).toLongLong();
    const double spanSeconds = r.value(3).toDouble();
    const qint64 confirmed = m_sent.accepted + m_sent.duplicates;
    const ReceiverStats &s = *stats;
    const auto rate = [](double n, double seconds) {
        return QString::number(qRound64(n / std::max(seconds, 0.001)));
    };

    out() << Qt::endl << "Summary (tenant " << m_tenant << ")" << Qt::endl;
    out() << "  Ingest     " << m_sent.accepted << " events accepted, " << m_sent.duplicates
          << " duplicates, " << m_sent.rejected + m_sent.gaveUp << " rejected or not sent; "
          << rate(double(confirmed), m_sent.elapsedMs / 1000.0) << " events/s" << Qt::endl;
    out() << "  Delivery   " << succeeded << " succeeded, " << dead << " dead, " << *retried
          << " attempts retried; " << rate(double(succeeded), spanSeconds) << " deliveries/s over "
          << QString::number(spanSeconds, 'f', 1) << " s" << Qt::endl;
    out() << "  Latency    event stored to delivered: p50 "
          << QString::number(r.value(4).toDouble(), 'f', 2) << " s, p99 "
          << QString::number(r.value(5).toDouble(), 'f', 2) << " s (retries included); the "
          << "last delivery finished " << QString::number(r.value(6).toDouble(), 'f', 2)
          << " s after the last event was acknowledged" << Qt::endl;
    out() << "  Receiver   " << s.requests << " requests, " << s.failures << " simulated failures, "
          << s.badSignatures << " bad signatures, " << s.distinctWebhookIds
          << " distinct webhook ids, " << s.duplicates << " duplicates" << Qt::endl;

    QStringList wrong;
    if (m_sent.rejected + m_sent.gaveUp > 0)
        wrong << u"%1 of %2 events were not accepted by the agent (see the lines marked ! "
                 "above)"_s.arg(m_sent.rejected + m_sent.gaveUp)
                     .arg(m_options.events);
    if (deliveries != confirmed)
        wrong << u"the database holds %1 deliveries for %2 accepted events"_s.arg(deliveries)
                     .arg(confirmed);
    if (m_timedOut)
        wrong << u"%1 deliveries were still open after %2 s"_s.arg(deliveries - succeeded - dead)
                     .arg(m_options.timeoutSeconds);
    if (dead > 0)
        wrong << u"%1 deliveries are dead (see 'dlq list' below)"_s.arg(dead);
    if (s.distinctWebhookIds != succeeded || s.distinctEventIds != succeeded)
        wrong << u"the receiver saw %1 distinct webhook ids and %2 distinct event ids, but the "
                 "database records %3 succeeded deliveries"_s.arg(s.distinctWebhookIds)
                     .arg(s.distinctEventIds)
                     .arg(succeeded);
    if (s.duplicates > 0)
        wrong << u"the receiver got %1 webhook ids more than once"_s.arg(s.duplicates);
    if (s.badSignatures > 0)
        wrong << u"the receiver rejected %1 requests with a bad signature"_s.arg(s.badSignatures);
    if (s.failures != *retried)
        out() << "  (note: the receiver failed " << s.failures << " requests on purpose and the "
              << "agent recorded " << *retried << " retryable attempts)" << Qt::endl;

    out() << Qt::endl;
    if (wrong.isEmpty())
        out() << "Result: all " << confirmed << " accepted events reached the receiver exactly "
              << "once, despite " << s.failures << " failed requests." << Qt::endl;
    else
        out() << "Result: something did not add up:\n  - " << wrong.join(u"\n  - "_s) << Qt::endl;

    const QString source = QStringLiteral(FERRY_DEMO_SOURCE_DIR);
    out() << Qt::endl
          << "Where to look next" << Qt::endl
          << "  Agent log      " << m_agent.logPath() << Qt::endl
          << "  Dead letters   FERRY_DATABASE_URL='" << m_options.databaseUrl << "' "
          << m_options.agent << " dlq list --tenant " << m_tenant << Qt::endl
          << "  Docs           " << source << "/README.md, " << source << "/docs/configuration.md, "
          << source << "/docs/protocol.md" << Qt::endl;
    if (!m_options.keepRunning)
        out() << "  TLS API        run the demo with --keep-running to use it with curl and "
                 "ferryctl while the agent runs ("
              << source << "/docs/api.md)" << Qt::endl;
    return wrong;
}

void Demo::printApiAccess()
{
    const QString api = u"https://127.0.0.1:%1"_s.arg(m_options.apiPort);
    const QString ctl = QFileInfo(m_options.agent).absolutePath() + u"/ferryctl"_s;
    out() << Qt::endl
          << "The TLS API (admin token valid for 7 days; key fingerprint " << m_apiPin << ")"
          << Qt::endl
          << "  curl      curl --cacert " << m_apiCert << " -H 'Authorization: Bearer "
          << m_apiToken << "' " << api << "/v1/overview" << Qt::endl
          << "  ferryctl  " << ctl << " login --url " << api << " --token " << m_apiToken
          << " --pin " << m_apiPin << Qt::endl
          << "            " << ctl << " dlq list --tenant " << m_tenant << Qt::endl
          << "  console   FERRY_CONSOLE_TOKEN=" << m_apiToken << " " << m_options.console
          << " --url " << api << " --pin " << m_apiPin << Qt::endl
          << "  docs      " << QStringLiteral(FERRY_DEMO_SOURCE_DIR) << "/docs/api.md" << Qt::endl;
}

// ferry-console on the demo agent: the token through the environment (not stored anywhere), the
// key pinned to the demo certificate. It keeps running after the demo stops.
void Demo::openConsole()
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        out() << "No display here: run the console line above in a desktop session." << Qt::endl;
        return;
    }
    QProcess console;
    console.setProgram(m_options.console);
    console.setArguments(
        {u"--url"_s, u"https://127.0.0.1:%1"_s.arg(m_options.apiPort), u"--pin"_s, m_apiPin});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"FERRY_CONSOLE_TOKEN"_s, m_apiToken);
    console.setProcessEnvironment(env);
    console.setStandardOutputFile(QProcess::nullDevice());
    console.setStandardErrorFile(QProcess::nullDevice());
    qint64 pid = 0;
    if (console.startDetached(&pid))
        out() << "Opened ferry-console (pid " << pid << ") on the demo agent." << Qt::endl;
    else
        out() << "Could not start " << m_options.console
              << "; build it (cmake --build --preset dev) or pass --console-path." << Qt::endl;
}

void Demo::keepRunning()
{
    const QString agentUrl = u"http://127.0.0.1:%1"_s.arg(m_options.httpPort);
    out() << Qt::endl
          << "The agent and the receiver keep running; press Ctrl-C to stop them." << Qt::endl
          << "  Send an event   curl -i -H 'Authorization: Bearer " << m_token
          << "' -H 'Content-Type: application/cloudevents+json' -d '"
          << QString::fromUtf8(EventSender::eventBody(m_options.events)) << "' " << agentUrl
          << "/v1/events" << Qt::endl
          << "  Agent health    curl " << agentUrl << "/healthz" << Qt::endl
          << "  Receiver stats  curl http://127.0.0.1:" << m_options.receiverPort << "/stats"
          << Qt::endl;
    printApiAccess();
    if (m_options.openConsole)
        openConsole();
    while (g_interrupts == 0 && m_agent.running() && m_receiver.running())
        pause(200);
    if (const QString notice = stopReason(); g_interrupts == 0 && !notice.isEmpty())
        out() << notice << Qt::endl;
    out() << "Stopping ferry-agent and the webhook receiver..." << Qt::endl;
    m_agent.stop();
    m_receiver.stop();
    out() << "Stopped." << Qt::endl;
}

int Demo::run()
{
    m_logDir = u".ferry/demo"_s;
    if (!QDir().mkpath(m_logDir)) {
        out() << "ferry-demo: cannot create the folder " << m_logDir << " for the logs" << Qt::endl;
        return 1;
    }
    out() << "Ferry demo: " << m_options.events << " events; the receiver fails "
          << qRound(m_options.failRate * 100) << "% of webhook requests on purpose" << Qt::endl
          << Qt::endl;
    Result<QStringList> wrong = makeError({});
    if (auto ok = prepare(); !ok)
        wrong = ok.error();
    else if (ok = startReceiver(); !ok)
        wrong = ok.error();
    else if (ok = startAgent(); !ok)
        wrong = ok.error();
    else if (ok = sendEvents(); !ok)
        wrong = ok.error();
    else if (ok = waitForDeliveries(); !ok)
        wrong = ok.error();
    else
        wrong = summarize();

    if (!wrong) {
        out() << Qt::endl << "ferry-demo: " << wrong.error().message << Qt::endl;
        if (m_agent.running() || m_receiver.running())
            out() << "Stopping ferry-agent and the webhook receiver (Ctrl-C again to kill them)..."
                  << Qt::endl;
        m_agent.stop();
        m_receiver.stop();
        if (m_agent.started() || m_receiver.started())
            out() << "Stopped: nothing of the demo is running any more." << Qt::endl;
        if (m_db.isOpen())
            warnAboutLeftovers();
        return g_interrupts > 0 ? 130 : 1;
    }
    if (m_options.keepRunning)
        keepRunning();
    if (!wrong->isEmpty())
        warnAboutLeftovers();
    return wrong->isEmpty() ? 0 : 1;
}

void Demo::warnAboutLeftovers()
{
    auto open = m_db.count("SELECT count(*) FROM deliveries d JOIN tenants t ON t.id = "
                           "d.tenant_id WHERE t.name = $1 AND d.state IN ('pending', "
                           "'in_flight', 'retry_wait')",
                           {m_tenant});
    if (open && *open > 0)
        out() << "Note: " << *open << " deliveries of " << m_tenant << " are still open. The "
              << "next agent on this database will retry them against a receiver that is gone; "
              << "for a clean next run, use a fresh database." << Qt::endl;
}

} // namespace

} // namespace ferry::demo

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"ferry-demo"_s);
    auto options = ferry::demo::parseOptions(QCoreApplication::arguments());
    if (!options) {
        if (options.error().message.isEmpty()) // --help
            return 0;
        QTextStream(stderr) << "ferry-demo: " << options.error().message << Qt::endl;
        return 2;
    }
    struct sigaction sa = {};
    sa.sa_handler = ferry::demo::onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int code = 0;
    {
        ferry::demo::Demo demo(*options);
        code = demo.run();
    }
    curl_global_cleanup();
    return code;
}
