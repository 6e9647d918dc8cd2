#pragma once

#include "console/widgets/admin/checkeddialog.h"

#include <QJsonObject>

class QLineEdit;

namespace ferry::console {

// A tenant's quotas and SLA targets, for PATCH /v1/tenants/{tenant}: events per second and per
// day and the largest event (empty or 0: no limit), the share of deliveries that must succeed
// and within how long. OK checks the fields first and says what is wrong.
class QuotaDialog final : public CheckedDialog
{
    Q_OBJECT
public:
    enum Field { EventsPerSecond, EventsPerDay, MaxPayload, SlaTarget, SlaLatency, FieldCount };

    // `tenant`: the tenant as GET /v1/tenants lists it.
    explicit QuotaDialog(const QJsonObject &tenant, QWidget *parent = nullptr);

    QLineEdit *field(Field f) const { return m_fields[f]; }
    QString problem() const override;
    // The PATCH body of valid fields.
    QJsonObject body() const;

private:
    QLineEdit *m_fields[FieldCount] = {};
};

} // namespace ferry::console
