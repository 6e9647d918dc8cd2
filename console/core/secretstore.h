#pragma once

#include "shared/result.h"

#include <QObject>

#include <functional>

namespace ferry::console {

// Where the console keeps API tokens. Asynchronous because the system keychain is.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using ReadDone = std::function<void(Result<QString>)>;
    using WriteDone = std::function<void(Result<void>)>;

    using QObject::QObject;
    ~SecretStore() override;

    virtual void read(const QString &key, ReadDone done) = 0;
    virtual void write(const QString &key, const QString &secret, WriteDone done) = 0;
    virtual void remove(const QString &key, WriteDone done) = 0;
};

// The system keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows) through QtKeychain. Errors carry QtKeychain's message; nothing falls back to files.
class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(QString service, QObject *parent = nullptr);

    void read(const QString &key, ReadDone done) override;
    void write(const QString &key, const QString &secret, WriteDone done) override;
    void remove(const QString &key, WriteDone done) override;

private:
    QString m_service;
};

} // namespace ferry::console
