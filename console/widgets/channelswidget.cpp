#include "console/widgets/channelswidget.h"

#include "console/core/uiformat.h"
#include "console/models/accountguardfiltermodel.h"
#include "console/models/accountguardmodel.h"
#include "console/models/channelfiltermodel.h"
#include "console/models/channelmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// Sortable, one row selected at a time, the last column taking the rest of the width.
void setUpTable(QTableView *view, QAbstractItemModel *model, int sortColumn)
{
    view->setModel(model);
    view->setSortingEnabled(true);
    view->sortByColumn(sortColumn, Qt::AscendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    view->horizontalHeader()->setStretchLastSection(true);
}

// Once, with the first rows: later resizes would make the columns jump every second. The last
// column takes the rest (its tooltip holds the full text).
void sizeColumns(QTableView *view, int lastColumn)
{
    for (int c = 0; c < lastColumn; ++c) {
        view->resizeColumnToContents(c);
        view->setColumnWidth(c, std::max(view->columnWidth(c) + 16, 70));
    }
}

} // namespace

ChannelsWidget::ChannelsWidget(QWidget *parent)
    : QWidget(parent)
    , m_model(new ChannelModel(this))
    , m_proxy(new ChannelFilterModel(this))
    , m_view(new QTableView(this))
    , m_accounts(new AccountGuardModel(this))
    , m_accountsProxy(new AccountGuardFilterModel(this))
    , m_accountsView(new QTableView(this))
    , m_tenant(new QComboBox(this))
    , m_channel(new QComboBox(this))
    , m_problems(new QCheckBox(tr("&Problems only"), this))
    , m_errors(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    setUpTable(m_view, m_proxy, ChannelModel::Tenant);
    m_view->setAccessibleName(tr("Channel health"));

    m_tenant->addItem(tr("All tenants"), QString());
    m_channel->addItem(tr("All channels"), QString());
    m_tenant->setAccessibleName(tr("Tenant filter"));
    m_channel->setAccessibleName(tr("Channel filter"));
    m_problems->setAccessibleName(tr("Only endpoints with failures or recent errors"));
    m_errors->setAccessibleName(tr("Recent errors of the selected endpoint"));
    m_errors->setWordWrap(true);
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setText(tr("Select an endpoint to see its recent errors."));

    auto *bar = new QHBoxLayout;
    auto *tl = new QLabel(tr("&Tenant:"), this);
    tl->setBuddy(m_tenant);
    auto *cl = new QLabel(tr("C&hannel:"), this);
    cl->setBuddy(m_channel);
    bar->addWidget(tl);
    bar->addWidget(m_tenant);
    bar->addWidget(cl);
    bar->addWidget(m_channel);
    bar->addWidget(m_problems);
    bar->addStretch(1);

    auto *note = new QLabel(tr("Live, once a second. Rates and the use of rate limits are per "
                               "second over the last interval, latencies over the last minute. "
                               "An open breaker holds attempts back until it tries again; hover "
                               "over it for when and why."),
                            this);
    note->setWordWrap(true);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(accountsPanel());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(m_errors);
    layout->addWidget(note);

    connectFilters();
}

// The provider accounts' breakers and limiters, under a heading.
QWidget *ChannelsWidget::accountsPanel()
{
    m_accountsProxy->setSourceModel(m_accounts);
    setUpTable(m_accountsView, m_accountsProxy, AccountGuardModel::Tenant);
    m_accountsView->setAccessibleName(tr("Provider accounts"));
    auto *panel = new QWidget(this);
    auto *heading = new QLabel(tr("<b>Provider accounts</b> (breakers and limits shared by the "
                                  "routes of each account)"),
                               panel);
    heading->setBuddy(m_accountsView);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addWidget(heading);
    layout->addWidget(m_accountsView, 1);
    return panel;
}

// The filters narrow the lists; the current row shows its errors.
void ChannelsWidget::connectFilters()
{
    connect(m_tenant, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setTenant(m_tenant->currentData().toString());
        m_accountsProxy->setTenant(m_tenant->currentData().toString());
    });
    connect(m_channel, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setChannel(m_channel->currentData().toString()); });
    connect(m_problems, &QCheckBox::toggled, m_proxy, &ChannelFilterModel::setProblemsOnly);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ChannelsWidget::showErrorsOfCurrent);
}

ChannelsWidget::~ChannelsWidget() = default;

void ChannelsWidget::addSnapshot(const QJsonObject &snapshot)
{
    const QJsonArray guards = snapshot.value("guards"_L1).toArray();
    m_model->setChannels(snapshot.value("channels"_L1).toArray(), guards);
    m_accounts->setGuards(guards);
    m_dataTime = QDateTime::currentDateTimeUtc();
    ++m_updates;
    updateChoices();
    sizeColumnsOnce();
    showErrorsOfCurrent();
    Q_EMIT updated();
}

void ChannelsWidget::sizeColumnsOnce()
{
    if (!m_sized && m_model->rowCount() > 0) {
        sizeColumns(m_view, ChannelModel::RecentErrors);
        m_sized = true;
    }
    if (!m_accountsSized && m_accounts->rowCount() > 0) {
        sizeColumns(m_accountsView, AccountGuardModel::LastError);
        m_accountsSized = true;
    }
}

void ChannelsWidget::clear()
{
    m_model->clear();
    m_accounts->clear();
    m_dataTime = {};
    m_updates = 0;
    m_sized = false;
    m_accountsSized = false;
}

void ChannelsWidget::updateChoices()
{
    const auto refill = [](QComboBox *combo, const QStringList &values) {
        QStringList have;
        for (int i = 1; i < combo->count(); ++i)
            have.append(combo->itemData(i).toString());
        if (have == values)
            return;
        const QString current = combo->currentData().toString();
        const QSignalBlocker block(combo);
        while (combo->count() > 1)
            combo->removeItem(1);
        for (const QString &v : values)
            combo->addItem(v, v);
        combo->setCurrentIndex(std::max(0, combo->findData(current)));
    };
    QSet<QString> tenants;
    QSet<QString> channels;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        tenants.insert(m_model->item(i).tenant);
        channels.insert(m_model->item(i).channel);
    }
    for (int i = 0; i < m_accounts->rowCount(); ++i)
        tenants.insert(m_accounts->item(i).tenant);
    QStringList t(tenants.begin(), tenants.end());
    QStringList c(channels.begin(), channels.end());
    t.sort();
    c.sort();
    refill(m_tenant, t);
    refill(m_channel, c);
}

void ChannelsWidget::showErrorsOfCurrent()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_errors->setText(tr("Select an endpoint to see its recent errors."));
        return;
    }
    const ChannelHealth &c = m_model->item(m_proxy->mapToSource(current).row());
    if (c.recentErrors.isEmpty()) {
        m_errors->setText(tr("Endpoint %1 (%2, %3): no failed attempts in the last five minutes.")
                              .arg(c.endpoint)
                              .arg(c.tenant, c.channel));
        return;
    }
    QStringList lines;
    for (const auto &e :
         c.recentErrors) // of the last five minutes: the time of day tells them apart
        lines.append(u"%1  %2"_s.arg(localClockText(e.at), e.error));
    m_errors->setText(
        tr("Endpoint %1 (%2, %3), recent errors:").arg(c.endpoint).arg(c.tenant, c.channel) +
        u'\n' + lines.join(u'\n'));
}

} // namespace ferry::console
