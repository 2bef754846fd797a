// Stream path: the same aggregated depth frames (bench/book_stream.hpp: a 5000-level BTCUSDT-like
// book, contiguous versions) are pushed over loopback WebSocket to
//   (a) a bare Beast client that only reads them, and
//   (b) the full client path: MexcExchange::subscribe_book, then next_book_update() in a loop
//       (read, decode, apply to the book, notify the program),
// in alternating rounds of the same run, each round sending the next slice of the stream to both.
// The pusher runs on its own thread and writes the pre-framed WebSocket messages (server frames
// are unmasked) straight to the socket in 64 KiB batches, so it is not what limits either side.
// A round's rate is frames / (first frame written → last frame read, or notified at its version).
// A paced phase then sends one frame at a time and measures push-to-notified latency: from just
// before the frame is written to the socket to the moment the program holds the book at that
// frame's version (for (a): the frame read). It contains the loopback and the read, so it bounds
// receive-to-notified from above. The book must end equal to the generator's own book.
//
//   mexc_stream_path [frames_per_round=50000] [rounds=3] [paced_frames=20000] [pace_us=100]

#include "alloc_counter.hpp"
#include "book_stream.hpp"

#include <mexc/exchange.hpp>
#include <mexc/wire/push.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

constexpr std::string_view topic = "spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT";

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

// The stream, each frame also as a complete unmasked binary WebSocket message (RFC 6455 §5.2).
struct Frames {
    mexc::bench::BookStream stream;
    std::string wire;
    std::vector<std::size_t> offset;  // frame i is wire[offset[i], offset[i + 1])
    std::vector<std::int64_t> to_version;

    explicit Frames(std::size_t count) {
        mexc::bench::BookStreamOptions o;
        o.frames = count;
        stream = mexc::bench::make_book_stream(o);
        for (std::string_view f : stream.frames) {
            offset.push_back(wire.size());
            wire += '\x82';  // FIN, binary
            if (f.size() < 126) {
                wire += static_cast<char>(f.size());
            } else {
                wire += static_cast<char>(126);
                wire += static_cast<char>(f.size() >> 8);
                wire += static_cast<char>(f.size() & 0xff);
            }
            wire.append(f);
            auto push = mexc::wire::decode_push(f);
            auto depth = mexc::wire::decode_aggre_depth(push->body);
            to_version.push_back(depth->to_version);
        }
        offset.push_back(wire.size());
    }
    std::size_t size() const { return to_version.size(); }
    std::size_t index_of(std::int64_t version) const {
        return static_cast<std::size_t>(
            std::lower_bound(to_version.begin(), to_version.end(), version) - to_version.begin());
    }
};

std::string exchange_info_json() {
    return R"({"timezone":"CST","serverTime":1790281247251,"rateLimits":[],"exchangeFilters":[],)"
           R"("symbols":[{"symbol":"BTCUSDT","status":"1","baseAsset":"BTC","baseAssetPrecision":8,)"
           R"("quoteAsset":"USDT","quotePrecision":2,"quoteAssetPrecision":2,)"
           R"("baseCommissionPrecision":8,"quoteCommissionPrecision":8,"orderTypes":["LIMIT","MARKET"],)"
           R"("isSpotTradingAllowed":true,"isMarginTradingAllowed":false,"quoteAmountPrecision":"1",)"
           R"("baseSizePrecision":"0","permissions":["SPOT"],"filters":[],"maxQuoteAmount":"2000000",)"
           R"("makerCommission":"0","takerCommission":"0.0005","quoteAmountPrecisionMarket":"1",)"
           R"("maxQuoteAmountMarket":"100000","fullName":"Bitcoin","tradeSideType":1}]})";
}

