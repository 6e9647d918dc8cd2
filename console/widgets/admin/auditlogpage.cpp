#include "console/widgets/admin/auditlogpage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/auditexporter.h"
#include "console/models/admin/auditlogmodel.h"
#include "console/widgets/admin/pagemessage.h"
#include "console/widgets/tenantpicker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The families of actions the agent writes, offered in the action filter (any other can be
// typed: an action such as route.update, or a family ending in .*).
const QStringList kActionFamilies{
    u"tenant.*"_s,         u"token.*"_s,    u"route.*"_s,  u"credential.*"_s, u"producer.*"_s,
    u"producer_token.*"_s, u"endpoint.*"_s, u"schema.*"_s, u"template.*"_s,   u"connector.*"_s,
    u"workflow.*"_s,       u"schedule.*"_s, u"job.*"_s,    u"price.*"_s,      u"dlq.*"_s};

// The most rows one request asks for (the API's limit).
constexpr int kMaxLimit = 1000;

QDateTimeEdit *timeEdit(QWidget *parent)
{
    auto *edit = new QDateTimeEdit(QDateTime::currentDateTime(), parent);
    edit->setTimeSpec(Qt::LocalTime); // typed on this computer's clock, sent as UTC
    edit->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    edit->setCalendarPopup(true);
    edit->setEnabled(false);
    return edit;
}

} // namespace

AuditLogPage::AuditLogPage(ApiClient *client, QWidget *parent)
    : AdminPage(parent)
    , m_client(client)
    , m_model(new AuditLogModel(this))
    , m_exporter(new AuditExporter(client, this))
    , m_tenant(new TenantPicker(this))
    , m_actor(new QLineEdit(this))
    , m_action(new QComboBox(this))
    , m_fromOn(new QCheckBox(tr("&From:"), this))
    , m_toOn(new QCheckBox(tr("T&o:"), this))
    , m_from(timeEdit(this))
    , m_to(timeEdit(this))
    , m_apply(new QPushButton(tr("&Apply"), this))
    , m_message(new PageMessage(this))
    , m_view(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_count(new QLabel(this))
    , m_loadMore(new QPushButton(tr("Load &more"), this))
    , m_export(new QPushButton(tr("&Export CSV…"), this))
{
    m_tenant->setAllChoice(tr("All tenants"));
    m_actor->setPlaceholderText(tr("Any actor"));
    m_actor->setAccessibleName(tr("Actor contains"));
    m_actor->setClearButtonEnabled(true);
    m_action->setEditable(true);
    m_action->addItem(QString());
    m_action->addItems(kActionFamilies);
    m_action->lineEdit()->setPlaceholderText(tr("Any action"));
    m_action->setAccessibleName(tr("Action or family of actions"));
    m_action->setToolTip(tr("An action such as route.update, or a family such as route.*"));
    m_action->setMinimumContentsLength(16);
    m_from->setAccessibleName(tr("From (this computer's clock)"));
    m_to->setAccessibleName(tr("To (this computer's clock)"));
    m_apply->setDefault(true);
    buildLayout();
    connectSignals();
    updateActions();
}

AuditLogPage::~AuditLogPage() = default;

void AuditLogPage::buildLayout()
{
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Audit log entries"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_details->setReadOnly(true);
    m_details->setAccessibleName(tr("Details of the selected entry"));
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Select an entry to see its details."));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buildFilterRow());
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    layout->addLayout(buildBottomRow());
}

QLayout *AuditLogPage::buildFilterRow()
{
    auto *actorLabel = new QLabel(tr("A&ctor:"), this);
    actorLabel->setBuddy(m_actor);
    auto *actionLabel = new QLabel(tr("Act&ion:"), this);
    actionLabel->setBuddy(m_action);
    auto *row = new QHBoxLayout;
    row->addWidget(m_tenant);
    row->addWidget(actorLabel);
    row->addWidget(m_actor, 1);
    row->addWidget(actionLabel);
    row->addWidget(m_action, 1);
    row->addWidget(m_fromOn);
    row->addWidget(m_from);
    row->addWidget(m_toOn);
    row->addWidget(m_to);
    row->addWidget(m_apply);
    return row;
}

QLayout *AuditLogPage::buildBottomRow()
{
    auto *row = new QHBoxLayout;
    row->addWidget(m_count);
    row->addWidget(m_loadMore);
    row->addStretch(1);
    row->addWidget(m_export);
    return row;
}

void AuditLogPage::connectSignals()
{
    connect(m_apply, &QPushButton::clicked, this, &AuditLogPage::applyFilter);
    connect(m_actor, &QLineEdit::returnPressed, this, &AuditLogPage::applyFilter);
    connect(m_action->lineEdit(), &QLineEdit::returnPressed, this, &AuditLogPage::applyFilter);
    connect(m_fromOn, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_toOn, &QCheckBox::toggled, m_to, &QWidget::setEnabled);
    connect(m_loadMore, &QPushButton::clicked, this, [this] { loadPage(true); });
    connect(m_export, &QPushButton::clicked, this, &AuditLogPage::askFileAndExport);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AuditLogPage::showDetails);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AuditLogPage::showDetails);
    connect(m_tenant, &TenantPicker::loadFailed, this,
            [this](const QString &text) { m_message->say(text, true); });
    connect(m_exporter, &AuditExporter::progress, this, [this](qint64 rows) {
        if (m_progress)
            m_progress->setLabelText(tr("Exported %n entries…", "", int(rows)));
    });
    connect(m_exporter, &AuditExporter::finished, this, &AuditLogPage::exportFinished);
}

