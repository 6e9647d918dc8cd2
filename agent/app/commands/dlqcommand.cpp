#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/dlqstore.h"
#include "shared/retrypolicy.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// `ferry-agent dlq list|show|replay|discard|note`, over store::DlqStore (the TLS API and the
// console reuse the same store).
struct DlqArguments
{
    QStringList ids; // after the subcommand
    store::DlqFilter filter;
    bool allMatching = false;
    bool dryRun = false;
    QString note;
    QString assignee; // null: unchanged; empty: cleared
    QString status;
};

// "2026-11-27T08:00:00Z", or a duration meaning that long ago ("2h", "3d").
QDateTime parseTimeArgument(const QString &text)
{
    if (text.isEmpty())
        return {};
    if (const auto ago = parseDurationMs(text))
        return QDateTime::currentDateTimeUtc().addMSecs(-*ago);
    return QDateTime::fromString(text, Qt::ISODate);
}

Result<store::DlqFilter> parseFilter(const CommandContext &context)
{
    store::DlqFilter filter;
    bool ok = false;
    filter.limit = context.value(u"limit"_s).toInt(&ok);
    if (!ok || filter.limit <= 0)
        return makeError(u"--limit takes a whole number above 0"_s);
    filter.tenant = context.value(u"tenant"_s);
    if (context.isSet(u"endpoint"_s)) {
        filter.endpointId = context.value(u"endpoint"_s).toLongLong(&ok);
        if (!ok || filter.endpointId <= 0)
            return makeError(u"--endpoint takes an endpoint id (a number)"_s);
    }
    filter.channel = context.value(u"channel"_s);
    filter.reason = context.value(u"reason"_s);
    filter.triageStatus = context.value(u"status"_s);
    for (const auto &[option, target] :
         {std::pair{u"since"_s, &filter.since}, std::pair{u"until"_s, &filter.until}}) {
        if (!context.isSet(option))
            continue;
        *target = parseTimeArgument(context.value(option));
        if (!target->isValid())
            return makeError(u"--%1 takes a time such as 2026-11-27T08:00:00Z or a duration ago "
                             "such as 2h"_s.arg(option));
    }
    // `dlq note --status` sets the triage status; it does not filter.
    if (context.sub() == "note"_L1)
        filter.triageStatus.clear();
    return filter;
}

Result<DlqArguments> parseArguments(const CommandContext &context)
{
    auto filter = parseFilter(context);
    if (!filter)
        return filter.error();
    DlqArguments args;
    args.ids = context.words.mid(2);
    args.filter = *filter;
    args.allMatching = context.isSet(u"all-matching"_s);
    args.dryRun = context.isSet(u"dry-run"_s);
    args.note = context.value(u"note"_s);
    if (context.isSet(u"assignee"_s))
        args.assignee =
            context.value(u"assignee"_s).isNull() ? u""_s : context.value(u"assignee"_s);
    args.status = context.value(u"status"_s);
    return args;
}

Result<QList<QUuid>> parseIds(const QStringList &words)
{
    QList<QUuid> ids;
    for (const QString &w : words) {
        const QUuid id = QUuid::fromString(w);
        if (id.isNull())
            return makeError(
                u"'%1' is not a delivery id (a UUID from 'ferry-agent dlq list')"_s.arg(w));
        ids.append(id);
    }
    return ids;
}

// Says, for each id that an action left alone, why.
int explainUntouched(store::PgConnection &db, const QList<QUuid> &ids, qint64 changed)
{
    if (changed == ids.size())
        return 0;
    store::AdminStore admin(db, actor());
    for (const QUuid &id : ids) {
        auto state = admin.deliveryState(id);
        const QString text = id.toString(QUuid::WithoutBraces);
        if (!state)
            return fail(state.error().message);
        if (state->isEmpty())
            err() << "ferry-agent: no delivery with id " << text << Qt::endl;
        else if (*state != "dead"_L1)
            err() << "ferry-agent: delivery " << text << " is " << *state
                  << ", not dead: only dead deliveries can be replayed or discarded" << Qt::endl;
    }
    return 1;
}

int list(store::DlqStore &dlq, const DlqArguments &args)
{
    auto dead = dlq.list(args.filter);
    if (!dead)
        return fail(dead.error().message);
    if (dead->isEmpty()) {
        out() << "no dead deliveries match" << Qt::endl;
        return 0;
    }
    out() << "DELIVERY                              TENANT      ENDPOINT  ATTEMPTS  REASON"
             "            STATUS         DIED AT               LAST ERROR"
          << Qt::endl;
    for (const auto &d : *dead)
        out() << d.id.toString(QUuid::WithoutBraces) << "  " << d.tenant.leftJustified(10) << "  "
              << QString::number(d.endpointId).leftJustified(8) << "  "
              << QString::number(d.attempts).leftJustified(8) << "  " << d.reason.leftJustified(16)
              << "  " << d.triageStatus.leftJustified(13) << "  "
              << d.finishedAt.toString(Qt::ISODate).leftJustified(20) << "  "
              << d.lastError.left(100) << Qt::endl;
    return 0;
}

