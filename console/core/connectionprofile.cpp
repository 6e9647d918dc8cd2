#include "console/core/connectionprofile.h"

#include <QSettings>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

QString trustKey(ConnectionProfile::Trust t)
{
    switch (t) {
    case ConnectionProfile::Trust::System:
        return u"system"_s;
    case ConnectionProfile::Trust::CaFile:
        return u"ca-file"_s;
    case ConnectionProfile::Trust::Pinned:
        break;
    }
    return u"pinned"_s;
}

ConnectionProfile::Trust trustFrom(const QString &key)
{
    if (key == "system"_L1)
        return ConnectionProfile::Trust::System;
    if (key == "ca-file"_L1)
        return ConnectionProfile::Trust::CaFile;
    return ConnectionProfile::Trust::Pinned;
}

} // namespace

bool ConnectionProfile::isValid() const
{
    const auto https = [](const QUrl &u) {
        return u.isValid() && u.scheme() == u"https" && !u.host().isEmpty();
    };
    return !id.isEmpty() && std::ranges::all_of(urls(), https);
}

QList<QUrl> ConnectionProfile::urls() const
{
    return QList<QUrl>{url} + otherUrls;
}

QList<ConnectionProfile> loadProfiles(QSettings &settings)
{
    QList<ConnectionProfile> out;
    settings.beginGroup(u"profiles"_s);
    for (const QString &id : settings.childGroups()) {
        settings.beginGroup(id);
        ConnectionProfile p;
        p.id = id;
        p.name = settings.value(u"name"_s).toString();
        p.url = QUrl(settings.value(u"url"_s).toString());
        for (const QString &other : settings.value(u"other_urls"_s).toStringList())
            p.otherUrls.append(QUrl(other));
        p.trust = trustFrom(settings.value(u"trust"_s).toString());
        p.caFile = settings.value(u"ca_file"_s).toString();
        p.pin = settings.value(u"pin"_s).toString();
        settings.endGroup();
        out.append(p);
    }
    settings.endGroup();
    return out;
}

void saveProfiles(QSettings &settings, const QList<ConnectionProfile> &profiles)
{
    settings.beginGroup(u"profiles"_s);
    settings.remove(QString());
    for (const auto &p : profiles) {
        settings.beginGroup(p.id);
        settings.setValue(u"name"_s, p.name);
        settings.setValue(u"url"_s, p.url.toString());
        QStringList others;
        for (const QUrl &other : p.otherUrls)
            others.append(other.toString());
        settings.setValue(u"other_urls"_s, others);
        settings.setValue(u"trust"_s, trustKey(p.trust));
        settings.setValue(u"ca_file"_s, p.caFile);
        settings.setValue(u"pin"_s, p.pin);
        settings.endGroup();
    }
    settings.endGroup();
}

QString newProfileId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
}

} // namespace ferry::console
