#include "shared/sealedvalue.h"

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

QByteArray envelope(const QByteArray &context, const QByteArray &secret)
{
    return "ferry sealed v1\n" + context + '\n' + secret;
}

} // namespace

SealedValue SealedValue::seal(const MasterKey &key, const QByteArray &context,
                              const QByteArray &secret)
{
    SealedValue out;
    QByteArray plain = envelope(context, secret);
    out.ciphertext = key.seal(plain, &out.nonce);
    plain.fill('\0');
    out.keyId = key.id();
    return out;
}

Result<QByteArray> SealedValue::open(const MasterKey *key, const QByteArray &context,
                                     const QString &what) const
{
    const QString id = QString::fromLatin1(keyId);
    if (!key)
        return makeError(u"%1 is sealed under master key %2, but this agent has no master key: "
                         "set credentials.master_key_file to that key's file"_s.arg(what, id));
    if (keyId != key->id())
        return makeError(u"%1 is sealed under master key %2, but this agent's master key is %3: "
                         "point credentials.master_key_file at the key it was sealed "
                         "under"_s.arg(what, id, QString::fromLatin1(key->id())));
    auto plain = key->open(ciphertext, nonce);
    if (!plain)
        return makeError(u"%1 cannot be opened: %2"_s.arg(what, plain.error().message));
    const QByteArray prefix = envelope(context, {});
    if (!plain->startsWith(prefix)) {
        plain->fill('\0');
        return makeError(u"%1 was sealed for another place (copied from another row?): give it "
                         "a new secret"_s.arg(what));
    }
    QByteArray secret = plain->mid(prefix.size());
    plain->fill('\0');
    return secret;
}

} // namespace ferry
