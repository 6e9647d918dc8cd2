#pragma once

#include "agent/store/pgconnection.h"
#include "agent/store/readmodels/reportstore.h"

#include <QHash>
#include <QList>
#include <QStringList>

namespace ferry::demo {

// One channel of the demo tenant at the end of a run.
struct ChannelFigures
{
    QString channel;
    qint64 deliveries = 0; // all of them, finished or not
    qint64 succeeded = 0;  // sent by Ferry: the receiving end answered with success
    qint64 dead = 0;
    qint64 received = 0; // counted by the receiving end
    QString receiver;    // its name
    QString breaker;     // of the channel's provider account; empty: none
};

// Deliveries per channel as the agent's store records them (counted per route, through the
// delivery search), next to what the webhook receiver,
// the provider simulator and the SMTP server counted, and the provider accounts' breakers.
class ChannelReport
{
public:
    // What the demo's side of a channel knows: its message route (none for webhook), the
    // receiving end's name and what that counted.
    struct Source
    {
        qint64 routeId = 0;
        QString receiver;
        qint64 received = 0;
    };
    // `all`: every delivery of the tenant; the webhook channel is what the message routes
    // (`sources` other than "webhook") leave of it.
    static Result<ChannelReport> collect(agent::store::PgConnection &db, qint64 tenantId,
                                         const QString &tenant,
                                         const agent::store::ReportStore::Outcome &all,
                                         const QHash<QString, Source> &sources);

    const QList<ChannelFigures> &channels() const { return m_channels; }
    ChannelFigures channel(const QString &name) const;
    // Succeeded deliveries of the message channels (all but webhook) together.
    qint64 messagesSucceeded() const;

    // The "Channels" lines of the summary.
    void print() const;
    // What does not add up; `expected` is the deliveries each channel should have (a channel
    // left out is not checked).
    QStringList problems(const QHash<QString, qint64> &expected) const;

private:
    static Result<ChannelFigures> routeFigures(agent::store::PgConnection &db, qint64 tenantId,
                                               qint64 routeId);
    Result<void> readBreakers(agent::store::PgConnection &db, const QString &tenant);

    QList<ChannelFigures> m_channels;
};

} // namespace ferry::demo
