#pragma once

#include "agent/adapters/adapter.h"

#include <QHash>
#include <QList>
#include <QPair>

#include <memory>

namespace ferry::agent::adapters {

class CurlMulti;
class SmtpTransfer;
class SsrfGuard;

// Email through the tenant's SMTP server (provider `smtp`), many messages in flight on the
// thread's libcurl multi handle. The account's baseUrl is smtp://host:port (STARTTLS required)
// or smtps://host:port (TLS from the start); its secret holds username, password, from and
// optionally from_name, reply_to and ca_file or ca_pem (CAs to trust instead of the system's).
class EmailAdapter final : public Adapter
{
public:
    struct Options
    {
        qint64 timeoutMs = 15'000;
        const SsrfGuard *guard = nullptr; // null: every address is allowed
    };
    EmailAdapter(CurlMulti &multi, Options options);
    ~EmailAdapter() override;

    QString channel() const override { return QStringLiteral("email"); }
    void send(const Delivery &delivery) override;
    // Reports deliveries refused before any connection (a bad account or recipient); the
    // others arrive through the multi handle's callbacks.
    void poll() override;
    void abandon(const QUuid &deliveryId) override;

private:
    void refuse(const QUuid &deliveryId, const QString &reason, const QString &error);

    CurlMulti &m_multi;
    Options m_options;
    QHash<QUuid, std::shared_ptr<SmtpTransfer>> m_transfers;
    QList<QPair<QUuid, Outcome>> m_refused;
};

} // namespace ferry::agent::adapters
