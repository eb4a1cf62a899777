// The downloader against real HTTP servers on 127.0.0.1 (tests/servers/channel_server.py):
// parallel transfers, checksums, fail-over across mirrors on every kind of fault the server
// injects, resume, conditional requests, proxies, TLS and redaction. No timing is asserted;
// the only short timeout is the read timeout of the stall test.

#include "channels/downloader.hpp"

#include <cstdlib>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::channels {
namespace {

using testing::bytes_of;
using testing::leftovers;
using testing::refused_port;
using testing::ScratchDir;
using testing::sha256_of;
using testing::slurp;
using testing::TestServer;
using testing::write_file;
namespace fs = std::filesystem;

class RecordingSink : public ProgressSink {
  public:
    void update(const ProgressSnapshot& s) override {
        const std::lock_guard lock(mutex_);
        if (s.final) {
            final_ = s;
        }
        ++updates_;
    }
    void message(MessageLevel level, std::string_view text) override {
        const std::lock_guard lock(mutex_);
        (level == MessageLevel::warning ? warnings_ : infos_).emplace_back(text);
    }
    std::string all_text() const {
        std::string out;
        for (const auto& m : warnings_) {
            out += m + "\n";
        }
        for (const auto& m : infos_) {
            out += m + "\n";
        }
        return out;
    }
    std::optional<ProgressSnapshot> final_;
    std::vector<std::string> warnings_, infos_;
    int updates_ = 0;

  private:
    std::mutex mutex_;
};

config::RemoteSettings fast_settings() {
    config::RemoteSettings s;
    s.backoff_factor = 0;  // retries at once: the tests are about outcomes, not waits
    s.max_retries = 2;
    s.connect_timeout_secs = 30;
    s.read_timeout_secs = 60;
    return s;
}

class DownloaderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        served_ = dir_.path() / "served";
        out_ = dir_.path() / "out";
        fs::create_directories(out_);
    }

    // A file under the served folder; returns its content.
    std::string serve(const std::string& name, std::size_t size, unsigned seed) {
        auto data = bytes_of(size, seed);
        write_file(served_ / name, data);
        return data;
    }

    DownloadTarget target(const std::string& name, const std::string& data,
                          std::vector<std::string> urls) const {
        DownloadTarget t;
        t.urls = std::move(urls);
        t.destination = out_ / name;
        t.size = data.size();
        t.sha256 = sha256_of(data);
        return t;
    }

    // Fetches one target; the outcome.
    DownloadOutcome fetch_one(Downloader& d, const DownloadTarget& t) {
        DownloadOutcome out;
        d.fetch_each(std::span(&t, 1), [&](std::size_t, const DownloadOutcome& o) { out = o; });
        return out;
    }

    ScratchDir dir_;
    fs::path served_;
    fs::path out_;
};

TEST_F(DownloaderTest, ParallelTransfersAreVerifiedAndLandUnderTheirNames) {
    TestServer server(served_, dir_.path(), "s", {"--require-user-agent"});
    std::vector<DownloadTarget> targets;
    std::vector<std::string> contents;
    for (unsigned i = 0; i < 12; ++i) {
        const std::string name = "pkg-" + std::to_string(i) + ".conda";
        contents.push_back(serve(name, 1000 + i * 37000, i));
        targets.push_back(target(name, contents.back(), {server.url("/" + name)}));
    }
    auto settings = fast_settings();
    settings.download_threads = 4;
    Downloader downloader(settings);
    RecordingSink sink;
    downloader.set_progress(&sink);
    std::vector<int> seen(targets.size(), 0);
    const auto caller = std::this_thread::get_id();
    downloader.fetch(targets, [&](std::size_t i, const DownloadResult& r) {
        EXPECT_TRUE(std::this_thread::get_id() == caller);  // on the calling thread
        ++seen[i];
        EXPECT_EQ(r.url, targets[i].urls[0]);
        EXPECT_EQ(r.bytes, contents[i].size());
        EXPECT_EQ(r.http_status, 200);
        EXPECT_TRUE(r.failed.empty());
        EXPECT_EQ(slurp(targets[i].destination), contents[i]);  // already in place
    });
    for (std::size_t i = 0; i < targets.size(); ++i) {
        EXPECT_EQ(seen[i], 1) << i;
    }
    EXPECT_TRUE(leftovers(out_).empty());
    for (const auto& r : server.requests()) {
        EXPECT_EQ(r["status"], 200);  // a 403 would mean no User-Agent
        EXPECT_TRUE(r["User-Agent"].get<std::string>().starts_with("cenv/"));
    }
    ASSERT_TRUE(sink.final_.has_value());
    EXPECT_EQ(sink.final_->finished, targets.size());
    std::uint64_t total = 0;
    for (const auto& c : contents) {
        total += c.size();
    }
    EXPECT_EQ(sink.final_->done_bytes, total);
    EXPECT_TRUE(sink.final_->total_known);
    EXPECT_EQ(sink.final_->total_bytes, total);
}

