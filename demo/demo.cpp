#include "demo/demo.h"

#include "agent/store/admin/adminstore.h"
#include "agent/store/readmodels/reportstore.h"
#include "demo/channelroutes.h"
#include "demo/dunning.h"
#include "demo/network.h"
#include "demo/receiverstats.h"
#include "demo/summary.h"
#include "demo/terminal.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

constexpr int kReceiverConcurrency = 256;

} // namespace

QString Demo::stopReason()
{
    if (interrupts() > 0)
        return u"interrupted"_s;
    if (QString notice = m_agent.deathNotice(); !notice.isEmpty())
        return notice;
    if (QString notice = m_providers.deathNotice(); !notice.isEmpty())
        return notice;
    return m_receiver.deathNotice();
}

QProcessEnvironment Demo::agentEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"FERRY_DATABASE_URL"_s, m_options.databaseUrl);
    // The demo's receiver listens on loopback: its endpoint is saved and reached only so.
    // So are the provider simulator and the SMTP server.
    env.insert(u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8"_s);
    if (!m_masterKeyFile.isEmpty())
        env.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, m_masterKeyFile);
    // The jobs example's command (read at start) and its runs' working directories.
    if (!m_jobFolders.commands.isEmpty()) {
        env.insert(u"FERRY_EXEC_COMMANDS_DIR"_s, m_jobFolders.commands);
        env.insert(u"FERRY_EXEC_SCRATCH_DIR"_s, m_jobFolders.scratch);
    }
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
        if (interrupts() > 0 || clock.elapsed() > 60'000 ||
            process.state() == QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
            return makeError(interrupts() > 0 ? u"interrupted"_s
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
    if (auto ok = useMasterKey(); !ok)
        return ok;
    if (auto ok = writeJobCommand(); !ok)
        return ok;
    auto migrated = agentCommand({u"migrate"_s});
    if (!migrated)
        return migrated.error();
    out() << "      " << migrated->split(u'\n').join(u"; "_s) << Qt::endl;
    if (auto ok = createTenant(); !ok)
        return ok;
    if (auto ok = addEndpoint(); !ok)
        return ok;
    if (auto ok = prepareApi(); !ok)
        return ok;
    return openDatabase();
}

Result<void> Demo::createTenant()
{
    m_tenant = u"demo-%1"_s.arg(QDateTime::currentSecsSinceEpoch());
    auto token = agentCommand({u"tenant"_s, u"create"_s, m_tenant});
    if (!token)
        return token.error();
    m_token = token->section(u'\n', 0, 0).trimmed();
    return {};
}

Result<void> Demo::addEndpoint()
{
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
    return {};
}

// The TLS API, for curl, ferryctl and the console: a self-signed certificate (kept between
// runs, so a pinned fingerprint stays valid) and an admin token for this run.
Result<void> Demo::prepareApi()
{
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
    return {};
}

// The demo's own connection to the agent's store, for the counts it shows.
Result<void> Demo::openDatabase()
{
    if (auto opened = m_db.open(m_options.databaseUrl); !opened)
        return opened;
    auto id = agent::store::AdminStore(m_db, u"ferry-demo"_s).findTenant(m_tenant);
    if (!id)
        return id.error();
    if (*id == 0)
        return makeError(u"the tenant %1 is not in the database after 'ferry-agent tenant "
                         "create'"_s.arg(m_tenant));
    m_tenantId = *id;
    // The agent delivers for every tenant: leftovers of an interrupted run slow this one down.
    auto open = openDeliveries(false);
    if (!open)
        return open.error();
    if (*open > 0)
        out() << "      note: " << *open << " deliveries of other tenants (an interrupted demo?) "
              << "are still open; the agent retries them too, which slows this run down. For a "
              << "clean start, use a fresh database." << Qt::endl;
    return {};
}

// Open deliveries of the demo's tenant, or of every other tenant.
Result<qint64> Demo::openDeliveries(bool ofThisTenant)
{
    auto open = agent::store::ReportStore(m_db).openDeliveriesByTenant();
    if (!open)
        return open.error();
    if (ofThisTenant)
        return open->value(m_tenant);
    qint64 others = 0;
    for (auto it = open->cbegin(); it != open->cend(); ++it)
        others += it.key() == m_tenant ? 0 : it.value();
    return others;
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

// `ferry-agent run`'s settings: free local ports, short retries, the demo's TLS API.
QProcessEnvironment Demo::agentRunEnvironment()
{
    if (m_options.httpPort == 0)
        m_options.httpPort = freePort();
    QProcessEnvironment env = agentEnvironment();
    env.insert(u"FERRY_HTTP_LISTEN"_s, u"127.0.0.1:%1"_s.arg(m_options.httpPort));
    env.insert(u"FERRY_ZMQ_LISTEN"_s, u"tcp://127.0.0.1:%1"_s.arg(freePort()));
    env.insert(u"FERRY_METRICS_LISTEN"_s, u"127.0.0.1:%1"_s.arg(freePort()));
    env.insert(u"FERRY_RETRY_SCHEDULE"_s, u"exponential"_s);
    env.insert(u"FERRY_RETRY_BASE"_s, u"200ms"_s);
    env.insert(u"FERRY_RETRY_CAP"_s, u"2s"_s);
    env.insert(u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"10"_s);
    if (m_options.apiPort == 0)
        m_options.apiPort = portIsFree(7643) ? 7643 : freePort();
    env.insert(u"FERRY_API_LISTEN"_s, u"127.0.0.1:%1"_s.arg(m_options.apiPort));
    env.insert(u"FERRY_API_CERTIFICATE"_s, m_apiCert);
    env.insert(u"FERRY_API_PRIVATE_KEY"_s, m_apiKey);
    return env;
}

Result<void> Demo::startAgent()
{
    const QProcessEnvironment env = agentRunEnvironment();
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
            return makeError(
                u"ferry-agent did not answer GET %1 with 200 within 20 s; the end "
                "of its log:\n%2"_s.arg(QString::fromLatin1(healthz), m_agent.logTail(15)));
        pause(100);
    }
    out() << "      ready after " << QString::number(double(clock.elapsed()) / 1000.0, 'f', 1)
          << " s" << Qt::endl;
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
                        m_token.toUtf8(), total, kInFlight, 60'000, m_options.messageEvery});
    m_sendStarted = QDateTime::currentDateTimeUtc();
    qint64 lastMark = 0;
    const auto line = [&](const EventSender::Counts &c) {
        return u"      %1/%2 answered, %3 accepted, %4 events/s"_s.arg(c.answered)
            .arg(total)
            .arg(c.accepted + c.duplicates)
            .arg(qRound64(double(c.accepted + c.duplicates) * 1000.0 /
                          double(std::max<qint64>(1, c.elapsedMs))));
    };
    auto sent = sender.run(
        [&](const EventSender::Counts &c) {
            // On a terminal every 200 ms, elsewhere every tenth of the events.
            const qint64 mark = isTerminal() ? c.elapsedMs / 200 : c.answered * 10 / total;
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
    printSent();
    return {};
}

void Demo::printSent() const
{
    out() << "      done in " << QString::number(double(m_sent.elapsedMs) / 1000.0, 'f', 1)
          << " s: " << m_sent.accepted << " accepted, " << m_sent.duplicates << " duplicates, "
          << m_sent.rejected << " rejected, " << m_sent.gaveUp << " not delivered to the agent"
          << (m_sent.resent > 0
                  ? u" (%1 requests sent again after 503 or a connection error)"_s.arg(
                        m_sent.resent)
                  : QString())
          << Qt::endl;
    for (const QString &p : std::as_const(m_sent.problems))
        out() << "      ! " << p << Qt::endl;
}

// The demo tenant's deliveries by state, as the TLS API shows them.
Result<QHash<QString, qint64>> Demo::deliveriesByState()
{
    const QDateTime from = QDateTime::fromSecsSinceEpoch(0, Qt::UTC);
    const QDateTime to = QDateTime::currentDateTimeUtc().addYears(100);
    auto rows = agent::store::ReportStore(m_db).deliveryReport(m_tenantId, from, to);
    if (!rows)
        return rows.error();
    QHash<QString, qint64> byState;
    for (const auto &row : std::as_const(*rows))
        byState[row.state] += row.deliveries;
    return byState;
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
        auto byState = deliveriesByState();
        if (!byState)
            return byState.error();
        auto stats = ReceiverStats::fetch(m_options.receiverPort);
        if (!stats)
            return stats.error();
        const qint64 toSend = byState->value(u"pending"_s) + byState->value(u"in_flight"_s);
        const qint64 open = toSend + byState->value(u"retry_wait"_s);
        const bool done = open == 0 || clock.elapsed() >= m_options.timeoutSeconds * 1000LL;
        progress(u"      %1 s: %2 delivered, %3 to send, %4 awaiting retry, %5 dead | receiver: "
                 "%6 requests, %7 failed"_s.arg(clock.elapsed() / 1000)
                     .arg(byState->value(u"succeeded"_s))
                     .arg(toSend)
                     .arg(byState->value(u"retry_wait"_s))
                     .arg(byState->value(u"dead"_s))
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
    auto stats = ReceiverStats::fetch(m_options.receiverPort);
    if (!stats)
        return stats.error();
    if (!m_options.keepRunning) {
        out() << "Stopping ferry-agent, the webhook receiver and the providers..." << Qt::endl;
        if (const int code = m_agent.stop(); code != 0)
            return makeError(u"ferry-agent did not stop cleanly (exit code %1); see %2"_s.arg(
                QString::number(code), m_agent.logPath()));
        stats = ReceiverStats::fetch(m_options.receiverPort); // after the agent's last requests
        if (!stats)
            return stats.error();
    }
    stats->subtract(m_receiverBaseline);
    auto outcome = agent::store::ReportStore(m_db).outcome(m_tenantId);
    if (!outcome)
        return outcome.error();
    auto channels = channelReport(*outcome);
    if (!channels)
        return channels.error();
    if (!m_options.keepRunning)
        stopChildren();
    return Summary(m_options, {m_tenant, m_sent, m_sendStarted.addMSecs(m_sent.elapsedMs), *outcome,
                               *stats, *channels, m_timedOut, m_agent.logPath()})
        .print();
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
          << "  ferryctl  echo " << m_apiToken << " | " << ctl << " login --url " << api
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
          << "The agent, the receiver and the providers keep running; press Ctrl-C to stop them."
          << Qt::endl
          << "  Send an event   curl -i -H 'Authorization: Bearer " << m_token
          << "' -H 'Content-Type: application/cloudevents+json' -d '"
          << QString::fromUtf8(
                 EventSender::eventBody(m_options.events, m_options.messageEvery > 0 ? 1 : 0))
          << "' " << agentUrl << "/v1/events" << Qt::endl
          << "  Agent health    curl " << agentUrl << "/healthz" << Qt::endl
          << "  Receiver stats  curl http://127.0.0.1:" << m_options.receiverPort << "/stats"
          << Qt::endl;
    if (m_options.messageEvery > 0)
        out() << "  Provider stats  curl http://127.0.0.1:" << m_providers.simPort()
              << "/_sim/stats?messages=0 (mail: " << m_logDir << "/mail.jsonl)" << Qt::endl;
    printApiAccess();
    if (m_options.openConsole)
        openConsole();
    while (interrupts() == 0 && stopReason().isEmpty())
        pause(200);
    if (const QString notice = stopReason(); interrupts() == 0 && !notice.isEmpty())
        out() << notice << Qt::endl;
    out() << "Stopping ferry-agent, the webhook receiver and the providers..." << Qt::endl;
    m_agent.stop();
    stopChildren();
    out() << "Stopped." << Qt::endl;
}

// ferry-provider-sim and the SMTP server, for the message routes.
Result<void> Demo::startProviders()
{
    if (m_options.messageEvery == 0)
        return {};
    if (auto started = m_providers.start(m_logDir); !started)
        return started;
    out() << "      ferry-provider-sim (Twilio, WhatsApp, FCM) on 127.0.0.1:"
          << m_providers.simPort()
          << ", the SMTP server (STARTTLS, AUTH) on 127.0.0.1:" << m_providers.smtpPort()
          << Qt::endl;
    return {};
}

// The master key kept in the log folder, made on the first run: the agent and its commands seal
// the signing secret, the CURVE key and the provider accounts with it.
Result<void> Demo::useMasterKey()
{
    const QString keyFile = QFileInfo(m_logDir + u"/master.key"_s).absoluteFilePath();
    if (!QFileInfo::exists(keyFile)) {
        if (auto generated = MasterKey::generate(keyFile); !generated)
            return generated;
    }
    m_masterKeyFile = keyFile;
    return {};
}

// The jobs example's command, in the demo's folder: the agent reads it at start.
Result<void> Demo::writeJobCommand()
{
    const JobsExample::Folders folders = JobsExample::folders(m_logDir);
    if (auto ok = JobsExample::writeCommand(folders); !ok)
        return ok;
    m_jobFolders = folders;
    return {};
}

// Provider accounts sealed with the master key, templates and a route per message channel for
// the shipping notices.
Result<void> Demo::addChannelRoutes()
{
    if (m_options.messageEvery == 0)
        return {};
    auto key = MasterKey::load(m_masterKeyFile);
    if (!key)
        return key.error();
    auto routes = ChannelRoutes(m_db, m_tenantId, m_tenant)
                      .create(m_providers, *key, QLatin1StringView(EventSender::kMessageEventType));
    if (!routes)
        return routes.error();
    m_routeIds = *routes;
    out() << "      routes for " << EventSender::kMessageEventType
          << " events: email, sms, whatsapp and push, each through its provider account and "
             "template"
          << Qt::endl;
    return {};
}

// The workflow example (docs/workflows.md), before the shipping notices: what it sends is
// counted apart, so the channels' figures below stay those of the notices.
Result<void> Demo::runDunning()
{
    if (m_options.messageEvery == 0)
        return {};
    auto key = MasterKey::load(m_masterKeyFile);
    if (!key)
        return key.error();
    out() << "      workflow example: payment failed -> email now -> SMS after a grace period "
             "unless invoice.paid arrives -> downgrade webhook"
          << Qt::endl;
    DunningExample dunning(m_db, m_options.httpPort);
    const QString url = u"http://127.0.0.1:%1/hooks/billing"_s.arg(m_options.receiverPort);
    if (auto ok = dunning.prepare([this](const QStringList &a) { return agentCommand(a); },
                                  m_providers, *key, url, m_secret);
        !ok)
        return ok;
    auto outcome = dunning.run([this] { return stopReason(); });
    if (!outcome)
        return outcome.error();
    const int completed = outcome->states.value(u"completed"_s);
    const int cancelled = outcome->states.value(u"cancelled"_s);
    out() << "      workflow 'dunning' of " << outcome->tenant << ": " << outcome->customers
          << " failed payments; " << completed
          << " completed (email, SMS after the grace period, downgrade webhook), " << cancelled
          << " cancelled by invoice.paid during the grace period (email only)" << Qt::endl;
    if (completed + cancelled != outcome->customers)
        return makeError(u"the dunning workflow's instances did not all finish: %1 completed, "
                         "%2 cancelled of %3"_s.arg(completed)
                             .arg(cancelled)
                             .arg(outcome->customers));
    auto counts = m_providers.received();
    auto stats = ReceiverStats::fetch(m_options.receiverPort);
    if (!counts || !stats)
        return counts ? stats.error() : counts.error();
    m_messageBaseline = *counts;
    m_receiverBaseline = *stats;
    return {};
}

// The jobs example (docs/jobs.md), in a tenant of its own: its schedule is paused before the
// shipping notices, so that its jobs do not run alongside them.
Result<void> Demo::runJobs()
{
    out() << "      jobs example: schedule 'nightly-report' every 2 s -> report.requested -> exec "
             "route -> the command nightly-report writes a CSV report"
          << Qt::endl;
    auto key = MasterKey::load(m_masterKeyFile);
    if (!key)
        return key.error();
    JobsExample jobs(m_db, m_jobFolders);
    if (auto ok = jobs.prepare([this](const QStringList &a) { return agentCommand(a); }, *key); !ok)
        return ok;
    auto outcome = jobs.run([this] { return stopReason(); });
    if (!outcome)
        return outcome.error();
    out() << "      schedule 'nightly-report' of " << outcome->tenant << ": " << outcome->fired
          << " slots fired, " << outcome->jobs << " exec jobs succeeded (report files in "
          << outcome->reportDir << ")" << Qt::endl;
    if (outcome->jobs < JobsExample::kSlots || outcome->jobs != outcome->fired ||
        outcome->reports != outcome->jobs)
        return makeError(u"the nightly-report jobs did not all succeed: %1 slots fired, %2 exec "
                         "jobs succeeded, %3 report files in %4; the agent's log %5 says why"_s
                             .arg(outcome->fired)
                             .arg(outcome->jobs)
                             .arg(outcome->reports)
                             .arg(outcome->reportDir, m_agent.logPath()));
    return {};
}

// Per channel: what the store records and what each receiving end counted.
Result<ChannelReport> Demo::channelReport(const agent::store::ReportStore::Outcome &all)
{
    auto stats = ReceiverStats::fetch(m_options.receiverPort);
    if (!stats)
        return stats.error();
    QHash<QString, ChannelReport::Source> sources{
        {u"webhook"_s,
         {0, u"webhook receiver"_s,
          stats->distinctWebhookIds - m_receiverBaseline.distinctWebhookIds}}};
    if (m_options.messageEvery > 0) {
        auto counts = m_providers.received();
        if (!counts)
            return counts.error();
        for (const QString &channel : ChannelRoutes::channels())
            sources.insert(channel,
                           {m_routeIds.value(channel),
                            channel == "email"_L1 ? u"SMTP server"_s : u"provider simulator"_s,
                            counts->value(channel) - m_messageBaseline.value(channel)});
    }
    return ChannelReport::collect(m_db, m_tenantId, m_tenant, all, sources);
}

void Demo::stopChildren()
{
    m_receiver.stop();
    m_providers.stop();
}

Result<QStringList> Demo::runSteps()
{
    for (const auto step : {&Demo::prepare, &Demo::startReceiver, &Demo::startProviders,
                            &Demo::addChannelRoutes, &Demo::startAgent, &Demo::runDunning,
                            &Demo::runJobs, &Demo::sendEvents, &Demo::waitForDeliveries}) {
        if (auto ok = (this->*step)(); !ok)
            return ok.error();
    }
    return summarize();
}

// Stops what runs after `error`; the exit code.
int Demo::fail(const Error &error)
{
    out() << Qt::endl << "ferry-demo: " << error.message << Qt::endl;
    if (m_agent.running() || m_receiver.running() || m_providers.running())
        out() << "Stopping ferry-agent, the receiver and the providers (Ctrl-C again to kill "
                 "them)..."
              << Qt::endl;
    m_agent.stop();
    stopChildren();
    if (m_agent.started() || m_receiver.started() || m_providers.started())
        out() << "Stopped: nothing of the demo is running any more." << Qt::endl;
    if (m_db.isOpen())
        warnAboutLeftovers();
    return interrupts() > 0 ? 130 : 1;
}

int Demo::run()
{
    m_logDir = u".ferry/demo"_s;
    if (!QDir().mkpath(m_logDir)) {
        out() << "ferry-demo: cannot create the folder " << m_logDir << " for the logs" << Qt::endl;
        return 1;
    }
    out() << "Ferry demo: " << m_options.events << " events; the receiver fails "
          << qRound(m_options.failRate * 100) << "% of webhook requests on purpose";
    if (m_options.messageEvery > 0)
        out() << "; " << EventSender::messageEvents(m_options.events, m_options.messageEvery)
              << " of them also go out by email, SMS, WhatsApp and push";
    out() << Qt::endl << Qt::endl;
    const Result<QStringList> wrong = runSteps();
    if (!wrong)
        return fail(wrong.error());
    if (m_options.keepRunning)
        keepRunning();
    if (!wrong->isEmpty())
        warnAboutLeftovers();
    return wrong->isEmpty() ? 0 : 1;
}

void Demo::warnAboutLeftovers()
{
    auto open = openDeliveries(true);
    if (open && *open > 0)
        out() << "Note: " << *open << " deliveries of " << m_tenant << " are still open. The "
              << "next agent on this database will retry them against a receiver that is gone; "
              << "for a clean next run, use a fresh database." << Qt::endl;
}

} // namespace ferry::demo
