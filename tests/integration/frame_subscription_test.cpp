// Raw frame subscriptions on the facade (MexcExchange::subscribe_frames) over real sockets against
// the embedded sandbox: frames arrive as the venue sent them, a full queue is reported with a count
// where frames were lost (C13, I7), a topic a book also uses feeds both, and a subscription that
// goes unsubscribes its topics (C09, P04).

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"

#include "mexc/exchange.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/rest/private_rest.hpp"
#include "mexc/topic.hpp"
#include "mexc/wire/push.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::config_for;
using mexc::testing::run;
using mexc::testing::run_until;

namespace {

constexpr std::int64_t unit = 100000000;

const mexc::Topic depth_topic =
    mexc::topic::aggre_depth("BTCUSDT", mexc::topic::Speed::ms10).value();
const mexc::Topic deals_topic =
    mexc::topic::aggre_deals("BTCUSDT", mexc::topic::Speed::ms10).value();

mexc::sandbox::SandboxOptions scripted() {
    mexc::sandbox::SandboxOptions o;
    o.scripted = true;
    mexc::sandbox::AccountSpec seller;
    seller.id = 2;
    seller.deposits = {{"BTC", 1 * unit}};
    o.accounts.push_back(seller);
    mexc::sandbox::ApiKey key;
    key.key = "sandboxSellerKey0001";
    key.secret = "sandboxSellerSecret00000000001";
    key.account = 2;
    o.keys.push_back(key);
    return o;
}

mexc::OrderRequest btc(mexc::Side side, std::string price, std::string qty) {
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = side;
    o.price = mexc::Price::parse(price, 2).value();
    o.quantity = mexc::Quantity::parse(qty, 6).value();
    return o;
}

/// A received frame, copied out of the subscription's buffer.
struct Copied {
    std::string topic;
    std::string bytes;
    std::chrono::system_clock::time_point received;
};

Copied next_frame(asio::io_context& ioc, mexc::FrameSubscription& sub) {
    auto frame = run(ioc, sub.next(), 5s);
    REQUIRE(frame);
    REQUIRE(frame->topic != nullptr);
    return {frame->topic->name(), std::string(frame->bytes), frame->received};
}

std::vector<std::pair<std::string, std::string>> levels(const mexc::wire::DepthLevels& side) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& l : side) out.emplace_back(l.price, l.quantity);
    return out;
}

}  // namespace

