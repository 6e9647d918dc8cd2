#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>

namespace ferry::console {

// Dates, times and numbers as the console shows them, in the UI language: QLocale(), which
// installTranslators() sets to the language's locale, and the date patterns of the language
// (translated with the console, as the order of day, month and year and the dot after the day
// are the language's, not the locale's). Every screen and the PDF report format through these;
// machine-readable output (the CSV report, the API's queries) keeps ISO 8601 instead.

// A moment on this computer's clock, for tables: "3 Dec 2026 14:05" (German "3. Dez. 2026
// 14:05"); "—" when invalid.
QString localDateTimeText(const QDateTime &t);
// The same on t's own clock (UTC, or a zone's after QDateTime::toTimeZone()).
QString dateTimeText(const QDateTime &t);
// The time of day on this computer's clock, to the second: "14:05:07"; "—" when invalid.
QString localClockText(const QDateTime &t);
// A day for headings: "Thursday, 3 December 2026" ("Donnerstag, 3. Dezember 2026").
QString longDateText(QDate d);
// A moment for headings, on t's own clock: "Thursday, 3 December 2026, 14:05"; "—" when invalid.
QString longDateTimeText(const QDateTime &t);

// A count with the language's digit grouping: "1,234" (German "1.234").
QString countText(qint64 n);
// A percentage: percentText(99.5, 1) is "99.5 %" (German "99,5 %").
QString percentText(double percent, int decimals = 0);

} // namespace ferry::console
