#include "console/core/apiresponse.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::console {

QString ApiResponse::freshnessNote() const
{
    return dataSource == "replica" ? freshnessNote(dataAgeSeconds) : QString();
}

QString ApiResponse::freshnessNote(double oldestReplicaSeconds)
{
    if (oldestReplicaSeconds < 0)
        return tr("Read from a replica, which did not say how old its data is.");
    const int seconds = std::max(1, int(std::ceil(oldestReplicaSeconds)));
    return tr("Read from a replica: it may lack the last %n second(s) of changes.", "", seconds);
}

QString ApiResponse::message() const
{
    if (status == 0)
        return tr("No answer from the agent: %1. Check the address and that the agent is running.")
            .arg(networkError);
    const QString detail = object.value("detail"_L1).toString();
    const QString title = object.value("title"_L1).toString();
    QString text = title.isEmpty() ? tr("HTTP %1").arg(status) : title;
    if (!detail.isEmpty())
        text += u": "_s + detail;
    switch (status) {
    case 401:
        return tr("%1. The token was refused: enter a valid token in the connection settings.")
            .arg(text);
    case 403:
        return tr("%1. Your token's role does not allow this; ask an administrator for a token "
                  "with a higher role.")
            .arg(text);
    case 404:
        return tr("%1. It may have been removed meanwhile, or this agent does not offer it.")
            .arg(text);
    case 409:
        return tr("%1. Someone may have acted on it already; refresh the list.").arg(text);
    case 429:
        return tr("%1. Wait a minute and try again.").arg(text);
    case 503:
        return tr("%1. The agent cannot serve this right now; it will be retried.").arg(text);
    default:
        break;
    }
    return text;
}

} // namespace ferry::console
