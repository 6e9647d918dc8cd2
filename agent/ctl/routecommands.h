#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

struct ApiProfile;

// ferryctl routes list|show|create and credentials list|put|delete: where a tenant's events go
// and through which provider account.
int routes(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);
int credentials(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// The options these commands read.
void addRouteOptions(QCommandLineParser &parser);

} // namespace ferry::ctl
