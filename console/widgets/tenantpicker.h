#pragma once

#include <QWidget>

class QComboBox;
class QJsonArray;

namespace ferry::console {

class ApiClient;

// "Tenant:" and a combo box of the agent's tenants (GET /v1/tenants), sorted by name, for the
// pages that show one tenant at a time. A load keeps the chosen tenant while the agent still
// lists it; an answer to an earlier load, or to one from before clear(), is ignored.
class TenantPicker final : public QWidget
{
    Q_OBJECT
public:
    explicit TenantPicker(QWidget *parent = nullptr);

    QStringList tenants() const;
    // "": none chosen (none listed yet, or the agent has none), or the "all" choice.
    QString tenant() const;
    bool hasTenants() const;
    // An unlisted name chooses none; "" the "all" choice, when there is one.
    void setTenant(const QString &tenant);
    // Before the first load: a first choice that stands for every tenant ("All tenants"), for
    // pages that filter by tenant; tenant() is "" while it is chosen.
    void setAllChoice(const QString &text);

    // Asks the agent for its tenants: then loaded() or loadFailed().
    void load(ApiClient &client);
    // Forgets the tenants, and the answers still on their way (another agent is connected to).
    void clear();

Q_SIGNALS:
    // Another tenant is chosen: by the user, by setTenant(), or by a load that no longer lists
    // the one chosen before (then the first is chosen; before loaded()). Not by clear().
    void tenantChanged(const QString &tenant);
    // A load listed the tenants (none when !hasTenants()). `kept`: the one chosen before is
    // still chosen, so only its data needs loading again.
    void loaded(bool kept);
    // A load failed; `message` says why and what to do.
    void loadFailed(const QString &message);

private:
    void setTenantList(const QJsonArray &items);

    QComboBox *m_combo;
    QString m_allText; // empty: no "all" choice
    quint64 m_request = 0;
};

} // namespace ferry::console
