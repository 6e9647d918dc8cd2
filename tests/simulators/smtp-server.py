#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) for Ferry's email tests and the demo.

TLS: --starttls offers STARTTLS on a plain connection, --implicit-tls speaks TLS from the first
byte (smtps); both take --cert and --key. With --user and --password, AUTH PLAIN/LOGIN is
required before MAIL and refused until the connection is encrypted.

Recipient knobs (regular expressions matched against the whole address):
  --reject-permanent  RCPT answered 550
  --reject-transient  RCPT answered 451
  --drop-after-data   the connection is closed after the message data, without a reply

Each message received is written as one JSON line to --out: envelope, headers as sent, subject
decoded, text and html parts decoded. Commands are printed to stdout as "command VERB" lines
(never their arguments), and "listening on PORT" once the server accepts connections.
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import re
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--starttls", action="store_true")
    tls.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--cert", help="the server certificate (PEM)")
    p.add_argument("--key", help="its private key (PEM)")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--reject-permanent", metavar="REGEX")
    p.add_argument("--reject-transient", metavar="REGEX")
    p.add_argument("--drop-after-data", metavar="REGEX")
    p.add_argument("--out", help="append each message as a JSON line to this file")
    args = p.parse_args()
    if (args.starttls or args.implicit_tls) and not (args.cert and args.key):
        p.error("--starttls and --implicit-tls need --cert and --key")
    if bool(args.user) != bool(args.password):
        p.error("--user and --password go together")
    return args


def matches(pattern, address):
    return pattern is not None and re.fullmatch(pattern, address) is not None


def parts(content):
    msg = email.message_from_bytes(content, policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return {
        "subject": str(msg.get("Subject", "")),
        "content_type": msg.get_content_type(),
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "text_transfer_encoding": text.get("Content-Transfer-Encoding") if text else None,
        "text_charset": text.get_content_charset() if text else None,
    }


def record(envelope, dropped):
    raw = email.message_from_bytes(envelope.original_content, policy=email.policy.compat32)
    line = {
        "mail_from": envelope.mail_from,
        "rcpt_tos": envelope.rcpt_tos,
        "headers": [[name, value] for name, value in raw.items()],
        "dropped": dropped,
    }
    line.update(parts(envelope.original_content))
    return line


class Handler:
    def __init__(self, args):
        self.args = args

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if matches(self.args.reject_permanent, address):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if matches(self.args.reject_transient, address):
            return "451 4.3.0 <%s>: try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        dropped = any(matches(self.args.drop_after_data, a) for a in envelope.rcpt_tos)
        if self.args.out:
            with open(self.args.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(record(envelope, dropped), ensure_ascii=False) + "\n")
        if dropped:
            server.transport.abort()
            await asyncio.Event().wait()  # cancelled when the connection is gone
        return "250 2.0.0 OK queued"


class LoggingSMTP(SMTP):
    """Prints each command's verb, so a test sees what a client sent (never its arguments)."""

    def trace(self, verb):
        encrypted = self._tls_protocol is not None or self.implicit_tls
        print("command %s%s" % (verb, " tls" if encrypted else ""), flush=True)


def traced(verb):
    async def command(self, arg):
        self.trace(verb)
        await getattr(SMTP, "smtp_" + verb)(self, arg)
    return command


for _verb in ("EHLO", "STARTTLS", "AUTH", "MAIL", "DATA"):
    setattr(LoggingSMTP, "smtp_" + _verb, traced(_verb))


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return check


def make_factory(args):
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    handler = Handler(args)

    def factory():
        options = {"hostname": "smtp.ferry.test", "data_size_limit": 10 * 1024 * 1024}
        if args.starttls:
            options["tls_context"] = context
        if args.user:
            options.update(auth_required=True, auth_require_tls=not args.implicit_tls,
                           authenticator=authenticator(args.user, args.password))
        server = LoggingSMTP(handler, **options)
        server.implicit_tls = args.implicit_tls
        return server
    return factory, (context if args.implicit_tls else None)


def main():
    args = parse_args()
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's deprecation chatter
    # With implicit TLS every connection is encrypted: AUTH needs no STARTTLS first.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    factory, implicit_context = make_factory(args)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(factory, args.host, args.port, ssl=implicit_context))
    port = server.sockets[0].getsockname()[1]
    print("listening on %d" % port, flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