// Loopback venue: exchangeInfo and the depth snapshot over HTTP, the frames over WebSocket.
class Pusher {
public:
    explicit Pusher(const Frames& frames)
        : frames_(frames),
          snapshot_(mexc::bench::depth_snapshot_json(frames.stream.snapshot, frames.stream.scales)),
          sent_(frames.size()),
          acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        asio::co_spawn(ioc_, accept(), [](std::exception_ptr) {});
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~Pusher() {
        ioc_.stop();
        thread_.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    int acked() const { return acked_.load(); }
    bool snapshot_served() const { return snapshot_served_.load(); }
    std::int64_t sent_ns(std::size_t i) const { return sent_[i].load(std::memory_order_acquire); }

    /// Sends frames [begin, end) on the `id`-th acknowledged connection (0-based); `pace` 0: as
    /// fast as the socket takes them, in batches.
    void push(int id, std::size_t begin, std::size_t end, std::chrono::microseconds pace) {
        asio::post(ioc_, [=, this] {
            auto it = conns_.find(id);
            if (it == conns_.end()) std::abort();
            asio::co_spawn(ioc_, send(it->second, begin, end, pace), [](std::exception_ptr) {});
        });
    }

private:
    using Ws = websocket::stream<tcp::socket>;

    asio::awaitable<void> accept() {
        for (;;) {
            auto [ec, s] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            s.set_option(tcp::no_delay(true));
            asio::co_spawn(ioc_, session(std::move(s)), [](std::exception_ptr) {});
        }
    }

    asio::awaitable<void> session(tcp::socket s) {
        beast::flat_buffer buf;
        for (;;) {
            http::request<http::string_body> req;
            auto [ec, n] =
                co_await http::async_read(s, buf, req, asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            if (websocket::is_upgrade(req)) {
                co_await websocket_session(std::make_shared<Ws>(std::move(s)), std::move(req));
                co_return;
            }
            http::response<http::string_body> res{http::status::ok, req.version()};
            const std::string_view target = req.target();
            if (target.starts_with("/api/v3/exchangeInfo")) {
                res.body() = exchange_info_json();
            } else if (target.starts_with("/api/v3/depth")) {
                res.body() = snapshot_;
                snapshot_served_ = true;
            } else {
                res.result(http::status::not_found);
                res.body() = R"({"code":-1,"msg":"not served here"})";
            }
            res.set(http::field::content_type, "application/json");
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            auto [wec, w] = co_await http::async_write(s, res, asio::as_tuple(asio::use_awaitable));
            if (wec || !req.keep_alive()) co_return;
        }
    }

    // Acknowledges the one SUBSCRIPTION (SPEC §7.3), then discards what the client sends (its
    // PINGs) while send() writes frames to the socket underneath.
    asio::awaitable<void> websocket_session(std::shared_ptr<Ws> ws,
                                            http::request<http::string_body> req) {
        auto [ec] = co_await ws->async_accept(req, asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        beast::flat_buffer in;
        auto [rec, n] = co_await ws->async_read(in, asio::as_tuple(asio::use_awaitable));
        if (rec) co_return;
        const std::string text = beast::buffers_to_string(in.data());
        std::string id = "0";
        if (auto at = text.find("\"id\":"); at != std::string::npos)
            id = text.substr(at + 5, text.find_first_not_of("0123456789", at + 5) - at - 5);
        ws->text(true);
        const std::string ack =
            R"({"id":)" + id + R"(,"code":0,"msg":")" + std::string(topic) + "\"}";
        auto [wec, w] =
            co_await ws->async_write(asio::buffer(ack), asio::as_tuple(asio::use_awaitable));
        if (wec) co_return;
        const int mine = acked_;
        conns_[mine] = ws;
        ++acked_;
        for (;;) {
            in.clear();
            auto [e, m] = co_await ws->async_read(in, asio::as_tuple(asio::use_awaitable));
            if (e) break;
        }
        conns_.erase(mine);
    }

    asio::awaitable<void> send(std::shared_ptr<Ws> ws, std::size_t begin, std::size_t end,
                               std::chrono::microseconds pace) {
        auto& socket = beast::get_lowest_layer(*ws);
        const auto& off = frames_.offset;
        asio::steady_timer timer(ioc_);
        auto next = Clock::now();
        for (std::size_t i = begin; i < end;) {
            std::size_t j = i + 1;
            if (pace.count() == 0)
                while (j < end && off[j + 1] - off[i] <= 65536) ++j;
            const auto t = now_ns();
            for (std::size_t k = i; k < j; ++k) sent_[k].store(t, std::memory_order_release);
            auto [ec, n] = co_await asio::async_write(
                socket, asio::buffer(frames_.wire.data() + off[i], off[j] - off[i]),
                asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            i = j;
            if (pace.count() != 0) {
                next += pace;
                timer.expires_at(next);
                co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
            }
        }
    }

    const Frames& frames_;
    const std::string snapshot_;
    std::vector<std::atomic<std::int64_t>> sent_;
    asio::io_context ioc_{1};
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::map<int, std::shared_ptr<Ws>> conns_;  // the pusher thread's
    std::atomic<int> acked_{0};
    std::atomic<bool> snapshot_served_{false};
};

struct Round {
    double frames_per_second = 0;
    std::vector<double> latency_us;  // paced rounds only
    std::uint64_t notifications = 0;
    std::uint64_t allocations = 0;  // on the client thread, during the round
};

asio::awaitable<void> wait_until(auto condition) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!condition()) {
        timer.expires_after(std::chrono::milliseconds(1));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

// (a): connect, subscribe, read the frames and nothing else.
asio::awaitable<Round> bare_round(Pusher& pusher, std::size_t begin, std::size_t end,
                                  std::chrono::microseconds pace) {
    auto ex = co_await asio::this_coro::executor;
    websocket::stream<tcp::socket> ws(ex);
    co_await beast::get_lowest_layer(ws).async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), pusher.port()), asio::use_awaitable);
    beast::get_lowest_layer(ws).set_option(tcp::no_delay(true));
    ws.read_message_max(4u << 20);
    co_await ws.async_handshake("127.0.0.1:" + std::to_string(pusher.port()), "/ws",
                                asio::use_awaitable);
    const int id = pusher.acked();
    ws.text(true);
    const std::string sub =
        R"({"method":"SUBSCRIPTION","params":[")" + std::string(topic) + R"("],"id":1})";
    co_await ws.async_write(asio::buffer(sub), asio::use_awaitable);
    beast::flat_buffer buf;
    co_await ws.async_read(buf, asio::use_awaitable);  // the acknowledgement
    buf.clear();
    co_await wait_until([&] { return pusher.acked() > id; });

    Round r;
    if (pace.count() != 0) r.latency_us.reserve(end - begin);
    pusher.push(id, begin, end, pace);
    std::size_t got = 0;
    while (got < end - begin) {
        co_await ws.async_read(buf, asio::use_awaitable);
        if (ws.got_binary()) {
            if (pace.count() != 0)
                r.latency_us.push_back((now_ns() - pusher.sent_ns(begin + got)) / 1e3);
            ++got;
        }
        buf.clear();
    }
    r.frames_per_second = (end - begin) / ((now_ns() - pusher.sent_ns(begin)) / 1e9);
    r.notifications = got;
    // The close handshake's outcome does not matter to the figures.
    (void)co_await ws.async_close(websocket::close_code::normal,
                                  asio::as_tuple(asio::use_awaitable));
    co_return r;
}