TEST_F(DownloaderTest, FailsOverAcrossThreeMirrorsAndAvoidsTheFailedOnesAfterwards) {
    const auto a = serve("a.conda", 20000, 1);
    const auto b = serve("b.conda", 30000, 2);
    TestServer m2(served_, dir_.path(), "m2");
    TestServer m3(served_, dir_.path(), "m3");
    m2.set_faults(R"([{"path": "*", "action": "status:503"}])");
    const std::string m1 = "http://127.0.0.1:" + std::to_string(refused_port());
    Downloader downloader(fast_settings());
    RecordingSink sink;
    downloader.set_progress(&sink);

    const auto first =
        fetch_one(downloader,
                  target("a.conda", a, {m1 + "/a.conda", m2.url("/a.conda"), m3.url("/a.conda")}));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first.result->url, m3.url("/a.conda"));
    EXPECT_EQ(first.result->url_index, 2U);
    ASSERT_EQ(first.result->failed.size(), 2U);
    EXPECT_EQ(first.result->failed[0].kind, FailureKind::connection);
    EXPECT_EQ(first.result->failed[1].kind, FailureKind::server);
    EXPECT_EQ(first.result->failed[1].http_status, 503);
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
    // One warning per failing host.
    EXPECT_EQ(sink.warnings_.size(), 2U) << sink.all_text();

    // The next file goes to m3 first: m1 and m2 failed in this run.
    const auto m2_before = m2.requests().size();
    const auto second =
        fetch_one(downloader,
                  target("b.conda", b, {m1 + "/b.conda", m2.url("/b.conda"), m3.url("/b.conda")}));
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second.result->url, m3.url("/b.conda"));
    EXPECT_TRUE(second.result->failed.empty());
    EXPECT_EQ(m2.requests().size(), m2_before);
}

TEST_F(DownloaderTest, NotFoundOnOneMirrorMovesOnWithoutBlamingIt) {
    const auto a = serve("a.conda", 5000, 3);
    const auto b = serve("b.conda", 5000, 4);
    TestServer m1(served_, dir_.path(), "m1");
    TestServer m2(served_, dir_.path(), "m2");
    m1.set_faults(R"([{"path": "/a.conda", "action": "status:404"}])");
    Downloader downloader(fast_settings());
    const auto first =
        fetch_one(downloader, target("a.conda", a, {m1.url("/a.conda"), m2.url("/a.conda")}));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first.result->url, m2.url("/a.conda"));
    ASSERT_EQ(first.result->failed.size(), 1U);
    EXPECT_EQ(first.result->failed[0].kind, FailureKind::not_found);
    // m1 is still first in line for the next file.
    const auto second =
        fetch_one(downloader, target("b.conda", b, {m1.url("/b.conda"), m2.url("/b.conda")}));
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second.result->url, m1.url("/b.conda"));
}

