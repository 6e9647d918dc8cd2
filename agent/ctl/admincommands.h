#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

struct ApiProfile;

// ferryctl tokens list|create|revoke: the API's tokens (admin tokens; the secret of a new one is
// printed once).
int tokens(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// ferryctl agents: the agents that share the database, with their version, uptime and the
// singleton jobs each holds.
int agents(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// ferryctl dlq groups: dead deliveries grouped by tenant, route and reason, largest first.
int dlqGroups(const ApiProfile &profile, const QCommandLineParser &p);

// The options these commands read (besides --tenant, --channel, --since, --limit and --json).
void addAdminOptions(QCommandLineParser &parser);

} // namespace ferry::ctl
