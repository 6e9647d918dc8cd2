#include "agent/app/agentconfig.h"

#include "shared/retrypolicy.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <array>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

using T = ConfigKey::Type;

// Range bounds: durations in milliseconds, sizes in bytes.
constexpr qint64 kS = 1000, kM = 60 * kS, kH = 60 * kM, kD = 24 * kH;
constexpr qint64 kGiB = qint64(1) << 30;
constexpr qint64 kNoMax = ConfigKey::Range::kNoMaximum;

// clang-format off
constexpr std::array kKeys = {
    ConfigKey{"database.url", T::String, "postgresql:///ferry", {},
              "PostgreSQL connection URI or key=value string (libpq syntax)."},
    ConfigKey{"database.connect_timeout", T::Duration, "5s", {1 * kS, 10 * kM},
              "How long one connection attempt to PostgreSQL may take."},
    ConfigKey{"database.auto_migrate", T::Boolean, "true", {},
              "Apply pending schema migrations when the agent starts; false: refuse to start "
              "while any are pending, until 'ferry-agent migrate' has run (upgrades of several "
              "agents, docs/operations.md)."},
    ConfigKey{"database.read_url", T::String, "", {},
              "A read-only PostgreSQL URL (a standby; several with "
              "target_session_attrs=prefer-standby) for the API's heavy reads: delivery search, "
              "reports and SLA windows. Empty: they read from database.url."},
    ConfigKey{"database.read_max_lag", T::Duration, "30s", {1 * kS, 1 * kD},
              "Reads go to database.read_url only while its data is at most this old; "
              "otherwise, and while it is unreachable, to database.url."},
    ConfigKey{"database.partitions", T::String, "", {},
              "Tenants kept in other databases, when one primary is not enough: entries "
              "'NAME url=URL api=HOST:PORT tenants=T1,T2' separated by ';'. The agent runs its "
              "stages once per database, routes each tenant's events to its own, and serves "
              "each partition's API on its api= address; tenants not named stay in "
              "database.url. Empty: one database (docs/operations.md, scaling)."},
    ConfigKey{"http.listen", T::String, "0.0.0.0:7680", {},
              "Address and port of the HTTP ingest listener (host:port)."},
    ConfigKey{"http.max_body_bytes", T::Integer, "1048576", {1, kGiB},
              "Largest request body accepted by HTTP ingest; a larger one gets 413 as soon as its "
              "Content-Length or chunks say so, before it is read."},
    ConfigKey{"http.certificate", T::String, "", {},
              "PEM certificate for HTTPS ingest; with http.private_key the ingest listener "
              "speaks TLS only. Empty: plain HTTP (see docs/security.md)."},
    ConfigKey{"http.private_key", T::String, "", {}, "PEM private key for HTTPS ingest."},
    ConfigKey{"http.client_ca", T::String, "", {},
              "PEM CA certificates; when set, ingest clients must present a certificate it "
              "signed."},
    ConfigKey{"listeners.max_connections", T::Integer, "4096", {1, 1'000'000},
              "Open connections each HTTP listener (ingest, API, metrics) keeps; at the cap the "
              "quietest idle one is closed for a newcomer, or the newcomer is."},
    ConfigKey{"listeners.max_connections_per_address", T::Integer, "256", {1, 1'000'000},
              "Open connections one client address may hold on each HTTP listener."},
    ConfigKey{"listeners.max_header_bytes", T::Integer, "16384", {1024, 1 << 20},
              "Largest request line and headers together; larger ones get 431."},
    ConfigKey{"listeners.header_timeout", T::Duration, "10s", {100, 10 * kM},
              "Time for a request's headers, from its first byte (and for a new connection's "
              "first byte and TLS handshake); then 408 and the connection is closed."},
    ConfigKey{"listeners.body_timeout", T::Duration, "10s", {100, 10 * kM},
              "A request body must advance by 4 KiB (or end) within this time."},
    ConfigKey{"listeners.idle_timeout", T::Duration, "60s", {100, 1 * kD},
              "How long a keep-alive connection may wait for its next request, and a client "
              "may leave an answer unread."},
    ConfigKey{"api.listen", T::String, "0.0.0.0:7643", {},
              "Address and port of the TLS console API (host:port)."},
    ConfigKey{"api.certificate", T::String, "", {},
              "PEM certificate of the TLS API; with api.private_key it turns the API on."},
    ConfigKey{"api.private_key", T::String, "", {}, "PEM private key of the TLS API."},
    ConfigKey{"api.client_ca", T::String, "", {},
              "PEM CA certificates; when set, API clients must present a certificate it signed."},
    ConfigKey{"api.max_body_bytes", T::Integer, "1048576", {1, kGiB},
              "Largest request body the API accepts; a larger one gets 413 before it is read."},
    ConfigKey{"api.statement_timeout", T::Duration, "10s", {1, 1 * kH},
              "Longest an API read may run in PostgreSQL; a slower one is cancelled and "
              "answered 503. Writes are not limited."},
    ConfigKey{"credentials.master_key_file", T::String, "", {},
              "File (mode 0600, owned by the agent's user) with the master key that seals "
              "credentials, webhook signing secrets and the CURVE key ('ferry-agent credentials "
              "generate-key'); empty: $CREDENTIALS_DIRECTORY/ferry-master-key if systemd "
              "provides it, else nothing is sealed and credentials are off."},
    ConfigKey{"metrics.listen", T::String, "127.0.0.1:9464", {},
              "Address and port of the Prometheus endpoint (plain HTTP, GET /metrics); empty "
              "turns it off."},
    ConfigKey{"metrics.refresh_interval", T::Duration, "5s", {100, 1 * kH},
              "How often the metrics taken from the database (queue, lag, DLQ) are refreshed."},
    ConfigKey{"zmq.listen", T::String, "tcp://*:7600", {},
              "ZeroMQ ingest endpoint (ROUTER); empty turns ZeroMQ ingest off."},
    ConfigKey{"zmq.curve", T::Boolean, "true", {},
              "Authenticate producers with CURVE keys; false requires a producer token per request."},
    ConfigKey{"zmq.max_message_bytes", T::Integer, "1048576", {1, kGiB},
              "Largest ZeroMQ request (all its events) accepted; larger ones get NACK 413."},
    ConfigKey{"zmq.max_unread_bytes", T::Integer, "33554432", {1 << 20, 64 * kGiB},
              "Bytes one ZeroMQ connection may have sent that the agent has not read yet (a "
              "multipart message is held whole until its last frame); past it the connection "
              "is closed."},
    ConfigKey{"zmq.max_unread_total", T::Integer, "134217728", {1 << 20, 64 * kGiB},
              "The same for all ZeroMQ connections together; past it the one holding most is "
              "closed."},
    ConfigKey{"zmq.key_refresh", T::Duration, "2s", {100, 1 * kH},
              "How often producer keys are reloaded; a revoked key is cut off within this time."},
    ConfigKey{"ingest.queue_limit", T::Integer, "20000", {1, 10'000'000},
              "Events waiting for the batch writer before new requests get 503."},
    ConfigKey{"ingest.max_batch", T::Integer, "500", {1, 10'000},
              "Most events committed in one transaction by the batch writer."},
    ConfigKey{"ingest.writers", T::Integer, "2", {1, 16},
              "Batch writer lanes, each with its own thread and PostgreSQL connection; "
              "a producer's requests always use the same lane."},
    ConfigKey{"ingest.tenant_refresh", T::Duration, "30s", {100, 1 * kH},
              "How long ingest keeps what it read about a tenant (quotas, strict schema mode, "
              "disabled) and a producer token before reading them again: a change through the "
              "API, or a revoked token, applies within this time."},
    ConfigKey{"ingest.quota_share_interval", T::Duration, "1s", {100, 10 * kS},
              "How often the agents share out each tenant's events-per-second quota again, by "
              "where its producers send (one statement per agent per interval); the quota holds "
              "for all agents together, within what one interval of shifted traffic allows."},
    ConfigKey{"ingest.retry_after", T::Duration, "2s", {1 * kS, 1 * kH},
              "Retry-After sent with 503 when the database cannot be reached or the queue is full."},
    ConfigKey{"ingest.dedupe_retention", T::Duration, "7d", {1 * kM, kNoMax},
              "How long idempotency keys are remembered; a repeat after this is a new event."},
    ConfigKey{"maintenance.interval", T::Duration, "1m", {100, 1 * kD},
              "How often background upkeep (the dedupe store and history purges) runs."},
    ConfigKey{"agents.heartbeat", T::Duration, "5s", {1 * kS, 5 * kM},
              "How often the agent refreshes its row in the agents table (GET /v1/agents); an "
              "agent silent for three of its intervals is shown as gone, and its row is removed "
              "a day later."},
    ConfigKey{"retention.deliveries", T::Duration, "30d", {0, kNoMax},
              "How long succeeded and discarded deliveries are kept, with their attempts and "
              "notes, counted from when they finished; 0 keeps them."},
    ConfigKey{"retention.dead", T::Duration, "0", {0, kNoMax},
              "How long dead deliveries stay in the dead-letter queue, counted from when they "
              "died; 0 keeps them until an operator replays or discards them. One that blocks "
              "its partition is always kept."},
    ConfigKey{"retention.events", T::Duration, "30d", {0, kNoMax},
              "How long events are kept after they were received; an event goes only once none "
              "of its deliveries is left. 0 keeps them."},
    ConfigKey{"retention.audit", T::Duration, "365d", {0, kNoMax},
              "How long audit log entries are kept; 0 keeps them."},
    ConfigKey{"dispatch.workers", T::Integer, "2", {1, 64},
              "Dispatch threads; each keeps many requests in flight."},
    ConfigKey{"dispatch.max_in_flight", T::Integer, "1024", {1, 100'000},
              "Deliveries sent concurrently by this agent (shared out among the workers); each "
              "holds a socket while it is sent."},
    ConfigKey{"dispatch.lease", T::Duration, "60s", {1 * kS, 1 * kD},
              "How long a claimed delivery belongs to this agent before another may take it over."},
    ConfigKey{"dispatch.poll_interval", T::Duration, "1s", {10, 1 * kD},
              "Safety-net poll for due deliveries when no wake-up signal arrives."},
    ConfigKey{"retry.schedule", T::String, "0s,5s,5m,30m,2h,5h,10h,10h", {},
              "Default wait before each attempt (the first is the first attempt), or "
              "'exponential' for backoff with full jitter (retry.base, retry.cap)."},
    ConfigKey{"retry.max_attempts", T::Integer, "0", {0, 1000},
              "Attempts before a delivery is dead-lettered; 0: the schedule's length (10 for "
              "exponential)."},
    ConfigKey{"retry.max_age", T::Duration, "3d", {0, kNoMax},
              "A delivery still failing this long after its event arrived is dead-lettered; 0: "
              "no limit."},
    ConfigKey{"retry.base", T::Duration, "1s", {1, 1 * kD},
              "Backoff base: retry n waits a random time up to base * 2^(n-1)."},
    ConfigKey{"retry.cap", T::Duration, "10m", {1, 30 * kD},
              "Backoff cap: the longest wait between two attempts."},
    ConfigKey{"retry.retry_after_cap", T::Duration, "1h", {0, 30 * kD},
              "Longest Retry-After from a receiver that Ferry honours."},
    ConfigKey{"webhook.timeout", T::Duration, "15s", {100, 1 * kH},
              "Total time allowed for one webhook request, connection included."},
    ConfigKey{"webhook.max_concurrency_per_endpoint", T::Integer, "16", {1, 10'000},
              "Requests in flight to one endpoint at once unless the endpoint sets its own; "
              "more wait in the agent."},
    ConfigKey{"webhook.allowed_networks", T::String, "", {},
              "Internal networks (CIDR, comma-separated) deliveries of every tenant may reach; "
              "loopback, private, link-local, reserved and other internal addresses are "
              "refused otherwise (each tenant may add its own: 'tenant networks')."},
    ConfigKey{"channels.max_connections_per_host", T::Integer, "64", {1, 10'000},
              "Connections one dispatch worker keeps open to one host (receiver or provider)."},
    ConfigKey{"channels.status_callback_url", T::String, "",  {},
              "Ferry's public inbound URL (https://ferry.example.com:7680), given to providers "
              "that report delivery receipts (Twilio's StatusCallback); empty: none asked for."},
    ConfigKey{"inbound.max_attempts", T::Integer, "12", {1, 1000},
              "Attempts at processing an inbound webhook (a receipt whose message is not known "
              "yet, an event the database did not take) before it is parked as dead; the "
              "waits between them double from 1 s up to 5 min."},
    ConfigKey{"workflow.lease", T::Duration, "30s", {1000, 1 * kD},
              "How long an agent holds a workflow instance while it runs its next step; when an "
              "agent dies, another resumes the instance once this has passed."},
    ConfigKey{"schedule.misfire_threshold", T::Duration, "60s", {1000, 1 * kD},
              "A schedule's slot fired later than this was missed (the agents were down): "
              "the schedule's catch-up policy (skip, once, all) decides whether it fires."},
    ConfigKey{"exec.commands_dir", T::String, "/etc/ferry/jobs.d", {},
              "The commands exec routes may run: one JSON file per command, named after it "
              "(nightly-export.json); see docs/jobs.md. Read at start."},
    ConfigKey{"exec.scratch_dir", T::String, "/var/lib/ferry/jobs", {},
              "Commands without a working_directory of their own run in a fresh directory "
              "under this one, removed after the run."},
    ConfigKey{"reconcile.interval", T::Duration, "5m", {1000, 1 * kD},
              "How often the reconciler asks the providers about messages without a final "
              "receipt (one agent at a time); the API and ferryctl can ask for a run at once."},
    ConfigKey{"reconcile.after", T::Duration, "10m", {0, 7 * kD},
              "How long a message may go without a final receipt before the reconciler asks its "
              "provider (and how long before it asks again)."},
    ConfigKey{"reconcile.max_age", T::Duration, "3d", {1000, 90 * kD},
              "Messages accepted longer ago than this are no longer asked about."},
    ConfigKey{"breaker.consecutive_failures", T::Integer, "5", {1, 100'000},
              "A route's or provider account's circuit breaker opens after this many failed "
              "attempts in a row (all agents together)."},
    ConfigKey{"breaker.failure_percent", T::Integer, "50", {1, 100},
              "… or when this share of the attempts in the window failed,"},
    ConfigKey{"breaker.min_requests", T::Integer, "20", {1, 1'000'000},
              "… once the window holds at least this many attempts."},
    ConfigKey{"breaker.window", T::Duration, "30s", {1 * kS, 1 * kH},
              "The window the failure share is counted over."},
    ConfigKey{"breaker.cooldown", T::Duration, "15s", {100, 1 * kH},
              "How long an open breaker sends nothing before one probe may go."},
    ConfigKey{"breaker.close_after", T::Integer, "2", {1, 1000},
              "Successful probes in a row that close an open breaker again."},
    ConfigKey{"shutdown.grace", T::Duration, "10s", {0, 1 * kH},
              "On SIGTERM, how long in-flight deliveries may finish before they are released."},
};
// clang-format on

const ConfigKey *findKey(const QString &key)
{
    for (const auto &k : kKeys) {
        if (key == QLatin1StringView(k.key))
            return &k;
    }
    return nullptr;
}

std::optional<qint64> parseDuration(const QString &text)
{
    return parseDurationMs(text);
}

std::optional<bool> parseBool(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == "true"_L1 || t == "yes"_L1 || t == "on"_L1 || t == "1"_L1)
        return true;
    if (t == "false"_L1 || t == "no"_L1 || t == "off"_L1 || t == "0"_L1)
        return false;
    return std::nullopt;
}

std::optional<qint64> parseInteger(const QString &text)
{
    bool ok = false;
    const qint64 n = text.trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(n) : std::nullopt;
}

// The strings with a syntax of their own. libpq takes a database URL without a scheme as a
// database name and goes on to the local socket: say so before it does. The value is not
// repeated (it may hold a password).
Result<void> checkString(const ConfigKey &key, const QString &value, const QString &origin)
{
    const QLatin1StringView name(key.key);
    if (name != "database.url"_L1 && name != "database.read_url"_L1)
        return {};
    const QString v = value.trimmed();
    if (v.startsWith(u"postgresql://"_s) || v.startsWith(u"postgres://"_s) || v.contains(u'=') ||
        (v.isEmpty() && name == "database.read_url"_L1))
        return {};
    return makeError(u"%1: %2 is neither a postgresql:// URL nor libpq key=value "
                     "settings; write it as postgresql://USER@HOST:PORT/DATABASE or "
                     "'host=HOST dbname=DATABASE user=USER'"_s.arg(origin, name));
}

// Every value is checked where it is read, so the error can say where it came from: a value
// out of range stops the agent rather than being clamped behind the operator's back.
Result<void> checkValue(const ConfigKey &key, const QString &value, const QString &origin)
{
    const auto invalid = [&](const QString &expected) {
        return makeError(u"%1: '%2' is not valid for %3; expected %4"_s.arg(
            origin, value, QLatin1StringView(key.key), expected));
    };
    const QString allowed = AgentConfig::rangeText(key);
    std::optional<qint64> number;
    switch (key.type) {
    case T::String:
        return checkString(key, value, origin);
    case T::Boolean:
        if (!parseBool(value))
            return invalid(u"true or false"_s);
        return {};
    case T::Integer:
        number = parseInteger(value);
        if (!number)
            return invalid(u"a whole number (allowed: %1)"_s.arg(allowed));
        break;
    case T::Duration:
        number = parseDuration(value);
        if (!number)
            return invalid(
                u"a duration such as 250ms, 15s, 5m, 2h or 1d (allowed: %1)"_s.arg(allowed));
        break;
    }
    if (*number < key.range.min || *number > key.range.max)
        return makeError(u"%1: '%2' is out of range for %3; allowed: %4"_s.arg(
            origin, value, QLatin1StringView(key.key), allowed));
    return {};
}

// The largest unit that states the value exactly, in the syntax the value is written in.
QString durationText(qint64 ms)
{
    if (ms == 0)
        return u"0"_s;
    for (const auto &[unit, size] :
         {std::pair{"d", kD}, std::pair{"h", kH}, std::pair{"m", kM}, std::pair{"s", kS}}) {
        if (ms % size == 0)
            return QString::number(ms / size) + QLatin1StringView(unit);
    }
    return QString::number(ms) + u"ms"_s;
}

const char *typeName(T type)
{
    switch (type) {
    case T::String:
        return "string";
    case T::Integer:
        return "integer";
    case T::Duration:
        return "duration";
    case T::Boolean:
        return "boolean";
    }
    return "";
}

// Text as "# " comment lines of at most 99 characters.
QString commentLines(const QString &text)
{
    QString out;
    QString line;
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > 97) {
            out += u"# "_s + line + u'\n';
            line.clear();
        }
        line += (line.isEmpty() ? u""_s : u" "_s) + word;
    }
    return out + u"# "_s + line + u'\n';
}

} // namespace

std::span<const ConfigKey> AgentConfig::keys()
{
    return kKeys;
}

QString AgentConfig::environmentName(const QString &key)
{
    return "FERRY_"_L1 + QString(key).replace(u'.', u'_').toUpper();
}

Result<AgentConfig> AgentConfig::load(const QString &filePath,
                                      const QHash<QString, QString> &environment)
{
    AgentConfig config;
    for (const auto &k : kKeys)
        config.set(QString::fromLatin1(k.key), QString::fromLatin1(k.defaultValue), u"default"_s);
    if (!filePath.isEmpty()) {
        if (auto read = config.readFile(filePath); !read)
            return read.error();
    }
    if (auto read = config.readEnvironment(environment); !read)
        return read.error();
    return config;
}

AgentConfig AgentConfig::loadAll(const QString &filePath,
                                 const QHash<QString, QString> &environment, QStringList &problems)
{
    AgentConfig config;
    config.m_problems = &problems;
    for (const auto &k : kKeys)
        config.set(QString::fromLatin1(k.key), QString::fromLatin1(k.defaultValue), u"default"_s);
    if (!filePath.isEmpty())
        (void)config.readFile(filePath);
    (void)config.readEnvironment(environment);
    config.m_problems = nullptr;
    return config;
}

Result<void> AgentConfig::problem(Error error)
{
    if (!m_problems)
        return error;
    m_problems->append(error.message);
    return {};
}

void AgentConfig::set(const QString &key, const QString &value, const QString &origin)
{
    m_values.insert(key, value);
    m_origins.insert(key, origin);
}

Result<void> AgentConfig::readFile(const QString &filePath)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return problem(makeError(
            u"cannot read the configuration file %1: %2"_s.arg(filePath, file.errorString())));
    QString section;
    int lineNo = 0;
    while (!file.atEnd()) {
        ++lineNo;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        const QString where = u"%1:%2"_s.arg(filePath).arg(lineNo);
        if (auto read = readFileLine(line, where, filePath, section); !read) {
            if (auto stop = problem(read.error()); !stop)
                return stop;
        }
    }
    return {};
}

