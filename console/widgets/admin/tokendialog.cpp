#include "console/widgets/admin/tokendialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

TokenDialog::TokenDialog(const QStringList &tenants, Role ownRole, const QString &ownScope,
                         QWidget *parent)
    : CheckedDialog(parent)
    , m_role(new QComboBox(this))
    , m_tenant(new QComboBox(this))
    , m_name(new QLineEdit(this))
    , m_expires(new QComboBox(this))
{
    setWindowTitle(tr("New API token"));
    // Roles up to the caller's own (the agent refuses a higher one).
    const QList<QPair<Role, QString>> roles = {
        {Role::Viewer, u"viewer"_s}, {Role::Operator, u"operator"_s}, {Role::Admin, u"admin"_s}};
    for (const auto &[role, word] : roles) {
        if (ownRole == Role::Unknown || role <= ownRole)
            m_role->addItem(roleText(role), word);
    }
    if (ownScope.isEmpty()) {
        m_tenant->addItem(tr("all tenants"), QString());
        for (const QString &t : tenants)
            m_tenant->addItem(t, t);
    } else {
        m_tenant->addItem(ownScope, ownScope); // a scoped admin's tokens are of its own tenant
    }
    m_name->setPlaceholderText(tr("such as: console of ana"));
    m_name->setMaxLength(200);
    m_expires->addItem(tr("never"), QString());
    m_expires->addItem(tr("in 1 day"), u"24h"_s);
    m_expires->addItem(tr("in 7 days"), u"7d"_s);
    m_expires->addItem(tr("in 30 days"), u"30d"_s);
    m_expires->addItem(tr("in 90 days"), u"90d"_s);
    m_expires->addItem(tr("in 365 days"), u"365d"_s);
    m_expires->setCurrentIndex(4);
    auto *form = new QFormLayout;
    form->addRow(tr("&Role:"), m_role);
    form->addRow(tr("&Tenant:"), m_tenant);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Expires:"), m_expires);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    connect(buttons, &QDialogButtonBox::accepted, this, &TokenDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(problemLabel());
    layout->addWidget(buttons);
}

QString TokenDialog::problem() const
{
    if (m_name->text().trimmed().isEmpty())
        return tr("Name: say whose or what the token is for, so it can be told apart when it is "
                  "revoked.");
    return {};
}

QJsonObject TokenDialog::body() const
{
    QJsonObject o{{u"role"_s, m_role->currentData().toString()},
                  {u"name"_s, m_name->text().trimmed()}};
    const QString tenant = m_tenant->currentData().toString();
    o.insert(u"tenant"_s, tenant.isEmpty() ? QJsonValue() : QJsonValue(tenant));
    if (const QString expires = m_expires->currentData().toString(); !expires.isEmpty())
        o.insert(u"expires_in"_s, expires);
    return o;
}

} // namespace ferry::console
