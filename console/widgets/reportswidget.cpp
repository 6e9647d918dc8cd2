#include "console/widgets/reportswidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/uiformat.h"

#include <QAction>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollArea>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

// The chosen tenants' deliveries by state, drawn as in the PDF.
class ReportPreview final : public QWidget
{
public:
    explicit ReportPreview(QWidget *parent)
        : QWidget(parent)
    {
        setAccessibleName(ReportsWidget::tr("Report preview"));
        setMinimumHeight(200);
    }
    void setReports(const QList<DeliveryReport> &reports)
    {
        m_reports = reports;
        QStringList text;
        for (const DeliveryReport &r : reports)
            text.append(ReportsWidget::tr("%1: %2 deliveries").arg(r.tenant, countText(r.total)));
        setAccessibleDescription(text.join(u"; "_s));
        update();
    }

protected:
    void paintEvent(QPaintEvent * /*event*/) override
    {
        QPainter p(this);
        p.setPen(palette().color(QPalette::WindowText));
        if (m_reports.isEmpty()) {
            p.drawText(rect().adjusted(8, 8, -8, -8),
                       Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                       ReportsWidget::tr("Choose tenants and a period, then Preview (Ctrl+Shift+P) "
                                         "to see their deliveries by state."));
            return;
        }
        const int n = int(m_reports.size());
        const int columns = std::min(n, 3);
        const int rows = (n + columns - 1) / columns;
        const double w = double(width()) / columns;
        const double h = double(height()) / rows;
        const double line = fontMetrics().height();
        for (int i = 0; i < n; ++i) {
            const DeliveryReport &r = m_reports.at(i);
            const int row = i / columns;
            const int column = i % columns;
            const QRectF cell(w * column + 8, h * row + 8, w - 16, h - 16);
            QFont bold = font();
            bold.setBold(true);
            p.setFont(bold);
            p.drawText(QRectF(cell.left(), cell.top(), cell.width(), line * 1.3),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       ReportsWidget::tr("%1 — %2 deliveries").arg(r.tenant, countText(r.total)));
            p.setFont(font());
            p.drawText(QRectF(cell.left(), cell.top() + line * 1.3, cell.width(), line * 2.6),
                       Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, r.slaText());
            r.paintChart(p, cell.adjusted(0, line * 4.2, 0, 0));
        }
    }

private:
    QList<DeliveryReport> m_reports;
};

ReportsWidget::ReportsWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_exporter(new ReportExporter(client, this))
    , m_previewer(new ReportExporter(client, this))
    , m_tenants(new QListWidget(this))
    , m_preset(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_feedback(new QLabel(this))
    , m_preview(new ReportPreview(this))
{
    setUpInputs();
    createActions();
    buildLayout();
    connectInputs();
    connectExporters();
    applyPreset();
    updateActions();
}

void ReportsWidget::setUpInputs()
{
    m_tenants->setAccessibleName(tr("Tenants to report on"));
    m_tenants->setMaximumWidth(260);
    m_preset->setAccessibleName(tr("Period"));
    m_preset->addItem(tr("Last 24 hours"), 1);
    m_preset->addItem(tr("Last 7 days"), 7);
    m_preset->addItem(tr("Last 30 days"), 30);
    m_preset->addItem(tr("This month"), -1);
    m_preset->addItem(tr("Last month"), -2);
    m_preset->addItem(tr("Custom"), 0);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
        edit->setCalendarPopup(true);
    }
    m_from->setAccessibleName(tr("Period start (UTC)"));
    m_to->setAccessibleName(tr("Period end (UTC)"));
    m_feedback->setWordWrap(true);
    m_feedback->setAccessibleName(tr("Result of the last export"));
    m_feedback->hide();
}