bool AuditLogPage::mayRead() const
{
    return m_role == Role::Admin;
}

QString AuditLogPage::message() const
{
    return m_message->shown();
}

QProgressDialog *AuditLogPage::progressDialog() const
{
    return m_progress;
}

void AuditLogPage::applyRole(Role role, const QString &tenantScope)
{
    m_role = role;
    m_scope = tenantScope;
    if (!mayRead()) {
        ++m_request;
        m_model->clear();
        m_nextBefore = 0;
        m_message->say(
            role == Role::Unknown
                ? QString()
                : tr("The audit log needs an admin token: an admin token of every tenant "
                     "shows all entries, a tenant's admin token that tenant's. This token "
                     "is a %1 token.")
                      .arg(roleText(role)),
            false);
    } else {
        m_message->say(tenantScope.isEmpty()
                           ? QString()
                           : tr("This token is tenant %1's: the log shows that tenant's entries.")
                                 .arg(tenantScope),
                       false);
    }
    updateActions();
}

void AuditLogPage::refresh()
{
    if (!mayRead())
        return;
    m_tenant->load(*m_client);
    loadPage(false);
}

void AuditLogPage::clear()
{
    ++m_request;
    m_exporter->cancel();
    m_model->clear();
    m_tenant->clear();
    m_nextBefore = 0;
    m_loading = false;
    m_dataTime = {};
    m_count->clear();
    updateActions();
}

QUrlQuery AuditLogPage::currentFilter() const
{
    QUrlQuery q;
    if (const QString tenant = m_tenant->tenant(); !tenant.isEmpty())
        q.addQueryItem(u"tenant"_s, tenant);
    if (const QString actor = m_actor->text().trimmed(); !actor.isEmpty())
        q.addQueryItem(u"actor"_s, actor);
    if (const QString action = m_action->currentText().trimmed(); !action.isEmpty())
        q.addQueryItem(u"action"_s, action);
    if (m_fromOn->isChecked())
        q.addQueryItem(u"since"_s, m_from->dateTime().toUTC().toString(Qt::ISODateWithMs));
    if (m_toOn->isChecked())
        q.addQueryItem(u"until"_s, m_to->dateTime().toUTC().toString(Qt::ISODateWithMs));
    return q;
}

void AuditLogPage::applyFilter()
{
    m_filter = currentFilter();
    m_model->clear();
    loadPage(false);
}

// The first page (as many rows as shown, so that a reload keeps what "Load more" brought), or
// the next one.
void AuditLogPage::loadPage(bool more)
{
    if (!mayRead() || (more && m_nextBefore == 0))
        return;
    QUrlQuery q = m_filter;
    const int shown = m_model->rowCount();
    q.addQueryItem(u"limit"_s,
                   QString::number(more ? kPageSize : std::clamp(shown, kPageSize, kMaxLimit)));
    if (more)
        q.addQueryItem(u"before"_s, QString::number(m_nextBefore));
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    const qint64 keep =
        selected.isEmpty() ? 0 : selected.first().data(AuditLogModel::IdRole).toLongLong();
    const quint64 request = ++m_request;
    m_loading = true;
    updateActions();
    m_client->get(u"/v1/audit"_s, q, this, [this, request, more, keep](const ApiResponse &r) {
        if (request != m_request)
            return; // cleared, or asked again meanwhile
        m_loading = false;
        if (r.ok())
            takePage(r.object, more, keep);
        else if (r.status == 403)
            m_message->say(tr("The audit log needs an admin token; this token may not read it."),
                           true);
        else
            m_message->say(tr("Could not load the audit log. %1").arg(r.message()), true);
        updateActions();
    });
}

