#include "mexc/exchange.hpp"

#include "mexc/rest/public_rest.hpp"
#include "mexc/wire/push.hpp"
#include "net/tls.hpp"
#include "net/url.hpp"
#include "ws/public_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <random>
#include <unordered_map>
#include <unordered_set>

namespace mexc {
namespace asio = boost::asio;
constexpr auto tuple_token = asio::as_tuple(asio::deferred);
using Clock = std::chrono::steady_clock;

namespace {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

struct BookSlot {
    std::string symbol;
    std::string topic;
    OrderBook book;
    ws::PublicStream* stream = nullptr;
    Clock::time_point last_change = Clock::now();
    std::optional<Error> failure;  // subscription refused
    bool snapshot_in_flight = false;
    bool dirty = false;

    BookSlot(std::string s, std::string t, SymbolScales scales, BookOptions options)
        : symbol(std::move(s)), topic(std::move(t)), book(scales, options) {}
};

}  // namespace

struct MexcExchange::Impl final : std::enable_shared_from_this<MexcExchange::Impl>,
                                  ws::StreamHandler {
    asio::any_io_executor ex;
    Config config;
    std::shared_ptr<RateLimiter> limiter;  // one budget for every REST call of this exchange
    rest::PublicRest rest;
    rest::PrivateRest trading;
    struct CachedRules {
        SymbolRules rules;
        Clock::time_point fetched;
    };
    std::unordered_map<std::string, CachedRules, StringHash, std::equal_to<>> rules;
    // Symbols MEXC lets this key trade through the API: defaultSymbols ∩ selfSymbols (SPEC §3.1,
    // §3.2), refreshed as often as the rules.
    std::unordered_set<std::string, StringHash, std::equal_to<>> api_symbols;
    Clock::time_point api_symbols_fetched{};
    std::vector<AssetBalance> balances;
    Clock::time_point balances_fetched{};
    std::uint64_t client_id_prefix =
        (std::uint64_t{std::random_device{}()} << 32) | std::random_device{}();
    std::uint64_t client_id_counter = 0;

    /// "mx", six base-36 characters drawn once per session, then the order counter in seven: 15
    /// characters, inside std::string's inline storage. Sessions collide with odds of 1 in 2·10⁹.
    void next_client_id(std::string& out) {
        constexpr std::string_view digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        char id[15] = {'m', 'x'};
        auto put = [&](std::uint64_t v, int from, int count) {
            for (int i = from + count - 1; i >= from; --i, v /= 36) id[i] = digits[v % 36];
        };
        put(client_id_prefix, 2, 6);
        put(++client_id_counter, 8, 7);
        out.assign(id, sizeof id);
    }

    /// The symbol's rules, fetched when missing or older than rules_ttl. The pointer stays valid
    /// until the next suspension of the caller (a refresh may replace the entry).
    asio::awaitable<Result<const SymbolRules*>> cached_rules(std::string symbol) {
        auto keep = shared_from_this();
        if (auto it = rules.find(symbol);
            it != rules.end() && Clock::now() - it->second.fetched < config.rules_ttl)
            co_return &it->second.rules;
        std::vector<std::string> wanted(1, symbol);  // (a braced list here trips g++ 12 coroutines)
        auto info = co_await rest.exchange_info(std::move(wanted));
        if (!info) co_return info.error();
        for (const auto& s : info->symbols) {
            if (s.symbol != symbol) continue;
            auto r = SymbolRules::from(s, {config.refuse_when_spot_trading_not_allowed});
            if (!r) co_return r.error();
            auto [it, inserted] =
                rules.insert_or_assign(symbol, CachedRules{std::move(*r), Clock::now()});
            co_return &it->second.rules;
        }
        co_return Error(Condition::rejected, Errc::unknown_symbol);
    }
    std::shared_ptr<asio::ssl::context> tls;
    net::Url ws_url;
    std::vector<std::shared_ptr<ws::PublicStream>> streams;
    std::deque<BookSlot> slots;  // stable addresses for BookView
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> by_symbol;
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> by_topic;
    std::vector<asio::steady_timer*> waiters;
    asio::steady_timer watchdog;
    std::size_t dirty_count = 0;
    std::size_t dirty_cursor = 0;
    std::size_t tasks = 0;
    asio::awaitable<Result<void>> api_tradable(std::string symbol) {
        auto keep = shared_from_this();
        if (api_symbols_fetched == Clock::time_point{} ||
            Clock::now() - api_symbols_fetched >= config.rules_ttl) {
            // A failed refresh keeps the last lists; with none at all the venue alone decides (it
            // answers 10007). selfSymbols needs SPOT_ACCOUNT_READ: a trade-only key goes without
            // it.
            auto listed = co_await rest.default_symbols();
            if (listed && !listed->empty()) {
                std::unordered_set<std::string, StringHash, std::equal_to<>> allowed(
                    listed->begin(), listed->end());
                if (config.credentials) {
                    auto mine = co_await trading.self_symbols();
                    if (mine && !mine->empty())
                        std::erase_if(allowed, [&](const std::string& s) {
                            return std::find(mine->begin(), mine->end(), s) == mine->end();
                        });
                }
                api_symbols = std::move(allowed);
                api_symbols_fetched = Clock::now();
            }
        }
        if (api_symbols_fetched != Clock::time_point{} && !api_symbols.contains(symbol))
            co_return Error(Condition::rejected, Errc::symbol_not_tradable)
                .with_venue_message("not tradable through the API (defaultSymbols/selfSymbols)");
        co_return Result<void>{};
    }

    bool closing = false;
    ExchangeMetrics stats;

    Impl(asio::any_io_executor executor, Config cfg)
        : ex(executor),
          config(std::move(cfg)),
          limiter(std::make_shared<RateLimiter>(config.rate_limits)),
          rest(executor, config, limiter),
          trading(executor, config, limiter),
          watchdog(executor) {
        if (auto ok = validate(config); !ok) throw Exception(ok.error());
        auto url = net::parse_url(config.ws_url);
        if (!url) throw Exception(url.error());
        ws_url = *url;
        auto ctx = net::make_client_tls_context(config.tls);
        if (!ctx) throw Exception(ctx.error());
        tls = *ctx;
    }

    // ---- owned tasks ---------------------------------------------------------------------

    void spawn(asio::awaitable<void> task) {
        ++tasks;
        asio::co_spawn(ex, std::move(task),
                       [self = shared_from_this()](std::exception_ptr) { --self->tasks; });
    }

    void notify(BookSlot* slot) {
        if (slot && !slot->dirty) {
            slot->dirty = true;
            ++dirty_count;
        }
        for (auto* w : waiters) w->cancel();
    }

    // Waits until notified or `deadline`; false when the exchange is closing.
    asio::awaitable<bool> wait_change(Clock::time_point deadline) {
        asio::steady_timer timer(ex, deadline);
        waiters.push_back(&timer);
        co_await timer.async_wait(tuple_token);
        waiters.erase(std::find(waiters.begin(), waiters.end(), &timer));
        co_return !closing;
    }

    void add_book(const std::string& symbol, SymbolScales scales) {
        auto topic =
            fmt::format("spot@public.aggre.depth.v3.api.pb@{}@{}", config.depth_interval, symbol);
        auto& slot = slots.emplace_back(symbol, topic, scales, config.book);
        by_symbol.emplace(symbol, slots.size() - 1);
        by_topic.emplace(topic, slots.size() - 1);
        auto& stream = stream_with_room();
        slot.stream = &stream;
        stream.subscribe(topic);
    }

    // ---- streams -------------------------------------------------------------------------

    ws::PublicStream& stream_with_room() {
        for (auto& s : streams)
            if (s->topic_count() < ws::PublicStream::max_topics) return *s;
        ws::StreamOptions options;
        options.ws.connect = config.timeouts.connect;
        options.ws.handshake = config.timeouts.ws_handshake;
        options.ws.idle = config.timeouts.ws_idle;
        options.ws.max_message = config.ws_max_message;
        options.ping_interval = config.ping_interval;
        options.reconnect_min = config.reconnect_min;
        options.reconnect_max = config.reconnect_max;
        options.close_bound = config.timeouts.close;
        streams.push_back(std::make_shared<ws::PublicStream>(ex, ws_url, tls, options, *this));
        streams.back()->start();
        return *streams.back();
    }

    void on_push(std::uint64_t, std::string_view bytes) override {
        ++stats.frames;
        auto frame = wire::decode_push(bytes);
        if (!frame) {
            ++stats.decode_errors;
            return;
        }
        auto it = by_topic.find(frame->channel);
        if (it == by_topic.end() || frame->kind != wire::BodyKind::public_aggre_depths) {
            ++stats.unrouted_frames;
            return;
        }
        BookSlot& slot = slots[it->second];
        auto depth = wire::decode_aggre_depth(frame->body);
        const BookState before = slot.book.state();
        BookUpdate r = BookUpdate::rejected;
        if (depth) {
            r = slot.book.apply(*depth);
        } else {
            ++stats.decode_errors;
            slot.book.mark_resyncing();  // the versions of a bad frame are lost (P05)
        }
        if (r != BookUpdate::ignored || slot.book.state() != before) {
            slot.last_change = Clock::now();
            notify(&slot);
        }
        if (slot.book.needs_snapshot() && !slot.snapshot_in_flight && slot.stream->connected())
            start_snapshot(slot);
    }

    void on_control(std::uint64_t, const wire::ControlFrame& frame) override {
        if (frame.kind != wire::ControlKind::rejected) return;
        // Only the listed topics failed (E16); their subscribers learn it.
        std::string_view topics = frame.topics;
        while (!topics.empty()) {
            const auto comma = topics.find(',');
            const auto topic = topics.substr(0, comma);
            if (auto it = by_topic.find(topic); it != by_topic.end()) {
                BookSlot& slot = slots[it->second];
                slot.failure = Error(Condition::rejected, Errc::subscription_rejected)
                                   .with_venue_message(frame.msg);
                notify(&slot);
            }
            topics =
                comma == std::string_view::npos ? std::string_view{} : topics.substr(comma + 1);
        }
    }

    void on_connected(std::uint64_t) override { ++stats.connects; }

    void on_disconnected(std::uint64_t, const Error&) override {
        ++stats.disconnects;
        // Whatever was buffered belongs to a dead generation: every book of every disconnected
        // stream is resynced from a fresh snapshot after the reconnect (FAULTS §1.3.2).
        for (auto& slot : slots) {
            if (!slot.stream->connected() && slot.book.state() != BookState::resyncing) {
                slot.book.mark_resyncing();
                notify(&slot);
            }
        }
    }

    // ---- snapshots -----------------------------------------------------------------------

    void start_snapshot(BookSlot& slot) {
        slot.snapshot_in_flight = true;
        spawn(fetch_snapshot(shared_from_this(), &slot));
    }

    static asio::awaitable<void> fetch_snapshot(std::shared_ptr<Impl> self, BookSlot* slot) {
        asio::steady_timer pause(self->ex);
        auto delay = std::chrono::milliseconds(50);
        while (!self->closing && slot->book.needs_snapshot() && slot->stream->connected()) {
            auto snapshot = co_await self->rest.depth(slot->symbol, self->config.snapshot_limit,
                                                      slot->book.scales());
            if (self->closing) break;
            if (snapshot && slot->stream->connected()) {
                ++self->stats.snapshots;
                const auto r = slot->book.apply_snapshot(*snapshot);
                slot->last_change = Clock::now();
                self->notify(slot);
                if (r == BookUpdate::applied || r == BookUpdate::ignored) break;
            } else if (!snapshot) {
                ++self->stats.snapshot_failures;
            }
            // The snapshot was older than the stream, or the request failed: try again later.
            pause.expires_after(delay);
            co_await pause.async_wait(tuple_token);
            delay = std::min(delay * 2, std::chrono::milliseconds(self->config.reconnect_max));
        }
        slot->snapshot_in_flight = false;
    }

    // ---- watchdog ------------------------------------------------------------------------

    static asio::awaitable<void> watch(std::shared_ptr<Impl> self) {
        const auto period = std::clamp(self->config.stale_after / 4, std::chrono::milliseconds(10),
                                       std::chrono::milliseconds(1000));
        while (!self->closing) {
            self->watchdog.expires_after(period);
            co_await self->watchdog.async_wait(tuple_token);
            if (self->closing) break;
            const auto now = Clock::now();
            for (auto& slot : self->slots) {
                if (slot.book.state() == BookState::live &&
                    now - slot.last_change > self->config.stale_after) {
                    slot.book.mark_stale();
                    self->notify(&slot);
                }
                // A quiet symbol sends no increment to trigger its snapshot: fetch anyway.
                if (slot.book.needs_snapshot() && !slot.snapshot_in_flight &&
                    slot.stream->connected() && now - slot.last_change > period)
                    self->start_snapshot(slot);
            }
        }
    }
};

MexcExchange::MexcExchange(asio::any_io_executor ex, Config config)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(config))) {
    impl_->spawn(Impl::watch(impl_));
}