void printDelivery(const store::DeliveryDetail &d)
{
    const auto &s = d.summary;
    out() << "delivery   " << s.id.toString(QUuid::WithoutBraces) << " (" << d.state << ")\n"
          << "tenant     " << s.tenant << "\n"
          << "endpoint   " << s.endpointId << " " << s.url << " (" << s.channel << ")\n"
          << "event      " << s.eventId.toString(QUuid::WithoutBraces) << " " << s.eventType
          << (d.partitionKey.isEmpty() ? QString() : u" partition "_s + d.partitionKey) << "\n"
          << "reason     " << s.reason << "\n"
          << "last error " << s.lastError << "\n"
          << "triage     " << s.triageStatus
          << (s.assignee.isEmpty() ? QString() : u", assigned to "_s + s.assignee) << "\n\n"
          << "attempts:\n";
    for (const auto &a : d.attempts)
        out() << "  #" << a.attempt << "  " << a.startedAt.toString(Qt::ISODate) << "  "
              << a.outcome.leftJustified(13) << " "
              << (a.statusCode ? QString::number(a.statusCode) : u"-"_s).leftJustified(4) << " "
              << a.durationMs << " ms  " << a.error << "\n";
    if (!d.notes.isEmpty()) {
        out() << "\nnotes:\n";
        for (const auto &n : d.notes)
            out() << "  " << n.at.toString(Qt::ISODate) << "  " << n.actor << ": " << n.text
                  << "\n";
    }
    out() << "\nevent:\n" << d.payload << Qt::endl;
}

int show(store::DlqStore &dlq, const DlqArguments &args)
{
    auto ids = parseIds(args.ids);
    if (!ids || ids->size() != 1)
        return fail(ids ? u"usage: ferry-agent dlq show DELIVERY-ID"_s : ids.error().message);
    auto d = dlq.show(ids->first());
    if (!d)
        return fail(d.error().message);
    printDelivery(*d);
    return 0;
}

int replayMatching(store::DlqStore &dlq, const DlqArguments &args)
{
    if (!args.ids.isEmpty())
        return fail(u"give delivery ids or --all-matching with filters, not both"_s);
    auto n = dlq.replayMatching(args.filter, args.dryRun);
    if (!n)
        return fail(n.error().message);
    if (args.dryRun)
        out() << *n << " dead deliveries match; run again without --dry-run to replay them"
              << Qt::endl;
    else
        out() << *n << " dead deliveries queued again" << Qt::endl;
    return 0;
}

int replay(store::PgConnection &db, store::DlqStore &dlq, const DlqArguments &args)
{
    if (args.allMatching)
        return replayMatching(dlq, args);
    auto ids = parseIds(args.ids);
    if (!ids || ids->isEmpty())
        return fail(ids ? u"usage: ferry-agent dlq replay DELIVERY-ID... | --all-matching "
                          "[filters] [--dry-run]"_s
                        : ids.error().message);
    if (args.dryRun)
        return fail(u"--dry-run goes with --all-matching"_s);
    auto n = dlq.replay(*ids);
    if (!n)
        return fail(n.error().message);
    if (*n == 1 && ids->size() == 1)
        out() << "delivery " << ids->first().toString(QUuid::WithoutBraces) << " queued again"
              << Qt::endl;
    else
        out() << *n << " of " << ids->size() << " deliveries queued again" << Qt::endl;
    return explainUntouched(db, *ids, *n);
}

int discard(store::PgConnection &db, store::DlqStore &dlq, const DlqArguments &args)
{
    auto ids = parseIds(args.ids);
    if (!ids || ids->isEmpty())
        return fail(ids ? u"usage: ferry-agent dlq discard DELIVERY-ID... --note WHY"_s
                        : ids.error().message);
    auto n = dlq.discard(*ids, args.note);
    if (!n)
        return fail(n.error().message);
    out() << *n << " of " << ids->size() << " deliveries discarded" << Qt::endl;
    return explainUntouched(db, *ids, *n);
}

int note(store::DlqStore &dlq, const DlqArguments &args)
{
    auto ids = parseIds(args.ids);
    if (!ids || ids->size() != 1)
        return fail(ids ? u"usage: ferry-agent dlq note DELIVERY-ID [--note TEXT] "
                          "[--assignee NAME] [--status new|investigating|resolved]"_s
                        : ids.error().message);
    if (auto r = dlq.annotate(ids->first(), args.note, args.assignee, args.status); !r)
        return fail(r.error().message);
    out() << "recorded" << Qt::endl;
    return 0;
}

} // namespace

int runDlqCommand(CommandContext &context)
{
    auto args = parseArguments(context);
    if (!args)
        return fail(args.error().message);
    store::PgConnection &db = *context.db;
    store::DlqStore dlq(db, actor());
    const QString sub = context.sub();
    if (sub == "list"_L1)
        return list(dlq, *args);
    if (sub == "show"_L1)
        return show(dlq, *args);
    if (sub == "replay"_L1)
        return replay(db, dlq, *args);
    if (sub == "discard"_L1)
        return discard(db, dlq, *args);
    if (sub == "note"_L1)
        return note(dlq, *args);
    return fail(u"unknown dlq command '%1'; use list, show, replay, discard or note"_s.arg(sub));
}

} // namespace ferry::agent
