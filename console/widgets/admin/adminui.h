#pragma once

#include "console/core/role.h"

#include <QLabel>
#include <QString>

#include <functional>

class QAction;
class QMessageBox;
class QSortFilterProxyModel;
class QTableView;

namespace ferry::console {

class AdminTableModel;

// What the administration pages share: their tables, their questions before a change, the
// feedback line over the table, and actions the token may not take.

// A sortable, read-only table of whole rows over `model`.
void setUpAdminTable(QTableView *view, QSortFilterProxyModel *proxy, AdminTableModel *model);
// The source row of the selected row; -1 when none.
int selectedAdminRow(const QTableView *view, const QSortFilterProxyModel *proxy);
// Selects the row of `model` (through the proxy).
void selectAdminRow(QTableView *view, const QSortFilterProxyModel *proxy, int row);

// Asks before a change, without blocking: `yes` runs when the user confirms with `yesText`.
// The box is a child of `parent` (so tests find it) and deletes itself when closed.
QMessageBox *askFirst(QWidget *parent, const QString &title, const QString &text,
                      const QString &yesText, std::function<void()> yes);

// Why the token may not change what a page shows ("" when it may): the admin role, and for
// `everyTenant` changes (tenants) a token of every tenant. An unknown role may: the agent decides.
QString adminRefusal(Role role, const QString &tenantScope, bool everyTenant);

// An action enabled or not, with its tooltip: `tip` when enabled, `whyNot` when not.
void gateAction(QAction *action, bool enabled, const QString &tip, const QString &whyNot);

// One line over a page's table: what a change did, or (red) why a load or a change failed.
class FeedbackLabel final : public QLabel
{
    Q_OBJECT
public:
    explicit FeedbackLabel(QWidget *parent = nullptr);
    void showText(const QString &text, bool error);
    QString shownText() const; // "" while hidden
    bool isError() const { return m_error; }

private:
    bool m_error = false;
};

} // namespace ferry::console
