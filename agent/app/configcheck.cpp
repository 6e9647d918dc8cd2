#include "agent/app/configcheck.h"

#include "agent/adapters/ssrfguard.h"
#include "agent/app/partitions.h"
#include "agent/app/secretsatrest.h"
#include "agent/jobs/execcommand.h"
#include "agent/net/tlssettings.h"
#include "agent/store/pgconnection.h"
#include "shared/retrypolicy.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// A deadline that must be shorter than the lease, or another agent could take the delivery
// over while this one still works on it.
void checkBelowLease(const AgentConfig &config, const char *key, const char *why,
                     QStringList &problems)
{
    const qint64 value = config.milliseconds(key);
    const qint64 lease = config.milliseconds("dispatch.lease");
    if (value >= lease)
        problems.append(u"%1 (%2 ms) must be shorter than dispatch.lease (%3 ms), or %4"_s
                            .arg(QLatin1StringView(key))
                            .arg(value)
                            .arg(lease)
                            .arg(QLatin1StringView(why)));
}

void checkListeners(const AgentConfig &config, QStringList &problems)
{
    for (const char *key : {"http.listen", "api.listen", "metrics.listen"}) {
        if (QByteArrayView(key) != "http.listen" && config.string(key).isEmpty())
            continue; // off
        if (auto parsed = listenAddress(config, key); !parsed)
            problems.append(parsed.error().message);
    }
    const QString zmq = config.string("zmq.listen");
    if (!zmq.isEmpty() && !zmq.startsWith(u"tcp://"_s) && !zmq.startsWith(u"ipc://"_s))
        problems.append(u"zmq.listen is '%1'; expected tcp://HOST:PORT such as tcp://*:7600, "
                        "or empty to turn ZeroMQ ingest off"_s.arg(zmq));
}

// A listener's certificate and key (and client CA), loaded as the listener will load them.
void checkTls(const AgentConfig &config, const QString &prefix, QStringList &problems)
{
    const auto value = [&](const char *suffix) {
        return config.string((prefix + QLatin1StringView(suffix)).toLatin1().constData());
    };
    const QString certificate = value(".certificate");
    const QString key = value(".private_key");
    if (certificate.isEmpty() && key.isEmpty())
        return;
    if (certificate.isEmpty() || key.isEmpty()) {
        problems.append(u"%1.certificate and %1.private_key go together: set both, or neither "
                        "(%2)"_s.arg(prefix, prefix == "api"_L1 ? u"the API is off without them"_s
                                                                : u"plain HTTP ingest"_s));
        return;
    }
    if (auto tls = net::serverTls({certificate, key, value(".client_ca"), prefix}); !tls)
        problems.append(tls.error().message);
}

void checkPolicies(const AgentConfig &config, QStringList &problems)
{
    checkBelowLease(config, "shutdown.grace",
                    "another agent could take over deliveries this one is still finishing",
                    problems);
    checkBelowLease(config, "webhook.timeout", "a slow receiver would lose its lease mid-request",
                    problems);
    if (auto policy = RetryPolicy::parse(config.string("retry.schedule"), BackoffPolicy{}); !policy)
        problems.append(u"retry.schedule: "_s + policy.error().message);
    if (auto guard = adapters::SsrfGuard::parse(config.string("webhook.allowed_networks")); !guard)
        problems.append(u"webhook.allowed_networks: "_s + guard.error().message);
}

void checkFiles(const AgentConfig &config, QStringList &problems)
{
    checkTls(config, u"http"_s, problems);
    checkTls(config, u"api"_s, problems);
    if (auto key = loadMasterKey(config); !key)
        problems.append(key.error().message);
    if (auto commands = jobs::ExecCommands::load(config.string("exec.commands_dir")); !commands)
        problems.append(commands.error().message + u" (exec.commands_dir)"_s);
}

// A URL libpq cannot read would fail the first connection with an error that quotes it,
// password included: said here instead, without the value.
void checkDatabaseUrls(const AgentConfig &config, QStringList &problems)
{
    for (const char *key : {"database.url", "database.read_url"}) {
        const QString url = config.string(key);
        if (url.isEmpty())
            continue;
        if (auto problem = store::PgConnection::urlProblem(url))
            problems.append(
                u"%1 (from %2): %3"_s.arg(QLatin1StringView(key), config.origin(key), *problem));
    }
}

// database.partitions: its syntax, then each partition's URL and API address as above.
void checkPartitions(const AgentConfig &config, QStringList &problems)
{
    auto map = PartitionMap::fromConfig(config);
    if (!map) {
        problems.append(
            u"%1 (from %2)"_s.arg(map.error().message, config.origin("database.partitions")));
        return;
    }
    for (const Partition &p : map->partitions().mid(1)) {
        if (auto problem = store::PgConnection::urlProblem(p.url))
            problems.append(u"database.partitions: partition %1's url: %2"_s.arg(p.name, *problem));
        if (!p.apiListen.isEmpty() && !parseListen(p.apiListen))
            problems.append(u"database.partitions: partition %1's api= is '%2'; expected "
                            "host:port such as 0.0.0.0:7644"_s.arg(p.name, p.apiListen));
    }
}

} // namespace

QStringList configProblems(const AgentConfig &config)
{
    QStringList problems;
    checkDatabaseUrls(config, problems);
    checkPartitions(config, problems);
    checkListeners(config, problems);
    checkPolicies(config, problems);
    checkFiles(config, problems);
    return problems;
}

std::optional<ListenAddress> parseListen(const QString &listen)
{
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    ListenAddress parsed;
    parsed.port = listen.mid(colon + 1).toUShort(&portOk);
    parsed.address = QHostAddress(colon > 0 ? listen.left(colon) : u"0.0.0.0"_s);
    if (colon < 0 || !portOk || parsed.address.isNull())
        return std::nullopt;
    return parsed;
}

Result<ListenAddress> listenAddress(const AgentConfig &config, const char *key)
{
    const QString listen = config.string(key);
    if (auto parsed = parseListen(listen))
        return *parsed;
    return makeError(u"%1 is '%2'; expected host:port such as 0.0.0.0:7680"_s.arg(
        QLatin1StringView(key), listen));
}

} // namespace ferry::agent
