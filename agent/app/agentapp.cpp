#include "agent/app/agentapp.h"

#include "agent/app/agentruntime.h"
#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/partitions.h"
#include "agent/app/storeconnect.h"
#include "agent/store/pgconnection.h"

#include <QScopeGuard>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// What a group needs before its handler runs, each level including the ones before it.
enum class Needs {
    Nothing,  // not even the configuration (version works on an unconfigured host)
    Config,   // the configuration
    Database, // the database, open and migrated
    Admin,    // the database and the quota options, checked
};

struct CommandGroup
{
    const char *name;
    Needs needs;
    int (*run)(CommandContext &);
    const char *help; // its lines of the command list in --help
};

int runRunCommand(CommandContext &context)
{
    return runAgent(*context.config);
}

// In the order --help lists them.
// clang-format off
constexpr CommandGroup kGroups[] = {
    {"run", Needs::Config, runRunCommand,
     "  run                      run the agent (default)\n"},
    {"migrate", Needs::Config, runMigrateCommand,
     "  migrate                  apply database migrations and exit\n"},
    {"version", Needs::Nothing, runVersionCommand,
     "  version                  print the version\n"},
    {"cert", Needs::Config, runCertCommand,
     "  cert generate [--out DIR] [--name HOST]...\n"
     "                           write a self-signed TLS pair for the API; prints its pin\n"
     "  cert fingerprint [FILE]  the SPKI pin of a certificate (default: api.certificate)\n"},
    {"token", Needs::Admin, runTokenCommand,
     "  token create --role admin|operator|viewer [--tenant T] [--expires 30d]\n"
     "                           create an API token; prints it once\n"
     "  token list | token revoke ID\n"},
    {"config", Needs::Config, runConfigCommand,
     "  config [--sample]        print every configuration key, its value and origin;\n"
     "                           --sample: a file with every key and its default\n"},
    {"check-config", Needs::Nothing, runCheckConfigCommand,
     "  check-config [--config FILE] [--offline]\n"
     "                           list every problem of the configuration (default file:\n"
     "                           /etc/ferry/agent.conf) and, unless --offline, of the\n"
     "                           database it names; exit 0 when the agent would start\n"},
    {"credentials", Needs::Config, runCredentialsCommand,
     "  credentials generate-key FILE\n"
     "                           write a new master key for secrets at rest (mode 0600)\n"},
    {"master-key", Needs::Database, runMasterKeyCommand,
     "  master-key rotate --new-key FILE\n"
     "                           seal every secret again under a new master key, in one\n"
     "                           transaction (the current key: credentials.master_key_file)\n"},
    {"tenant", Needs::Admin, runTenantCommand,
     "  tenant create NAME [quota options]\n"
     "                           create a tenant; prints its producer token\n"
     "  tenant quota NAME [--max-events-per-second N] [--max-events-per-day N]\n"
     "                    [--max-payload-bytes N]\n"
     "                           set a tenant's quotas (0 = unlimited)\n"
     "  tenant networks NAME [CIDR…]\n"
     "                           the internal networks the tenant's deliveries may reach on\n"
     "                           top of webhook.allowed_networks (none given: none)\n"},
    {"endpoint", Needs::Admin, runEndpointCommand,
     "  endpoint add --tenant T --url URL [--event-type TYPE]\n"
     "                           add a webhook endpoint; prints its signing secret\n"},
    {"producer", Needs::Admin, runProducerCommand,
     "  producer add --tenant T  create a ZeroMQ producer key pair; prints its credentials\n"
     "  producer revoke KEY      revoke a producer key; connected agents drop it\n"
     "  producer list [--tenant T]\n"
     "                           list producer keys\n"},
    {"explain", Needs::Database, runExplainCommand,
     "  explain                  show the plans of the dispatcher's claim and completion on\n"
     "                           this database (run and rolled back: nothing changes)\n"},
    {"dlq", Needs::Admin, runDlqCommand,
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
     "               --since TIME --until TIME --status new|investigating|resolved"},
};
// clang-format on

