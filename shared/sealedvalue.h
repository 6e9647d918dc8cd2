#pragma once

#include "shared/masterkey.h"

namespace ferry {

// A secret sealed with the master key and bound to the place it belongs to (its context, such as
// "route 42"): the sealed plaintext starts with the context, so a ciphertext copied to another
// row does not open there. Stored as three columns: the ciphertext, its nonce and the id of the
// key it was sealed under, so a value under another key is reported as such.
struct SealedValue
{
    QByteArray ciphertext;
    QByteArray nonce;
    QByteArray keyId;

    bool isNull() const { return ciphertext.isEmpty(); }

    static SealedValue seal(const MasterKey &key, const QByteArray &context,
                            const QByteArray &secret);
    // Opens the value sealed for `context`. `what` names it in errors ("the signing secret of
    // route 42"), which say which key is needed when `key` is not it, or missing.
    Result<QByteArray> open(const MasterKey *key, const QByteArray &context,
                            const QString &what) const;
};

} // namespace ferry
