#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

struct ApiProfile;

// ferryctl schemas list|put|delete|strict: a tenant's schema registry (event types, their
// versions and required fields) and its strict mode (docs/schemas.md).
int schemas(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// The options these commands read (besides --tenant, --event-type, --limit and --cursor).
void addSchemaOptions(QCommandLineParser &parser);

} // namespace ferry::ctl
