#pragma once

#include <QList>
#include <QString>
#include <QUrl>

class QSettings;

namespace ferry::console {

// One agent the console knows. Kept in QSettings under "profiles/<id>"; the API token is NOT
// part of it: it goes through the TokenStore (system keychain, or memory for the session).
struct ConnectionProfile
{
    enum class Trust { System, CaFile, Pinned };

    QString id; // stable; also names the token's keychain entry
    QString name;
    QUrl url; // https://host:7643
    // More agents of the same installation (on the same database), tried in turn when the
    // current one stops answering. They must present the same key (pinned profiles) or a
    // certificate the same trust accepts.
    QList<QUrl> otherUrls;
    Trust trust = Trust::Pinned;
    QString caFile; // Trust::CaFile: a PEM file with the CA that signed the agent's certificate
    QString pin;    // Trust::Pinned: "sha256/<base64>" once the user confirmed it; empty before

    bool isValid() const;
    // url first, then otherUrls.
    QList<QUrl> urls() const;
};

QList<ConnectionProfile> loadProfiles(QSettings &settings);
void saveProfiles(QSettings &settings, const QList<ConnectionProfile> &profiles);
QString newProfileId();

} // namespace ferry::console
