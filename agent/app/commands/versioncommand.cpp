#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/store/migrator.h"

namespace ferry::agent {

// Needs neither configuration nor database: it works on a host where neither is set up yet.
int runVersionCommand(CommandContext & /*context*/)
{
    out() << "ferry-agent " << FERRY_VERSION << " (schema version "
          << store::Migrator::latestVersion() << ")" << Qt::endl;
    return 0;
}

} // namespace ferry::agent
