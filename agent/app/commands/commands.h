#pragma once

#include "agent/app/commands/commandsupport.h"

namespace ferry::agent {

// The handlers of the command groups, one file each in this folder; runCommandLine() lists them
// with their help. Each returns the exit code, or kUnknownCommand for a subcommand it lacks.
int runVersionCommand(CommandContext &context);
int runMigrateCommand(CommandContext &context);
int runExplainCommand(CommandContext &context);
int runConfigCommand(CommandContext &context);
int runCheckConfigCommand(CommandContext &context);
int runCertCommand(CommandContext &context);
int runCredentialsCommand(CommandContext &context);
int runMasterKeyCommand(CommandContext &context);
int runTenantCommand(CommandContext &context);
int runTokenCommand(CommandContext &context);
int runProducerCommand(CommandContext &context);
int runEndpointCommand(CommandContext &context);
int runDlqCommand(CommandContext &context);

} // namespace ferry::agent
