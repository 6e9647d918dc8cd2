#pragma once

#include "console/core/reportexporter.h"
#include "console/core/role.h"

#include <QDateTime>
#include <QWidget>

class QAction;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLayout;
class QListWidget;
class QProgressDialog;

namespace ferry::console {

class ApiClient;
class ReportPreview;

// The reports screen (admin tokens): choose tenants and a period, preview the deliveries by state,
// export CSV or PDF. Exports fetch tenant after tenant without blocking, show progress when they
// take a while, and can be cancelled.
class ReportsWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit ReportsWidget(ApiClient *client, QWidget *parent = nullptr);
    ~ReportsWidget() override;

    QList<QAction *> screenActions() const;
    QDateTime dataTime() const { return m_dataTime; }
    QString feedback() const;
    ReportExporter *exporter() const { return m_exporter; }
    QProgressDialog *progressDialog() const { return m_progress; }

    void setRole(Role role);
    bool mayExport() const;
    QStringList tenants() const;       // every tenant listed
    QStringList chosenTenants() const; // the checked ones
    void setChosenTenants(const QStringList &tenants);
    void setPeriod(const QDateTime &from, const QDateTime &to);
    QDateTime from() const;
    QDateTime to() const;
    // Exports to path without asking for a file (the actions ask, then call this).
    void exportTo(ReportExporter::Format format, const QString &path);

public Q_SLOTS:
    void refresh(); // the tenant list
    void preview();
    void exportCsv();
    void exportPdf();

Q_SIGNALS:
    void updated();
    void exportFinished(bool ok, const QString &message);

private:
    // The constructor's parts, in the order it calls them.
    void setUpInputs();
    void createActions();
    void buildLayout();
    QLayout *buildTenantColumn();
    void connectInputs();
    void connectExporters();

    void applyPreset();
    void askFileAndExport(ReportExporter::Format format);
    void updateActions();
    void showFeedback(const QString &text, bool error);

    ApiClient *m_client;
    ReportExporter *m_exporter;
    ReportExporter *m_previewer;
    QListWidget *m_tenants;
    QComboBox *m_preset;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QLabel *m_feedback;
    ReportPreview *m_preview;
    QProgressDialog *m_progress = nullptr;
    QAction *m_refreshAction;
    QAction *m_previewAction;
    QAction *m_csvAction;
    QAction *m_pdfAction;
    QDateTime m_dataTime;
    Role m_role = Role::Unknown;
};

} // namespace ferry::console
