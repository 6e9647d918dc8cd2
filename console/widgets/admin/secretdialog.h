#pragma once

#include <QDialog>

class QPlainTextEdit;

namespace ferry::console {

// A secret the agent answers only once (a producer token, a CURVE key pair, an API token), shown
// once: the text, Copy, and Save to file… (written with permissions 0600). The console keeps
// nothing of it. Closing before it was copied or saved (or only saved, when that is required)
// asks first, as it cannot be shown again.
class SecretDialog final : public QDialog
{
    Q_OBJECT
public:
    // `fileName`: the file name Save to file… suggests.
    SecretDialog(const QString &title, const QString &intro, const QString &text, QString fileName,
                 QWidget *parent = nullptr);
    ~SecretDialog() override;

    QString text() const;
    // Copied or saved (saved only, once setSaveRequired()).
    bool isKept() const { return m_saved || (m_copied && !m_saveRequired); }
    // Closing asks first unless it was saved to a file (a credentials file is meant to be).
    void setSaveRequired(bool required) { m_saveRequired = required; }
    // Writes the text to `path` (replacing it whole, mode 0600); false with `error` otherwise.
    bool saveTo(const QString &path, QString *error);

public Q_SLOTS:
    void copy();
    void saveWithDialog();
    void done(int result) override;

private:
    QPlainTextEdit *m_text;
    QString m_fileName;
    bool m_copied = false;
    bool m_saved = false;
    bool m_saveRequired = false;
    bool m_closing = false; // the user confirmed closing unkept
};

} // namespace ferry::console
