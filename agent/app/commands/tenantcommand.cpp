#include "agent/adapters/ssrfguard.h"
#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/partitions.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/tenantstore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

bool anyQuota(const store::AdminStore::Quotas &q)
{
    return q.eventsPerSecond || q.eventsPerDay || q.maxPayloadBytes;
}

int setQuotas(CommandContext &context)
{
    store::AdminStore admin(*context.db, actor());
    const QStringList &words = context.words;
    if (words.size() != 3 || !anyQuota(context.quotas))
        return fail(u"usage: ferry-agent tenant quota NAME [--max-events-per-second N] "
                    "[--max-events-per-day N] [--max-payload-bytes N]"_s);
    if (auto r = admin.setQuotas(words[2], context.quotas); !r)
        return fail(r.error().message);
    out() << "quotas of tenant '" << words[2] << "' updated" << Qt::endl;
    return 0;
}

// database.partitions places every tenant in one database: why `tenant` is not created in the
// one this command acts on (--partition); empty when it is.
QString misplaced(const CommandContext &context, const QString &tenant)
{
    auto map = PartitionMap::fromConfig(*context.config);
    if (!map || !map->routed())
        return {};
    const QString here =
        context.partition ? context.partition->name : QString::fromLatin1(PartitionMap::kMain);
    const Partition *placed = map->placedElsewhere(tenant, here);
    if (!placed)
        return {};
    return u"database.partitions places tenant %1 in partition %2, not %3: run the command "
           "with --partition %2"_s.arg(tenant, placed->name, here);
}

// The producer token goes to standard output alone, so a script can capture it; the advice
// goes to standard error.
int create(CommandContext &context)
{
    store::AdminStore admin(*context.db, actor());
    const QStringList &words = context.words;
    if (words.size() != 3)
        return fail(u"usage: ferry-agent tenant create NAME [quota options]"_s);
    if (const QString elsewhere = misplaced(context, words[2]); !elsewhere.isEmpty())
        return fail(elsewhere);
    auto token = admin.createTenant(words[2]);
    if (!token)
        return fail(token.error().message);
    if (anyQuota(context.quotas)) {
        if (auto r = admin.setQuotas(words[2], context.quotas); !r)
            return fail(r.error().message);
    }
    out() << *token << Qt::endl;
    err() << "tenant '" << words[2] << "' created; the line above is its producer token. "
          << "It is shown only once: keep it in your producer's secret store." << Qt::endl;
    return 0;
}

// Sets a tenant's own allowed networks (none given: clears them); prints them as stored.
int setNetworks(CommandContext &context)
{
    const QStringList &words = context.words;
    if (words.size() < 3)
        return fail(u"usage: ferry-agent tenant networks NAME [CIDR…] (no CIDR: none of its "
                    "own; the agent's webhook.allowed_networks still applies)"_s);
    QStringList cidrs;
    for (const QString &word : words.mid(3))
        cidrs += word.split(u',', Qt::SkipEmptyParts);
    auto networks = adapters::SsrfGuard::parseNetworks(cidrs);
    if (!networks)
        return fail(networks.error().message);
    store::TenantStore::TenantUpdate update;
    update.allowedNetworks = QStringList();
    for (const auto &net : std::as_const(*networks)) {
        if (!update.allowedNetworks->contains(adapters::SsrfGuard::networkText(net)))
            update.allowedNetworks->append(adapters::SsrfGuard::networkText(net));
    }
    auto r = store::TenantStore(*context.db).updateTenant(words[2], update, actor());
    if (!r)
        return fail(r.error().message);
    if (!*r)
        return fail(u"no tenant named '%1'"_s.arg(words[2]));
    const QString list = update.allowedNetworks->join(u", "_s);
    out() << "allowed networks of tenant '" << words[2]
          << "': " << (list.isEmpty() ? u"none of its own"_s : list) << Qt::endl;
    return 0;
}

} // namespace

int runTenantCommand(CommandContext &context)
{
    return runSubcommand(context,
                         {{"quota", setQuotas}, {"create", create}, {"networks", setNetworks}});
}

} // namespace ferry::agent
