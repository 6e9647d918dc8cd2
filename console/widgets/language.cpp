#include "console/widgets/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace ferry::console {

QString languageSetting()
{
    return QSettings().value(u"language"_s).toString();
}

void setLanguageSetting(const QString &code)
{
    QSettings().setValue(u"language"_s, code);
}

QList<QPair<QString, QString>> availableLanguages()
{
    return {{QString(), QCoreApplication::translate("ferry::console::Language", "System language")},
            {u"en"_s, u"English"_s},
            {u"de"_s, u"Deutsch"_s}};
}

QLocale uiLocale(const QString &setting)
{
    const QLocale system = QLocale::system();
    const QLocale::Language wanted =
        setting.isEmpty() ? system.language() : QLocale(setting).language();
    // The system's own locale when it speaks the language (de_AT keeps Austria's formats).
    if (system.language() == wanted && wanted != QLocale::C)
        return system;
    for (const auto &[code, name] : availableLanguages()) {
        if (!code.isEmpty() && QLocale(code).language() == wanted)
            return QLocale(code);
    }
    // A language the console does not ship: its words are English, and so are its dates.
    return QLocale(QLocale::English, system.territory());
}

QString installTranslators(QCoreApplication &app, const QString &setting)
{
    // From here on QLocale() is the UI language's: every date and number the console shows (and
    // writes into PDF reports) is formatted in it.
    const QLocale locale = uiLocale(setting);
    QLocale::setDefault(locale);
    auto *mine = new QTranslator(&app);
    if (mine->load(locale, u"ferry-console"_s, u"_"_s, u":/i18n"_s))
        QCoreApplication::installTranslator(mine);
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return locale.name();
}

} // namespace ferry::console
