#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/configcheck.h"
#include "agent/app/partitions.h"
#include "agent/app/storeconnect.h"
#include "agent/store/migrator.h"
#include "agent/store/pgconnection.h"

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// The file the packaged unit starts the agent with.
constexpr auto kPackagedConfig = "/etc/ferry/agent.conf";

// Whether the agent could start on this database: reachable, and a schema it can work with.
// A note for what is fine; a problem for what would stop the agent.
void checkDatabase(const AgentConfig &config, const Partition *partition, QStringList &problems)
{
    const QString name =
        partition ? u"partition %1's database"_s.arg(partition->name) : u"database"_s;
    store::PgConnection db;
    if (auto connected = connectChecked(db, config, partition); !connected) {
        problems.append(connected.error().message);
        return;
    }
    store::Migrator migrator(db);
    auto pending = migrator.pendingCount();
    if (!pending) {
        problems.append(pending.error().message);
        return;
    }
    const int latest = store::Migrator::latestVersion();
    if (*pending == 0)
        out() << name << ": reachable; schema at version " << latest << ", as this agent expects"
              << Qt::endl;
    else if (config.boolean("database.auto_migrate"))
        out() << name << ": reachable; " << *pending
              << " migration(s) to apply, which the agent does when it starts (to version "
              << latest << ")" << Qt::endl;
    else
        problems.append(u"the %1 needs %2 migration(s) and database.auto_migrate is off: "
                        "run 'ferry-agent migrate' before starting the agent"_s.arg(name)
                            .arg(*pending));
}

// database.url's, then every database.partitions entry's.
void checkDatabases(const AgentConfig &config, QStringList &problems)
{
    checkDatabase(config, nullptr, problems);
    auto map = PartitionMap::fromConfig(config);
    if (!map)
        return; // configProblems() said why
    for (const Partition &partition : map->partitions().mid(1))
        checkDatabase(config, &partition, problems);
}

// The FERRY_* variables that set a key, as the agent reads them.
QStringList overrides(const QHash<QString, QString> &environment)
{
    QStringList used;
    for (const ConfigKey &key : AgentConfig::keys()) {
        const QString name = AgentConfig::environmentName(QString::fromLatin1(key.key));
        if (environment.contains(name))
            used.append(name);
    }
    return used;
}

} // namespace

// Every problem of the configuration file and the FERRY_* variables, not only the first: the
// file as the agent would read it, then the keys together, then the database (unless
// --offline). Exit code 0 only when the agent would start on this configuration.
int runCheckConfigCommand(CommandContext &context)
{
    QString path = AgentConfig::filePath(context.value(u"config"_s));
    if (path.isEmpty())
        path = QString::fromLatin1(kPackagedConfig);
    const auto environment = AgentConfig::environment();
    out() << "checking " << path;
    if (const QStringList used = overrides(environment); !used.isEmpty())
        out() << " with " << used.join(u", "_s);
    out() << Qt::endl;
    QStringList problems;
    const AgentConfig config = AgentConfig::loadAll(path, environment, problems);
    problems += configProblems(config);
    if (!context.isSet(u"offline"_s))
        checkDatabases(config, problems);
    if (::geteuid() == 0)
        out() << "note: run as root, which reads files the service user may not: "
                 "'runuser -u ferry -- ferry-agent check-config' checks as the service does"
              << Qt::endl;
    for (const QString &problem : problems)
        err() << "problem: " << problem << Qt::endl;
    if (!problems.isEmpty())
        return fail(u"%1 problem(s) in the configuration"_s.arg(problems.size()));
    out() << "configuration OK" << Qt::endl;
    return 0;
}

} // namespace ferry::agent
