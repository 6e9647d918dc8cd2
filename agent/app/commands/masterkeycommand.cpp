#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/secretsatrest.h"
#include "agent/store/admin/sealedsecretstore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

void printReport(const store::RotationReport &report, const QString &newKeyFile,
                 const MasterKey &next)
{
    out() << "sealed under master key " << next.id() << ": " << report.credentials
          << " credential(s), " << report.endpointSecrets << " route signing secret(s), "
          << report.curveKeys << " CURVE server key, " << report.connectorSecrets
          << " inbound connector(s)" << Qt::endl;
    for (const QString &value : report.unknown)
        err() << "left as it was, sealed under neither key: " << value << Qt::endl;
    if (!report.unknown.isEmpty())
        err() << "Those values cannot be read with either key: store those credentials again, "
                 "or give those routes a new signing secret."
              << Qt::endl;
    err() << "Next: point credentials.master_key_file (or the systemd credential "
             "ferry-master-key) of EVERY agent on this database at "
          << newKeyFile
          << " and restart them; until then they cannot open what was sealed again. Keep the "
             "old key file until every agent runs with the new one, then destroy it."
          << Qt::endl;
}

// `master-key rotate --new-key FILE`: every secret sealed under the configured key, and every
// secret still in clear, is sealed under the key in FILE, in one transaction.
int rotate(CommandContext &context)
{
    if (!context.isSet(u"new-key"_s))
        return fail(u"usage: ferry-agent master-key rotate --new-key FILE (write FILE first with "
                    "'ferry-agent credentials generate-key FILE')"_s);
    const QString newKeyFile = context.value(u"new-key"_s);
    auto next = MasterKey::load(newKeyFile);
    if (!next)
        return fail(next.error().message + u" (--new-key)"_s);
    auto current = loadMasterKey(*context.config);
    if (!current)
        return fail(current.error().message);
    if (*current && (*current)->id() == next->id())
        return fail(
            u"%1 holds the master key already in use (%2): give the file of a new key"_s.arg(
                newKeyFile, QString::fromLatin1(next->id())));
    auto report =
        store::SealedSecretStore(*context.db).rotate(*current ? &**current : nullptr, *next);
    if (!report)
        return fail(u"nothing changed: "_s + report.error().message);
    printReport(*report, newKeyFile, *next);
    return 0;
}

} // namespace

int runMasterKeyCommand(CommandContext &context)
{
    return runSubcommand(context, {{"rotate", rotate}});
}

} // namespace ferry::agent