MexcExchange::~MexcExchange() {
    impl_->closing = true;
    impl_->watchdog.cancel();
    for (auto& s : impl_->streams) s->abort();
    for (auto* w : impl_->waiters) w->cancel();
    impl_->rest.close();
    impl_->trading.close();
}

asio::awaitable<Result<BookView>> MexcExchange::subscribe_book(std::string symbol) {
    auto self = impl_;
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    const auto deadline = Clock::now() + self->config.timeouts.subscribe;
    if (!self->by_symbol.contains(symbol)) {
        auto symbol_rules = co_await rules(symbol);
        if (!symbol_rules) co_return symbol_rules.error();
        if (self->closing) co_return Error(Condition::closed, Errc::closed);
        if (!self->by_symbol.contains(symbol))
            self->add_book(symbol, symbol_rules->scales());  // unless raced
    }
    BookSlot& slot = self->slots[self->by_symbol.find(symbol)->second];
    for (;;) {
        if (slot.failure) co_return *slot.failure;
        if (slot.book.is_live()) co_return BookView(&slot.symbol, &slot.book);
        if (Clock::now() >= deadline) co_return Error(Condition::network, Errc::timeout);
        if (!co_await self->wait_change(deadline)) co_return Error(Condition::closed, Errc::closed);
    }
}

