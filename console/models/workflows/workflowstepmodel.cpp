#include "console/models/workflows/workflowstepmodel.h"

#include "console/core/uiformat.h"
#include "console/models/highlight.h"
#include "console/models/workflows/workflowwords.h"

using namespace Qt::StringLiterals;

namespace ferry::console {

WorkflowStepModel::WorkflowStepModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int WorkflowStepModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_steps.size());
}

int WorkflowStepModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WorkflowStepModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WorkflowStepRecord &r = m_steps.at(index.row());
    if (role == Qt::DisplayRole)
        return display(r, index.column());
    return decoration(r, index.column(), role);
}

QVariant WorkflowStepModel::display(const WorkflowStepRecord &r, int column)
{
    switch (Column(column)) {
    case Name:
        return r.name;
    case Phase:
        return workflowPhaseText(r.phase);
    case State:
        return workflowStepStateText(r.state);
    case StartedAt:
        return localDateTimeText(r.startedAt);
    case FinishedAt:
        return localDateTimeText(r.finishedAt);
    case Error:
        return r.error;
    case EventId:
        return r.eventId.isEmpty() ? u"—"_s : r.eventId;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant WorkflowStepModel::decoration(const WorkflowStepRecord &r, int column, int role)
{
    if (role == Qt::ToolTipRole && column == Name)
        return tr("Step %1 of the workflow").arg(countText(r.step + 1));
    if (role == Qt::ToolTipRole && column == Phase)
        return r.phase == "undo"_L1 ? tr("Compensated: the step's compensating event was emitted")
                                    : tr("The step ran");
    if (role == Qt::ToolTipRole && column == Error && !r.error.isEmpty())
        return r.error;
    if (role == Qt::ToolTipRole && column == EventId && !r.eventId.isEmpty())
        return tr("The event the step emitted");
    if (role == Qt::BackgroundRole && r.state == "failed"_L1)
        return severityBackground(Severity::Problem);
    if (role == Qt::BackgroundRole && r.phase == "undo"_L1)
        return severityBackground(Severity::Warning);
    return {};
}

QVariant WorkflowStepModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Name:
        return tr("Step");
    case Phase:
        return tr("Phase");
    case State:
        return tr("State");
    case StartedAt:
        return tr("Started");
    case FinishedAt:
        return tr("Finished");
    case Error:
        return tr("Error");
    case EventId:
        return tr("Event id");
    case ColumnCount:
        break;
    }
    return {};
}

void WorkflowStepModel::setSteps(const QList<WorkflowStepRecord> &steps)
{
    beginResetModel();
    m_steps = steps;
    endResetModel();
}

void WorkflowStepModel::clear()
{
    setSteps({});
}

} // namespace ferry::console
