#include "agent/schedule/cron.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using ferry::agent::schedule::CatchUp;
using ferry::agent::schedule::catchUpName;
using ferry::agent::schedule::CronSpec;
using ferry::agent::schedule::Firing;
using ferry::agent::schedule::parseCatchUp;
using ferry::agent::schedule::slotsToFire;

namespace {

QDateTime utc(const QString &iso)
{
    const QDateTime at = QDateTime::fromString(iso, Qt::ISODateWithMs);
    Q_ASSERT_X(at.isValid() && at.timeSpec() == Qt::UTC, "utc", qPrintable(iso));
    return at;
}

QStringList isoList(const QList<QDateTime> &instants)
{
    QStringList out;
    for (const QDateTime &at : instants)
        out.append(at.toUTC().toString(Qt::ISODate));
    return out;
}

QTimeZone zone(const QByteArray &id)
{
    return id == "UTC" ? QTimeZone(0) : QTimeZone(id);
}

CronSpec spec(const QString &expression)
{
    const auto parsed = CronSpec::parse(expression);
    if (!parsed.ok())
        qFatal("%s does not parse: %s", qPrintable(expression), qPrintable(parsed.error().message));
    return *parsed;
}

// Every list of slots is strictly increasing: no slot fires twice.
bool strictlyIncreasing(const QList<QDateTime> &slots)
{
    for (qsizetype i = 1; i < slots.size(); ++i) {
        if (!(slots[i - 1] < slots[i]))
            return false;
    }
    return true;
}

QList<QDateTime> secondsAfter(const QDateTime &origin, const QList<int> &offsets)
{
    QList<QDateTime> out;
    for (int offset : offsets)
        out.append(origin.addSecs(offset));
    return out;
}

} // namespace

