#include "tests/bench/feeder.h"

#include "tests/bench/benchsupport.h"
#include "tests/bench/load.h"

#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;
using std::chrono::seconds;

namespace ferry::bench {

namespace {

std::atomic<quint64> g_sequence{0};

} // namespace

quint64 Feeder::publishOne(bool chain)
{
    const quint64 n = ++g_sequence;
    ++m_load.inFlight;
    m_producer.publish(makeEvent(m_tag, "/bench/dispatch", n),
                       [this, chain](const PublishResult &r) {
                           if (r.status == 202)
                               ++m_load.accepted;
                           else
                               m_load.fail(u"PUB answered %1: %2"_s.arg(r.status).arg(r.error));
                           if (chain && !m_load.stop.load())
                               publishOne(true);
                           m_load.requestDone();
                       });
    return n;
}

Producer::Options Feeder::options(const ProducerCredentials &credentials, int window)
{
    Producer::Options o;
    o.credentials = credentials;
    o.maxInFlight = window;
    o.maxQueued = std::max(100000, window * 2);
    o.resendAfter = seconds(60); // no resends: they would add work that is not new events
    o.giveUpAfter = seconds(120);
    return o;
}

} // namespace ferry::bench
