#pragma once

#include "agent/store/dlqstore.h"

#include <QStringList>

namespace ferry::agent {

// `ferry-agent dlq list|show|replay|discard|note`, over store::DlqStore (the TLS API and the
// console reuse the same store).
struct DlqArguments
{
    QStringList words; // after "dlq": the subcommand and its ids
    store::DlqFilter filter;
    bool allMatching = false;
    bool dryRun = false;
    QString note;
    QString assignee; // null: unchanged; empty: cleared
    QString status;
};

int runDlqCommand(store::PgConnection &db, const QString &actor, const DlqArguments &args);

// "2026-11-27T08:00:00Z", or a duration meaning that long ago ("2h", "3d").
QDateTime parseTimeArgument(const QString &text);

} // namespace ferry::agent
