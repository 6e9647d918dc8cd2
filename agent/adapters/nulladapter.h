#pragma once

#include "agent/adapters/adapter.h"

#include <QList>

namespace ferry::agent::adapters {

// The `null` channel: every delivery counts as delivered at once and nothing is sent anywhere.
// For measuring the dispatcher alone, and for retiring a route while keeping its records.
class NullAdapter final : public Adapter
{
public:
    QString channel() const override { return QStringLiteral("null"); }
    void send(const Delivery &delivery) override { m_done.append(delivery.id); }
    void poll() override
    {
        const QList<QUuid> done = std::exchange(m_done, {});
        for (const QUuid &id : done)
            report(id, Outcome{Outcome::Kind::Delivered, {}, {}, 0, {}, {}, false, {}, {}});
        reportPendingStatus();
    }
    void abandon(const QUuid &deliveryId) override { m_done.removeOne(deliveryId); }

private:
    QList<QUuid> m_done;
};

} // namespace ferry::agent::adapters
