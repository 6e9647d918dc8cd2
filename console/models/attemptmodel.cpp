#include "console/models/attemptmodel.h"

#include "console/core/statewords.h"
#include "console/core/uiformat.h"

#include <QDateTime>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::console {

AttemptModel::AttemptModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int AttemptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_attempts.size());
}

int AttemptModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AttemptModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject a = m_attempts.at(index.row()).toObject();
    if (role == Qt::ToolTipRole && index.column() == Error)
        return a.value("error"_L1).toString();
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Attempt:
        return a.value("attempt"_L1).toInt();
    case StartedAt:
        return localDateTimeText(
            QDateTime::fromString(a.value("started_at"_L1).toString(), Qt::ISODate));
    case Outcome:
        return attemptOutcomeText(a.value("outcome"_L1).toString());
    case StatusCode: {
        const int code = a.value("status_code"_L1).toInt();
        return code ? QVariant(code) : QVariant(QString());
    }
    case Duration:
        return tr("%1 ms").arg(countText(a.value("duration_ms"_L1).toInteger()));
    case Error:
        return a.value("error"_L1).toString();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AttemptModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Attempt:
        return tr("#");
    case StartedAt:
        return tr("Started");
    case Outcome:
        return tr("Outcome");
    case StatusCode:
        return tr("Status");
    case Duration:
        return tr("Duration");
    case Error:
        return tr("Error");
    case ColumnCount:
        break;
    }
    return {};
}

void AttemptModel::setAttempts(const QJsonArray &attempts)
{
    beginResetModel();
    m_attempts = attempts;
    endResetModel();
}

} // namespace ferry::console
