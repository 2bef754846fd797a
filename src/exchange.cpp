#include "mexc/exchange.hpp"

#include "account/account_streams.hpp"
#include "account/journaled_commands.hpp"
#include "balance_cache.hpp"
#include "change_signal.hpp"
#include "client_order_ids.hpp"
#include "mexc/rest/public_rest.hpp"
#include "rest/private_calls.hpp"
#include "rest/transport.hpp"
#include "rules_cache.hpp"
#include "ws/market_streams.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <set>

namespace mexc {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// A Config that fails validate() is API misuse: refused before any component is built.
Config validated(Config config) {
    if (auto ok = validate(config); !ok) throw Exception(ok.error());
    return config;
}

// The clients report a bad configuration from every call; the facade refuses it before the
// streams are built on the transport's TLS context.
std::shared_ptr<rest::Transport> checked(std::shared_ptr<rest::Transport> transport) {
    if (const auto& bad = transport->setup_error()) throw Exception(*bad);
    return transport;
}

// Lossless for flows, latest-wins for state (mexc/market_stream.hpp).
FrameQueueOptions lossless(std::size_t capacity) {
    FrameQueueOptions options;
    options.capacity = capacity;
    return options;
}
FrameQueueOptions conflating() {
    FrameQueueOptions options;
    options.conflate = true;
    return options;
}

}  // namespace

// The facade's components; it composes them and forwards intent. Owned tasks (market data) hold
// this object, so it outlives them even when close() was never called.
struct MexcExchange::Impl final {
    asio::any_io_executor ex;
    Config config;
    std::shared_ptr<RateLimiter> limiter;  // one budget for every REST call of this exchange
    // One connection pool, TLS context and server clock for the public and private clients; the
    // WebSockets share the TLS context.
    std::shared_ptr<rest::Transport> transport;
    rest::PublicRest rest;
    rest::PrivateRest trading;
    RulesCache rules;                 // exchangeInfo rules, API-tradable symbols
    BalanceCache balances;            // account balances
    ClientOrderIds client_ids;        // ids for orders sent without one
    ws::MarketStreams market;         // streams, books, snapshots, watchdog, their tasks
    account::AccountStreams account;  // listen key, private stream, orders, fills, balances
    // The command journal and recovery (Config::journal_path), or none.
    std::unique_ptr<account::JournaledCommands> journal;
    // Symbols and scales of the typed streams, shared with them (they may outlive the exchange).
    std::shared_ptr<SymbolTable> symbols = std::make_shared<SymbolTable>();
    std::uint64_t order_cache_hits = 0;
    bool closing = false;

    Impl(asio::any_io_executor executor, Config cfg)
        : ex(executor),
          config(validated(std::move(cfg))),
          limiter(std::make_shared<RateLimiter>(config.rate_limits)),
          transport(checked(std::make_shared<rest::Transport>(executor, config, limiter))),
          rest(transport),
          trading(transport),
          rules(executor, config, rest, trading),
          balances(config.balance_ttl, trading),
          market(executor, config, rest, transport->tls_context()),
          account(executor, config, trading, balances, transport->tls_context()) {
        if (!config.journal_path.empty()) {
            auto opened = account::OrderJournal::open(config.journal_path);
            if (!opened) throw Exception(opened.error());
            journal = std::make_unique<account::JournaledCommands>(
                executor, std::move(*opened), *transport, trading, config.recv_window);
            // Orders the recovery finds are tracked like the others once the stream runs (a
            // stream started later finds the open ones in its reconciliation).
            journal->on_recovered([this](const OrderInfo& order) {
                if (account.started()) account.recovered(order);
            });
        }
    }

    // How it ended, for the journal.
    template <class T>
    void journal_end(const std::optional<account::JournaledCommands::Ticket>& ticket,
                     const Result<T>& result, std::string_view order_id) {
        if (!ticket) return;
        if (result) {
            journal->answered(*ticket, order_id);
        } else {
            journal->failed(*ticket, result.error());
        }
    }
};

MexcExchange::MexcExchange(asio::any_io_executor ex, Config config)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(config))) {
    impl_->market.start(impl_);
}