TEST_CASE("frame subscription: deals and depth frames arrive as the scripted venue sent them",
          "[integration][frames]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), scripted());
    REQUIRE(sandbox.start());
    mexc::rest::PrivateRest buyer(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    mexc::rest::PrivateRest seller(ioc.get_executor(),
                                   mexc::sandbox::client_config(sandbox, "sandboxSellerKey0001",
                                                                "sandboxSellerSecret00000000001"));
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));

    auto sub = run(ioc, exchange.subscribe_frames({deals_topic, depth_topic, depth_topic}));
    REQUIRE(sub);
    REQUIRE(sub->topics().size() == 2);  // sorted, the duplicate ignored
    CHECK(sub->topics()[0] == deals_topic);
    CHECK(sub->topics()[1] == depth_topic);
    // Subscribed at the venue before anything happens, so no push can precede it.
    run_until(ioc, [&] { return sandbox.stats().ws_client_messages >= 1; });
    const auto version = sandbox.market().find("BTCUSDT")->version();

    const auto before = std::chrono::system_clock::now();
    REQUIRE(run(ioc, seller.new_order(btc(mexc::Side::sell, "80000.00", "0.500000"))));
    const auto placed = next_frame(ioc, *sub);
    CHECK(placed.topic == depth_topic.name());
    CHECK(placed.received >= before);
    CHECK(placed.received <= std::chrono::system_clock::now());
    {
        auto frame = mexc::wire::decode_push(placed.bytes);
        REQUIRE(frame);
        CHECK(frame->channel == depth_topic.name());
        CHECK(frame->symbol == "BTCUSDT");
        REQUIRE(frame->kind == mexc::wire::BodyKind::public_aggre_depths);
        auto depth = mexc::wire::decode_aggre_depth(frame->body);
        REQUIRE(depth);
        CHECK(depth->from_version == version + 1);
        CHECK(depth->to_version == version + 1);
        CHECK(levels(depth->asks) ==
              std::vector<std::pair<std::string, std::string>>{{"80000.00", "0.500000"}});
        CHECK(depth->bids.empty());
    }

    REQUIRE(run(ioc, buyer.new_order(btc(mexc::Side::buy, "80000.00", "0.200000"))));
    // One trade: a deals push and a depth push, in either order.
    std::optional<Copied> deals, depth;
    for (int i = 0; i < 2; ++i) {
        auto f = next_frame(ioc, *sub);
        (f.topic == deals_topic.name() ? deals : depth) = std::move(f);
    }
    REQUIRE(deals);
    REQUIRE(depth);
    {
        auto frame = mexc::wire::decode_push(deals->bytes);
        REQUIRE(frame);
        CHECK(frame->channel == deals_topic.name());
        REQUIRE(frame->kind == mexc::wire::BodyKind::public_aggre_deals);
        auto body = mexc::wire::decode_deals(frame->body);
        REQUIRE(body);
        std::vector<mexc::wire::Deal> got;
        for (const auto& d : body->deals) got.push_back(d);
        REQUIRE(got.size() == 1);
        CHECK(got[0].price == "80000.00");
        CHECK(got[0].quantity == "0.200000");
        CHECK(got[0].trade_type == 1);  // the taker bought
    }
    {
        auto frame = mexc::wire::decode_push(depth->bytes);
        REQUIRE(frame);
        auto body = mexc::wire::decode_aggre_depth(frame->body);
        REQUIRE(body);
        CHECK(body->from_version == version + 2);
        CHECK(levels(body->asks) ==
              std::vector<std::pair<std::string, std::string>>{{"80000.00", "0.300000"}});
    }
    CHECK(sub->dropped() == 0);
    CHECK(exchange.metrics().decode_errors == 0);
    run(ioc, exchange.close());
    auto after = run(ioc, sub->next());
    REQUIRE_FALSE(after);
    CHECK(after.error().condition() == mexc::Condition::closed);
    sandbox.stop();
}

