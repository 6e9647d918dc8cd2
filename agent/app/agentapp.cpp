#include "agent/app/agentapp.h"

#include "agent/adapters/ssrfguard.h"
#include "agent/api/apiserver.h"
#include "agent/api/certificates.h"
#include "agent/app/cliio.h"
#include "agent/app/dlqcommand.h"
#include "agent/app/logging.h"
#include "agent/dispatch/concurrencylimiter.h"
#include "agent/dispatch/dispatcher.h"
#include "agent/ingest/batchwriter.h"
#include "agent/ingest/httpingest.h"
#include "agent/ingest/zmqingest.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/metrics/metricsserver.h"
#include "agent/schedule/retentionjob.h"
#include "agent/store/adminstore.h"
#include "agent/store/apitokenstore.h"
#include "agent/store/credentialstore.h"
#include "agent/store/migrator.h"
#include "agent/store/pgconnection.h"
#include "agent/store/producerkeystore.h"
#include "shared/masterkey.h"
#include "shared/retrypolicy.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

QString actor()
{
    const QByteArray user = qgetenv("SUDO_USER").isEmpty() ? qgetenv("USER") : qgetenv("SUDO_USER");
    return u"cli:"_s + (user.isEmpty() ? u"unknown"_s : QString::fromLocal8Bit(user));
}

Result<void> connectAndMigrate(store::PgConnection &db, const AgentConfig &config, bool verbose)
{
    auto opened = db.open(config.string("database.url"),
                          int(config.milliseconds("database.connect_timeout") / 1000));
    if (!opened)
        return makeError(opened.error().message +
                         u" (database.url from %1)"_s.arg(config.origin("database.url")));
    store::Migrator migrator(db);
    auto report = migrator.migrate();
    if (!report)
        return report.error();
    if (verbose) {
        if (report->applied.isEmpty())
            out() << "schema is current (version " << report->toVersion << ")" << Qt::endl;
        for (const QString &name : report->applied)
            out() << "applied " << name << Qt::endl;
    } else if (!report->applied.isEmpty()) {
        qCInfo(lcStore) << "schema migrated from version" << report->fromVersion << "to"
                        << report->toVersion;
    }
    return {};
}

// The master key of provider credentials: the file credentials.master_key_file names, or else
// the systemd credential $CREDENTIALS_DIRECTORY/ferry-master-key; none when neither is set.
Result<std::optional<MasterKey>> loadMasterKey(const AgentConfig &config)
{
    QString path = config.string("credentials.master_key_file");
    QString origin =
        u"credentials.master_key_file from %1"_s.arg(config.origin("credentials.master_key_file"));
    if (path.isEmpty()) {
        const QString dir = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
        if (dir.isEmpty() || !QFile::exists(dir + u"/ferry-master-key"_s))
            return std::optional<MasterKey>();
        path = dir + u"/ferry-master-key"_s;
        origin = u"systemd credential ferry-master-key"_s;
    }
    auto key = MasterKey::load(path);
    if (!key)
        return makeError(key.error().message + u" ("_s + origin + u")"_s);
    return std::optional<MasterKey>(*key);
}

// Says at start-up, rather than at the first delivery, when stored credentials were sealed
// under another master key than the one this agent has.
void checkMasterKey(store::PgConnection &db, const std::optional<MasterKey> &key)
{
    auto ids = store::CredentialStore(db, {}).keyIds();
    if (!ids) {
        qCWarning(lcMain).noquote()
            << "cannot check the stored credentials:" << ids.error().message;
        return;
    }
    for (const auto &[id, count] : std::as_const(*ids)) {
        if (!key)
            qCWarning(lcMain).noquote()
                << count << "stored credential(s) cannot be used: this agent has no master key "
                << "(set credentials.master_key_file to the file of key" << id << ")";
        else if (id != key->id())
            qCCritical(lcMain).noquote()
                << count << "stored credential(s) were sealed under master key" << id
                << "but this agent's master key is" << key->id()
                << "- routes using them cannot sign: point credentials.master_key_file at the "
                   "right key file, or store those credentials again";
    }
    if (key)
        qCInfo(lcMain).noquote() << "credentials master key" << key->id() << "loaded";
}

// Unix signals reach the event loop through a socket pair.
int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFd[0], &c, 1);
}

} // namespace

