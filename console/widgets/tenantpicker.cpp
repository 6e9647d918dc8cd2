#include "console/widgets/tenantpicker.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

TenantPicker::TenantPicker(QWidget *parent)
    : QWidget(parent)
    , m_combo(new QComboBox(this))
{
    m_combo->setAccessibleName(tr("Tenant"));
    m_combo->setMinimumContentsLength(12);
    auto *label = new QLabel(tr("&Tenant:"), this);
    label->setBuddy(m_combo);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label);
    layout->addWidget(m_combo);
    setFocusProxy(m_combo);
    connect(m_combo, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT tenantChanged(tenant()); });
}

QStringList TenantPicker::tenants() const
{
    QStringList names;
    for (int i = m_allText.isEmpty() ? 0 : 1; i < m_combo->count(); ++i)
        names.append(m_combo->itemText(i));
    return names;
}

QString TenantPicker::tenant() const
{
    return m_combo->currentData().toString();
}

bool TenantPicker::hasTenants() const
{
    return m_combo->count() > (m_allText.isEmpty() ? 0 : 1);
}

void TenantPicker::setTenant(const QString &tenant)
{
    m_combo->setCurrentIndex(m_combo->findData(tenant));
}

void TenantPicker::setAllChoice(const QString &text)
{
    m_allText = text;
}

void TenantPicker::load(ApiClient &client)
{
    const quint64 request = ++m_request;
    client.get(u"/v1/tenants"_s, {}, this, [this, request](const ApiResponse &r) {
        if (request != m_request)
            return; // cleared meanwhile, or asked again
        if (!r.ok()) {
            Q_EMIT loadFailed(tr("Could not load the tenants. %1").arg(r.message()));
            return;
        }
        setTenantList(r.object.value("items"_L1).toArray());
    });
}

void TenantPicker::clear()
{
    ++m_request; // answers on their way are another agent's
    const QSignalBlocker block(m_combo);
    m_combo->clear();
}

// The tenants (sorted), keeping the chosen one.
void TenantPicker::setTenantList(const QJsonArray &items)
{
    QStringList names;
    for (const QJsonValue &v : items)
        names.append(v.toObject().value("name"_L1).toString());
    names.sort();
    const QString before = tenant();
    {
        const QSignalBlocker block(m_combo);
        m_combo->clear();
        if (!m_allText.isEmpty())
            m_combo->addItem(m_allText, QString());
        for (const QString &name : std::as_const(names))
            m_combo->addItem(name, name);
        m_combo->setCurrentIndex(std::max(0, m_combo->findData(before)));
    }
    const bool kept = tenant() == before;
    if (!kept && !names.isEmpty())
        Q_EMIT tenantChanged(tenant());
    Q_EMIT loaded(kept);
}

} // namespace ferry::console
