#include "console/widgets/admin/credentialadminpage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/credentialmodel.h"
#include "console/widgets/admin/adminui.h"
#include "console/widgets/admin/credentialdialog.h"

#include <QAction>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTableView>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

QString credentialPath(const QString &tenant, const QString &name)
{
    return u"/v1/tenants/%1/credentials/%2"_s.arg(tenant, name);
}

// 503 without a master key: what the operator has to do.
QString masterKeyText()
{
    return CredentialAdminPage::tr(
        "This agent has no master key, so it cannot seal or open credentials. The operator "
        "creates one with 'ferry-agent credentials generate-key', sets "
        "credentials.master_key_file to it (mode 0600, owned by the agent's user) and restarts "
        "the agent (docs/operations.md).");
}

// The agent's 503 for credentials without a master key (not a database outage).
bool credentialsOff(const ApiResponse &r)
{
    return r.status == 503 && r.object.value("type"_L1).toString().endsWith(u"credentials-off"_s);
}

} // namespace

CredentialAdminPage::CredentialAdminPage(ApiClient *client, QWidget *parent)
    : TenantListPage(client, new CredentialModel, parent)
    , m_model(static_cast<CredentialModel *>(listModel()))
    , m_set(new QAction(tr("&Set credential…"), this))
    , m_replace(new QAction(tr("&Replace…"), this))
    , m_delete(new QAction(tr("&Delete…"), this))
{
    view()->setAccessibleName(tr("Provider credentials"));
    for (QAction *a : {m_set, m_replace, m_delete})
        addPageAction(a);
    connect(m_set, &QAction::triggered, this, &CredentialAdminPage::openSet);
    connect(m_replace, &QAction::triggered, this, &CredentialAdminPage::openReplace);
    connect(m_delete, &QAction::triggered, this, &CredentialAdminPage::askDelete);
    updateActions();
}

CredentialAdminPage::~CredentialAdminPage() = default;

QString CredentialAdminPage::listPath(const QString &tenant) const
{
    return u"/v1/tenants/%1/credentials"_s.arg(tenant);
}

QLatin1StringView CredentialAdminPage::keyMember() const
{
    return "name"_L1;
}

QString CredentialAdminPage::loadFailedText(const ApiResponse &r) const
{
    return credentialsOff(r) ? masterKeyText() : TenantListPage::loadFailedText(r);
}

void CredentialAdminPage::updateActions()
{
    const QString refusal = adminRefusal(role(), scope(), false);
    const QString name = selectedCredential();
    const bool may = refusal.isEmpty() && !tenant().isEmpty();
    const QString why = !refusal.isEmpty()   ? refusal
                        : tenant().isEmpty() ? tr("Choose a tenant first.")
                                             : tr("Select a credential first.");
    gateAction(m_set, may, tr("Store a new provider credential for %1").arg(tenant()),
               refusal.isEmpty() ? tr("Choose a tenant first.") : refusal);
    gateAction(m_replace, may && !name.isEmpty(),
               tr("Give %1 a new secret or account settings").arg(name), why);
    gateAction(m_delete, may && !name.isEmpty(), tr("Delete %1 (asks first)").arg(name), why);
}

QString CredentialAdminPage::selectedCredential() const
{
    const int row = selectedRow();
    return row < 0 ? QString() : m_model->item(row).value("name"_L1).toString();
}

void CredentialAdminPage::selectCredential(const QString &name)
{
    selectRow(m_model->rowOf("name"_L1, name));
}

CredentialDialog *CredentialAdminPage::openSet()
{
    return openDialog({}, {});
}

CredentialDialog *CredentialAdminPage::openReplace()
{
    const int row = selectedRow();
    if (row < 0)
        return nullptr;
    const QJsonObject c = m_model->item(row);
    return openDialog(c.value("name"_L1).toString(), c.value("provider"_L1).toString());
}

CredentialDialog *CredentialAdminPage::openDialog(const QString &name, const QString &provider)
{
    const QString chosen = tenant();
    auto *dialog = new CredentialDialog(chosen, name, provider, this);
    connect(dialog, &QDialog::accepted, this, [this, dialog, chosen] {
        const QJsonObject body = dialog->body();
        dialog->clearSecrets();
        save(chosen, dialog->name(), body);
    });
    dialog->open();
    return dialog;
}

void CredentialAdminPage::save(const QString &tenant, const QString &name, const QJsonObject &body)
{
    client()->put(credentialPath(tenant, name), body, this, [this, name](const ApiResponse &r) {
        if (credentialsOff(r))
            showFeedback(masterKeyText(), true);
        else if (!r.ok())
            showFeedback(tr("Credential %1 was not saved: %2").arg(name, r.message()), true);
        else
            changed(tr("Credential %1 saved; its fingerprint is %2.")
                        .arg(name, r.object.value("fingerprint"_L1).toString()));
    });
}

void CredentialAdminPage::askDelete()
{
    const QString name = selectedCredential();
    const QString chosen = tenant();
    if (name.isEmpty())
        return;
    askFirst(
        this, tr("Delete %1?").arg(name),
        tr("Credential %1 of %2 goes for good; routes cannot use it any more.").arg(name, chosen),
        tr("Delete"), [this, chosen, name] { remove(chosen, name); });
}

void CredentialAdminPage::remove(const QString &tenant, const QString &name)
{
    client()->remove(credentialPath(tenant, name), {}, this, [this, name](const ApiResponse &r) {
        if (r.status == 409) {
            const QString routes = QRegularExpression(u"route\\(s\\) ([0-9, ]+)"_s)
                                       .match(r.object.value("detail"_L1).toString())
                                       .captured(1);
            showFeedback(tr("Credential %1 was not deleted: route(s) %2 still send through it. "
                            "Give them another credential on the Routes page first.")
                             .arg(name, routes.isEmpty() ? r.message() : routes),
                         true);
        } else if (!r.ok()) {
            showFeedback(tr("Credential %1 was not deleted: %2").arg(name, r.message()), true);
        } else {
            changed(tr("Credential %1 deleted.").arg(name));
        }
    });
}

} // namespace ferry::console
