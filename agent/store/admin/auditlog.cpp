#include "agent/store/admin/auditlog.h"

#include <QJsonDocument>

namespace ferry::agent::store {

namespace {

// NULL (a null QByteArray) for an empty text: the log stores "none" as NULL, never as ''.
QByteArray textOrNull(const QString &text)
{
    return text.isEmpty() ? QByteArray() : text.toUtf8();
}

QByteArray detailsOrNull(const QJsonObject &details)
{
    return details.isEmpty() ? QByteArray() : QJsonDocument(details).toJson(QJsonDocument::Compact);
}

} // namespace

Result<void> writeAudit(PgConnection &db, const AuditEntry &entry)
{
    return writeAudit(db, QList<AuditEntry>{entry});
}

Result<void> writeAudit(PgConnection &db, const QList<AuditEntry> &entries)
{
    if (entries.isEmpty())
        return {};
    QList<QByteArray> actors;
    QList<QByteArray> actions;
    QList<QByteArray> subjects;
    QList<QByteArray> tenants;
    QList<QByteArray> details;
    for (const AuditEntry &e : entries) {
        actors.append(e.actor.toUtf8());
        actions.append(e.action.toUtf8());
        subjects.append(textOrNull(e.subject));
        tenants.append(textOrNull(e.tenant));
        details.append(detailsOrNull(e.details));
    }
    // One statement for any number of rows; unnest keeps them in the order given.
    auto r = db.exec("INSERT INTO audit_log (actor, action, subject, tenant, details) "
                     "SELECT a, b, s, t, d::jsonb FROM unnest($1::text[], $2::text[], $3::text[], "
                     "  $4::text[], $5::text[]) AS x (a, b, s, t, d)",
                     {pgTextArray(actors), pgTextArray(actions), pgTextArray(subjects),
                      pgTextArray(tenants), pgTextArray(details)});
    if (!r)
        return r.error();
    return {};
}

namespace {

QByteArray timeOrNull(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toUtf8() : QByteArray();
}

// A LIKE pattern that finds `text` anywhere, its own % _ and \ taken literally.
QByteArray containsPattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'%', QStringLiteral("\\%"))
        .replace(u'_', QStringLiteral("\\_"));
    return (u'%' + escaped + u'%').toUtf8();
}

} // namespace

Result<QList<AuditRow>> readAudit(PgConnection &db, const AuditFilter &f)
{
    auto r = db.exec(
        "SELECT id, at, actor, coalesce(tenant, ''), action, coalesce(subject, ''), "
        "  coalesce(details::text, '{}') FROM audit_log "
        "WHERE ($2::bigint IS NULL OR id < $2) AND ($3::text IS NULL OR actor ILIKE $3) "
        "  AND ($4::text IS NULL OR tenant = $4) AND ($5::text IS NULL OR action = $5) "
        "  AND ($6::text IS NULL OR starts_with(action, $6)) "
        "  AND ($7::timestamptz IS NULL OR at >= $7) AND ($8::timestamptz IS NULL OR at < $8) "
        "ORDER BY id DESC LIMIT $1",
        {QByteArray::number(f.limit), f.before > 0 ? QByteArray::number(f.before) : QByteArray(),
         f.actor.isEmpty() ? QByteArray() : containsPattern(f.actor), textOrNull(f.tenant),
         f.actionPrefix ? QByteArray() : textOrNull(f.action),
         f.actionPrefix ? textOrNull(f.action) : QByteArray(), timeOrNull(f.since),
         timeOrNull(f.until)});
    if (!r)
        return r.error();
    QList<AuditRow> rows;
    for (int i = 0; i < r->rows(); ++i)
        rows.append({r->int64(i, 0), r->timestamp(i, 1),
                     AuditEntry{r->text(i, 2), r->text(i, 4), r->text(i, 5), r->text(i, 3),
                                QJsonDocument::fromJson(r->bytes(i, 6)).object()}});
    return rows;
}

} // namespace ferry::agent::store
