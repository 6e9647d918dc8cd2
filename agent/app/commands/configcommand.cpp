#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/secretmask.h"

namespace ferry::agent {

// With --markdown, the key table docs/configuration.md is generated from; with --sample, the
// packaged /etc/ferry/agent.conf. Passwords and other
// secrets in the values are masked: the output ends up in tickets and chat.
int runConfigCommand(CommandContext &context)
{
    if (context.isSet(QStringLiteral("markdown"))) {
        out() << AgentConfig::markdownTable();
        return 0;
    }
    if (context.isSet(QStringLiteral("sample"))) {
        out() << AgentConfig::sampleFile();
        return 0;
    }
    for (const auto &k : AgentConfig::keys())
        out() << k.key << " = "
              << maskSecrets(QString::fromLatin1(k.key), context.config->string(k.key)) << "    # "
              << context.config->origin(k.key) << Qt::endl;
    return 0;
}

} // namespace ferry::agent
