#pragma once

#include "agent/adapters/adapter.h"

#include <QList>

namespace ferry::agent::adapters {

// The `null` channel: every delivery counts as delivered at once and nothing is sent anywhere.
// For measuring the dispatcher alone, and for retiring a route while keeping its records.
class NullAdapter : public Adapter
{
public:
    QString channel() const override { return QStringLiteral("null"); }
    void send(const Delivery &delivery) override { m_done.append(delivery.id); }
    void poll() override
    {
        const QList<QUuid> done = std::exchange(m_done, {});
        for (const QUuid &id : done)
            report(
                id,
                Outcome{Outcome::Kind::Delivered, messageId(), {}, 0, {}, {}, false, {}, {}, {}});
        reportPendingStatus();
    }
    void abandon(const QUuid &deliveryId) override { m_done.removeOne(deliveryId); }

protected:
    // The provider message id a delivery reports; none for the null channel.
    virtual QString messageId() const { return {}; }

private:
    QList<QUuid> m_done;
};

// The `workflow` channel: a workflow's route. Its delivery reports the provider message id
// "workflow"; the transaction that records it starts (or cancels) the workflow's instances
// (schema 22, ferry_workflow_delivered), exactly once per event.
class WorkflowAdapter final : public NullAdapter
{
public:
    QString channel() const override { return QStringLiteral("workflow"); }

protected:
    QString messageId() const override { return QStringLiteral("workflow"); }
};

} // namespace ferry::agent::adapters
