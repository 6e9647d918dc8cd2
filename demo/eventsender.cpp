#include "demo/eventsender.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <curl/curl.h>

#include <map>
#include <vector>

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

constexpr int kMaxProblems = 5;

struct Transfer
{
    CURL *easy = nullptr;
    int event = -1;
    QByteArray body;
    QByteArray response;
};

size_t onBody(char *data, size_t size, size_t count, void *user)
{
    static_cast<Transfer *>(user)->response.append(data, qsizetype(size) * qsizetype(count));
    return size * count;
}

// "HTTP 400 Invalid CloudEvent: <detail>" from an RFC 9457 problem body, or the raw body.
QString describe(long status, const QByteArray &body)
{
    const QJsonObject problem = QJsonDocument::fromJson(body).object();
    QString text = problem.value("title"_L1).toString();
    if (const QString detail = problem.value("detail"_L1).toString(); !detail.isEmpty())
        text += u": "_s + detail;
    if (text.isEmpty())
        text = QString::fromUtf8(body.left(200));
    return u"HTTP %1 %2"_s.arg(status).arg(text);
}

// One run of the sender: the libcurl handles, what each event is at, and the counts.
class SendRun
{
public:
    explicit SendRun(const EventSender::Options &options);
    ~SendRun();
    SendRun(const SendRun &) = delete;
    SendRun &operator=(const SendRun &) = delete;

    Result<EventSender::Counts> run(const EventSender::Progress &progress,
                                    const EventSender::StopReason &stopReason);

private:
    struct EventState
    {
        qint64 firstTryMs = -1;
        int tries = 0;
    };

    void startTransfers();
    int nextEvent(qint64 now);
    void start(Transfer *t, int event, qint64 now);
    void collectFinished();
    void finished(Transfer *t, CURLcode code, long status, curl_off_t retryAfter);
    bool retryLater(const Transfer &t, curl_off_t retryAfter, qint64 at);
    void problem(int event, const QString &text);

    const EventSender::Options &m_options;
    CURLM *m_multi = nullptr;
    curl_slist *m_headers = nullptr;
    std::vector<Transfer> m_transfers;
    std::vector<Transfer *> m_idle;
    std::vector<EventState> m_state;
    std::multimap<qint64, int> m_retries; // due time (ms on `m_clock`) → event
    int m_next = 0;
    EventSender::Counts m_counts;
    QElapsedTimer m_clock;
};

SendRun::SendRun(const EventSender::Options &options)
    : m_options(options)
    , m_multi(curl_multi_init())
    , m_transfers(static_cast<size_t>(options.parallel))
    , m_state(static_cast<size_t>(options.events))
{
    curl_multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(m_options.parallel));
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, long(m_options.parallel));
    m_headers = curl_slist_append(
        m_headers, QByteArray("Authorization: Bearer " + m_options.token).constData());
    m_headers = curl_slist_append(m_headers, "Content-Type: application/cloudevents+json");
    m_headers = curl_slist_append(m_headers, "Expect:"); // no 100-continue round trip
    for (Transfer &t : m_transfers) {
        t.easy = curl_easy_init();
        curl_easy_setopt(t.easy, CURLOPT_URL, m_options.url.constData());
        curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, m_headers);
        curl_easy_setopt(t.easy, CURLOPT_POST, 1L);
        curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, &onBody);
        curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
        curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, 30'000L);
        curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
        m_idle.push_back(&t);
    }
}

SendRun::~SendRun()
{
    for (Transfer &t : m_transfers) {
        curl_multi_remove_handle(m_multi, t.easy);
        curl_easy_cleanup(t.easy);
    }
    curl_multi_cleanup(m_multi);
    curl_slist_free_all(m_headers);
}

Result<EventSender::Counts> SendRun::run(const EventSender::Progress &progress,
                                         const EventSender::StopReason &stopReason)
{
    const int total = m_options.events;
    m_clock.start();
    while (m_counts.answered < total) {
        if (const QString reason = stopReason(); !reason.isEmpty())
            return makeError(reason);
        startTransfers();
        int running = 0;
        curl_multi_perform(m_multi, &running);
        collectFinished();
        m_counts.elapsedMs = m_clock.elapsed();
        progress(m_counts);
        if (m_counts.answered < total)
            curl_multi_poll(m_multi, nullptr, 0, 50, nullptr);
    }
    return m_counts;
}