int runAgent(const AgentConfig &config)
{
    store::PgConnection db;
    if (auto ready = connectAndMigrate(db, config, false); !ready)
        return fail(ready.error().message);
    auto masterKey = loadMasterKey(config);
    if (!masterKey)
        return fail(masterKey.error().message);
    checkMasterKey(db, *masterKey);
    const bool zmqEnabled = !config.string("zmq.listen").isEmpty();
    store::CurveKeyPair serverKeys;
    if (zmqEnabled && config.boolean("zmq.curve")) {
        auto keys = store::ProducerKeyStore(db).serverKeys();
        if (!keys)
            return fail(keys.error().message);
        serverKeys = *keys;
    }
    db.close();

    const QString listen = config.string("http.listen");
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    const quint16 port = listen.mid(colon + 1).toUShort(&portOk);
    const QHostAddress address(colon > 0 ? listen.left(colon) : u"0.0.0.0"_s);
    if (colon < 0 || !portOk || address.isNull())
        return fail(u"http.listen is '%1'; expected host:port such as 0.0.0.0:7680"_s.arg(listen));

    ingest::BatchWriter::Options wopts;
    wopts.databaseUrl = config.string("database.url");
    wopts.connectTimeoutSeconds = int(config.milliseconds("database.connect_timeout") / 1000);
    wopts.queueLimit = config.integer("ingest.queue_limit");
    wopts.maxBatch = std::max<qint64>(1, config.integer("ingest.max_batch"));
    wopts.writers = int(std::clamp<qint64>(config.integer("ingest.writers"), 1, 16));

    dispatch::Dispatcher::Options dopts;
    dopts.databaseUrl = config.string("database.url");
    dopts.connectTimeoutSeconds = int(config.milliseconds("database.connect_timeout") / 1000);
    dopts.maxInFlight = int(std::max<qint64>(1, config.integer("dispatch.max_in_flight")));
    dopts.leaseMs = config.milliseconds("dispatch.lease");
    dopts.pollIntervalMs = std::max<qint64>(10, config.milliseconds("dispatch.poll_interval"));
    BackoffPolicy backoff;
    backoff.base = std::chrono::milliseconds(config.milliseconds("retry.base"));
    backoff.cap = std::chrono::milliseconds(config.milliseconds("retry.cap"));
    auto policy = RetryPolicy::parse(config.string("retry.schedule"), backoff);
    if (!policy)
        return fail(u"retry.schedule: "_s + policy.error().message);
    dopts.retry = *policy;
    dopts.retry.maxAttempts = int(config.integer("retry.max_attempts"));
    dopts.retry.maxAgeMs = config.milliseconds("retry.max_age");
    dopts.retryAfterCapMs = config.milliseconds("retry.retry_after_cap");
    dopts.timeoutMs = config.milliseconds("webhook.timeout");
    dopts.maxPerEndpoint = int(config.integer("webhook.max_concurrency_per_endpoint"));
    dopts.graceMs = config.milliseconds("shutdown.grace");
    if (dopts.graceMs >= dopts.leaseMs)
        return fail(u"shutdown.grace (%1 ms) must be shorter than dispatch.lease (%2 ms), or "
                    "another agent could take over deliveries this one is still finishing"_s
                        .arg(dopts.graceMs)
                        .arg(dopts.leaseMs));
    if (dopts.timeoutMs >= dopts.leaseMs)
        return fail(u"webhook.timeout (%1 ms) must be shorter than dispatch.lease (%2 ms), or a "
                    "slow receiver would lose its lease mid-request"_s.arg(dopts.timeoutMs)
                        .arg(dopts.leaseMs));
    auto guard = adapters::SsrfGuard::parse(config.string("webhook.allowed_networks"));
    if (!guard)
        return fail(guard.error().message);
    dopts.ssrfGuard = &*guard;
    dopts.masterKey = *masterKey ? &**masterKey : nullptr;
    // Dispatch workers: each claims and sends on its own thread; per-endpoint caps are shared.
    QByteArray agentId(8, Qt::Uninitialized);
    QRandomGenerator::system()->generate(agentId.begin(), agentId.end());
    agentId = agentId.toHex();
    dispatch::ConcurrencyLimiter limiter;
    const int workers = int(std::clamp<qint64>(config.integer("dispatch.workers"), 1, 64));
    dopts.maxInFlight = std::max(1, (dopts.maxInFlight + workers - 1) / workers);
    dopts.limiter = &limiter;
    dopts.agentId = agentId;
    std::vector<std::unique_ptr<dispatch::Dispatcher>> dispatchers;
    for (int i = 0; i < workers; ++i) {
        dopts.runsRescuer = i == 0;
        dispatchers.push_back(std::make_unique<dispatch::Dispatcher>(dopts));
    }
    const auto stopDispatch = [&dispatchers] {
        for (auto &d : dispatchers)
            d->requestStop();
        for (auto &d : dispatchers)
            d->stop();
    };
    wopts.agentId = agentId;
    ingest::BatchWriter writer(wopts);
    writer.setCommitListener([&dispatchers](qint64) {
        for (auto &d : dispatchers)
            d->wake();
    });

    ingest::HttpIngest http(
        writer, {config.integer("http.max_body_bytes"),
                 int(std::max<qint64>(1, config.milliseconds("ingest.retry_after") / 1000))});
    auto *server = new QTcpServer(&http);
    if (!server->listen(address, port))
        return fail(u"cannot listen on %1 (http.listen): %2"_s.arg(listen, server->errorString()));
    http.bind(server);

    std::unique_ptr<ingest::ZmqIngest> zmq;
    if (zmqEnabled) {
        ingest::ZmqIngest::Options zopts;
        zopts.listen = config.string("zmq.listen");
        zopts.curve = config.boolean("zmq.curve");
        zopts.serverSecretKey = serverKeys.secretKey;
        zopts.maxMessageBytes = config.integer("zmq.max_message_bytes");
        zopts.databaseUrl = config.string("database.url");
        zopts.connectTimeoutSeconds = dopts.connectTimeoutSeconds;
        zopts.keyRefreshMs = std::max<qint64>(100, config.milliseconds("zmq.key_refresh"));
        zopts.retryAfterSeconds =
            int(std::max<qint64>(1, config.milliseconds("ingest.retry_after") / 1000));
        zmq = std::make_unique<ingest::ZmqIngest>(writer, zopts);
        if (auto started = zmq->start(); !started)
            return fail(started.error().message);
    }

    std::unique_ptr<api::ApiServer> apiServer;
    if (!config.string("api.certificate").isEmpty() && !config.string("api.listen").isEmpty()) {
        apiServer = std::make_unique<api::ApiServer>(api::ApiServer::Options{
            config.string("api.listen"), config.string("api.certificate"),
            config.string("api.private_key"), config.string("api.client_ca"),
            config.string("database.url"), dopts.connectTimeoutSeconds, *masterKey});
        if (auto started = apiServer->start(); !started)
            return fail(started.error().message);
    } else {
        qCInfo(lcMain) << "TLS API off: set api.certificate and api.private_key "
                          "('ferry-agent cert generate' writes a pair)";
    }

    std::unique_ptr<metrics::MetricsServer> metricsServer;
    if (!config.string("metrics.listen").isEmpty()) {
        metricsServer = std::make_unique<metrics::MetricsServer>(
            metrics::AgentMetrics::instance(),
            metrics::MetricsServer::Options{
                config.string("metrics.listen"), config.string("database.url"),
                dopts.connectTimeoutSeconds, config.milliseconds("metrics.refresh_interval")});
        if (auto started = metricsServer->start(); !started)
            return fail(started.error().message);
    } else {
        qCInfo(lcMain) << "Prometheus endpoint off (metrics.listen is empty)";
    }

    schedule::RetentionJob retention(
        {.databaseUrl = config.string("database.url"),
         .connectTimeoutSeconds = dopts.connectTimeoutSeconds,
         .intervalMs = std::max<qint64>(100, config.milliseconds("maintenance.interval")),
         .dedupeRetentionMs = config.milliseconds("ingest.dedupe_retention"),
         .deliveriesRetentionMs = config.milliseconds("retention.deliveries"),
         .deadRetentionMs = config.milliseconds("retention.dead"),
         .eventsRetentionMs = config.milliseconds("retention.events"),
         .auditRetentionMs = config.milliseconds("retention.audit")});

    writer.start();
    for (auto &d : dispatchers)
        d->start();
    retention.start();
    qCInfo(lcMain).noquote() << "ferry-agent" << FERRY_VERSION << "ready; HTTP ingest on"
                             << u"%1:%2"_s.arg(address.toString()).arg(server->serverPort());

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return fail(u"cannot set up signal handling"_s);
    QSocketNotifier notifier(g_signalFd[1], QSocketNotifier::Read);
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    QElapsedTimer shutdownClock;
    QTimer drainTimer;
    drainTimer.setInterval(20);
    const qint64 graceMs = dopts.graceMs;
    QObject::connect(&notifier, &QSocketNotifier::activated, [&] {
        char c;
        [[maybe_unused]] const auto n = ::read(g_signalFd[1], &c, 1);
        if (shutdownClock.isValid())
            return;
        qCInfo(lcMain) << "stopping: no new events accepted; finishing in-flight work";
        shutdownClock.start();
        http.stopAccepting();
        if (zmq)
            zmq->stopAccepting();
        drainTimer.start();
    });
    QObject::connect(&drainTimer, &QTimer::timeout, [&] {
        if ((http.pendingResponses() > 0 || writer.queued() > 0) &&
            shutdownClock.elapsed() < graceMs)
            return;
        drainTimer.stop();
        writer.stop();
        // Answers of the last commits are queued to this thread: let them go out, then stop
        // dispatch (which finishes or releases its attempts within the grace period).
        QTimer::singleShot(50, [&] {
            retention.stop();
            if (apiServer)
                apiServer->stop();
            if (metricsServer)
                metricsServer->stop();
            stopDispatch();
            qCInfo(lcMain) << "stopped";
            QCoreApplication::exit(0);
        });
    });

    const int code = QCoreApplication::exec();
    if (zmq)
        zmq->stop(0);
    writer.stop();
    stopDispatch();
    return code;
}

int runCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Ferry event delivery agent.\n\n"
        "Commands:\n"
        "  run                      run the agent (default)\n"
        "  migrate                  apply database migrations and exit\n"
        "  version                  print the version\n"
        "  cert generate [--out DIR] [--name HOST]...\n"
        "                           write a self-signed TLS pair for the API; prints its pin\n"
        "  cert fingerprint [FILE]  the SPKI pin of a certificate (default: api.certificate)\n"
        "  token create --role admin|operator|viewer [--tenant T] [--expires 30d]\n"
        "                           create an API token; prints it once\n"
        "  token list | token revoke ID\n"
        "  config                   print every configuration key, its value and origin\n"
        "  credentials generate-key FILE\n"
        "                           write a new master key for provider credentials (mode 0600)\n"
        "  tenant create NAME [quota options]\n"
        "                           create a tenant; prints its producer token\n"
        "  tenant quota NAME [--max-events-per-second N] [--max-events-per-day N]\n"
        "                    [--max-payload-bytes N]\n"
        "                           set a tenant's quotas (0 = unlimited)\n"
        "  endpoint add --tenant T --url URL [--event-type TYPE]\n"
        "                           add a webhook endpoint; prints its signing secret\n"
        "  producer add --tenant T  create a ZeroMQ producer key pair; prints its credentials\n"
        "  producer revoke KEY      revoke a producer key; connected agents drop it\n"
        "  explain                  show the plans of the dispatcher's claim and completion on\n"
        "                           this database (run and rolled back: nothing changes)\n"
        "  producer list [--tenant T]\n"
        "                           list producer keys\n"
        "  dlq list [filters] [--limit N]\n"
        "                           list dead deliveries with their reason and last error\n"
        "  dlq show ID              a delivery's event, attempts and notes\n"
        "  dlq replay ID... | --all-matching [filters] [--dry-run]\n"
        "                           queue dead deliveries again\n"
        "  dlq discard ID... --note WHY\n"
        "                           close dead deliveries for good\n"
        "  dlq note ID [--note TEXT] [--assignee NAME] [--status S]\n"
        "                           annotate and triage a dead delivery\n"
        "  DLQ filters: --tenant T --endpoint ID --channel webhook --reason CODE\n"
        "               --since TIME --until TIME --status new|investigating|resolved"_s);
    parser.addHelpOption();
    const QCommandLineOption configOption(u"config"_s, u"Read configuration from FILE."_s,
                                          u"FILE"_s);
    const QCommandLineOption tenantOption(u"tenant"_s, u"Tenant name."_s, u"NAME"_s);
    const QCommandLineOption urlOption(u"url"_s, u"Endpoint URL."_s, u"URL"_s);
    const QCommandLineOption typeOption(u"event-type"_s,
                                        u"Only events of this type (default: all)."_s, u"TYPE"_s);
    const QCommandLineOption limitOption(u"limit"_s, u"Most rows to list (default 50)."_s, u"N"_s,
                                         u"50"_s);
    const QCommandLineOption markdownOption(u"markdown"_s,
                                            u"With 'config': print the key table as Markdown."_s);
    const QCommandLineOption perSecondOption(
        u"max-events-per-second"_s, u"Quota: events per second (0 = unlimited)."_s, u"N"_s);
    const QCommandLineOption perDayOption(u"max-events-per-day"_s,
                                          u"Quota: events per UTC day (0 = unlimited)."_s, u"N"_s);
    const QCommandLineOption payloadOption(u"max-payload-bytes"_s,
                                           u"Quota: bytes per event (0 = unlimited)."_s, u"N"_s);
    const QCommandLineOption scheduleOption(
        u"retry-schedule"_s, u"Endpoint: waits before each attempt, e.g. 0s,5s,5m,30m."_s, u"S"_s);
    const QCommandLineOption maxAttemptsOption(u"max-attempts"_s,
                                               u"Endpoint: attempts before the DLQ."_s, u"N"_s);
    const QCommandLineOption maxAgeOption(
        u"max-age"_s, u"Endpoint: give up on events older than this."_s, u"DURATION"_s);
    const QCommandLineOption maxConcurrencyOption(
        u"max-concurrency"_s, u"Endpoint: requests in flight at once."_s, u"N"_s);
    const QCommandLineOption orderedOption(
        u"ordered"_s, u"Endpoint: deliver each partition key's events in order."_s);
    const QCommandLineOption onDeadOption(
        u"on-dead"_s, u"Ordered endpoint: block (default) or skip when a delivery dies."_s,
        u"MODE"_s);
    const QCommandLineOption endpointOption(u"endpoint"_s, u"DLQ filter: endpoint id."_s, u"ID"_s);
    const QCommandLineOption channelOption(u"channel"_s, u"DLQ filter: channel (webhook)."_s,
                                           u"NAME"_s);
    const QCommandLineOption reasonOption(
        u"reason"_s, u"DLQ filter: reason code (timeout, http_5xx, …)."_s, u"CODE"_s);
    const QCommandLineOption sinceOption(
        u"since"_s, u"DLQ filter: died at or after (time, or 2h ago)."_s, u"TIME"_s);
    const QCommandLineOption untilOption(u"until"_s, u"DLQ filter: died before."_s, u"TIME"_s);
    const QCommandLineOption statusOption(
        u"status"_s, u"DLQ triage status: new, investigating, resolved."_s, u"STATUS"_s);
    const QCommandLineOption allMatchingOption(
        u"all-matching"_s, u"dlq replay: every dead delivery the filters match."_s);
    const QCommandLineOption dryRunOption(u"dry-run"_s,
                                          u"dlq replay --all-matching: only count."_s);
    const QCommandLineOption noteOption(u"note"_s, u"dlq discard/note: the text."_s, u"TEXT"_s);
    const QCommandLineOption outOption(u"out"_s, u"cert generate: folder to write to."_s, u"DIR"_s);
    const QCommandLineOption nameOption(
        u"name"_s, u"cert generate: a host name or address (repeatable)."_s, u"NAME"_s);
    const QCommandLineOption roleOption(u"role"_s, u"token create: admin, operator or viewer."_s,
                                        u"ROLE"_s);
    const QCommandLineOption expiresOption(u"expires"_s, u"token create: lifetime, such as 30d."_s,
                                           u"DURATION"_s);
    parser.addOptions({outOption, nameOption, roleOption, expiresOption});
    const QCommandLineOption assigneeOption(u"assignee"_s, u"dlq note: who handles it."_s,
                                            u"NAME"_s);
    parser.addOptions({configOption,         tenantOption,      urlOption,         typeOption,
                       limitOption,          markdownOption,    perSecondOption,   perDayOption,
                       payloadOption,        scheduleOption,    maxAttemptsOption, maxAgeOption,
                       maxConcurrencyOption, orderedOption,     onDeadOption,      endpointOption,
                       channelOption,        reasonOption,      sinceOption,       untilOption,
                       statusOption,         allMatchingOption, dryRunOption,      noteOption,
                       assigneeOption});
    parser.addPositionalArgument(u"command"_s, u"What to do (default: run)."_s, u"[command]"_s);
    if (!parser.parse(arguments))
        return fail(parser.errorText() + u" (see ferry-agent --help)"_s);
    if (parser.isSet(u"help"_s)) {
        out() << parser.helpText();
        return 0;
    }

    const QStringList words = parser.positionalArguments();
    const QString command = words.value(0, u"run"_s);
    const QString sub = words.value(1);

    if (command == "version"_L1) {
        out() << "ferry-agent " << FERRY_VERSION << " (schema version "
              << store::Migrator::latestVersion() << ")" << Qt::endl;
        return 0;
    }

    auto config = AgentConfig::fromEnvironment(parser.value(configOption));
    if (!config)
        return fail(config.error().message);

    if (command == "cert"_L1 && sub == "generate"_L1) {
        const QString dir = parser.value(outOption).isEmpty() ? u"."_s : parser.value(outOption);
        QStringList names = parser.values(nameOption);
        if (names.isEmpty())
            names = {u"localhost"_s, u"127.0.0.1"_s, u"::1"_s};
        auto pair = api::generateSelfSigned(names);
        if (!pair)
            return fail(pair.error().message);
        const QString certPath = dir + u"/api.crt"_s, keyPath = dir + u"/api.key"_s;
        QDir().mkpath(dir);
        QFile cert(certPath), key(keyPath);
        if (!cert.open(QIODevice::WriteOnly) || !key.open(QIODevice::WriteOnly))
            return fail(u"cannot write %1 and %2"_s.arg(certPath, keyPath));
        key.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        cert.write(pair->certificatePem);
        key.write(pair->privateKeyPem);
        out() << "certificate  " << certPath << "\n"
              << "private key  " << keyPath << " (readable by its owner only)\n"
              << "fingerprint  " << api::spkiFingerprint(pair->certificatePem)
              << "   (SHA-256 of the public key: compare it when a console asks to trust "
                 "this agent)\n\n"
              << "Use them with:\n  FERRY_API_CERTIFICATE=" << certPath
              << "\n  FERRY_API_PRIVATE_KEY=" << keyPath << Qt::endl;
        return 0;
    }
    if (command == "cert"_L1 && sub == "fingerprint"_L1) {
        const QString path = words.value(2, config->string("api.certificate"));
        QFile cert(path);
        if (path.isEmpty() || !cert.open(QIODevice::ReadOnly))
            return fail(u"cannot read the certificate '%1': name a PEM file, or set "
                        "api.certificate"_s.arg(path));
        const QString pin = api::spkiFingerprint(cert.readAll());
        if (pin.isEmpty())
            return fail(u"%1 holds no PEM certificate"_s.arg(path));
        out() << pin << Qt::endl;
        return 0;
    }
    if (command == "credentials"_L1 && sub == "generate-key"_L1) {
        if (words.size() != 3)
            return fail(u"usage: ferry-agent credentials generate-key FILE"_s);
        if (auto r = MasterKey::generate(words[2]); !r)
            return fail(r.error().message);
        auto key = MasterKey::load(words[2]);
        if (!key)
            return fail(key.error().message);
        out() << "master key " << key->id() << " written to " << words[2]
              << " (readable by its owner only)" << Qt::endl;
        err() << "Keep a copy in a safe place: credentials stored under this key cannot be "
                 "read without it. Use it with credentials.master_key_file, or with systemd's "
                 "LoadCredential=ferry-master-key:"
              << words[2] << Qt::endl;
        return 0;
    }
    if (command == "config"_L1) {
        if (parser.isSet(markdownOption)) {
            out() << AgentConfig::markdownTable();
            return 0;
        }
        for (const auto &k : AgentConfig::keys())
            out() << k.key << " = " << config->string(k.key) << "    # " << config->origin(k.key)
                  << Qt::endl;
        return 0;
    }
    if (command == "run"_L1)
        return runAgent(*config);

    store::PgConnection db;
    if (auto ready = connectAndMigrate(db, *config, command == "migrate"_L1); !ready)
        return fail(ready.error().message);
    if (command == "migrate"_L1)
        return 0;
    if (command == "explain"_L1) {
        // The dispatcher's hot statements on this database as it is now; changes nothing.
        auto plans = store::DeliveryStore(db).explainHotPaths(
            int(std::clamp<qint64>(config->integer("dispatch.max_in_flight"), 1,
                                   dispatch::Dispatcher::kClaimAtMost)),
            config->milliseconds("dispatch.lease"),
            int(config->integer("webhook.max_concurrency_per_endpoint")));
        if (!plans)
            return fail(plans.error().message);
        out() << *plans;
        return 0;
    }

    store::AdminStore admin(db, actor());
    store::AdminStore::Quotas quotas;
    for (const auto &[option, target] : {std::pair{&perSecondOption, &quotas.eventsPerSecond},
                                         std::pair{&perDayOption, &quotas.eventsPerDay},
                                         std::pair{&payloadOption, &quotas.maxPayloadBytes}}) {
        if (!parser.isSet(*option))
            continue;
        bool ok = false;
        const qint64 v = parser.value(*option).toLongLong(&ok);
        if (!ok || v < 0)
            return fail(u"--%1 takes a whole number, 0 or more (0 = unlimited)"_s.arg(
                option->names().first()));
        *target = v;
    }
    const bool anyQuota = quotas.eventsPerSecond || quotas.eventsPerDay || quotas.maxPayloadBytes;
    if (command == "tenant"_L1 && sub == "quota"_L1) {
        if (words.size() != 3 || !anyQuota)
            return fail(u"usage: ferry-agent tenant quota NAME [--max-events-per-second N] "
                        "[--max-events-per-day N] [--max-payload-bytes N]"_s);
        if (auto r = admin.setQuotas(words[2], quotas); !r)
            return fail(r.error().message);
        out() << "quotas of tenant '" << words[2] << "' updated" << Qt::endl;
        return 0;
    }
    if (command == "tenant"_L1 && sub == "create"_L1) {
        if (words.size() != 3)
            return fail(u"usage: ferry-agent tenant create NAME [quota options]"_s);
        auto token = admin.createTenant(words[2]);
        if (!token)
            return fail(token.error().message);
        if (anyQuota) {
            if (auto r = admin.setQuotas(words[2], quotas); !r)
                return fail(r.error().message);
        }
        out() << *token << Qt::endl;
        err() << "tenant '" << words[2] << "' created; the line above is its producer token. "
              << "It is shown only once: keep it in your producer's secret store." << Qt::endl;
        return 0;
    }
    if (command == "token"_L1) {
        store::ApiTokenStore tokens(db, actor());
        if (sub == "create"_L1) {
            const auto role = store::parseRole(parser.value(roleOption));
            if (!role)
                return fail(u"usage: ferry-agent token create --role admin|operator|viewer "
                            "[--tenant T] [--expires 30d] [--note TEXT]"_s);
            QDateTime expires;
            if (parser.isSet(expiresOption)) {
                const auto ms = parseDurationMs(parser.value(expiresOption));
                if (!ms)
                    return fail(u"--expires takes a duration such as 30d or 12h"_s);
                expires = QDateTime::currentDateTimeUtc().addMSecs(*ms);
            }
            auto token =
                tokens.create(*role, parser.value(tenantOption), expires, parser.value(noteOption));
            if (!token)
                return fail(token.error().message);
            out() << *token << Qt::endl;
            err() << "API token created (" << parser.value(roleOption)
                  << (parser.isSet(tenantOption) ? u", tenant "_s + parser.value(tenantOption)
                                                 : QString())
                  << "); it is shown only once." << Qt::endl;
            return 0;
        }
        if (sub == "list"_L1) {
            auto list = tokens.list();
            if (!list)
                return fail(list.error().message);
            out() << "ID    ROLE      TENANT      CREATED               EXPIRES               "
                     "REVOKED               NOTE"
                  << Qt::endl;
            for (const auto &t : *list)
                out() << QString::number(t.id).leftJustified(4) << "  "
                      << store::roleName(t.role).leftJustified(8) << "  "
                      << (t.tenant.isEmpty() ? u"(all)"_s : t.tenant).leftJustified(10) << "  "
                      << t.createdAt.toString(Qt::ISODate).leftJustified(20) << "  "
                      << (t.expiresAt.isValid() ? t.expiresAt.toString(Qt::ISODate) : u"-"_s)
                             .leftJustified(20)
                      << "  "
                      << (t.revokedAt.isValid() ? t.revokedAt.toString(Qt::ISODate) : u"-"_s)
                             .leftJustified(20)
                      << "  " << t.note << Qt::endl;
            return 0;
        }
        if (sub == "revoke"_L1) {
            bool ok = false;
            const qint64 id = words.value(2).toLongLong(&ok);
            if (!ok)
                return fail(
                    u"usage: ferry-agent token revoke ID (from 'ferry-agent token list')"_s);
            if (auto r = tokens.revoke(id); !r)
                return fail(r.error().message);
            out() << "API token " << id << " revoked" << Qt::endl;
            return 0;
        }
    }
    if (command == "producer"_L1 && sub == "add"_L1) {
        if (!parser.isSet(tenantOption))
            return fail(u"usage: ferry-agent producer add --tenant NAME"_s);
        store::ProducerKeyStore keys(db);
        auto server = keys.serverKeys();
        if (!server)
            return fail(server.error().message);
        auto pair = keys.addProducer(parser.value(tenantOption), actor());
        if (!pair)
            return fail(pair.error().message);
        QString endpoint = config->string("zmq.listen");
        endpoint.replace(u"://*:"_s, u"://localhost:"_s)
            .replace(u"://0.0.0.0:"_s, u"://localhost:"_s);
        out() << "# Ferry producer credentials for tenant '" << parser.value(tenantOption)
              << "'. Shown once: keep this file secret.\n"
              << "# Use it with: ferryctl send --credentials FILE (set 'agent' to the address "
                 "producers reach).\n"
              << "agent = " << endpoint << "\n"
              << "server_public_key = " << server->publicKey << "\n"
              << "public_key = " << pair->publicKey << "\n"
              << "secret_key = " << pair->secretKey << Qt::endl;
        err() << "producer key added; its credentials are above (save them to a file readable "
                 "only by the producer)."
              << Qt::endl;
        return 0;
    }
    if (command == "producer"_L1 && sub == "revoke"_L1) {
        if (words.size() != 3)
            return fail(u"usage: ferry-agent producer revoke PUBLIC-KEY"_s);
        if (auto r = store::ProducerKeyStore(db).revokeProducer(words[2].toLatin1(), actor()); !r)
            return fail(r.error().message);
        out() << "producer key revoked; connected agents drop it within zmq.key_refresh ("
              << config->string("zmq.key_refresh") << ")" << Qt::endl;
        return 0;
    }
    if (command == "producer"_L1 && sub == "list"_L1) {
        auto list = store::ProducerKeyStore(db).listProducers(parser.value(tenantOption));
        if (!list)
            return fail(list.error().message);
        out() << "PUBLIC KEY                                TENANT      CREATED                   "
                 "REVOKED"
              << Qt::endl;
        for (const auto &k : *list)
            out() << k.publicKey << "  " << k.tenant.leftJustified(10) << "  "
                  << k.createdAt.toString(Qt::ISODate).leftJustified(24) << "  "
                  << (k.revokedAt.isValid() ? k.revokedAt.toString(Qt::ISODate) : u"-"_s)
                  << Qt::endl;
        return 0;
    }
    if (command == "endpoint"_L1 && sub == "add"_L1) {
        if (!parser.isSet(tenantOption) || !parser.isSet(urlOption))
            return fail(u"usage: ferry-agent endpoint add --tenant NAME --url URL "
                        "[--event-type TYPE] [--retry-schedule S] [--max-attempts N] "
                        "[--max-age D] [--max-concurrency N] [--ordered [--on-dead block|skip]]"_s);
        store::AdminStore::EndpointOptions eo;
        eo.eventType = parser.value(typeOption);
        eo.retrySchedule = parser.value(scheduleOption);
        bool ok = true;
        if (parser.isSet(maxAttemptsOption))
            eo.maxAttempts = parser.value(maxAttemptsOption).toInt(&ok);
        if (!ok || eo.maxAttempts < 0)
            return fail(u"--max-attempts takes a whole number above 0"_s);
        if (parser.isSet(maxAgeOption)) {
            const auto ms = parseDurationMs(parser.value(maxAgeOption));
            if (!ms || *ms < 1000)
                return fail(u"--max-age takes a duration such as 6h or 3d"_s);
            eo.maxAgeSeconds = *ms / 1000;
        }
        if (parser.isSet(maxConcurrencyOption))
            eo.maxConcurrency = parser.value(maxConcurrencyOption).toInt(&ok);
        if (!ok || eo.maxConcurrency < 0)
            return fail(u"--max-concurrency takes a whole number above 0"_s);
        eo.ordered = parser.isSet(orderedOption);
        if (parser.isSet(onDeadOption))
            eo.onDead = parser.value(onDeadOption);
        auto secret = admin.addEndpoint(parser.value(tenantOption), parser.value(urlOption), eo);
        if (!secret)
            return fail(secret.error().message);
        out() << *secret << Qt::endl;
        err() << "endpoint added; the line above is its signing secret. Give it to the "
              << "receiver so it can verify the webhook-signature header." << Qt::endl;
        return 0;
    }
    if (command == "dlq"_L1) {
        DlqArguments dlq;
        dlq.words = words.mid(1);
        bool ok = false;
        dlq.filter.limit = parser.value(limitOption).toInt(&ok);
        if (!ok || dlq.filter.limit <= 0)
            return fail(u"--limit takes a whole number above 0"_s);
        dlq.filter.tenant = parser.value(tenantOption);
        if (parser.isSet(endpointOption)) {
            dlq.filter.endpointId = parser.value(endpointOption).toLongLong(&ok);
            if (!ok || dlq.filter.endpointId <= 0)
                return fail(u"--endpoint takes an endpoint id (a number)"_s);
        }
        dlq.filter.channel = parser.value(channelOption);
        dlq.filter.reason = parser.value(reasonOption);
        dlq.filter.triageStatus = parser.value(statusOption);
        for (const auto &[option, target] : {std::pair{&sinceOption, &dlq.filter.since},
                                             std::pair{&untilOption, &dlq.filter.until}}) {
            if (!parser.isSet(*option))
                continue;
            *target = parseTimeArgument(parser.value(*option));
            if (!target->isValid())
                return fail(u"--%1 takes a time such as 2026-11-27T08:00:00Z or a duration ago "
                            "such as 2h"_s.arg(option->names().first()));
        }
        dlq.allMatching = parser.isSet(allMatchingOption);
        dlq.dryRun = parser.isSet(dryRunOption);
        dlq.note = parser.value(noteOption);
        if (parser.isSet(assigneeOption))
            dlq.assignee =
                parser.value(assigneeOption).isNull() ? u""_s : parser.value(assigneeOption);
        dlq.status = parser.value(statusOption);
        if (dlq.words.value(0) == "note"_L1)
            dlq.filter.triageStatus.clear();
        return runDlqCommand(db, actor(), dlq);
    }
    return fail(u"unknown command '%1'; see ferry-agent --help"_s.arg(words.join(u' ')));
}

} // namespace ferry::agent
