#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

struct ApiProfile;

// ferryctl schedules list|show|put|delete|pause|resume: a tenant's schedules, the events they
// emit and when they fire next.
int schedules(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// The options these commands read (besides --tenant, --event-type, --definition-file and
// --json).
void addScheduleOptions(QCommandLineParser &parser);

} // namespace ferry::ctl