MexcExchange::~MexcExchange() {
    impl_->closing = true;
    if (impl_->journal) impl_->journal->abort();
    impl_->market.abort();
    impl_->account.abort();
    impl_->rest.close();
    impl_->trading.close();
}

asio::awaitable<Result<FrameSubscription>> MexcExchange::subscribe_frames(
    std::vector<Topic> topics, FrameQueueOptions options) {
    auto self = impl_;
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    const auto deadline = Clock::now() + self->config.timeouts.subscribe;
    auto state = co_await self->market.subscribe_frames(std::move(topics), options, deadline);
    if (!state) co_return state.error();
    co_return FrameSubscription(std::move(*state));
}

asio::awaitable<Result<void>> MexcExchange::start_account() {
    auto self = impl_;
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    if (!self->config.credentials) co_return Error(Condition::auth, Errc::config_invalid);
    self->account.start(self);
    if (co_await self->account.wait_live(Clock::now() + self->config.timeouts.subscribe))
        co_return Result<void>{};
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    co_return Error(Condition::network, Errc::timeout);  // the stream goes on trying
}

asio::awaitable<Result<AccountEvent>> MexcExchange::next_account_event() {
    auto self = impl_;
    co_return co_await self->account.next_event();
}

bool MexcExchange::account_live() const noexcept {
    return impl_->account.live();
}

// One typed stream over a frame subscription of `topic`; `symbol` names the scales the decoder
// needs, empty for every listed symbol (mini tickers).
template <class Event>
asio::awaitable<Result<MarketStream<Event>>> subscribe_typed(
    MexcExchange& exchange, std::shared_ptr<MexcExchange::Impl> self, Result<Topic> topic,
    std::string symbol, FrameQueueOptions options) {
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    if (!topic) co_return topic.error();
    if (symbol.empty()) {
        auto filled = co_await self->rules.fill(*self->symbols);
        if (!filled) co_return filled.error();
    } else {
        auto symbol_rules = co_await self->rules.get(symbol);
        if (!symbol_rules) co_return symbol_rules.error();
        self->symbols->add(symbol, (*symbol_rules)->scales());
    }
    std::vector<Topic> topics(1, std::move(*topic));
    auto frames = co_await exchange.subscribe_frames(std::move(topics), options);
    if (!frames) co_return frames.error();
    co_return MarketStream<Event>(std::move(*frames), self->symbols);
}

asio::awaitable<Result<TradeStream>> MexcExchange::subscribe_trades(std::string symbol,
                                                                    topic::Speed speed,
                                                                    std::size_t capacity) {
    auto topic = topic::aggre_deals(symbol, speed);
    co_return co_await subscribe_typed<TradesEvent>(*this, impl_, std::move(topic),
                                                    std::move(symbol), lossless(capacity));
}

asio::awaitable<Result<KlineStream>> MexcExchange::subscribe_klines(std::string symbol,
                                                                    topic::KlineInterval interval,
                                                                    std::size_t capacity) {
    auto topic = topic::kline(symbol, interval);
    co_return co_await subscribe_typed<KlineEvent>(*this, impl_, std::move(topic),
                                                   std::move(symbol), lossless(capacity));
}

asio::awaitable<Result<LimitDepthStream>> MexcExchange::subscribe_limit_depth(
    std::string symbol, topic::DepthLevels levels) {
    auto topic = topic::limit_depth(symbol, levels);
    co_return co_await subscribe_typed<LimitDepthEvent>(*this, impl_, std::move(topic),
                                                        std::move(symbol), conflating());
}

asio::awaitable<Result<BookTickerStream>> MexcExchange::subscribe_book_ticker(std::string symbol,
                                                                              topic::Speed speed) {
    auto topic = topic::aggre_book_ticker(symbol, speed);
    co_return co_await subscribe_typed<BookTickerEvent>(*this, impl_, std::move(topic),
                                                        std::move(symbol), conflating());
}

asio::awaitable<Result<BookTickerBatchStream>> MexcExchange::subscribe_book_ticker_batch(
    std::string symbol) {
    auto topic = topic::book_ticker_batch(symbol);
    co_return co_await subscribe_typed<BookTickerBatchEvent>(*this, impl_, std::move(topic),
                                                             std::move(symbol), conflating());
}

