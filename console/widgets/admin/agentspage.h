#pragma once

#include "console/widgets/admin/adminpage.h"

class QLabel;
class QTableView;

namespace ferry::console {

class AgentModel;
class ApiClient;
class PageMessage;

// The agents that share the database (GET /v1/agents, any token of every tenant): host, version,
// process, started, uptime, last heartbeat, alive or gone, listen addresses, the singleton jobs
// each holds, and the one this console talks to. A version that differs between live agents is
// highlighted. Reloaded every AdminWidget::kRefreshSeconds while shown.
class AgentsPage final : public AdminPage
{
    Q_OBJECT
public:
    explicit AgentsPage(ApiClient *client, QWidget *parent = nullptr);
    ~AgentsPage() override;

    void applyRole(Role role, const QString &tenantScope) override;
    void refresh() override;
    void clear() override;
    QDateTime dataTime() const override { return m_dataTime; }

    AgentModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QString message() const; // what the page says above the table ("" when nothing)

private:
    bool mayRead() const;

    ApiClient *m_client;
    AgentModel *m_model;
    QTableView *m_view;
    PageMessage *m_message;
    QLabel *m_summary;
    Role m_role = Role::Unknown;
    QString m_scope;
    quint64 m_request = 0;
    QDateTime m_dataTime;
};

} // namespace ferry::console