class TestCron : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        for (const QByteArray id :
             {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"}) {
            if (!QTimeZone(id).isValid()) {
                QFAIL(qPrintable(u"time zone %1 is unknown: tzdata is missing; install the tzdata "
                                 "package (/usr/share/zoneinfo)"_s.arg(QString::fromLatin1(id))));
            }
        }
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QStringList>("fragments");

        const QStringList count = {u"five"_s, u"minute hour day-of-month month day-of-week"_s,
                                   u"@daily"_s, u"@every 30s"_s};
        QTest::newRow("empty") << QString() << QStringList{u"empty"_s, u"@every 30s"_s};
        QTest::newRow("whitespace") << u" \t \n"_s << QStringList{u"empty"_s};
        QTest::newRow("four fields") << u"0 3 * *"_s << (count + QStringList{u"has 4"_s});
        QTest::newRow("six fields") << u"0 0 3 * * *"_s << (count + QStringList{u"has 6"_s});
        QTest::newRow("one field") << u"daily"_s << count;

        QTest::newRow("minute 60")
            << u"60 * * * *"_s
            << QStringList{u"cron field 1 (minute) \"60\""_s, u"values run from 0 to 59"_s};
        QTest::newRow("hour 24") << u"0 24 * * *"_s
                                 << QStringList{u"cron field 2 (hour) \"24\""_s,
                                                u"values run from 0 to 23"_s};
        QTest::newRow("day of month 0")
            << u"0 0 0 * *"_s
            << QStringList{u"cron field 3 (day of month) \"0\""_s, u"from 1 to 31"_s};
        QTest::newRow("day of month 32")
            << u"0 0 32 * *"_s << QStringList{u"(day of month) \"32\""_s, u"from 1 to 31"_s};
        QTest::newRow("month 13") << u"0 0 1 13 *"_s
                                  << QStringList{u"cron field 4 (month) \"13\""_s,
                                                 u"from 1 to 12"_s, u"jan to dec"_s};
        QTest::newRow("month 0") << u"0 0 1 0 *"_s << QStringList{u"(month) \"0\""_s};
        QTest::newRow("month name")
            << u"0 0 1 janu *"_s << QStringList{u"(month) \"janu\""_s, u"jan to dec"_s};
        QTest::newRow("day of week 8") << u"0 0 * * 8"_s
                                       << QStringList{u"cron field 5 (day of week) \"8\""_s,
                                                      u"from 0 to 7"_s, u"sun to sat"_s};
        QTest::newRow("day of week name")
            << u"0 0 * * funday"_s << QStringList{u"(day of week) \"funday\""_s, u"sun"_s};
        QTest::newRow("month name in hour")
            << u"0 jan * * *"_s << QStringList{u"(hour) \"jan\""_s, u"not a value"_s};
        QTest::newRow("word") << u"x * * * *"_s
                              << QStringList{u"(minute) \"x\""_s, u"not a value"_s,
                                             u"values run from 0 to 59"_s, u"*/2"_s};
        QTest::newRow("huge number")
            << u"99999999999 * * * *"_s << QStringList{u"(minute)"_s, u"from 0 to 59"_s};
        QTest::newRow("plus sign") << u"+5 * * * *"_s << QStringList{u"(minute) \"+5\""_s};
        QTest::newRow("negative") << u"-1 * * * *"_s << QStringList{u"(minute)"_s};
        QTest::newRow("question mark in minute")
            << u"? * * * *"_s
            << QStringList{u"(minute) \"?\""_s, u"day of month and day of week"_s};
        QTest::newRow("question mark in month")
            << u"0 0 1 ? *"_s << QStringList{u"(month) \"?\""_s};
        QTest::newRow("step 0") << u"*/0 * * * *"_s
                                << QStringList{u"(minute) \"*/0\""_s, u"step"_s, u"1 to 60"_s};
        QTest::newRow("step too long")
            << u"0 */25 * * *"_s << QStringList{u"(hour) \"*/25\""_s, u"1 to 24"_s};
        QTest::newRow("step word") << u"*/x * * * *"_s << QStringList{u"step"_s};
        QTest::newRow("step empty") << u"*/ * * * *"_s << QStringList{u"step"_s};
        QTest::newRow("negative step") << u"*/-5 * * * *"_s << QStringList{u"step"_s};
        QTest::newRow("two steps") << u"1/2/3 * * * *"_s << QStringList{u"(minute)"_s};
        QTest::newRow("reversed range")
            << u"0 22-2 * * *"_s
            << QStringList{u"(hour) \"22-2\""_s, u"low to high"_s, u"22-23,0-2"_s};
        QTest::newRow("reversed names")
            << u"0 0 * * fri-mon"_s << QStringList{u"(day of week) \"fri-mon\""_s};
        QTest::newRow("open range") << u"1- * * * *"_s << QStringList{u"(minute) \"\""_s};
        QTest::newRow("range of three") << u"1-2-3 * * * *"_s << QStringList{u"(minute)"_s};
        QTest::newRow("range out of bounds")
            << u"0 20-25 * * *"_s << QStringList{u"(hour) \"25\""_s, u"0 to 23"_s};
        QTest::newRow("empty entry")
            << u"1,,2 * * * *"_s << QStringList{u"(minute) \"1,,2\""_s, u"empty entry"_s};
        QTest::newRow("trailing comma") << u"0 1, * * *"_s << QStringList{u"(hour)"_s};
        QTest::newRow("leading comma") << u"0 0 ,1 * *"_s << QStringList{u"(day of month)"_s};

        QTest::newRow("unknown name")
            << u"@fortnightly"_s << QStringList{u"\"@fortnightly\""_s, u"@yearly"_s, u"@annually"_s,
                                                u"@monthly"_s,         u"@weekly"_s, u"@daily"_s,
                                                u"@midnight"_s,        u"@hourly"_s, u"@every"_s};
        QTest::newRow("name with more")
            << u"@daily 5"_s << QStringList{u"@daily"_s, u"nothing after"_s, u"5"_s};
        QTest::newRow("every alone") << u"@every"_s << QStringList{u"duration"_s, u"30s"_s};
        QTest::newRow("every two durations")
            << u"@every 30s 5m"_s << QStringList{u"one duration"_s};
        QTest::newRow("every 500ms")
            << u"@every 500ms"_s << QStringList{u"\"500ms\""_s, u"shortest"_s, u"1s"_s};
        QTest::newRow("every 0s") << u"@every 0s"_s << QStringList{u"shortest"_s};
        QTest::newRow("every 999ms") << u"@every 999ms"_s << QStringList{u"shortest"_s};
        QTest::newRow("every 367d")
            << u"@every 367d"_s << QStringList{u"\"367d\""_s, u"longest"_s, u"366d"_s};
        QTest::newRow("every 366d1ms") << u"@every 366d1ms"_s << QStringList{u"longest"_s};
        QTest::newRow("every huge")
            << u"@every 99999999999999999999h"_s << QStringList{u"longest"_s};
        QTest::newRow("every huge sum") << u"@every 300d300d"_s << QStringList{u"longest"_s};
        QTest::newRow("every unit")
            << u"@every 5x"_s
            << QStringList{u"\"5x\""_s, u"not a duration"_s, u"units ms, s, m, h, d"_s};
        QTest::newRow("every no unit") << u"@every 90"_s << QStringList{u"not a duration"_s};
        QTest::newRow("every trailing number")
            << u"@every 1h30"_s << QStringList{u"not a duration"_s};
        QTest::newRow("every no number") << u"@every h"_s << QStringList{u"not a duration"_s};
        QTest::newRow("every negative") << u"@every -5s"_s << QStringList{u"not a duration"_s};
        QTest::newRow("every fraction") << u"@every 1.5h"_s << QStringList{u"not a duration"_s};
        QTest::newRow("every upper case unit")
            << u"@every 5M"_s << QStringList{u"not a duration"_s};
    }

    void parseErrors()
    {
        QFETCH(QString, expression);
        QFETCH(QStringList, fragments);
        const auto parsed = CronSpec::parse(expression);
        QVERIFY2(!parsed.ok(), qPrintable(expression));
        const QString message = parsed.error().message;
        for (const QString &fragment : fragments) {
            QVERIFY2(message.contains(fragment),
                     qPrintable(u"\"%1\" lacks \"%2\""_s.arg(message, fragment)));
        }
    }

    void errorMessageNamesFieldValueAndRange()
    {
        const auto parsed = CronSpec::parse(u"* 25 * * *"_s);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message, u"cron field 2 (hour) \"25\": values run from 0 to 23"_s);
    }

    void validExpressions_data()
    {
        QTest::addColumn<QString>("expression");
        for (const char *text : {"* * * * *",
                                 "0 0 ? * *",
                                 "0 0 * * ?",
                                 "0-59/1 0-23 1-31 1-12 0-7",
                                 "0 0 * JAN-Mar *",
                                 "0 0 * * MON-fri",
                                 "0 0 * * 7",
                                 "59 23 31 12 6",
                                 "*/60 */24 */31 */12 */7",
                                 "1,2,3-5,10-20/5,50/5 * * * *",
                                 "  0\t3  * *  *  ",
                                 "@yearly",
                                 "@ANNUALLY",
                                 "@Monthly",
                                 "@weekly",
                                 "@daily",
                                 "@midnight",
                                 "@hourly",
                                 "@every 1s",
                                 "@every 366d",
                                 "@every 1h30m",
                                 "@every 1s500ms",
                                 "@EVERY 2m"}) {
            QTest::newRow(text) << QString::fromLatin1(text);
        }
    }

    void validExpressions()
    {
        QFETCH(QString, expression);
        const auto parsed = CronSpec::parse(expression);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed->expression(), expression.trimmed());
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("fields");
        QTest::addColumn<QStringList>("expected");

        // 2026-06-15 is a Monday.
        QTest::newRow("@yearly") << u"@yearly"_s << u"0 0 1 1 *"_s
                                 << QStringList{u"2027-01-01T00:00:00Z"_s,
                                                u"2028-01-01T00:00:00Z"_s};
        QTest::newRow("@annually")
            << u"@annually"_s << u"0 0 1 1 *"_s
            << QStringList{u"2027-01-01T00:00:00Z"_s, u"2028-01-01T00:00:00Z"_s};
        QTest::newRow("@monthly") << u"@monthly"_s << u"0 0 1 * *"_s
                                  << QStringList{u"2026-07-01T00:00:00Z"_s,
                                                 u"2026-08-01T00:00:00Z"_s};
        QTest::newRow("@weekly") << u"@weekly"_s << u"0 0 * * 0"_s
                                 << QStringList{u"2026-06-21T00:00:00Z"_s,
                                                u"2026-06-28T00:00:00Z"_s};
        QTest::newRow("@daily") << u"@daily"_s << u"0 0 * * *"_s
                                << QStringList{u"2026-06-16T00:00:00Z"_s,
                                               u"2026-06-17T00:00:00Z"_s};
        QTest::newRow("@midnight")
            << u"@midnight"_s << u"0 0 * * *"_s
            << QStringList{u"2026-06-16T00:00:00Z"_s, u"2026-06-17T00:00:00Z"_s};
        QTest::newRow("@hourly") << u"@hourly"_s << u"0 * * * *"_s
                                 << QStringList{u"2026-06-15T13:00:00Z"_s,
                                                u"2026-06-15T14:00:00Z"_s};
        QTest::newRow("upper case")
            << u"@DAILY"_s << u"0 0 * * *"_s
            << QStringList{u"2026-06-16T00:00:00Z"_s, u"2026-06-17T00:00:00Z"_s};
    }

    void names()
    {
        QFETCH(QString, name);
        QFETCH(QString, fields);
        QFETCH(QStringList, expected);
        const QDateTime after = utc(u"2026-06-15T12:34:56Z"_s);
        const CronSpec named = spec(name);
        QVERIFY(!named.isInterval());
        QCOMPARE(named.expression(), name);
        QCOMPARE(isoList(named.upcoming(after, zone("UTC"), 2)), expected);
        // The name is its fields, here and on a wall clock with DST.
        const QDateTime spring = utc(u"2026-03-01T00:00:00Z"_s);
        const QTimeZone berlin("Europe/Berlin");
        QCOMPARE(isoList(named.upcoming(spring, berlin, 40)),
                 isoList(spec(fields).upcoming(spring, berlin, 40)));
    }

    void namesFollowTheWallClock()
    {
        // Midnight in Berlin is 23:00 UTC in winter and 22:00 UTC in summer.
        const QTimeZone berlin("Europe/Berlin");
        QCOMPARE(isoList(spec(u"@daily"_s).upcoming(utc(u"2026-03-27T12:00:00Z"_s), berlin, 3)),
                 (QStringList{u"2026-03-27T23:00:00Z"_s, u"2026-03-28T23:00:00Z"_s,
                              u"2026-03-29T22:00:00Z"_s}));
    }

    void fields_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("every minute")
            << u"* * * * *"_s << u"2026-01-01T10:07:30Z"_s
            << QStringList{u"2026-01-01T10:08:00Z"_s, u"2026-01-01T10:09:00Z"_s};
        QTest::newRow("strictly after") << u"* * * * *"_s << u"2026-01-01T10:07:00Z"_s
                                        << QStringList{u"2026-01-01T10:08:00Z"_s};
        QTest::newRow("step") << u"*/15 * * * *"_s << u"2026-01-01T10:07:00Z"_s
                              << QStringList{u"2026-01-01T10:15:00Z"_s, u"2026-01-01T10:30:00Z"_s,
                                             u"2026-01-01T10:45:00Z"_s, u"2026-01-01T11:00:00Z"_s};
        QTest::newRow("range with step")
            << u"5-20/5 * * * *"_s << u"2026-01-01T10:00:00Z"_s
            << QStringList{u"2026-01-01T10:05:00Z"_s, u"2026-01-01T10:10:00Z"_s,
                           u"2026-01-01T10:15:00Z"_s, u"2026-01-01T10:20:00Z"_s,
                           u"2026-01-01T11:05:00Z"_s};
        QTest::newRow("start with step")
            << u"50/5 * * * *"_s << u"2026-01-01T10:00:00Z"_s
            << QStringList{u"2026-01-01T10:50:00Z"_s, u"2026-01-01T10:55:00Z"_s,
                           u"2026-01-01T11:50:00Z"_s};
        QTest::newRow("list") << u"1,2,58 * * * *"_s << u"2026-01-01T10:01:00Z"_s
                              << QStringList{u"2026-01-01T10:02:00Z"_s, u"2026-01-01T10:58:00Z"_s,
                                             u"2026-01-01T11:01:00Z"_s};
        QTest::newRow("list of ranges")
            << u"0 1-2,22-23 * * *"_s << u"2026-01-01T03:00:00Z"_s
            << QStringList{u"2026-01-01T22:00:00Z"_s, u"2026-01-01T23:00:00Z"_s,
                           u"2026-01-02T01:00:00Z"_s, u"2026-01-02T02:00:00Z"_s};
        QTest::newRow("hours with step")
            << u"0 9-17/4 * * *"_s << u"2026-01-01T00:00:00Z"_s
            << QStringList{u"2026-01-01T09:00:00Z"_s, u"2026-01-01T13:00:00Z"_s,
                           u"2026-01-01T17:00:00Z"_s, u"2026-01-02T09:00:00Z"_s};
        QTest::newRow("single value") << u"30 4 * * *"_s << u"2026-01-01T04:30:00Z"_s
                                      << QStringList{u"2026-01-02T04:30:00Z"_s};
        QTest::newRow("days of month with step")
            << u"0 0 */10 * *"_s << u"2026-01-01T12:00:00Z"_s
            << QStringList{u"2026-01-11T00:00:00Z"_s, u"2026-01-21T00:00:00Z"_s,
                           u"2026-01-31T00:00:00Z"_s, u"2026-02-01T00:00:00Z"_s};
        QTest::newRow("31st skips short months")
            << u"0 0 31 * *"_s << u"2026-01-31T00:00:00Z"_s
            << QStringList{u"2026-03-31T00:00:00Z"_s, u"2026-05-31T00:00:00Z"_s,
                           u"2026-07-31T00:00:00Z"_s, u"2026-08-31T00:00:00Z"_s};
        QTest::newRow("month names")
            << u"0 0 1 JAN-mar,Dec *"_s << u"2026-01-15T00:00:00Z"_s
            << QStringList{u"2026-02-01T00:00:00Z"_s, u"2026-03-01T00:00:00Z"_s,
                           u"2026-12-01T00:00:00Z"_s, u"2027-01-01T00:00:00Z"_s};
        QTest::newRow("quarters") << u"0 0 1 */3 *"_s << u"2026-01-01T00:00:00Z"_s
                                  << QStringList{
                                         u"2026-04-01T00:00:00Z"_s, u"2026-07-01T00:00:00Z"_s,
                                         u"2026-10-01T00:00:00Z"_s, u"2027-01-01T00:00:00Z"_s};
        // 2026-06-15 is a Monday.
        QTest::newRow("weekdays by name")
            << u"0 8 * * Mon-FRI"_s << u"2026-06-19T09:00:00Z"_s
            << QStringList{u"2026-06-22T08:00:00Z"_s, u"2026-06-23T08:00:00Z"_s};
        QTest::newRow("weekend as numbers")
            << u"0 8 * * 6,0"_s << u"2026-06-15T00:00:00Z"_s
            << QStringList{u"2026-06-20T08:00:00Z"_s, u"2026-06-21T08:00:00Z"_s,
                           u"2026-06-27T08:00:00Z"_s};
        QTest::newRow("sunday as 7")
            << u"0 8 * * 7"_s << u"2026-06-15T00:00:00Z"_s
            << QStringList{u"2026-06-21T08:00:00Z"_s, u"2026-06-28T08:00:00Z"_s};
        QTest::newRow("range to 7")
            << u"0 8 * * 5-7"_s << u"2026-06-15T00:00:00Z"_s
            << QStringList{u"2026-06-19T08:00:00Z"_s, u"2026-06-20T08:00:00Z"_s,
                           u"2026-06-21T08:00:00Z"_s, u"2026-06-26T08:00:00Z"_s};
        QTest::newRow("question mark in day of month")
            << u"0 12 ? * wed"_s << u"2026-06-15T00:00:00Z"_s
            << QStringList{u"2026-06-17T12:00:00Z"_s, u"2026-06-24T12:00:00Z"_s};
        QTest::newRow("year end") << u"59 23 31 12 *"_s << u"2026-06-15T00:00:00Z"_s
                                  << QStringList{u"2026-12-31T23:59:00Z"_s,
                                                 u"2027-12-31T23:59:00Z"_s};
        QTest::newRow("fractional after") << u"0 * * * *"_s << u"2026-01-01T09:59:59.999Z"_s
                                          << QStringList{u"2026-01-01T10:00:00Z"_s};
    }

    void fields()
    {
        QFETCH(QString, expression);
        QFETCH(QString, after);
        QFETCH(QStringList, expected);
        const auto slots = spec(expression).upcoming(utc(after), zone("UTC"), expected.size());
        QCOMPARE(isoList(slots), expected);
    }

    void dayOfMonthOrDayOfWeek_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QStringList>("days");

        // February 2026: Fridays are the 6th, 13th, 20th and 27th.
        QTest::newRow("13th or Friday")
            << u"0 0 13 * 5"_s << QStringList{u"2026-02-06"_s, u"2026-02-13"_s, u"2026-02-20"_s,
                                              u"2026-02-27"_s, u"2026-03-06"_s, u"2026-03-13"_s};
        QTest::newRow("13th only")
            << u"0 0 13 * *"_s << QStringList{u"2026-02-13"_s, u"2026-03-13"_s};
        QTest::newRow("13th, ? for the weekday")
            << u"0 0 13 * ?"_s << QStringList{u"2026-02-13"_s, u"2026-03-13"_s};
        QTest::newRow("Friday only")
            << u"0 0 * * 5"_s << QStringList{u"2026-02-06"_s, u"2026-02-13"_s, u"2026-02-20"_s};
        QTest::newRow("Friday, ? for the day")
            << u"0 0 ? * fri"_s << QStringList{u"2026-02-06"_s, u"2026-02-13"_s, u"2026-02-20"_s};
        // Both restricted: the 1st whatever its weekday (2026-03-01 is a Sunday), and the
        // weekdays named. 2026-02-01 itself is `after`, not a slot.
        QTest::newRow("1st or Saturday")
            << u"0 0 1 * sat"_s << QStringList{u"2026-02-07"_s, u"2026-02-14"_s, u"2026-02-21"_s,
                                               u"2026-02-28"_s, u"2026-03-01"_s, u"2026-03-07"_s};
        // A field starting with '*' counts as unrestricted (Vixie cron): both must match.
        QTest::newRow("Mondays on odd days")
            << u"0 0 */2 * 1"_s
            << QStringList{u"2026-02-09"_s, u"2026-02-23"_s, u"2026-03-09"_s, u"2026-03-23"_s};
        QTest::newRow("1st or a weekday")
            << u"0 0 1 * 1-5"_s << QStringList{u"2026-02-02"_s, u"2026-02-03"_s, u"2026-02-04"_s,
                                               u"2026-02-05"_s, u"2026-02-06"_s, u"2026-02-09"_s};
    }

    void dayOfMonthOrDayOfWeek()
    {
        QFETCH(QString, expression);
        QFETCH(QStringList, days);
        const auto slots =
            spec(expression).upcoming(utc(u"2026-02-01T00:00:00Z"_s), zone("UTC"), days.size());
        QStringList got;
        for (const QDateTime &slot : slots)
            got.append(slot.date().toString(Qt::ISODate));
        QCOMPARE(got, days);
    }

    void thirteenthOnASaturdayFiresWithWeekdays()
    {
        // June 2026: the 13th is a Saturday, the 14th a Sunday.
        QCOMPARE(
            isoList(
                spec(u"0 0 13 * 1-5"_s).upcoming(utc(u"2026-06-10T12:00:00Z"_s), zone("UTC"), 4)),
            (QStringList{u"2026-06-11T00:00:00Z"_s, u"2026-06-12T00:00:00Z"_s,
                         u"2026-06-13T00:00:00Z"_s, u"2026-06-15T00:00:00Z"_s}));
    }

    void leapDay()
    {
        const CronSpec leap = spec(u"0 0 29 2 *"_s);
        QCOMPARE(isoList(leap.upcoming(utc(u"2026-03-01T00:00:00Z"_s), zone("UTC"), 2)),
                 (QStringList{u"2028-02-29T00:00:00Z"_s, u"2032-02-29T00:00:00Z"_s}));
        // Read on a wall clock east of UTC, the leap day begins the day before in UTC.
        QCOMPARE(leap.nextAfter(utc(u"2026-03-01T00:00:00Z"_s), QTimeZone("Europe/Berlin")),
                 utc(u"2028-02-28T23:00:00Z"_s));
    }

    void impossibleDatesNeverFire_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::newRow("30 February") << u"0 0 30 2 *"_s;
        QTest::newRow("31 February") << u"0 0 31 2 *"_s;
        QTest::newRow("31 April") << u"0 0 31 4 *"_s;
        QTest::newRow("31 June, Sept, Nov") << u"0 0 31 6,9,11 *"_s;
    }

    void impossibleDatesNeverFire()
    {
        QFETCH(QString, expression);
        const CronSpec never = spec(expression);
        const QDateTime after = utc(u"2026-01-01T00:00:00Z"_s);
        QVERIFY(!never.nextAfter(after, zone("UTC")).isValid());
        QVERIFY(!never.nextAfter(after, QTimeZone("Europe/Berlin")).isValid());
        QVERIFY(never.upcoming(after, zone("UTC"), 3).isEmpty());
    }

    void upcomingCount()
    {
        const CronSpec hourly = spec(u"@hourly"_s);
        const QDateTime after = utc(u"2026-01-01T00:00:00Z"_s);
        QVERIFY(hourly.upcoming(after, zone("UTC"), 0).isEmpty());
        QVERIFY(hourly.upcoming(after, zone("UTC"), -3).isEmpty());
        const auto slots = hourly.upcoming(after, zone("UTC"), 100);
        QCOMPARE(slots.size(), 100);
        QVERIFY(strictlyIncreasing(slots));
        QCOMPARE(slots.last(), utc(u"2026-01-05T04:00:00Z"_s));
    }

    void afterInAnyTimeSpec()
    {
        // The instant counts, not how `after` is written.
        const QDateTime inBerlin(QDate(2026, 6, 15), QTime(14, 7), QTimeZone("Europe/Berlin"));
        QCOMPARE(spec(u"*/15 * * * *"_s).nextAfter(inBerlin, zone("UTC")),
                 utc(u"2026-06-15T12:15:00Z"_s));
        QCOMPARE(spec(u"*/15 * * * *"_s).nextAfter(inBerlin, zone("UTC")).timeSpec(), Qt::UTC);
    }

    void invalidInput()
    {
        const CronSpec daily = spec(u"@daily"_s);
        QVERIFY(!daily.nextAfter(QDateTime(), zone("UTC")).isValid());
        QVERIFY(!daily.nextAfter(utc(u"2026-01-01T00:00:00Z"_s), QTimeZone()).isValid());
        // An interval needs no zone.
        QCOMPARE(spec(u"@every 1h"_s).nextAfter(utc(u"2026-01-01T00:10:00Z"_s), QTimeZone()),
                 utc(u"2026-01-01T01:00:00Z"_s));
    }

    void intervals_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<qint64>("intervalMs");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QStringList>("expected");

        // 2026-01-01T00:00:00Z is 1767225600 s after the epoch, a multiple of 7 s and 90 min.
        QTest::newRow("30s") << u"@every 30s"_s << qint64(30'000) << u"2026-01-01T00:00:10Z"_s
                             << QStringList{u"2026-01-01T00:00:30Z"_s, u"2026-01-01T00:01:00Z"_s};
        QTest::newRow("30s on a slot")
            << u"@every 30s"_s << qint64(30'000) << u"2026-01-01T00:00:30Z"_s
            << QStringList{u"2026-01-01T00:01:00Z"_s};
        QTest::newRow("30s just before")
            << u"@every 30s"_s << qint64(30'000) << u"2026-01-01T00:00:29.999Z"_s
            << QStringList{u"2026-01-01T00:00:30Z"_s};
        QTest::newRow("7s") << u"@every 7s"_s << qint64(7'000) << u"2026-01-01T00:00:01Z"_s
                            << QStringList{u"2026-01-01T00:00:07Z"_s, u"2026-01-01T00:00:14Z"_s};
        QTest::newRow("13s") << u"@every 13s"_s << qint64(13'000) << u"2026-01-01T00:00:00Z"_s
                             << QStringList{u"2026-01-01T00:00:03Z"_s, u"2026-01-01T00:00:16Z"_s};
        QTest::newRow("17m") << u"@every 17m"_s << qint64(17 * 60'000) << u"2026-01-01T00:00:00Z"_s
                             << QStringList{u"2026-01-01T00:15:00Z"_s, u"2026-01-01T00:32:00Z"_s};
        QTest::newRow("1h30m") << u"@every 1h30m"_s << qint64(5'400'000)
                               << u"2026-01-01T00:10:00Z"_s
                               << QStringList{u"2026-01-01T01:30:00Z"_s, u"2026-01-01T03:00:00Z"_s};
        QTest::newRow("90m as minutes")
            << u"@every 90m"_s << qint64(5'400'000) << u"2026-01-01T00:10:00Z"_s
            << QStringList{u"2026-01-01T01:30:00Z"_s};
        QTest::newRow("1s500ms") << u"@every 1s500ms"_s << qint64(1'500)
                                 << u"2026-01-01T00:00:00Z"_s
                                 << QStringList{u"2026-01-01T00:00:01.500Z"_s,
                                                u"2026-01-01T00:00:03Z"_s};
        QTest::newRow("1d") << u"@every 1d"_s << qint64(86'400'000) << u"2026-01-01T05:00:00Z"_s
                            << QStringList{u"2026-01-02T00:00:00Z"_s, u"2026-01-03T00:00:00Z"_s};
        QTest::newRow("366d") << u"@every 366d"_s << qint64(366 * 86'400'000LL)
                              << u"2026-01-01T00:00:00Z"_s
                              << QStringList{u"2026-02-12T00:00:00Z"_s};
        QTest::newRow("before the epoch")
            << u"@every 30s"_s << qint64(30'000) << u"1969-12-31T23:59:50Z"_s
            << QStringList{u"1970-01-01T00:00:00Z"_s, u"1970-01-01T00:00:30Z"_s};
        QTest::newRow("before the epoch, on a slot")
            << u"@every 30s"_s << qint64(30'000) << u"1969-12-31T23:59:30Z"_s
            << QStringList{u"1970-01-01T00:00:00Z"_s};
    }

    void intervals()
    {
        QFETCH(QString, expression);
        QFETCH(qint64, intervalMs);
        QFETCH(QString, after);
        QFETCH(QStringList, expected);
        const CronSpec every = spec(expression);
        QVERIFY(every.isInterval());
        QCOMPARE(every.intervalMs(), intervalMs);
        QCOMPARE(every.expression(), expression);
        QStringList got;
        // Slots are the same whatever the zone.
        for (const QByteArray id : {"UTC", "Europe/Berlin", "Asia/Kolkata"}) {
            got.clear();
            for (const QDateTime &slot : every.upcoming(utc(after), zone(id), expected.size()))
                got.append(slot.toUTC().toString(Qt::ISODateWithMs).replace(u".000Z"_s, u"Z"_s));
            QCOMPARE(got, expected);
        }
    }

    void intervalIgnoresDst_data()
    {
        QTest::addColumn<QString>("after");
        QTest::newRow("spring forward") << u"2026-03-28T12:00:00Z"_s;
        QTest::newRow("fall back") << u"2026-10-24T12:00:00Z"_s;
    }

    void intervalIgnoresDst()
    {
        QFETCH(QString, after);
        const auto slots =
            spec(u"@every 1h"_s).upcoming(utc(after), QTimeZone("Europe/Berlin"), 48);
        QCOMPARE(slots.size(), 48);
        QCOMPARE(slots.first(), utc(after).addSecs(3600));
        for (qsizetype i = 1; i < slots.size(); ++i)
            QCOMPARE(slots[i - 1].secsTo(slots[i]), qint64(3600));
    }

    void wallClock_data()
    {
        QTest::addColumn<QByteArray>("zoneId");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QStringList>("expected");

        // Europe/Berlin, 2026-03-29: 02:00 CET (01:00 UTC) becomes 03:00 CEST.
        QTest::newRow("Berlin spring, daily in the gap")
            << QByteArray("Europe/Berlin") << u"30 2 * * *"_s << u"2026-03-27T12:00:00Z"_s
            << QStringList{u"2026-03-28T01:30:00Z"_s, u"2026-03-29T01:00:00Z"_s,
                           u"2026-03-30T00:30:00Z"_s};
        QTest::newRow("Berlin spring, just before the transition")
            << QByteArray("Europe/Berlin") << u"30 2 * * *"_s << u"2026-03-29T00:59:59Z"_s
            << QStringList{u"2026-03-29T01:00:00Z"_s, u"2026-03-30T00:30:00Z"_s};
        QTest::newRow("Berlin spring, at the transition")
            << QByteArray("Europe/Berlin") << u"30 2 * * *"_s << u"2026-03-29T01:00:00Z"_s
            << QStringList{u"2026-03-30T00:30:00Z"_s};
        QTest::newRow("Berlin spring, every 15 minutes")
            << QByteArray("Europe/Berlin") << u"*/15 * * * *"_s << u"2026-03-29T00:30:00Z"_s
            << QStringList{u"2026-03-29T00:45:00Z"_s, u"2026-03-29T01:00:00Z"_s,
                           u"2026-03-29T01:15:00Z"_s, u"2026-03-29T01:30:00Z"_s};
        QTest::newRow("Berlin spring, 02:00 and 03:00 are one instant")
            << QByteArray("Europe/Berlin") << u"0 2,3 * * *"_s << u"2026-03-29T00:00:00Z"_s
            << QStringList{u"2026-03-29T01:00:00Z"_s, u"2026-03-30T00:00:00Z"_s,
                           u"2026-03-30T01:00:00Z"_s};
        // Europe/Berlin, 2026-10-25: 03:00 CEST (01:00 UTC) becomes 02:00 CET.
        QTest::newRow("Berlin fall, daily in the repeated hour")
            << QByteArray("Europe/Berlin") << u"30 2 * * *"_s << u"2026-10-23T12:00:00Z"_s
            << QStringList{u"2026-10-24T00:30:00Z"_s, u"2026-10-25T00:30:00Z"_s,
                           u"2026-10-26T01:30:00Z"_s};
        QTest::newRow("Berlin fall, after the first occurrence")
            << QByteArray("Europe/Berlin") << u"30 2 * * *"_s << u"2026-10-25T00:30:00Z"_s
            << QStringList{u"2026-10-26T01:30:00Z"_s};
        QTest::newRow("Berlin fall, in the second occurrence")
            << QByteArray("Europe/Berlin") << u"30 2 * * *"_s << u"2026-10-25T01:15:00Z"_s
            << QStringList{u"2026-10-26T01:30:00Z"_s};
        QTest::newRow("Berlin fall, hourly")
            << QByteArray("Europe/Berlin") << u"0 * * * *"_s << u"2026-10-24T22:30:00Z"_s
            << QStringList{u"2026-10-24T23:00:00Z"_s, u"2026-10-25T00:00:00Z"_s,
                           u"2026-10-25T02:00:00Z"_s, u"2026-10-25T03:00:00Z"_s};
        QTest::newRow("Berlin fall, every 15 minutes")
            << QByteArray("Europe/Berlin") << u"*/15 * * * *"_s << u"2026-10-25T00:30:00Z"_s
            << QStringList{u"2026-10-25T00:45:00Z"_s, u"2026-10-25T02:00:00Z"_s,
                           u"2026-10-25T02:15:00Z"_s};
        QTest::newRow("Berlin fall, from the second occurrence")
            << QByteArray("Europe/Berlin") << u"*/15 * * * *"_s << u"2026-10-25T01:10:00Z"_s
            << QStringList{u"2026-10-25T02:00:00Z"_s};

        // America/New_York, 2026-03-08: 02:00 EST (07:00 UTC) becomes 03:00 EDT.
        QTest::newRow("New York spring, daily in the gap")
            << QByteArray("America/New_York") << u"30 2 * * *"_s << u"2026-03-07T00:00:00Z"_s
            << QStringList{u"2026-03-07T07:30:00Z"_s, u"2026-03-08T07:00:00Z"_s,
                           u"2026-03-09T06:30:00Z"_s};
        QTest::newRow("New York spring, every 15 minutes")
            << QByteArray("America/New_York") << u"*/15 * * * *"_s << u"2026-03-08T06:30:00Z"_s
            << QStringList{u"2026-03-08T06:45:00Z"_s, u"2026-03-08T07:00:00Z"_s,
                           u"2026-03-08T07:15:00Z"_s};
        // America/New_York, 2026-11-01: 02:00 EDT (06:00 UTC) becomes 01:00 EST.
        QTest::newRow("New York fall, daily in the repeated hour")
            << QByteArray("America/New_York") << u"30 1 * * *"_s << u"2026-10-31T12:00:00Z"_s
            << QStringList{u"2026-11-01T05:30:00Z"_s, u"2026-11-02T06:30:00Z"_s};
        QTest::newRow("New York fall, hourly")
            << QByteArray("America/New_York") << u"0 * * * *"_s << u"2026-11-01T04:30:00Z"_s
            << QStringList{u"2026-11-01T05:00:00Z"_s, u"2026-11-01T07:00:00Z"_s,
                           u"2026-11-01T08:00:00Z"_s};

        // Australia/Lord_Howe moves by half an hour: on 2026-10-04, 02:00 (+10:30, 15:30 UTC)
        // becomes 02:30 (+11); on 2026-04-05, 02:00 (+11, 15:00 UTC) becomes 01:30 (+10:30).
        QTest::newRow("Lord Howe spring, daily in the gap")
            << QByteArray("Australia/Lord_Howe") << u"15 2 * * *"_s << u"2026-10-02T12:00:00Z"_s
            << QStringList{u"2026-10-02T15:45:00Z"_s, u"2026-10-03T15:30:00Z"_s,
                           u"2026-10-04T15:15:00Z"_s};
        QTest::newRow("Lord Howe spring, every 20 minutes")
            << QByteArray("Australia/Lord_Howe") << u"*/20 * * * *"_s << u"2026-10-03T15:00:00Z"_s
            << QStringList{u"2026-10-03T15:10:00Z"_s, u"2026-10-03T15:30:00Z"_s,
                           u"2026-10-03T15:40:00Z"_s};
        QTest::newRow("Lord Howe fall, daily in the repeated half hour")
            << QByteArray("Australia/Lord_Howe") << u"45 1 * * *"_s << u"2026-04-03T12:00:00Z"_s
            << QStringList{u"2026-04-03T14:45:00Z"_s, u"2026-04-04T14:45:00Z"_s,
                           u"2026-04-05T15:15:00Z"_s};

        // Asia/Kolkata: +05:30 all year.
        QTest::newRow("Kolkata") << QByteArray("Asia/Kolkata") << u"30 2 * * *"_s
                                 << u"2026-03-28T00:00:00Z"_s
                                 << QStringList{u"2026-03-28T21:00:00Z"_s,
                                                u"2026-03-29T21:00:00Z"_s};
    }

    void wallClock()
    {
        QFETCH(QByteArray, zoneId);
        QFETCH(QString, expression);
        QFETCH(QString, after);
        QFETCH(QStringList, expected);
        const auto slots = spec(expression).upcoming(utc(after), zone(zoneId), expected.size());
        QCOMPARE(isoList(slots), expected);
    }

    // Over a whole day with a transition, a minute schedule never fires twice for one wall time
    // and never twice at one instant.
    void minutesOverTransitionDays_data()
    {
        QTest::addColumn<QByteArray>("zoneId");
        QTest::addColumn<QString>("day");
        QTest::addColumn<int>("count"); // slots in the local day, from 00:00 to 23:59
        // The skipped hour and 03:00 fire once, at the transition.
        QTest::newRow("Berlin spring") << QByteArray("Europe/Berlin") << u"2026-03-29"_s << 23 * 60;
        QTest::newRow("Berlin fall") << QByteArray("Europe/Berlin") << u"2026-10-25"_s << 24 * 60;
        QTest::newRow("New York spring")
            << QByteArray("America/New_York") << u"2026-03-08"_s << 23 * 60;
        QTest::newRow("New York fall")
            << QByteArray("America/New_York") << u"2026-11-01"_s << 24 * 60;
        QTest::newRow("Lord Howe spring")
            << QByteArray("Australia/Lord_Howe") << u"2026-10-04"_s << 23 * 60 + 30;
        QTest::newRow("Lord Howe fall")
            << QByteArray("Australia/Lord_Howe") << u"2026-04-05"_s << 24 * 60;
    }

    void minutesOverTransitionDays()
    {
        QFETCH(QByteArray, zoneId);
        QFETCH(QString, day);
        QFETCH(int, count);
        const QTimeZone tz(zoneId);
        const QDate date = QDate::fromString(day, Qt::ISODate);
        // The last instant of the day before: 23:59 local exists on all of these days.
        const QDateTime start = QDateTime(date.addDays(-1), QTime(23, 59), tz).toUTC();
        const QDateTime end = QDateTime(date.addDays(1), QTime(0, 0), tz).toUTC();
        const CronSpec everyMinute = spec(u"* * * * *"_s);
        QList<QDateTime> slots;
        for (QDateTime at = start;;) {
            at = everyMinute.nextAfter(at, tz);
            if (at >= end)
                break;
            slots.append(at);
        }
        QVERIFY(strictlyIncreasing(slots));
        QSet<QString> wallTimes;
        for (const QDateTime &slot : slots)
            wallTimes.insert(slot.toTimeZone(tz).toString(u"HH:mm"_s));
        QCOMPARE(wallTimes.size(), slots.size());
        QCOMPARE(slots.size(), count);
    }

    void catchUp_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<CatchUp>("policy");
        QTest::newRow("skip") << u"skip"_s << CatchUp::Skip;
        QTest::newRow("once") << u"once"_s << CatchUp::Once;
        QTest::newRow("all") << u"all"_s << CatchUp::All;
        QTest::newRow("upper case, spaces") << u" ALL "_s << CatchUp::All;
    }

    void catchUp()
    {
        QFETCH(QString, text);
        QFETCH(CatchUp, policy);
        const auto parsed = parseCatchUp(text);
        QVERIFY(parsed.ok());
        QCOMPARE(*parsed, policy);
        QCOMPARE(catchUpName(policy), text.trimmed().toLower());
        QCOMPARE(*parseCatchUp(catchUpName(policy)), policy);
    }

    void catchUpErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("unknown") << u"never"_s;
        QTest::newRow("two") << u"skip once"_s;
    }

    void catchUpErrors()
    {
        QFETCH(QString, text);
        const auto parsed = parseCatchUp(text);
        QVERIFY(!parsed.ok());
        const QString message = parsed.error().message;
        QVERIFY2(message.contains(u"\"%1\""_s.arg(text)), qPrintable(message));
        for (const QString &name : {u"skip"_s, u"once"_s, u"all"_s})
            QVERIFY2(message.contains(name), qPrintable(message));
    }

    // One slot a second; the agent was away for ten seconds; slots at most 2 s old are on time.
    void slotsToFirePolicies_data()
    {
        QTest::addColumn<CatchUp>("policy");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QList<int>>("fired"); // seconds after the first due slot

        // Slots 0..10 are due; 8 (exactly 2 s old), 9 and 10 are on time; 0..7 are missed.
        QTest::newRow("skip") << CatchUp::Skip << 100 << QList<int>{8, 9, 10};
        QTest::newRow("once") << CatchUp::Once << 100 << QList<int>{7, 8, 9, 10};
        QTest::newRow("all") << CatchUp::All << 100 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        QTest::newRow("all, limit 8")
            << CatchUp::All << 8 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        QTest::newRow("all, limit 3") << CatchUp::All << 3 << QList<int>{5, 6, 7, 8, 9, 10};
        QTest::newRow("all, limit 1") << CatchUp::All << 1 << QList<int>{7, 8, 9, 10};
        QTest::newRow("all, limit 0") << CatchUp::All << 0 << QList<int>{8, 9, 10};
        QTest::newRow("all, negative limit") << CatchUp::All << -1 << QList<int>{8, 9, 10};
        QTest::newRow("once ignores limit") << CatchUp::Once << 0 << QList<int>{7, 8, 9, 10};
    }

    void slotsToFirePolicies()
    {
        QFETCH(CatchUp, policy);
        QFETCH(int, limit);
        QFETCH(QList<int>, fired);
        const QDateTime first = utc(u"2026-01-01T00:00:00Z"_s);
        const QDateTime now = first.addSecs(10);
        const Firing firing =
            slotsToFire(spec(u"@every 1s"_s), zone("UTC"), first, now, policy, limit, 2000);
        QCOMPARE(isoList(firing.slots), isoList(secondsAfter(first, fired)));
        QCOMPARE(firing.missed, qint64(8));
        QCOMPARE(firing.next, first.addSecs(11));
    }

    void slotsToFireBetweenSlots()
    {
        const QDateTime first = utc(u"2026-01-01T00:00:00Z"_s);
        const QDateTime now = utc(u"2026-01-01T00:00:10.500Z"_s);
        const Firing firing =
            slotsToFire(spec(u"@every 1s"_s), zone("UTC"), first, now, CatchUp::Skip, 0, 2000);
        // Slot 8 is 2.5 s old: missed, with 0..7.
        QCOMPARE(isoList(firing.slots), isoList(secondsAfter(first, {9, 10})));
        QCOMPARE(firing.missed, qint64(9));
        QCOMPARE(firing.next, first.addSecs(11));
    }

    void slotsToFireNothingDue()
    {
        const CronSpec every = spec(u"@every 1s"_s);
        const QDateTime now = utc(u"2026-01-01T00:00:10.500Z"_s);
        const QDateTime firstDue = every.nextAfter(now, zone("UTC"));
        for (CatchUp policy : {CatchUp::Skip, CatchUp::Once, CatchUp::All}) {
            const Firing firing = slotsToFire(every, zone("UTC"), firstDue, now, policy, 10, 2000);
            QVERIFY(firing.slots.isEmpty());
            QCOMPARE(firing.missed, qint64(0));
            QCOMPARE(firing.next, utc(u"2026-01-01T00:00:11Z"_s));
        }
    }

    void slotsToFireDueNow()
    {
        const QDateTime now = utc(u"2026-01-01T03:00:00Z"_s);
        const Firing firing =
            slotsToFire(spec(u"0 * * * *"_s), zone("UTC"), now, now, CatchUp::Skip, 0, 0);
        QCOMPARE(isoList(firing.slots), QStringList{u"2026-01-01T03:00:00Z"_s});
        QCOMPARE(firing.missed, qint64(0));
        QCOMPARE(firing.next, utc(u"2026-01-01T04:00:00Z"_s));
    }

    void slotsToFireAcrossTheGap_data()
    {
        QTest::addColumn<CatchUp>("policy");
        QTest::addColumn<QStringList>("fired");
        const QString onTime = u"2026-03-29T01:15:00Z"_s;
        QTest::newRow("skip") << CatchUp::Skip << QStringList{onTime};
        QTest::newRow("once") << CatchUp::Once << QStringList{u"2026-03-29T01:00:00Z"_s, onTime};
        QTest::newRow("all") << CatchUp::All
                             << QStringList{u"2026-03-29T00:30:00Z"_s, u"2026-03-29T00:45:00Z"_s,
                                            u"2026-03-29T01:00:00Z"_s, onTime};
    }

    void slotsToFireAcrossTheGap()
    {
        QFETCH(CatchUp, policy);
        QFETCH(QStringList, fired);
        // Berlin's wall clock skips 02:00..03:00 CET: the four quarters in it fire once, at
        // 01:00 UTC.
        const Firing firing = slotsToFire(spec(u"*/15 * * * *"_s), QTimeZone("Europe/Berlin"),
                                          utc(u"2026-03-29T00:30:00Z"_s),
                                          utc(u"2026-03-29T01:15:30Z"_s), policy, 10, 60'000);
        QCOMPARE(isoList(firing.slots), fired);
        QCOMPARE(firing.missed, qint64(3));
        QCOMPARE(firing.next, utc(u"2026-03-29T01:30:00Z"_s));
    }

    // Two days of one-second slots: more than the 100000 looked at. The newest still fire.
    void slotsToFireCap_data()
    {
        QTest::addColumn<CatchUp>("policy");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QList<int>>("fired"); // seconds after now
        QTest::newRow("skip") << CatchUp::Skip << 0 << QList<int>{-5, -4, -3, -2, -1, 0};
        QTest::newRow("once") << CatchUp::Once << 0 << QList<int>{-6, -5, -4, -3, -2, -1, 0};
        QTest::newRow("all, limit 2")
            << CatchUp::All << 2 << QList<int>{-7, -6, -5, -4, -3, -2, -1, 0};
    }

    void slotsToFireCap()
    {
        QFETCH(CatchUp, policy);
        QFETCH(int, limit);
        QFETCH(QList<int>, fired);
        const QDateTime now = utc(u"2026-01-03T00:00:00Z"_s);
        const Firing firing = slotsToFire(spec(u"@every 1s"_s), zone("UTC"), now.addDays(-2), now,
                                          policy, limit, 5000);
        QCOMPARE(isoList(firing.slots), isoList(secondsAfter(now, fired)));
        QVERIFY2(firing.missed > 0 && firing.missed <= 100'000,
                 qPrintable(QString::number(firing.missed)));
        QCOMPARE(firing.next, now.addSecs(1));
    }

    void slotsToFireCapWithCron()
    {
        // A year of minutes, on Berlin's wall clock.
        const QDateTime now = utc(u"2026-06-15T12:00:00Z"_s);
        const Firing firing = slotsToFire(spec(u"* * * * *"_s), QTimeZone("Europe/Berlin"),
                                          now.addYears(-1), now, CatchUp::Once, 0, 90'000);
        QCOMPARE(isoList(firing.slots),
                 (QStringList{u"2026-06-15T11:58:00Z"_s, u"2026-06-15T11:59:00Z"_s,
                              u"2026-06-15T12:00:00Z"_s}));
        QVERIFY(firing.missed > 0 && firing.missed <= 100'000);
        QCOMPARE(firing.next, utc(u"2026-06-15T12:01:00Z"_s));
    }

    void slotsToFireNeverAgain()
    {
        // The last slot there is: nothing follows within five years.
        const QDateTime now = utc(u"2026-01-01T00:00:00Z"_s);
        const Firing firing = slotsToFire(spec(u"0 0 30 2 *"_s), zone("UTC"), now.addSecs(-60), now,
                                          CatchUp::All, 10, 0);
        QCOMPARE(isoList(firing.slots), QStringList{u"2025-12-31T23:59:00Z"_s});
        QCOMPARE(firing.missed, qint64(1));
        QVERIFY(!firing.next.isValid());
    }
};

QTEST_GUILESS_MAIN(TestCron)
#include "tst_cron.moc"