TEST_F(DownloaderTest, WrongBytesFailOverAndLeaveNoPartialFile) {
    const auto a = serve("a.conda", 64000, 5);
    TestServer stale(served_, dir_.path(), "stale");
    TestServer good(served_, dir_.path(), "good");
    stale.set_faults(R"([{"path": "*", "action": "corrupt"}])");
    Downloader downloader(fast_settings());
    const auto out =
        fetch_one(downloader, target("a.conda", a, {stale.url("/a.conda"), good.url("/a.conda")}));
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result->url, good.url("/a.conda"));
    ASSERT_EQ(out.result->failed.size(), 1U);
    EXPECT_EQ(out.result->failed[0].kind, FailureKind::checksum);
    EXPECT_NE(out.result->failed[0].reason.find("sha256"), std::string::npos);
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
    EXPECT_TRUE(leftovers(out_).empty());
    // Wrong bytes are not resumed from: the good mirror was asked for the whole file.
    for (const auto& r : good.requests()) {
        EXPECT_FALSE(r.contains("Range")) << r.dump();
    }
}

TEST_F(DownloaderTest, WrongBytesEverywhereIsAClearErrorAndNoFile) {
    const auto a = serve("a.conda", 10000, 6);
    TestServer m1(served_, dir_.path(), "m1");
    TestServer m2(served_, dir_.path(), "m2");
    m1.set_faults(R"([{"path": "*", "action": "corrupt"}])");
    m2.set_faults(R"([{"path": "*", "action": "corrupt"}])");
    Downloader downloader(fast_settings());
    const auto t = target("a.conda", a, {m1.url("/a.conda"), m2.url("/a.conda")});
    try {
        downloader.fetch(std::span(&t, 1), [](std::size_t, const DownloadResult&) {
            ADD_FAILURE() << "no file should be reported done";
        });
        FAIL() << "expected a DownloadError";
    } catch (const DownloadError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("a.conda"), std::string::npos) << what;
        EXPECT_NE(what.find(m1.url("/a.conda")), std::string::npos) << what;
        EXPECT_NE(what.find(m2.url("/a.conda")), std::string::npos) << what;
        EXPECT_NE(e.hint().find("stale mirror"), std::string::npos) << e.hint();
        EXPECT_EQ(e.failures().size(), 2U);
    }
    EXPECT_FALSE(fs::exists(out_ / "a.conda"));
    EXPECT_TRUE(leftovers(out_).empty());
}

TEST_F(DownloaderTest, TruncatedBodyResumesOnTheNextMirrorWithRange) {
    const auto a = serve("a.conda", 100000, 7);
    TestServer m1(served_, dir_.path(), "m1");
    TestServer m2(served_, dir_.path(), "m2");
    m1.set_faults(R"([{"path": "*", "action": "truncate:40000"}])");
    Downloader downloader(fast_settings());
    const auto out =
        fetch_one(downloader, target("a.conda", a, {m1.url("/a.conda"), m2.url("/a.conda")}));
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(out.result->resumed);
    EXPECT_EQ(out.result->http_status, 206);
    EXPECT_EQ(out.result->failed.at(0).kind, FailureKind::truncated);
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
    const auto requests = m2.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0]["Range"], "bytes=40000-");
}

TEST_F(DownloaderTest, TruncatedBodyOnTheOnlySourceIsRetriedAndResumed) {
    const auto a = serve("a.conda", 80000, 8);
    TestServer server(served_, dir_.path(), "s");
    server.set_faults(R"([{"path": "*", "action": "truncate:30000", "times": 1}])");
    Downloader downloader(fast_settings());
    const auto out = fetch_one(downloader, target("a.conda", a, {server.url("/a.conda")}));
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(out.result->resumed);
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_EQ(requests[1]["Range"], "bytes=30000-");
}

