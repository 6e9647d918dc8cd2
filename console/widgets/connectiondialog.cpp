#include "console/widgets/connectiondialog.h"

#include "console/core/tokenstore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

ConnectionDialog::ConnectionDialog(TokenStore *tokens, QWidget *parent)
    : QDialog(parent)
    , m_tokens(tokens)
    , m_list(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_otherUrls(new QPlainTextEdit(this))
    , m_token(new QLineEdit(this))
    , m_trust(new QComboBox(this))
    , m_caFile(new QLineEdit(this))
    , m_browse(new QPushButton(tr("&Browse…"), this))
    , m_pin(new QLabel(this))
    , m_clearPin(new QPushButton(tr("&Forget pin"), this))
    , m_keychain(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Connect to an agent"));
    setUpFields();
    buildLayout();
    connectFields();
    showKeychain(m_tokens->keychainProblem());
    connect(m_tokens, &TokenStore::keychainProblemChanged, this, &ConnectionDialog::showKeychain);
    loadStoredProfiles();
    resize(760, 360);
}

void ConnectionDialog::setUpFields()
{
    m_list->setAccessibleName(tr("Agents"));
    m_name->setAccessibleName(tr("Name"));
    m_url->setAccessibleName(tr("Address"));
    m_url->setPlaceholderText(tr("https://agent.example.internal:7643"));
    m_otherUrls->setAccessibleName(tr("Other agents"));
    m_otherUrls->setPlaceholderText(
        tr("More agents on the same database, one https:// address per line: the console "
           "switches to the next one when the agent it talks to stops answering."));
    m_otherUrls->setTabChangesFocus(true);
    m_otherUrls->setMaximumHeight(m_otherUrls->fontMetrics().lineSpacing() * 4 + 12);
    m_token->setAccessibleName(tr("API token"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("from 'ferry-agent token create'"));
    m_trust->setAccessibleName(tr("Certificate trust"));
    m_trust->addItem(tr("Pin its key (trust on first use)"), int(ConnectionProfile::Trust::Pinned));
    m_trust->addItem(tr("System certificate authorities"), int(ConnectionProfile::Trust::System));
    m_trust->addItem(tr("Certificate authority from a file"),
                     int(ConnectionProfile::Trust::CaFile));
    m_caFile->setAccessibleName(tr("CA file"));
    m_pin->setAccessibleName(tr("Pinned fingerprint"));
    m_pin->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pin->setWordWrap(false);
    m_keychain->setWordWrap(true);
    m_keychain->setAccessibleName(tr("Where the token is kept"));
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Problem"));
    m_error->setStyleSheet(u"color: #b3261e"_s);
}

// The agent list (left) beside the chosen agent's form, over Cancel and Connect.
void ConnectionDialog::buildLayout()
{
    QLayout *left = buildAgentList();
    QLayout *form = buildProfileForm();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole)->setDefault(true);
    auto *top = new QHBoxLayout;
    top->addLayout(left, 1);
    top->addLayout(form, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);
}

// The agents with their New and Remove buttons.
QLayout *ConnectionDialog::buildAgentList()
{
    auto *add = new QPushButton(tr("&New"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    add->setAccessibleName(tr("New agent"));
    remove->setAccessibleName(tr("Remove agent"));
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);
    connect(add, &QPushButton::clicked, this, &ConnectionDialog::addProfile);
    connect(remove, &QPushButton::clicked, this, &ConnectionDialog::removeProfile);
    return left;
}

QLayout *ConnectionDialog::buildProfileForm()
{
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(m_browse);
    auto *pinRow = new QHBoxLayout;
    pinRow->addWidget(m_pin, 1);
    pinRow->addWidget(m_clearPin);
    auto *form = new QFormLayout;
    form->addRow(tr("N&ame:"), m_name);
    form->addRow(tr("A&ddress:"), m_url);
    form->addRow(tr("&Other agents:"), m_otherUrls);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(tr("T&rust:"), m_trust);
    auto *caLabel = new QLabel(tr("&CA file:"), this);
    caLabel->setBuddy(m_caFile);
    form->addRow(caLabel, caRow);
    form->addRow(tr("Pinned key:"), pinRow);
    form->addRow(m_keychain);
    form->addRow(m_error);
    return form;
}

// Choosing an agent loads it (after keeping what was typed for the previous one).
void ConnectionDialog::connectFields()
{
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        store();
        load(row);
    });
    connect(m_trust, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateTrustFields);
    connect(m_clearPin, &QPushButton::clicked, this, [this] {
        if (m_row >= 0)
            m_profiles[m_row].pin.clear();
        updateTrustFields();
    });
    connect(m_browse, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("CA certificate"), QString(),
                                       tr("PEM certificates (*.pem *.crt);;All files (*)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, m_caFile, &QLineEdit::setText);
        dialog->open();
    });
}

void ConnectionDialog::showKeychain(const QString &problem)
{
    m_keychain->setText(!m_tokens->keychainChecked() ? tr("Looking for the system keychain…")
                        : problem.isEmpty()
                            ? tr("Tokens are kept in the system keychain.")
                            : tr("Tokens are not remembered: %1. The token is kept in memory "
                                 "until the console closes.")
                                  .arg(problem));
}

