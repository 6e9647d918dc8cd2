#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

struct ApiProfile;

// ferryctl reconcile (a run now, optionally waited for) and reconciliation (the report: runs and
// the drifts they found between Ferry's message states and the providers').
int reconcile(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);
int reconciliation(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// The options these commands read (besides --tenant, --limit and --json).
void addReconcileOptions(QCommandLineParser &parser);

} // namespace ferry::ctl