// A "[section]" header, which prefixes the keys below it, or a "key = value" line.
Result<void> AgentConfig::readFileLine(const QString &line, const QString &where,
                                       const QString &filePath, QString &section)
{
    if (line.startsWith(u'[')) {
        if (!line.endsWith(u']'))
            return makeError(u"%1: a section header looks like [database]"_s.arg(where));
        section = line.mid(1, line.size() - 2).trimmed();
        return {};
    }
    const qsizetype eq = line.indexOf(u'=');
    if (eq <= 0)
        return makeError(u"%1: expected 'key = value', got '%2'"_s.arg(where, line));
    QString name = line.left(eq).trimmed();
    if (!section.isEmpty())
        name = section + u'.' + name;
    QString value = line.mid(eq + 1).trimmed();
    if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
        value = value.mid(1, value.size() - 2);
    const ConfigKey *key = findKey(name);
    if (!key)
        return makeError(u"%1: unknown key '%2' (run 'ferry-agent config' for the "
                         "list of keys)"_s.arg(where, name));
    if (auto checked = checkValue(*key, value, where); !checked)
        return checked;
    set(name, value, filePath);
    return {};
}

Result<void> AgentConfig::readEnvironment(const QHash<QString, QString> &environment)
{
    for (const auto &k : kKeys) {
        const QString env = environmentName(QString::fromLatin1(k.key));
        const auto it = environment.constFind(env);
        if (it == environment.constEnd())
            continue;
        if (auto checked = checkValue(k, *it, env); !checked) {
            if (auto stop = problem(checked.error()); !stop)
                return stop;
            continue;
        }
        set(QString::fromLatin1(k.key), *it, env);
    }
    return {};
}

