#pragma once

#include "shared/result.h"

#include <QString>

namespace ferry::agent::store {

// Refuses a database path on which the agent's connections do not own their server sessions: a
// pooler in transaction (or statement) pooling mode hands one server session to several
// clients, one transaction at a time. The agent relies on its sessions (LISTEN, session advisory
// locks for its singleton jobs, prepared statements, session settings), so it must not run
// there.
//
// Two connections take turns so that, under such a pooler, one of them lands on the other's
// server session: two open connections reporting one server process, or one connection whose
// server process changes between statements. Neither can happen on a direct connection or
// under session pooling, so the check never refuses those. It relies on the pooler handing out
// its most recently released server session first (PgBouncer's default,
// server_round_robin = 0); other clients of the pool at that very moment can hide it, so it
// runs a few rounds.
Result<void> refuseSharedSessions(const QString &url, int connectTimeoutSeconds);

} // namespace ferry::agent::store
