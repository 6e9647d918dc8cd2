#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace ferry {

// The master key that encrypts provider credentials at rest (libsodium crypto_secretbox: XSalsa20
// and Poly1305, a random nonce per value). 32 random bytes, kept in a file as one line of
// base64, never in the database. Its id (a keyed hash, not the key) is stored with every value,
// so that a value sealed under another key is reported as such rather than as corruption.
class MasterKey
{
public:
    static constexpr int kKeyBytes = 32;
    static constexpr int kNonceBytes = 24;

    // Reads a key file written by generate(); the error names the file and what is wrong. A file
    // that group or others may read or write (mode & 077), or that belongs to another user than
    // the process's (unless it runs as root), is refused.
    static Result<MasterKey> load(const QString &path);
    // Writes a new random key to `path` with mode 0600; refuses to overwrite an existing file.
    static Result<void> generate(const QString &path);
    static Result<MasterKey> fromBytes(const QByteArray &raw);

    // Short, stable identifier of this key (16 hex digits), safe to store and show.
    QByteArray id() const;
    // Encrypts `plaintext` with a fresh random nonce (returned through `nonce`).
    QByteArray seal(const QByteArray &plaintext, QByteArray *nonce) const;
    // Decrypts and authenticates; fails when the value was altered or sealed under another key.
    Result<QByteArray> open(const QByteArray &ciphertext, const QByteArray &nonce) const;
    // A keyed fingerprint of a value (16 hex digits): equal values give equal fingerprints
    // under one key, and without the key the fingerprint tells nothing about the value.
    QByteArray fingerprint(const QByteArray &value) const;

private:
    struct Secret;
    explicit MasterKey(std::shared_ptr<const Secret> secret);
    std::shared_ptr<const Secret> m_secret;
};

} // namespace ferry