void ReportsWidget::createActions()
{
    m_refreshAction = new QAction(tr("&Refresh tenants"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_previewAction = new QAction(tr("Pre&view"), this);
    m_previewAction->setShortcut(QKeySequence(tr("Ctrl+Shift+P")));
    m_csvAction = new QAction(tr("Export &CSV…"), this);
    m_csvAction->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    m_pdfAction = new QAction(tr("Export &PDF…"), this);
    m_pdfAction->setShortcut(QKeySequence::Print);
    for (QAction *a : screenActions())
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions(screenActions());
    connect(m_refreshAction, &QAction::triggered, this, &ReportsWidget::refresh);
    connect(m_previewAction, &QAction::triggered, this, &ReportsWidget::preview);
    connect(m_csvAction, &QAction::triggered, this, &ReportsWidget::exportCsv);
    connect(m_pdfAction, &QAction::triggered, this, &ReportsWidget::exportPdf);
}

// The toolbar over the tenant list (left) and the period, feedback and preview (right).
void ReportsWidget::buildLayout()
{
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("Report actions"));
    toolbar->addActions(screenActions());

    QLayout *left = buildTenantColumn();
    auto *form = new QFormLayout;
    form->addRow(tr("&Period:"), m_preset);
    form->addRow(tr("&From (UTC):"), m_from);
    form->addRow(tr("T&o (UTC):"), m_to);
    auto *period = new QHBoxLayout;
    period->addLayout(form);
    period->addStretch(1);
    auto *right = new QVBoxLayout;
    right->addLayout(period);
    right->addWidget(m_feedback);
    right->addWidget(m_preview, 1);

    auto *body = new QHBoxLayout;
    body->addLayout(left);
    body->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addLayout(body, 1);
}

// The tenant list with its All and None buttons.
QLayout *ReportsWidget::buildTenantColumn()
{
    auto *all = new QPushButton(tr("&All"), this);
    auto *none = new QPushButton(tr("&None"), this);
    all->setAccessibleName(tr("Choose all tenants"));
    none->setAccessibleName(tr("Choose no tenant"));
    connect(all, &QPushButton::clicked, this, [this] { setChosenTenants(tenants()); });
    connect(none, &QPushButton::clicked, this, [this] { setChosenTenants({}); });

    auto *left = new QVBoxLayout;
    auto *tl = new QLabel(tr("&Tenants:"), this);
    tl->setBuddy(m_tenants);
    left->addWidget(tl);
    left->addWidget(m_tenants, 1);
    auto *pick = new QHBoxLayout;
    pick->addWidget(all);
    pick->addWidget(none);
    left->addLayout(pick);
    return left;
}

void ReportsWidget::connectInputs()
{
    connect(m_preset, &QComboBox::currentIndexChanged, this, &ReportsWidget::applyPreset);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this, edit] {
            if (edit->hasFocus()) // typed in: a custom period
                m_preset->setCurrentIndex(m_preset->findData(0));
        });
    }
    connect(m_tenants, &QListWidget::itemChanged, this, &ReportsWidget::updateActions);
}

// The export's progress dialog and result, and the preview's reports.
void ReportsWidget::connectExporters()
{
    connect(m_exporter, &ReportExporter::progress, this, [this](int done, int total) {
        if (m_progress) {
            m_progress->setMaximum(total);
            m_progress->setValue(done);
            m_progress->setLabelText(tr("Fetched %1 of %n tenant report(s)…", "", total).arg(done));
        }
    });
    connect(m_exporter, &ReportExporter::finished, this, [this](bool ok, const QString &message) {
        if (m_progress) {
            m_progress->deleteLater();
            m_progress = nullptr;
        }
        showFeedback(message, !ok);
        updateActions();
        Q_EMIT exportFinished(ok, message);
    });
    connect(m_previewer, &ReportExporter::finished, this, [this](bool ok, const QString &message) {
        if (ok) {
            m_preview->setReports(m_previewer->reports());
            showFeedback({}, false);
        } else {
            showFeedback(message, true);
        }
        updateActions();
        Q_EMIT updated();
    });
}

ReportsWidget::~ReportsWidget() = default;

QList<QAction *> ReportsWidget::screenActions() const
{
    return {m_refreshAction, m_previewAction, m_csvAction, m_pdfAction};
}

QString ReportsWidget::feedback() const
{
    return m_feedback->isHidden() ? QString() : m_feedback->text();
}

void ReportsWidget::showFeedback(const QString &text, bool error)
{
    m_feedback->setText(text);
    m_feedback->setStyleSheet(
        error ? u"QLabel { color: white; background: #b3261e; padding: 4px; }"_s : QString());
    m_feedback->setVisible(!text.isEmpty());
}

void ReportsWidget::setRole(Role role)
{
    m_role = role;
    updateActions();
}

bool ReportsWidget::mayExport() const
{
    // Unknown: leave it to the agent (its refusal is shown).
    return m_role == Role::Admin || m_role == Role::Unknown;
}

void ReportsWidget::updateActions()
{
    const bool may = mayExport();
    const bool chosen = !chosenTenants().isEmpty();
    const bool busy = m_exporter->isRunning();
    const QString needs =
        tr("Needs the admin role; this token is a %1 token.").arg(roleText(m_role));
    m_previewAction->setEnabled(may && chosen && !m_previewer->isRunning());
    m_csvAction->setEnabled(may && chosen && !busy);
    m_pdfAction->setEnabled(may && chosen && !busy);
    m_previewAction->setToolTip(may ? tr("Show the chosen tenants' deliveries by state") : needs);
    m_csvAction->setToolTip(may ? tr("Save the deliveries by channel and state as CSV") : needs);
    m_pdfAction->setToolTip(may ? tr("Save a PDF: a table and a chart per tenant") : needs);
    m_refreshAction->setEnabled(may);
}

