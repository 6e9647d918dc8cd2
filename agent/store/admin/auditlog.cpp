#include "agent/store/admin/auditlog.h"

#include <QJsonDocument>

namespace ferry::agent::store {

Result<void> writeAudit(PgConnection &db, const AuditEntry &entry)
{
    const QByteArray details = entry.details.isEmpty()
                                   ? QByteArray()
                                   : QJsonDocument(entry.details).toJson(QJsonDocument::Compact);
    auto r = db.exec("INSERT INTO audit_log (actor, action, subject, tenant, details) "
                     "VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, ''), NULLIF($5, '')::jsonb)",
                     {entry.actor.toUtf8(), entry.action.toUtf8(), entry.subject.toUtf8(),
                      entry.tenant.toUtf8(), details});
    if (!r)
        return r.error();
    return {};
}

} // namespace ferry::agent::store
