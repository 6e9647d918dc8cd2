// Signs webhook requests with the providers' own SDKs, so that tests/unit/tst_inboundsdk.cpp can
// check that Ferry's verifiers (agent/inbound/signatures.h) accept what the providers send.
//
//   node sign.mjs < jobs.json
//
// stdin holds one job or an array of jobs; stdout gets one answer per job, as JSON, in order:
//   {"kind":"stripe","secret":"whsec_…" | "secrets":[…],"payload":"…","timestamp":1767225600}
//       -> {"header":"t=…,v1=…[,v1=…]"}              (one v1 per secret, as when one is rolled)
//   {"kind":"twilio","authToken":"…","url":"https://…","params":{"Body":"…","Tag":["a","b"]},
//    "calledUrl":"https://…:443/…" (optional: the URL called, also checked with the SDK)}
//       -> {"signature":"…","body":"Body=…&Tag=a&Tag=b"}   (the form body as sent)
//   {"kind":"twilio-json","authToken":"…","url":"https://…","body":"{…}"}
//       -> {"signature":"…","url":"https://…?bodySHA256=…"}   (the URL Twilio calls)
//   {"kind":"standard-webhooks","secret":"whsec_…" | "secrets":[…],"id":"msg_…",
//    "timestamp":1614265330,"payload":"…"}
//       -> {"signature":"v1,… [v1,…]"}
//   {"kind":"hmac","algorithm":"sha256","encoding":"hex","secret":"…","payload":"…"}
//       -> {"signature":"…"}   (node:crypto, not an SDK: an independent HMAC for Meta's and
//                               the configurable scheme, which have no signing SDK on npm)
//
// Every signature is also checked with the SDK's own verifier (stripe.webhooks.constructEvent,
// twilio.validateRequest / validateRequestWithBody, Webhook.verify), so a job the SDK would not
// accept fails here, loudly, instead of testing Ferry against a wrong value.
//
// The SDKs are loaded from $FERRY_INBOUND_SDK_DIR/node_modules (default: build/npm/inbound-sdk
// in the source tree), where scripts/install-sdks.sh installs the versions package-lock.json pins.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import querystring from 'node:querystring';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const sdkDir =
    process.env.FERRY_INBOUND_SDK_DIR || path.join(here, '..', '..', 'build', 'npm', 'inbound-sdk');
// A require() that resolves from sdkDir: the modules live outside the source tree (build/).
const requireSdk = createRequire(path.join(sdkDir, 'package.json'));

function fail(message) {
    console.error(`sign.mjs: ${message}`);
    process.exit(1);
}

function load(name) {
    try {
        return requireSdk(name);
    } catch (e) {
        fail(`cannot load ${name} from ${sdkDir}/node_modules (${e.code || e.message}): ` +
             'run scripts/install-sdks.sh');
    }
}

function check(accepted, what) {
    if (!accepted)
        throw new Error(`the SDK itself refuses ${what}`);
}

function need(job, ...fields) {
    for (const field of fields) {
        if (job[field] === undefined || job[field] === null || job[field] === '')
            throw new Error(`a ${job.kind} job needs "${field}"`);
    }
}

function secretsOf(job) {
    const secrets = job.secrets ?? (job.secret ? [job.secret] : []);
    if (secrets.length === 0)
        throw new Error(`a ${job.kind} job needs "secret" or "secrets"`);
    return secrets;
}

// Webhook.verify (standardwebhooks) reads the clock: it is stopped at the signing time so that a
// timestamp from the past, such as the specification's vector, still verifies.
function atTime(seconds, fn) {
    const realNow = Date.now;
    Date.now = () => seconds * 1000;
    try {
        return fn();
    } finally {
        Date.now = realNow;
    }
}

function stripe(job) {
    need(job, 'payload', 'timestamp');
    const Stripe = load('stripe');
    const signatures = secretsOf(job).map((secret) => {
        const header = Stripe.webhooks.generateTestHeaderString({
            payload: job.payload, secret, timestamp: job.timestamp });
        return header.split(',').find((item) => item.startsWith('v1='));
    });
    const header = [`t=${job.timestamp}`, ...signatures].join(',');
    // Throws unless the header verifies; receivedAt (ms) puts "now" at the signing time.
    for (const secret of secretsOf(job))
        Stripe.webhooks.constructEvent(job.payload, header, secret, 300, undefined,
                                       job.timestamp * 1000);
    return { header };
}

