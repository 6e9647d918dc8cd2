#include "console/core/reportexporter.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"

#include <QSaveFile>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::console {

ReportExporter::ReportExporter(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

void ReportExporter::start(const QStringList &tenants, const QDateTime &from, const QDateTime &to,
                           Format format, const QString &path)
{
    ++m_generation;
    m_tenants = tenants;
    m_from = from.toUTC();
    m_to = to.toUTC();
    m_format = format;
    m_path = path;
    m_next = 0;
    m_csv.clear();
    m_reports.clear();
    m_replicaAge.reset();
    m_running = true;
    if (tenants.isEmpty()) {
        finish(false, tr("Choose at least one tenant."));
        return;
    }
    if (from >= to) {
        finish(false, tr("The period's start must come before its end."));
        return;
    }
    Q_EMIT progress(0, int(tenants.size()));
    fetchNext();
}

void ReportExporter::cancel()
{
    if (!m_running)
        return;
    ++m_generation; // answers still on their way are dropped
    finish(false, tr("Export cancelled; no file was written."));
}

void ReportExporter::finish(bool ok, const QString &message)
{
    m_running = false;
    Q_EMIT finished(ok, message);
}

// Every tenant's report arrived: the file, if one was asked for, and the closing message.
void ReportExporter::finishAll()
{
    const QString note = m_replicaAge ? ApiResponse::freshnessNote(*m_replicaAge) : QString();
    const int count = int(m_tenants.size());
    if (m_path.isEmpty()) { // only the reports, no file
        finish(true, (tr("Loaded the report of %n tenant(s).", "", count) + u' ' + note).trimmed());
        return;
    }
    if (const QString error = writeFile(); !error.isEmpty()) {
        finish(false, error);
        return;
    }
    finish(true,
           (tr("Exported the report of %n tenant(s) to %1.", "", count).arg(m_path) + u' ' + note)
               .trimmed());
}

// One tenant's report: kept for the file, and how old a replica's data may be noted.
void ReportExporter::take(const ApiResponse &r)
{
    if (r.dataSource == "replica")
        m_replicaAge = (m_replicaAge && *m_replicaAge < 0) || r.dataAgeSeconds < 0
                           ? -1
                           : std::max(m_replicaAge.value_or(0), r.dataAgeSeconds);
    if (m_format == Format::Csv) {
        // CSV is for machines: the agent's CSV as it is, with ISO 8601 timestamps and the
        // state codes (dead, retry_wait), whatever the UI language. Only the PDF is written in
        // the UI language.
        QByteArray body = r.body;
        if (!m_csv.isEmpty()) // one header for all tenants
            body = body.mid(body.indexOf('\n') + 1);
        m_csv.append(body);
    } else {
        m_reports.append(DeliveryReport::fromJson(r.object));
    }
}

void ReportExporter::fetchNext()
{
    if (m_next >= m_tenants.size()) {
        finishAll();
        return;
    }
    const QString tenant = m_tenants.at(m_next);
    QUrlQuery query;
    query.addQueryItem(u"tenant"_s, tenant);
    query.addQueryItem(u"from"_s, m_from.toString(Qt::ISODateWithMs));
    query.addQueryItem(u"to"_s, m_to.toString(Qt::ISODateWithMs));
    if (m_format == Format::Csv)
        query.addQueryItem(u"format"_s, u"csv"_s);
    const quint64 generation = m_generation;
    m_client->get(
        u"/v1/reports/deliveries"_s, query, this, [this, generation, tenant](const ApiResponse &r) {
            if (generation != m_generation)
                return;
            if (!r.ok()) {
                const QString why = r.status == 403
                                        ? tr("Reports need an admin token; this token may not read "
                                             "them. Connect with an admin token.")
                                        : r.message();
                finish(false, tr("Could not export the report of %1. %2").arg(tenant, why));
                return;
            }
            take(r);
            ++m_next;
            Q_EMIT progress(m_next, int(m_tenants.size()));
            fetchNext();
        });
}

QString ReportExporter::writeFile()
{
    // QSaveFile: written beside the target and moved over it, so a failure leaves no half file.
    QSaveFile file(m_path);
    const QString cannot = tr("Could not write %1: %2. Choose another file.");
    if (!file.open(QIODevice::WriteOnly))
        return cannot.arg(m_path, file.errorString());
    if (m_format == Format::Pdf) {
        if (!writeReportPdf(&file, m_reports)) {
            file.cancelWriting();
            return cannot.arg(m_path, tr("the PDF could not be drawn"));
        }
    } else if (file.write(m_csv) != m_csv.size()) {
        return cannot.arg(m_path, file.errorString());
    }
    if (!file.commit())
        return cannot.arg(m_path, file.errorString());
    return {};
}

} // namespace ferry::console
