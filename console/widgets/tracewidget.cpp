#include "console/widgets/tracewidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/deliverysearchmodel.h"
#include "console/widgets/deliverydetailwidget.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableView>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

TraceWidget::TraceWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_by(new QComboBox(this))
    , m_input(new QLineEdit(this))
    , m_message(new QLabel(this))
    , m_view(new QTableView(this))
    , m_results(new DeliverySearchModel(this))
    , m_detail(new DeliveryDetailWidget(client, this))
{
    m_by->addItem(tr("Delivery id"), int(SearchBy::DeliveryId));
    m_by->addItem(tr("Event id"), int(SearchBy::EventId));
    m_by->addItem(tr("Partition key"), int(SearchBy::PartitionKey));
    m_by->setAccessibleName(tr("Search by"));
    m_input->setPlaceholderText(tr("Paste an id or a partition key and press Enter"));
    m_input->setAccessibleName(tr("Search text"));
    m_input->setClearButtonEnabled(true);
    auto *go = new QPushButton(tr("&Search"), this);
    go->setAccessibleName(tr("Search"));
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("Search result"));
    m_view->setModel(m_results);
    m_view->setAccessibleName(tr("Deliveries found"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->horizontalHeader()->setStretchLastSection(true);

    auto *bar = new QHBoxLayout;
    auto *label = new QLabel(tr("Find &by:"), this);
    label->setBuddy(m_by);
    bar->addWidget(label);
    bar->addWidget(m_by);
    bar->addWidget(m_input, 1);
    bar->addWidget(go);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);

    connect(go, &QPushButton::clicked, this, &TraceWidget::searchFromInput);
    connect(m_input, &QLineEdit::returnPressed, this, &TraceWidget::searchFromInput);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_detail->showDelivery(m_results->idAt(current.row()));
            });
    connect(m_detail, &DeliveryDetailWidget::loaded, this, [this] {
        m_dataTime = QDateTime::currentDateTimeUtc();
        Q_EMIT updated();
    });
    setMessage(tr("Search for a delivery by its id, its event's id or its partition key."));
}

QString TraceWidget::message() const
{
    return m_message->text();
}

void TraceWidget::setMessage(const QString &text)
{
    m_message->setText(text);
}

void TraceWidget::focusSearch()
{
    m_input->setFocus();
    m_input->selectAll();
}

void TraceWidget::searchFromInput()
{
    search(SearchBy(m_by->currentData().toInt()), m_input->text().trimmed());
}

void TraceWidget::search(SearchBy by, const QString &text)
{
    m_by->setCurrentIndex(m_by->findData(int(by)));
    m_input->setText(text);
    if (text.isEmpty()) {
        setMessage(tr("Enter what to search for."));
        return;
    }
    if (by == SearchBy::DeliveryId) {
        static const QRegularExpression uuid(u"^[0-9a-fA-F-]{36}$"_s);
        if (!uuid.match(text).hasMatch()) {
            setMessage(tr("A delivery id looks like 0190c6de-3b1e-7c4a-9f6e-2b8d1c0e4a11."));
            return;
        }
        m_results->setItems({});
        setMessage(tr("Delivery %1:").arg(text));
        m_detail->showDelivery(text);
        return;
    }
    QUrlQuery query;
    query.addQueryItem(by == SearchBy::EventId ? u"event_id"_s : u"partition_key"_s, text);
    query.addQueryItem(u"limit"_s, u"200"_s);
    setMessage(tr("Searching…"));
    m_client->get(u"/v1/deliveries"_s, query, this, [this](const ApiResponse &r) {
        if (r.status == 404 || r.status == 405) {
            setMessage(tr("This agent does not offer delivery search (GET /v1/deliveries) yet; "
                          "search by delivery id works. Update the agent to search by event id "
                          "or partition key."));
            return;
        }
        if (!r.ok()) {
            setMessage(tr("Search failed. %1").arg(r.message()));
            return;
        }
        const QJsonArray items = r.object.value("items"_L1).toArray();
        m_results->setItems(items);
        for (int c = 0; c + 1 < m_results->columnCount(); ++c)
            m_view->resizeColumnToContents(c);
        m_dataTime = QDateTime::currentDateTimeUtc();
        Q_EMIT updated();
        setMessage((items.isEmpty() ? tr("No delivery found.")
                                    : tr("Deliveries found: %n.", "", int(items.size()))) +
                   (r.freshnessNote().isEmpty() ? QString() : u' ' + r.freshnessNote()));
        if (!items.isEmpty())
            m_view->selectRow(0);
    });
}

} // namespace ferry::console