QHash<QString, QString> AgentConfig::environment()
{
    QHash<QString, QString> env;
    const auto system = QProcessEnvironment::systemEnvironment();
    for (const QString &name : system.keys()) {
        if (name.startsWith("FERRY_"_L1))
            env.insert(name, system.value(name));
    }
    return env;
}

QString AgentConfig::filePath(const QString &given)
{
    return given.isEmpty() ? qEnvironmentVariable("FERRY_CONFIG") : given;
}

Result<AgentConfig> AgentConfig::fromEnvironment(const QString &filePath)
{
    return load(AgentConfig::filePath(filePath), environment());
}

QString AgentConfig::string(const char *key) const
{
    Q_ASSERT(findKey(QString::fromLatin1(key)));
    return m_values.value(QString::fromLatin1(key));
}

qint64 AgentConfig::integer(const char *key) const
{
    return string(key).trimmed().toLongLong();
}

qint64 AgentConfig::milliseconds(const char *key) const
{
    return parseDuration(string(key)).value_or(0);
}

bool AgentConfig::boolean(const char *key) const
{
    return parseBool(string(key)).value_or(false);
}

QString AgentConfig::origin(const char *key) const
{
    return m_origins.value(QString::fromLatin1(key));
}

QString AgentConfig::rangeText(const ConfigKey &key)
{
    if (key.type != T::Integer && key.type != T::Duration)
        return {};
    const auto text = [&key](qint64 n) {
        return key.type == T::Duration ? durationText(n) : QString::number(n);
    };
    if (key.range.max == kNoMax)
        return u"%1 or more"_s.arg(text(key.range.min));
    return u"%1 to %2"_s.arg(text(key.range.min), text(key.range.max));
}