void AuditLogPage::takePage(const QJsonObject &answer, bool more, qint64 keepSelected)
{
    const QJsonArray items = answer.value("items"_L1).toArray();
    if (more) {
        m_model->appendEntries(items);
    } else {
        m_model->setEntries(items);
        m_dataTime = QDateTime::currentDateTimeUtc();
        m_view->resizeColumnsToContents();
        if (const int row = m_model->rowOf(keepSelected); row >= 0)
            m_view->selectRow(row);
    }
    const QJsonValue next = answer.value("next_before"_L1);
    m_nextBefore = next.isDouble() ? next.toInteger() : 0;
    m_count->setText(m_nextBefore ? tr("%n entries shown; more match.", "", m_model->rowCount())
                                  : tr("%n entries.", "", m_model->rowCount()));
    if (m_message->isProblem())
        m_message->say(QString(), false); // a problem shown before is over
}

void AuditLogPage::showDetails()
{
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    if (selected.isEmpty()) {
        m_details->clear();
        return;
    }
    const AuditEntry &e = m_model->entry(selected.first().row());
    const QString details = e.detailsText();
    m_details->setPlainText(details.isEmpty() ? tr("No details recorded.") : details);
}

void AuditLogPage::askFileAndExport()
{
    const QString suggested = QDir::home().filePath(
        u"ferry-audit-%1.csv"_s.arg(QDate::currentDate().toString(u"yyyy-MM-dd"_s)));
    auto *dialog =
        new QFileDialog(this, tr("Export the audit log"), suggested, tr("CSV files (*.csv)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(u"csv"_s);
    connect(dialog, &QFileDialog::fileSelected, this, &AuditLogPage::exportTo);
    dialog->open();
}

void AuditLogPage::exportTo(const QString &path)
{
    if (!mayRead() || m_exporter->isRunning())
        return;
    if (currentFilter() != m_filter)
        applyFilter(); // the file holds what the table shows
    m_progress = new QProgressDialog(tr("Exporting the audit log…"), tr("Cancel"), 0, 0, this);
    m_progress->setWindowTitle(tr("Export CSV"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(500); // only long exports show it
    m_progress->setAutoReset(false);
    m_progress->setAutoClose(false);
    connect(m_progress, &QProgressDialog::canceled, m_exporter, &AuditExporter::cancel);
    m_exporter->start(m_filter, path);
    updateActions();
}

void AuditLogPage::exportFinished(bool ok, const QString &message)
{
    if (m_progress) {
        m_progress->deleteLater();
        m_progress = nullptr;
    }
    m_message->say(message, !ok);
    if (ok)
        Q_EMIT actionDone(message);
    updateActions();
}

void AuditLogPage::updateActions()
{
    const bool may = mayRead();
    for (QWidget *w : std::initializer_list<QWidget *>{m_tenant, m_actor, m_action, m_fromOn,
                                                       m_toOn, m_apply, m_view, m_details})
        w->setEnabled(may);
    m_from->setEnabled(may && m_fromOn->isChecked());
    m_to->setEnabled(may && m_toOn->isChecked());
    const QString needsAdmin = tr("Needs an admin token (of every tenant, or of one tenant for "
                                  "that tenant's entries).");
    m_loadMore->setEnabled(may && m_nextBefore > 0 && !m_loading);
    m_loadMore->setToolTip(!may                ? needsAdmin
                           : m_nextBefore == 0 ? tr("Every matching entry is shown.")
                                               : tr("Load the next %1 entries").arg(kPageSize));
    m_export->setEnabled(may && !m_exporter->isRunning());
    m_export->setToolTip(!may ? needsAdmin
                         : m_exporter->isRunning()
                             ? tr("An export is running.")
                             : tr("Write every entry the filter matches to a CSV file"));
}

} // namespace ferry::console
