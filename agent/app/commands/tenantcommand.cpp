#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/store/admin/adminstore.h"

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

// The producer token goes to standard output alone, so a script can capture it; the advice
// goes to standard error.
int create(CommandContext &context)
{
    store::AdminStore admin(*context.db, actor());
    const QStringList &words = context.words;
    if (words.size() != 3)
        return fail(u"usage: ferry-agent tenant create NAME [quota options]"_s);
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

} // namespace

int runTenantCommand(CommandContext &context)
{
    return runSubcommand(context, {{"quota", setQuotas}, {"create", create}});
}

} // namespace ferry::agent
