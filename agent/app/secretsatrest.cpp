#include "agent/app/secretsatrest.h"

#include "agent/app/logging.h"
#include "agent/store/admin/sealedsecretstore.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

QString keyList(const store::SecretInventory &inventory)
{
    QStringList out;
    for (auto it = inventory.sealedByKey.cbegin(); it != inventory.sealedByKey.cend(); ++it)
        out.append(u"%1 value(s) under master key %2"_s.arg(it.value())
                       .arg(QString::fromLatin1(it.key())));
    return out.join(u", "_s);
}

Result<void> refuseWithoutTheKey(const store::SecretInventory &inventory,
                                 const std::optional<MasterKey> &key)
{
    if (inventory.sealed() == 0 || (key && inventory.sealedByKey.contains(key->id())))
        return {};
    const QString found = keyList(inventory);
    const QString restore =
        u"Restore the key file from your backup if it is lost: sealed webhook signing "
        "secrets, credentials and the CURVE server key cannot be read without it (see "
        "docs/operations.md, 'Secrets at rest')."_s;
    if (!key)
        return makeError(u"the database holds sealed secrets (%1), but this agent has no master "
                         "key: set credentials.master_key_file (FERRY_CREDENTIALS_MASTER_KEY_FILE) "
                         "to that key's file, or hand it over as the systemd credential "
                         "ferry-master-key (LoadCredential=). %2"_s.arg(found, restore));
    return makeError(u"this agent's master key %1 opens none of the sealed secrets of the "
                     "database (%2): point credentials.master_key_file at the right key file; "
                     "after 'ferry-agent master-key rotate', at the new one. %3"_s.arg(
                         QString::fromLatin1(key->id()), found, restore));
}

void warnAboutOtherKeys(const store::SecretInventory &inventory, const MasterKey &key)
{
    for (auto it = inventory.sealedByKey.cbegin(); it != inventory.sealedByKey.cend(); ++it) {
        if (it.key() != key.id())
            qCCritical(lcMain).noquote()
                << it.value() << "stored secret(s) were sealed under master key" << it.key()
                << "but this agent's master key is" << key.id()
                << "- routes using them cannot sign: point credentials.master_key_file at the "
                   "right key file, or store those credentials and route secrets again";
    }
}

} // namespace

Result<std::optional<MasterKey>> loadMasterKey(const AgentConfig &config)
{
    QString path = config.string("credentials.master_key_file");
    QString origin =
        u"credentials.master_key_file from %1"_s.arg(config.origin("credentials.master_key_file"));
    if (path.isEmpty()) {
        const QString dir = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
        if (dir.isEmpty() || !QFile::exists(dir + u"/ferry-master-key"_s))
            return std::optional<MasterKey>();
        path = dir + u"/ferry-master-key"_s;
        origin = u"systemd credential ferry-master-key"_s;
    }
    auto key = MasterKey::load(path);
    if (!key)
        return makeError(key.error().message + u" ("_s + origin + u")"_s);
    return std::optional<MasterKey>(*key);
}

Result<void> prepareSecretsAtRest(store::PgConnection &db, const std::optional<MasterKey> &key)
{
    store::SealedSecretStore store(db);
    auto inventory = store.inventory();
    if (!inventory)
        return inventory.error();
    if (auto refused = refuseWithoutTheKey(*inventory, key); !refused)
        return refused;
    if (!key) {
        if (inventory->clear() > 0)
            qCWarning(lcMain).noquote()
                << inventory->clear()
                << "secret(s) (webhook signing secrets, the CURVE server key) are stored in "
                   "clear: anyone with a copy of the database can sign webhooks as Ferry. Create "
                   "a master key ('ferry-agent credentials generate-key FILE'), set "
                   "credentials.master_key_file to it and restart: the agent seals them";
        return {};
    }
    warnAboutOtherKeys(*inventory, *key);
    if (inventory->clear() > 0) {
        auto sealed = store.sealClearSecrets(*key);
        if (!sealed)
            return makeError(u"cannot seal the secrets stored in clear: "_s +
                             sealed.error().message);
        qCInfo(lcMain).noquote() << "sealed" << *sealed
                                 << "secret(s) stored in clear under master key" << key->id();
    }
    qCInfo(lcMain).noquote() << "credentials master key" << key->id() << "loaded";
    return {};
}

} // namespace ferry::agent
