#include "console/models/admin/auditexporter.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"

#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace ferry::console {

QList<QByteArray> csvRecords(const QByteArray &csv)
{
    QList<QByteArray> records;
    bool quoted = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < csv.size(); ++i) {
        const char c = csv.at(i);
        if (c == '"')
            quoted = !quoted; // a doubled quote toggles twice
        else if (c == '\n' && !quoted) {
            const qsizetype end = i > start && csv.at(i - 1) == '\r' ? i - 1 : i;
            records.append(csv.mid(start, end - start));
            start = i + 1;
        }
    }
    if (start < csv.size())
        records.append(csv.mid(start));
    return records;
}

AuditExporter::AuditExporter(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

AuditExporter::~AuditExporter() = default; // an unfinished QSaveFile removes its temporary file

void AuditExporter::start(const QUrlQuery &filter, const QString &path)
{
    ++m_generation;
    m_filter = filter;
    m_path = path;
    m_before.clear();
    m_rows = 0;
    m_file = std::make_unique<QSaveFile>(path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        finish(false,
               tr("Could not write %1: %2. Choose another file.").arg(path, m_file->errorString()));
        return;
    }
    fetchPage();
}

void AuditExporter::cancel()
{
    if (!isRunning())
        return;
    ++m_generation; // a page still on its way is dropped
    finish(false, tr("Export cancelled; no file was written."));
}

void AuditExporter::fetchPage()
{
    QUrlQuery query = m_filter;
    query.addQueryItem(u"format"_s, u"csv"_s);
    query.addQueryItem(u"limit"_s, QString::number(kPageSize));
    if (!m_before.isEmpty())
        query.addQueryItem(u"before"_s, QString::fromLatin1(m_before));
    const quint64 generation = m_generation;
    m_client->get(u"/v1/audit"_s, query, this, [this, generation](const ApiResponse &r) {
        if (generation != m_generation)
            return;
        if (!r.ok()) {
            finish(false, tr("Could not export the audit log. %1").arg(r.message()));
            return;
        }
        takePage(r.body);
    });
}

void AuditExporter::takePage(const QByteArray &csv)
{
    QList<QByteArray> records = csvRecords(csv);
    if (records.isEmpty()) {
        finish(false, tr("Could not export the audit log: the agent answered no CSV."));
        return;
    }
    const QByteArray header = records.takeFirst();
    QByteArray out;
    if (m_rows == 0) // one header for all pages
        out = header + "\r\n";
    for (const QByteArray &record : std::as_const(records))
        out += record + "\r\n";
    if (m_file->write(out) != out.size()) {
        finish(
            false,
            tr("Could not write %1: %2. Choose another file.").arg(m_path, m_file->errorString()));
        return;
    }
    m_rows += records.size();
    Q_EMIT progress(m_rows);
    if (records.size() < kPageSize) {
        if (!m_file->commit()) {
            finish(false, tr("Could not write %1: %2. Choose another file.")
                              .arg(m_path, m_file->errorString()));
            return;
        }
        finish(true, tr("Exported %n audit log entries to %1.", "", int(m_rows)).arg(m_path));
        return;
    }
    m_before = records.last().left(records.last().indexOf(','));
    fetchPage();
}

void AuditExporter::finish(bool ok, const QString &message)
{
    m_file.reset(); // without commit(): the temporary file goes, the target stays untouched
    Q_EMIT finished(ok, message);
}

} // namespace ferry::console
