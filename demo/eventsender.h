#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>

namespace ferry::demo {

// Sends the demo's CloudEvents (ids demo-0 … demo-N-1) to the agent's HTTP ingest with libcurl
// multi: up to `parallel` requests in flight over keep-alive connections. An event answered
// with 503, or lost to a connection error, is sent again with the same id until
// `retryWindowMs` after its first try.
class EventSender
{
public:
    struct Options
    {
        QByteArray url; // http://127.0.0.1:PORT/v1/events
        QByteArray token;
        int events = 10'000;
        int parallel = 32;
        qint64 retryWindowMs = 60'000;
        int messageEvery = 0; // every Nth event is a shipping notice (0: none)
    };

    struct Counts
    {
        qint64 answered = 0;   // events with a final answer
        qint64 accepted = 0;   // 202
        qint64 duplicates = 0; // 200 with "duplicate": true (stored by an earlier try)
        qint64 rejected = 0;   // any other answer
        qint64 gaveUp = 0;     // still 503 or unreachable when the retry window closed
        qint64 resent = 0;     // requests sent again after a 503 or a connection error
        qint64 elapsedMs = 0;
        QStringList problems; // the first few rejections, for the user
    };

    // Called after every round of transfers.
    using Progress = std::function<void(const Counts &)>;
    // Called as often; a non-empty answer stops sending with that message.
    using StopReason = std::function<QString()>;

    explicit EventSender(Options options)
        : m_options(std::move(options))
    {}

    Result<Counts> run(const Progress &progress, const StopReason &stopReason) const;

    // Event `index`: an order.created, or with `messageEvery` > 0 and every that many events an
    // order.shipped that names its customer (email, phone, device), for the message routes.
    static QByteArray eventBody(int index, int messageEvery);
    static constexpr char kMessageEventType[] = "order.shipped";
    // How many of `events` events are shipping notices.
    static int messageEvents(int events, int messageEvery)
    {
        return messageEvery > 0 ? (events + messageEvery - 1) / messageEvery : 0;
    }

private:
    Options m_options;
};

} // namespace ferry::demo