Result<BookView> MexcExchange::book(std::string_view symbol) const {
    auto it = impl_->by_symbol.find(symbol);
    if (it == impl_->by_symbol.end()) return Error(Condition::rejected, Errc::not_subscribed);
    const BookSlot& slot = impl_->slots[it->second];
    return BookView(&slot.symbol, &slot.book);
}

asio::awaitable<Result<BookView>> MexcExchange::next_book_update() {
    auto self = impl_;
    for (;;) {
        if (self->closing) co_return Error(Condition::closed, Errc::closed);
        if (self->dirty_count > 0) {
            // Round robin, so one busy book cannot starve the others.
            const std::size_t n = self->slots.size();
            for (std::size_t i = 0; i < n; ++i) {
                BookSlot& slot = self->slots[(self->dirty_cursor + i) % n];
                if (!slot.dirty) continue;
                slot.dirty = false;
                --self->dirty_count;
                self->dirty_cursor = (self->dirty_cursor + i + 1) % n;
                co_return BookView(&slot.symbol, &slot.book);
            }
        }
        if (!co_await self->wait_change(Clock::time_point::max()))
            co_return Error(Condition::closed, Errc::closed);
    }
}

asio::awaitable<void> MexcExchange::close() {
    auto self = impl_;
    if (self->closing) co_return;
    self->closing = true;
    self->watchdog.cancel();
    for (auto* w : self->waiters) w->cancel();
    for (auto& s : self->streams) co_await s->stop();
    self->rest.close();
    self->trading.close();
    // Owned tasks observe `closing` at their next step; wait for them, bounded.
    asio::steady_timer poll(self->ex);
    const auto deadline = Clock::now() + self->config.timeouts.close;
    while (self->tasks > 0 && Clock::now() < deadline) {
        poll.expires_after(std::chrono::milliseconds(5));
        co_await poll.async_wait(tuple_token);
    }
}

