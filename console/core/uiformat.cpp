#include "console/core/uiformat.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The patterns are looked up when called: the UI language may be installed after start-up.
QString tablePattern()
{
    return QCoreApplication::translate(
        "ferry::console::UiFormat", "d MMM yyyy HH:mm",
        "QLocale date format of the tables: day, abbreviated month, year, 24-hour time");
}

QString longDatePattern()
{
    return QCoreApplication::translate("ferry::console::UiFormat", "dddd, d MMMM yyyy",
                                       "QLocale date format of report headings: weekday, day, "
                                       "month, year");
}

} // namespace

QString localDateTimeText(const QDateTime &t)
{
    return t.isValid() ? dateTimeText(t.toLocalTime()) : u"—"_s;
}

QString dateTimeText(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t, tablePattern()) : u"—"_s;
}

QString localClockText(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime().time(), u"HH:mm:ss"_s) : u"—"_s;
}

QString longDateText(QDate d)
{
    return d.isValid() ? QLocale().toString(d, longDatePattern()) : u"—"_s;
}

QString longDateTimeText(const QDateTime &t)
{
    if (!t.isValid())
        return u"—"_s;
    return QCoreApplication::translate("ferry::console::UiFormat", "%1, %2",
                                       "a long date (%1) and the time of day (%2)")
        .arg(longDateText(t.date()), QLocale().toString(t.time(), u"HH:mm"_s));
}

QString countText(qint64 n)
{
    return QLocale().toString(n);
}

QString percentText(double percent, int decimals)
{
    return QLocale().toString(percent, 'f', decimals) + u" %"_s;
}

} // namespace ferry::console
