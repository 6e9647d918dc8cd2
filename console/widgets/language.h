#pragma once

#include <QList>
#include <QLocale>
#include <QPair>
#include <QString>

class QCoreApplication;

namespace ferry::console {

// The language setting: "" follows the system, otherwise a language code ("en", "de").
QString languageSetting();
void setLanguageSetting(const QString &code);
// The languages the console ships, as (code, name in that language); "" first (system).
QList<QPair<QString, QString>> availableLanguages();
// The locale of the UI language for the setting: the system's when it speaks that language,
// otherwise the language's own ("de" is de_DE); English for a language the console does not ship.
QLocale uiLocale(const QString &setting);
// Loads the console's and Qt's translations for the setting and makes uiLocale(setting) the
// default QLocale; returns the locale's name ("de_DE").
QString installTranslators(QCoreApplication &app, const QString &setting);

} // namespace ferry::console
