// A minimal producer: publish CloudEvents to Ferry over ZeroMQ with ferry::Producer.
//
//   ferry-agent producer add --tenant shop > shop.keys      # once, on the agent's host
//   ferry-producer-example shop.keys 1000
//
// Build: link against ferry_shared (see docs/examples/CMakeLists.txt).
#include "shared/producer.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>

#include <cstdio>
#include <future>
#include <vector>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CREDENTIALS-FILE [COUNT]\n", argv[0]);
        return 2;
    }
    auto credentials = ferry::ProducerCredentials::fromFile(QString::fromLocal8Bit(argv[1]));
    if (!credentials) {
        std::fprintf(stderr, "%s\n", qPrintable(credentials.error().message));
        return 2;
    }
    const int count = argc > 2 ? QByteArray(argv[2]).toInt() : 10;

    ferry::Producer producer({*credentials});
    if (auto started = producer.start(); !started) {
        std::fprintf(stderr, "%s\n", qPrintable(started.error().message));
        return 1;
    }

    // 1. One event, waiting for its answer. The id makes it idempotent: publishing the same
    //    event again (after a crash, say) is answered as a duplicate of the first.
    const QByteArray order = R"({"specversion":"1.0","id":"order-1001","source":"/shop/orders",
        "type":"order.created","partitionkey":"customer-7","data":{"order":1001}})";
    ferry::PublishResult first = producer.publish(order).get();
    std::printf("order-1001: status %d, event %s%s\n", first.status, qPrintable(first.eventId),
                first.duplicate ? " (duplicate)" : "");

    // 2. Many events, pipelined: completions arrive on the producer's thread.
    std::vector<std::future<ferry::PublishResult>> pending;
    const QByteArray run = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    for (int i = 0; i < count; ++i)
        pending.push_back(producer.publish(
            R"({"specversion":"1.0","id":"example-)" + run + '-' + QByteArray::number(i) +
            R"(","source":"/example","type":"example.tick","data":{"i":)" + QByteArray::number(i) +
            "}}"));
    int accepted = 0;
    for (auto &f : pending) {
        const ferry::PublishResult r = f.get();
        if (r.ok())
            ++accepted;
        else
            std::fprintf(stderr, "refused (%d): %s\n", r.status, qPrintable(r.error));
    }

    // 3. A batch: one request, one answer per event.
    ferry::BatchPublishResult batch = producer.publishBatch({order, order}).get();
    std::printf("%d of %d accepted; batch answered %d with %lld items\n", accepted, count,
                batch.status, static_cast<long long>(batch.items.size()));
    return accepted == count ? 0 : 1;
}
