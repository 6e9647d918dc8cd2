#include "console/widgets/admin/quotadialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QVBoxLayout>

#include <optional>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

constexpr qint64 kMaxInt = 2147483647;
constexpr qint64 kMaxPerDay = qint64(1) << 50;
constexpr qint64 kMaxLatencyMs = qint64(366) * 86400000;

QString quotaText(const QJsonObject &quotas, QLatin1StringView key)
{
    const QJsonValue v = quotas.value(key);
    return v.isNull() || v.isUndefined() ? QString() : QString::number(v.toInteger());
}

// A whole number from 0 to max in the field ("" is 0); nullopt when it is not one.
std::optional<qint64> wholeNumber(const QLineEdit *edit, qint64 min, qint64 max)
{
    const QString text = edit->text().trimmed().remove(u' ');
    if (text.isEmpty())
        return min == 0 ? std::optional<qint64>(0) : std::nullopt;
    bool ok = false;
    qint64 n = QLocale().toLongLong(text, &ok);
    if (!ok)
        n = text.toLongLong(&ok);
    return ok && n >= min && n <= max ? std::optional<qint64>(n) : std::nullopt;
}

std::optional<double> percent(const QLineEdit *edit)
{
    const QString text = edit->text().trimmed().remove(u'%').trimmed();
    bool ok = false;
    double p = QLocale().toDouble(text, &ok);
    if (!ok)
        p = text.toDouble(&ok);
    return ok && p > 0 && p <= 100 ? std::optional<double>(p) : std::nullopt;
}

} // namespace

QuotaDialog::QuotaDialog(const QJsonObject &tenant, QWidget *parent)
    : CheckedDialog(parent)
{
    setWindowTitle(tr("Quotas and SLA of %1").arg(tenant.value("name"_L1).toString()));
    const QJsonObject quotas = tenant.value("quotas"_L1).toObject();
    const QJsonObject sla = tenant.value("sla"_L1).toObject();
    const QString values[FieldCount] = {
        quotaText(quotas, "max_events_per_second"_L1), quotaText(quotas, "max_events_per_day"_L1),
        quotaText(quotas, "max_payload_bytes"_L1),
        QLocale().toString(sla.value("target"_L1).toDouble(0.99) * 100.0, 'g', 6),
        QString::number(sla.value("latency_ms"_L1).toInteger(60000))};
    const QString labels[FieldCount] = {tr("Events per &second:"), tr("Events per &day:"),
                                        tr("Largest &event (bytes):"), tr("SLA &target (%):"),
                                        tr("SLA &latency (ms):")};
    auto *form = new QFormLayout;
    for (int f = 0; f < FieldCount; ++f) {
        m_fields[f] = new QLineEdit(values[f], this);
        if (f <= MaxPayload)
            m_fields[f]->setPlaceholderText(tr("no limit"));
        form->addRow(labels[f], m_fields[f]);
    }
    auto *hint = new QLabel(tr("Quotas: empty or 0 is no limit. The SLA target is the share of "
                               "deliveries that must succeed within the latency."),
                            this);
    hint->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QuotaDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(problemLabel());
    layout->addWidget(buttons);
}

QString QuotaDialog::problem() const
{
    if (!wholeNumber(m_fields[EventsPerSecond], 0, kMaxInt))
        return tr("Events per second: a whole number from 0 (no limit) to %1.")
            .arg(QLocale().toString(kMaxInt));
    if (!wholeNumber(m_fields[EventsPerDay], 0, kMaxPerDay))
        return tr("Events per day: a whole number from 0 (no limit) to %1.")
            .arg(QLocale().toString(kMaxPerDay));
    if (!wholeNumber(m_fields[MaxPayload], 0, kMaxInt))
        return tr("Largest event: a number of bytes from 0 (no limit) to %1.")
            .arg(QLocale().toString(kMaxInt));
    if (!percent(m_fields[SlaTarget]))
        return tr("SLA target: a percentage above 0 and at most 100, such as 99.5.");
    if (!wholeNumber(m_fields[SlaLatency], 1, kMaxLatencyMs))
        return tr("SLA latency: a whole number of milliseconds from 1 to %1 (366 days).")
            .arg(QLocale().toString(kMaxLatencyMs));
    return {};
}

QJsonObject QuotaDialog::body() const
{
    const auto n = [this](Field f, qint64 min, qint64 max) {
        return double(wholeNumber(m_fields[f], min, max).value_or(0));
    };
    return {{u"quotas"_s, QJsonObject{{u"events_per_second"_s, n(EventsPerSecond, 0, kMaxInt)},
                                      {u"events_per_day"_s, n(EventsPerDay, 0, kMaxPerDay)},
                                      {u"max_payload_bytes"_s, n(MaxPayload, 0, kMaxInt)}}},
            {u"sla"_s, QJsonObject{{u"target"_s, percent(m_fields[SlaTarget]).value_or(99) / 100.0},
                                   {u"latency_ms"_s, n(SlaLatency, 1, kMaxLatencyMs)}}}};
}

} // namespace ferry::console
