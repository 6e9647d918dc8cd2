#include "console/widgets/admin/tokenadminpage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/apitokenmodel.h"
#include "console/widgets/admin/adminui.h"
#include "console/widgets/admin/secretdialog.h"
#include "console/widgets/admin/tokendialog.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

TokenAdminPage::TokenAdminPage(ApiClient *client, QWidget *parent)
    : AdminPage(parent)
    , m_client(client)
    , m_model(new ApiTokenModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_feedback(new FeedbackLabel(this))
    , m_refresh(new QAction(tr("&Refresh"), this))
    , m_new(new QAction(tr("&New token…"), this))
    , m_revoke(new QAction(tr("Re&voke…"), this))
{
    setUpAdminTable(m_view, m_proxy, m_model);
    m_view->setAccessibleName(tr("API tokens"));
    m_refresh->setToolTip(tr("Load the tokens again (F5)"));
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("API token actions"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addActions({m_refresh, m_new, m_revoke});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(m_feedback);
    layout->addWidget(m_view, 1);
    connect(m_refresh, &QAction::triggered, this, &TokenAdminPage::refresh);
    connect(m_new, &QAction::triggered, this, &TokenAdminPage::openNew);
    connect(m_revoke, &QAction::triggered, this, &TokenAdminPage::askRevoke);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TokenAdminPage::updateActions);
    updateActions();
}

TokenAdminPage::~TokenAdminPage() = default;

SecretDialog *TokenAdminPage::secretDialog() const
{
    return m_secret;
}

void TokenAdminPage::applyRole(Role role, const QString &tenantScope)
{
    m_role = role;
    m_scope = tenantScope;
    updateActions();
}

void TokenAdminPage::updateActions()
{
    const QString refusal = adminRefusal(m_role, {}, false);
    const int row = selectedAdminRow(m_view, m_proxy);
    const QJsonObject token = row < 0 ? QJsonObject() : m_model->item(row);
    const qint64 id = token.value("id"_L1).toInteger();
    gateAction(m_new, refusal.isEmpty(), tr("Create an API token; its secret is shown once"),
               refusal);
    QString why = refusal;
    if (why.isEmpty() && row < 0)
        why = tr("Select a token first.");
    else if (why.isEmpty() && token.value("revoked"_L1).toBool())
        why = tr("Token %1 is revoked already.").arg(id);
    else if (why.isEmpty() && id == m_ownId)
        why = tr("This is the token the console is connected with; revoke it with another admin "
                 "token, or with 'ferry-agent token revoke %1'.")
                  .arg(id);
    gateAction(
        m_revoke, why.isEmpty(),
        tr("Revoke token %1: every request with it is refused from then on (asks first)").arg(id),
        why);
}

// Who the console is (its own token must not be revoked from here), the tenants for New
// token…, then the tokens.
void TokenAdminPage::refresh()
{
    const quint64 request = ++m_request;
    m_client->get(u"/v1/whoami"_s, {}, this, [this, request](const ApiResponse &r) {
        if (request != m_request)
            return;
        m_ownId = r.object.value("token_id"_L1).toInteger();
        m_client->get(u"/v1/tenants"_s, {}, this, [this, request](const ApiResponse &t) {
            if (request != m_request)
                return;
            m_tenants.clear();
            for (const QJsonValue &v : t.object.value("items"_L1).toArray())
                m_tenants.append(v.toObject().value("name"_L1).toString());
            loadTokens();
        });
    });
}

void TokenAdminPage::loadTokens()
{
    const quint64 request = m_request;
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, u"1000"_s);
    m_client->get(u"/v1/tokens"_s, query, this, [this, request](const ApiResponse &r) {
        if (request != m_request)
            return;
        m_dataTime = QDateTime::currentDateTimeUtc();
        if (r.status == 403)
            m_feedback->showText(
                tr("API tokens are for admin tokens only: %1").arg(adminRefusal(m_role, {}, false)),
                false);
        else if (!r.ok())
            m_feedback->showText(tr("The tokens could not be loaded: %1").arg(r.message()), true);
        if (!r.ok())
            return;
        const int row = selectedAdminRow(m_view, m_proxy);
        const QJsonValue selected = row < 0 ? QJsonValue() : m_model->item(row).value("id"_L1);
        m_model->setItems(r.object.value("items"_L1).toArray());
        if (m_feedback->isError())
            m_feedback->showText({}, false);
        if (!selected.isNull())
            selectAdminRow(m_view, m_proxy, m_model->rowOf("id"_L1, selected));
        updateActions();
        Q_EMIT updated();
    });
}

void TokenAdminPage::clear()
{
    ++m_request;
    m_model->clear();
    m_feedback->showText({}, false);
    m_ownId = 0;
    m_dataTime = {};
    updateActions();
}

QString TokenAdminPage::feedback() const
{
    return m_feedback->shownText();
}

void TokenAdminPage::selectToken(qint64 id)
{
    selectAdminRow(m_view, m_proxy, m_model->rowOf("id"_L1, QJsonValue(double(id))));
}

TokenDialog *TokenAdminPage::openNew()
{
    auto *dialog = new TokenDialog(m_tenants, m_role, m_scope, this);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { create(dialog->body()); });
    dialog->open();
    return dialog;
}

void TokenAdminPage::create(const QJsonObject &body)
{
    m_client->post(u"/v1/tokens"_s, body, this, [this](const ApiResponse &r) {
        if (!r.ok()) {
            m_feedback->showText(tr("No token was created: %1").arg(r.message()), true);
            return;
        }
        const qint64 id = r.object.value("id"_L1).toInteger();
        const QString what = tr("API token %1 created.").arg(id);
        m_feedback->showText(what, false);
        Q_EMIT actionDone(what);
        m_secret = new SecretDialog(
            tr("API token %1").arg(id),
            tr("The new token's secret. The console or ferryctl logs in with it; the agent keeps "
               "only its hash."),
            r.object.value("token"_L1).toString(), u"ferry-api-token-%1.txt"_s.arg(id), this);
        m_secret->open();
        loadTokens();
    });
}

void TokenAdminPage::askRevoke()
{
    const int row = selectedAdminRow(m_view, m_proxy);
    if (row < 0)
        return;
    const qint64 id = m_model->item(row).value("id"_L1).toInteger();
    askFirst(this, tr("Revoke token %1?").arg(id),
             tr("Every request with token %1 is refused (401) from then on, and its live feeds "
                "are closed. This cannot be undone.")
                 .arg(id),
             tr("Revoke"), [this, id] { revoke(id); });
}

void TokenAdminPage::revoke(qint64 id)
{
    m_client->remove(u"/v1/tokens/%1"_s.arg(id), {}, this, [this, id](const ApiResponse &r) {
        if (!r.ok()) {
            m_feedback->showText(tr("Token %1 was not revoked: %2").arg(id).arg(r.message()), true);
            return;
        }
        const QString what = tr("API token %1 revoked.").arg(id);
        m_feedback->showText(what, false);
        Q_EMIT actionDone(what);
        loadTokens();
    });
}

} // namespace ferry::console
