#include "console/models/guardhealth.h"

#include "console/core/uiformat.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPainter>
#include <QPixmap>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

std::optional<double> optionalDouble(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

} // namespace

GuardHealth GuardHealth::fromJson(const QJsonObject &o)
{
    GuardHealth g;
    g.scope = o.value("scope"_L1).toString();
    g.id = qint64(o.value("id"_L1).toDouble());
    g.name = o.value("name"_L1).toString();
    g.tenant = o.value("tenant"_L1).toString();
    g.channel = o.value("channel"_L1).toString();
    g.breaker = o.value("breaker"_L1).toString();
    g.retryAt = QDateTime::fromString(o.value("retry_at"_L1).toString(), Qt::ISODate);
    g.openedCount = qint64(o.value("opened_count"_L1).toDouble());
    g.lastError = o.value("last_error"_L1).toString();
    g.ratePerSecond = optionalDouble(o.value("rate_per_second"_L1));
    g.rateLimitUse = optionalDouble(o.value("rate_limit_use"_L1));
    g.inFlight = qint64(o.value("in_flight"_L1).toDouble());
    if (o.value("max_concurrency"_L1).isDouble())
        g.maxConcurrency = qint64(o.value("max_concurrency"_L1).toDouble());
    return g;
}

QList<GuardHealth> GuardHealth::listFromJson(const QJsonArray &guards, const QString &scope)
{
    QList<GuardHealth> out;
    for (const QJsonValue &v : guards) {
        const QJsonObject o = v.toObject();
        if (o.value("scope"_L1).toString() == scope)
            out.append(fromJson(o));
    }
    return out;
}

QString GuardHealth::breakerLabel(const QString &state)
{
    if (state == "closed"_L1)
        return tr("closed");
    if (state == "open"_L1)
        return tr("open");
    if (state == "half_open"_L1)
        return tr("half open");
    return state.isEmpty() ? u"—"_s : state;
}

Severity GuardHealth::breakerSeverity(const QString &state)
{
    if (state == "open"_L1)
        return Severity::Problem;
    return state == "half_open"_L1 ? Severity::Warning : Severity::None;
}

QIcon GuardHealth::breakerIcon(const QString &state)
{
    QColor color;
    if (state == "closed"_L1)
        color = QColor(0x2e, 0x9e, 0x44);
    else if (state == "open"_L1)
        color = QColor(0xd9, 0x30, 0x25);
    else if (state == "half_open"_L1)
        color = QColor(0xf2, 0xa9, 0x00);
    else
        return {};
    QPixmap dot(12, 12);
    dot.fill(Qt::transparent);
    QPainter painter(&dot);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(color.darker(130));
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return {dot};
}

QString GuardHealth::percent(const std::optional<double> &share)
{
    return share ? percentText(*share * 100.0) : u"—"_s;
}

QString GuardHealth::breakerToolTip() const
{
    QStringList lines;
    if (breaker == "open"_L1) {
        lines.append(retryAt.isValid() ? tr("Open: no attempts until %1, then one trial attempt.")
                                             .arg(localClockText(retryAt))
                                       : tr("Open: no attempts until the agent tries again."));
    } else if (breaker == "half_open"_L1) {
        lines.append(tr("Half open: one trial attempt decides whether it closes again."));
    } else {
        lines.append(tr("Closed: attempts go through."));
    }
    lines.append(tr("Times opened: %1").arg(countText(openedCount)));
    if (!lastError.isEmpty())
        lines.append(tr("Last error: %1").arg(lastError));
    return lines.join(u'\n');
}

} // namespace ferry::console