TEST_F(DownloaderTest, AServerThatIgnoresRangeStartsTheFileOver) {
    const auto a = serve("a.conda", 50000, 9);
    TestServer m1(served_, dir_.path(), "m1");
    TestServer m2(served_, dir_.path(), "m2");
    m1.set_faults(R"([{"path": "*", "action": "truncate:20000"}])");
    m2.set_faults(R"([{"path": "*", "action": "ignore_range"}])");
    Downloader downloader(fast_settings());
    const auto out =
        fetch_one(downloader, target("a.conda", a, {m1.url("/a.conda"), m2.url("/a.conda")}));
    ASSERT_TRUE(out.ok());
    EXPECT_FALSE(out.result->resumed);
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
}

TEST_F(DownloaderTest, AStallPastTheReadTimeoutFailsOver) {
    const auto a = serve("a.conda", 200000, 10);
    TestServer stalled(served_, dir_.path(), "stalled");
    TestServer good(served_, dir_.path(), "good");
    stalled.set_faults(R"([{"path": "*", "action": "stall:120"}])");
    auto settings = fast_settings();
    settings.read_timeout_secs = 1;  // the stall is what is tested
    Downloader downloader(settings);
    const auto out = fetch_one(
        downloader, target("a.conda", a, {stalled.url("/a.conda"), good.url("/a.conda")}));
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result->url, good.url("/a.conda"));
    ASSERT_FALSE(out.result->failed.empty());
    EXPECT_EQ(out.result->failed[0].kind, FailureKind::timeout);
    EXPECT_NE(out.result->failed[0].reason.find("no data"), std::string::npos)
        << out.result->failed[0].reason;
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
}

TEST_F(DownloaderTest, ASlowTrickleStillArrivesWhole) {
    const auto a = serve("a.conda", 12000, 11);
    TestServer server(served_, dir_.path(), "s");
    server.set_faults(R"([{"path": "*", "action": "trickle:400:0.02"}])");
    Downloader downloader(fast_settings());
    const auto out = fetch_one(downloader, target("a.conda", a, {server.url("/a.conda")}));
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(out.result->failed.empty());
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
}

TEST_F(DownloaderTest, AClosedConnectionFailsOver) {
    const auto a = serve("a.conda", 5000, 12);
    TestServer m1(served_, dir_.path(), "m1");
    TestServer m2(served_, dir_.path(), "m2");
    m1.set_faults(R"([{"path": "*", "action": "close"}])");
    Downloader downloader(fast_settings());
    const auto out =
        fetch_one(downloader, target("a.conda", a, {m1.url("/a.conda"), m2.url("/a.conda")}));
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result->url, m2.url("/a.conda"));
    EXPECT_EQ(out.result->failed.at(0).kind, FailureKind::connection);
}

TEST_F(DownloaderTest, A500OnTheOnlySourceIsRetriedUntilItAnswers) {
    const auto a = serve("a.conda", 5000, 13);
    TestServer server(served_, dir_.path(), "s");
    server.set_faults(R"([{"path": "*", "action": "status:500", "times": 2}])");
    Downloader downloader(fast_settings());  // two retries
    const auto out = fetch_one(downloader, target("a.conda", a, {server.url("/a.conda")}));
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result->failed.size(), 2U);
    EXPECT_EQ(server.requests().size(), 3U);
}

TEST_F(DownloaderTest, AHostThatKeepsFailingIsGivenUpForTheRun) {
    const std::string dead = "http://127.0.0.1:" + std::to_string(refused_port());
    auto settings = fast_settings();
    settings.max_retries = 1;
    Downloader downloader(settings);
    DownloadTarget t1;
    t1.urls = {dead + "/a"};
    t1.destination = out_ / "a";
    const auto first = fetch_one(downloader, t1);
    ASSERT_FALSE(first.ok());
    EXPECT_EQ(first.failures.size(), 2U);  // the try and one retry
    DownloadTarget t2 = t1;
    t2.urls = {dead + "/b"};
    t2.destination = out_ / "b";
    const auto second = fetch_one(downloader, t2);
    ASSERT_FALSE(second.ok());
    ASSERT_EQ(second.failures.size(), 1U);
    EXPECT_EQ(second.failures[0].kind, FailureKind::skipped);
    EXPECT_NE(second.failures[0].reason.find("failed earlier"), std::string::npos);
}

