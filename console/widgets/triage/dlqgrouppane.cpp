#include "console/widgets/triage/dlqgrouppane.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/statewords.h"
#include "console/core/uiformat.h"
#include "console/models/dlqgroupmodel.h"
#include "console/models/dlqrecentattemptmodel.h"
#include "console/models/guardhealth.h"

#include <QAction>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableView>
#include <QToolButton>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The group's filter as a GET /v1/dlq query (the route's id as a whole number, an empty reason
// kept: no recorded reason).
QUrlQuery listQuery(const QJsonObject &filter, int limit)
{
    QUrlQuery q;
    for (auto it = filter.constBegin(); it != filter.constEnd(); ++it) {
        q.addQueryItem(it.key(),
                       it->isDouble() ? QString::number(qint64(it->toDouble())) : it->toString());
    }
    q.addQueryItem(u"limit"_s, QString::number(limit));
    return q;
}

QLabel *selectableLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

DlqGroupPane::DlqGroupPane(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_title(new QLabel(this))
    , m_endpoint(selectableLabel(this))
    , m_channel(selectableLabel(this))
    , m_route(selectableLabel(this))
    , m_breakerIcon(new QLabel(this))
    , m_breaker(new QLabel(this))
    , m_count(selectableLabel(this))
    , m_seen(selectableLabel(this))
    , m_latestError(selectableLabel(this))
    , m_details(new QWidget(this))
    , m_buttons(new QWidget(this))
    , m_attemptsNote(new QLabel(this))
    , m_attempts(new DlqRecentAttemptModel(this))
    , m_attemptView(new QTableView(this))
    , m_attemptError(new QPlainTextEdit(this))
{
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_details->setLayout(buildSummary());
    auto *buttons = new QHBoxLayout(m_buttons);
    buttons->setContentsMargins(0, 0, 0, 0);
    setUpAttempts();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_details);
    layout->addWidget(m_buttons);
    layout->addWidget(m_attemptsNote);
    layout->addWidget(m_attemptView, 1);
    layout->addWidget(m_attemptError);
    clear(tr("Select a group to see its endpoint, breaker and recent attempts."));
}

DlqGroupPane::~DlqGroupPane() = default;

// The recent attempts' table, and the selected one's whole error under it.
void DlqGroupPane::setUpAttempts()
{
    m_attemptsNote->setWordWrap(true);
    m_attemptView->setModel(m_attempts);
    m_attemptView->setAccessibleName(tr("Recent attempts of the group"));
    m_attemptView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_attemptView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_attemptView->verticalHeader()->hide();
    m_attemptView->setWordWrap(false);
    m_attemptView->horizontalHeader()->setStretchLastSection(true);
    m_attemptError->setReadOnly(true);
    m_attemptError->setAccessibleName(tr("Error of the selected attempt"));
    m_attemptError->setPlaceholderText(tr("Select an attempt to read its whole error."));
    m_attemptError->setMaximumHeight(90);
    connect(m_attemptView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DlqGroupPane::showAttemptError);
}

QFormLayout *DlqGroupPane::buildSummary()
{
    auto *breaker = new QHBoxLayout;
    breaker->addWidget(m_breakerIcon);
    breaker->addWidget(m_breaker, 1);
    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Endpoint:"), m_endpoint);
    form->addRow(tr("Channel:"), m_channel);
    form->addRow(tr("Route:"), m_route);
    form->addRow(tr("Breaker:"), breaker);
    form->addRow(tr("Dead:"), m_count);
    form->addRow(tr("Seen:"), m_seen);
    form->addRow(tr("Latest error:"), m_latestError);
    return form;
}

void DlqGroupPane::setActions(const QList<QAction *> &actions)
{
    for (QAction *action : actions) {
        auto *button = new QToolButton(m_buttons);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_buttons->layout()->addWidget(button);
    }
    static_cast<QHBoxLayout *>(m_buttons->layout())->addStretch(1);
}

void DlqGroupPane::showGroup(const DlqGroup &group)
{
    const QString reason =
        group.reason.isEmpty() ? tr("no reason recorded") : deadReasonText(group.reason);
    m_title->setText(
        tr("<b>%1</b> · %2").arg(group.tenant.toHtmlEscaped(), reason.toHtmlEscaped()));
    m_endpoint->setText(group.endpointText());
    m_endpoint->setToolTip(tr("Route %1").arg(group.endpoint));
    m_channel->setText(group.channel);
    m_route->setText(group.routeEnabled
                         ? tr("enabled")
                         : tr("disabled: it makes no new deliveries, and replayed ones die again"));
    m_count->setText(tr("%Ln dead deliveries", "", int(group.count)));
    m_seen->setText(
        tr("first %1, last %2")
            .arg(localDateTimeText(group.firstSeen), localDateTimeText(group.lastSeen)));
    m_latestError->setText(group.lastError.isEmpty() ? u"—"_s : group.lastError);
    m_details->show();
    m_buttons->show();
    m_attemptView->show();
    m_attemptError->show();
    const QString last = group.lastSeen.toString(Qt::ISODateWithMs);
    if (group.key() != m_shownKey || last != m_shownLast)
        loadAttempts(group);
}

