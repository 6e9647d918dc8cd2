#include "agent/inbound/inboxworker.h"

#include "agent/app/logging.h"
#include "agent/inbound/domainevent.h"
#include "agent/inbound/receipts.h"
#include "agent/ingest/batchwriter.h"
#include "agent/ingest/internalpublish.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/store/inbound/inboxstore.h"
#include "agent/store/inbound/receiptstore.h"
#include "agent/store/pgconnection.h"
#include "shared/cloudevent.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::inbound {

namespace {

void count(const QString &kind, const char *outcome)
{
    metrics::AgentMetrics::instance().inboxProcessed.inc({kind.toLatin1(), outcome});
}

const char *effectName(store::ReceiptEffect e)
{
    switch (e) {
    case store::ReceiptEffect::Applied:
        return "applied";
    case store::ReceiptEffect::Ignored:
        return "ignored";
    case store::ReceiptEffect::Unmatched:
        return "unmatched";
    }
    return "unmatched";
}

// Twilio and WhatsApp callbacks, and the bounces (DSNs) an hmac connector with
// "receipts": "dsn" takes; every other request is a domain event.
bool carriesReceipts(const store::InboxEntry &entry)
{
    return entry.kind == "twilio"_L1 || entry.kind == "whatsapp"_L1 ||
           (entry.kind == "hmac"_L1 && entry.settings.value("receipts"_L1) == "dsn"_L1);
}

QString channelOf(const QString &kind)
{
    if (kind == "hmac"_L1)
        return u"email"_s;
    return kind == "twilio"_L1 ? u"sms"_s : u"whatsapp"_s;
}

} // namespace

InboxWorker::InboxWorker(ingest::BatchWriter &writer, Options options)
    : m_writer(writer)
    , m_options(std::move(options))
    , m_db(std::make_unique<store::PgConnection>())
{}

InboxWorker::~InboxWorker()
{
    stop();
}

void InboxWorker::start()
{
    m_thread = std::thread([this] { run(); });
}

void InboxWorker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void InboxWorker::wake()
{
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_cv.notify_one();
}

void InboxWorker::run()
{
    for (;;) {
        const int handled = runOnce();
        std::unique_lock lock(m_mutex);
        if (handled == 0)
            m_cv.wait_for(lock, std::chrono::milliseconds(m_options.pollMs),
                          [this] { return m_stopping || m_woken; });
        if (m_stopping)
            return;
        m_woken = false;
    }
}

bool InboxWorker::connected()
{
    if (m_db->isOpen() && !m_db->isBroken())
        return true;
    m_db->close();
    return bool(m_db->open(m_options.databaseUrl, m_options.connectTimeoutSeconds));
}

int InboxWorker::runOnce()
{
    if (!connected())
        return 0;
    auto claimed = store::InboxStore(*m_db).claim(m_options.batch, m_options.leaseMs);
    if (!claimed) {
        qCWarning(lcIngest).noquote() << "inbox: claim failed:" << claimed.error().message;
        return 0;
    }
    for (const store::InboxEntry &entry : *claimed)
        process(entry);
    return int(claimed->size());
}

void InboxWorker::process(const store::InboxEntry &entry)
{
    if (carriesReceipts(entry))
        processReceipts(entry);
    else
        processEvent(entry);
}

qint64 InboxWorker::backoffMs(int attempts) const
{
    const qint64 delay = qint64(1000) << std::min(attempts - 1, 20);
    return std::min(delay, m_options.maxBackoffMs);
}

// Not yet (retried with backoff), or never: parked as dead once the attempts are spent.
void InboxWorker::retryOrBury(const store::InboxEntry &entry, const QString &error,
                              const QJsonObject &outcome)
{
    store::InboxStore inbox(*m_db);
    const bool last = entry.attempts >= m_options.maxAttempts;
    auto r = last ? inbox.bury(entry.id, error, outcome)
                  : inbox.retry(entry.id, backoffMs(entry.attempts), error);
    if (!r)
        qCWarning(lcIngest).noquote() << "inbox: entry" << entry.id << r.error().message;
    count(entry.kind, last ? "dead" : "retry");
    if (last)
        qCWarning(lcIngest).noquote() << "inbox: entry" << entry.id << "of" << entry.tenant << "/"
                                      << entry.connector << "is dead:" << error;
}

