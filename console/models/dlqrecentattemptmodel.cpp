#include "console/models/dlqrecentattemptmodel.h"

#include "console/core/statewords.h"
#include "console/core/uiformat.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

DlqRecentAttemptModel::DlqRecentAttemptModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int DlqRecentAttemptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DlqRecentAttemptModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DlqRecentAttemptModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Error)
        return r.error;
    if (role == Qt::ToolTipRole && index.column() == Delivery)
        return r.deliveryId;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case StartedAt:
        return localDateTimeText(r.startedAt);
    case Delivery: // ids of one moment share their start: the end tells them apart
        return u"…"_s + r.deliveryId.right(8);
    case Attempt:
        return r.attempt;
    case Outcome:
        return attemptOutcomeText(r.outcome);
    case StatusCode:
        return r.statusCode ? QVariant(r.statusCode) : QVariant(QString());
    case Error:
        return r.error;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DlqRecentAttemptModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case StartedAt:
        return tr("Started");
    case Delivery:
        return tr("Delivery");
    case Attempt:
        return tr("#");
    case Outcome:
        return tr("Outcome");
    case StatusCode:
        return tr("Status");
    case Error:
        return tr("Error");
    case ColumnCount:
        break;
    }
    return {};
}

void DlqRecentAttemptModel::setDeliveries(const QList<QJsonObject> &deliveries)
{
    QList<Row> rows;
    for (const QJsonObject &d : deliveries) {
        const QString id = d.value("id"_L1).toString();
        for (const QJsonValue &v : d.value("attempt_log"_L1).toArray()) {
            const QJsonObject a = v.toObject();
            rows.append({id, a.value("attempt"_L1).toInt(),
                         QDateTime::fromString(a.value("started_at"_L1).toString(), Qt::ISODate),
                         a.value("outcome"_L1).toString(), a.value("status_code"_L1).toInt(),
                         a.value("error"_L1).toString()});
        }
    }
    // Newest first; within a second (the API's precision), the later attempt first.
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        return a.startedAt != b.startedAt ? a.startedAt > b.startedAt : a.attempt > b.attempt;
    });
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void DlqRecentAttemptModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

} // namespace ferry::console
