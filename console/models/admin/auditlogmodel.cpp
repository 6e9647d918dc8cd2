#include "console/models/admin/auditlogmodel.h"

#include "console/core/uiformat.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The longest details summary a cell shows; the pane below has all of it.
constexpr qsizetype kSummaryLength = 120;

QString valueSummary(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isObject())
        return u"{…}"_s;
    if (v.isArray())
        return u"[…]"_s;
    if (v.isNull() || v.isUndefined())
        return u"null"_s;
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

} // namespace

AuditEntry AuditEntry::fromJson(const QJsonObject &o)
{
    AuditEntry e;
    e.id = o.value("id"_L1).toInteger();
    e.at = QDateTime::fromString(o.value("at"_L1).toString(), Qt::ISODateWithMs);
    e.actor = o.value("actor"_L1).toString();
    e.tenant = o.value("tenant"_L1).toString();
    e.action = o.value("action"_L1).toString();
    e.subject = o.value("subject"_L1).toString();
    e.details = o.value("details"_L1).toObject();
    return e;
}

QString AuditEntry::detailsSummary() const
{
    QStringList parts;
    for (auto it = details.constBegin(); it != details.constEnd(); ++it)
        parts.append(it.key() + u": "_s + valueSummary(it.value()));
    const QString text = parts.join(u", "_s);
    return text.size() > kSummaryLength ? text.left(kSummaryLength - 1) + u'…' : text;
}

QString AuditEntry::detailsText() const
{
    return details.isEmpty()
               ? QString()
               : QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Indented))
                     .trimmed();
}

AuditLogModel::AuditLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int AuditLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLogModel::display(const AuditEntry &e, int column)
{
    switch (column) {
    case Time:
        return localDateTimeText(e.at);
    case Actor:
        return e.actor;
    case Tenant:
        return e.tenant.isEmpty() ? u"—"_s : e.tenant;
    case Action:
        return e.action;
    case Subject:
        return e.subject;
    case Details:
        return e.detailsSummary();
    default:
        return {};
    }
}

QVariant AuditLogModel::toolTip(const AuditEntry &e, int column)
{
    if (column == Time)
        return e.at.toUTC().toString(Qt::ISODateWithMs); // to the millisecond, in UTC
    if (column == Tenant && e.tenant.isEmpty())
        return tr("A change to the installation as a whole, not to one tenant");
    return {};
}

QVariant AuditLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const AuditEntry &e = m_entries.at(index.row());
    if (role == Qt::DisplayRole)
        return display(e, index.column());
    if (role == Qt::ToolTipRole)
        return toolTip(e, index.column());
    if (role == IdRole)
        return e.id;
    return {};
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Actor:
        return tr("Actor");
    case Tenant:
        return tr("Tenant");
    case Action:
        return tr("Action");
    case Subject:
        return tr("Subject");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

void AuditLogModel::setEntries(const QJsonArray &items)
{
    beginResetModel();
    m_entries.clear();
    for (const QJsonValue &v : items)
        m_entries.append(AuditEntry::fromJson(v.toObject()));
    endResetModel();
}

void AuditLogModel::appendEntries(const QJsonArray &items)
{
    if (items.isEmpty())
        return;
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(items.size()) - 1);
    for (const QJsonValue &v : items)
        m_entries.append(AuditEntry::fromJson(v.toObject()));
    endInsertRows();
}

void AuditLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int AuditLogModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).id == id)
            return row;
    }
    return -1;
}

} // namespace ferry::console
