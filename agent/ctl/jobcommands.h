#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

struct ApiProfile;

// ferryctl jobs list|show|cancel: the runs of a tenant's exec deliveries, their progress, and
// cancelling one that runs; `jobs show --follow` watches one until it ends.
int jobs(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// The options these commands read (besides --tenant, --state, --limit and --json).
void addJobOptions(QCommandLineParser &parser);

} // namespace ferry::ctl
