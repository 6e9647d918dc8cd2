// The console in the UI language all the way through: dates, numbers and the words of deliveries
// (states, attempt outcomes, dead reasons) as the tables, the detail pane and the PDF report show
// them, first in English, then in German (the translation is compiled into the test as into the
// program). The PDF is read back with pdftotext. No agent: the models and the report are fed the
// API's JSON.
#include "console/core/deliveryreport.h"
#include "console/core/statewords.h"
#include "console/core/uiformat.h"
#include "console/models/attemptmodel.h"
#include "console/models/deliverysearchmodel.h"
#include "console/models/dlqmodel.h"
#include "console/widgets/language.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// 3 December 2026, a Thursday, 14:05:07 on this computer's clock.
const QDateTime kLocal(QDate(2026, 12, 3), QTime(14, 5, 7));

// The codes the agent sends (agent/dispatch, agent/adapters, docs/operations.md).
const QStringList kOutcomes = {u"succeeded"_s, u"retryable"_s,     u"permanent"_s, u"gone"_s,
                               u"unknown"_s,   u"lease_expired"_s, u"released"_s,  u"cancelled"_s};
const QStringList kReasons =
    (u"timeout connect dns tls no_response http_4xx http_5xx redirect rate_limited "
     u"endpoint_gone endpoint_disabled lease_expired max_age permanent auth credential "
     u"ssrf_blocked invalid_recipient invalid_sender invalid_message invalid_token "
     u"token_unavailable invalid_template invalid_parameter outside_service_window "
     u"provider_error exit_code exec_start exec_command cancelled"_s)
        .split(u' ');
const QStringList kTriage = {u"new"_s, u"investigating"_s, u"resolved"_s};

// Every word of deliveries, by kind and code, in the language installed now.
QHash<QString, QString> allWords()
{
    QHash<QString, QString> words;
    for (const QString &s : console::deliveryStates())
        words.insert(u"state:"_s + s, console::deliveryStateText(s));
    for (const QString &o : kOutcomes)
        words.insert(u"outcome:"_s + o, console::attemptOutcomeText(o));
    for (const QString &r : kReasons)
        words.insert(u"reason:"_s + r, console::deadReasonText(r));
    for (const QString &t : kTriage)
        words.insert(u"triage:"_s + t, console::triageStatusText(t));
    return words;
}

// A tenant's report as GET /v1/reports/deliveries answers it in JSON.
console::DeliveryReport sampleReport()
{
    const auto row = [](const QString &channel, const QString &state, int n) {
        return QJsonObject{{u"channel"_s, channel},
                           {u"state"_s, state},
                           {u"deliveries"_s, n},
                           {u"cost"_s, QJsonValue()}};
    };
    return console::DeliveryReport::fromJson(QJsonObject{
        {u"tenant"_s, u"shop"_s},
        {u"from"_s, u"2026-12-03T00:00:00.000Z"_s},
        {u"to"_s, u"2026-12-04T00:00:00.000Z"_s},
        {u"rows"_s, QJsonArray{row(u"email"_s, u"dead"_s, 3), row(u"webhook"_s, u"retry_wait"_s, 2),
                               row(u"webhook"_s, u"succeeded"_s, 1234)}},
        {u"total"_s, 1239},
        {u"sla"_s,
         QJsonObject{{u"target"_s, 0.995}, {u"latency_ms"_s, 2000}, {u"attainment"_s, 0.995}}}});
}

// The PDF report of the sample as text (pdftotext -layout), or why not.
QString pdfText(const QString &dir, QString *error)
{
    const QString pdftotext = QStandardPaths::findExecutable(u"pdftotext"_s);
    if (pdftotext.isEmpty()) {
        *error = u"pdftotext is missing: install poppler-utils (scripts/install-deps.sh)"_s;
        return {};
    }
    const QString path = dir + u"/report.pdf"_s;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !console::writeReportPdf(&file, {sampleReport()})) {
        *error = u"the PDF was not written"_s;
        return {};
    }
    file.close();
    QProcess p;
    p.start(pdftotext, {u"-layout"_s, path, u"-"_s});
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        *error = u"pdftotext failed: "_s + QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

// The rows of a model fed the API's JSON, in a language.
struct Rows
{
    console::DlqModel dlq;
    console::AttemptModel attempts;
    console::DeliverySearchModel search;

    Rows()
    {
        dlq.setItems(QJsonArray{QJsonObject{{u"id"_s, u"d-1"_s},
                                            {u"tenant"_s, u"shop"_s},
                                            {u"channel"_s, u"webhook"_s},
                                            {u"endpoint"_s, 1234},
                                            {u"endpoint_name"_s, u"ERP orders"_s},
                                            {u"url"_s, u"https://erp.example/hooks"_s},
                                            {u"reason"_s, u"http_5xx"_s},
                                            {u"died_at"_s, u"2026-12-03T13:05:00Z"_s},
                                            {u"triage_status"_s, u"investigating"_s},
                                            {u"attempts"_s, 8}}});
        attempts.setAttempts(QJsonArray{QJsonObject{{u"attempt"_s, 1},
                                                    {u"started_at"_s, u"2026-12-03T13:05:00Z"_s},
                                                    {u"outcome"_s, u"retryable"_s},
                                                    {u"status_code"_s, 503},
                                                    {u"duration_ms"_s, 1234}}});
        search.setItems(QJsonArray{QJsonObject{{u"id"_s, u"d-2"_s},
                                               {u"created_at"_s, u"2026-12-03T13:05:00Z"_s},
                                               {u"state"_s, u"retry_wait"_s}}});
    }
};

