#pragma once

#include "demo/childprocess.h"
#include "demo/options.h"

#include <QHash>
#include <QJsonObject>

namespace ferry::demo {

// A provider account as a credential of the tenant: the credential's provider, where the
// provider is reached and the secret.
struct ProviderAccount
{
    QString provider;
    QString baseUrl;
    QJsonObject secret;
};

// The demo's message providers: ferry-provider-sim (Twilio, Meta's WhatsApp Cloud API and
// Firebase Cloud Messaging on one local port) and the SMTP server (STARTTLS with a self-signed
// certificate, AUTH required), each a child process with its log in the demo's folder.
class Providers
{
public:
    explicit Providers(const Options &options)
        : m_options(options)
    {}

    // Starts both and waits until they listen; their logs and files go to `dir`.
    Result<void> start(const QString &dir);
    bool started() { return m_sim.started() || m_smtp.started(); }
    void stop();
    // Whether one of them runs.
    bool running() { return m_sim.running() || m_smtp.running(); }
    // Why one of them stopped; empty while both run.
    QString deathNotice();

    // The account the demo's routes of `channel` (email, sms, whatsapp, push) send through.
    ProviderAccount account(const QString &channel) const;
    quint16 simPort() const { return m_simPort; }
    quint16 smtpPort() const { return m_smtpPort; }
    // Messages each provider took, by channel: the simulator's accepted messages, the mails
    // the SMTP server wrote to its file.
    Result<QHash<QString, qint64>> received() const;

private:
    Result<void> writeCertificate();
    Result<void> startSim();
    Result<void> startSmtp();
    // Starts `child` and waits until it listens: its port.
    Result<quint16> startListening(ChildProcess &child, const QString &program,
                                   const QStringList &arguments, const QString &logName);
    qint64 mails() const;

    const Options &m_options;
    QString m_dir;
    QString m_certFile, m_keyFile, m_serviceAccountFile, m_mailFile;
    QJsonObject m_serviceAccount;
    ChildProcess m_sim{QStringLiteral("ferry-provider-sim")};
    ChildProcess m_smtp{QStringLiteral("smtp-server.py")};
    quint16 m_simPort = 0;
    quint16 m_smtpPort = 0;
};

} // namespace ferry::demo
