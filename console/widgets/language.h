#pragma once

#include <QList>
#include <QPair>
#include <QString>

class QCoreApplication;

namespace ferry::console {

// The language setting: "" follows the system, otherwise a language code ("en", "de").
QString languageSetting();
void setLanguageSetting(const QString &code);
// The languages the console ships, as (code, name in that language); "" first (system).
QList<QPair<QString, QString>> availableLanguages();
// Loads the console's and Qt's translations for the setting; returns the language used.
QString installTranslators(QCoreApplication &app, const QString &setting);

} // namespace ferry::console