TEST_F(DownloaderTest, OtherTargetsFinishWhenOneFails) {
    const auto a = serve("a.conda", 5000, 14);
    TestServer server(served_, dir_.path(), "s");
    Downloader downloader(fast_settings());
    std::vector<DownloadTarget> targets{target("a.conda", a, {server.url("/a.conda")}),
                                        target("missing.conda", a, {server.url("/missing.conda")})};
    std::vector<std::size_t> done;
    EXPECT_THROW(
        downloader.fetch(targets, [&](std::size_t i, const DownloadResult&) { done.push_back(i); }),
        DownloadError);
    EXPECT_EQ(done, std::vector<std::size_t>{0});
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
}

TEST_F(DownloaderTest, AnExceptionFromTheCallerStopsTheRestCleanly) {
    TestServer server(served_, dir_.path(), "s");
    server.set_faults(R"([{"path": "/slow-*", "action": "trickle:1000:0.05"}])");
    std::vector<DownloadTarget> targets;
    targets.push_back(
        target("fast.conda", serve("fast.conda", 1000, 15), {server.url("/fast.conda")}));
    for (int i = 0; i < 3; ++i) {
        const std::string name = "slow-" + std::to_string(i) + ".conda";
        targets.push_back(target(name, serve(name, 400000, 16 + i), {server.url("/" + name)}));
    }
    auto settings = fast_settings();
    settings.download_threads = 4;
    Downloader downloader(settings);
    EXPECT_THROW(downloader.fetch(targets,
                                  [](std::size_t, const DownloadResult&) {
                                      throw std::runtime_error("extraction failed");
                                  }),
                 std::runtime_error);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(fs::exists(out_ / ("slow-" + std::to_string(i) + ".conda")));
    }
    EXPECT_TRUE(leftovers(out_).empty());
}

TEST_F(DownloaderTest, ConditionalRequestAnswers304AndLeavesTheFileAlone) {
    const auto a = serve("repodata.json", 3000, 17);
    TestServer server(served_, dir_.path(), "s");
    Downloader downloader(fast_settings());
    DownloadTarget t;
    t.urls = {server.url("/repodata.json")};
    t.destination = out_ / "repodata.json";
    const auto first = fetch_one(downloader, t);
    ASSERT_TRUE(first.ok());
    ASSERT_FALSE(first.result->etag.empty());
    ASSERT_FALSE(first.result->last_modified.empty());
    write_file(t.destination, "kept");
    t.revalidate = Revalidation{t.urls[0], first.result->etag, first.result->last_modified};
    const auto second = fetch_one(downloader, t);
    ASSERT_TRUE(second.ok());
    EXPECT_TRUE(second.result->not_modified);
    EXPECT_EQ(second.result->http_status, 304);
    EXPECT_EQ(slurp(t.destination), "kept");
    EXPECT_EQ(server.requests().back()["If-None-Match"], first.result->etag);
    EXPECT_TRUE(leftovers(out_).empty());
}

TEST_F(DownloaderTest, ZstdUrlsAreDecompressedAndBadOnesFallBackToTheNextUrl) {
    const std::string json = R"({"info": {"subdir": "noarch"}, "packages": {}})";
    write_file(served_ / "good/repodata.json.zst", testing::zstd_compress(json));
    write_file(served_ / "bad/repodata.json.zst", testing::zstd_compress(json).substr(0, 10));
    write_file(served_ / "bad/repodata.json", json);
    TestServer server(served_, dir_.path(), "s");
    Downloader downloader(fast_settings());
    DownloadTarget t;
    t.urls = {server.url("/good/repodata.json.zst")};
    t.destination = out_ / "good.json";
    ASSERT_TRUE(fetch_one(downloader, t).ok());
    EXPECT_EQ(slurp(t.destination), json);

    t.urls = {server.url("/bad/repodata.json.zst"), server.url("/bad/repodata.json")};
    t.destination = out_ / "bad.json";
    const auto out = fetch_one(downloader, t);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result->url_index, 1U);
    EXPECT_EQ(out.result->failed.at(0).kind, FailureKind::corrupt);
    EXPECT_EQ(slurp(t.destination), json);
}

