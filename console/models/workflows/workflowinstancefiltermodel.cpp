#include "console/models/workflows/workflowinstancefiltermodel.h"

#include "console/models/workflows/workflowinstancemodel.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::console {

WorkflowInstanceFilterModel::WorkflowInstanceFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(WorkflowInstanceModel::SortRole);
}

void WorkflowInstanceFilterModel::setWorkflow(const QString &workflow)
{
    if (workflow == m_workflow)
        return;
    m_workflow = workflow;
    invalidateFilter();
}

void WorkflowInstanceFilterModel::setState(const QString &state)
{
    if (state == m_state)
        return;
    m_state = state;
    invalidateFilter();
}

QUrlQuery WorkflowInstanceFilterModel::urlQuery(int limit) const
{
    QUrlQuery query;
    if (!m_workflow.isEmpty())
        query.addQueryItem(u"workflow"_s, m_workflow);
    if (!m_state.isEmpty())
        query.addQueryItem(u"state"_s, m_state);
    query.addQueryItem(u"limit"_s, QString::number(limit));
    return query;
}

bool WorkflowInstanceFilterModel::filterAcceptsRow(int sourceRow,
                                                   const QModelIndex &sourceParent) const
{
    const auto *source = qobject_cast<const WorkflowInstanceModel *>(sourceModel());
    if (!source || sourceParent.isValid())
        return true;
    const WorkflowInstance &i = source->instance(sourceRow);
    return (m_workflow.isEmpty() || i.workflow == m_workflow) &&
           (m_state.isEmpty() || i.state == m_state);
}

} // namespace ferry::console
