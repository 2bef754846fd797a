// Record raw frames from the sandbox over a real socket, then replay them through the decoder and
// book offline: the result must equal the sandbox's own book at the final version.

#include "replay.hpp"
#include "frame_file.hpp"
#include "net/http_client.hpp"
#include "net/ws_connection.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/oracle_levels.hpp"
#include "support/run.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

namespace asio = boost::asio;
using mexc::testing::run;

namespace {

struct Recording {
    std::string snapshot;
    std::vector<std::string> binary_frames;
};

asio::awaitable<Recording> record(mexc::sandbox::Sandbox& sandbox, std::string path, int frames) {
    auto ex = co_await asio::this_coro::executor;
    auto ws_url = mexc::net::parse_url(sandbox.ws_url()).value();
    auto conn = (co_await mexc::net::WsConnection::connect(ex, ws_url, nullptr, {})).value();
    conn->send_text(
        R"({"method":"SUBSCRIPTION","params":["spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT"],"id":1})");
    mexc::cli::FrameWriter writer(path);
    Recording out;
    mexc::net::HttpClient http(ex, mexc::net::parse_url(sandbox.rest_url()).value(), nullptr, {});
    while (static_cast<int>(out.binary_frames.size()) < frames) {
        auto m = (co_await conn->read()).value();
        writer.write(1, m.binary, m.data);
        if (!m.binary) continue;
        out.binary_frames.emplace_back(m.data);
        if (out.snapshot.empty()) {  // SPEC §10.1: snapshot after the first buffered increment
            mexc::net::HttpRequest req;
            req.target = "/api/v3/depth?symbol=BTCUSDT&limit=5000";
            out.snapshot = (co_await http.request(std::move(req))).value().body;
        }
    }
    co_await conn->close();
    co_return out;
}

void require_equals_oracle(mexc::sandbox::Sandbox& sandbox, const mexc::cli::ReplayResult& r) {
    REQUIRE(r.book->is_live());
    auto truth = sandbox.market().find("BTCUSDT")->snapshot_at(r.book->version(), 100000);
    REQUIRE(truth);
    std::vector<mexc::LevelUnits> bids(r.book->bid_depth()), asks(r.book->ask_depth());
    r.book->bids(bids);
    r.book->asks(asks);
    CHECK(bids == client_levels(truth->bids));
    CHECK(asks == client_levels(truth->asks));
}

}  // namespace

TEST_CASE("replay of recorded frames rebuilds the sandbox book exactly, in both file formats",
          "[integration][replay]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    const std::string path = "/tmp/mexc-replay-test.rec";
    const auto recording = run(ioc, record(sandbox, path, 150));
    sandbox.pause_market(true);

    auto frames = mexc::cli::read_frames(path);
    REQUIRE(frames);
    CHECK(frames->size() >= 151);  // the subscription ack (text) and the pushes
    auto result = mexc::cli::replay(recording.snapshot, *frames);
    REQUIRE(result);
    CHECK(result->depth_frames == 150);
    CHECK(result->gaps == 0);
    CHECK(result->rejected == 0);
    CHECK(result->applied >= 1);
    require_equals_oracle(sandbox, *result);

    // The raw format: u32 little-endian length, then one binary message.
    {
        std::ofstream raw(path + ".raw", std::ios::binary);
        for (const auto& f : recording.binary_frames) {
            const auto n = static_cast<std::uint32_t>(f.size());
            const char len[4] = {char(n & 0xff), char((n >> 8) & 0xff), char((n >> 16) & 0xff),
                                 char(n >> 24)};
            raw.write(len, 4);
            raw.write(f.data(), static_cast<std::streamsize>(f.size()));
        }
    }
    auto raw_frames = mexc::cli::read_frames(path + ".raw");
    REQUIRE(raw_frames);
    CHECK(raw_frames->size() == recording.binary_frames.size());
    auto raw_result = mexc::cli::replay(recording.snapshot, *raw_frames);
    REQUIRE(raw_result);
    CHECK(raw_result->book->version() == result->book->version());
    require_equals_oracle(sandbox, *raw_result);

    // A file cut inside a record is reported, not half-read.
    {
        std::ofstream cut(path + ".cut", std::ios::binary);
        cut << "MEXCREC1" << std::string(10, '\0');
    }
    auto cut = mexc::cli::read_frames(path + ".cut");
    REQUIRE_FALSE(cut);
    CHECK(cut.error().code() == mexc::Errc::truncated);
    for (auto suffix : {"", ".raw", ".cut"}) std::remove((path + suffix).c_str());
    sandbox.stop();
}
