#include "agent/app/commands/commandsupport.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

struct OptionSpec
{
    const char *name;
    const char *help;
    const char *valueName = ""; // empty: a flag
    const char *defaultValue = "";
};

// In the order --help lists them.
// clang-format off
constexpr OptionSpec kOptions[] = {
    {"out", "cert generate: folder to write to.", "DIR"},
    {"name", "cert generate: a host name or address (repeatable); endpoint add: the route's name.",
     "NAME"},
    {"role", "token create: admin, operator or viewer.", "ROLE"},
    {"expires", "token create: lifetime, such as 30d.", "DURATION"},
    {"config", "Read configuration from FILE.", "FILE"},
    {"partition", "Commands on the database: act on this database.partitions entry's database "
                  "instead of database.url's (migrate: only this one).", "NAME"},
    {"tenant", "Tenant name.", "NAME"},
    {"url", "Endpoint URL, or a message route's recipient (template).", "URL"},
    {"event-type", "Only events of this type (default: all).", "TYPE"},
    {"limit", "Most rows to list (default 50).", "N", "50"},
    {"markdown", "With 'config': print the key table as Markdown."},
    {"sample", "With 'config': print a configuration file with every key and its default."},
    {"offline", "check-config: check the file only, without connecting to the database."},
    {"max-events-per-second", "Quota: events per second (0 = unlimited).", "N"},
    {"max-events-per-day", "Quota: events per UTC day (0 = unlimited).", "N"},
    {"max-payload-bytes", "Quota: bytes per event (0 = unlimited).", "N"},
    {"retry-schedule", "Endpoint: waits before each attempt, e.g. 0s,5s,5m,30m.", "S"},
    {"max-attempts", "Endpoint: attempts before the DLQ.", "N"},
    {"max-age", "Endpoint: give up on events older than this.", "DURATION"},
    {"max-concurrency", "Endpoint: requests in flight at once.", "N"},
    {"ordered", "Endpoint: deliver each partition key's events in order."},
    {"on-dead", "Ordered endpoint: block (default) or skip when a delivery dies.", "MODE"},
    {"endpoint", "DLQ filter: endpoint id.", "ID"},
    {"channel", "Endpoint: channel (webhook, email, sms, whatsapp, push); DLQ filter.", "NAME"},
    {"credential", "Endpoint: the provider account (credential) it sends through.", "NAME"},
    {"rate", "Endpoint: requests per second, all agents together.", "N"},
    {"reason", "DLQ filter: reason code (timeout, http_5xx, …).", "CODE"},
    {"since", "DLQ filter: died at or after (time, or 2h ago).", "TIME"},
    {"until", "DLQ filter: died before.", "TIME"},
    {"status", "DLQ triage status: new, investigating, resolved.", "STATUS"},
    {"all-matching", "dlq replay: every dead delivery the filters match."},
    {"dry-run", "dlq replay --all-matching: only count."},
    {"note", "dlq discard/note: the text.", "TEXT"},
    {"assignee", "dlq note: who handles it.", "NAME"},
    {"new-key", "master-key rotate: the new master key's file.", "FILE"},
};
// clang-format on

} // namespace

int runSubcommand(CommandContext &context, std::initializer_list<Subcommand> subcommands)
{
    for (const Subcommand &s : subcommands) {
        if (context.sub() == QLatin1StringView(s.name))
            return s.run(context);
    }
    return kUnknownCommand;
}

QString actor()
{
    const QByteArray user = qgetenv("SUDO_USER").isEmpty() ? qgetenv("USER") : qgetenv("SUDO_USER");
    return u"cli:"_s + (user.isEmpty() ? u"unknown"_s : QString::fromLocal8Bit(user));
}

void addCommandOptions(QCommandLineParser &parser)
{
    for (const OptionSpec &o : kOptions)
        parser.addOption(QCommandLineOption(QString::fromLatin1(o.name), QString::fromUtf8(o.help),
                                            QString::fromLatin1(o.valueName),
                                            QString::fromLatin1(o.defaultValue)));
}

Result<store::AdminStore::Quotas> parseQuotaOptions(const QCommandLineParser &parser)
{
    store::AdminStore::Quotas quotas;
    for (const auto &[option, target] :
         {std::pair{u"max-events-per-second"_s, &quotas.eventsPerSecond},
          std::pair{u"max-events-per-day"_s, &quotas.eventsPerDay},
          std::pair{u"max-payload-bytes"_s, &quotas.maxPayloadBytes}}) {
        if (!parser.isSet(option))
            continue;
        bool ok = false;
        const qint64 v = parser.value(option).toLongLong(&ok);
        if (!ok || v < 0)
            return makeError(u"--%1 takes a whole number, 0 or more (0 = unlimited)"_s.arg(option));
        *target = v;
    }
    return quotas;
}

} // namespace ferry::agent
