#pragma once

#include "knobs.h"

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>

namespace ferry::sim {

// Sends the providers' status callbacks, and times the status changes behind them.
class CallbackSender final : public QObject
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;
    explicit CallbackSender(QObject *parent = nullptr);

    // POSTs `body`; `done(answered2xx)` runs when the receiver answered or the request failed.
    void post(const QUrl &url, const QByteArray &contentType, const QByteArray &body,
              const Headers &headers, std::function<void(bool)> done);
    // Runs the steps (one status change and its callback each) one every callback_delay_ms, in
    // order or, when a reorder draw hits, last first; a duplicate draw runs a step twice, a
    // drop draw runs it without its callback.
    // Steps still pending at the next reset() are dropped.
    void schedule(QList<std::function<void()>> steps, const Knobs &knobs, QRandomGenerator &rng);
    void reset() { ++m_generation; }
    // Trusts these certificates (besides the system's) for HTTPS callbacks.
    void trust(const QList<QSslCertificate> &certificates);

private:
    QNetworkAccessManager m_network;
    QSslConfiguration m_tls = QSslConfiguration::defaultConfiguration();
    quint64 m_generation = 0;
    bool m_dropping = false; // the step running now sends no callback
};

} // namespace ferry::sim
