#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

struct ApiProfile;

// ferryctl connectors list|put|delete, inbox list|replay, messages and prices set: the webhooks
// providers send to a tenant, what became of them, and what its messages cost.
int connectors(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);
int inbox(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);
int messages(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);
int prices(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args);

// The options these commands read (besides --tenant, --state and --limit).
void addInboundOptions(QCommandLineParser &parser);

} // namespace ferry::ctl
