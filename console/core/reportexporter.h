#pragma once

#include "console/core/deliveryreport.h"

#include <QObject>
#include <QStringList>

#include <optional>

namespace ferry::console {

class ApiClient;
struct ApiResponse;

// Exports deliveries reports (GET /v1/reports/deliveries, admin tokens) for several tenants to
// one CSV or PDF file. Fetches one tenant after the other without blocking (progress after each),
// can be cancelled at any time, and writes the file only once every tenant's report arrived
// (atomically: a cancelled or failed export leaves no file).
class ReportExporter final : public QObject
{
    Q_OBJECT
public:
    enum class Format { Csv, Pdf };

    explicit ReportExporter(ApiClient *client, QObject *parent = nullptr);

    // path empty: fetch the reports (JSON) without writing a file.
    void start(const QStringList &tenants, const QDateTime &from, const QDateTime &to,
               Format format, const QString &path);
    void cancel();
    bool isRunning() const { return m_running; }
    // The reports of the last export (JSON; for a PDF export and the preview).
    const QList<DeliveryReport> &reports() const { return m_reports; }

Q_SIGNALS:
    void progress(int done, int total);
    // ok: the file was written; message: what happened, for the user.
    void finished(bool ok, const QString &message);

private:
    void fetchNext();
    void take(const ApiResponse &r);
    void finishAll();
    void finish(bool ok, const QString &message);
    QString writeFile();

    ApiClient *m_client;
    QStringList m_tenants;
    QDateTime m_from;
    QDateTime m_to;
    Format m_format = Format::Csv;
    QString m_path;
    int m_next = 0;
    QByteArray m_csv;
    QList<DeliveryReport> m_reports;
    quint64 m_generation = 0;
    bool m_running = false;
    // The oldest replica data among the answers (-1: a replica did not say); none: no answer
    // came from a replica.
    std::optional<double> m_replicaAge;
};

} // namespace ferry::console
