#pragma once

#include "agent/store/readmodels/reportstore.h"
#include "demo/channelreport.h"
#include "demo/eventsender.h"
#include "demo/options.h"
#include "demo/receiverstats.h"

#include <QDateTime>
#include <QStringList>

namespace ferry::demo {

// The demo's closing report: what was sent, delivered and received on each channel, whether it
// adds up, and where to look next.
class Summary
{
public:
    struct Figures
    {
        QString tenant;
        EventSender::Counts sent;
        QDateTime lastAcknowledged; // when the agent answered the last event
        agent::store::ReportStore::Outcome deliveries;
        ReceiverStats receiver;
        ChannelReport channels;
        bool timedOut = false; // deliveries were still open when the demo stopped waiting
        QString agentLog;
    };

    Summary(const Options &options, Figures figures)
        : m_options(options)
        , m_figures(std::move(figures))
    {}

    // Prints the summary; returns what did not add up (empty: all good).
    QStringList print() const;

private:
    void printFigures() const;
    QStringList problems() const;
    QHash<QString, qint64> expectedDeliveries() const;
    void printVerdict(const QStringList &problems) const;
    void printWhereToLook() const;
    qint64 confirmed() const { return m_figures.sent.accepted + m_figures.sent.duplicates; }

    const Options &m_options;
    Figures m_figures;
};

} // namespace ferry::demo
