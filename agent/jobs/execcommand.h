#pragma once

#include "shared/result.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

namespace ferry::agent::jobs {

// A command the agent's administrator allows exec routes to run, read from a JSON file in
// exec.commands_dir (the file's name, without .json, is the command's name). Routes name a
// command; they never carry a command line, so a tenant can run only what the host allows.
struct ExecCommand
{
    QString name;
    QString description;
    QStringList argv;         // argv[0] an absolute path
    QString workingDirectory; // empty: a fresh directory per run under exec.scratch_dir
    QHash<QString, QString> environment;
    QStringList tenants;         // the tenants whose routes may run it; empty: every tenant
    qint64 timeoutMs = 600'000;  // then the process group is terminated, then killed
    qint64 killGraceMs = 5'000;  // between SIGTERM and SIGKILL
    qint64 cpuSeconds = 0;       // RLIMIT_CPU; 0: none
    qint64 memoryBytes = 0;      // RLIMIT_AS; 0: none
    qint64 openFiles = 1024;     // RLIMIT_NOFILE
    qint64 outputLimit = 65'536; // bytes of standard output and error kept for the attempt

    bool allowsTenant(const QString &tenant) const;
};

// The commands of one agent, loaded at start. Errors name the file and the key.
class ExecCommands
{
public:
    // Every *.json file of `directory`; a directory that does not exist holds no commands.
    static Result<ExecCommands> load(const QString &directory);
    // One command from its JSON text (`where` names it in errors).
    static Result<ExecCommand> parse(const QString &name, const QByteArray &json,
                                     const QString &where);
    static bool validName(const QString &name);

    const ExecCommand *find(const QString &name) const;
    QStringList names() const;
    bool isEmpty() const { return m_commands.isEmpty(); }
    void insert(const ExecCommand &command);

private:
    QHash<QString, ExecCommand> m_commands;
};

} // namespace ferry::agent::jobs
