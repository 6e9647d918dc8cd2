#pragma once

#include <QSortFilterProxyModel>

class QUrlQuery;

namespace ferry::console {

// Filters and sorts the workflow instances on screen, instantly, by workflow and state; the
// list request asks the agent for the same (urlQuery), so its limit counts matching instances
// only. The source must be a WorkflowInstanceModel.
class WorkflowInstanceFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit WorkflowInstanceFilterModel(QObject *parent = nullptr);

    void setWorkflow(const QString &workflow); // "": every workflow
    void setState(const QString &state);       // "": every state
    QString workflow() const { return m_workflow; }
    QString state() const { return m_state; }
    QUrlQuery urlQuery(int limit) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_workflow;
    QString m_state;
};

} // namespace ferry::console
