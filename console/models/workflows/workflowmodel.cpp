#include "console/models/workflows/workflowmodel.h"

#include "console/core/uiformat.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::console {

WorkflowStepDefinition WorkflowStepDefinition::fromJson(const QJsonObject &o)
{
    WorkflowStepDefinition s;
    s.name = o.value("name"_L1).toString();
    for (const QString &kind : {u"emit"_s, u"wait"_s, u"publish"_s}) {
        if (o.contains(kind)) {
            s.kind = kind;
            s.target = o.value(kind).toString();
            break;
        }
    }
    s.compensate = o.value("compensate"_L1).toString();
    return s;
}

WorkflowDefinition WorkflowDefinition::fromJson(const QJsonObject &o)
{
    WorkflowDefinition w;
    w.name = o.value("name"_L1).toString();
    w.trigger = o.value("trigger"_L1).toString();
    for (const QJsonValue &v : o.value("cancel_on"_L1).toArray())
        w.cancelOn.append(v.toString());
    w.correlate = o.value("correlate"_L1).toString();
    for (const QJsonValue &v : o.value("steps"_L1).toArray())
        w.steps.append(WorkflowStepDefinition::fromJson(v.toObject()));
    w.routeId = qint64(o.value("route_id"_L1).toDouble());
    w.createdAt = QDateTime::fromString(o.value("created_at"_L1).toString(), Qt::ISODate);
    w.updatedAt = QDateTime::fromString(o.value("updated_at"_L1).toString(), Qt::ISODate);
    return w;
}

QStringList WorkflowDefinition::stepNames() const
{
    QStringList names;
    for (const WorkflowStepDefinition &s : steps)
        names.append(s.name);
    return names;
}

WorkflowModel::WorkflowModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int WorkflowModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_workflows.size());
}

int WorkflowModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WorkflowModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WorkflowDefinition &w = m_workflows.at(index.row());
    if (role == Qt::DisplayRole || role == SortRole)
        return display(w, index.column(), role);
    if (role == Qt::TextAlignmentRole && index.column() == Steps)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Steps)
        return stepsToolTip(w);
    if (role == Qt::ToolTipRole && index.column() == CancelledBy && !w.cancelOn.isEmpty())
        return tr("A running instance stops before its next step when an event of one of these "
                  "types arrives with its correlation key.");
    if (role == Qt::ToolTipRole && index.column() == UpdatedAt)
        return tr("Created %1, route %2")
            .arg(localDateTimeText(w.createdAt), QString::number(w.routeId));
    return {};
}

QVariant WorkflowModel::display(const WorkflowDefinition &w, int column, int role)
{
    const bool sort = role == SortRole;
    switch (Column(column)) {
    case Name:
        return w.name;
    case Trigger:
        return w.trigger;
    case CancelledBy:
        return w.cancelOn.isEmpty() ? u"—"_s : w.cancelOn.join(u", "_s);
    case Steps:
        return sort ? QVariant(int(w.steps.size())) : countText(int(w.steps.size()));
    case Correlate:
        return w.correlate;
    case UpdatedAt:
        return sort ? QVariant(w.updatedAt) : localDateTimeText(w.updatedAt);
    case ColumnCount:
        break;
    }
    return {};
}

QString WorkflowModel::stepText(const WorkflowStepDefinition &step)
{
    QString text;
    if (step.kind == "emit"_L1)
        text = tr("emits %1 and waits for its deliveries").arg(step.target);
    else if (step.kind == "wait"_L1)
        text = tr("waits %1").arg(step.target);
    else if (step.kind == "publish"_L1)
        text = tr("publishes %1").arg(step.target);
    if (!step.compensate.isEmpty())
        text += tr(", undone by %1").arg(step.compensate);
    return text;
}

// One line per step: "2. grace: waits 3d".
QString WorkflowModel::stepsToolTip(const WorkflowDefinition &w)
{
    QStringList lines;
    for (int i = 0; i < w.steps.size(); ++i) {
        const WorkflowStepDefinition &s = w.steps.at(i);
        lines.append(tr("%1. %2: %3").arg(countText(i + 1), s.name, stepText(s)));
    }
    return lines.join(u'\n');
}

QVariant WorkflowModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Name:
        return tr("Workflow");
    case Trigger:
        return tr("Trigger");
    case CancelledBy:
        return tr("Cancelled by");
    case Steps:
        return tr("Steps");
    case Correlate:
        return tr("Correlation key");
    case UpdatedAt:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

void WorkflowModel::setWorkflows(const QJsonArray &items)
{
    beginResetModel();
    m_workflows.clear();
    m_workflows.reserve(items.size());
    for (const auto &v : items)
        m_workflows.append(WorkflowDefinition::fromJson(v.toObject()));
    endResetModel();
}

void WorkflowModel::clear()
{
    setWorkflows({});
}

QStringList WorkflowModel::names() const
{
    QStringList names;
    for (const WorkflowDefinition &w : m_workflows)
        names.append(w.name);
    return names;
}

QHash<QString, QStringList> WorkflowModel::stepNames() const
{
    QHash<QString, QStringList> names;
    for (const WorkflowDefinition &w : m_workflows)
        names.insert(w.name, w.stepNames());
    return names;
}

} // namespace ferry::console