TEST_CASE("frame subscription: a full queue is reported with a count where frames were lost",
          "[integration][frames][C13][I7]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());  // the synthetic market: depth every 10 ms
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    mexc::FrameQueueOptions options;
    options.capacity = 4;
    auto sub = run(ioc, exchange.subscribe_frames({depth_topic}, options));
    REQUIRE(sub);

    // The reader stalls while the venue goes on.
    run_until(ioc, [&] { return sub->dropped() >= 20; });
    CHECK(sub->queued() == 4);  // the cap holds
    // The queued frames come first: contiguous versions, as the venue sent them.
    std::int64_t last_version = 0;
    for (int i = 0; i < 4; ++i) {
        auto f = next_frame(ioc, *sub);
        auto depth = mexc::wire::decode_aggre_depth(mexc::wire::decode_push(f.bytes)->body);
        REQUIRE(depth);
        if (last_version != 0) CHECK(depth->from_version == last_version + 1);
        last_version = depth->to_version;
    }
    // Then the loss, once, with its count readable; frames queued after it keep their place.
    const auto dropped = sub->dropped();
    auto loss = run(ioc, sub->next(), 5s);
    REQUIRE_FALSE(loss);
    CHECK(loss.error().condition() == mexc::Condition::bad_data);
    CHECK(loss.error().code() == mexc::make_error_code(mexc::Errc::frames_dropped));
    CHECK(dropped >= 20);
    // Delivery resumes, after the gap the count stands for.
    auto f = next_frame(ioc, *sub);
    auto depth = mexc::wire::decode_aggre_depth(mexc::wire::decode_push(f.bytes)->body);
    REQUIRE(depth);
    CHECK(depth->from_version > last_version + 1);
    // Every frame received was delivered, dropped or is still queued.
    const auto m = exchange.metrics();
    CHECK(m.frames == 4 + 1 + sub->dropped() + sub->queued());
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("frame subscription: shared with a book, and gone when destroyed",
          "[integration][frames][C09][P04]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto book = run(ioc, exchange.subscribe_book("BTCUSDT"));  // its topic: depth_topic
    REQUIRE(book);
    const auto eth = mexc::topic::aggre_depth("ETHUSDT", mexc::topic::Speed::ms10).value();
    std::optional<mexc::FrameSubscription> sub{
        run(ioc, exchange.subscribe_frames({depth_topic, eth})).value()};

    // Both topics feed the subscription; the book's topic feeds the book too.
    bool btc = false, ethusdt = false;
    while (!btc || !ethusdt) {
        const auto f = next_frame(ioc, *sub);
        (f.topic == eth.name() ? ethusdt : btc) = true;
    }
    const auto version = book->version();
    run_until(ioc, [&] { return book->version() > version; });
    CHECK(book->is_live());

    // Destroyed: ETHUSDT, used by nothing else, is unsubscribed; BTCUSDT stays for the book.
    sub.reset();
    // Pushes already on the way when it went are unrouted (P04); once the venue has the
    // unsubscription, none come, while the book's pushes go on.
    auto unrouted = exchange.metrics().unrouted_frames;
    int quiet = 0;
    for (int i = 0; i < 50 && quiet < 3; ++i) {
        const auto frames = exchange.metrics().frames;
        const auto v = book->version();
        run_until(ioc, [&] { return book->version() > v + 5; });
        CHECK(exchange.metrics().frames > frames);
        const auto now = exchange.metrics().unrouted_frames;
        quiet = now == unrouted ? quiet + 1 : 0;
        unrouted = now;
    }
    CHECK(quiet == 3);
    CHECK(book->is_live());
    CHECK(exchange.metrics().decode_errors == 0);

    SECTION("a subscription made after it was closed is refused") {
        run(ioc, exchange.close());
        auto late = run(ioc, exchange.subscribe_frames({eth}));
        REQUIRE_FALSE(late);
        CHECK(late.error().condition() == mexc::Condition::closed);
    }
    SECTION("no topic is a misuse") {
        auto none = run(ioc, exchange.subscribe_frames({}));
        REQUIRE_FALSE(none);
        CHECK(none.error().code() == mexc::make_error_code(mexc::Errc::invalid_argument));
        run(ioc, exchange.close());
    }
    sandbox.stop();
}

TEST_CASE("frame subscription: a connection left without topics is closed, not reconnected",
          "[integration][frames][T06]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.ws_subscribe_deadline = 200ms;  // a connection kept without topics would be closed
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    const auto eth = mexc::topic::aggre_depth("ETHUSDT", mexc::topic::Speed::ms10).value();
    {
        auto sub = run(ioc, exchange.subscribe_frames({eth}));
        REQUIRE(sub);
        next_frame(ioc, *sub);
        CHECK(exchange.metrics().connects == 1);
    }
    // Its only topic went: the library closes the connection itself.
    run_until(ioc, [&] { return exchange.metrics().disconnects == 1; });
    ioc.restart();
    ioc.run_for(1s);  // five of the venue's deadlines: no reconnect loop
    CHECK(exchange.metrics().connects == 1);
    CHECK(sandbox.stats().ws_closed_no_subscription == 0);
    CHECK(sandbox.stats().ws_connections == 1);

    // A new topic brings the connection back.
    auto again = run(ioc, exchange.subscribe_frames({eth}));
    REQUIRE(again);
    const auto f = next_frame(ioc, *again);
    CHECK(f.topic == eth.name());
    CHECK(exchange.metrics().connects == 2);
    run(ioc, exchange.close());
    sandbox.stop();
}
