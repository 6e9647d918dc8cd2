#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace ferry::agent::store {

// One row of the audit log: who did what to which object, for which tenant.
struct AuditEntry
{
    QString actor;       // how the caller is named ("api:token/7", "cli:ana")
    QString action;      // "route.update", "tenant.create", …
    QString subject;     // the object ("shop/route/12")
    QString tenant;      // the tenant the change concerns; empty: the installation as a whole
    QJsonObject details; // before/after and the like; empty: none (never a secret)
};

// One row as read back.
struct AuditRow
{
    qint64 id = 0;
    QDateTime at;
    AuditEntry entry;
};

// Which rows to read, newest first. Empty strings and invalid times filter nothing.
struct AuditFilter
{
    QString actor;  // a case-insensitive part of the actor ("token/7" finds "api:token/7")
    QString tenant; // exactly this tenant
    QString action; // exactly this action…
    bool actionPrefix = false; // …or, when set, every action starting with it ("route.")
    QDateTime since;           // at or after
    QDateTime until;           // before
    qint64 before = 0;         // rows with a smaller id than this (paging); 0: from the newest
    int limit = 100;
};

Result<QList<AuditRow>> readAudit(PgConnection &db, const AuditFilter &filter);

// The one way to write the audit log: inside the caller's transaction, so that the row and the
// change it records commit together.
Result<void> writeAudit(PgConnection &db, const AuditEntry &entry);
// Many rows in one statement (a bulk DLQ replay writes one per delivery), in the order given.
Result<void> writeAudit(PgConnection &db, const QList<AuditEntry> &entries);

} // namespace ferry::agent::store
