#pragma once

#include "console/widgets/admin/adminpage.h"

class QAction;
class QJsonObject;
class QSortFilterProxyModel;
class QTableView;
class QToolBar;

namespace ferry::console {

class AdminTableModel;
class ApiClient;
struct ApiResponse;
class FeedbackLabel;
class TenantPicker;

// An administration page of one tenant's list at a time (provider credentials, producer keys):
// the tenant picker, Refresh and the page's actions over the feedback line and the table. The
// list is GET listPath(tenant); a subclass adds its actions and says when they apply.
class TenantListPage : public AdminPage
{
    Q_OBJECT
public:
    TenantListPage(ApiClient *client, AdminTableModel *model, QWidget *parent = nullptr);
    ~TenantListPage() override;

    void applyRole(Role role, const QString &tenantScope) override;
    void refresh() override;
    void clear() override;
    QDateTime dataTime() const override { return m_dataTime; }

    QTableView *view() const { return m_view; }
    QString tenant() const;
    void setTenant(const QString &tenant);
    QStringList tenants() const;
    QString feedback() const;
    int selectedRow() const; // in the model; -1: none
    void selectRow(int row);
    // Loads the chosen tenant's list again (not the tenants).
    void reloadList();

Q_SIGNALS:
    void updated(); // the list arrived

protected:
    virtual QString listPath(const QString &tenant) const = 0;
    // The member that tells a row apart, to keep it selected across loads.
    virtual QLatin1StringView keyMember() const;
    virtual QString loadFailedText(const ApiResponse &r) const;
    // Enables the page's actions for role(), scope() and the selection.
    virtual void updateActions() = 0;
    void addPageAction(QAction *action);
    void showFeedback(const QString &text, bool error);
    // A change went through: says so, tells the window, loads the list again.
    void changed(const QString &what);
    ApiClient *client() const { return m_client; }
    AdminTableModel *listModel() const { return m_model; }
    Role role() const { return m_role; }
    QString scope() const { return m_scope; }

private:
    void loadList();

    ApiClient *m_client;
    AdminTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    TenantPicker *m_picker;
    FeedbackLabel *m_feedback;
    QToolBar *m_toolbar;
    Role m_role = Role::Unknown;
    QString m_scope;
    QDateTime m_dataTime;
    quint64 m_request = 0;
};

} // namespace ferry::console