asio::awaitable<Result<MiniTickerStream>> MexcExchange::subscribe_mini_ticker(
    std::string symbol, topic::TimeZone zone) {
    auto topic = topic::mini_ticker(symbol, zone);
    co_return co_await subscribe_typed<MiniTickerEvent>(*this, impl_, std::move(topic),
                                                        std::move(symbol), conflating());
}

asio::awaitable<Result<MiniTickersStream>> MexcExchange::subscribe_mini_tickers(
    topic::TimeZone zone) {
    co_return co_await subscribe_typed<MiniTickersEvent>(*this, impl_, topic::mini_tickers(zone),
                                                         std::string{}, conflating());
}

namespace {

// The symbol's rules (for its scales) unless its book exists, then its book until Live.
asio::awaitable<Result<const ws::MarketStreams::Book*>> live_book(
    std::shared_ptr<MexcExchange::Impl> self, std::string symbol, Clock::time_point deadline) {
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    SymbolScales scales{};
    if (!self->market.is_subscribed(symbol)) {
        auto symbol_rules = co_await self->rules.get(symbol);
        if (!symbol_rules) co_return symbol_rules.error();
        scales = (*symbol_rules)->scales();
    }
    co_return co_await self->market.subscribe_book(std::move(symbol), scales, deadline);
}

// The books an open() brings up together: how many are still coming, and the first failure.
struct OpeningBooks {
    OpeningBooks(const asio::any_io_executor& ex, std::size_t n) : left(n), done(ex) {}
    std::size_t left;
    std::optional<Error> failure;
    detail::ChangeSignal done;
};

asio::awaitable<void> open_book(std::shared_ptr<MexcExchange::Impl> self,
                                std::shared_ptr<OpeningBooks> books, std::string symbol,
                                Clock::time_point deadline) {
    auto book = co_await live_book(self, std::move(symbol), deadline);
    if (!book && !books->failure) books->failure = book.error();
    if (--books->left == 0) books->done.notify_all();
}

}  // namespace

asio::awaitable<Result<BookView>> MexcExchange::subscribe_book(std::string symbol) {
    auto self = impl_;
    const auto deadline = Clock::now() + self->config.timeouts.subscribe;
    auto book = co_await live_book(self, std::move(symbol), deadline);
    if (!book) co_return book.error();
    co_return BookView(&(*book)->symbol, &(*book)->book());
}

asio::awaitable<Result<void>> MexcExchange::open(std::vector<std::string> symbols) {
    auto self = impl_;
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    const auto deadline = Clock::now() + self->config.timeouts.subscribe;
    std::sort(symbols.begin(), symbols.end());
    symbols.erase(std::unique(symbols.begin(), symbols.end()), symbols.end());

    // What this call starts, so that a failure stops exactly that.
    std::vector<std::string> added;
    for (const auto& s : symbols)
        if (!self->market.is_subscribed(s)) added.push_back(s);
    const bool starts_account = self->config.credentials && !self->account.started();
    if (starts_account) self->account.start(self);

    // The books come up together; each ends by its deadline at the latest. All are awaited
    // before any is rolled back, so that none is subscribed after the rollback ran.
    auto books = std::make_shared<OpeningBooks>(self->ex, symbols.size());
    for (auto& symbol : symbols)
        asio::co_spawn(self->ex, open_book(self, books, std::move(symbol), deadline),
                       asio::detached);
    while (books->left > 0) co_await books->done.wait();

    std::optional<Error> failure = books->failure;
    if (!failure && self->config.credentials && !co_await self->account.wait_live(deadline)) {
        failure = self->closing ? Error(Condition::closed, Errc::closed)
                                : Error(Condition::network, Errc::timeout);
    }
    if (!failure) co_return Result<void>{};

    // Roll back: the books this call added, then the stream it started.
    for (auto& symbol : added) {
        if (self->closing) break;
        (void)co_await self->market.remove_book(std::move(symbol),
                                                Clock::now() + self->config.timeouts.close);
    }
    if (starts_account && !self->closing) (void)co_await self->account.stop();
    co_return *failure;
}

