#include "agent/api/certificates.h"
#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"

#include <QDir>
#include <QFile>

#include <grp.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// Writes api.crt and api.key (the key readable by its owner only) and prints the pin a console
// compares when it first connects.
int generate(CommandContext &context)
{
    const QString dir = context.value(u"out"_s).isEmpty() ? u"."_s : context.value(u"out"_s);
    QStringList names = context.parser.values(u"name"_s);
    if (names.isEmpty())
        names = {u"localhost"_s, u"127.0.0.1"_s, u"::1"_s};
    auto pair = api::generateSelfSigned(names);
    if (!pair)
        return fail(pair.error().message);
    const QString certPath = dir + u"/api.crt"_s;
    const QString keyPath = dir + u"/api.key"_s;
    QDir().mkpath(dir);
    QFile cert(certPath);
    QFile key(keyPath);
    if (!cert.open(QIODevice::WriteOnly) || !key.open(QIODevice::WriteOnly))
        return fail(u"cannot write %1 and %2"_s.arg(certPath, keyPath));
    key.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    cert.write(pair->certificatePem);
    key.write(pair->privateKeyPem);
    out() << "certificate  " << certPath << "\n"
          << "private key  " << keyPath << " (readable by its owner only)\n"
          << "fingerprint  " << api::spkiFingerprint(pair->certificatePem)
          << "   (SHA-256 of the public key: compare it when a console asks to trust "
             "this agent)\n\n"
          << "Use them with:\n  FERRY_API_CERTIFICATE=" << certPath
          << "\n  FERRY_API_PRIVATE_KEY=" << keyPath << Qt::endl;
    // Run as root on a host with the package: the key is root's, the service runs as ferry.
    if (::geteuid() == 0 && ::getgrnam("ferry") != nullptr)
        out() << "\nThe ferry-agent service runs as the ferry user; let it read the key:\n"
              << "  chgrp ferry " << keyPath << " && chmod 640 " << keyPath << Qt::endl;
    return 0;
}

int fingerprint(CommandContext &context)
{
    const QString path = context.words.value(2, context.config->string("api.certificate"));
    QFile cert(path);
    if (path.isEmpty() || !cert.open(QIODevice::ReadOnly))
        return fail(u"cannot read the certificate '%1': name a PEM file, or set "
                    "api.certificate"_s.arg(path));
    const QString pin = api::spkiFingerprint(cert.readAll());
    if (pin.isEmpty())
        return fail(u"%1 holds no PEM certificate"_s.arg(path));
    out() << pin << Qt::endl;
    return 0;
}

} // namespace

int runCertCommand(CommandContext &context)
{
    return runSubcommand(context, {{"generate", generate}, {"fingerprint", fingerprint}});
}

} // namespace ferry::agent