// Applies the receipts inside the caller's transaction: what each did, counted in `outcome`,
// and the message ids no delivery has (yet). False when the database failed.
bool InboxWorker::applyReceipts(const store::InboxEntry &entry,
                                const QList<store::Receipt> &receipts, QJsonObject &outcome,
                                QStringList &unmatched)
{
    auto &metric = metrics::AgentMetrics::instance().receipts;
    for (const store::Receipt &receipt : receipts) {
        auto effect = store::ReceiptStore(*m_db).apply(entry.tenantId, receipt);
        if (!effect)
            return false;
        const QLatin1StringView name(effectName(*effect));
        metric.inc({channelOf(entry.kind).toLatin1(), QByteArray(name.data(), name.size())});
        outcome.insert(name, outcome.value(name).toInt() + 1);
        if (*effect == store::ReceiptEffect::Unmatched)
            unmatched.append(receipt.providerMessageId);
    }
    return true;
}

// Receipts apply together with the entry's completion, or not at all: an entry with a receipt
// for a message not known yet is retried whole (the others are then repeated, which the ranks
// ignore), and on its last attempt keeps what matched and names what did not.
void InboxWorker::processReceipts(const store::InboxEntry &entry)
{
    auto receipts = entry.kind == "twilio"_L1     ? twilioReceipts(entry.body)
                    : entry.kind == "whatsapp"_L1 ? whatsappReceipts(entry.body)
                                                  : dsnReceipts(entry.body);
    store::InboxStore inbox(*m_db);
    if (!receipts) {
        count(entry.kind, "dead");
        if (auto r = inbox.bury(entry.id, receipts.error().message); !r)
            qCWarning(lcIngest).noquote() << "inbox:" << r.error().message;
        return;
    }
    auto tx = m_db->transaction();
    QJsonObject outcome;
    QStringList unmatched;
    if (!tx || !applyReceipts(entry, *receipts, outcome, unmatched))
        return; // the lease runs out and the entry comes back
    const QString why = u"no delivery of tenant '%1' has provider message id %2 (yet)"_s.arg(
        entry.tenant, unmatched.join(u", "_s));
    if (!unmatched.isEmpty() && entry.attempts < m_options.maxAttempts) {
        m_db->rollback();
        retryOrBury(entry, why);
        return;
    }
    auto done =
        unmatched.isEmpty() ? inbox.finish(entry.id, outcome) : inbox.bury(entry.id, why, outcome);
    if (done && tx->commit())
        count(entry.kind, unmatched.isEmpty() ? "done" : "dead");
}

// The event goes through the batch writer, as a producer's would (routing, the dispatchers'
// wake-up); its id is the provider's, so a second pass over the entry finds it stored.
void InboxWorker::processEvent(const store::InboxEntry &entry)
{
    auto json = domainEvent(entry);
    auto parsed = json ? CloudEvent::fromJson(*json) : Result<CloudEvent>(json.error());
    if (!parsed) {
        count(entry.kind, "dead");
        if (auto r = store::InboxStore(*m_db).bury(entry.id, parsed.error().message); !r)
            qCWarning(lcIngest).noquote() << "inbox:" << r.error().message;
        return;
    }
    auto r = ingest::publishAndWait(m_writer, entry.tenantId, *json);
    if (!r) {
        retryOrBury(entry, r.error().message);
        return;
    }
    const QJsonObject outcome{
        {u"event_id"_s, r->eventId.toString(QUuid::WithoutBraces)},
        {u"type"_s, parsed->type},
        {u"duplicate"_s, r->status == ingest::IngestReply::Status::Duplicate}};
    if (auto done = store::InboxStore(*m_db).finish(entry.id, outcome); done)
        count(entry.kind, "done");
}

} // namespace ferry::agent::inbound
