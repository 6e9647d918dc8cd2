#include "console/widgets/admin/agentspage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/agentmodel.h"
#include "console/widgets/admin/pagemessage.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QTableView>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

AgentsPage::AgentsPage(ApiClient *client, QWidget *parent)
    : AdminPage(parent)
    , m_client(client)
    , m_model(new AgentModel(this))
    , m_view(new QTableView(this))
    , m_message(new PageMessage(this))
    , m_summary(new QLabel(this))
{
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Agents on this database"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_summary->setWordWrap(true);
    auto *hint = new QLabel(tr("Every agent connected to this database, longest running first. "
                               "A singleton job runs on one agent at a time; an agent is gone "
                               "once it missed three heartbeats."),
                            this);
    hint->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
}

AgentsPage::~AgentsPage() = default;

bool AgentsPage::mayRead() const
{
    return m_role != Role::Unknown && m_scope.isEmpty();
}

QString AgentsPage::message() const
{
    return m_message->shown();
}

void AgentsPage::applyRole(Role role, const QString &tenantScope)
{
    m_role = role;
    m_scope = tenantScope;
    if (!tenantScope.isEmpty()) {
        ++m_request;
        m_model->clear();
        m_summary->clear();
        m_message->say(tr("The agents are shown to tokens of every tenant; this token is tenant "
                          "%1's. Connect with a token of every tenant (any role).")
                           .arg(tenantScope),
                       false);
    } else {
        m_message->say(QString(), false);
    }
    m_view->setEnabled(mayRead());
}

void AgentsPage::refresh()
{
    if (!mayRead())
        return;
    const quint64 request = ++m_request;
    m_client->get(u"/v1/agents"_s, {}, this, [this, request](const ApiResponse &r) {
        if (request != m_request)
            return; // cleared, or asked again meanwhile
        if (!r.ok()) {
            m_message->say(tr("Could not load the agents. %1").arg(r.message()), true);
            return;
        }
        m_model->setAgents(r.object.value("items"_L1).toArray());
        m_dataTime = QDateTime::currentDateTimeUtc();
        int alive = 0;
        for (int row = 0; row < m_model->rowCount(); ++row)
            alive += m_model->agent(row).alive ? 1 : 0;
        m_summary->setText(
            m_model->versionsDiffer()
                ? tr("%n agent(s) alive, on different versions (highlighted).", "", alive)
                : tr("%n agent(s) alive, all on the same version.", "", alive));
        m_message->say(QString(), false);
        m_view->resizeColumnsToContents();
    });
}

void AgentsPage::clear()
{
    ++m_request;
    m_model->clear();
    m_summary->clear();
    m_dataTime = {};
}

} // namespace ferry::console
