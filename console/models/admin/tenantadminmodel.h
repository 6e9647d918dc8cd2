#pragma once

#include "console/models/admin/admintablemodel.h"

namespace ferry::console {

// The tenants as GET /v1/tenants lists them: display name and name, enabled or disabled, quotas,
// SLA target and latency, events today. Disabled tenants are grey.
class TenantAdminModel final : public AdminTableModel
{
    Q_OBJECT
public:
    enum Column {
        DisplayName,
        Name,
        State,
        EventsPerSecond,
        EventsPerDay,
        MaxPayload,
        SlaTarget,
        SlaLatency,
        EventsToday,
        ColumnCount
    };
    using AdminTableModel::AdminTableModel;

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &item, int column, int role) const override;

private:
    static QVariant value(const QJsonObject &item, int column);
};

} // namespace ferry::console