// (b): the frames through the exchange to the program, which holds the book at each version.
asio::awaitable<Round> client_round(mexc::MexcExchange& ex, Pusher& pusher, const Frames& frames,
                                    std::size_t begin, std::size_t end,
                                    std::chrono::microseconds pace) {
    Round r;
    if (pace.count() != 0) r.latency_us.reserve(end - begin);
    const auto last = frames.to_version[end - 1];
    const auto allocs = mexc::testing::thread_allocations();
    pusher.push(0, begin, end, pace);
    for (;;) {
        auto view = co_await ex.next_book_update();
        if (!view) {
            std::fprintf(stderr, "next_book_update: %s\n", view.error().describe().c_str());
            std::exit(1);
        }
        const auto now = now_ns();
        const auto version = view->version();
        ++r.notifications;
        // (A notification of the book before this round, e.g. its going Live, is not timed.)
        if (pace.count() != 0 && version >= frames.to_version[begin])
            r.latency_us.push_back((now - pusher.sent_ns(frames.index_of(version))) / 1e3);
        if (version == last) break;
    }
    r.allocations = mexc::testing::thread_allocations() - allocs;
    r.frames_per_second = (end - begin) / ((now_ns() - pusher.sent_ns(begin)) / 1e9);
    co_return r;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

asio::awaitable<int> run(std::size_t per_round, int rounds, std::size_t paced,
                         std::chrono::microseconds pace) {
    const std::size_t total = 1 + per_round * (rounds + 1) + paced;  // primer, warm-up, rounds
    std::fprintf(stderr, "generating %zu frames...\n", total);
    const Frames frames(total);
    Pusher pusher(frames);

    auto executor = co_await asio::this_coro::executor;
    mexc::Config config;
    config.rest_url = "http://127.0.0.1:" + std::to_string(pusher.port());
    config.ws_url = "ws://127.0.0.1:" + std::to_string(pusher.port()) + "/ws";
    config.depth_interval = "10ms";
    config.stale_after = std::chrono::minutes(10);  // pauses between rounds are not staleness
    mexc::MexcExchange ex(executor, std::move(config));

    // The first frame bridges the snapshot: sent once the book has both.
    auto primer = [&]() -> asio::awaitable<void> {
        co_await wait_until([&] { return pusher.acked() > 0 && pusher.snapshot_served(); });
        pusher.push(0, 0, 1, {});
    };
    auto book = co_await (ex.subscribe_book("BTCUSDT") && primer());
    if (!book) {
        std::fprintf(stderr, "subscribe_book: %s\n", book.error().describe().c_str());
        co_return 1;
    }

    std::vector<double> bare_rates, client_rates;
    std::uint64_t client_allocs = 0, client_frames = 0, notifications = 0;
    std::size_t at = 1;
    for (int i = 0; i <= rounds; ++i, at += per_round) {
        auto a = co_await bare_round(pusher, at, at + per_round, {});
        auto b = co_await client_round(ex, pusher, frames, at, at + per_round, {});
        std::fprintf(stderr, "round %d%s: (a) %.0f frames/s, (b) %.0f frames/s, %.1f %%\n", i,
                     i == 0 ? " (warm-up)" : "", a.frames_per_second, b.frames_per_second,
                     100 * b.frames_per_second / a.frames_per_second);
        if (i == 0) continue;
        bare_rates.push_back(a.frames_per_second);
        client_rates.push_back(b.frames_per_second);
        client_allocs += b.allocations;
        client_frames += per_round;
        notifications += b.notifications;
    }
    auto a = co_await bare_round(pusher, at, at + paced, pace);
    auto b = co_await client_round(ex, pusher, frames, at, at + paced, pace);

    // The book must be the generator's, level for level.
    std::vector<mexc::LevelUnits> bids(frames.stream.final_bids.size() + 1),
        asks(frames.stream.final_asks.size() + 1);
    bids.resize(book->bids(bids));
    asks.resize(book->asks(asks));
    const auto m = ex.metrics();
    const bool exact = book->is_live() && bids == frames.stream.final_bids &&
                       asks == frames.stream.final_asks && m.gaps == 0 && m.decode_errors == 0;
    co_await ex.close();

    const double ra = median(bare_rates), rb = median(client_rates);
    std::printf(
        "{\"frames_per_round\":%zu,\"rounds\":%d,\"frame_bytes\":%.0f,\"bare_frames_per_s\":%.0f,"
        "\"client_frames_per_s\":%.0f,\"ratio\":%.3f,\"client_notifications_per_frame\":%.3f,"
        "\"client_allocs_per_frame\":%.3f,\"paced_frames\":%zu,\"pace_us\":%lld,"
        "\"bare_latency_us\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f},"
        "\"client_latency_us\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f},"
        "\"client_paced_notifications\":%llu,\"book_exact\":%s}\n",
        per_round, rounds,
        static_cast<double>(frames.stream.stats.bytes) / static_cast<double>(frames.size()), ra, rb,
        rb / ra, static_cast<double>(notifications) / static_cast<double>(client_frames),
        static_cast<double>(client_allocs) / static_cast<double>(client_frames), paced,
        static_cast<long long>(pace.count()), percentile(a.latency_us, 0.5),
        percentile(a.latency_us, 0.99), percentile(a.latency_us, 0.999),
        percentile(b.latency_us, 0.5), percentile(b.latency_us, 0.99),
        percentile(b.latency_us, 0.999), static_cast<unsigned long long>(b.notifications),
        exact ? "true" : "false");
    co_return exact ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t per_round = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 50000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    const std::size_t paced = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 20000;
    const auto pace = std::chrono::microseconds(argc > 4 ? std::atoll(argv[4]) : 100);
    if (per_round == 0 || rounds < 1 || paced == 0 || pace.count() <= 0) {
        std::fprintf(stderr,
                     "usage: mexc_stream_path [frames_per_round] [rounds] [paced_frames] "
                     "[pace_us]\n");
        return 2;
    }
    asio::io_context ioc{1};
    int rc = 1;
    asio::co_spawn(ioc, run(per_round, rounds, paced, pace), [&](std::exception_ptr e, int code) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::fprintf(stderr, "mexc_stream_path: %s\n", x.what());
            }
        }
        rc = e ? 1 : code;
    });
    ioc.run();
    return rc;
}
