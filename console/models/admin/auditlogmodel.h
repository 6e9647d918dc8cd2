#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

class QJsonArray;

namespace ferry::console {

// One entry of the audit log as GET /v1/audit lists it.
struct AuditEntry
{
    qint64 id = 0;
    QDateTime at;
    QString actor;
    QString tenant; // empty: a change to the installation as a whole
    QString action;
    QString subject;
    QJsonObject details;

    static AuditEntry fromJson(const QJsonObject &o);
    // The details on one line, for the table: "reason: duplicate, count: 3".
    QString detailsSummary() const;
    // The details pretty-printed (indented JSON); "" when there are none.
    QString detailsText() const;
};

// The audit log, newest first: time (this computer's clock), actor, tenant, action, subject and
// a summary of the details. Pages are appended as "Load more" brings them.
class AuditLogModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Actor, Tenant, Action, Subject, Details, ColumnCount };
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit AuditLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setEntries(const QJsonArray &items);    // the first page
    void appendEntries(const QJsonArray &items); // the next one
    void clear();
    const AuditEntry &entry(int row) const { return m_entries.at(row); }
    int rowOf(qint64 id) const; // -1 when not listed

private:
    static QVariant display(const AuditEntry &e, int column);
    static QVariant toolTip(const AuditEntry &e, int column);

    QList<AuditEntry> m_entries;
};

} // namespace ferry::console
