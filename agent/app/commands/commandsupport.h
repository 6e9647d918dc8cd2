#pragma once

#include "agent/app/agentconfig.h"
#include "agent/store/admin/adminstore.h"
#include "shared/result.h"

#include <QCommandLineParser>
#include <QStringList>

#include <initializer_list>

namespace ferry::agent {

struct Partition;

namespace store {
class PgConnection;
}

// What a command group's handler works with. The command line fills in what the group needs:
// the configuration, an open and migrated database, the checked quota options.
struct CommandContext
{
    const QCommandLineParser &parser;
    QStringList words; // the positional arguments: group, subcommand, their arguments
    const AgentConfig *config = nullptr;
    store::PgConnection *db = nullptr;
    // --partition: the database.partitions entry the command acts on; null: database.url.
    const Partition *partition = nullptr;
    store::AdminStore::Quotas quotas;

    QString sub() const { return words.value(1); }
    QString value(const QString &option) const { return parser.value(option); }
    bool isSet(const QString &option) const { return parser.isSet(option); }
};

// A handler's answer when its group has no such subcommand; the command line then says the
// command is unknown.
inline constexpr int kUnknownCommand = -1;

// One subcommand of a group: its name and what runs it.
struct Subcommand
{
    const char *name;
    int (*run)(CommandContext &);
};

// Runs the subcommand context.sub() names; kUnknownCommand when the group has none such.
int runSubcommand(CommandContext &context, std::initializer_list<Subcommand> subcommands);

// Who the audit log names for a command: the user behind sudo, else the user.
QString actor();

// Every option of every command: one parser serves them all, so --help lists them together.
void addCommandOptions(QCommandLineParser &parser);

// --max-events-per-second, --max-events-per-day, --max-payload-bytes as given (unset: leave).
Result<store::AdminStore::Quotas> parseQuotaOptions(const QCommandLineParser &parser);

} // namespace ferry::agent
