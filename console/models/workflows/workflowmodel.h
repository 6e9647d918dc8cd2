#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// One step of a workflow's definition: it emits an event and waits for its deliveries, waits,
// or publishes an event; `compensate` names the event that undoes it.
struct WorkflowStepDefinition
{
    QString name;
    QString kind;   // emit | wait | publish
    QString target; // the event type, or how long it waits ("3d")
    QString compensate;

    static WorkflowStepDefinition fromJson(const QJsonObject &o);
};

// A tenant's workflow as GET /v1/tenants/{tenant}/workflows lists it.
struct WorkflowDefinition
{
    QString name;
    QString trigger;
    QStringList cancelOn;
    QString correlate;
    QList<WorkflowStepDefinition> steps;
    qint64 routeId = 0;
    QDateTime createdAt;
    QDateTime updatedAt;

    static WorkflowDefinition fromJson(const QJsonObject &o);
    QStringList stepNames() const;
};

// A tenant's workflows, by name: what starts them, what cancels them, their steps.
class WorkflowModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Trigger, CancelledBy, Steps, Correlate, UpdatedAt, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit WorkflowModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setWorkflows(const QJsonArray &items);
    void clear();
    const WorkflowDefinition &workflow(int row) const { return m_workflows.at(row); }
    QStringList names() const;
    // Each workflow's step names, by workflow name.
    QHash<QString, QStringList> stepNames() const;

    // "emits dunning.email, undone by dunning.email.withdrawn", in the UI language.
    static QString stepText(const WorkflowStepDefinition &step);

private:
    static QVariant display(const WorkflowDefinition &w, int column, int role);
    static QString stepsToolTip(const WorkflowDefinition &w);

    QList<WorkflowDefinition> m_workflows;
};

} // namespace ferry::console
