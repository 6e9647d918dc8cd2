#include "console/widgets/tenantswidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/uiformat.h"
#include "console/models/tenantslafiltermodel.h"
#include "console/models/tenantslamodel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

TenantsWidget::TenantsWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new TenantSlaModel(this))
    , m_proxy(new TenantSlaFilterModel(this))
    , m_view(new QTableView(this))
    , m_window(new QComboBox(this))
    , m_filter(new QLineEdit(this))
    , m_attention(new QCheckBox(tr("Needing &attention only"), this))
    , m_feedback(new QLabel(this))
    , m_summary(new QLabel(this))
{
    setUpView();

    m_window->addItem(tr("last hour"), u"1h"_s);
    m_window->addItem(tr("last 24 hours"), u"24h"_s);
    m_window->addItem(tr("last 7 days"), u"7d"_s);
    m_window->setCurrentIndex(1);
    m_window->setAccessibleName(tr("SLA window"));
    m_filter->setPlaceholderText(tr("all tenants"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Tenant filter"));
    m_attention->setAccessibleName(tr("Only tenants below target or with deliveries at risk"));
    m_feedback->setWordWrap(true);
    m_feedback->setAccessibleName(tr("Error"));
    m_feedback->hide();
    m_summary->setAccessibleName(tr("SLA summary"));
    m_summary->setWordWrap(true);

    createRefreshAction();

    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("Tenant actions"));
    toolbar->addAction(m_refreshAction);

    auto *bar = new QHBoxLayout;
    auto *wl = new QLabel(tr("&Window:"), this);
    wl->setBuddy(m_window);
    auto *fl = new QLabel(tr("&Tenant:"), this);
    fl->setBuddy(m_filter);
    bar->addWidget(wl);
    bar->addWidget(m_window);
    bar->addWidget(fl);
    bar->addWidget(m_filter);
    bar->addWidget(m_attention);
    bar->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addLayout(bar);
    layout->addWidget(m_feedback);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);

    connect(m_window, &QComboBox::currentIndexChanged, this, &TenantsWidget::refresh);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &TenantSlaFilterModel::setTenantFilter);
    connect(m_attention, &QCheckBox::toggled, m_proxy, &TenantSlaFilterModel::setAttentionOnly);
}

void TenantsWidget::setUpView()
{
    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TenantSlaModel::Tenant, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Tenant SLAs and quotas"));
}

void TenantsWidget::createRefreshAction()
{
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_refreshAction->setToolTip(tr("Load the SLAs and quotas again (F5)"));
    addAction(m_refreshAction);
    connect(m_refreshAction, &QAction::triggered, this, &TenantsWidget::refresh);
}

TenantsWidget::~TenantsWidget() = default;

QList<QAction *> TenantsWidget::screenActions() const
{
    return {m_refreshAction};
}

QString TenantsWidget::summary() const
{
    return m_summary->text();
}

QString TenantsWidget::feedback() const
{
    return m_feedback->isHidden() ? QString() : m_feedback->text();
}

QString TenantsWidget::window() const
{
    return m_window->currentData().toString();
}

void TenantsWidget::setWindow(const QString &window)
{
    m_window->setCurrentIndex(std::max(0, m_window->findData(window)));
}

void TenantsWidget::showError(const QString &text)
{
    m_feedback->setText(text);
    m_feedback->setStyleSheet(
        text.isEmpty() ? QString()
                       : u"QLabel { color: white; background: #b3261e; padding: 4px; }"_s);
    m_feedback->setVisible(!text.isEmpty());
}

void TenantsWidget::refresh()
{
    const quint64 request = ++m_request;
    QUrlQuery query;
    query.addQueryItem(u"window"_s, window());
    query.addQueryItem(u"limit"_s, u"1000"_s);
    m_client->get(u"/v1/sla"_s, query, this, [this, request](const ApiResponse &r) {
        if (request != m_request)
            return; // another window was chosen meanwhile
        if (!r.ok()) {
            showError(tr("Could not load the SLAs. %1").arg(r.message()));
            return;
        }
        m_model->setSla(r.object.value("items"_L1).toArray());
        const QString freshness = r.freshnessNote();
        m_client->get(u"/v1/tenants"_s, {}, this, [this, request, freshness](const ApiResponse &t) {
            if (request != m_request)
                return;
            if (!t.ok()) {
                showError(tr("Could not load the tenants' quotas. %1").arg(t.message()));
                return;
            }
            m_model->setTenants(t.object.value("items"_L1).toArray());
            showError({});
            int below = 0;
            int risky = 0;
            for (int i = 0; i < m_model->rowCount(); ++i) {
                below += m_model->item(i).belowTarget() ? 1 : 0;
                risky += m_model->item(i).atRisk > 0 ? 1 : 0;
            }
            m_summary->setText(
                tr("%n tenant(s).", "", m_model->rowCount()) + u' ' +
                tr("Below target: %1; with deliveries at risk: %2. Rows below target are red, "
                   "rows at risk amber.")
                    .arg(countText(below), countText(risky)) +
                (freshness.isEmpty() ? QString() : u' ' + freshness));
            m_view->resizeColumnsToContents();
            m_dataTime = QDateTime::currentDateTimeUtc();
            Q_EMIT updated();
        });
    });
}

} // namespace ferry::console
