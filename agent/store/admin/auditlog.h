#pragma once

#include "agent/store/pgconnection.h"

#include <QJsonObject>
#include <QString>

namespace ferry::agent::store {

// One row of the audit log: who did what to which object, for which tenant.
struct AuditEntry
{
    QString actor;       // how the caller is named ("token 7 (admin)", "cli")
    QString action;      // "route.update", "tenant.create", …
    QString subject;     // the object ("shop/route/12")
    QString tenant;      // the tenant the change concerns; empty: the installation as a whole
    QJsonObject details; // before/after and the like; empty: none (never a secret)
};

// The one way to write the audit log: inside the caller's transaction, so that the row and the
// change it records commit together.
Result<void> writeAudit(PgConnection &db, const AuditEntry &entry);

} // namespace ferry::agent::store
