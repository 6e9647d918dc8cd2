#pragma once

#include "console/widgets/admin/adminpage.h"

#include <QPointer>
#include <QUrlQuery>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QJsonObject;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressDialog;
class QPushButton;
class QTableView;

namespace ferry::console {

class ApiClient;
class AuditExporter;
class AuditLogModel;
class PageMessage;
class TenantPicker;

// The audit log (GET /v1/audit, admin tokens; a tenant's admin sees its tenant's entries):
// filters by tenant, actor, action (or family) and time (entered on this computer's clock, sent
// as UTC), applied with Apply; the entries newest first, kPageSize at a time ("Load more"), the
// selected one's details in full below; Export CSV… writes every entry the filter matches.
class AuditLogPage final : public AdminPage
{
    Q_OBJECT
public:
    static constexpr int kPageSize = 100;

    explicit AuditLogPage(ApiClient *client, QWidget *parent = nullptr);
    ~AuditLogPage() override;

    void applyRole(Role role, const QString &tenantScope) override;
    void refresh() override;
    void clear() override;
    QDateTime dataTime() const override { return m_dataTime; }

    AuditLogModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    TenantPicker *tenantPicker() const { return m_tenant; }
    QLineEdit *actorEdit() const { return m_actor; }
    QComboBox *actionCombo() const { return m_action; }
    QCheckBox *fromCheck() const { return m_fromOn; }
    QCheckBox *toCheck() const { return m_toOn; }
    QDateTimeEdit *fromEdit() const { return m_from; }
    QDateTimeEdit *toEdit() const { return m_to; }
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *loadMoreButton() const { return m_loadMore; }
    QPushButton *exportButton() const { return m_export; }
    QPlainTextEdit *detailsView() const { return m_details; }
    QString message() const; // what the page says above the table ("" when nothing)
    AuditExporter *exporter() const { return m_exporter; }
    QProgressDialog *progressDialog() const; // while an export runs
    // The filter Apply took, as GET /v1/audit's query.
    QUrlQuery appliedFilter() const { return m_filter; }
    // Export CSV… without asking for the file: every matching entry to `path`.
    void exportTo(const QString &path);

private:
    void buildLayout();
    QLayout *buildFilterRow();
    QLayout *buildBottomRow();
    void connectSignals();
    QUrlQuery currentFilter() const; // the filter fields as they are
    void applyFilter();
    void loadPage(bool more);
    void takePage(const QJsonObject &answer, bool more, qint64 keepSelected);
    void showDetails();
    void askFileAndExport();
    void exportFinished(bool ok, const QString &message);
    void updateActions();
    bool mayRead() const;

    ApiClient *m_client;
    AuditLogModel *m_model;
    AuditExporter *m_exporter;
    TenantPicker *m_tenant;
    QLineEdit *m_actor;
    QComboBox *m_action;
    QCheckBox *m_fromOn;
    QCheckBox *m_toOn;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QPushButton *m_apply;
    PageMessage *m_message;
    QTableView *m_view;
    QPlainTextEdit *m_details;
    QLabel *m_count;
    QPushButton *m_loadMore;
    QPushButton *m_export;
    QPointer<QProgressDialog> m_progress;
    Role m_role = Role::Unknown;
    QString m_scope;
    QUrlQuery m_filter;
    qint64 m_nextBefore = 0; // 0: no more pages
    quint64 m_request = 0;
    bool m_loading = false;
    QDateTime m_dataTime;
};

} // namespace ferry::console
