#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/partitions.h"
#include "agent/app/storeconnect.h"
#include "agent/store/pgconnection.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

// Every command that uses the database migrates it first; this one says what it applied: to
// database.url and every database.partitions entry, or with --partition only that one.
int runMigrateCommand(CommandContext &context)
{
    auto partitions = PartitionMap::fromConfig(*context.config);
    if (!partitions)
        return fail(partitions.error().message);
    const QString only = context.value(u"partition"_s);
    bool found = false;
    for (const Partition &partition : partitions->partitions()) {
        if (!only.isEmpty() && partition.name != only)
            continue;
        found = true;
        if (partitions->routed())
            out() << "partition " << partition.name << ":" << Qt::endl;
        const bool main = partition.name == QLatin1StringView(PartitionMap::kMain);
        store::PgConnection db;
        if (auto ready = connectAndMigrate(db, *context.config, true, main ? nullptr : &partition);
            !ready)
            return fail(ready.error().message);
    }
    if (!found)
        return fail(u"--partition %1: database.partitions has no such entry"_s.arg(only));
    return 0;
}

} // namespace ferry::agent
