#include "console/core/secretstore.h"

#include <qt6keychain/keychain.h>

namespace ferry::console {

SecretStore::~SecretStore() = default;

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : SecretStore(parent)
    , m_service(std::move(service))
{}

void KeychainSecretStore::read(const QString &key, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [job, done = std::move(done)] {
        if (job->error() != QKeychain::NoError)
            done(makeError(job->errorString(), int(job->error())));
        else
            done(job->textData());
    });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &secret, WriteDone done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [job, done = std::move(done)] {
        if (job->error() != QKeychain::NoError)
            done(makeError(job->errorString(), int(job->error())));
        else
            done(Result<void>());
    });
    job->start();
}

void KeychainSecretStore::remove(const QString &key, WriteDone done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [job, done = std::move(done)] {
        if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
            done(makeError(job->errorString(), int(job->error())));
        else
            done(Result<void>());
    });
    job->start();
}

} // namespace ferry::console
