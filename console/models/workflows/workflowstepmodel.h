#pragma once

#include "console/models/workflows/workflowinstancemodel.h"

#include <QAbstractTableModel>
#include <QList>

namespace ferry::console {

// The step history of one workflow instance, in the order the steps started: the steps it ran,
// then (after a step failed for good) the ones it undid, last first. Failed steps are red,
// undone ones amber.
class WorkflowStepModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Phase, State, StartedAt, FinishedAt, Error, EventId, ColumnCount };

    explicit WorkflowStepModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setSteps(const QList<WorkflowStepRecord> &steps);
    void clear();
    const WorkflowStepRecord &record(int row) const { return m_steps.at(row); }

private:
    static QVariant display(const WorkflowStepRecord &r, int column);
    static QVariant decoration(const WorkflowStepRecord &r, int column, int role);

    QList<WorkflowStepRecord> m_steps;
};

} // namespace ferry::console
