#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// What one step of an instance did, as the agent recorded it: "do" when it ran, "undo" when it
// was compensated.
struct WorkflowStepRecord
{
    int step = 0;  // its place in the definition, from 0
    QString phase; // do | undo
    QString name;
    QString state; // started | done | failed
    QString eventId;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString error;

    static WorkflowStepRecord fromJson(const QJsonObject &o);
};

// One workflow instance as GET /v1/tenants/{tenant}/workflow-instances lists it, with its step
// history in the agent's order (when each started).
struct WorkflowInstance
{
    qint64 id = 0;
    QString workflow;
    QString eventId; // the event that started it
    QString correlation;
    QString state;    // running | completed | compensating | compensated | failed | cancelled
    int step = 0;     // the step now (undoing: the one undone now)
    QString stepName; // "" when past the last step
    QString error;
    QDateTime createdAt;
    QDateTime updatedAt;
    QList<WorkflowStepRecord> steps;

    // `stepNames`: the definition's steps, to name the current one.
    static WorkflowInstance fromJson(const QJsonObject &o, const QStringList &stepNames);
};

// A tenant's workflow instances, newest first. Failed and compensated ones are red,
// compensating ones amber, cancelled ones grey.
class WorkflowInstanceModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Workflow, Correlation, State, Step, UpdatedAt, Error, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit WorkflowInstanceModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // `stepNames`: each workflow's step names, by workflow name.
    void setInstances(const QJsonArray &items, const QHash<QString, QStringList> &stepNames);
    void clear();
    const WorkflowInstance &instance(int row) const { return m_instances.at(row); }
    int rowOf(qint64 id) const;

private:
    static QVariant display(const WorkflowInstance &i, int column, int role);
    static QVariant decoration(const WorkflowInstance &i, int column, int role);

    QList<WorkflowInstance> m_instances;
};

} // namespace ferry::console