// Puts every idle transfer to work: retries that are due first, then events not sent yet.
void SendRun::startTransfers()
{
    const qint64 now = m_clock.elapsed();
    while (!m_idle.empty()) {
        const int event = nextEvent(now);
        if (event < 0)
            return;
        Transfer *t = m_idle.back();
        m_idle.pop_back();
        start(t, event, now);
    }
}

// The next event to send at `now`, or -1 when there is none.
int SendRun::nextEvent(qint64 now)
{
    if (!m_retries.empty() && m_retries.begin()->first <= now) {
        const int event = m_retries.begin()->second;
        m_retries.erase(m_retries.begin());
        ++m_counts.resent;
        return event;
    }
    return m_next < m_options.events ? m_next++ : -1;
}

void SendRun::start(Transfer *t, int event, qint64 now)
{
    t->event = event;
    t->body = EventSender::eventBody(event, m_options.messageEvery);
    t->response.clear();
    EventState &s = m_state[size_t(event)];
    if (s.firstTryMs < 0)
        s.firstTryMs = now;
    ++s.tries;
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->body.constData());
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t->body.size()));
    curl_multi_add_handle(m_multi, t->easy);
}

void SendRun::collectFinished()
{
    int queued = 0;
    while (CURLMsg *message = curl_multi_info_read(m_multi, &queued)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        char *priv = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &priv);
        auto *t = static_cast<Transfer *>(static_cast<void *>(priv));
        const CURLcode code = message->data.result;
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        curl_off_t retryAfter = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retryAfter);
        curl_multi_remove_handle(m_multi, t->easy);
        m_idle.push_back(t);
        finished(t, code, status, retryAfter);
    }
}

// Counts the answer to `t`, or schedules the event again.
void SendRun::finished(Transfer *t, CURLcode code, long status, curl_off_t retryAfter)
{
    if (code != CURLE_OK || status == 503) {
        if (retryLater(*t, retryAfter, m_clock.elapsed()))
            return;
        const QString why = code != CURLE_OK ? QString::fromUtf8(curl_easy_strerror(code))
                                             : describe(status, t->response);
        ++m_counts.gaveUp;
        problem(t->event,
                u"gave up after %1 tries: %2"_s.arg(m_state[size_t(t->event)].tries).arg(why));
    } else if (status == 202) {
        ++m_counts.accepted;
    } else if (status == 200 &&
               QJsonDocument::fromJson(t->response).object().value("duplicate"_L1).toBool()) {
        ++m_counts.duplicates;
    } else {
        ++m_counts.rejected;
        problem(t->event, describe(status, t->response));
    }
    ++m_counts.answered;
}

// Within the retry window: schedules the event again and returns true.
bool SendRun::retryLater(const Transfer &t, curl_off_t retryAfter, qint64 at)
{
    const EventState &s = m_state[size_t(t.event)];
    if (at - s.firstTryMs >= m_options.retryWindowMs)
        return false;
    // Honour Retry-After (at most 5 s); otherwise back off 100 ms, 200 ms … 2 s.
    const qint64 delay = retryAfter > 0 ? std::min<qint64>(retryAfter, 5) * 1000
                                        : std::min<qint64>(100LL << std::min(s.tries, 5), 2000);
    m_retries.emplace(at + delay, t.event);
    return true;
}

void SendRun::problem(int event, const QString &text)
{
    if (m_counts.problems.size() < kMaxProblems)
        m_counts.problems.append(u"demo-%1: %2"_s.arg(event).arg(text));
}

} // namespace

QByteArray EventSender::eventBody(int index, int messageEvery)
{
    const QByteArray n = QByteArray::number(index);
    const QByteArray amount = QByteArray::number(100 + (qint64(index) * 7919) % 50'000);
    const QByteArray head =
        R"({"specversion":"1.0","id":"demo-)" + n + R"(","source":"/demo/shop","type":")";
    if (messageEvery <= 0 || index % messageEvery != 0)
        return head + R"(order.created","data":{"order":)" + n + R"(,"amount_cents":)" + amount +
               "}}";
    const QByteArray phone =
        "+4915112" + QByteArray::number(index % 1'000'000).rightJustified(6, '0');
    return head + kMessageEventType + R"(","data":{"order":)" + n + R"(,"amount_cents":)" + amount +
           R"(,"customer":{"email":"customer-)" + n + R"(@shop.example","phone":")" + phone +
           R"(","device":"device-token-)" + n + R"("}}})";
}

Result<EventSender::Counts> EventSender::run(const Progress &progress,
                                             const StopReason &stopReason) const
{
    return SendRun(m_options).run(progress, stopReason);
}

} // namespace ferry::demo
