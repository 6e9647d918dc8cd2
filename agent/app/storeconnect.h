#pragma once

#include "agent/app/agentconfig.h"
#include "shared/result.h"

namespace ferry::agent {

struct Partition;
namespace store {
class PgConnection;
}

// Opens database.url and brings the schema up to date: the daemon and every command that uses
// the database start here, so none of them runs against an older schema. With `verbose`, says
// on standard output what was applied (`ferry-agent migrate`); otherwise logs it, and with
// database.auto_migrate off only checks that nothing is pending. A schema newer than this
// build is always refused (an agent downgraded past a migration).
// `partition`: one of database.partitions' databases instead of database.url.
Result<void> connectAndMigrate(store::PgConnection &db, const AgentConfig &config, bool verbose,
                               const Partition *partition = nullptr);

// Opens database.url (an error names where the URL came from) and refuses a path on which the
// agent's connections would not own their server sessions (store::refuseSharedSessions).
Result<void> connectChecked(store::PgConnection &db, const AgentConfig &config,
                            const Partition *partition = nullptr);

} // namespace ferry::agent
