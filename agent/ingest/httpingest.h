#pragma once

#include <QAbstractHttpServer>
#include <QHash>
#include <QPointer>

#include <deque>
#include <memory>
#include <vector>

class QTcpSocket;

namespace ferry::agent::ingest {

class BatchWriter;
struct HttpRefusal;
struct IngestReply;
struct WriteRequest;

// HTTP ingest: `POST /v1/events` with a CloudEvent (application/cloudevents+json) or a batch
// (application/cloudevents-batch+json), authenticated by a producer bearer token. The request
// is validated here and handed to the batch writer; the answer is written only after the
// commit. Responses on one connection leave in request order even though commits complete
// asynchronously.
class HttpIngest final : public QAbstractHttpServer
{
    Q_OBJECT
public:
    struct Options
    {
        qint64 maxBodyBytes = 1 << 20;
        int retryAfterSeconds = 2;
    };
    HttpIngest(BatchWriter &writer, Options options, QObject *parent = nullptr);
    ~HttpIngest() override;

    // Stops accepting connections; requests already received are still answered, and new
    // requests on open connections get 503 with Connection: close.
    void stopAccepting();
    int pendingResponses() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Slot
    {
        bool ready = false;
        bool close = false;
        QByteArray bytes;
    };
    using SlotPtr = std::shared_ptr<Slot>;

    SlotPtr openSlot(QTcpSocket *socket);
    void fill(QTcpSocket *socket, const SlotPtr &slot, int status, const QByteArray &contentType,
              const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void flush(QTcpSocket *socket);
    void handleEvents(const QHttpServerRequest &request, QTcpSocket *socket, const SlotPtr &slot);
    // Answers a problem before any event reached the batch writer.
    void refuse(const QHttpServerRequest &request, QTcpSocket *socket, const SlotPtr &slot,
                const HttpRefusal &refusal);
    struct Pending;
    void submit(const QHttpServerRequest &request, const std::shared_ptr<Pending> &pending,
                std::vector<WriteRequest> &&requests);
    // One event's outcome, on this object's thread (or after it is gone); the last one answers.
    static void answered(const std::shared_ptr<Pending> &pending, qsizetype index,
                         const IngestReply &reply);
    static void finish(Pending &pending);

    struct Mailbox;
    BatchWriter &m_writer;
    std::shared_ptr<Mailbox> m_mailbox;
    Options m_options;
    bool m_accepting = true;
    QHash<QTcpSocket *, std::deque<SlotPtr>> m_slots;
    int m_pending = 0;
};

} // namespace ferry::agent::ingest
