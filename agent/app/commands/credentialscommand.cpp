#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "shared/masterkey.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

// `credentials generate-key FILE`: the key that seals provider credentials. It is read back
// before anything is printed, so the id shown is that of the file as written.
int runCredentialsCommand(CommandContext &context)
{
    if (context.sub() != "generate-key"_L1)
        return kUnknownCommand;
    const QStringList &words = context.words;
    if (words.size() != 3)
        return fail(u"usage: ferry-agent credentials generate-key FILE"_s);
    if (auto r = MasterKey::generate(words[2]); !r)
        return fail(r.error().message);
    auto key = MasterKey::load(words[2]);
    if (!key)
        return fail(key.error().message);
    out() << "master key " << key->id() << " written to " << words[2]
          << " (readable by its owner only)" << Qt::endl;
    err() << "Keep a copy in a safe place: credentials stored under this key cannot be "
             "read without it. Use it with credentials.master_key_file, or with systemd's "
             "LoadCredential=ferry-master-key:"
          << words[2] << Qt::endl;
    return 0;
}

} // namespace ferry::agent