QString at(const QAbstractItemModel &m, int column)
{
    return m.index(0, column).data().toString();
}

// 13:05 UTC on this computer's clock, in a language's table format (written out here, not taken
// from the console).
QString diedAt(const QLocale &locale, const QString &pattern)
{
    return locale.toString(
        QDateTime(QDate(2026, 12, 3), QTime(13, 5), QTimeZone::utc()).toLocalTime(), pattern);
}

} // namespace

class TestConsoleLocale : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void uiLanguageChoosesTheLocale()
    {
        QCOMPARE(console::uiLocale(u"de"_s).language(), QLocale::German);
        QCOMPARE(console::uiLocale(u"en"_s).language(), QLocale::English);
        // The system's language when the console speaks it, else English (never the C locale,
        // whose numbers have no digit grouping).
        const QLocale::Language system = QLocale::system().language();
        QCOMPARE(console::uiLocale(QString()).language(),
                 system == QLocale::German ? QLocale::German : QLocale::English);
    }

    void english()
    {
        console::installTranslators(*QCoreApplication::instance(), u"en"_s);
        QCOMPARE(QLocale().language(), QLocale::English);

        // Dates: tables, headings, times of day.
        QCOMPARE(console::localDateTimeText(kLocal), u"3 Dec 2026 14:05"_s);
        QCOMPARE(
            console::dateTimeText(QDateTime(QDate(2026, 12, 3), QTime(14, 5), QTimeZone::utc())),
            u"3 Dec 2026 14:05"_s);
        QCOMPARE(console::localDateTimeText(QDateTime()), u"—"_s);
        QCOMPARE(console::localClockText(kLocal), u"14:05:07"_s);
        QCOMPARE(console::longDateText(kLocal.date()), u"Thursday, 3 December 2026"_s);
        QCOMPARE(console::longDateTimeText(kLocal), u"Thursday, 3 December 2026, 14:05"_s);
        // Numbers.
        QCOMPARE(console::countText(1234), u"1,234"_s);
        QCOMPARE(console::percentText(99.5, 1), u"99.5 %"_s);

        // Words: the codes in English words; codes the console does not know as they came.
        QCOMPARE(console::deliveryStateText(u"retry_wait"_s), u"waiting to retry"_s);
        QCOMPARE(console::deliveryStateText(u"in_flight"_s), u"in flight"_s);
        QCOMPARE(console::deliveryStateText(u"dead"_s), u"dead"_s);
        QCOMPARE(console::attemptOutcomeText(u"lease_expired"_s), u"lease expired"_s);
        QCOMPARE(console::deadReasonText(u"http_5xx"_s), u"server error (HTTP 5xx)"_s);
        QCOMPARE(console::deliveryStateText(u"held"_s), u"held"_s);
        m_english = allWords();
        for (auto it = m_english.cbegin(); it != m_english.cend(); ++it)
            QVERIFY2(!it.value().isEmpty(), qPrintable(it.key()));

        Rows rows;
        QAbstractItemModelTester dlqTester(&rows.dlq);
        QCOMPARE(at(rows.dlq, console::DlqModel::Reason), u"server error (HTTP 5xx)"_s);
        QCOMPARE(at(rows.dlq, console::DlqModel::Triage), u"investigating"_s);
        QCOMPARE(at(rows.dlq, console::DlqModel::DiedAt),
                 diedAt(QLocale(QLocale::English), u"d MMM yyyy HH:mm"_s));
        QCOMPARE(at(rows.attempts, console::AttemptModel::Outcome), u"failed, retryable"_s);
        QCOMPARE(at(rows.attempts, console::AttemptModel::Duration), u"1,234 ms"_s);
        QCOMPARE(at(rows.search, console::DeliverySearchModel::State), u"waiting to retry"_s);

        QTemporaryDir dir;
        QString error;
        const QString text = pdfText(dir.path(), &error);
        QVERIFY2(!text.isEmpty(), qPrintable(error));
        QVERIFY2(text.contains(u"From: Thursday, 3 December 2026, 00:00 UTC"_s), qPrintable(text));
        QVERIFY2(text.contains(u"To: Friday, 4 December 2026, 00:00 UTC"_s), qPrintable(text));
        QVERIFY2(text.contains(u"waiting to retry"_s), qPrintable(text));
        QVERIFY2(text.contains(u"1,234"_s), qPrintable(text));
        QVERIFY2(text.contains(u"99.50 %"_s), qPrintable(text));
    }

    // Last: the UI language stays German from here on.
    void german()
    {
        QVERIFY(!m_english.isEmpty()); // english() ran first
        QCOMPARE(console::installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
        QCOMPARE(QLocale().name(), u"de_DE"_s);

        QCOMPARE(console::localDateTimeText(kLocal), u"3. Dez. 2026 14:05"_s);
        QCOMPARE(
            console::dateTimeText(QDateTime(QDate(2026, 5, 1), QTime(9, 30), QTimeZone::utc())),
            u"1. Mai 2026 09:30"_s);
        QCOMPARE(console::localClockText(kLocal), u"14:05:07"_s);
        QCOMPARE(console::longDateText(kLocal.date()), u"Donnerstag, 3. Dezember 2026"_s);
        QCOMPARE(console::longDateTimeText(kLocal), u"Donnerstag, 3. Dezember 2026, 14:05"_s);
        QCOMPARE(console::countText(1234), u"1.234"_s);
        QCOMPARE(console::percentText(99.5, 1), u"99,5 %"_s);

        QCOMPARE(console::deliveryStateText(u"retry_wait"_s), u"wartet auf Wiederholung"_s);
        QCOMPARE(console::deliveryStateText(u"dead"_s), u"tot"_s);
        QCOMPARE(console::deliveryStateText(u"succeeded"_s), u"erfolgreich"_s);
        QCOMPARE(console::attemptOutcomeText(u"lease_expired"_s), u"Reservierung abgelaufen"_s);
        QCOMPARE(console::deadReasonText(u"http_5xx"_s), u"Serverfehler (HTTP 5xx)"_s);
        // Every word is German: none is left as the English word or the agent's code.
        const QHash<QString, QString> german = allWords();
        for (auto it = german.cbegin(); it != german.cend(); ++it) {
            const QString code = it.key().section(u':', 1);
            QVERIFY2(it.value() != m_english.value(it.key()) && it.value() != code,
                     qPrintable(it.key() + u" → "_s + it.value()));
        }

        Rows rows;
        QCOMPARE(at(rows.dlq, console::DlqModel::Reason), u"Serverfehler (HTTP 5xx)"_s);
        QCOMPARE(rows.dlq.index(0, console::DlqModel::Reason).data(console::DlqModel::CodeRole),
                 QVariant(u"http_5xx"_s)); // what the filter matches and the API is asked for
        QCOMPARE(at(rows.dlq, console::DlqModel::Triage), u"in Untersuchung"_s);
        // The endpoint by name and URL; its id only in the tooltip, without digit grouping.
        QCOMPARE(at(rows.dlq, console::DlqModel::Endpoint),
                 u"ERP orders — https://erp.example/hooks"_s);
        const QString endpointTip =
            rows.dlq.index(0, console::DlqModel::Endpoint).data(Qt::ToolTipRole).toString();
        QVERIFY2(endpointTip.contains(u" 1234"_s), qPrintable(endpointTip));
        QCOMPARE(at(rows.dlq, console::DlqModel::DiedAt),
                 diedAt(QLocale(QLocale::German), u"d. MMM yyyy HH:mm"_s));
        QCOMPARE(at(rows.attempts, console::AttemptModel::Outcome),
                 u"fehlgeschlagen, wiederholbar"_s);
        QCOMPARE(at(rows.attempts, console::AttemptModel::Duration), u"1.234 ms"_s);
        QCOMPARE(at(rows.search, console::DeliverySearchModel::State),
                 u"wartet auf Wiederholung"_s);

        // The PDF report: long German dates, German states (in the table and the chart), German
        // numbers; no code of the agent.
        QTemporaryDir dir;
        QString error;
        const QString text = pdfText(dir.path(), &error);
        QVERIFY2(!text.isEmpty(), qPrintable(error));
        QVERIFY2(text.contains(u"Zustellungsbericht: shop"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Von: Donnerstag, 3. Dezember 2026, 00:00 UTC"_s),
                 qPrintable(text));
        QVERIFY2(text.contains(u"Bis: Freitag, 4. Dezember 2026, 00:00 UTC"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Erstellt am "_s + console::longDateText(QDate::currentDate())) ||
                     text.contains(u"Erstellt am "_s +
                                   console::longDateText(QDate::currentDate().addDays(-1))),
                 qPrintable(text));
        QCOMPARE(text.count(u"wartet auf Wiederholung"_s), 2); // table and chart
        QCOMPARE(text.count(QRegularExpression(u"\\btot\\b"_s)), 2);
        QCOMPARE(text.count(u"erfolgreich"_s), 2);
        QVERIFY2(text.contains(u"1.234"_s) && text.contains(u"1.239"_s), qPrintable(text));
        QVERIFY2(text.contains(u"99,50 %"_s), qPrintable(text));
        for (const QString &code : {u"retry_wait"_s, u"succeeded"_s, u"dead"_s, u"Thursday"_s})
            QVERIFY2(!text.contains(code), qPrintable(code + u" in:\n"_s + text));
    }

private:
    QHash<QString, QString> m_english;
};

QTEST_MAIN(TestConsoleLocale)
#include "tst_console_locale.moc"
