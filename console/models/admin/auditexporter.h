#pragma once

#include <QObject>
#include <QUrlQuery>

#include <memory>

class QSaveFile;

namespace ferry::console {

class ApiClient;

// Writes every audit log entry a filter matches to one CSV file: pages through GET /v1/audit
// (format=csv, kPageSize rows a request, each next page before the last row's id) on the event
// loop, without blocking. The file appears only when the last page is written (QSaveFile): a
// cancelled or failed export leaves no file, and no half of one.
class AuditExporter final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kPageSize = 1000;

    explicit AuditExporter(ApiClient *client, QObject *parent = nullptr);
    ~AuditExporter() override;

    // `filter`: the query values of GET /v1/audit (actor, tenant, action, since, until).
    void start(const QUrlQuery &filter, const QString &path);
    void cancel();
    bool isRunning() const { return m_file != nullptr; }
    qint64 rowsWritten() const { return m_rows; }

Q_SIGNALS:
    void progress(qint64 rows);
    // ok: the file was written; message: what happened, for the user.
    void finished(bool ok, const QString &message);

private:
    void fetchPage();
    void takePage(const QByteArray &csv);
    void finish(bool ok, const QString &message);

    ApiClient *m_client;
    QUrlQuery m_filter;
    QString m_path;
    std::unique_ptr<QSaveFile> m_file;
    QByteArray m_before; // the last row's id: the next page is older
    qint64 m_rows = 0;
    quint64 m_generation = 0;
};

// The records of an RFC 4180 CSV text (CRLF or LF line ends, quoted fields may hold them), each
// as its raw line without the line end.
QList<QByteArray> csvRecords(const QByteArray &csv);

} // namespace ferry::console
