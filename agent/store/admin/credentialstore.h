#pragma once

#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"

#include <QDateTime>
#include <QJsonValue>
#include <QList>

namespace ferry::agent::store {

// Where a provider account is reached and what it may be sent, all agents together.
struct AccountSettings
{
    QString baseUrl;          // empty: the provider's own address
    double ratePerSecond = 0; // 0: no limit
    int maxConcurrency = 0;   // 0: no cap beyond the routes'
};

// What may be shown about a credential: never its secret.
struct CredentialInfo
{
    QString name;
    QString provider;
    QDateTime createdAt;
    QDateTime updatedAt;
    QString fingerprint;
    AccountSettings account;
};

// A credential as stored: the sealed envelope and the id of the key it was sealed under.
struct SealedCredential
{
    qint64 id = 0;
    qint64 tenantId = 0;
    QString name;
    QByteArray ciphertext;
    QByteArray nonce;
    QByteArray keyId;
};

// Provider credentials of tenants, sealed with the master key (MasterKey) before they reach
// the database. The sealed envelope also names the tenant and the credential, so a value copied
// to another row does not open there. Errors carry an HTTP status in Error::code (404 no such
// credential, 409 in use, 422 invalid) where the caller can do something about them.
class CredentialStore
{
public:
    CredentialStore(PgConnection &db, QString actor);

    static bool validName(const QString &name);
    static const QStringList &providers();

    // Creates or replaces a credential; `created` tells which. Audited without the secret.
    Result<CredentialInfo> put(qint64 tenantId, const QString &tenant, const QString &name,
                               const QString &provider, const QJsonValue &secret,
                               const AccountSettings &account, const MasterKey &key, bool *created);
    // Metadata, by name, after `afterName` (paging).
    Result<QList<CredentialInfo>> list(qint64 tenantId, const QString &afterName, int limit);
    // Fails with 404 when there is none, 409 while a route names it.
    Result<void> remove(qint64 tenantId, const QString &tenant, const QString &name);
    // Ids of the master keys the stored credentials were sealed under, and how many each.
    Result<QList<QPair<QByteArray, qint64>>> keyIds();

    // Opens a sealed credential: its secret (the JSON given to put()). The error says when the
    // value was sealed under another master key than `key`.
    static Result<QJsonValue> unseal(const SealedCredential &sealed, const MasterKey &key);
    // Inside the caller's transaction: seals again under `next` every credential sealed under
    // `current` (none: no credential opens), fingerprints included. Those under `next` already
    // stay; those under any other key are left as they are and named in `unknown`.
    Result<qint64> reseal(const MasterKey *current, const MasterKey &next, QStringList *unknown);

private:
    // A credential that routes use keeps fitting them: its provider must be the one each
    // route's channel sends through (409 otherwise).
    Result<void> fitsItsRoutes(qint64 tenantId, const QString &name, const QString &provider);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
