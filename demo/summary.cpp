#include "demo/summary.h"

#include "demo/channelroutes.h"
#include "demo/terminal.h"

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

QString rate(double n, double seconds)
{
    return QString::number(qRound64(n / std::max(seconds, 0.001)));
}

QString seconds(double s, int decimals = 2)
{
    return QString::number(s, 'f', decimals);
}

} // namespace

QStringList Summary::print() const
{
    printFigures();
    QStringList wrong = problems();
    printVerdict(wrong);
    printWhereToLook();
    return wrong;
}

void Summary::printFigures() const
{
    const EventSender::Counts &sent = m_figures.sent;
    const agent::store::ReportStore::Outcome &d = m_figures.deliveries;
    const ReceiverStats &s = m_figures.receiver;
    const double lastAfterAck =
        d.lastFinished.isValid()
            ? double(m_figures.lastAcknowledged.msecsTo(d.lastFinished)) / 1000.0
            : 0;
    out() << Qt::endl << "Summary (tenant " << m_figures.tenant << ")" << Qt::endl;
    out() << "  Ingest     " << sent.accepted << " events accepted, " << sent.duplicates
          << " duplicates, " << sent.rejected + sent.gaveUp << " rejected or not sent; "
          << rate(double(confirmed()), double(sent.elapsedMs) / 1000.0) << " events/s" << Qt::endl;
    out() << "  Delivery   " << d.succeeded << " succeeded, " << d.dead << " dead, "
          << d.retryableAttempts << " attempts retried; "
          << rate(double(d.succeeded), d.spanSeconds) << " deliveries/s over "
          << seconds(d.spanSeconds, 1) << " s" << Qt::endl;
    out() << "  Latency    event stored to delivered: p50 " << seconds(d.p50Seconds) << " s, p99 "
          << seconds(d.p99Seconds) << " s (retries included); the last delivery finished "
          << seconds(lastAfterAck) << " s after the last event was acknowledged" << Qt::endl;
    out() << "  Receiver   " << s.requests << " requests, " << s.failures << " simulated failures, "
          << s.badSignatures << " bad signatures, " << s.distinctWebhookIds
          << " distinct webhook ids, " << s.duplicates << " duplicates" << Qt::endl;
    m_figures.channels.print();
    if (s.failures != d.retryableAttempts)
        out() << "  (note: the receiver failed " << s.failures << " requests on purpose and the "
              << "agent recorded " << d.retryableAttempts << " retryable attempts)" << Qt::endl;
}

QStringList Summary::problems() const
{
    const EventSender::Counts &sent = m_figures.sent;
    const agent::store::ReportStore::Outcome &d = m_figures.deliveries;
    const ReceiverStats &s = m_figures.receiver;
    QStringList wrong;
    if (sent.rejected + sent.gaveUp > 0)
        wrong << u"%1 of %2 events were not accepted by the agent (see the lines marked ! "
                 "above)"_s.arg(sent.rejected + sent.gaveUp)
                     .arg(m_options.events);
    wrong << m_figures.channels.problems(expectedDeliveries());
    if (m_figures.timedOut)
        wrong << u"%1 deliveries were still open after %2 s"_s
                     .arg(d.deliveries - d.succeeded - d.dead)
                     .arg(m_options.timeoutSeconds);
    if (d.dead > 0)
        wrong << u"%1 deliveries are dead (see 'dlq list' below)"_s.arg(d.dead);
    const qint64 webhooks = m_figures.channels.channel(u"webhook"_s).succeeded;
    if (s.distinctWebhookIds != webhooks || s.distinctEventIds != webhooks)
        wrong << u"the receiver saw %1 distinct webhook ids and %2 distinct event ids, but the "
                 "database records %3 succeeded webhook deliveries"_s.arg(s.distinctWebhookIds)
                     .arg(s.distinctEventIds)
                     .arg(webhooks);
    if (s.duplicates > 0)
        wrong << u"the receiver got %1 webhook ids more than once"_s.arg(s.duplicates);
    if (s.badSignatures > 0)
        wrong << u"the receiver rejected %1 requests with a bad signature"_s.arg(s.badSignatures);
    return wrong;
}

// A webhook per accepted event and, when every event was accepted, a message per channel for
// each shipping notice.
QHash<QString, qint64> Summary::expectedDeliveries() const
{
    QHash<QString, qint64> expected{{u"webhook"_s, confirmed()}};
    if (m_figures.sent.rejected + m_figures.sent.gaveUp > 0)
        return expected;
    const int messages = EventSender::messageEvents(m_options.events, m_options.messageEvery);
    for (const QString &channel : ChannelRoutes::channels())
        expected.insert(channel, messages);
    return expected;
}

void Summary::printVerdict(const QStringList &problems) const
{
    out() << Qt::endl;
    if (problems.isEmpty())
        out() << "Result: all " << confirmed() << " accepted events reached the receiver exactly "
              << "once, despite " << m_figures.receiver.failures << " failed requests"
              << (m_options.messageEvery > 0
                      ? u", and %1 messages reached the provider simulator and the SMTP server"_s
                            .arg(m_figures.channels.messagesSucceeded())
                      : QString())
              << "." << Qt::endl;
    else
        out() << "Result: something did not add up:\n  - " << problems.join(u"\n  - "_s)
              << Qt::endl;
}

void Summary::printWhereToLook() const
{
    const QString source = QStringLiteral(FERRY_DEMO_SOURCE_DIR);
    out() << Qt::endl
          << "Where to look next" << Qt::endl
          << "  Agent log      " << m_figures.agentLog << Qt::endl
          << "  Dead letters   FERRY_DATABASE_URL='" << m_options.databaseUrl << "' "
          << m_options.agent << " dlq list --tenant " << m_figures.tenant << Qt::endl
          << "  Docs           " << source << "/README.md, " << source << "/docs/configuration.md, "
          << source << "/docs/protocol.md" << Qt::endl;
    if (!m_options.keepRunning)
        out() << "  TLS API        run the demo with --keep-running to use it with curl and "
                 "ferryctl while the agent runs ("
              << source << "/docs/api.md)" << Qt::endl;
}

} // namespace ferry::demo