QString AgentConfig::markdownTable()
{
    QString out = u"| key | environment variable | type | default | allowed | meaning |\n"
                  "| --- | --- | --- | --- | --- | --- |\n"_s;
    for (const auto &k : kKeys) {
        const QString name = QString::fromLatin1(k.key);
        out += u"| `%1` | `%2` | %3 | `%4` | %5 | %6 |\n"_s.arg(
            name, environmentName(name), QLatin1StringView(typeName(k.type)),
            QLatin1StringView(k.defaultValue), rangeText(k), QString::fromUtf8(k.help));
    }
    return out;
}

QString AgentConfig::sampleFile()
{
    QString out =
        u"# ferry-agent's configuration: every key, commented out with its default.\n"
        "# Uncomment and change what you need; each key can also be set in the\n"
        "# environment, FERRY_ and the key in capitals (database.url: FERRY_DATABASE_URL).\n"
        "# Check a change before restarting the service:\n"
        "#   runuser -u ferry -- ferry-agent check-config\n"
        "# Reference: ferry-agent(8), /usr/share/doc/ferry-agent/configuration.md\n"_s;
    QString section;
    for (const auto &k : kKeys) {
        const QString name = QString::fromLatin1(k.key);
        const qsizetype dot = name.indexOf(u'.');
        if (name.left(dot) != section) {
            section = name.left(dot);
            out += u"\n[%1]\n"_s.arg(section);
        }
        QString help = QString::fromUtf8(k.help);
        if (const QString range = rangeText(k); !range.isEmpty())
            help += u" Allowed: %1."_s.arg(range);
        out += commentLines(help);
        const QString value = QString::fromLatin1(k.defaultValue);
        out += u"#%1 =%2\n"_s.arg(name.mid(dot + 1), value.isEmpty() ? value : u" "_s + value);
    }
    return out;
}

} // namespace ferry::agent
