#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace ferry::test {

class Process;

// A ferry-provider-sim process (tests/simulators/README.md) on a free port, with an FCM service
// account written into a private folder.
class ProviderSim
{
public:
    // `arguments` are added to --port and --write-fcm-service-account.
    explicit ProviderSim(QStringList arguments = {});
    ~ProviderSim();
    // Starts it and waits until it serves; false (with its output in a warning) otherwise.
    bool start(int timeoutMs = 20000);
    quint16 port() const { return m_port; }
    QString baseUrl() const; // http(s)://127.0.0.1:PORT
    QString serviceAccountFile() const { return m_dir.filePath(QStringLiteral("fcm.json")); }
    QJsonObject serviceAccount() const;
    // GET /_sim/stats (of one provider when given); empty on failure.
    QJsonObject stats(const QString &provider = {}) const;
    // POST /_sim/knobs; true when the simulator took them.
    bool setKnobs(const QJsonObject &knobs) const;
    bool reset() const;
    QString output() const;

private:
    QStringList m_arguments;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    bool m_tls = false;
    std::unique_ptr<Process> m_process;
};

QString providerSimBinary();

} // namespace ferry::test
