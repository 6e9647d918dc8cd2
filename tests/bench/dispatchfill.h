#pragma once

// The dispatch benchmark's SQL: fresh databases, endpoints, backlogs filled by SQL, cold
// deliveries, and the counts its scenarios check.

#include "tests/bench/db.h"
#include "tests/support/testsupport.h"

#include "shared/result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace ferry::bench {

QByteArray num(qint64 v);

// Deliveries finished so far: the highest committed id of delivery_attempts. Every completion
// inserts one attempt in the transaction that finishes its delivery, and this is one index probe
// whatever the table's size (a count(*) over 10 million rows every 100 ms would load PostgreSQL
// more than the dispatcher does). Transactions in flight can leave lower ids uncommitted for a
// moment: at most one flush per worker, a few hundred rows; the final counts are exact.
Result<qint64> attemptsSoFar(Db &db);

Result<qint64> openDeliveries(Db &db);

struct StateCounts
{
    qint64 total = 0, succeeded = 0, dead = 0, open = 0;
};

Result<StateCounts> stateCounts(Db &db);

// A dead delivery is a lost one here: nothing in these scenarios should ever fail.
Result<StateCounts> checkNoneDead(Db &db);

// A fresh database, migrated, with one tenant "bench".
struct Database
{
    std::unique_ptr<test::TestDatabase> test;
    QString url;
    qint64 tenantId = 0;
};

Result<Database> freshDatabase(const QString &name);

// An endpoint of tenant "bench" through `ferry-agent endpoint add`, then its channel and
// concurrency cap (which the command does not set) by SQL. Returns its id; the signing secret
// goes to `secret`.
Result<qint64> addEndpoint(const Database &d, const QString &url, const QString &channel,
                           int maxConcurrency, QByteArray *secret = nullptr);

// `count` events with tiny payloads (time-ordered ids, as the agent makes them) and one delivery
// each to `endpoint`, by SQL, a million rows per statement; then VACUUM ANALYZE and a
// CHECKPOINT, so the drain starts with clean statistics and no dirty pages of the fill.
Result<void> fillBacklog(const Database &d, qint64 endpoint, qint64 count);

// One cold delivery, as an ingest commit makes it: event, delivery and the NOTIFY together.
Result<void> insertCold(Db &db, qint64 tenant, qint64 endpoint, int n);

// finished_at - created_at of the endpoint's deliveries, in ms.
Result<std::vector<double>> finishLatencies(Db &db, qint64 endpoint);

} // namespace ferry::bench
