#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace ferry::console {

// One answer of the agent's API, or why there was none.
struct ApiResponse
{
    Q_DECLARE_TR_FUNCTIONS(ferry::console::ApiResponse)

public:
    int status = 0;     // HTTP status; 0 when there was no HTTP answer
    QByteArray body;    // raw body
    QJsonObject object; // the body as a JSON object (empty when it is not one)
    QString networkError;
    // Where the agent read the heavy reads (search, reports, SLA) from: "replica" (a standby,
    // database.read_url) or "primary"; empty from other routes and older agents.
    QByteArray dataSource;
    double dataAgeSeconds = -1; // from a replica: how old its data may be; -1: not said

    bool ok() const { return status >= 200 && status < 300; }
    // A sentence for the user: the problem's title and detail, or the network error, with what
    // to do about it.
    QString message() const;
    // A sentence for data read from a replica: how old it may be. Empty otherwise.
    QString freshnessNote() const;
    // The same for several answers: the oldest replica data among them (-1: not said).
    static QString freshnessNote(double oldestReplicaSeconds);
};

} // namespace ferry::console
