#pragma once

#include "console/core/role.h"

#include <QDateTime>
#include <QWidget>

namespace ferry::console {

// One tab of the Administration screen. A page shows what the token may read and gates each
// action by the token's role and tenant scope: an action it may not take is disabled, and its
// tooltip says which token it needs. Every change goes through the agent's API (which audits it).
class AdminPage : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    // The token's role and tenant scope (empty: every tenant), at connect and when they change.
    virtual void applyRole(Role role, const QString &tenantScope) = 0;
    // Loads the page's data again: F5, when the page is shown, and every 30 s while it is.
    virtual void refresh() = 0;
    // Forgets everything shown (the console connects to another agent).
    virtual void clear() = 0;
    // When the data on screen was loaded (invalid: not yet).
    virtual QDateTime dataTime() const = 0;

Q_SIGNALS:
    // A change went through ("Route 12 saved"): the main window shows it in the status bar.
    void actionDone(const QString &what);
};

} // namespace ferry::console
