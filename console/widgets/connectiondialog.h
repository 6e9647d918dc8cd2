#pragma once

#include "console/core/connectionprofile.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLayout;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace ferry::console {

class TokenStore;

// The agents the console knows: name, address (and the addresses of more agents of the same
// installation, to fail over to), token (kept by the TokenStore, never in the settings) and how
// the agent's certificate is trusted.
class ConnectionDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectionDialog(TokenStore *tokens, QWidget *parent = nullptr);

    void selectProfile(const QString &id);
    ConnectionProfile chosenProfile() const;
    QString chosenToken() const;

    void accept() override;

private:
    // The constructor's parts, in the order it calls them.
    void setUpFields();
    void buildLayout();
    QLayout *buildAgentList();
    QLayout *buildProfileForm();
    void connectFields();
    void showKeychain(const QString &problem);
    void loadStoredProfiles();

    void load(int row);
    void store();
    void addProfile();
    void removeProfile();
    void updateTrustFields();

    TokenStore *m_tokens;
    QList<ConnectionProfile> m_profiles;
    QHash<QString, QString> m_enteredTokens;
    int m_row = -1;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QPlainTextEdit *m_otherUrls;
    QLineEdit *m_token;
    QComboBox *m_trust;
    QLineEdit *m_caFile;
    QPushButton *m_browse;
    QLabel *m_pin;
    QPushButton *m_clearPin;
    QLabel *m_keychain;
    QLabel *m_error;
};

} // namespace ferry::console