void ReportsWidget::applyPreset()
{
    const int preset = m_preset->currentData().toInt();
    if (preset == 0)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime thisMonth(QDate(now.date().year(), now.date().month(), 1), QTime(0, 0),
                              Qt::UTC);
    QDateTime from;
    QDateTime to = now;
    if (preset > 0) {
        from = now.addDays(-preset);
    } else if (preset == -1) {
        from = thisMonth;
    } else {
        from = thisMonth.addMonths(-1);
        to = thisMonth;
    }
    const QSignalBlocker a(m_from);
    const QSignalBlocker b(m_to);
    m_from->setDateTime(from);
    m_to->setDateTime(to);
}

void ReportsWidget::setPeriod(const QDateTime &from, const QDateTime &to)
{
    m_preset->setCurrentIndex(m_preset->findData(0));
    m_from->setDateTime(from.toUTC());
    m_to->setDateTime(to.toUTC());
}

QDateTime ReportsWidget::from() const
{
    return m_from->dateTime();
}

QDateTime ReportsWidget::to() const
{
    // A preset period ends now: refreshed when used.
    return m_preset->currentData().toInt() > 0 ? QDateTime::currentDateTimeUtc() : m_to->dateTime();
}

QStringList ReportsWidget::tenants() const
{
    QStringList names;
    for (int i = 0; i < m_tenants->count(); ++i)
        names.append(m_tenants->item(i)->text());
    return names;
}

QStringList ReportsWidget::chosenTenants() const
{
    QStringList names;
    for (int i = 0; i < m_tenants->count(); ++i) {
        if (m_tenants->item(i)->checkState() == Qt::Checked)
            names.append(m_tenants->item(i)->text());
    }
    return names;
}

void ReportsWidget::setChosenTenants(const QStringList &tenants)
{
    for (int i = 0; i < m_tenants->count(); ++i) {
        QListWidgetItem *item = m_tenants->item(i);
        item->setCheckState(tenants.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
    updateActions();
}

void ReportsWidget::refresh()
{
    m_client->get(u"/v1/tenants"_s, {}, this, [this](const ApiResponse &r) {
        if (!r.ok()) {
            showFeedback(tr("Could not load the tenants. %1").arg(r.message()), true);
            return;
        }
        const QStringList chosen = chosenTenants();
        const bool first = m_tenants->count() == 0;
        QStringList names;
        for (const QJsonValue &v : r.object.value("items"_L1).toArray())
            names.append(v.toObject().value("name"_L1).toString());
        names.sort();
        const QSignalBlocker block(m_tenants);
        m_tenants->clear();
        for (const QString &name : names) {
            auto *item = new QListWidgetItem(name, m_tenants);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(first || chosen.contains(name) ? Qt::Checked : Qt::Unchecked);
        }
        m_dataTime = QDateTime::currentDateTimeUtc();
        updateActions();
        Q_EMIT updated();
    });
}

void ReportsWidget::preview()
{
    if (!mayExport())
        return;
    m_previewer->start(chosenTenants(), from(), to(), ReportExporter::Format::Pdf, {});
    updateActions();
}

void ReportsWidget::exportTo(ReportExporter::Format format, const QString &path)
{
    if (!mayExport()) {
        showFeedback(
            tr("Reports need an admin token; this token is a %1 token.").arg(roleText(m_role)),
            true);
        return;
    }
    if (m_exporter->isRunning())
        return;
    const QStringList chosen = chosenTenants();
    m_progress =
        new QProgressDialog(tr("Fetching the reports…"), tr("Cancel"), 0, int(chosen.size()), this);
    m_progress->setWindowTitle(tr("Exporting reports"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(500); // only long exports show it
    m_progress->setAutoReset(false);
    m_progress->setAutoClose(false);
    connect(m_progress, &QProgressDialog::canceled, m_exporter, &ReportExporter::cancel);
    m_exporter->start(chosen, from(), to(), format, path);
    updateActions();
}

void ReportsWidget::askFileAndExport(ReportExporter::Format format)
{
    const bool csv = format == ReportExporter::Format::Csv;
    const QString suggested = QDir::home().filePath(
        u"ferry-deliveries-%1.%2"_s.arg(to().toString(u"yyyy-MM-dd"_s), csv ? u"csv"_s : u"pdf"_s));
    auto *dialog = new QFileDialog(this, csv ? tr("Export CSV") : tr("Export PDF"), suggested,
                                   csv ? tr("CSV files (*.csv)") : tr("PDF files (*.pdf)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(csv ? u"csv"_s : u"pdf"_s);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this, format](const QString &path) { exportTo(format, path); });
    dialog->open();
}

void ReportsWidget::exportCsv()
{
    askFileAndExport(ReportExporter::Format::Csv);
}

void ReportsWidget::exportPdf()
{
    askFileAndExport(ReportExporter::Format::Pdf);
}

} // namespace ferry::console