void DlqGroupPane::setBreaker(const QString &state, const QString &toolTip)
{
    const QIcon icon = GuardHealth::breakerIcon(state);
    m_breakerIcon->setPixmap(icon.isNull() ? QPixmap() : icon.pixmap(12, 12));
    m_breaker->setText(GuardHealth::breakerLabel(state));
    m_breaker->setToolTip(toolTip);
    m_breakerIcon->setToolTip(toolTip);
}

void DlqGroupPane::clear(const QString &hint)
{
    ++m_generation; // answers still on their way are dropped
    m_shownKey.clear();
    m_shownLast.clear();
    m_title->setText(hint.toHtmlEscaped());
    m_details->hide();
    m_buttons->hide();
    m_attemptsNote->clear();
    m_attempts->clear();
    m_attemptView->hide();
    m_attemptError->clear();
    m_attemptError->hide();
}

// The group's newest deliveries (GET /v1/dlq with its filter), then each one's attempts.
void DlqGroupPane::loadAttempts(const DlqGroup &group)
{
    const int generation = ++m_generation;
    m_shownKey = group.key();
    m_shownLast = group.lastSeen.toString(Qt::ISODateWithMs);
    m_attemptsNote->setText(tr("Loading the attempts of the newest deliveries…"));
    m_client->get(u"/v1/dlq"_s, listQuery(group.filter, kRecentDeliveries), this,
                  [this, generation](const ApiResponse &r) {
                      if (generation != m_generation)
                          return;
                      if (!r.ok()) {
                          m_attemptsNote->setText(
                              tr("Could not load the group's deliveries. %1").arg(r.message()));
                          return;
                      }
                      QStringList ids;
                      for (const QJsonValue &v : r.object.value("items"_L1).toArray())
                          ids.append(v.toObject().value("id"_L1).toString());
                      fetchDeliveries(ids, generation);
                  });
}

void DlqGroupPane::fetchDeliveries(const QStringList &ids, int generation)
{
    if (ids.isEmpty()) {
        m_attempts->clear();
        m_attemptsNote->setText(tr("The group has no dead deliveries any more."));
        Q_EMIT attemptsLoaded();
        return;
    }
    // Every answer lands here; the table fills when the last one arrived.
    auto answers = std::make_shared<QList<QJsonObject>>();
    auto pending = std::make_shared<int>(int(ids.size()));
    for (const QString &id : ids) {
        m_client->get(
            u"/v1/deliveries/%1"_s.arg(id), {}, this,
            [this, generation, answers, pending, n = ids.size()](const ApiResponse &r) {
                if (generation != m_generation)
                    return;
                if (r.ok())
                    answers->append(r.object);
                if (--*pending > 0)
                    return;
                m_attempts->setDeliveries(*answers);
                m_attemptView->resizeColumnsToContents();
                m_attemptsNote->setText(
                    answers->size() == n
                        ? tr("Attempts of the newest %Ln deliveries, newest first:", "", int(n))
                        : tr("Attempts of %1 of the newest %2 deliveries (the others could not "
                             "be loaded):")
                              .arg(answers->size())
                              .arg(n));
                Q_EMIT attemptsLoaded();
            });
    }
}

void DlqGroupPane::showAttemptError()
{
    const QModelIndex current = m_attemptView->currentIndex();
    m_attemptError->setPlainText(current.isValid() ? m_attempts->row(current.row()).error
                                                   : QString());
}

QString DlqGroupPane::title() const
{
    return m_title->text();
}

QString DlqGroupPane::endpointText() const
{
    return m_endpoint->text();
}

QString DlqGroupPane::breakerText() const
{
    return m_breaker->text();
}

QString DlqGroupPane::breakerToolTip() const
{
    return m_breaker->toolTip();
}

QString DlqGroupPane::latestErrorText() const
{
    return m_latestError->text();
}

QString DlqGroupPane::attemptsNote() const
{
    return m_attemptsNote->text();
}

QString DlqGroupPane::attemptErrorText() const
{
    return m_attemptError->toPlainText();
}

} // namespace ferry::console
