// The SMS (Twilio), WhatsApp (Meta) and push (FCM) adapters driven directly over a libcurl multi
// handle against ferry-provider-sim: what each provider's answers and failures become (delivered
// with the provider's id, retryable, Retry-After, permanent with a reason, auth, timeout, unknown),
// Twilio's status query with its cost, and FCM's access token: one request for many sends,
// refreshed after expiry and after a 401.
#include "agent/adapters/curlmulti.h"
#include "agent/adapters/pushadapter.h"
#include "agent/adapters/smsadapter.h"
#include "agent/adapters/whatsappadapter.h"
#include "tests/support/providersim.h"
#include "tests/support/recordingserver.h"
#include "tests/support/testsupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimer>

using namespace ferry;
using namespace ferry::agent::adapters;
using namespace Qt::StringLiterals;

namespace {

constexpr auto kSid = "AC0123456789abcdef0123456789abcdef"_L1;
constexpr auto kTwilioToken = "twilio-auth-token"_L1;
constexpr auto kMetaToken = "meta-access-token"_L1;
constexpr qint64 kTenant = 7;
using Kind = Outcome::Kind;

// Adapters over one multi handle, moved on by a timer whenever the test's event loop runs.
class Rig
{
public:
    explicit Rig(qint64 timeoutMs = 10'000)
        : options{timeoutMs, nullptr}
    {
        m_driver.setInterval(2);
        QObject::connect(&m_driver, &QTimer::timeout, [this] {
            multi.perform();
            for (Adapter *a : m_adapters)
                a->poll();
        });
        m_driver.start();
    }
    ~Rig() { m_driver.stop(); }

    template <typename A> A &add(std::unique_ptr<A> adapter)
    {
        A &a = *adapter;
        a.setDone([this](const QUuid &id, const Outcome &o) { outcomes.insert(id, o); });
        m_adapters.push_back(&a);
        m_owned.push_back(std::move(adapter));
        return a;
    }

    // Sends and waits for the outcome (Kind::Retryable with error "no outcome" on timeout).
    Outcome send(Adapter &adapter, const Delivery &delivery)
    {
        adapter.send(delivery);
        if (!QTest::qWaitFor([&] { return outcomes.contains(delivery.id); }, 30'000))
            return Outcome{Kind::Retryable, {}, {}, 0, u"no outcome"_s, {}, false, {}, {}, {}};
        return outcomes.take(delivery.id);
    }

    Result<ProviderStatus> query(Adapter &adapter, const ProviderAccount &account,
                                 const QString &id)
    {
        std::optional<Result<ProviderStatus>> answer;
        adapter.queryStatus(account, id, [&](const Result<ProviderStatus> &s) { answer = s; });
        if (!QTest::qWaitFor([&] { return answer.has_value(); }, 30'000))
            return makeError(u"no answer"_s);
        return *answer;
    }

    CurlMulti multi{64};
    HttpAdapter::Options options;
    QHash<QUuid, Outcome> outcomes;

private:
    QTimer m_driver;
    std::vector<Adapter *> m_adapters;
    std::vector<std::unique_ptr<Adapter>> m_owned;
};

Delivery delivery(const ProviderAccount &account, const QString &to, const QString &text)
{
    Delivery d;
    d.id = QUuid::createUuid();
    d.eventId = QUuid::createUuid();
    d.tenantId = kTenant;
    d.target = to;
    d.account = account;
    d.message.to = to;
    d.message.subject = u"Order shipped"_s;
    d.message.text = text;
    return d;
}

QString describe(const Outcome &o)
{
    static const char *names[] = {"Delivered", "Retryable", "Permanent", "Unknown"};
    return u"got %1 (%2: %3)"_s.arg(QString::fromLatin1(names[int(o.kind)]), o.reason, o.error);
}

#define EXPECT_KIND(outcome, expected)                                                             \
    do {                                                                                           \
        const Outcome got_ = (outcome);                                                            \
        QVERIFY2(got_.kind == (expected), qPrintable(describe(got_)));                             \
    } while (false)

} // namespace

class TestProviderAdapters : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ProviderSim> m_sim;

    ProviderAccount twilio(const QString &token = kTwilioToken) const
    {
        return ProviderAccount{1, u"sms-main"_s, u"twilio"_s,
                               QJsonObject{{u"account_sid"_s, kSid},
                                           {u"auth_token"_s, token},
                                           {u"from"_s, u"+15017122661"_s}},
                               m_sim->baseUrl()};
    }
    ProviderAccount meta(const QString &token = kMetaToken) const
    {
        return ProviderAccount{2, u"wa-main"_s, u"meta"_s,
                               QJsonObject{{u"access_token"_s, token},
                                           {u"phone_number_id"_s, u"106540352242922"_s},
                                           {u"api_version"_s, u"v19.0"_s}},
                               m_sim->baseUrl()};
    }
    ProviderAccount fcm() const
    {
        return ProviderAccount{3, u"push-main"_s, u"fcm"_s, m_sim->serviceAccount(),
                               m_sim->baseUrl()};
    }
    int stat(const QString &provider, const QString &field) const
    {
        return m_sim->stats(provider).value(field).toInt(-1);
    }
    QJsonArray simMessages(const QString &provider) const
    {
        return m_sim->stats(provider).value("messages"_L1).toArray();
    }
    bool knobs(const QString &provider, QJsonObject knobs) const
    {
        knobs.insert(u"provider"_s, provider);
        return m_sim->setKnobs(knobs);
    }

    // One SMS through a fresh adapter, with the adapter's request timeout.
    Outcome sendSms(const ProviderAccount &account, const QString &to, qint64 timeoutMs = 10'000)
    {
        Rig rig(timeoutMs);
        auto &sms =
            rig.add(std::make_unique<SmsAdapter>(rig.multi, SmsAdapter::Options{rig.options, {}}));
        return rig.send(sms, delivery(account, to, u"hi"_s));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sim = std::make_unique<test::ProviderSim>(
            QStringList{u"--seed"_s, u"1"_s, u"--twilio-account"_s,
                        QString(kSid + u':' + kTwilioToken), u"--meta-token"_s, kMetaToken});
        QVERIFY(m_sim->start());
        QVERIFY(!m_sim->serviceAccount().isEmpty());
    }
    void init() { QVERIFY(m_sim->reset()); }

    // --- SMS ---------------------------------------------------------------------------------

    void smsDeliveredWithSidIdempotencyTokenAndStatusCallback()
    {
        test::RecordingServer callbacks;
        QVERIFY(callbacks.start());
        Rig rig;
        auto &sms = rig.add(std::make_unique<SmsAdapter>(
            rig.multi, SmsAdapter::Options{rig.options, callbacks.url(u"/hooks/"_s)}));
        const Delivery d = delivery(twilio(), u"+15551234567"_s, u"Your order shipped"_s);
        const Outcome o = rig.send(sms, d);
        EXPECT_KIND(o, Kind::Delivered);
        QVERIFY2(o.providerMessageId.startsWith(u"SM"_s), qPrintable(o.providerMessageId));
        QCOMPARE(o.statusCode, 201);

        const QJsonArray messages = simMessages(u"twilio"_s);
        QCOMPARE(messages.size(), 1);
        const QJsonObject m = messages.first().toObject();
        QCOMPARE(m.value("to"_L1).toString(), u"+15551234567"_s); // the + survived the form
        QCOMPARE(m.value("body"_L1).toString(), u"Your order shipped"_s);
        QCOMPARE(m.value("idempotency_key"_L1).toString(), d.id.toString(QUuid::WithoutBraces));
        // Twilio reports the message's progress to Ferry's inbound URL for this account.
        QTRY_VERIFY_WITH_TIMEOUT(!callbacks.received().isEmpty(), 10'000);
        QCOMPARE(callbacks.received().first().path, u"/hooks/v1/inbound/7/sms-main"_s);
    }

    void smsServerErrorIsRetryable()
    {
        QVERIFY(knobs(u"twilio"_s, {{u"error_rate"_s, 1}, {u"error_status"_s, 503}}));
        const Outcome o = sendSms(twilio(), u"+15551234567"_s);
        EXPECT_KIND(o, Kind::Retryable);
        QCOMPARE(o.statusCode, 503);
        QCOMPARE(o.reason, u"http_5xx"_s);
    }

    void smsThrottledHonoursRetryAfter()
    {
        QVERIFY(knobs(u"twilio"_s, {{u"throttle_rate"_s, 1}, {u"retry_after_s"_s, 7}}));
        const Outcome o = sendSms(twilio(), u"+15551234567"_s);
        EXPECT_KIND(o, Kind::Retryable);
        QCOMPARE(o.statusCode, 429);
        QCOMPARE(o.retryAfterMs, std::optional<qint64>(7000));
    }

    void smsInvalidRecipientIsPermanent()
    {
        const Outcome o = sendSms(twilio(), u"+15550001234"_s);
        EXPECT_KIND(o, Kind::Permanent);
        QCOMPARE(o.reason, u"invalid_recipient"_s);
        QVERIFY2(o.error.contains(u"21211"_s), qPrintable(o.error));
    }

    void smsWrongAuthTokenIsPermanentAuth()
    {
        const Outcome o = sendSms(twilio(u"wrong"_s), u"+15551234567"_s);
        EXPECT_KIND(o, Kind::Permanent);
        QCOMPARE(o.statusCode, 401);
        QCOMPARE(o.reason, u"auth"_s);
        QVERIFY2(o.error.contains(u"auth_token"_s), qPrintable(o.error));
    }

    void smsMissingCredentialFieldIsPermanent()
    {
        ProviderAccount account = twilio();
        account.secret.remove(u"from"_s);
        const Outcome o = sendSms(account, u"+15551234567"_s);
        EXPECT_KIND(o, Kind::Permanent);
        QCOMPARE(o.reason, u"credential"_s);
        QVERIFY2(o.error.contains(u"messaging_service_sid"_s), qPrintable(o.error));
        QCOMPARE(stat(u"twilio"_s, u"requests"_s), 0);
    }

    void smsTimeoutIsRetryable()
    {
        QVERIFY(knobs(u"twilio"_s, {{u"timeout_rate"_s, 1}}));
        const Outcome o = sendSms(twilio(), u"+15551234567"_s, 300);
        EXPECT_KIND(o, Kind::Retryable);
        QCOMPARE(o.reason, u"timeout"_s);
    }

    void smsLostResponseIsUnknown()
    {
        QVERIFY(knobs(u"twilio"_s, {{u"lose_response_rate"_s, 1}}));
        const Outcome o = sendSms(twilio(), u"+15551234567"_s);
        EXPECT_KIND(o, Kind::Unknown);
        QCOMPARE(o.reason, u"no_response"_s);
        QCOMPARE(stat(u"twilio"_s, u"accepted"_s), 1); // it was sent after all
    }

    void connectionsPerHostAreCapped()
    {
        test::RecordingServer twilioLike;
        QVERIFY(twilioLike.start());
        twilioLike.answer(201, R"({"sid":"SM1","status":"queued"})");
        ProviderAccount account = twilio();
        account.baseUrl = twilioLike.url({});
        const auto sendBurst = [&](int maxPerHost) {
            Rig rig;
            rig.multi.setMaxConnectionsPerHost(maxPerHost);
            auto &sms = rig.add(std::make_unique<SmsAdapter>(rig.multi, SmsAdapter::Options{}));
            for (int i = 0; i < 6; ++i)
                sms.send(delivery(account, u"+15551234567"_s, u"hi"_s));
            return QTest::qWaitFor([&] { return rig.outcomes.size() == 6; }, 30'000);
        };
        QVERIFY(sendBurst(0));
        QVERIFY2(twilioLike.connections() > 1, "without a cap a burst opens parallel connections");
        const int before = twilioLike.connections();
        QVERIFY(sendBurst(1));
        QCOMPARE(twilioLike.received().size(), 12);
        QCOMPARE(twilioLike.connections() - before, 1); // one kept-alive connection, in turn
    }

    void twilioStatusQueryReportsFinalStatusAndCost()
    {
        Rig rig;
        auto &sms = rig.add(std::make_unique<SmsAdapter>(rig.multi, SmsAdapter::Options{}));
        const Outcome sent = rig.send(sms, delivery(twilio(), u"+15551234567"_s, u"hi"_s));
        EXPECT_KIND(sent, Kind::Delivered);
        QVERIFY(!sent.cost); // Twilio prices a message once it is delivered

        std::optional<ProviderStatus> status;
        const auto finalStatus = [&] {
            auto s = rig.query(sms, twilio(), sent.providerMessageId);
            if (s.ok())
                status = *s;
            return s.ok() && s->final;
        };
        QTRY_VERIFY_WITH_TIMEOUT(finalStatus(), 10'000);
        QCOMPARE(status->providerMessageId, sent.providerMessageId);
        QCOMPARE(status->status, u"delivered"_s);
        QVERIFY(status->cost);
        QCOMPARE(*status->cost, 0.0075);
        QCOMPARE(status->currency, u"USD"_s);

        const auto unknown = rig.query(sms, twilio(), u"SM00000000000000000000000000000000"_s);
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().message.contains(u"404"_s), qPrintable(unknown.error().message));
    }

    // --- WhatsApp ----------------------------------------------------------------------------

    void whatsappTextDeliveredWithWamid()
    {
        Rig rig;
        auto &wa = rig.add(std::make_unique<WhatsAppAdapter>(rig.multi, rig.options));
        const Outcome o = rig.send(wa, delivery(meta(), u"+15551234567"_s, u"Hello"_s));
        EXPECT_KIND(o, Kind::Delivered);
        QVERIFY2(o.providerMessageId.startsWith(u"wamid."_s), qPrintable(o.providerMessageId));
        QCOMPARE(simMessages(u"meta"_s).first().toObject().value("body"_L1).toString(), u"Hello"_s);
    }

    void whatsappTemplateOutsideTheServiceWindow()
    {
        Rig rig;
        auto &wa = rig.add(std::make_unique<WhatsAppAdapter>(rig.multi, rig.options));
        // Text to a customer who has not written for 24 hours: refused for good.
        const Outcome text = rig.send(wa, delivery(meta(), u"+15558881234"_s, u"Hello"_s));
        EXPECT_KIND(text, Kind::Permanent);
        QCOMPARE(text.reason, u"outside_service_window"_s);
        QVERIFY2(text.error.contains(u"131047"_s), qPrintable(text.error));
        // A template message is what reaches them.
        Delivery d = delivery(meta(), u"+15558881234"_s, {});
        d.message.options = QJsonObject{
            {u"template"_s, QJsonObject{{u"name"_s, u"order_update"_s},
                                        {u"language"_s, u"en_US"_s},
                                        {u"parameters"_s, QJsonArray{u"Ann"_s, u"#1234"_s}}}}};
        const QJsonObject body = QJsonDocument::fromJson(WhatsAppAdapter::requestBody(d.message))
                                     .object()
                                     .value("template"_L1)
                                     .toObject();
        QCOMPARE(body.value("language"_L1).toObject().value("code"_L1).toString(), u"en_US"_s);
        const QJsonObject component = body.value("components"_L1).toArray().first().toObject();
        QCOMPARE(component.value("type"_L1).toString(), u"body"_s);
        QCOMPARE(component.value("parameters"_L1).toArray().at(1).toObject(),
                 (QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"#1234"_s}}));
        const Outcome templated = rig.send(wa, d);
        EXPECT_KIND(templated, Kind::Delivered);
    }

    void whatsappRefusals_data()
    {
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("undeliverable") << u"+15550001234"_s << QString(kMetaToken)
                                       << int(Kind::Permanent) << u"invalid_recipient"_s;
        QTest::newRow("expired token")
            << u"+15551234567"_s << u"stale"_s << int(Kind::Permanent) << u"auth"_s;
        QTest::newRow("pair rate limit") << u"+15557771234"_s << QString(kMetaToken)
                                         << int(Kind::Retryable) << u"rate_limited"_s;
    }
    void whatsappRefusals()
    {
        QFETCH(QString, to);
        QFETCH(QString, token);
        QFETCH(int, kind);
        QFETCH(QString, reason);
        Rig rig;
        auto &wa = rig.add(std::make_unique<WhatsAppAdapter>(rig.multi, rig.options));
        const Outcome o = rig.send(wa, delivery(meta(token), to, u"Hello"_s));
        EXPECT_KIND(o, Kind(kind));
        QCOMPARE(o.reason, reason);
    }

    void whatsappThrottledAndServerErrorsAreRetryable()
    {
        Rig rig;
        auto &wa = rig.add(std::make_unique<WhatsAppAdapter>(rig.multi, rig.options));
        QVERIFY(knobs(u"meta"_s, {{u"throttle_rate"_s, 1}, {u"retry_after_s"_s, 3}}));
        const Outcome throttled = rig.send(wa, delivery(meta(), u"+15551234567"_s, u"Hi"_s));
        EXPECT_KIND(throttled, Kind::Retryable);
        QCOMPARE(throttled.statusCode, 429);
        QCOMPARE(throttled.retryAfterMs, std::optional<qint64>(3000));
        QVERIFY2(throttled.error.contains(u"130429"_s), qPrintable(throttled.error));

        QVERIFY(m_sim->reset());
        QVERIFY(knobs(u"meta"_s, {{u"error_rate"_s, 1}, {u"error_status"_s, 500}}));
        const Outcome failed = rig.send(wa, delivery(meta(), u"+15551234567"_s, u"Hi"_s));
        EXPECT_KIND(failed, Kind::Retryable);
        QCOMPARE(failed.reason, u"provider_error"_s); // Meta's code 131000
    }

    void whatsappLostResponseIsUnknown()
    {
        QVERIFY(knobs(u"meta"_s, {{u"lose_response_rate"_s, 1}}));
        Rig rig;
        auto &wa = rig.add(std::make_unique<WhatsAppAdapter>(rig.multi, rig.options));
        const Outcome o = rig.send(wa, delivery(meta(), u"+15551234567"_s, u"Hi"_s));
        EXPECT_KIND(o, Kind::Unknown);
    }

    // --- Push --------------------------------------------------------------------------------

    void pushManySendsShareOneToken()
    {
        Rig rig;
        auto &push = rig.add(std::make_unique<PushAdapter>(rig.multi, PushAdapter::Options{}));
        QList<QUuid> ids;
        for (int i = 0; i < 20; ++i) { // all sent before any token exists: they wait for one
            Delivery d = delivery(fcm(), u"device-token-%1"_s.arg(i), u"Shipped"_s);
            d.message.options =
                QJsonObject{{u"data"_s, QJsonObject{{u"order"_s, 1234}, {u"kind"_s, u"ship"_s}}}};
            push.send(d);
            ids.append(d.id);
        }
        QTRY_COMPARE_WITH_TIMEOUT(rig.outcomes.size(), 20, 30'000);
        for (const QUuid &id : ids) {
            EXPECT_KIND(rig.outcomes.value(id), Kind::Delivered);
            QVERIFY(rig.outcomes.value(id).providerMessageId.startsWith(u"projects/ferry-sim/"_s));
        }
        const Outcome later = rig.send(push, delivery(fcm(), u"device-token-x"_s, u"Again"_s));
        EXPECT_KIND(later, Kind::Delivered);
        QCOMPARE(stat(u"fcm"_s, u"tokens_issued"_s), 1);
        QCOMPARE(stat(u"fcm"_s, u"accepted"_s), 21);
        const QJsonObject m = simMessages(u"fcm"_s).first().toObject();
        QCOMPARE(m.value("title"_L1).toString(), u"Order shipped"_s);
        QCOMPARE(m.value("body"_L1).toString(), u"Shipped"_s);
    }

    void pushTokenRefreshedAfterExpiry()
    {
        qint64 clock = QDateTime::currentMSecsSinceEpoch();
        Rig rig;
        auto &push = rig.add(std::make_unique<PushAdapter>(
            rig.multi, PushAdapter::Options{rig.options, [&clock] { return clock; }}));
        EXPECT_KIND(rig.send(push, delivery(fcm(), u"device-1"_s, u"a"_s)), Kind::Delivered);
        clock += 30 * 60'000; // half the token's life: still the same token
        EXPECT_KIND(rig.send(push, delivery(fcm(), u"device-1"_s, u"b"_s)), Kind::Delivered);
        QCOMPARE(stat(u"fcm"_s, u"tokens_issued"_s), 1);
        clock += 31 * 60'000; // past its expiry: a new one first
        EXPECT_KIND(rig.send(push, delivery(fcm(), u"device-1"_s, u"c"_s)), Kind::Delivered);
        QCOMPARE(stat(u"fcm"_s, u"tokens_issued"_s), 2);
        clock += 57 * 60'000; // near the new one's expiry: sent with it, a third fetched meanwhile
        EXPECT_KIND(rig.send(push, delivery(fcm(), u"device-1"_s, u"d"_s)), Kind::Delivered);
        QTRY_COMPARE(stat(u"fcm"_s, u"tokens_issued"_s), 3);
        QCOMPARE(stat(u"fcm"_s, u"auth_failures"_s), 0);
    }

    void pushRefusedTokenIsRefreshedOnce()
    {
        Rig rig;
        auto &push = rig.add(std::make_unique<PushAdapter>(rig.multi, PushAdapter::Options{}));
        EXPECT_KIND(rig.send(push, delivery(fcm(), u"device-1"_s, u"a"_s)), Kind::Delivered);
        test::HttpRequest expire;
        expire.url = m_sim->baseUrl() + u"/_sim/fcm/expire-tokens"_s;
        QCOMPARE(test::http(expire).status, 200);
        // FCM refuses the cached token: the adapter fetches a new one and sends again.
        EXPECT_KIND(rig.send(push, delivery(fcm(), u"device-1"_s, u"b"_s)), Kind::Delivered);
        QCOMPARE(stat(u"fcm"_s, u"tokens_issued"_s), 2);
        QCOMPARE(stat(u"fcm"_s, u"auth_failures"_s), 1);
    }

    void pushTokenRefusedTwiceIsPermanentAuth()
    {
        // A token endpoint that hands out tokens FCM does not know.
        test::RecordingServer tokens;
        QVERIFY(tokens.start());
        tokens.answer(200, R"({"access_token":"ya29.bogus","expires_in":3600})");
        ProviderAccount account = fcm();
        account.secret.insert(u"token_uri"_s, tokens.url(u"/token"_s));
        Rig rig;
        auto &push = rig.add(std::make_unique<PushAdapter>(rig.multi, PushAdapter::Options{}));
        const Outcome o = rig.send(push, delivery(account, u"device-1"_s, u"a"_s));
        EXPECT_KIND(o, Kind::Permanent);
        QCOMPARE(o.reason, u"auth"_s);
        QCOMPARE(o.statusCode, 401);
        QCOMPARE(tokens.received().size(), 2); // once more after the first 401, not again
        QCOMPARE(stat(u"fcm"_s, u"auth_failures"_s), 2);
    }

    void pushAccountRefusedByTokenEndpointIsPermanentAuth()
    {
        ProviderAccount account = fcm();
        account.secret.insert(u"client_email"_s, u"nobody@ferry-sim.iam.gserviceaccount.com"_s);
        Rig rig;
        auto &push = rig.add(std::make_unique<PushAdapter>(rig.multi, PushAdapter::Options{}));
        const Outcome o = rig.send(push, delivery(account, u"device-1"_s, u"a"_s));
        EXPECT_KIND(o, Kind::Permanent);
        QCOMPARE(o.reason, u"auth"_s);
        QVERIFY2(o.error.contains(u"invalid_grant"_s), qPrintable(o.error));
        QCOMPARE(stat(u"fcm"_s, u"accepted"_s), 0);
    }

    void pushDeadDeviceTokenIsPermanentAndSaysSo()
    {
        Rig rig;
        auto &push = rig.add(std::make_unique<PushAdapter>(rig.multi, PushAdapter::Options{}));
        const Outcome o = rig.send(push, delivery(fcm(), u"invalid-device"_s, u"a"_s));
        EXPECT_KIND(o, Kind::Permanent);
        QCOMPARE(o.statusCode, 404);
        QCOMPARE(o.reason, u"invalid_token"_s);
        QVERIFY2(o.error.contains(u"device token"_s) && o.error.contains(u"UNREGISTERED"_s),
                 qPrintable(o.error));
    }

    void pushQuotaAndUnavailableAreRetryable()
    {
        Rig rig;
        auto &push = rig.add(std::make_unique<PushAdapter>(rig.multi, PushAdapter::Options{}));
        QVERIFY(knobs(u"fcm"_s, {{u"throttle_rate"_s, 1}, {u"retry_after_s"_s, 11}}));
        const Outcome quota = rig.send(push, delivery(fcm(), u"device-1"_s, u"a"_s));
        EXPECT_KIND(quota, Kind::Retryable);
        QCOMPARE(quota.retryAfterMs, std::optional<qint64>(11'000));
        QVERIFY2(quota.error.contains(u"QUOTA_EXCEEDED"_s), qPrintable(quota.error));

        QVERIFY(knobs(u"fcm"_s,
                      {{u"throttle_rate"_s, 0}, {u"error_rate"_s, 1}, {u"error_status"_s, 503}}));
        const Outcome unavailable = rig.send(push, delivery(fcm(), u"device-1"_s, u"a"_s));
        EXPECT_KIND(unavailable, Kind::Retryable);
        QCOMPARE(unavailable.statusCode, 503);
    }

    void pushTimeoutAndLostResponse()
    {
        Rig rig(1000);
        auto &push = rig.add(
            std::make_unique<PushAdapter>(rig.multi, PushAdapter::Options{rig.options, {}}));
        // The token first, so that what times out below is the send.
        EXPECT_KIND(rig.send(push, delivery(fcm(), u"device-1"_s, u"a"_s)), Kind::Delivered);
        QVERIFY(knobs(u"fcm"_s, {{u"timeout_rate"_s, 1}}));
        const Outcome timedOut = rig.send(push, delivery(fcm(), u"device-1"_s, u"a"_s));
        EXPECT_KIND(timedOut, Kind::Retryable);
        QCOMPARE(timedOut.reason, u"timeout"_s);

        QVERIFY(knobs(u"fcm"_s, {{u"timeout_rate"_s, 0}, {u"lose_response_rate"_s, 1}}));
        const Outcome lost = rig.send(push, delivery(fcm(), u"device-1"_s, u"a"_s));
        EXPECT_KIND(lost, Kind::Unknown);
        QCOMPARE(stat(u"fcm"_s, u"accepted"_s), 2); // the lost one was sent after all
    }
};

QTEST_GUILESS_MAIN(TestProviderAdapters)
#include "tst_provideradapters.moc"
