#pragma once

#include <QDateTime>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace ferry::console {

class ApiClient;
class TenantSlaFilterModel;
class TenantSlaModel;

// The tenants screen: SLA attainment per tenant over a chosen window (GET /v1/sla) with the
// tenant's quotas (GET /v1/tenants); rows below target or with deliveries at risk highlighted.
class TenantsWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit TenantsWidget(ApiClient *client, QWidget *parent = nullptr);
    ~TenantsWidget() override;

    TenantSlaModel *model() const { return m_model; }
    TenantSlaFilterModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QList<QAction *> screenActions() const;
    QDateTime dataTime() const { return m_dataTime; }
    QString feedback() const;
    QString summary() const; // the line under the table: counts, and where the data came from
    // The window as GET /v1/sla takes it: "1h", "24h" or "7d".
    QString window() const;
    void setWindow(const QString &window);

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void updated();

private:
    void setUpView();
    void createRefreshAction();
    void showError(const QString &text);

    ApiClient *m_client;
    TenantSlaModel *m_model;
    TenantSlaFilterModel *m_proxy;
    QTableView *m_view;
    QComboBox *m_window;
    QLineEdit *m_filter;
    QCheckBox *m_attention;
    QLabel *m_feedback;
    QLabel *m_summary;
    QAction *m_refreshAction;
    QDateTime m_dataTime;
    quint64 m_request = 0;
};

} // namespace ferry::console
