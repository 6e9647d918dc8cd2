#include "console/widgets/deliverydetailwidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/statewords.h"
#include "console/core/uiformat.h"
#include "console/models/attemptmodel.h"

#include <QDateTime>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

DeliveryDetailWidget::DeliveryDetailWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_summary(new QLabel(this))
    , m_attemptView(new QTableView(this))
    , m_attempts(new AttemptModel(this))
    , m_notes(new QPlainTextEdit(this))
    , m_payload(new QPlainTextEdit(this))
    , m_headers(new QPlainTextEdit(this))
{
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("Delivery summary"));
    m_attemptView->setModel(m_attempts);
    m_attemptView->setAccessibleName(tr("Attempts"));
    m_attemptView->verticalHeader()->hide();
    m_attemptView->setWordWrap(false);
    m_attemptView->setTextElideMode(Qt::ElideRight);
    m_attemptView->horizontalHeader()->setStretchLastSection(true);
    m_attemptView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_notes->setReadOnly(true);
    m_notes->setAccessibleName(tr("Notes"));
    m_payload->setReadOnly(true);
    m_payload->setAccessibleName(tr("Event payload"));
    m_payload->setFont(QFont(u"monospace"_s));
    m_payload->setLineWrapMode(QPlainTextEdit::NoWrap);

    m_headers->setReadOnly(true);
    m_headers->setAccessibleName(tr("Request headers"));
    m_headers->setFont(QFont(u"monospace"_s));
    m_headers->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *tabs = new QTabWidget(this);
    tabs->addTab(m_attemptView, tr("Attempts"));
    tabs->addTab(m_payload, tr("Event"));
    tabs->addTab(m_headers, tr("Headers"));
    tabs->addTab(m_notes, tr("Notes"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(tabs, 1);
    clear();
}

void DeliveryDetailWidget::clear()
{
    m_id.clear();
    m_summary->setText(tr("Select a delivery to see its attempts and event."));
    m_attempts->setAttempts({});
    m_notes->clear();
    m_payload->clear();
    m_headers->clear();
}

QString DeliveryDetailWidget::headersText() const
{
    return m_headers->toPlainText();
}

void DeliveryDetailWidget::showDelivery(const QString &id)
{
    m_id = id;
    m_summary->setText(tr("Loading delivery %1…").arg(id));
    m_client->get(u"/v1/deliveries/"_s + id, {}, this, [this, id](const ApiResponse &r) {
        if (id != m_id)
            return;
        if (!r.ok()) {
            m_summary->setText(r.message().toHtmlEscaped());
            m_attempts->setAttempts({});
            m_payload->clear();
            m_notes->clear();
            m_headers->clear();
            return;
        }
        render(r.object);
        Q_EMIT loaded(r.object);
    });
}

void DeliveryDetailWidget::render(const QJsonObject &d)
{
    const auto field = [&d](const char *key) {
        const QJsonValue v = d.value(QLatin1StringView(key));
        return (v.isDouble() ? QString::number(qint64(v.toDouble())) : v.toString())
            .toHtmlEscaped();
    };
    const auto word = [&d](const char *key, QString (*text)(const QString &)) {
        return text(d.value(QLatin1StringView(key)).toString()).toHtmlEscaped();
    };
    QString html = u"<b>%1</b> · %2<br>"_s.arg(field("id"), word("state", deliveryStateText));
    // The endpoint by name and URL, never by its internal id.
    const QString endpoint = d.value("endpoint_name"_L1).toString().isEmpty()
                                 ? field("url")
                                 : u"%1 — %2"_s.arg(field("endpoint_name"), field("url"));
    html +=
        tr("Tenant %1, endpoint %2, channel %3").arg(field("tenant"), endpoint, field("channel"));
    html += u"<br>"_s + tr("Event %1 of type %2, partition key %3")
                            .arg(field("event_id"), field("event_type"),
                                 d.value("partition_key"_L1).toString().isEmpty()
                                     ? tr("(none)")
                                     : field("partition_key"));
    if (!d.value("reason"_L1).toString().isEmpty())
        html += u"<br>"_s +
                tr("Dead: %1 — %2").arg(word("reason", deadReasonText), field("last_error"));
    if (!d.value("triage_status"_L1).toString().isEmpty())
        html +=
            u"<br>"_s + tr("Triage: %1, assignee: %2")
                            .arg(word("triage_status", triageStatusText),
                                 d.value("assignee"_L1).toString().isEmpty() ? tr("nobody")
                                                                             : field("assignee"));
    m_summary->setText(html);
    m_attempts->setAttempts(d.value("attempt_log"_L1).toArray());
    // Whole times and outcomes; the last column (the error) takes the rest.
    for (int c = 0; c + 1 < m_attempts->columnCount(); ++c)
        m_attemptView->resizeColumnToContents(c);
    m_payload->setPlainText(QString::fromUtf8(
        QJsonDocument(d.value("event"_L1).toObject()).toJson(QJsonDocument::Indented)));
    QStringList headers{tr("Sent with every attempt, besides the event as the body:"), QString()};
    for (const auto &v : d.value("request_headers"_L1).toArray()) {
        const QJsonObject h = v.toObject();
        headers.append(h.value("name"_L1).toString() + u": "_s + h.value("value"_L1).toString());
    }
    m_headers->setPlainText(headers.size() > 2 ? headers.join(u'\n') : QString());
    QStringList notes;
    for (const auto &v : d.value("notes"_L1).toArray()) {
        const QJsonObject n = v.toObject();
        notes.append(tr("%1 — %2: %3")
                         .arg(localDateTimeText(
                                  QDateTime::fromString(n.value("at"_L1).toString(), Qt::ISODate)),
                              n.value("actor"_L1).toString(), n.value("note"_L1).toString()));
    }
    m_notes->setPlainText(notes.isEmpty() ? tr("No notes yet.") : notes.join(u'\n'));
}

} // namespace ferry::console