TEST_F(DownloaderTest, ValidateRefusesBytesBeforeTheyLand) {
    write_file(served_ / "m1/repodata.json", R"({"packages": {"a": )");
    write_file(served_ / "m2/repodata.json", R"({"packages": {}})");
    TestServer server(served_, dir_.path(), "s");
    Downloader downloader(fast_settings());
    DownloadTarget t;
    t.urls = {server.url("/m1/repodata.json"), server.url("/m2/repodata.json")};
    t.destination = out_ / "repodata.json";
    t.validate = [](const fs::path& file) {
        const std::string text = slurp(file);
        return text.ends_with("}") ? std::string{} : std::string("does not end with '}'");
    };
    const auto out = fetch_one(downloader, t);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result->url_index, 1U);
    EXPECT_EQ(out.result->failed.at(0).reason, "does not end with '}'");
    EXPECT_EQ(slurp(t.destination), R"({"packages": {}})");
}

TEST_F(DownloaderTest, TokensAndPasswordsNeverAppearInResultsMessagesOrErrors) {
    const auto a = serve("t/SECRET-TOKEN/chan/a.conda", 2000, 18);
    TestServer server(served_, dir_.path(), "s");
    const std::string dead = "http://alice:hunter2@127.0.0.1:" + std::to_string(refused_port());
    Downloader downloader(fast_settings());
    RecordingSink sink;
    downloader.set_progress(&sink);
    const auto ok = fetch_one(downloader, target("a.conda", a,
                                                 {dead + "/t/SECRET-TOKEN/chan/a.conda",
                                                  server.url("/t/SECRET-TOKEN/chan/a.conda")}));
    ASSERT_TRUE(ok.ok());
    std::string seen = ok.result->url;
    for (const auto& f : ok.result->failed) {
        seen += f.url + f.reason;
    }
    try {
        const auto t = target("b.conda", a, {dead + "/t/SECRET-TOKEN/chan/b.conda"});
        downloader.fetch(std::span(&t, 1), [](std::size_t, const DownloadResult&) {});
        ADD_FAILURE() << "expected a DownloadError";
    } catch (const DownloadError& e) {
        seen += std::string(e.what()) + e.hint();
        for (const auto& f : e.failures()) {
            seen += f.url + f.reason;
        }
    }
    seen += sink.all_text();
    EXPECT_EQ(seen.find("SECRET-TOKEN"), std::string::npos) << seen;
    EXPECT_EQ(seen.find("hunter2"), std::string::npos) << seen;
    EXPECT_NE(seen.find("/t/<TOKEN>/"), std::string::npos) << seen;
}

TEST_F(DownloaderTest, ProxyServersSendRequestsThroughTheProxy) {
    const auto a = serve("chan/a.conda", 3000, 19);
    TestServer proxy(served_, dir_.path(), "proxy");
    auto settings = fast_settings();
    settings.proxy_servers["http"] = proxy.url();
    Downloader downloader(settings);
    // A host that does not exist: only the proxy can answer.
    const auto out =
        fetch_one(downloader, target("a.conda", a, {"http://cenv-test.invalid/chan/a.conda"}));
    ASSERT_TRUE(out.ok()) << out.failures.at(0).reason;
    EXPECT_EQ(slurp(out_ / "a.conda"), a);
    const auto requests = proxy.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0]["proxied"], true);
    EXPECT_EQ(requests[0]["Host"], "cenv-test.invalid");
}

class TlsTest : public DownloaderTest {
  protected:
    void SetUp() override {
        DownloaderTest::SetUp();
        cert_ = dir_.path() / "cert.pem";
        key_ = dir_.path() / "key.pem";
        const std::string command =
            "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
            "-addext subjectAltName=IP:127.0.0.1 -keyout " +
            key_.string() + " -out " + cert_.string() + " >/dev/null 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << "openssl could not make a certificate";
        data_ = serve("a.conda", 4000, 20);
    }
    fs::path cert_, key_;
    std::string data_;
};

