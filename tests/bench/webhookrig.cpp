#include "tests/bench/webhookrig.h"

#include "tests/bench/benchsupport.h"

#include <cstdio>
#include <thread>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace ferry::bench {

Result<void> startFeeders(std::vector<std::unique_ptr<Feeder>> &feeders, Load &load,
                          const ProducerCredentials &credentials, const QByteArray &tag,
                          int producers, int window)
{
    for (int p = 0; p < producers; ++p) {
        feeders.push_back(std::make_unique<Feeder>(load, credentials, tag, window));
        if (auto started = feeders.back()->start(); !started)
            return makeError(u"producer did not start: "_s + started.error().message);
    }
    return {};
}

Result<void> finishLoad(Load &load, std::vector<std::unique_ptr<Feeder>> &feeders)
{
    load.stop = true;
    const bool idle = load.waitIdle(seconds(120));
    for (auto &f : feeders)
        f->close();
    if (load.failures.load() > 0)
        return makeError(load.firstError);
    if (!idle)
        return makeError(u"%1 events got no answer within 120 s"_s.arg(load.inFlight.load()));
    return {};
}

Result<void> verifyRig(WebhookRig &rig)
{
    auto counts = checkNoneDead(*rig.sql);
    if (!counts)
        return counts.error();
    if (counts->total != rig.accepted || counts->succeeded != counts->total)
        return makeError(u"%1 events acknowledged, %2 deliveries, %3 succeeded"_s.arg(rig.accepted)
                             .arg(counts->total)
                             .arg(counts->succeeded));
    if (rig.receiver->badSignatures() > 0)
        return makeError(
            u"the receiver refused %1 bad signatures"_s.arg(rig.receiver->badSignatures()));
    if (rig.receiver->valid() < counts->succeeded)
        return makeError(
            u"%1 deliveries succeeded, but the receiver took only %2"_s.arg(counts->succeeded)
                .arg(rig.receiver->valid()));
    return {};
}

Result<std::vector<WindowSample>> sampleWindow(WebhookRig &rig, Load &load, seconds window)
{
    std::vector<WindowSample> samples;
    const auto start = Clock::now();
    for (qint64 i = 0; i <= window.count(); ++i) {
        std::this_thread::sleep_until(start + seconds(i));
        if (load.failures.load() > 0)
            return makeError(load.firstError);
        if (!rig.agent->isRunning())
            return makeError(u"the agent exited:\n"_s + rig.agent->log());
        const qint64 delivered = rig.receiver->valid() - rig.receiver->duplicates();
        const qint64 accepted = load.accepted.load();
        auto backlog = openDeliveries(*rig.sql);
        if (!backlog)
            return backlog.error();
        samples.push_back({secondsSince(start), delivered, accepted, *backlog});
    }
    return samples;
}

Result<QHash<quint64, qint64>> publishSerially(WebhookRig &rig, int count)
{
    Load load;
    std::vector<std::unique_ptr<Feeder>> feeders;
    if (auto r = startFeeders(feeders, load, rig.credentials, "serial", 1, 10); !r)
        return r.error();
    QHash<quint64, qint64> published;
    for (int i = 0; i < count && load.failures.load() == 0; ++i) {
        const qint64 before = rig.receiver->valid();
        const qint64 at = wallMicros();
        published.insert(feeders.front()->publishOne(false), at);
        if (!rig.receiver->waitForValid(before + 1, seconds(10)))
            return makeError(u"serial event %1 did not reach the receiver within 10 s"_s.arg(i));
    }
    if (auto r = finishLoad(load, feeders); !r)
        return r.error();
    rig.accepted += load.accepted.load();
    return published;
}

Result<void> serialLatencies(Db &db, const QHash<quint64, qint64> &published,
                             const QHash<QByteArray, qint64> &arrivals,
                             std::vector<double> *toStart, std::vector<double> *toArrival)
{
    auto rows =
        db.rows("SELECT d.id, e.ce_id, (extract(epoch FROM a.started_at) * 1000000)::bigint "
                "FROM events e JOIN deliveries d ON d.event_id = e.id "
                "JOIN delivery_attempts a ON a.delivery_id = d.id AND a.attempt = 1 "
                "WHERE e.ce_id LIKE 'serial-%'");
    if (!rows)
        return rows.error();
    for (int i = 0; i < rows->rows(); ++i) {
        const qint64 at = published.value(rows->text(i, 1).section(u'-', -1).toULongLong(), -1);
        const qint64 arrival = arrivals.value(rows->bytes(i, 0), -1);
        if (at < 0 || arrival < 0)
            return makeError(u"serial delivery %1 was not published or not received here"_s.arg(
                rows->text(i, 0)));
        toStart->push_back(double(rows->int64(i, 2) - at) / 1000.0);
        toArrival->push_back(double(arrival - at) / 1000.0);
    }
    if (qsizetype(toStart->size()) != published.size())
        return makeError(u"%1 serial events published, %2 attempts found"_s.arg(published.size())
                             .arg(toStart->size()));
    return {};
}

Result<std::vector<std::pair<double, double>>> sampleRss(WebhookRig &rig, Load &load,
                                                         seconds duration, seconds every)
{
    std::vector<std::pair<double, double>> mb;
    const auto start = Clock::now();
    for (qint64 i = 0; seconds(i * every.count()) <= duration; ++i) {
        std::this_thread::sleep_until(start + every * i);
        if (load.failures.load() > 0)
            return makeError(load.firstError);
        if (!rig.agent->isRunning())
            return makeError(u"the agent exited during the soak:\n"_s + rig.agent->log());
        mb.emplace_back(secondsSince(start), double(statusKb(rig.agent->pid(), "VmRSS:")) / 1024);
        if (i % 6 == 0) {
            std::printf("    soak %4.0f s: agent RSS %.1f MB, %s events acknowledged\n",
                        mb.back().first, mb.back().second,
                        qPrintable(fmtInt(double(load.accepted.load()))));
            std::fflush(stdout);
        }
    }
    return mb;
}

} // namespace ferry::bench
