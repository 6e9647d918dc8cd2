#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/store/admin/apitokenstore.h"
#include "shared/retrypolicy.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

int create(CommandContext &context)
{
    store::ApiTokenStore tokens(*context.db, actor());
    const auto role = store::parseRole(context.value(u"role"_s));
    if (!role)
        return fail(u"usage: ferry-agent token create --role admin|operator|viewer "
                    "[--tenant T] [--expires 30d] [--note TEXT]"_s);
    QDateTime expires;
    if (context.isSet(u"expires"_s)) {
        const auto ms = parseDurationMs(context.value(u"expires"_s));
        if (!ms)
            return fail(u"--expires takes a duration such as 30d or 12h"_s);
        expires = QDateTime::currentDateTimeUtc().addMSecs(*ms);
    }
    const QString tenant = context.value(u"tenant"_s);
    auto token = tokens.create(*role, tenant, expires, context.value(u"note"_s));
    if (!token)
        return fail(token.error().message);
    out() << *token << Qt::endl;
    err() << "API token created (" << context.value(u"role"_s)
          << (context.isSet(u"tenant"_s) ? u", tenant "_s + tenant : QString())
          << "); it is shown only once." << Qt::endl;
    return 0;
}

QString dateOrDash(const QDateTime &at)
{
    return at.isValid() ? at.toString(Qt::ISODate) : u"-"_s;
}

int list(CommandContext &context)
{
    auto list = store::ApiTokenStore(*context.db, actor()).list();
    if (!list)
        return fail(list.error().message);
    out() << "ID    ROLE      TENANT      CREATED               EXPIRES               "
             "REVOKED               NOTE"
          << Qt::endl;
    for (const auto &t : *list)
        out() << QString::number(t.id).leftJustified(4) << "  "
              << store::roleName(t.role).leftJustified(8) << "  "
              << (t.tenant.isEmpty() ? u"(all)"_s : t.tenant).leftJustified(10) << "  "
              << t.createdAt.toString(Qt::ISODate).leftJustified(20) << "  "
              << dateOrDash(t.expiresAt).leftJustified(20) << "  "
              << dateOrDash(t.revokedAt).leftJustified(20) << "  " << t.note << Qt::endl;
    return 0;
}

int revoke(CommandContext &context)
{
    bool ok = false;
    const qint64 id = context.words.value(2).toLongLong(&ok);
    if (!ok)
        return fail(u"usage: ferry-agent token revoke ID (from 'ferry-agent token list')"_s);
    if (auto r = store::ApiTokenStore(*context.db, actor()).revoke(id); !r)
        return fail(r.error().message);
    out() << "API token " << id << " revoked" << Qt::endl;
    return 0;
}

} // namespace

int runTokenCommand(CommandContext &context)
{
    return runSubcommand(context, {{"create", create}, {"list", list}, {"revoke", revoke}});
}

} // namespace ferry::agent