// The form body as an HTTP client sends it (space as '+', everything else percent-encoded).
function formBody(params) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
        for (const item of [].concat(value))
            form.append(name, item);
    }
    return form.toString();
}

function twilioForm(job) {
    need(job, 'authToken', 'url', 'params');
    const twilio = load('twilio');
    const signature = twilio.getExpectedTwilioSignature(job.authToken, job.url, job.params);
    const body = formBody(job.params);
    // Verified with the parameters read back from the body, as a server would have them.
    const received = querystring.parse(body);
    check(twilio.validateRequest(job.authToken, signature, job.url, received),
          `its signature of ${job.url} with these parameters`);
    // The URL the request arrives at, when the test has Twilio sign another (its port toggled).
    if (job.calledUrl)
        check(twilio.validateRequest(job.authToken, signature, job.calledUrl, received),
              `its signature of ${job.url} when called at ${job.calledUrl}`);
    return { signature, body };
}

// Twilio adds the body's SHA-256 to the URL it calls and signs that URL alone; this is the URL
// validateRequestWithBody reads bodySHA256 from.
function twilioJson(job) {
    need(job, 'authToken', 'url', 'body');
    const twilio = load('twilio');
    const separator = job.url.includes('?') ? '&' : '?';
    const url = `${job.url}${separator}bodySHA256=${twilio.getExpectedBodyHash(job.body)}`;
    const signature = twilio.getExpectedTwilioSignature(job.authToken, url, {});
    check(twilio.validateRequestWithBody(job.authToken, signature, url, job.body),
          `its signature of ${url} with this body`);
    return { signature, url };
}

function standardWebhooks(job) {
    need(job, 'id', 'timestamp', 'payload');
    const { Webhook } = load('standardwebhooks');
    const secrets = secretsOf(job);
    const signature = secrets
        .map((secret) => new Webhook(secret).sign(job.id, new Date(job.timestamp * 1000),
                                                  job.payload))
        .join(' ');
    const headers = { 'webhook-id': job.id, 'webhook-timestamp': String(job.timestamp),
                      'webhook-signature': signature };
    // Throws unless every secret verifies the headers.
    atTime(job.timestamp, () => {
        for (const secret of secrets)
            new Webhook(secret).verify(job.payload, headers, { jsonParse: false });
    });
    return { signature };
}

function hmac(job) {
    need(job, 'algorithm', 'encoding', 'secret');
    if (!['sha1', 'sha256', 'sha512'].includes(job.algorithm))
        throw new Error(`an hmac job's algorithm is sha1, sha256 or sha512, not ${job.algorithm}`);
    if (!['hex', 'base64'].includes(job.encoding))
        throw new Error(`an hmac job's encoding is hex or base64, not ${job.encoding}`);
    const signature = createHmac(job.algorithm, job.secret)
        .update(Buffer.from(job.payload ?? '', 'utf8'))
        .digest(job.encoding);
    return { signature };
}

const kinds = {
    'stripe': stripe,
    'twilio': twilioForm,
    'twilio-json': twilioJson,
    'standard-webhooks': standardWebhooks,
    'hmac': hmac,
};

function run(job, index) {
    const signer = kinds[job?.kind];
    if (!signer)
        throw new Error(`job ${index} has kind ${JSON.stringify(job?.kind)}; the kinds are ` +
                        Object.keys(kinds).join(', '));
    try {
        return signer(job);
    } catch (e) {
        throw new Error(`job ${index} (${job.kind}): ${e.message}`);
    }
}

let input;
try {
    input = JSON.parse(readFileSync(0, 'utf8'));
} catch (e) {
    fail(`stdin is not one JSON job or an array of them: ${e.message}`);
}
try {
    const answers = (Array.isArray(input) ? input : [input]).map(run);
    process.stdout.write(JSON.stringify(Array.isArray(input) ? answers : answers[0]) + '\n');
} catch (e) {
    fail(e.message);
}