// The profiles from the settings; the first is chosen, or a new one when there are none.
void ConnectionDialog::loadStoredProfiles()
{
    QSettings settings;
    m_profiles = loadProfiles(settings);
    for (const auto &p : m_profiles)
        m_list->addItem(p.name.isEmpty() ? p.url.toString() : p.name);
    if (m_profiles.isEmpty())
        addProfile();
    else
        m_list->setCurrentRow(0);
}

void ConnectionDialog::selectProfile(const QString &id)
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles[i].id == id)
            m_list->setCurrentRow(i);
    }
}

void ConnectionDialog::addProfile()
{
    store();
    ConnectionProfile p;
    p.id = newProfileId();
    p.name = tr("New agent");
    p.url = QUrl(u"https://localhost:7643"_s);
    m_profiles.append(p);
    m_list->addItem(p.name);
    m_list->setCurrentRow(int(m_profiles.size()) - 1);
}

void ConnectionDialog::removeProfile()
{
    if (m_row < 0)
        return;
    const int row = m_row;
    m_tokens->forget(m_profiles[row].id);
    m_profiles.removeAt(row);
    m_row = -1;
    delete m_list->takeItem(row);
}

void ConnectionDialog::load(int row)
{
    m_row = row;
    const bool has = row >= 0 && row < m_profiles.size();
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_name, m_url, m_otherUrls, m_token, m_trust})
        w->setEnabled(has);
    if (!has)
        return;
    const ConnectionProfile &p = m_profiles[row];
    m_name->setText(p.name);
    m_url->setText(p.url.toString());
    QStringList others;
    for (const QUrl &other : p.otherUrls)
        others.append(other.toString());
    m_otherUrls->setPlainText(others.join(u'\n'));
    m_trust->setCurrentIndex(m_trust->findData(int(p.trust)));
    m_caFile->setText(p.caFile);
    m_token->clear();
    if (m_enteredTokens.contains(p.id)) {
        m_token->setText(m_enteredTokens.value(p.id));
    } else {
        QPointer<ConnectionDialog> self(this);
        const QString id = p.id;
        m_tokens->load(id, [self, id](const QString &token) {
            if (self && self->m_row >= 0 && self->m_profiles[self->m_row].id == id &&
                self->m_token->text().isEmpty())
                self->m_token->setText(token);
        });
    }
    updateTrustFields();
}

void ConnectionDialog::store()
{
    if (m_row < 0 || m_row >= m_profiles.size())
        return;
    ConnectionProfile &p = m_profiles[m_row];
    p.name = m_name->text().trimmed();
    p.url = QUrl::fromUserInput(m_url->text().trimmed());
    p.otherUrls.clear();
    for (const QString &line : m_otherUrls->toPlainText().split(u'\n', Qt::SkipEmptyParts)) {
        if (!line.trimmed().isEmpty())
            p.otherUrls.append(QUrl::fromUserInput(line.trimmed()));
    }
    p.trust = ConnectionProfile::Trust(m_trust->currentData().toInt());
    p.caFile = m_caFile->text().trimmed();
    m_enteredTokens.insert(p.id, m_token->text().trimmed());
    if (QListWidgetItem *item = m_list->item(m_row))
        item->setText(p.name.isEmpty() ? p.url.toString() : p.name);
}

void ConnectionDialog::updateTrustFields()
{
    const auto trust = ConnectionProfile::Trust(m_trust->currentData().toInt());
    m_caFile->setEnabled(trust == ConnectionProfile::Trust::CaFile);
    m_browse->setEnabled(trust == ConnectionProfile::Trust::CaFile);
    const QString pin = m_row >= 0 ? m_profiles[m_row].pin : QString();
    m_clearPin->setEnabled(trust == ConnectionProfile::Trust::Pinned && !pin.isEmpty());
    m_pin->setText(trust != ConnectionProfile::Trust::Pinned ? tr("(not used)")
                   : pin.isEmpty() ? tr("none yet: you will be asked to confirm the agent's "
                                        "fingerprint on first connection")
                                   : pin);
}

ConnectionProfile ConnectionDialog::chosenProfile() const
{
    return m_row >= 0 ? m_profiles[m_row] : ConnectionProfile();
}

QString ConnectionDialog::chosenToken() const
{
    return m_row >= 0 ? m_enteredTokens.value(m_profiles[m_row].id) : QString();
}

void ConnectionDialog::accept()
{
    store();
    const ConnectionProfile p = chosenProfile();
    if (m_row < 0) {
        m_error->setText(tr("Add an agent first."));
        return;
    }
    if (!p.isValid()) {
        m_error->setText(tr("Every address must start with https:// (the API is TLS only), for "
                            "example https://agent.example.internal:7643."));
        return;
    }
    if (chosenToken().isEmpty()) {
        m_error->setText(
            tr("Enter an API token; an administrator creates one with 'ferry-agent token create "
               "--role viewer'."));
        return;
    }
    if (p.trust == ConnectionProfile::Trust::CaFile && p.caFile.isEmpty()) {
        m_error->setText(tr("Choose the CA file, or another kind of trust."));
        return;
    }
    QSettings settings;
    saveProfiles(settings, m_profiles);
    QDialog::accept();
}

} // namespace ferry::console
