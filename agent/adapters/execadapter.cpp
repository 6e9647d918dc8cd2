#include "agent/adapters/execadapter.h"

#include "agent/adapters/curlmulti.h"
#include "agent/jobs/jobrunner.h"

#include <QList>
#include <QPair>

#include <mutex>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

struct ExecAdapter::Mailbox
{
    std::mutex mutex;
    CurlMulti *multi = nullptr; // null once the adapter is gone
    QList<QPair<QUuid, Outcome>> outcomes;

    void post(const QUuid &id, Outcome outcome)
    {
        std::lock_guard lock(mutex);
        if (!multi)
            return;
        outcomes.append({id, std::move(outcome)});
        multi->wakeup();
    }
};

namespace {

Outcome outcomeOf(const jobs::JobResult &r)
{
    using K = jobs::JobResult::Kind;
    Outcome o;
    o.kind = r.kind == K::Succeeded ? Outcome::Kind::Delivered
             : r.kind == K::Retry   ? Outcome::Kind::Retryable
                                    : Outcome::Kind::Permanent;
    o.error = r.error;
    o.reason = r.reason;
    o.output = r.output;
    return o;
}

Outcome refused(const QString &error)
{
    Outcome o;
    o.kind = Outcome::Kind::Permanent;
    o.error = error;
    o.reason = u"exec_command"_s;
    return o;
}

} // namespace

ExecAdapter::ExecAdapter(CurlMulti &multi, jobs::JobRunner *runner)
    : m_runner(runner)
    , m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->multi = &multi;
}

ExecAdapter::~ExecAdapter()
{
    std::lock_guard lock(m_mailbox->mutex);
    m_mailbox->multi = nullptr;
}

void ExecAdapter::send(const Delivery &delivery)
{
    const auto *command = m_runner ? m_runner->commands().find(delivery.target) : nullptr;
    if (!command) {
        m_mailbox->post(delivery.id,
                        refused(u"no command '%1' is configured on this agent: add "
                                "%1.json to its exec.commands_dir, restart it, and replay"_s.arg(
                                    delivery.target)));
        return;
    }
    jobs::JobRequest request{delivery.id,         delivery.attempt, delivery.tenantId,
                             delivery.endpointId, delivery.eventId, delivery.eventType,
                             delivery.payload,    *command};
    m_runner->run(std::move(request),
                  [mailbox = m_mailbox](const QUuid &id, const jobs::JobResult &result) {
                      mailbox->post(id, outcomeOf(result));
                  });
}

void ExecAdapter::poll()
{
    QList<QPair<QUuid, Outcome>> outcomes;
    {
        std::lock_guard lock(m_mailbox->mutex);
        outcomes.swap(m_mailbox->outcomes);
    }
    for (const auto &[id, outcome] : std::as_const(outcomes))
        report(id, outcome);
    reportPendingStatus();
}

void ExecAdapter::abandon(const QUuid &deliveryId)
{
    if (m_runner)
        m_runner->abandon(deliveryId);
    std::lock_guard lock(m_mailbox->mutex);
    m_mailbox->outcomes.removeIf([&](const auto &entry) { return entry.first == deliveryId; });
}

} // namespace ferry::agent::adapters
