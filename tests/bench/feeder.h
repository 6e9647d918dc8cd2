#pragma once

#include "shared/producer.h"
#include "shared/result.h"

#include <QByteArray>

namespace ferry::bench {

struct Load;

// One ferry::Producer (its own ZeroMQ context and I/O thread, CURVE) publishing single events.
// Closed loop: each answer publishes the next one until the load stops. Paced: publishOne()
// from a pacing thread.
class Feeder
{
public:
    Feeder(Load &load, const ProducerCredentials &credentials, QByteArray tag, int window)
        : m_load(load)
        , m_producer(options(credentials, window))
        , m_tag(std::move(tag))
    {}
    Result<void> start() { return m_producer.start(); }
    void close() { m_producer.close(); }
    // Publishes the next event; returns its number (see eventId).
    quint64 publishOne(bool chain);

private:
    static Producer::Options options(const ProducerCredentials &credentials, int window);

    Load &m_load;
    Producer m_producer;
    QByteArray m_tag;
};

} // namespace ferry::bench
