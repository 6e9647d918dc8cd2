// The Prometheus registry and its text exposition (format 0.0.4): escaping, cumulative
// histogram buckets, counters under concurrent increments, gauge snapshots.
#include "agent/metrics/agentmetrics.h"
#include "agent/metrics/labelledcells.h"
#include "agent/metrics/registry.h"
#include "agent/metrics/tenantdirectory.h"

#include <QRegularExpression>
#include <QTest>

#include <limits>
#include <thread>
#include <vector>

using namespace ferry::agent::metrics;

namespace {

QList<QByteArray> samples(const QByteArray &text)
{
    QList<QByteArray> out;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.isEmpty() && !line.startsWith('#'))
            out.append(line);
    }
    return out;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labelValuesAndHelpAreEscaped()
    {
        Registry r;
        auto &c = r.counter("test_requests_total", "Requests\nwith a \\ backslash", {"path"});
        c.inc({"a\"b\\c\nd"}, 3);
        const QByteArray text = r.render();
        QVERIFY2(text.contains("# HELP test_requests_total Requests\\nwith a \\\\ backslash\n"),
                 text.constData());
        QVERIFY2(text.contains("# TYPE test_requests_total counter\n"), text.constData());
        QCOMPARE(samples(text),
                 QList<QByteArray>{"test_requests_total{path=\"a\\\"b\\\\c\\nd\"} 3"});
    }

    void histogramBucketsAreCumulativeWithInfSumAndCount()
    {
        Registry r;
        auto &h = r.histogram("test_latency_seconds", "Latency.", {"channel"}, {0.1, 0.5, 1});
        for (double v : {0.05, 0.1, 0.3, 0.7, 100.0})
            h.observe({"webhook"}, v);
        const QList<QByteArray> expected = {
            R"(test_latency_seconds_bucket{channel="webhook",le="0.1"} 2)",
            R"(test_latency_seconds_bucket{channel="webhook",le="0.5"} 3)",
            R"(test_latency_seconds_bucket{channel="webhook",le="1"} 4)",
            R"(test_latency_seconds_bucket{channel="webhook",le="+Inf"} 5)",
            R"(test_latency_seconds_sum{channel="webhook"} 101.15)",
            R"(test_latency_seconds_count{channel="webhook"} 5)",
        };
        const QByteArray text = r.render();
        QVERIFY2(text.contains("# TYPE test_latency_seconds histogram\n"), text.constData());
        QCOMPARE(samples(text), expected);
        const auto s = h.snapshot({"webhook"});
        QCOMPARE(s.cumulative, (QList<quint64>{2, 3, 4, 5}));
        QCOMPARE(s.count, quint64(5));
    }

    void histogramWithoutLabelsHasOnlyLe()
    {
        Registry r;
        auto &h = r.histogram("test_size_bytes", "Sizes.", {}, {10});
        h.observe({}, 3);
        QCOMPARE(samples(r.render()),
                 (QList<QByteArray>{R"(test_size_bytes_bucket{le="10"} 1)",
                                    R"(test_size_bytes_bucket{le="+Inf"} 1)",
                                    "test_size_bytes_sum 3", "test_size_bytes_count 1"}));
    }

    void countersAddUpUnderConcurrentIncrements()
    {
        Registry r;
        auto &c = r.counter("test_events_total", "Events.", {"tenant", "transport"});
        constexpr int kThreads = 4;
        constexpr int kPerThread = 50000;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&c, t] {
                const QByteArray tenant = t % 2 ? "even" : "odd";
                for (int i = 0; i < kPerThread; ++i)
                    c.inc({tenant, "http"});
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(c.value({"odd", "http"}), quint64(kThreads / 2 * kPerThread));
        QCOMPARE(c.value({"even", "http"}), quint64(kThreads / 2 * kPerThread));
        QCOMPARE(samples(r.render()),
                 (QList<QByteArray>{R"(test_events_total{tenant="even",transport="http"} 100000)",
                                    R"(test_events_total{tenant="odd",transport="http"} 100000)"}));
    }

    void mapperMergesSamplesThatMapToTheSameLabels()
    {
        Registry r;
        auto &c = r.counter("test_mapped_total", "Mapped.", {"tenant"});
        TenantDirectory directory;
        directory.update({{7, QStringLiteral("shop")}}, {{QByteArray(32, 'x'), 7}});
        c.setMapper([&directory](const LabelValues &v) {
            return LabelValues{directory.resolve(v[0]).value_or(TenantDirectory::kUnknown)};
        });
        c.inc({TenantDirectory::keyForTenantId(7)}, 2);
        c.inc({TenantDirectory::keyForTokenHash(QByteArray(32, 'x'))}, 3);
        c.inc({TenantDirectory::keyForTokenHash(QByteArray(32, 'y'))}, 1);
        c.inc({QByteArray()}, 1);
        QCOMPARE(samples(r.render()),
                 (QList<QByteArray>{R"(test_mapped_total{tenant="_unknown"} 2)",
                                    R"(test_mapped_total{tenant="shop"} 5)"}));
    }

    void gaugeReplaceDropsVanishedLabelSets()
    {
        Registry r;
        auto &g = r.gauge("test_queue", "Queue.", {"tenant"});
        g.replace({{{"a"}, 1}, {{"b"}, 2.5}});
        QCOMPARE(samples(r.render()), (QList<QByteArray>{R"(test_queue{tenant="a"} 1)",
                                                         R"(test_queue{tenant="b"} 2.5)"}));
        g.replace({{{"b"}, 0}});
        QCOMPARE(samples(r.render()), QList<QByteArray>{R"(test_queue{tenant="b"} 0)"});
        QVERIFY(!g.value({"a"}));
        QCOMPARE(g.value({"b"}), 0.0);
    }

    void labelValuesAreCopiedNotReferenced()
    {
        Registry r;
        auto &c = r.counter("test_views_total", "Views.", {"tenant"});
        char buffer[] = "shop";
        c.inc({QByteArray::fromRawData(buffer, 4)});
        buffer[0] = 'x'; // the caller's buffer changes or goes away
        c.inc({QByteArray::fromRawData(buffer, 4)});
        QCOMPARE(samples(r.render()), (QList<QByteArray>{R"(test_views_total{tenant="shop"} 1)",
                                                         R"(test_views_total{tenant="xhop"} 1)"}));
    }

    void labelSetsPastTheCapShareTheOverflowCell()
    {
        LabelledCells<std::atomic<int>> cells(
            2, [] { return std::make_unique<std::atomic<int>>(0); }, 3);
        for (const char *tenant : {"a", "b", "c", "d", "e"})
            ++cells.at({tenant, "http"});
        ++cells.at({"a", "http"});
        QCOMPARE(cells.find({"a", "http"})->load(), 2);
        QCOMPARE(cells.find({"c", "http"})->load(), 1);
        QVERIFY(!cells.find({"d", "http"}));
        QVERIFY(!cells.find({"e", "http"}));
        QCOMPARE(cells.find({"_overflow", "_overflow"})->load(), 2); // d and e
        int total = 0;
        cells.forEach([&](const LabelValues &, const std::atomic<int> &c) { total += c.load(); });
        QCOMPARE(total, 6);
    }

    void madeUpTokensCannotFillTheRejectionLabels()
    {
        // Requests refused before authentication, each with a token of its own (as from a
        // client that makes them up): the known tenant keeps its label, the rest share a few.
        AgentMetrics m;
        const QByteArray known = TenantDirectory::keyForAuthorization("Bearer fpt_known");
        m.tenants().update({{7, QStringLiteral("shop")}},
                           {{known.mid(1), 7}}); // keys are 't' + the token's SHA-256
        for (int i = 0; i < 5000; ++i) {
            const QByteArray key =
                TenantDirectory::keyForAuthorization("Bearer fpt_guess" + QByteArray::number(i));
            m.countIngestRejection("http", key, 415, QStringLiteral("unsupported-media-type"));
            m.countIngestRejection("zmq", key, 400, QStringLiteral("invalid-event"));
        }
        m.countIngestRejection("http", known, 415, QStringLiteral("unsupported-media-type"));
        QVERIFY2(m.eventsRejected.labelSets().size() <= 2 * (AgentMetrics::kMaxUnresolvedKeys + 2),
                 QByteArray::number(m.eventsRejected.labelSets().size()).constData());
        const QByteArray text = m.registry().render();
        QVERIFY(text.contains("ferry_events_rejected_total{tenant=\"shop\",transport=\"http\","
                              "reason=\"unsupported-media-type\"} 1\n"));
        QVERIFY(text.contains("ferry_events_rejected_total{tenant=\"_unknown\",transport=\"http\","
                              "reason=\"unsupported-media-type\"} 5000\n"));
        QVERIFY(!text.contains("_overflow"));
    }

    void everySampleLineIsWellFormed()
    {
        Registry r;
        r.counter("test_a_total", "A.", {"x"}).inc({"1"});
        r.gauge("test_b", "B.").set({}, -0.25);
        r.gauge("test_c", "C.").set({}, std::numeric_limits<double>::infinity());
        r.histogram("test_d_seconds", "D.", {"y"}, {0.005, 2.5}).observe({"z"}, 1);
        static const QRegularExpression sample(
            QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*"
                           "(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\.)*\",?)*\\})? "
                           "(-?[0-9.e+-]+|\\+Inf|-Inf|NaN)$"));
        const QByteArray text = r.render();
        for (const QByteArray &line : samples(text))
            QVERIFY2(sample.match(QString::fromUtf8(line)).hasMatch(), line.constData());
        QVERIFY2(text.contains("test_b -0.25\n"), text.constData());
        QVERIFY2(text.contains("test_c +Inf\n"), text.constData());
        QVERIFY2(text.contains(R"(test_d_seconds_bucket{y="z",le="0.005"} 0)"), text.constData());
        QVERIFY(text.endsWith('\n'));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
