#include "console/models/workflows/workflowinstancemodel.h"

#include "console/core/uiformat.h"
#include "console/models/highlight.h"
#include "console/models/workflows/workflowwords.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

QDateTime timeOf(const QJsonObject &o, QLatin1StringView key)
{
    return QDateTime::fromString(o.value(key).toString(), Qt::ISODate);
}

// The step's name from the definition, or from the history when the definition changed since.
QString nameOf(int step, const QStringList &definition, const QList<WorkflowStepRecord> &history)
{
    if (step >= 0 && step < definition.size())
        return definition.at(step);
    for (auto it = history.crbegin(); it != history.crend(); ++it) {
        if (it->step == step)
            return it->name;
    }
    return {};
}

} // namespace

WorkflowStepRecord WorkflowStepRecord::fromJson(const QJsonObject &o)
{
    WorkflowStepRecord r;
    r.step = o.value("step"_L1).toInt();
    r.phase = o.value("phase"_L1).toString();
    r.name = o.value("name"_L1).toString();
    r.state = o.value("state"_L1).toString();
    r.eventId = o.value("event_id"_L1).toString();
    r.startedAt = timeOf(o, "started_at"_L1);
    r.finishedAt = timeOf(o, "finished_at"_L1);
    r.error = o.value("error"_L1).toString();
    return r;
}

WorkflowInstance WorkflowInstance::fromJson(const QJsonObject &o, const QStringList &stepNames)
{
    WorkflowInstance i;
    i.id = o.value("id"_L1).toInteger();
    i.workflow = o.value("workflow"_L1).toString();
    i.eventId = o.value("event_id"_L1).toString();
    i.correlation = o.value("correlation"_L1).toString();
    i.state = o.value("state"_L1).toString();
    i.step = o.value("step"_L1).toInt();
    i.error = o.value("error"_L1).toString();
    i.createdAt = timeOf(o, "created_at"_L1);
    i.updatedAt = timeOf(o, "updated_at"_L1);
    for (const QJsonValue &v : o.value("steps"_L1).toArray())
        i.steps.append(WorkflowStepRecord::fromJson(v.toObject()));
    i.stepName = nameOf(i.step, stepNames, i.steps);
    return i;
}

WorkflowInstanceModel::WorkflowInstanceModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int WorkflowInstanceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_instances.size());
}

int WorkflowInstanceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WorkflowInstanceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WorkflowInstance &i = m_instances.at(index.row());
    if (role == Qt::DisplayRole || role == SortRole)
        return display(i, index.column(), role);
    return decoration(i, index.column(), role);
}

QVariant WorkflowInstanceModel::display(const WorkflowInstance &i, int column, int role)
{
    const bool sort = role == SortRole;
    switch (Column(column)) {
    case Id:
        return sort ? QVariant(i.id) : QString::number(i.id); // an id: no digit grouping
    case Workflow:
        return i.workflow;
    case Correlation:
        return i.correlation.isEmpty() && !sort ? u"—"_s : i.correlation;
    case State:
        return sort ? i.state : workflowInstanceStateText(i.state);
    case Step:
        if (sort)
            return i.step;
        return i.stepName.isEmpty() ? u"—"_s : i.stepName;
    case UpdatedAt:
        return sort ? QVariant(i.updatedAt) : localDateTimeText(i.updatedAt);
    case Error:
        return i.error;
    case ColumnCount:
        break;
    }
    return {};
}

// Alignment, tooltips and the row's highlight: red for failed and compensated, amber while
// compensating, grey text for cancelled.
QVariant WorkflowInstanceModel::decoration(const WorkflowInstance &i, int column, int role)
{
    if (role == Qt::TextAlignmentRole && column == Id)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == Error && !i.error.isEmpty())
        return i.error;
    if (role == Qt::ToolTipRole)
        return tr("Started %1 by event %2").arg(localDateTimeText(i.createdAt), i.eventId);
    if (role == Qt::BackgroundRole && (i.state == "failed"_L1 || i.state == "compensated"_L1))
        return severityBackground(Severity::Problem);
    if (role == Qt::BackgroundRole && i.state == "compensating"_L1)
        return severityBackground(Severity::Warning);
    if (role == Qt::ForegroundRole && i.state == "cancelled"_L1)
        return QGuiApplication::palette().color(QPalette::PlaceholderText);
    return {};
}

QVariant WorkflowInstanceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Id:
        return tr("Instance");
    case Workflow:
        return tr("Workflow");
    case Correlation:
        return tr("Correlation key");
    case State:
        return tr("State");
    case Step:
        return tr("Current step");
    case UpdatedAt:
        return tr("Updated");
    case Error:
        return tr("Error");
    case ColumnCount:
        break;
    }
    return {};
}

void WorkflowInstanceModel::setInstances(const QJsonArray &items,
                                         const QHash<QString, QStringList> &stepNames)
{
    beginResetModel();
    m_instances.clear();
    m_instances.reserve(items.size());
    for (const auto &v : items) {
        const QJsonObject o = v.toObject();
        m_instances.append(
            WorkflowInstance::fromJson(o, stepNames.value(o.value("workflow"_L1).toString())));
    }
    endResetModel();
}

void WorkflowInstanceModel::clear()
{
    setInstances({}, {});
}

int WorkflowInstanceModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_instances.size(); ++i) {
        if (m_instances.at(i).id == id)
            return i;
    }
    return -1;
}

} // namespace ferry::console