rest::PublicRest& MexcExchange::public_rest() noexcept {
    return impl_->rest;
}
rest::PrivateRest& MexcExchange::private_rest() noexcept {
    return impl_->trading;
}
RateLimiter& MexcExchange::rate_limiter() noexcept {
    return *impl_->limiter;
}

asio::awaitable<Result<SymbolRules>> MexcExchange::rules(std::string symbol) {
    auto found = co_await impl_->cached_rules(std::move(symbol));
    if (!found) co_return found.error();
    co_return **found;
}

asio::awaitable<Result<OrderAck>> MexcExchange::place_order(OrderRequest order) {
    auto self = impl_;
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    auto symbol_rules = co_await self->cached_rules(order.symbol);
    if (!symbol_rules) co_return symbol_rules.error();
    // Checked before sending: a violation is rejected locally and nothing reaches MEXC (NotSent).
    if (auto ok = (*symbol_rules)->check(order); !ok) co_return ok.error();
    auto tradable = co_await self->api_tradable(order.symbol);
    if (!tradable) co_return tradable.error();
    if (order.client_order_id.empty()) {
        // Every order gets an id we know before sending, so an unknown outcome can be reconciled.
        self->next_client_id(order.client_order_id);
    }
    self->balances_fetched = {};  // the order moves funds
    co_return co_await self->trading.new_order(std::move(order));
}

