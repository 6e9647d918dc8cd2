#include "callbacksender.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::sim {

CallbackSender::CallbackSender(QObject *parent)
    : QObject(parent)
{
    m_network.setAutoDeleteReplies(true);
}

void CallbackSender::post(const QUrl &url, const QByteArray &contentType, const QByteArray &body,
                          const Headers &headers, std::function<void(bool)> done)
{
    if (m_dropping)
        return; // a drop_callbacks draw: the status changed, nobody is told
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    request.setRawHeader("User-Agent", "ferry-provider-sim");
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    request.setTransferTimeout(30000);
    if (url.scheme() == "https"_L1)
        request.setSslConfiguration(m_tls);
    QNetworkReply *reply = m_network.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        done(status >= 200 && status < 300);
    });
}

void CallbackSender::trust(const QList<QSslCertificate> &certificates)
{
    m_tls.addCaCertificates(certificates);
}

void CallbackSender::schedule(QList<std::function<void()>> steps, const Knobs &knobs,
                              QRandomGenerator &rng)
{
    if (rng.generateDouble() < knobs.reorderCallbacks)
        std::reverse(steps.begin(), steps.end());
    const auto delay = std::chrono::milliseconds(qint64(knobs.callbackDelayMs));
    const quint64 generation = m_generation;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const bool twice = rng.generateDouble() < knobs.duplicateCallbacks;
        // Drawn only when asked for, so that seeds replay the faults they did before.
        const bool drop = knobs.dropCallbacks > 0 && rng.generateDouble() < knobs.dropCallbacks;
        QTimer::singleShot(delay * (i + 1), this, [this, generation, twice, drop, step = steps[i]] {
            if (generation != m_generation)
                return;
            m_dropping = drop;
            step();
            if (twice)
                step();
            m_dropping = false;
        });
    }
}

} // namespace ferry::sim
