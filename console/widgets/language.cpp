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

QString installTranslators(QCoreApplication &app, const QString &setting)
{
    const QLocale locale = setting.isEmpty() ? QLocale::system() : QLocale(setting);
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