asio::awaitable<Result<OrderInfo>> MexcExchange::cancel_order(std::string symbol,
                                                              rest::OrderRef ref) {
    impl_->balances_fetched = {};
    co_return co_await impl_->trading.cancel_order(std::move(symbol), std::move(ref));
}

asio::awaitable<Result<std::vector<OrderInfo>>> MexcExchange::cancel_all(std::string symbol) {
    impl_->balances_fetched = {};
    co_return co_await impl_->trading.cancel_open_orders(std::move(symbol));
}

asio::awaitable<Result<OrderInfo>> MexcExchange::order(std::string symbol, rest::OrderRef ref) {
    co_return co_await impl_->trading.query_order(std::move(symbol), std::move(ref));
}

asio::awaitable<Result<std::vector<OrderInfo>>> MexcExchange::open_orders(std::string symbol) {
    co_return co_await impl_->trading.open_orders(std::move(symbol));
}

asio::awaitable<Result<std::vector<TradeInfo>>> MexcExchange::my_trades(std::string symbol,
                                                                        OrderId order_id) {
    co_return co_await impl_->trading.my_trades(std::move(symbol), order_id);
}

asio::awaitable<Result<std::vector<AssetBalance>>> MexcExchange::balances(bool fresh) {
    auto self = impl_;
    if (!fresh && self->balances_fetched != Clock::time_point{} &&
        Clock::now() - self->balances_fetched < self->config.balance_ttl)
        co_return self->balances;
    auto account = co_await self->trading.account();
    if (!account) co_return account.error();
    self->balances.clear();
    for (auto& b : account->balances)
        if (b.free.units() != 0 || b.locked.units() != 0) self->balances.push_back(std::move(b));
    self->balances_fetched = Clock::now();
    co_return self->balances;
}

ExchangeMetrics MexcExchange::metrics() const noexcept {
    ExchangeMetrics m = impl_->stats;
    m.gaps = 0;
    for (const auto& slot : impl_->slots)
        m.gaps += slot.book.stats().gaps + slot.book.stats().rejected + slot.book.stats().crossed;
    return m;
}

asio::any_io_executor MexcExchange::get_executor() const noexcept {
    return impl_->ex;
}

}  // namespace mexc
