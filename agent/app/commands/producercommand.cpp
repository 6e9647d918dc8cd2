#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/secretsatrest.h"
#include "agent/store/admin/producerkeystore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// Prints a credentials file `ferryctl send --credentials` reads. The secret key exists nowhere
// else afterwards, so the advice goes to standard error and the file alone to standard output.
int add(CommandContext &context)
{
    const QString tenant = context.value(u"tenant"_s);
    if (!context.isSet(u"tenant"_s))
        return fail(u"usage: ferry-agent producer add --tenant NAME"_s);
    auto key = loadMasterKey(*context.config);
    if (!key)
        return fail(key.error().message);
    store::ProducerKeyStore keys(*context.db);
    auto server = keys.serverPublicKey(*key ? &**key : nullptr);
    if (!server)
        return fail(server.error().message);
    auto pair = keys.addProducer(tenant, actor());
    if (!pair)
        return fail(pair.error().message);
    QString endpoint = context.config->string("zmq.listen");
    endpoint.replace(u"://*:"_s, u"://localhost:"_s).replace(u"://0.0.0.0:"_s, u"://localhost:"_s);
    out() << "# Ferry producer credentials for tenant '" << tenant
          << "'. Shown once: keep this file secret.\n"
          << "# Use it with: ferryctl send --credentials FILE (set 'agent' to the address "
             "producers reach).\n"
          << "agent = " << endpoint << "\n"
          << "server_public_key = " << *server << "\n"
          << "public_key = " << pair->publicKey << "\n"
          << "secret_key = " << pair->secretKey << Qt::endl;
    err() << "producer key added; its credentials are above (save them to a file readable "
             "only by the producer)."
          << Qt::endl;
    return 0;
}

int revoke(CommandContext &context)
{
    const QStringList &words = context.words;
    if (words.size() != 3)
        return fail(u"usage: ferry-agent producer revoke PUBLIC-KEY"_s);
    if (auto r = store::ProducerKeyStore(*context.db).revokeProducer(words[2].toLatin1(), actor());
        !r)
        return fail(r.error().message);
    out() << "producer key revoked; connected agents drop it within zmq.key_refresh ("
          << context.config->string("zmq.key_refresh") << ")" << Qt::endl;
    return 0;
}

int list(CommandContext &context)
{
    auto list = store::ProducerKeyStore(*context.db).listProducers(context.value(u"tenant"_s));
    if (!list)
        return fail(list.error().message);
    out() << "PUBLIC KEY                                TENANT      CREATED                   "
             "REVOKED"
          << Qt::endl;
    for (const auto &k : *list)
        out() << k.publicKey << "  " << k.tenant.leftJustified(10) << "  "
              << k.createdAt.toString(Qt::ISODate).leftJustified(24) << "  "
              << (k.revokedAt.isValid() ? k.revokedAt.toString(Qt::ISODate) : u"-"_s) << Qt::endl;
    return 0;
}

} // namespace

int runProducerCommand(CommandContext &context)
{
    return runSubcommand(context, {{"add", add}, {"revoke", revoke}, {"list", list}});
}

} // namespace ferry::agent
