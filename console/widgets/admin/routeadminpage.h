#pragma once

#include "console/widgets/admin/adminpage.h"

#include <QPointer>

class QAction;
class QDialog;
class QJsonArray;
class QJsonObject;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace ferry::console {

class ApiClient;
class FeedbackLabel;
class RouteEditor;
class RouteFilterModel;
class RouteModel;
class TenantPicker;
struct ApiResponse;
struct RouteEntry;

// Routes: the routes of one tenant or of all, by name and target (the id only in a tooltip),
// sortable and filtered by a text. Admin tokens create and edit routes in a RouteEditor (double
// click), disable them (after asking: their open deliveries go to the DLQ) and enable them;
// operator tokens send a test event to a route and see its outcome.
class RouteAdminPage final : public AdminPage
{
    Q_OBJECT
public:
    // A test send is followed every kTestPollMs until its delivery is final, at most
    // kTestTimeoutMs.
    static constexpr int kTestPollMs = 500;
    static constexpr int kTestTimeoutMs = 30000;

    explicit RouteAdminPage(ApiClient *client, QWidget *parent = nullptr);
    ~RouteAdminPage() override;

    void applyRole(Role role, const QString &tenantScope) override;
    void refresh() override;
    void clear() override;
    QDateTime dataTime() const override { return m_dataTime; }

    RouteModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    TenantPicker *tenantPicker() const { return m_tenantPicker; }
    QLineEdit *filterEdit() const { return m_filter; }
    QAction *refreshAction() const { return m_refreshAction; }
    QAction *newAction() const { return m_newAction; }
    QAction *editAction() const { return m_editAction; }
    QAction *disableAction() const { return m_disableAction; }
    QAction *enableAction() const { return m_enableAction; }
    QAction *testAction() const { return m_testAction; }
    // The editor open now (null: none).
    RouteEditor *editor() const;
    // The dialog that shows a new signing secret once (null: none open).
    QDialog *secretDialog() const;
    QString feedback() const;    // the error or note over the table ("" none)
    QString testOutcome() const; // what the last test send came to so far ("" none)
    bool isTestRunning() const;

    // The chosen tenant ("" all) and the selected route (0: none).
    QString tenant() const;
    void setTenant(const QString &tenant);
    qint64 selectedRoute() const;
    void selectRoute(qint64 id);

public Q_SLOTS:
    // Open the editor (not modal) for a new route, or for the route `id` as listed.
    RouteEditor *newRoute();
    RouteEditor *editRoute(qint64 id);
    void editSelected();
    // Asks first; then disableRoute().
    void disableSelected();
    void disableRoute(qint64 id);
    void enableRoute(qint64 id);
    void testRoute(qint64 id);

private:
    void createActions();
    void buildLayout();
    void connectSignals();
    void loadRoutes();
    void loadPage(const QString &cursor, const QJsonArray &before, quint64 request);
    RouteEditor *openEditor(const RouteEntry *route);
    void onSaved(const QJsonObject &route);
    void showSecret(const QString &route, const QString &secret);
    void pollTest();
    void showTestTrace(const ApiResponse &r);
    void showTestOutcome(const QString &text, bool failed);
    void updateActions();
    void showFeedback(const QString &text, bool error);
    const RouteEntry *selectedEntry() const;

    ApiClient *m_client;
    RouteModel *m_model;
    RouteFilterModel *m_proxy;
    QTableView *m_view;
    TenantPicker *m_tenantPicker;
    QLineEdit *m_filter;
    FeedbackLabel *m_feedback;
    FeedbackLabel *m_testOutcome;
    QTimer *m_testTimer;
    QAction *m_refreshAction = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_disableAction = nullptr;
    QAction *m_enableAction = nullptr;
    QAction *m_testAction = nullptr;
    QPointer<RouteEditor> m_editor;
    QPointer<QDialog> m_secretDialog;
    QDateTime m_dataTime;
    Role m_role = Role::Unknown;
    QString m_tenantScope;
    quint64 m_request = 0;
    // The test send being followed.
    quint64 m_testRequest = 0;
    QString m_testDelivery;
    QString m_testRouteName;
    int m_testPolls = 0;
};

} // namespace ferry::console
