#include "demo/channelreport.h"

#include "agent/store/hotpath/guardstore.h"
#include "agent/store/readmodels/reportstore.h"
#include "demo/channelroutes.h"
#include "demo/terminal.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::demo {

Result<ChannelReport> ChannelReport::collect(agent::store::PgConnection &db, qint64 tenantId,
                                             const QString &tenant,
                                             const agent::store::ReportStore::Outcome &all,
                                             const QHash<QString, Source> &sources)
{
    ChannelReport report;
    ChannelFigures webhook;
    webhook.channel = u"webhook"_s;
    webhook.deliveries = all.deliveries;
    webhook.succeeded = all.succeeded;
    webhook.dead = all.dead;
    report.m_channels.append(webhook);
    for (const QString &name : ChannelRoutes::channels()) {
        if (!sources.contains(name))
            continue;
        auto c = routeFigures(db, tenantId, sources.value(name).routeId);
        if (!c)
            return c.error();
        c->channel = name;
        report.m_channels.append(*c);
        report.m_channels[0].deliveries -= c->deliveries;
        report.m_channels[0].succeeded -= c->succeeded;
        report.m_channels[0].dead -= c->dead;
    }
    for (ChannelFigures &c : report.m_channels) {
        c.receiver = sources.value(c.channel).receiver;
        c.received = sources.value(c.channel).received;
    }
    if (auto ok = report.readBreakers(db, tenant); !ok)
        return ok.error();
    return report;
}

// The deliveries of one route by state, a page of the delivery search at a time.
Result<ChannelFigures> ChannelReport::routeFigures(agent::store::PgConnection &db, qint64 tenantId,
                                                   qint64 routeId)
{
    agent::store::ReportStore::Search search;
    search.scopeTenantId = tenantId;
    search.endpointId = routeId;
    search.limit = 1000;
    ChannelFigures c;
    do {
        auto page = agent::store::ReportStore(db).searchDeliveries(search);
        if (!page)
            return page.error();
        for (const QJsonValue &item : std::as_const(page->items)) {
            const QString state = item["state"_L1].toString();
            ++c.deliveries;
            c.succeeded += state == "succeeded"_L1 ? 1 : 0;
            c.dead += state == "dead"_L1 ? 1 : 0;
        }
        search.after = page->next;
    } while (search.after);
    return c;
}

// The breaker of each provider account the demo's routes send through.
Result<void> ChannelReport::readBreakers(agent::store::PgConnection &db, const QString &tenant)
{
    auto guards = agent::store::GuardStore(db).statuses();
    if (!guards)
        return guards.error();
    for (ChannelFigures &c : m_channels) {
        for (const auto &g : std::as_const(*guards)) {
            if (g.tenant == tenant && g.key.scope == "account"_L1 &&
                g.name == ChannelRoutes::credentialName(c.channel))
                c.breaker = g.breaker;
        }
    }
    return {};
}

ChannelFigures ChannelReport::channel(const QString &name) const
{
    for (const ChannelFigures &c : m_channels) {
        if (c.channel == name)
            return c;
    }
    ChannelFigures none;
    none.channel = name;
    return none;
}

qint64 ChannelReport::messagesSucceeded() const
{
    qint64 n = 0;
    for (const ChannelFigures &c : m_channels)
        n += c.channel == "webhook"_L1 ? 0 : c.succeeded;
    return n;
}

void ChannelReport::print() const
{
    const auto row = [](const QString &channel, const QString &sent, const QString &received,
                        const QString &by, const QString &dead, const QString &breaker) {
        out() << channel.leftJustified(10) << sent.rightJustified(13) << received.rightJustified(10)
              << "  " << by.leftJustified(18) << dead.rightJustified(5) << "  " << breaker
              << Qt::endl;
    };
    out() << "  Channels   ";
    row(u"channel"_s, u"sent by Ferry"_s, u"received"_s, u"by"_s, u"dead"_s, u"account breaker"_s);
    for (const ChannelFigures &c : m_channels) {
        out() << "             ";
        row(c.channel, QString::number(c.succeeded), QString::number(c.received), c.receiver,
            QString::number(c.dead), c.breaker.isEmpty() ? u"-"_s : c.breaker);
    }
}

QStringList ChannelReport::problems(const QHash<QString, qint64> &expected) const
{
    QStringList wrong;
    for (const ChannelFigures &c : m_channels) {
        if (expected.contains(c.channel) && c.deliveries != expected.value(c.channel))
            wrong << u"the database holds %1 %2 deliveries where %3 were expected"_s
                         .arg(c.deliveries)
                         .arg(c.channel)
                         .arg(expected.value(c.channel));
        // The webhook receiver's own checks are the summary's (ids, signatures, duplicates).
        if (c.channel != "webhook"_L1 && c.received != c.succeeded)
            wrong << u"%1: Ferry sent %2 messages and the %3 received %4"_s.arg(c.channel)
                         .arg(c.succeeded)
                         .arg(c.receiver)
                         .arg(c.received);
        if (!c.breaker.isEmpty() && c.breaker != "closed"_L1)
            wrong << u"the breaker of %1 is %2"_s.arg(ChannelRoutes::credentialName(c.channel),
                                                      c.breaker);
    }
    return wrong;
}

} // namespace ferry::demo