TEST_F(TlsTest, AnUntrustedCertificateNamesTheHostAndTheCaBundle) {
    TestServer server(served_, dir_.path(), "tls", {"--tls", cert_.string(), key_.string()});
    const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/a.conda";
    {
        // The system's CA store does not trust a self-signed certificate.
        Downloader downloader(fast_settings());
        const auto out = fetch_one(downloader, target("a.conda", data_, {url}));
        ASSERT_FALSE(out.ok());
        EXPECT_EQ(out.failures.at(0).kind, FailureKind::tls);
        EXPECT_NE(out.failures[0].reason.find("127.0.0.1"), std::string::npos)
            << out.failures[0].reason;
        EXPECT_NE(out.failures[0].reason.find("CA"), std::string::npos) << out.failures[0].reason;
        const auto error = make_download_error("a.conda", out.failures);
        EXPECT_NE(error.hint().find("ssl_verify"), std::string::npos);
    }
    {
        auto trusted = fast_settings();
        trusted.ssl_verify.ca_bundle = cert_.string();
        Downloader downloader(trusted);
        const auto out = fetch_one(downloader, target("a.conda", data_, {url}));
        ASSERT_TRUE(out.ok()) << out.failures.at(0).reason;
        EXPECT_EQ(slurp(out_ / "a.conda"), data_);
    }
    {
        auto off = fast_settings();
        off.ssl_verify.enabled = false;
        Downloader downloader(off);
        RecordingSink sink;
        downloader.set_progress(&sink);
        fs::remove(out_ / "a.conda");
        const auto out = fetch_one(downloader, target("a.conda", data_, {url}));
        ASSERT_TRUE(out.ok());
        ASSERT_EQ(sink.warnings_.size(), 1U);
        EXPECT_NE(sink.warnings_[0].find("ssl_verify: false"), std::string::npos);
    }
}

TEST_F(DownloaderTest, AFolderThatCannotBeWrittenFailsAtOnceWithoutTryingOtherSources) {
    const auto a = serve("a.conda", 1000, 21);
    TestServer m1(served_, dir_.path(), "m1");
    write_file(dir_.path() / "not-a-folder", "x");
    Downloader downloader(fast_settings());
    DownloadTarget t = target("a.conda", a, {m1.url("/a.conda"), m1.url("/a.conda")});
    t.destination = dir_.path() / "not-a-folder" / "a.conda";
    const auto out = fetch_one(downloader, t);
    ASSERT_FALSE(out.ok());
    ASSERT_EQ(out.failures.size(), 1U);
    EXPECT_EQ(out.failures[0].kind, FailureKind::local);
    EXPECT_TRUE(m1.requests().empty());
}

TEST_F(DownloaderTest, ProbeMeasuresASmallPrefixAndReportsFailures) {
    serve("noarch/repodata.json", 600000, 22);
    TestServer server(served_, dir_.path(), "s");
    Downloader downloader(fast_settings());
    const auto ok = downloader.probe({"local", server.url("/noarch/repodata.json"), 65536}, 30);
    ASSERT_TRUE(ok.ok) << ok.error;
    EXPECT_EQ(ok.bytes, 65536U);
    EXPECT_GT(ok.total_secs, 0);
    EXPECT_EQ(server.requests().at(0)["Range"], "bytes=0-65535");
    const auto missing = downloader.probe({"local", server.url("/nope"), 1024}, 30);
    EXPECT_FALSE(missing.ok);
    EXPECT_NE(missing.error.find("404"), std::string::npos);
    const auto refused = downloader.probe(
        {"dead", "http://127.0.0.1:" + std::to_string(refused_port()) + "/x", 1024}, 30);
    EXPECT_FALSE(refused.ok);
    EXPECT_FALSE(refused.error.empty());
}

}  // namespace
}  // namespace cenv::channels