asio::awaitable<Result<void>> MexcExchange::unsubscribe_book(std::string symbol) {
    auto self = impl_;
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    const auto deadline = Clock::now() + self->config.timeouts.subscribe;
    co_return co_await self->market.remove_book(std::move(symbol), deadline);
}

Result<BookView> MexcExchange::book(std::string_view symbol) const {
    const auto* book = impl_->market.find_book(symbol);
    if (!book) return Error(Condition::rejected, Errc::not_subscribed);
    return BookView(&book->symbol, &book->book());
}

asio::awaitable<Result<BookView>> MexcExchange::next_book_update() {
    auto self = impl_;
    auto book = co_await self->market.next_update();
    if (!book) co_return book.error();
    co_return BookView(&(*book)->symbol, &(*book)->book());
}

namespace {

// Cancels every open order of the account through `exchange` (journaled like any cancel), each
// request bounded by `bound` (best effort: what is not confirmed stays on the venue, and the next
// session's reconciliation sees it).
asio::awaitable<void> cancel_open_orders(MexcExchange& exchange, rest::PrivateRest& trading,
                                         std::chrono::milliseconds bound) {
    using namespace asio::experimental::awaitable_operators;
    const auto ex = co_await asio::this_coro::executor;
    const auto bounded = [&](auto call) -> asio::awaitable<void> {
        asio::steady_timer timer(ex, bound);
        (void)co_await (std::move(call) || timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    };
    std::set<std::string> symbols;
    co_await bounded([&]() -> asio::awaitable<void> {
        auto open = co_await trading.open_orders({});
        if (open)
            for (const auto& o : *open) symbols.insert(o.symbol);
    }());
    for (const auto& symbol : symbols)
        co_await bounded(
            [&]() -> asio::awaitable<void> { (void)co_await exchange.cancel_all(symbol); }());
}

}  // namespace

asio::awaitable<void> MexcExchange::close() {
    auto self = impl_;
    if (self->closing) co_return;
    if (self->config.cancel_orders_on_close && self->config.credentials)
        co_await cancel_open_orders(*this, self->trading, self->config.timeouts.close);
    self->closing = true;
    if (self->journal) self->journal->abort();
    co_await self->market.close();
    co_await self->account.close();
    self->rest.close();
    self->trading.close();
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
    auto self = impl_;
    auto found = co_await self->rules.get(std::move(symbol));
    if (!found) co_return found.error();
    co_return **found;
}

asio::awaitable<Result<std::vector<RecoveredCommand>>> MexcExchange::recover() {
    auto self = impl_;
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    if (!self->journal) co_return std::vector<RecoveredCommand>{};
    co_return co_await self->journal->recover();
}

asio::awaitable<Result<OrderAck>> MexcExchange::place_order(OrderRequest order) {
    auto self = impl_;
    if (self->closing) co_return Error(Condition::closed, Errc::closed);
    auto symbol_rules = co_await self->rules.get(order.symbol);
    if (!symbol_rules) co_return symbol_rules.error();
    // Checked before sending: a violation is rejected locally and nothing reaches MEXC (NotSent).
    if (auto ok = (*symbol_rules)->check(order); !ok) co_return ok.error();
    auto tradable = co_await self->rules.check_tradable(order.symbol);
    if (!tradable) co_return tradable.error();
    if (order.client_order_id.empty()) {
        // Every order gets an id we know before sending, so an unknown outcome can be reconciled.
        self->client_ids.next(order.client_order_id);
    }
    std::optional<account::JournaledCommands::Ticket> ticket;
    if (self->journal) {
        // On disk before it is sent; the last run's recovery first (nothing sent on failure).
        account::JournalIntent intent;
        intent.command = JournaledCommand::place;
        intent.symbol = order.symbol;
        intent.order = order;
        intent.client_order_id = order.client_order_id;
        auto begun = co_await self->journal->begin(std::move(intent));
        if (!begun) co_return begun.error();
        ticket = *begun;
    }
    self->balances.invalidate();  // the order moves funds
    // Tracked from the moment it is sent, so a push that beats the ack finds it (C02).
    const bool tracked = self->account.started();
    if (tracked) self->account.placing(order);
    const OrderId client_id = order.client_order_id;
    auto ack = co_await rest::send_new_order(*self->transport, std::move(order),
                                             ticket ? ticket->latest_stamp : 0);
    self->journal_end(ticket, ack, ack ? ack->order_id.view() : std::string_view());
    if (tracked) {
        if (ack) {
            self->account.placed(*ack);
        } else {
            self->account.place_failed(client_id.view(), ack.error());
        }
    }
    co_return ack;
}

asio::awaitable<Result<OrderInfo>> MexcExchange::cancel_order(std::string symbol,
                                                              rest::OrderRef ref) {
    auto self = impl_;
    std::optional<account::JournaledCommands::Ticket> ticket;
    if (self->journal) {
        account::JournalIntent intent;
        intent.command = JournaledCommand::cancel;
        intent.symbol = symbol;
        intent.order_id = ref.order_id.str();
        intent.client_order_id = ref.client_order_id.str();
        auto begun = co_await self->journal->begin(std::move(intent));
        if (!begun) co_return begun.error();
        ticket = *begun;
    }
    self->balances.invalidate();
    auto cancelled = co_await rest::send_cancel_order(
        *self->transport, std::move(symbol), std::move(ref), ticket ? ticket->latest_stamp : 0);
    self->journal_end(ticket, cancelled,
                      cancelled ? cancelled->order_id.view() : std::string_view());
    co_return cancelled;
}

asio::awaitable<Result<std::vector<OrderInfo>>> MexcExchange::cancel_all(std::string symbol) {
    auto self = impl_;
    std::optional<account::JournaledCommands::Ticket> ticket;
    if (self->journal) {
        account::JournalIntent intent;
        intent.command = JournaledCommand::cancel_all;
        intent.symbol = symbol;
        auto begun = co_await self->journal->begin(std::move(intent));
        if (!begun) co_return begun.error();
        ticket = *begun;
    }
    self->balances.invalidate();
    auto cancelled = co_await rest::send_cancel_open_orders(*self->transport, std::move(symbol),
                                                            ticket ? ticket->latest_stamp : 0);
    self->journal_end(ticket, cancelled, std::string_view());
    co_return cancelled;
}

asio::awaitable<Result<OrderInfo>> MexcExchange::order(std::string symbol, rest::OrderRef ref) {
    auto self = impl_;
    if (auto cached = self->account.completed_order(symbol, ref)) {
        ++self->order_cache_hits;
        co_return std::move(*cached);
    }
    co_return co_await self->trading.query_order(std::move(symbol), std::move(ref));
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
    co_return co_await self->balances.get(fresh);
}

ExchangeMetrics MexcExchange::metrics() const noexcept {
    const auto m = impl_->market.metrics();
    ExchangeMetrics out;
    out.frames = m.frames;
    out.decode_errors = m.decode_errors;
    out.unrouted_frames = m.unrouted_frames;
    out.gaps = m.gaps;
    out.snapshots = m.snapshots;
    out.snapshot_failures = m.snapshot_failures;
    out.snapshots_waiting = m.snapshots_waiting;
    out.connects = m.connects;
    out.disconnects = m.disconnects;
    out.rotations = m.rotations + impl_->account.metrics().rotations;
    out.seams_forced = m.seams_forced;
    out.frozen_sides = m.frozen_sides;
    out.book_checks = m.book_checks;
    out.book_check_disagreements = m.book_check_disagreements;
    out.book_updates = m.book_updates;
    out.active_symbols = m.active_books;
    out.book_levels = m.book_levels;
    const auto a = impl_->account.metrics();
    out.private_events = a.private_events;
    out.fills = a.fills;
    out.reconciliations = a.reconciliations;
    out.listen_key_renewals = a.listen_key_renewals;
    out.account_events_lost = a.events_lost;
    out.active_orders = impl_->account.tracker().active_count();
    out.cached_orders = impl_->account.tracker().completed_count();
    out.balance_cache_hits = impl_->balances.stats().hits;
    out.balance_cache_misses = impl_->balances.stats().misses;
    out.order_cache_hits = impl_->order_cache_hits;
    return out;
}

asio::any_io_executor MexcExchange::get_executor() const noexcept {
    return impl_->ex;
}

}  // namespace mexc
