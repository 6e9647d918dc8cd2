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
    Trust trust = Trust::Pinned;
    QString caFile; // Trust::CaFile: a PEM file with the CA that signed the agent's certificate
    QString pin;    // Trust::Pinned: "sha256/<base64>" once the user confirmed it; empty before

    bool isValid() const { return !id.isEmpty() && url.isValid() && url.scheme() == u"https"; }
};

QList<ConnectionProfile> loadProfiles(QSettings &settings);
void saveProfiles(QSettings &settings, const QList<ConnectionProfile> &profiles);
QString newProfileId();

} // namespace ferry::console
