#include "demo/eventsender.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>

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
    static_cast<Transfer *>(user)->response.append(data, qsizetype(size * count));
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

} // namespace

QByteArray EventSender::eventBody(int index)
{
    const QByteArray n = QByteArray::number(index);
    const QByteArray amount = QByteArray::number(100 + (qint64(index) * 7919) % 50'000);
    return R"({"specversion":"1.0","id":"demo-)" + n +
           R"(","source":"/demo/shop","type":"order.created","data":{"order":)" + n +
           R"(,"amount_cents":)" + amount + "}}";
}

Result<EventSender::Counts> EventSender::run(const Progress &progress,
                                             const StopReason &stopReason) const
{
    const int total = m_options.events;
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(m_options.parallel));
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, long(m_options.parallel));
    curl_slist *headers = nullptr;
    headers = curl_slist_append(headers,
                                QByteArray("Authorization: Bearer " + m_options.token).constData());
    headers = curl_slist_append(headers, "Content-Type: application/cloudevents+json");
    headers = curl_slist_append(headers, "Expect:"); // no 100-continue round trip

    std::vector<Transfer> transfers(static_cast<size_t>(m_options.parallel));
    std::vector<Transfer *> idle;
    for (Transfer &t : transfers) {
        t.easy = curl_easy_init();
        curl_easy_setopt(t.easy, CURLOPT_URL, m_options.url.constData());
        curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(t.easy, CURLOPT_POST, 1L);
        curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, &onBody);
        curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
        curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, 30'000L);
        curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
        idle.push_back(&t);
    }
    const auto cleanup = qScopeGuard([&] {
        for (Transfer &t : transfers) {
            curl_multi_remove_handle(multi, t.easy);
            curl_easy_cleanup(t.easy);
        }
        curl_multi_cleanup(multi);
        curl_slist_free_all(headers);
    });

    struct EventState
    {
        qint64 firstTryMs = -1;
        int tries = 0;
    };
    std::vector<EventState> state(static_cast<size_t>(total));
    std::multimap<qint64, int> retries; // due time (ms on `clock`) → event
    int next = 0;
    Counts counts;
    QElapsedTimer clock;
    clock.start();

    while (counts.answered < total) {
        if (const QString reason = stopReason(); !reason.isEmpty())
            return makeError(reason);
        const qint64 now = clock.elapsed();
        while (!idle.empty()) {
            int event = -1;
            if (!retries.empty() && retries.begin()->first <= now) {
                event = retries.begin()->second;
                retries.erase(retries.begin());
                ++counts.resent;
            } else if (next < total) {
                event = next++;
            } else {
                break;
            }
            Transfer *t = idle.back();
            idle.pop_back();
            t->event = event;
            t->body = eventBody(event);
            t->response.clear();
            EventState &s = state[size_t(event)];
            if (s.firstTryMs < 0)
                s.firstTryMs = now;
            ++s.tries;
            curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->body.constData());
            curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t->body.size()));
            curl_multi_add_handle(multi, t->easy);
        }

        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            char *priv = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &priv);
            Transfer *t = static_cast<Transfer *>(static_cast<void *>(priv));
            const CURLcode code = message->data.result;
            long status = 0;
            curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
            curl_off_t retryAfter = 0;
            curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retryAfter);
            curl_multi_remove_handle(multi, t->easy);
            idle.push_back(t);

            const EventState &s = state[size_t(t->event)];
            const qint64 at = clock.elapsed();
            const auto problem = [&](const QString &text) {
                if (counts.problems.size() < kMaxProblems)
                    counts.problems.append(u"demo-%1: %2"_s.arg(t->event).arg(text));
            };
            if (code != CURLE_OK || status == 503) {
                const QString why = code != CURLE_OK ? QString::fromUtf8(curl_easy_strerror(code))
                                                     : describe(status, t->response);
                if (at - s.firstTryMs < m_options.retryWindowMs) {
                    // Honour Retry-After (at most 5 s); otherwise back off 100 ms, 200 ms … 2 s.
                    const qint64 delay =
                        retryAfter > 0 ? std::min<qint64>(retryAfter, 5) * 1000
                                       : std::min<qint64>(100LL << std::min(s.tries, 5), 2000);
                    retries.emplace(at + delay, t->event);
                    continue;
                }
                ++counts.gaveUp;
                problem(u"gave up after %1 tries: %2"_s.arg(s.tries).arg(why));
            } else if (status == 202) {
                ++counts.accepted;
            } else if (status == 200 && QJsonDocument::fromJson(t->response)
                                            .object()
                                            .value("duplicate"_L1)
                                            .toBool()) {
                ++counts.duplicates;
            } else {
                ++counts.rejected;
                problem(describe(status, t->response));
            }
            ++counts.answered;
        }
        counts.elapsedMs = clock.elapsed();
        progress(counts);
        if (counts.answered < total)
            curl_multi_poll(multi, nullptr, 0, 50, nullptr);
    }
    return counts;
}

} // namespace ferry::demo
