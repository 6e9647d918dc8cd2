#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

struct ApiProfile;

// ferryctl workflows list|put|delete|instances: a tenant's workflows and what their instances
// did, step by step.
int workflows(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// The options these commands read (besides --tenant, --state, --limit and --json).
void addWorkflowOptions(QCommandLineParser &parser);

} // namespace ferry::ctl
