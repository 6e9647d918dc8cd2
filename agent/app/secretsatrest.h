#pragma once

#include "agent/app/agentconfig.h"
#include "shared/masterkey.h"

#include <optional>

namespace ferry::agent {

namespace store {
class PgConnection;
}

// The master key that seals secrets at rest: the file credentials.master_key_file names, or else
// the systemd credential $CREDENTIALS_DIRECTORY/ferry-master-key; none when neither is set.
Result<std::optional<MasterKey>> loadMasterKey(const AgentConfig &config);

// What the agent does with the secrets of its database before it starts (decision 0024).
// Refused: sealed secrets but no master key, or a key that opens none of them. With a key, the
// secrets still in clear are sealed under it; without one, they stay in clear, with a warning.
Result<void> prepareSecretsAtRest(store::PgConnection &db, const std::optional<MasterKey> &key);

} // namespace ferry::agent
