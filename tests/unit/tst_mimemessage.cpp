// The email message Ferry builds: header encoding and folding, quoted-printable bodies, and the
// structure of multipart and text-only messages.
#include "agent/adapters/mimemessage.h"

#include <QTest>

using namespace ferry::agent::adapters;
using namespace Qt::StringLiterals;

namespace {

MailContent content()
{
    MailContent c;
    c.fromAddress = u"alerts@Shop.Example"_s;
    c.to = u"ana@customer.example"_s;
    c.subject = u"Hello"_s;
    c.text = u"text"_s;
    c.html = u"<p>html</p>"_s;
    c.deliveryId = QUuid(u"0190c6de-3b1e-7c4a-9f6e-2b8d1c0e4a11"_s);
    c.eventId = QUuid(u"0190c6de-0000-7c4a-9f6e-2b8d1c0e4a11"_s);
    c.date = QDateTime(QDate(2026, 12, 5), QTime(9, 4, 5), Qt::UTC);
    return c;
}

QByteArray decodeWords(const QByteArray &value)
{
    QByteArray out;
    for (QByteArray word : value.split('\n')) {
        word = word.trimmed();
        if (!word.startsWith("=?UTF-8?B?") || !word.endsWith("?="))
            return "not an encoded word: " + word;
        out += QByteArray::fromBase64(word.mid(10, word.size() - 12));
    }
    return out;
}

} // namespace

class TestMimeMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainAsciiHeadersStayReadable()
    {
        QCOMPARE(encodeHeaderText(u"Your order 42"_s), QByteArray("Your order 42"));
    }

    void nonAsciiHeadersAreEncodedWordsOfBoundedLength()
    {
        const QString subject = u"Commande confirmée ✓ — 注文番号 42, arrivée prévue demain 😀😀😀"_s;
        const QByteArray encoded = encodeHeaderText(subject);
        QVERIFY(encoded.contains("\r\n "));
        for (const QByteArray &line : encoded.split('\n'))
            QVERIFY2(line.size() <= 76, line.constData());
        QCOMPARE(QString::fromUtf8(decodeWords(encoded)), subject);
    }

    void lineBreaksCannotAddHeaders()
    {
        const QByteArray encoded = encodeHeaderText(u"Hi\r\nBcc: eve@evil.example"_s);
        QVERIFY(!encoded.contains('\r') && !encoded.contains('\n'));
        QCOMPARE(encoded, QByteArray("Hi  Bcc: eve@evil.example"));
    }

    void quotedPrintableKeepsLinesShortAndDecodable()
    {
        const QByteArray long80 = QByteArray(80, 'a');
        const QByteArray qp = quotedPrintable(long80 + " \n= é\r\nend\t");
        for (const QByteArray &line : qp.split('\n'))
            QVERIFY2(line.size() <= 77, line.constData()); // 76 and the CR
        QCOMPARE(qp, QByteArray(75, 'a') + "=\r\n" + QByteArray(5, 'a') +
                         "=20\r\n=3D =C3=A9\r\nend=09");
    }

    void messageIdNamesTheDeliveryAndTheSendersDomain()
    {
        QCOMPARE(messageId(content().deliveryId, u"alerts@Shop.Example"_s),
                 QByteArray("<0190c6de-3b1e-7c4a-9f6e-2b8d1c0e4a11@ferry.shop.example>"));
    }

    void aMultipartMessageHasBothPartsAndTheFerryHeaders()
    {
        const QByteArray m = buildMimeMessage(content());
        const QByteArray head = m.left(m.indexOf("\r\n\r\n") + 2);
        QCOMPARE(head, QByteArray("From: alerts@Shop.Example\r\n"
                                  "To: ana@customer.example\r\n"
                                  "Subject: Hello\r\n"
                                  "Date: Sat, 05 Dec 2026 09:04:05 +0000\r\n"
                                  "Message-ID: <0190c6de-3b1e-7c4a-9f6e-2b8d1c0e4a11@ferry.shop."
                                  "example>\r\n"
                                  "MIME-Version: 1.0\r\n"
                                  "X-Ferry-Delivery-Id: 0190c6de-3b1e-7c4a-9f6e-2b8d1c0e4a11\r\n"
                                  "X-Ferry-Event-Id: 0190c6de-0000-7c4a-9f6e-2b8d1c0e4a11\r\n"
                                  "Content-Type: multipart/alternative; "
                                  "boundary=\"=_ferry_0190c6de3b1e7c4a9f6e2b8d1c0e4a11\"\r\n"));
        QVERIFY(m.contains("Content-Type: text/plain; charset=UTF-8\r\n"
                           "Content-Transfer-Encoding: quoted-printable\r\n\r\ntext\r\n"));
        QVERIFY(m.contains("Content-Type: text/html; charset=UTF-8\r\n"
                           "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>html</p>\r\n"));
        QVERIFY(m.endsWith("--=_ferry_0190c6de3b1e7c4a9f6e2b8d1c0e4a11--\r\n"));
        QVERIFY(!m.contains("\n\n") && m.count('\n') == m.count("\r\n"));
    }

    void displayNamesAreQuotedOrEncoded()
    {
        MailContent c = content();
        c.fromName = u"Shop \"Best\" Alerts"_s;
        c.replyTo = u"help@shop.example"_s;
        QByteArray m = buildMimeMessage(c);
        QVERIFY(m.startsWith("From: \"Shop \\\"Best\\\" Alerts\" <alerts@Shop.Example>\r\n"));
        QVERIFY(m.contains("\r\nReply-To: help@shop.example\r\n"));
        c.fromName = u"Boutique Éclair"_s;
        m = buildMimeMessage(c);
        QVERIFY(m.startsWith("From: =?UTF-8?B?" +
                             QString(u"Boutique Éclair"_s).toUtf8().toBase64() +
                             "?= <alerts@Shop.Example>\r\n"));
    }

    void withoutHtmlTheMessageIsTextOnly()
    {
        MailContent c = content();
        c.html.clear();
        const QByteArray m = buildMimeMessage(c);
        QVERIFY(!m.contains("multipart"));
        QVERIFY(m.contains("X-Ferry-Event-Id: 0190c6de-0000-7c4a-9f6e-2b8d1c0e4a11\r\n"
                           "Content-Type: text/plain; charset=UTF-8\r\n"
                           "Content-Transfer-Encoding: quoted-printable\r\n\r\ntext\r\n"));
    }

    void plainAddresses_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("plain");
        QTest::newRow("simple") << u"ana@customer.example"_s << true;
        QTest::newRow("plus") << u"ana+orders@customer.example"_s << true;
        QTest::newRow("no at") << u"ana"_s << false;
        QTest::newRow("two ats") << u"a@b@c"_s << false;
        QTest::newRow("space") << u"ana @x.example"_s << false;
        QTest::newRow("angle") << u"<ana@x.example>"_s << false;
        QTest::newRow("list") << u"a@x.example,b@y.example"_s << false;
        QTest::newRow("newline") << u"a@x.example\nBcc: b@y.example"_s << false;
        QTest::newRow("non-ascii") << u"anä@x.example"_s << false;
        QTest::newRow("empty domain") << u"ana@"_s << false;
    }

    void plainAddresses()
    {
        QFETCH(QString, address);
        QFETCH(bool, plain);
        QCOMPARE(isPlainAddress(address), plain);
    }
};

QTEST_GUILESS_MAIN(TestMimeMessage)
#include "tst_mimemessage.moc"
