#include "account/account_streams.hpp"

#include "account/private_events.hpp"
#include "mexc/wire/push.hpp"
#include "ws/stream_options.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace mexc::account {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto tuple_token = asio::as_tuple(asio::deferred);
constexpr std::string_view private_topics[] = {
    "spot@private.orders.v3.api.pb",
    "spot@private.deals.v3.api.pb",
    "spot@private.account.v3.api.pb",
};
constexpr auto check_period = std::chrono::milliseconds(500);
// Trades read back before the stream started, when a symbol has no fill yet: the venue's clock
// may be behind ours.
constexpr auto trade_lookback = std::chrono::milliseconds(60000);

TrackerOptions tracker_options(const Config& config) {
    TrackerOptions options;
    options.completed_capacity = config.completed_orders;
    return options;
}
}  // namespace

}  // namespace mexc::account

namespace mexc {
std::string_view to_string(StreamStatus s) noexcept {
    switch (s) {
        case StreamStatus::connected:
            return "connected";
        case StreamStatus::reconciling:
            return "reconciling";
        case StreamStatus::live:
            return "live";
        case StreamStatus::gap:
            return "gap";
    }
    return "unknown";
}
}  // namespace mexc

namespace mexc::account {

AccountStreams::AccountStreams(asio::any_io_executor ex, const Config& config,
                               rest::PrivateRest& rest, BalanceCache& balances,
                               std::shared_ptr<asio::ssl::context> tls)
    : ex_(ex),
      rest_(rest),
      balances_(balances),
      tls_(std::move(tls)),
      close_bound_(config.timeouts.close),
      queue_bound_(config.account_event_queue),
      keeper_(ListenKeyOptions{config.listen_key_keepalive}),
      tracker_(tracker_options(config)),
      changed_(ex),
      key_timer_(ex),
      closed_(ex, asio::steady_timer::time_point::max()),
      tasks_(ex) {
    auto url = net::parse_url(config.ws_url);
    if (!url) throw Exception(url.error());
    base_url_ = *url;
    stream_options_ = ws::stream_options(config);
    rotate_after_ = config.ws_rotate_after;
}

AccountStreams::~AccountStreams() {
    abort();
}

void AccountStreams::start(std::weak_ptr<void> owner) {
    if (started_ || stopping()) return;
    started_ = true;
    started_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    owner_ = owner;
    tasks_.bind(std::move(owner));
    tasks_.spawn(run_key());
    tasks_.spawn(run_checks());
}

// ---- the listen key --------------------------------------------------------------------------

asio::awaitable<void> AccountStreams::run_key() {
    auto action = keeper_.start(Clock::now());
    while (!stopping()) {
        switch (action.step) {
            case KeyStep::list_keys: {
                auto keys = co_await rest_.listen_keys();
                action = keys ? keeper_.listed(*keys, Clock::now())
                              : keeper_.list_failed(keys.error(), Clock::now());
                break;
            }
            case KeyStep::create: {
                auto key = co_await rest_.create_listen_key();
                action = key ? keeper_.created(std::move(*key), Clock::now())
                             : keeper_.create_failed(key.error(), Clock::now());
                break;
            }
            case KeyStep::keep_alive: {
                auto kept =
                    co_await rest_.keep_alive_listen_key(std::string(keeper_.key().reveal()));
                action = kept ? keeper_.kept_alive(Clock::now())
                              : keeper_.keep_alive_failed(kept.error(), Clock::now());
                break;
            }
            case KeyStep::delete_key: {
                // A courtesy: a key we no longer use frees its slot of the 60 (E15).
                (void)co_await rest_.delete_listen_key(
                    std::string(keeper_.key_to_delete().reveal()));
                action = keeper_.deleted(Clock::now());
                break;
            }
            case KeyStep::connect:
                co_await connect_stream();
                action = keeper_.connected(Clock::now());
                break;
            case KeyStep::wait:
            case KeyStep::none:
                if (!key_invalidated_) {
                    key_timer_.expires_at(action.step == KeyStep::wait
                                              ? action.at
                                              : asio::steady_timer::time_point::max());
                    co_await key_timer_.async_wait(tuple_token);
                }
                if (stopping()) break;
                if (key_invalidated_) {
                    key_invalidated_ = false;
                    action = keeper_.key_invalidated(Clock::now());
                } else if (action.step == KeyStep::wait) {
                    action = keeper_.timer(Clock::now());
                }
                break;
        }
    }
}

asio::awaitable<void> AccountStreams::connect_stream() {
    if (successor_) co_await retire(std::move(successor_));  // a new key: start afresh
    if (stream_) {
        // The old key's stream ends here: what happens until the new one is reconciled is a gap.
        enter_gap();
        co_await retire(std::move(stream_));
    }
    stream_ = open_stream();
}

std::unique_ptr<ws::PublicStream> AccountStreams::open_stream() {
    net::Url url = base_url_;
    url.target += url.target.find('?') == std::string::npos ? "?listenKey=" : "&listenKey=";
    url.target += keeper_.key().reveal();
    StreamHandler& handler = *this;
    auto stream = std::make_unique<ws::PublicStream>(ex_, std::move(url), tls_, stream_options_,
                                                     handler, next_stream_id_++);
    for (auto topic : private_topics) stream->subscribe(std::string(topic));
    tasks_.spawn(stream->run());
    return stream;
}

asio::awaitable<void> AccountStreams::retire(std::unique_ptr<ws::PublicStream> stream) {
    co_await stream->stop();
    retired_.push_back(std::move(stream));  // its loop ends in the task group
}

void AccountStreams::check_rotation(Clock::time_point now) {
    if (!stream_ || stopping()) return;
    if (successor_) {
        // Taken over once the venue accepted every private topic on it; abandoned if it never
        // does (the old connection goes on, a later check tries again).
        if (successor_accepted_ >= std::size(private_topics)) {
            auto old = std::move(stream_);
            stream_ = std::move(successor_);
            ++stats_.rotations;
            tasks_.spawn(retire(std::move(old)));
        } else if (now - successor_since_ > std::max(rotate_after_ / 2, check_period * 4)) {
            tasks_.spawn(retire(std::move(successor_)));
        }
        return;
    }
    const auto since = stream_->connected_since();
    if (!live_ || !since || now - *since < rotate_after_) return;
    successor_accepted_ = 0;
    successor_since_ = now;
    successor_ = open_stream();  // two connections of one key, of the five allowed (SPEC §9)
}

// ---- what the connection reports -------------------------------------------------------------

void AccountStreams::on_connected(std::size_t id, std::uint64_t generation) {
    if (!stream_ || id != stream_->id()) return;
    push_event(StreamStatus::connected);
    generation_ = generation;
    tasks_.spawn(reconcile(generation));
}

void AccountStreams::on_disconnected(std::size_t id, std::uint64_t, const Error&) {
    if (!stream_ || id != stream_->id()) return;
    enter_gap();
}

void AccountStreams::enter_gap() {
    const bool was_live = live_;
    live_ = false;
    balances_.set_live(false);
    ++generation_;  // a reconciliation under way belongs to the connection that went
    if (was_live) push_event(StreamStatus::gap);
}

void AccountStreams::on_listen_key_invalid(std::size_t id) {
    if (!stream_ || id != stream_->id()) return;
    enter_gap();              // nothing more comes on this key
    key_invalidated_ = true;  // the key loop makes a new one and reconnects
    key_timer_.cancel();
}

void AccountStreams::on_subscription(std::size_t id, std::string_view, bool accepted,
                                     std::string_view) {
    // Acks of the three private topics; the stream goes live by reconciliation, not by them. A
    // successor takes over when it has them all.
    if (successor_ && id == successor_->id() && accepted) {
        ++successor_accepted_;
        check_rotation(Clock::now());
    }
}

void AccountStreams::on_push(std::size_t id, std::uint64_t, std::string_view bytes) {
    const bool current = stream_ && id == stream_->id();
    if (!current && !(successor_ && id == successor_->id())) return;
    auto frame = wire::decode_push(bytes);
    if (!frame) {
        ++stats_.decode_errors;
        return;
    }
    ++stats_.private_events;
    const auto now = Clock::now();
    switch (frame->kind) {
        case wire::BodyKind::private_orders: {
            auto body = wire::decode_private_order(frame->body);
            auto obs =
                body ? observation_of(*frame, *body) : Result<OrderObservation>(body.error());
            if (!obs || !tracker_.observe(*obs, now, scratch_)) ++stats_.decode_errors;
            break;
        }
        case wire::BodyKind::private_deals: {
            auto body = wire::decode_private_deal(frame->body);
            auto fill = body ? fill_of(*frame, *body) : Result<Fill>(body.error());
            if (!fill || !tracker_.observe(*fill, now, scratch_)) ++stats_.decode_errors;
            break;
        }
        case wire::BodyKind::private_account: {
            auto body = wire::decode_private_account(frame->body);
            auto balance = body ? balance_of(*body) : Result<BalanceUpdate>(body.error());
            if (!balance) {
                ++stats_.decode_errors;
                break;
            }
            // The same balance from both connections of a rotation is reported once.
            const auto* known = balances_.find(balance->asset.view());
            const bool unchanged =
                known && known->free == balance->free && known->locked == balance->locked;
            balances_.apply(*balance);
            if (!unchanged || !successor_) push_event(*balance);
            break;
        }
        default:
            ++stats_.decode_errors;  // not a private body (P04)
            break;
    }
    emit(scratch_);
}

// ---- reconciliation and targeted fetches -----------------------------------------------------

asio::awaitable<void> AccountStreams::reconcile(std::uint64_t generation) {
    push_event(StreamStatus::reconciling);
    ++stats_.reconciliations;
    const auto current = [&] { return !stopping() && generation == generation_; };
    while (current()) {
        bool ok = true;
        // Open orders, then every tracked order the venue no longer lists as open, then the
        // trades of the orders with fills, then the balances: what the gap hid comes out once.
        auto open = co_await rest_.open_orders({});
        if (!current()) co_return;
        std::vector<FetchRequest> orders;
        if (open) {
            for (const auto& o : *open) {
                (void)tracker_.observe(observation_of(o), Clock::now(), scratch_);
                orders.push_back({o.symbol, o.order_id.str(), o.client_order_id.str(),
                                  FetchReason::fills_behind});
            }
            emit(scratch_);
            for (const auto* t : tracker_.open_orders()) {
                const auto& s = t->state;
                const bool listed =
                    std::any_of(open->begin(), open->end(), [&](const OrderInfo& o) {
                        return !s.order_id.empty() ? o.order_id == s.order_id
                                                   : o.client_order_id == s.client_order_id;
                    });
                if (!listed)
                    orders.push_back({s.symbol.str(), s.order_id.str(), s.client_order_id.str(),
                                      FetchReason::state_behind});
            }
        } else {
            ok = false;
        }
        for (auto& request : orders) {
            if (!current()) co_return;
            co_await fetch(std::move(request));
        }
        // Orders that began and ended inside the gap are in no list above: each symbol's trades
        // since the last fill seen there bring them, and their fills, out (I1).
        std::vector<std::pair<std::string, std::int64_t>> symbols(last_fill_.begin(),
                                                                  last_fill_.end());
        for (auto& [symbol, last] : symbols) {
            if (!current()) co_return;
            // A margin for the venue's clock against ours, when no fill is known yet.
            const auto since = last ? last : started_ms_ - trade_lookback.count();
            if (!co_await catch_up_trades(std::move(symbol), since)) ok = false;
        }
        if (!current()) co_return;
        auto account = co_await rest_.account();
        if (!current()) co_return;
        if (account) {
            balances_.seed(*account);
        } else {
            ok = false;
        }
        if (ok) {
            live_ = true;
            balances_.set_live(true);
            push_event(StreamStatus::live);
            co_return;
        }
        asio::steady_timer pause(ex_, std::chrono::seconds(1));
        co_await pause.async_wait(tuple_token);
    }
}

asio::awaitable<void> AccountStreams::fetch(FetchRequest request) {
    ++stats_.targeted_fetches;
    if (request.symbol.empty()) co_return;  // nothing to ask by
    if (request.reason != FetchReason::fills_behind) {
        auto ref = !request.order_id.empty()
                       ? rest::OrderRef::by_id(request.order_id)
                       : rest::OrderRef::by_client_id(request.client_order_id);
        auto order = co_await rest_.query_order(request.symbol, ref);
        if (!order) co_return;  // asked again at the next due time while the hole stays
        if (request.order_id.empty()) request.order_id = order->order_id.str();
        (void)tracker_.observe(observation_of(*order), Clock::now(), scratch_);
        emit(scratch_);
        if (order->executed_qty.units() == 0) co_return;
    }
    if (request.order_id.empty()) co_return;
    auto trades = co_await rest_.my_trades(request.symbol, OrderId(request.order_id));
    if (!trades) co_return;
    for (const auto& t : *trades) (void)tracker_.observe(fill_of(t), Clock::now(), scratch_);
    emit(scratch_);
}

asio::awaitable<bool> AccountStreams::catch_up_trades(std::string symbol, std::int64_t since_ms) {
    // A full page may be the window's first or its last trades, as the venue chooses; both
    // remainders are read, and a window that cannot shrink (a page of one millisecond) ends the
    // search: the orders' own fetches still hold their fills (their trade ids deduplicate).
    constexpr int page = 100;  // myTrades' maximum (SPEC §3.2)
    struct Window {
        std::int64_t from, to;  // inclusive; to = 0: open-ended
    };
    std::vector<Window> windows{{since_ms, 0}};
    std::vector<std::string> unknown;
    while (!windows.empty()) {
        const auto w = windows.back();
        windows.pop_back();
        auto trades = co_await rest_.my_trades(symbol, {}, page, w.from, w.to);
        if (!trades) co_return false;
        if (trades->empty()) continue;
        auto first = trades->front().time, last = trades->front().time;
        for (const auto& t : *trades) {
            first = std::min(first, t.time);
            last = std::max(last, t.time);
            (void)tracker_.observe(fill_of(t), Clock::now(), scratch_);
            if (!tracker_.by_order_id(t.order_id) &&
                std::find(unknown.begin(), unknown.end(), t.order_id) == unknown.end())
                unknown.push_back(t.order_id);
        }
        emit(scratch_);
        if (trades->size() < static_cast<std::size_t>(page)) continue;
        if (w.to == 0 || last < w.to) windows.push_back({last, w.to});
        if (first > w.from) windows.push_back({w.from, first});
    }
    for (auto& order_id : unknown) {
        // Named, not a braced temporary: g++ 12 destroys such a coroutine argument twice.
        FetchRequest request{symbol, std::move(order_id), {}, FetchReason::unknown_order};
        co_await fetch(std::move(request));
    }
    co_return true;
}

asio::awaitable<void> AccountStreams::run_checks() {
    asio::steady_timer timer(ex_);
    while (!stopping()) {
        timer.expires_after(check_period);
        co_await timer.async_wait(tuple_token);
        if (stopping() || !live_) continue;
        check_rotation(Clock::now());
        for (auto& request : tracker_.due_fetches(Clock::now())) co_await fetch(std::move(request));
    }
}

// ---- placements ------------------------------------------------------------------------------

void AccountStreams::placing(const OrderRequest& order) {
    tracker_.placing(order, scratch_);
    emit(scratch_);
}

void AccountStreams::placed(const OrderAck& ack) {
    (void)tracker_.observe(observation_of(ack), Clock::now(), scratch_);
    emit(scratch_);
}

void AccountStreams::place_failed(std::string_view client_order_id, const Error& error) {
    if (error.condition() == Condition::outcome_unknown) {
        tracker_.place_unknown(client_order_id);  // resolved by the stream or a query, never resent
    } else {
        tracker_.place_rejected(client_order_id, 0, scratch_);
        emit(scratch_);
    }
}

std::optional<OrderInfo> AccountStreams::completed_order(std::string_view symbol,
                                                         const rest::OrderRef& ref) const {
    const auto* t = !ref.order_id.empty() ? tracker_.by_order_id(ref.order_id.view())
                                          : tracker_.by_client_id(ref.client_order_id.view());
    if (!t || !t->completed || t->state.symbol.view() != symbol) return std::nullopt;
    const auto& s = t->state;
    OrderInfo info;
    info.symbol = std::string(s.symbol.view());
    info.order_id = s.order_id;
    info.client_order_id = s.client_order_id;
    info.price = s.price;
    info.orig_qty = s.quantity;
    info.executed_qty = s.filled;
    info.cummulative_quote_qty = s.filled_quote;
    info.status = s.status;
    info.type = s.type;
    info.side = s.side;
    info.update_time = s.time;
    return info;
}

void AccountStreams::recovered(const OrderInfo& order) {
    (void)tracker_.observe(observation_of(order), Clock::now(), scratch_);
    emit(scratch_);
}

// ---- events ----------------------------------------------------------------------------------

void AccountStreams::emit(OrderTracker::Events& events) {
    // A symbol is allocated once, when first seen.
    const auto note = [this](std::string_view symbol, std::int64_t fill_time) {
        if (symbol.empty()) return;
        auto it = last_fill_.find(symbol);
        if (it == last_fill_.end()) it = last_fill_.emplace(std::string(symbol), 0).first;
        it->second = std::max(it->second, fill_time);
    };
    for (auto& o : events.orders) {
        note(o.symbol.view(), 0);
        push_event(o);
    }
    for (auto& f : events.fills) {
        ++stats_.fills;
        note(f.symbol.view(), f.time);
        push_event(f);
    }
    events.clear();
}

void AccountStreams::push_event(AccountEvent event) {
    if (queue_.size() >= queue_bound_) {
        // Loud, never silent (C13): the next read reports it; the tracker's states stay exact.
        ++lost_;
        ++stats_.events_lost;
        report_loss_ = true;
        return;
    }
    queue_.push_back(std::move(event));
    wake_waiters();
}

void AccountStreams::wake_waiters() noexcept {
    changed_.notify_all();
}

asio::awaitable<Result<AccountEvent>> AccountStreams::next_event() {
    for (;;) {
        if (report_loss_) {
            report_loss_ = false;
            co_return Error(Condition::bad_data, Errc::frames_dropped);
        }
        if (!queue_.empty()) {
            AccountEvent e = std::move(queue_.front());
            queue_.pop_front();
            co_return e;
        }
        if (closing_) co_return Error(Condition::closed, Errc::closed);
        co_await changed_.wait();
    }
}

asio::awaitable<bool> AccountStreams::wait_live(Clock::time_point deadline) {
    while (!live_ && !closing_ && Clock::now() < deadline) {
        co_await changed_.wait_until(deadline);
    }
    co_return live_ && !closing_;
}

AccountMetrics AccountStreams::metrics() const noexcept {
    AccountMetrics m = stats_;
    m.listen_key_renewals = keeper_.stats().renewals;
    return m;
}

// ---- close -----------------------------------------------------------------------------------

asio::awaitable<void> AccountStreams::close() {
    if (closing_) co_return;
    closing_ = true;
    wake_waiters();
    co_await shut_down();
}

asio::awaitable<bool> AccountStreams::stop() {
    if (closing_) co_return false;
    if (!started_ || halting_) co_return true;
    halting_ = true;
    co_await shut_down();
    halting_ = false;
    if (closing_ || tasks_.live() != 0) {
        abort();  // a task outlived the bound: what it holds is not safe to start again
        co_return false;
    }
    started_ = false;
    key_invalidated_ = false;
    successor_.reset();
    stream_.reset();
    retired_.clear();
    closed_.expires_at(asio::steady_timer::time_point::max());
    co_return true;
}

asio::awaitable<void> AccountStreams::shut_down() {
    const bool was_live = live_;
    live_ = false;
    balances_.set_live(false);
    ++generation_;  // a reconciliation under way ends
    if (was_live && !closing_) push_event(StreamStatus::gap);
    key_timer_.cancel();
    closed_.expires_at(asio::steady_timer::time_point::min());
    wake_waiters();
    if (successor_) co_await successor_->stop();
    if (stream_) co_await stream_->stop();
    if (keeper_.close().step == KeyStep::delete_key) {
        // The key dies with the session (SPEC §9 step 5), within the close bound.
        asio::steady_timer bound(ex_, close_bound_);
        (void)co_await (rest_.delete_listen_key(std::string(keeper_.key_to_delete().reveal())) ||
                        bound.async_wait(asio::as_tuple(asio::use_awaitable)));
        keeper_.deleted(Clock::now());
    }
    (void)co_await tasks_.join(close_bound_);
}

void AccountStreams::abort() noexcept {
    closing_ = true;
    key_timer_.cancel();
    wake_waiters();
    if (stream_) stream_->abort();
    if (successor_) successor_->abort();
    for (auto& s : retired_) s->abort();
}

}  // namespace mexc::account
