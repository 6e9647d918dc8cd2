#include "console/core/tokenstore.h"

#include "console/core/secretstore.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {
QString entryName(const QString &profileId)
{
    return u"api-token/"_s + profileId;
}
} // namespace

TokenStore::TokenStore(std::unique_ptr<SecretStore> keychain, QObject *parent)
    : QObject(parent)
    , m_keychain(std::move(keychain))
{
    if (!m_keychain) {
        m_problem = tr("no system keychain is configured");
        m_checked = true;
        return;
    }
    // Find out at once whether there is a keychain, so the console can say so before the
    // user types a token.
    QPointer<TokenStore> self(this);
    m_keychain->read(u"availability-check"_s, [self](const Result<QString> &r) {
        if (!self)
            return;
        self->m_checked = true;
        if (!r && r.error().code != 1) // 1: QKeychain::EntryNotFound: the keychain answered
            self->setProblem(
                tr("the system keychain is not available (%1)").arg(r.error().message));
        else
            Q_EMIT self->keychainProblemChanged(self->m_problem);
    });
}

TokenStore::~TokenStore() = default;

void TokenStore::setProblem(const QString &problem)
{
    if (m_problem == problem)
        return;
    m_problem = problem;
    m_checked = true;
    Q_EMIT keychainProblemChanged(problem);
}

void TokenStore::save(const QString &profileId, const QString &token,
                      const std::function<void(bool)> &done)
{
    m_session.insert(profileId, token);
    if (!m_keychain) {
        done(false);
        return;
    }
    QPointer<TokenStore> self(this);
    m_keychain->write(entryName(profileId), token, [self, done](const Result<void> &r) {
        if (!self)
            return;
        if (r) {
            self->setProblem({});
            done(true);
        } else {
            self->setProblem(
                tr("the system keychain is not available (%1)").arg(r.error().message));
            done(false);
        }
    });
}

void TokenStore::load(const QString &profileId, const std::function<void(QString)> &done)
{
    if (const auto it = m_session.constFind(profileId); it != m_session.constEnd()) {
        done(*it);
        return;
    }
    if (!m_keychain) {
        done({});
        return;
    }
    QPointer<TokenStore> self(this);
    m_keychain->read(entryName(profileId), [self, profileId, done](const Result<QString> &r) {
        if (!self)
            return;
        if (r) {
            self->m_session.insert(profileId, *r);
            done(*r);
        } else {
            if (r.error().code != 1) // 1: QKeychain::EntryNotFound, not a keychain problem
                self->setProblem(
                    tr("the system keychain is not available (%1)").arg(r.error().message));
            done({});
        }
    });
}

void TokenStore::forget(const QString &profileId)
{
    m_session.remove(profileId);
    if (m_keychain)
        m_keychain->remove(entryName(profileId), [](const Result<void> &) {});
}

} // namespace ferry::console
