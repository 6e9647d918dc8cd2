#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/storeconnect.h"
#include "agent/store/pgconnection.h"

namespace ferry::agent {

// Every command that uses the database migrates it first; this one says what it applied.
int runMigrateCommand(CommandContext &context)
{
    store::PgConnection db;
    if (auto ready = connectAndMigrate(db, *context.config, true); !ready)
        return fail(ready.error().message);
    return 0;
}

} // namespace ferry::agent
