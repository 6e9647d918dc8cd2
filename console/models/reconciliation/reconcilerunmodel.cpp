#include "console/models/reconciliation/reconcilerunmodel.h"

#include "console/core/uiformat.h"
#include "console/models/highlight.h"
#include "console/models/reconciliation/receiptstatus.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

QDateTime timeOf(const QJsonObject &o, QLatin1StringView key)
{
    return QDateTime::fromString(o.value(key).toString(), Qt::ISODate);
}

} // namespace

ReconcileRun ReconcileRun::fromJson(const QJsonObject &o)
{
    ReconcileRun r;
    r.id = o.value("id"_L1).toInteger();
    r.trigger = o.value("trigger"_L1).toString();
    r.requestedBy = o.value("requested_by"_L1).toString();
    r.state = o.value("state"_L1).toString();
    r.requestedAt = timeOf(o, "requested_at"_L1);
    r.startedAt = timeOf(o, "started_at"_L1);
    r.finishedAt = timeOf(o, "finished_at"_L1);
    r.checked = o.value("checked"_L1).toInt();
    r.drifts = o.value("drifts"_L1).toInt();
    r.failures = o.value("failures"_L1).toInt();
    r.error = o.value("error"_L1).toString();
    return r;
}

ReconcileRunModel::ReconcileRunModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ReconcileRunModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int ReconcileRunModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReconcileRunModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReconcileRun &r = m_runs.at(index.row());
    if (role == Qt::DisplayRole || role == SortRole)
        return display(r, index.column(), role);
    return decoration(r, index.column(), role);
}

QVariant ReconcileRunModel::display(const ReconcileRun &r, int column, int role)
{
    const bool sort = role == SortRole;
    switch (Column(column)) {
    case Id:
        return sort ? QVariant(r.id) : QString::number(r.id); // an id: no digit grouping
    case State:
        return sort ? r.state : runStateText(r.state);
    case Trigger:
        return sort ? r.trigger : runTriggerText(r.trigger);
    case RequestedAt:
        return sort ? QVariant(r.requestedAt) : localDateTimeText(r.requestedAt);
    case FinishedAt:
        return sort ? QVariant(r.finishedAt) : localDateTimeText(r.finishedAt);
    case Checked:
        return sort ? QVariant(r.checked) : countText(r.checked);
    case Drifts:
        return sort ? QVariant(r.drifts) : countText(r.drifts);
    case Failures:
        return sort ? QVariant(r.failures) : countText(r.failures);
    case Error:
        return r.error;
    case RequestedBy:
        return r.requestedBy;
    case ColumnCount:
        break;
    }
    return {};
}

// Alignment, tooltips (the times of the run, the whole error) and the row's highlight.
QVariant ReconcileRunModel::decoration(const ReconcileRun &r, int column, int role)
{
    if (role == Qt::TextAlignmentRole &&
        (column == Id || column == Checked || column == Drifts || column == Failures))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == Error && !r.error.isEmpty())
        return r.error;
    if (role == Qt::ToolTipRole)
        return tr("Requested %1 by %2, started %3, finished %4")
            .arg(localDateTimeText(r.requestedAt), r.requestedBy, localDateTimeText(r.startedAt),
                 localDateTimeText(r.finishedAt));
    if (role == Qt::BackgroundRole && (r.failures > 0 || !r.error.isEmpty()))
        return severityBackground(Severity::Problem);
    if (role == Qt::BackgroundRole && r.drifts > 0)
        return severityBackground(Severity::Warning);
    return {};
}

QVariant ReconcileRunModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Id:
        return tr("Run");
    case State:
        return tr("State");
    case Trigger:
        return tr("Trigger");
    case RequestedAt:
        return tr("Requested");
    case FinishedAt:
        return tr("Finished");
    case Checked:
        return tr("Checked");
    case Drifts:
        return tr("Drifts");
    case Failures:
        return tr("Failures");
    case Error:
        return tr("Error");
    case RequestedBy:
        return tr("Requested by");
    case ColumnCount:
        break;
    }
    return {};
}

void ReconcileRunModel::setRuns(const QJsonArray &runs)
{
    beginResetModel();
    m_runs.clear();
    m_runs.reserve(runs.size());
    for (const auto &v : runs)
        m_runs.append(ReconcileRun::fromJson(v.toObject()));
    endResetModel();
}

void ReconcileRunModel::clear()
{
    setRuns({});
}

int ReconcileRunModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_runs.size(); ++i) {
        if (m_runs.at(i).id == id)
            return i;
    }
    return -1;
}

} // namespace ferry::console
