// The strict HTTP/1.1 request parser under the agent's listeners: framing, limits enforced
// before the bytes are held, and the refusals a hostile or broken client gets.
#include "agent/net/httpparser.h"

#include <QTest>

using namespace ferry::agent::net;
using namespace Qt::StringLiterals;

namespace {

HttpRequestLimits limits(qint64 maxBody = 1024, qsizetype maxHead = 1024)
{
    HttpRequestLimits l;
    l.maxBodyBytes = maxBody;
    l.maxHeadBytes = maxHead;
    l.maxHeaders = 10;
    return l;
}

// Feeds everything (in pieces of `step` bytes), as a connection would; returns bytes used.
qsizetype feedAll(HttpParser &parser, QByteArrayView data, qsizetype step = 1 << 20)
{
    qsizetype used = 0;
    while (used < data.size() && (parser.state() == HttpParser::State::Head ||
                                  parser.state() == HttpParser::State::Body)) {
        const QByteArrayView piece = data.sliced(used, std::min(step, data.size() - used));
        const qsizetype n = parser.feed(piece);
        used += n;
        if (n == 0)
            break;
    }
    return used;
}

} // namespace

class TestHttpParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contentLengthBodyInAnyPieces_data()
    {
        QTest::addColumn<int>("step");
        for (int step : {1, 2, 3, 7, 64, 4096})
            QTest::addRow("%d", step) << step;
    }
    void contentLengthBodyInAnyPieces()
    {
        QFETCH(int, step);
        HttpParser p(limits());
        const QByteArray wire = "POST /v1/events?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                                "Authorization:  Bearer t  \r\n\r\nhello";
        QCOMPARE(feedAll(p, wire, step), wire.size());
        QCOMPARE(p.state(), HttpParser::State::Done);
        const HttpRequest r = p.takeRequest();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.url.path(), u"/v1/events"_s);
        QCOMPARE(r.url.query(), u"x=1"_s);
        QCOMPARE(r.body, QByteArray("hello"));
        QCOMPARE(r.header("authorization"), QByteArray("Bearer t"));
        QVERIFY(r.keepAlive);
        QCOMPARE(p.state(), HttpParser::State::Head); // ready for the next request
    }

    void pipelinedRequestsStopAtEachEnd()
    {
        HttpParser p(limits());
        const QByteArray one = "GET /a HTTP/1.1\r\n\r\n";
        const QByteArray two = "GET /b HTTP/1.1\r\nConnection: close\r\n\r\n";
        const QByteArray wire = "\r\n" + one + two;
        const qsizetype used = p.feed(wire);
        QCOMPARE(used, 2 + one.size());
        QCOMPARE(p.takeRequest().url.path(), u"/a"_s);
        QCOMPARE(p.feed(QByteArrayView(wire).sliced(used)), two.size());
        const HttpRequest b = p.takeRequest();
        QCOMPARE(b.url.path(), u"/b"_s);
        QVERIFY(!b.keepAlive);
    }

    void chunkedBodyWithExtensionsAndTrailers_data()
    {
        QTest::addColumn<int>("step");
        for (int step : {1, 5, 4096})
            QTest::addRow("%d", step) << step;
    }
    void chunkedBodyWithExtensionsAndTrailers()
    {
        QFETCH(int, step);
        HttpParser p(limits());
        const QByteArray wire = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"
                                "GET /next HTTP/1.1\r\n\r\n";
        const qsizetype used = feedAll(p, wire, step);
        QCOMPARE(p.state(), HttpParser::State::Done);
        QCOMPARE(p.takeRequest().body, QByteArray("hello world"));
        QVERIFY(QByteArrayView(wire).sliced(used).startsWith("GET /next"));
    }

    void headCompleteIsVisibleBeforeTheBody()
    {
        HttpParser p(limits());
        const QByteArray head =
            "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
        QCOMPARE(p.feed(head + "ab"), head.size()); // stops after the head
        QCOMPARE(p.state(), HttpParser::State::Body);
        QVERIFY(p.request().expectContinue);
        QCOMPARE(p.feed("abc"), 3);
        QCOMPARE(p.state(), HttpParser::State::Done);
    }

    void http10ClosesUnlessKeepAlive()
    {
        HttpParser p(limits());
        p.feed("GET / HTTP/1.0\r\n\r\n");
        QVERIFY(!p.takeRequest().keepAlive);
        p.feed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        QVERIFY(p.takeRequest().keepAlive);
    }

    // A declared size over the limit is refused from the head alone: nothing of it is read.
    void hugeContentLengthRefusedAtTheHead()
    {
        HttpParser p(limits(1024));
        const QByteArray head = "POST / HTTP/1.1\r\nContent-Length: 50000000000\r\n\r\n";
        QCOMPARE(p.feed(head + QByteArray(100, 'x')), head.size());
        QCOMPARE(p.state(), HttpParser::State::Failed);
        QCOMPARE(p.failure().status, 413);
        QVERIFY(p.failure().detail.contains(u"http.max_body_bytes"_s));
        QVERIFY(p.failure().detail.contains(u"50000000000"_s));
    }

    // Chunks are counted as they arrive: the one that passes the limit is refused, unread.
    void chunkedBodyRefusedWhenItsCountPassesTheLimit()
    {
        HttpParser p(limits(10));
        const QByteArray wire = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "8\r\n12345678\r\n8\r\n";
        feedAll(p, wire);
        QCOMPARE(p.state(), HttpParser::State::Failed);
        QCOMPARE(p.failure().status, 413);
        QCOMPARE(p.bodyBytes(), 8);
    }

    // The head is held up to its limit and no further, however much arrives.
    void endlessHeaderRefusedAtTheLimit()
    {
        HttpParser p(limits(1024, 1024));
        const QByteArray wire = "GET / HTTP/1.1\r\nX-Long: " + QByteArray(1 << 20, 'a');
        const qsizetype used = feedAll(p, wire, 4096);
        QCOMPARE(p.state(), HttpParser::State::Failed);
        QCOMPARE(p.failure().status, 431);
        QVERIFY(used <= 1024 + 4096);
    }

    void tooManyHeaders()
    {
        HttpParser p(limits());
        QByteArray wire = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 11; ++i)
            wire += "X-" + QByteArray::number(i) + ": v\r\n";
        p.feed(wire + "\r\n");
        QCOMPARE(p.state(), HttpParser::State::Failed);
        QCOMPARE(p.failure().status, 431);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("status");
        QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
        QTest::newRow("absolute form") << QByteArray("GET http://x/ HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\n") << 400;
        QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\n\r\n") << 505;
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: a\r\n\r\n") << 400;
        QTest::newRow("space before colon")
            << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << 400;
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
        QTest::newRow("NUL in a value") << QByteArray("GET / HTTP/1.1\r\nA: b") + '\0' + "c\r\n\r\n"
                                        << 400;
        QTest::newRow("length and chunked")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n")
            << 400;
        QTest::newRow("two lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\n"
                                                   "Content-Length: 4\r\n\r\n")
                                     << 400;
        QTest::newRow("signed length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n") << 400;
        QTest::newRow("gzip coding")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501;
        QTest::newRow("bad chunk size")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
        QTest::newRow("chunk overrun")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n")
            << 400;
        QTest::newRow("other expectation")
            << QByteArray("POST / HTTP/1.1\r\nExpect: magic\r\nContent-Length: 1\r\n\r\n") << 417;
    }
    void refusals()
    {
        QFETCH(QByteArray, wire);
        QFETCH(int, status);
        HttpParser p(limits());
        feedAll(p, wire);
        QCOMPARE(p.state(), HttpParser::State::Failed);
        QCOMPARE(p.failure().status, status);
        QVERIFY(!p.failure().detail.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