// Not a group: it still opens the database and checks the options as the admin groups do, so a
// mistyped command fails the same way a real one would before it says it is unknown.
constexpr CommandGroup kUnknownGroup = {"", Needs::Admin, nullptr, ""};

QString description()
{
    QString text = u"Ferry event delivery agent.\n\nCommands:\n"_s;
    for (const CommandGroup &group : kGroups)
        text += QString::fromUtf8(group.help);
    return text;
}

const CommandGroup &findGroup(const QString &name)
{
    for (const CommandGroup &group : kGroups) {
        if (name == QLatin1StringView(group.name))
            return group;
    }
    return kUnknownGroup;
}

int unknownCommand(const CommandContext &context)
{
    return fail(u"unknown command '%1'; see ferry-agent --help"_s.arg(context.words.join(u' ')));
}

// --partition NAME: that entry of database.partitions (null for none or "main").
Result<const Partition *> chosenPartition(const PartitionMap &map, const QString &name)
{
    if (name.isEmpty() || name == QLatin1StringView(PartitionMap::kMain))
        return nullptr;
    for (const Partition &p : map.partitions()) {
        if (p.name == name)
            return &p;
    }
    QStringList names;
    for (const Partition &p : map.partitions())
        names.append(p.name);
    return makeError(u"--partition %1: database.partitions has no such entry (there are: %2)"_s.arg(
        name, names.join(u", "_s)));
}

// Gives the group what it needs, then runs it. A subcommand its group lacks is reported after
// the database checks, as for an unknown group.
int runGroup(const CommandGroup &group, CommandContext &context)
{
    if (group.needs == Needs::Nothing)
        return group.run(context);
    auto config = AgentConfig::fromEnvironment(context.value(u"config"_s));
    if (!config)
        return fail(config.error().message);
    // The context outlives this function: it must not keep pointers to its locals.
    const auto forget = qScopeGuard([&context] {
        context.config = nullptr;
        context.db = nullptr;
        context.partition = nullptr;
    });
    context.config = &*config;
    if (group.needs == Needs::Config) {
        if (const int code = group.run(context); code != kUnknownCommand)
            return code;
    }
    auto partitions = PartitionMap::fromConfig(*config);
    if (!partitions)
        return fail(partitions.error().message);
    auto partition = chosenPartition(*partitions, context.value(u"partition"_s));
    if (!partition)
        return fail(partition.error().message);
    context.partition = *partition;
    store::PgConnection db;
    if (auto ready = connectAndMigrate(db, *config, false, *partition); !ready)
        return fail(ready.error().message);
    context.db = &db;
    if (group.needs == Needs::Database)
        return group.run(context);
    auto quotas = parseQuotaOptions(context.parser);
    if (!quotas)
        return fail(quotas.error().message);
    context.quotas = *quotas;
    if (group.needs == Needs::Admin && group.run) {
        if (const int code = group.run(context); code != kUnknownCommand)
            return code;
    }
    return unknownCommand(context);
}

} // namespace

int runAgent(const AgentConfig &config)
{
    AgentRuntime runtime(config);
    if (auto started = runtime.start(); !started)
        return fail(started.error().message);
    return runtime.exec();
}

int runCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description());
    parser.addHelpOption();
    parser.addOption({u"version"_s, u"Print the version (as the version command does)."_s});
    addCommandOptions(parser);
    parser.addPositionalArgument(u"command"_s, u"What to do (default: run)."_s, u"[command]"_s);
    if (!parser.parse(arguments))
        return fail(parser.errorText() + u" (see ferry-agent --help)"_s);
    if (parser.isSet(u"help"_s)) {
        out() << parser.helpText();
        return 0;
    }
    CommandContext context{parser, parser.positionalArguments(), nullptr, nullptr, nullptr, {}};
    if (parser.isSet(u"version"_s))
        return runVersionCommand(context);
    return runGroup(findGroup(context.words.value(0, u"run"_s)), context);
}

} // namespace ferry::agent
