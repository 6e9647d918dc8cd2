#include "console/widgets/admin/secretdialog.h"

#include "console/widgets/admin/adminui.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

SecretDialog::SecretDialog(const QString &title, const QString &intro, const QString &text,
                           QString fileName, QWidget *parent)
    : QDialog(parent)
    , m_text(new QPlainTextEdit(text, this))
    , m_fileName(std::move(fileName))
{
    setWindowTitle(title);
    setAttribute(Qt::WA_DeleteOnClose);
    auto *introLabel = new QLabel(intro, this);
    introLabel->setWordWrap(true);
    auto *warning = new QLabel(tr("Shown only now: Ferry keeps no copy of it and cannot show it "
                                  "again. Copy it or save it to a file before you close this."),
                               this);
    warning->setWordWrap(true);
    warning->setStyleSheet(u"QLabel { color: #8a5300; font-weight: bold; }"_s);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setAccessibleName(tr("Secret"));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copyButton = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    QPushButton *saveButton =
        buttons->addButton(tr("&Save to file…"), QDialogButtonBox::ActionRole);
    connect(copyButton, &QPushButton::clicked, this, &SecretDialog::copy);
    connect(saveButton, &QPushButton::clicked, this, &SecretDialog::saveWithDialog);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(introLabel);
    layout->addWidget(m_text, 1);
    layout->addWidget(warning);
    layout->addWidget(buttons);
    resize(640, 320);
}

SecretDialog::~SecretDialog()
{
    m_text->clear(); // nothing of the secret stays in the widget's memory longer than needed
}

QString SecretDialog::text() const
{
    return m_text->toPlainText();
}

void SecretDialog::copy()
{
    QGuiApplication::clipboard()->setText(text());
    m_copied = true;
}

void SecretDialog::saveWithDialog()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save to file"), QDir::home().filePath(m_fileName));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, &error))
        QMessageBox::warning(this, tr("Not saved"), error);
}

bool SecretDialog::saveTo(const QString &path, QString *error)
{
    QSaveFile file(path);
    const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    // The temporary file is made private before the secret is written to it.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(owner) ||
        file.write(text().toUtf8()) < 0 || !file.commit() || !QFile::setPermissions(path, owner)) {
        *error = tr("%1 could not be written: %2. Choose another file.")
                     .arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    m_saved = true;
    return true;
}

// Closing before the secret was copied or saved asks first: it cannot be shown again.
void SecretDialog::done(int result)
{
    if (isKept() || m_closing) {
        QDialog::done(result);
        return;
    }
    askFirst(this, tr("Close without keeping it?"),
             m_saveRequired ? tr("You did not save it to a file. Ferry cannot show it again: you "
                                 "would have to create a new one.")
                            : tr("You neither copied nor saved it. Ferry cannot show it again: "
                                 "you would have to create a new one."),
             tr("Close and lose it"), [this, result] {
                 m_closing = true;
                 done(result);
             });
}

} // namespace ferry::console
