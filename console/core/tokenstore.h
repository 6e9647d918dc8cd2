#pragma once

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

namespace ferry::console {

class SecretStore;

// API tokens per connection profile: in the system keychain when there is one; otherwise in
// this process's memory only, for the session (never in settings or any other file).
class TokenStore final : public QObject
{
    Q_OBJECT
public:
    // `keychain` may be null: then tokens are never remembered past the session.
    explicit TokenStore(std::unique_ptr<SecretStore> keychain, QObject *parent = nullptr);
    ~TokenStore() override;

    // done(remembered): false when only kept for the session; see keychainProblem().
    void save(const QString &profileId, const QString &token,
              const std::function<void(bool)> &done);
    // done(token): empty when there is none.
    void load(const QString &profileId, const std::function<void(QString)> &done);
    void forget(const QString &profileId);

    // Why tokens are not remembered (empty while the keychain works).
    QString keychainProblem() const { return m_problem; }
    // Whether the keychain was tried yet (keychainProblem() means something only then).
    bool keychainChecked() const { return m_checked; }

Q_SIGNALS:
    void keychainProblemChanged(const QString &problem);

private:
    void setProblem(const QString &problem);

    std::unique_ptr<SecretStore> m_keychain;
    QHash<QString, QString> m_session;
    QString m_problem;
    bool m_checked = false;
};

} // namespace ferry::console
