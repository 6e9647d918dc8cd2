#pragma once

// The webhook rig of the end-to-end, latency and soak scenarios: one database, one agent, the
// receiver, and the producers' helpers around them.

#include "tests/bench/agent.h"
#include "tests/bench/benchreceiver.h"
#include "tests/bench/db.h"
#include "tests/bench/dispatchfill.h"
#include "tests/bench/feeder.h"
#include "tests/bench/load.h"

#include "shared/producer.h"
#include "shared/result.h"

#include <QByteArray>
#include <QHash>

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

namespace ferry::bench {

struct WebhookRig
{
    Database db;
    ProducerCredentials credentials;
    std::unique_ptr<BenchReceiver> receiver;
    std::unique_ptr<Agent> agent;
    std::unique_ptr<Db> sql;
    qint64 accepted = 0; // events acknowledged in all phases so far
};

// `producers` started feeders tagged `tag`, each allowing `window` requests in flight.
Result<void> startFeeders(std::vector<std::unique_ptr<Feeder>> &feeders, Load &load,
                          const ProducerCredentials &credentials, const QByteArray &tag,
                          int producers, int window);

// Stops the load, waits for every answer and closes the producers; any refusal fails.
Result<void> finishLoad(Load &load, std::vector<std::unique_ptr<Feeder>> &feeders);

// Every acknowledged event has exactly one delivery, every delivery succeeded, and the receiver
// took at least as many well-signed requests (a retry after a lost answer may add one).
Result<void> verifyRig(WebhookRig &rig);

struct WindowSample
{
    double at = 0; // seconds into the window
    qint64 delivered = 0, accepted = 0, backlog = 0;
};

// Samples deliveries at the receiver, acknowledged events and the open deliveries once a second.
Result<std::vector<WindowSample>> sampleWindow(WebhookRig &rig, Load &load,
                                               std::chrono::seconds window);

// Publishes `count` events one at a time, each after the previous one reached the receiver;
// returns each event's number and when it was published (µs).
Result<QHash<quint64, qint64>> publishSerially(WebhookRig &rig, int count);

// Publish -> delivery_attempts.started_at and publish -> arrival (ms) of the serial events.
Result<void> serialLatencies(Db &db, const QHash<quint64, qint64> &published,
                             const QHash<QByteArray, qint64> &arrivals,
                             std::vector<double> *toStart, std::vector<double> *toArrival);

// The agent's VmRSS (MB) every `every` while the pacer runs for `duration`.
Result<std::vector<std::pair<double, double>>>
sampleRss(WebhookRig &rig, Load &load, std::chrono::seconds duration, std::chrono::seconds every);

} // namespace ferry::bench
