#include "console/models/accountguardmodel.h"

#include "console/core/uiformat.h"

#include <QJsonArray>
#include <QLocale>

#include <tuple>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

auto key(const GuardHealth &g)
{
    return std::tie(g.tenant, g.channel, g.name, g.id);
}

} // namespace

AccountGuardModel::AccountGuardModel(QObject *parent)
    : LiveTableModel(parent)
{}

int AccountGuardModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int AccountGuardModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccountGuardModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const GuardHealth &g = m_items.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::BackgroundRole: {
        const QColor color = severityBackground(GuardHealth::breakerSeverity(g.breaker));
        return color.isValid() ? QVariant(color) : QVariant();
    }
    case Qt::DecorationRole:
        return column == Breaker ? QVariant(GuardHealth::breakerIcon(g.breaker)) : QVariant();
    case Qt::ToolTipRole:
        return toolTip(g, column);
    case Qt::TextAlignmentRole: {
        const bool number = column == RateLimit || column == RateLimitUse || column == InFlight;
        return number ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    }
    case Qt::DisplayRole:
    case SortRole:
        return value(g, column, role == SortRole);
    default:
        return {};
    }
}

QVariant AccountGuardModel::toolTip(const GuardHealth &g, Column column)
{
    switch (column) {
    case Breaker:
        return g.breakerToolTip();
    case RateLimit:
    case RateLimitUse:
        return g.ratePerSecond ? QVariant() : QVariant(tr("This account has no rate limit."));
    case LastError:
        return g.lastError.isEmpty() ? QVariant() : QVariant(g.lastError);
    default:
        return {};
    }
}

// The text shown, or with `sort` the value the column sorts by.
QVariant AccountGuardModel::value(const GuardHealth &g, Column column, bool sort)
{
    switch (column) {
    case Tenant:
        return g.tenant;
    case Account:
        return g.name;
    case Provider:
        return g.channel;
    case Breaker:
        return sort ? QVariant(int(GuardHealth::breakerSeverity(g.breaker)))
                    : QVariant(GuardHealth::breakerLabel(g.breaker));
    case RateLimit:
        if (sort)
            return g.ratePerSecond.value_or(-1);
        return g.ratePerSecond ? tr("%1/s").arg(QLocale().toString(*g.ratePerSecond, 'g', 6))
                               : tr("no limit");
    case RateLimitUse:
        return sort ? QVariant(g.rateLimitUse.value_or(-1))
                    : QVariant(GuardHealth::percent(g.rateLimitUse));
    case InFlight:
        if (sort)
            return g.inFlight;
        return g.maxConcurrency
                   ? tr("%1 / %2").arg(countText(g.inFlight), countText(*g.maxConcurrency))
                   : tr("%1 / no cap").arg(countText(g.inFlight));
    case LastError:
        return g.lastError.isEmpty() ? u"—"_s : g.lastError;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AccountGuardModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool tip = role == Qt::ToolTipRole;
    switch (Column(section)) {
    case Tenant:
        return tr("Tenant");
    case Account:
        return tr("Account");
    case Provider:
        return tr("Provider");
    case Breaker:
        return tr("Breaker");
    case RateLimit:
        return tip ? tr("The account's rate limit, all agents together") : tr("Rate limit");
    case RateLimitUse:
        return tip ? tr("Share of the rate limit used over the last interval") : tr("Use");
    case InFlight:
        return tip ? tr("Attempts in flight against the account's concurrency cap")
                   : tr("In flight / cap");
    case LastError:
        return tr("Last error");
    case ColumnCount:
        break;
    }
    return {};
}

void AccountGuardModel::setGuards(const QJsonArray &guards)
{
    mergeRows(m_items, GuardHealth::listFromJson(guards, u"account"_s), key);
}

void AccountGuardModel::clear()
{
    beginResetModel();
    m_items.clear();
    endResetModel();
}

} // namespace ferry::console
