#include "ws/market_streams.hpp"

#include "mexc/rest/public_rest.hpp"
#include "mexc/wire/push.hpp"
#include "ws/frame_queue.hpp"
#include "ws/stream_options.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace mexc::ws {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
constexpr auto tuple_token = asio::as_tuple(asio::deferred);
// Levels per side asked for by a book check: the compared levels and room for deletions of the
// top while the request is in flight (the shadow knows no deeper level). Weight 3 (SPEC §3.1).
constexpr int check_limit = 100;

MarketStreams::Book::Book(std::string s, std::string t, std::size_t connection, SymbolScales scales,
                          const BookSyncOptions& options, asio::any_io_executor ex)
    : symbol(std::move(s)),
      topic(std::move(t)),
      stream(connection),
      sync(scales, options, Clock::now()),
      retry(ex) {}

MarketStreams::MarketStreams(asio::any_io_executor ex, const Config& config, rest::PublicRest& rest,
                             std::shared_ptr<asio::ssl::context> tls)
    : ex_(ex),
      rest_(rest),
      tls_(std::move(tls)),
      // validate() admits only these two (SPEC §7.4).
      depth_speed_(config.depth_interval == "10ms" ? topic::Speed::ms10 : topic::Speed::ms100),
      snapshot_limit_(config.snapshot_limit),
      close_bound_(config.timeouts.close),
      first_data_timeout_(config.first_data_timeout),
      answer_timeout_(config.timeouts.subscribe),
      // Often enough to notice silence a quarter of the bound late at worst.
      watch_period_(std::clamp(config.stale_after / 4, std::chrono::milliseconds(10),
                               std::chrono::milliseconds(1000))),
      rotate_after_(config.ws_rotate_after),
      check_interval_(config.book_check_interval),
      topics_per_stream_(config.ws_topics_per_connection),
      connects_(std::chrono::milliseconds(1000 / std::max(config.ws_connects_per_second, 1))),
      changed_(ex),
      watchdog_(ex),
      closed_(ex, asio::steady_timer::time_point::max()),
      snapshots_(ex, static_cast<std::size_t>(config.snapshot_concurrency)),
      tasks_(ex) {
    auto url = net::parse_url(config.ws_url);
    if (!url) throw Exception(url.error());
    url_ = *url;
    stream_options_ = stream_options(config);
    stream_options_.connect_pacer = &connects_;
    sync_options_.retry_max = config.reconnect_max;
    sync_options_.stale_after = config.stale_after;
    sync_options_.frozen_after = config.frozen_side_after;
    sync_options_.check_levels = config.book_check_levels;
    sync_options_.quiet_after = watch_period_;
    sync_options_.book = config.book;
}

void MarketStreams::start(std::weak_ptr<void> owner) {
    owner_ = owner;
    tasks_.bind(std::move(owner));
    tasks_.spawn(watch());
}

// ---- subscriptions -------------------------------------------------------------------------

bool MarketStreams::is_subscribed(std::string_view symbol) const noexcept {
    return book_by_symbol_.contains(symbol);
}

const MarketStreams::Book* MarketStreams::find_book(std::string_view symbol) const noexcept {
    auto it = book_by_symbol_.find(symbol);
    return it == book_by_symbol_.end() ? nullptr : &books_[it->second];
}

asio::awaitable<Result<const MarketStreams::Book*>> MarketStreams::subscribe_book(
    std::string symbol, SymbolScales scales, Clock::time_point deadline) {
    if (closing_) co_return Error(Condition::closed, Errc::closed);
    auto it = book_by_symbol_.find(symbol);
    Book* found = it != book_by_symbol_.end() ? &books_[it->second] : nullptr;
    if (!found) {
        auto topic = topic::aggre_depth(symbol, depth_speed_);  // refuses a malformed symbol
        if (!topic) co_return topic.error();
        found = &add_book(std::move(symbol), topic->name(), scales);
    }
    Book& book = *found;
    const auto epoch = book.epoch;
    for (;;) {
        if (book.epoch != epoch) co_return Error(Condition::rejected, Errc::not_subscribed);
        const Route& route = routes_.find(book.topic)->second;
        if (route.failure) co_return *route.failure;
        if (route.answer == Answer::accepted && book.book().is_live()) co_return &book;
        if (Clock::now() >= deadline) {
            auto late = Error(Condition::network, Errc::timeout);
            if (route.answer == Answer::pending) late.with_venue_message(book.topic);
            co_return late;
        }
        if (!co_await wait_change(deadline)) co_return Error(Condition::closed, Errc::closed);
    }
}

MarketStreams::Book& MarketStreams::add_book(std::string symbol, std::string topic,
                                             SymbolScales scales) {
    Route& route = route_for(topic);  // a frame subscription may have subscribed it already
    std::uint32_t slot;
    Book* book;
    if (!free_books_.empty()) {
        slot = free_books_.back();
        free_books_.pop_back();
        book = &books_[slot];
        book->symbol = std::move(symbol);
        book->topic = std::move(topic);
        book->stream = route.stream;
        book->sync = BookSync(scales, sync_options_, Clock::now());
        book->removed = false;
        ++book->epoch;
    } else {
        slot = static_cast<std::uint32_t>(books_.size());
        book = &books_.emplace_back(std::move(symbol), std::move(topic), route.stream, scales,
                                    sync_options_, ex_);
    }
    book_by_symbol_.emplace(book->symbol, slot);
    route.book = slot;
    const auto& stream = *streams_[route.stream];
    if (stream.connected()) book->sync.connected(stream.generation());
    return *book;
}

asio::awaitable<Result<void>> MarketStreams::remove_book(std::string symbol,
                                                         Clock::time_point deadline) {
    if (closing_) co_return Error(Condition::closed, Errc::closed);
    auto it = book_by_symbol_.find(symbol);
    if (it == book_by_symbol_.end()) co_return Error(Condition::rejected, Errc::not_subscribed);
    const auto slot = it->second;
    Book& book = books_[slot];
    book_by_symbol_.erase(it);
    std::vector<Sent> sent;
    if (auto route = routes_.find(book.topic); route != routes_.end()) {
        route->second.book.reset();
        if (auto s = release(route)) sent.push_back(*s);
    }
    free_book(book);
    free_books_.push_back(slot);
    notify(nullptr);  // a subscribe_book waiting on it ends with not_subscribed
    co_return co_await await_answers(std::move(sent), deadline);
}

void MarketStreams::free_book(Book& book) noexcept {
    // Its counters stay in the totals; its levels and buffers go with a fresh, empty book that
    // old views read as Resyncing.
    const auto& s = book.book().stats();
    stats_.gaps += s.gaps + s.rejected + s.crossed;
    stats_.snapshots += book.sync.stats().snapshots;
    stats_.snapshot_failures += book.sync.stats().snapshot_failures;
    stats_.frozen_sides += book.sync.stats().frozen_sides;
    stats_.book_checks += book.sync.stats().checks;
    stats_.book_check_disagreements += book.sync.stats().check_disagreements;
    if (book.dirty) {
        book.dirty = false;
        --dirty_count_;
    }
    book.sync = BookSync(book.book().scales(), sync_options_, Clock::now());
    book.sync.disconnected();
    book.sync.close();
    book.retry.cancel();
    book.removed = true;
    ++book.epoch;  // ends its snapshot cycle
    book.symbol.clear();
    book.topic.clear();
}

MarketStreams::Route& MarketStreams::route_for(const std::string& topic) {
    auto [it, fresh] = routes_.try_emplace(topic);
    if (fresh) {
        it->second.stream = stream_with_room();
        streams_[it->second.stream]->subscribe(topic);
    }
    return it->second;
}

std::optional<MarketStreams::Sent> MarketStreams::release(RouteMap::iterator it) noexcept {
    auto& route = it->second;
    if (!route.taps.empty() || route.book) return std::nullopt;
    // Pushes already on the way are counted as unrouted (P04).
    const Sent sent{route.stream, streams_[route.stream]->unsubscribe(it->first)};
    const auto successor = route.successor;
    if (successor) streams_[*successor]->unsubscribe(it->first);
    routes_.erase(it);
    if (successor) end_rotation_if_done(sent.stream);
    return sent;
}

asio::awaitable<Result<void>> MarketStreams::await_answers(std::vector<Sent> sent,
                                                           Clock::time_point deadline) {
    for (;;) {
        if (closing_) co_return Error(Condition::closed, Errc::closed);
        const bool done = std::all_of(sent.begin(), sent.end(), [&](const Sent& s) {
            return s.request == 0 || streams_[s.stream]->answered(s.request);
        });
        if (done) co_return Result<void>{};
        if (Clock::now() >= deadline) co_return Error(Condition::network, Errc::timeout);
        if (!co_await wait_change(deadline)) co_return Error(Condition::closed, Errc::closed);
    }
}

asio::awaitable<Result<std::shared_ptr<FrameSubscription::State>>> MarketStreams::subscribe_frames(
    std::vector<Topic> topics, FrameQueueOptions options, Clock::time_point deadline) {
    if (closing_) co_return Error(Condition::closed, Errc::closed);
    std::sort(topics.begin(), topics.end());
    topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
    if (topics.empty() || options.capacity == 0)
        co_return Error(Condition::rejected, Errc::invalid_argument);
    auto state = std::make_shared<FrameSubscription::State>(ex_, std::move(topics), options);
    state->streams = this;
    state->owner = owner_;
    for (std::uint32_t i = 0; i < state->topics.size(); ++i) {
        Route& route = route_for(state->topics[i].name());
        route.taps.push_back({state.get(), i});
        if (route.failure) state->refused(*route.failure);  // told before this one joined
    }
    frame_subs_.push_back(state);
    // Failed, abandoned (cancelled) or closed: nothing stays subscribed for it.
    struct Undo {
        MarketStreams* self;
        FrameSubscription::State* state;
        ~Undo() {
            if (state && !state->ended) self->remove_frames(*state);
        }
    } undo{this, state.get()};
    // Settled when the venue answered every topic; the failure names the topics concerned.
    for (;;) {
        if (closing_ || state->ended) co_return Error(Condition::closed, Errc::closed);
        std::string pending, refused;
        bool accepted = false;
        for (const auto& topic : state->topics) {
            const Route& route = routes_.find(topic.name())->second;
            auto& list = route.answer == Answer::pending ? pending : refused;
            if (route.answer == Answer::accepted)
                accepted = true;
            else
                list.append(list.empty() ? "" : ",").append(topic.name());
        }
        if (pending.empty() && accepted) {
            undo.state = nullptr;
            co_return state;
        }
        const bool late = !pending.empty() && Clock::now() >= deadline;
        if (late || pending.empty()) {
            co_return late ? Error(Condition::network, Errc::timeout).with_venue_message(pending)
                           : Error(Condition::rejected, Errc::subscription_rejected)
                                 .with_venue_message(refused);
        }
        if (!co_await wait_change(deadline)) co_return Error(Condition::closed, Errc::closed);
    }
}

void MarketStreams::remove_frames(FrameSubscription::State& state) noexcept {
    for (const auto& topic : state.topics) {
        auto it = routes_.find(topic.name());
        if (it == routes_.end()) continue;
        std::erase_if(it->second.taps, [&](const FrameTap& t) { return t.state == &state; });
        if (auto sent = release(it)) state.unsubscribed.emplace_back(sent->stream, sent->request);
    }
    std::erase_if(frame_subs_, [&](const auto& s) { return s.get() == &state; });
    state.end();
}

asio::awaitable<Result<void>> MarketStreams::unsubscribe_frames(
    std::shared_ptr<FrameSubscription::State> state) {
    if (closing_) co_return Error(Condition::closed, Errc::closed);
    const auto deadline = Clock::now() + answer_timeout_;
    if (!state->ended) remove_frames(*state);
    auto sent = std::move(state->unsubscribed);
    std::vector<Sent> waits;
    for (const auto& s : sent) waits.push_back({s.first, s.second});
    co_return co_await await_answers(std::move(waits), deadline);
}

std::size_t MarketStreams::stream_with_room() {
    for (const auto& s : streams_) {
        const bool retiring = std::any_of(rotations_.begin(), rotations_.end(),
                                          [&](const Rotation& r) { return r.from == s->id(); });
        if (!retiring && s->topic_count() < topics_per_stream_) return s->id();
    }
    return new_stream();
}

std::size_t MarketStreams::new_stream() {
    const auto id = streams_.size();
    StreamHandler& handler = *this;  // a private base: its calls come from our streams only
    streams_.push_back(
        std::make_unique<PublicStream>(ex_, url_, tls_, stream_options_, handler, id));
    tasks_.spawn(streams_.back()->run());
    return id;
}

// ---- what the connections report -----------------------------------------------------------

void MarketStreams::on_push(std::size_t stream, std::uint64_t, std::string_view bytes) {
    ++stats_.frames;
    auto frame = wire::decode_push(bytes);
    if (!frame) {
        ++stats_.decode_errors;
        return;
    }
    // One transparent hash of the channel, then an index (STYLE §8).
    auto it = routes_.find(frame->channel);
    if (it == routes_.end()) {
        ++stats_.unrouted_frames;
        return;
    }
    Route& route = it->second;
    if (stream != route.stream) {
        // The successor's frames wait until they join up; a former connection's last ones, after
        // the topic moved over, were delivered already by its successor.
        if (route.successor == stream) {
            route.held.emplace_back(bytes);
            join_up(route, route.held.size() >= 256);
        }
        return;
    }
    deliver(route, bytes, *frame);
    if (route.successor) {
        route.last_body = std::hash<std::string_view>{}(frame->body) | 1;  // never 0
        join_up(route, false);
    }
}

void MarketStreams::deliver(Route& route, std::string_view bytes, const wire::PushFrame& frame) {
    // Pushes of a topic whose earlier subscription is still being removed prove nothing yet.
    if (!route.data && !streams_[route.stream]->unsubscribing(frame.channel)) {
        route.data = true;
        if (route.answer == Answer::accepted) route.failure.reset();  // no_data, late but here
        // Data proves the subscription when its answer was lost (liberal in what we accept).
        if (route.answer == Answer::pending) {
            route.answer = Answer::accepted;
            route.accepted_at = Clock::now();
            notify(nullptr);
        }
    }
    if (!route.taps.empty()) {
        const auto received = std::chrono::system_clock::now();
        for (const auto& tap : route.taps) tap.state->deliver(tap.topic, bytes, received);
    }
    if (route.book) {
        on_depth(books_[*route.book], frame);
    } else if (frame.kind == wire::BodyKind::public_aggre_deals) {
        check_trades(frame);
    }
}

// Trades of a symbol with a book check its sides (BookSync::trade): a taker buy takes from the
// asks, a taker sell from the bids.
void MarketStreams::check_trades(const wire::PushFrame& frame) {
    auto it = book_by_symbol_.find(frame.symbol);
    if (it == book_by_symbol_.end()) return;
    auto deals = wire::decode_deals(frame.body);
    if (!deals) return;  // the trades' own consumers see the bad frame
    auto& book = books_[it->second];
    const auto now = Clock::now();
    for (const auto& deal : deals->deals) {
        const Side maker = deal.trade_type == 1   ? Side::sell
                           : deal.trade_type == 2 ? Side::buy
                                                  : Side::unknown;
        book.sync.trade(maker, deal.time, now);
    }
}

// ---- rotation --------------------------------------------------------------------------------

void MarketStreams::check_rotations(Clock::time_point now) {
    for (std::size_t i = 0; i < rotations_.size();) {
        if (now < rotations_[i].deadline) {
            ++i;
            continue;
        }
        const auto from = rotations_[i].from;
        for (auto& [topic, route] : routes_)  // the stragglers move over as they are
            if (route.stream == from && route.successor) join_up(route, true);
        // join_up ended the rotation when its last topic moved.
        if (i < rotations_.size() && rotations_[i].from == from) ++i;
    }
    const auto count = streams_.size();  // begin_rotation may add one
    for (std::size_t s = 0; s < count; ++s) {
        const auto since = streams_[s]->connected_since();
        if (!since || now - *since < rotate_after_ || streams_[s]->topic_count() == 0) continue;
        const bool involved = std::any_of(rotations_.begin(), rotations_.end(),
                                          [&](const auto& r) { return r.from == s || r.to == s; });
        if (!involved) begin_rotation(s, now);
    }
}

void MarketStreams::begin_rotation(std::size_t from, Clock::time_point now) {
    // An idle slot serves as the successor if there is one: it connects afresh.
    std::size_t to = streams_.size();
    for (const auto& s : streams_) {
        const bool involved = std::any_of(rotations_.begin(), rotations_.end(), [&](const auto& r) {
            return r.from == s->id() || r.to == s->id();
        });
        if (s->id() != from && s->topic_count() == 0 && !involved) to = s->id();
    }
    if (to == streams_.size()) to = new_stream();
    // Enough for the successor to connect, subscribe and push each channel a few times.
    const auto grace = std::clamp(rotate_after_ / 2, std::chrono::milliseconds(500),
                                  std::chrono::milliseconds(30000));
    rotations_.push_back({from, to, now + grace});
    for (const auto& topic : streams_[from]->topic_names()) {
        auto it = routes_.find(topic);
        if (it == routes_.end()) continue;
        it->second.successor = to;
        it->second.held.clear();
        it->second.last_body = 0;
        streams_[to]->subscribe(topic);
    }
}

void MarketStreams::join_up(Route& route, bool force) {
    std::size_t first_new = 0;
    bool joined = false;
    if (route.book) {
        const OrderBook& book = books_[*route.book].book();
        const bool exact = book.state() == BookState::live || book.state() == BookState::stale;
        // A book being resynced has nothing exact to keep: it takes the new frames as they come.
        joined = !exact;
        const auto v = book.version();
        while (exact && first_new < route.held.size()) {
            auto frame = wire::decode_push(route.held[first_new]);
            if (!frame) break;  // delivered as it is: the book judges it
            auto depth = wire::decode_aggre_depth(frame->body);
            if (!depth) break;
            if (depth->to_version < v) {  // applied already, from the old connection
                ++first_new;
                continue;
            }
            // Ending where the book is, or chaining to it: the successor's stream goes on from
            // here (a gap after it would be the book's to find, as on any connection).
            joined = depth->to_version == v || depth->from_version <= v + 1;
            if (depth->to_version == v) ++first_new;
            break;
        }
        if (!joined && !force) {
            route.held.erase(route.held.begin(),
                             route.held.begin() + static_cast<std::ptrdiff_t>(first_new));
            return;
        }
    } else if (route.last_body != 0) {
        for (std::size_t k = route.held.size(); k-- > 0;) {
            auto frame = wire::decode_push(route.held[k]);
            if (frame && (std::hash<std::string_view>{}(frame->body) | 1) == route.last_body) {
                joined = true;
                first_new = k + 1;
                break;
            }
        }
    }
    if (!joined) {
        if (!force) return;
        ++stats_.seams_forced;
        first_new = 0;
    }
    hand_over(route, first_new);
}

void MarketStreams::hand_over(Route& route, std::size_t first_new) {
    const auto from = route.stream;
    route.stream = *route.successor;
    route.successor.reset();
    route.last_body = 0;
    if (route.book) books_[*route.book].stream = route.stream;
    auto held = std::move(route.held);
    route.held.clear();
    for (std::size_t i = first_new; i < held.size(); ++i)
        if (auto frame = wire::decode_push(held[i])) deliver(route, held[i], *frame);
    end_rotation_if_done(from);
}

void MarketStreams::end_rotation_if_done(std::size_t from) {
    bool waiting = false, staying = false;
    for (const auto& [topic, route] : routes_) {
        if (route.stream != from) continue;
        (route.successor ? waiting : staying) = true;
    }
    if (waiting) return;
    std::erase_if(rotations_, [&](const Rotation& r) {
        if (r.from != from) return false;
        ++stats_.rotations;
        return true;
    });
    // The old connection closes once its last topic has moved. One the successor refused stays
    // on it, until the venue's cut reconnects it.
    if (!staying) streams_[from]->clear();
}

void MarketStreams::end_rotations() noexcept {
    for (auto& [topic, route] : routes_) {
        route.successor.reset();
        route.held.clear();
    }
    rotations_.clear();
}

void MarketStreams::on_depth(Book& book, const wire::PushFrame& frame) {
    if (frame.kind != wire::BodyKind::public_aggre_depths) {
        ++stats_.unrouted_frames;
        return;
    }
    auto depth = wire::decode_aggre_depth(frame.body);
    if (!depth) ++stats_.decode_errors;
    execute(book, depth ? book.sync.frame(*depth, Clock::now(), frame.send_time)
                        : book.sync.bad_frame(Clock::now()));
}

void MarketStreams::on_subscription(std::size_t stream, std::string_view topic, bool accepted,
                                    std::string_view) {
    auto it = routes_.find(topic);
    if (it == routes_.end()) return;  // removed meanwhile (C09)
    Route& route = it->second;
    if (stream != route.stream) {
        // A successor refusing the topic: it stays where it is (see end_rotation_if_done).
        if (route.successor == stream && !accepted) {
            route.successor.reset();
            route.held.clear();
            end_rotation_if_done(route.stream);
        }
        return;
    }
    if (accepted) {
        if (route.answer == Answer::pending) {
            route.answer = Answer::accepted;
            route.accepted_at = Clock::now();
        }
        notify(nullptr);
        return;
    }
    // Only this topic failed (E16); its consumers learn it, the connection forgot it.
    route.answer = Answer::refused;
    report_failure(
        route, Error(Condition::rejected, Errc::subscription_rejected).with_venue_message(topic));
}

void MarketStreams::on_unsubscribed(std::size_t) {
    notify(nullptr);
}

void MarketStreams::report_failure(Route& route, const Error& why) {
    route.failure = why;
    for (const auto& tap : route.taps) tap.state->refused(why);
    notify(route.book ? &books_[*route.book] : nullptr);
}

void MarketStreams::check_first_data(Clock::time_point now) {
    if (first_data_timeout_.count() <= 0) return;
    for (auto& [topic, route] : routes_) {
        if (route.answer != Answer::accepted || route.data || route.failure) continue;
        if (now - route.accepted_at < first_data_timeout_) continue;
        report_failure(route, Error(Condition::network, Errc::no_data).with_venue_message(topic));
    }
}

void MarketStreams::on_connected(std::size_t stream, std::uint64_t generation) {
    ++stats_.connects;
    for (auto& book : books_)
        if (book.stream == stream && !book.removed) execute(book, book.sync.connected(generation));
}

void MarketStreams::on_disconnected(std::size_t stream, std::uint64_t, const Error&) {
    ++stats_.disconnects;
    // A connection lost while being replaced hands every topic over at once: its successor is
    // subscribed to them all already.
    if (std::any_of(rotations_.begin(), rotations_.end(),
                    [&](const Rotation& r) { return r.from == stream; })) {
        for (auto& [topic, route] : routes_)
            if (route.stream == stream && route.successor) join_up(route, true);
    }
    // Whatever was buffered belongs to a dead generation: every book of the connection is resynced
    // from a fresh snapshot after the reconnect (FAULTS §1.3.2).
    for (auto& book : books_)
        if (book.stream == stream && !book.removed) execute(book, book.sync.disconnected());
}

// ---- snapshot cycles and the watchdog --------------------------------------------------------

void MarketStreams::execute(Book& book, SyncAction action) {
    if (action.notify) notify(&book);
    // Only an idle book asks for a step here; from then on its cycle task runs the steps.
    if (action.step != SyncStep::none) tasks_.spawn(snapshot_cycle(&book, action));
}

asio::awaitable<void> MarketStreams::snapshot_cycle(Book* book, SyncAction action) {
    const auto epoch = book->epoch;  // a removed book's cycle ends at its next step
    while (!closing_ && book->epoch == epoch && action.step != SyncStep::none) {
        if (action.step == SyncStep::fetch_snapshot) {
            // A book readers already used comes back before one that was never Live.
            const auto priority = book->book().state() == BookState::syncing
                                      ? SnapshotGate::Priority::first_load
                                      : SnapshotGate::Priority::resync;
            const auto slot = co_await snapshots_.acquire(priority);
            if (!slot) break;  // closing
            // Raced with close: a request the venue holds open does not hold the close up.
            auto answer =
                co_await (rest_.depth(book->symbol, snapshot_limit_, book->book().scales()) ||
                          closed_.async_wait(asio::as_tuple(asio::use_awaitable)));
            if (answer.index() == 1 || book->epoch != epoch) break;
            auto& snapshot = std::get<0>(answer);
            action = snapshot ? book->sync.snapshot_received(*snapshot, Clock::now())
                              : book->sync.snapshot_failed();
        } else {
            book->retry.expires_after(action.delay);
            co_await book->retry.async_wait(tuple_token);
            if (book->epoch != epoch) break;
            action = book->sync.retry_due();
        }
        if (action.notify) notify(book);
    }
}

asio::awaitable<void> MarketStreams::watch() {
    while (!closing_) {
        watchdog_.expires_after(watch_period_);
        co_await watchdog_.async_wait(tuple_token);
        if (closing_) break;
        const auto now = Clock::now();
        for (auto& book : books_)
            if (!book.removed) execute(book, book.sync.tick(now));
        if (check_interval_.count() > 0 && now >= next_check_) {
            next_check_ = now + check_interval_;
            begin_check();
        }
        check_first_data(now);
        check_rotations(now);
    }
}

// The next Live book, round robin, is checked against a REST snapshot (BookSync::begin_check),
// behind the resyncs and first loads in the snapshot gate and metered by the rate budget.
void MarketStreams::begin_check() {
    for (std::size_t i = 0; i < books_.size(); ++i) {
        auto& book = books_[check_cursor_++ % books_.size()];
        if (book.removed || !book.sync.begin_check()) continue;
        tasks_.spawn(check_cycle(&book));
        return;
    }
}

asio::awaitable<void> MarketStreams::check_cycle(Book* book) {
    const auto epoch = book->epoch;
    const auto slot = co_await snapshots_.acquire(SnapshotGate::Priority::first_load);
    if (!slot || book->epoch != epoch) co_return;
    auto answer = co_await (rest_.depth(book->symbol, check_limit, book->book().scales()) ||
                            closed_.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (answer.index() == 1 || book->epoch != epoch) co_return;
    auto& snapshot = std::get<0>(answer);
    if (!snapshot) {
        book->sync.check_failed();
        co_return;
    }
    execute(*book, book->sync.check_received(*snapshot, Clock::now()));
}

// ---- notifications ---------------------------------------------------------------------------

void MarketStreams::notify(Book* book) noexcept {
    if (book && !book->dirty) {
        book->dirty = true;
        ++dirty_count_;
    }
    changed_.notify_all();
}

// Waits until notified or `deadline`; false when closing.
asio::awaitable<bool> MarketStreams::wait_change(Clock::time_point deadline) {
    co_await changed_.wait_until(deadline);
    co_return !closing_;
}

asio::awaitable<Result<const MarketStreams::Book*>> MarketStreams::next_update() {
    for (;;) {
        if (closing_) co_return Error(Condition::closed, Errc::closed);
        if (dirty_count_ > 0) {
            // Round robin, so one busy book cannot starve the others.
            const std::size_t n = books_.size();
            for (std::size_t i = 0; i < n; ++i) {
                Book& book = books_[(dirty_cursor_ + i) % n];
                if (!book.dirty) continue;
                book.dirty = false;
                --dirty_count_;
                dirty_cursor_ = (dirty_cursor_ + i + 1) % n;
                co_return &book;
            }
        }
        co_await changed_.wait();  // no coroutine of its own: this runs once per frame
        if (closing_) co_return Error(Condition::closed, Errc::closed);
    }
}

MarketMetrics MarketStreams::metrics() const noexcept {
    MarketMetrics m = stats_;
    m.snapshots_waiting = snapshots_.waiting();
    m.snapshots_in_flight = snapshots_.in_flight();
    for (const auto& b : books_) {
        const auto& s = b.book().stats();
        m.book_updates += s.applied;
        if (!b.removed) {
            ++m.active_books;
            m.book_levels += b.book().bid_depth() + b.book().ask_depth();
        }
        m.gaps += s.gaps + s.rejected + s.crossed;
        m.snapshots += b.sync.stats().snapshots;
        m.snapshot_failures += b.sync.stats().snapshot_failures;
        m.frozen_sides += b.sync.stats().frozen_sides;
        m.book_checks += b.sync.stats().checks;
        m.book_check_disagreements += b.sync.stats().check_disagreements;
    }
    return m;
}

// ---- close -----------------------------------------------------------------------------------

void MarketStreams::begin_close() noexcept {
    closing_ = true;
    snapshots_.close();
    for (auto& book : books_) {
        book.sync.close();
        book.retry.cancel();
    }
    closed_.expires_at(asio::steady_timer::time_point::min());  // a latch: later waits end now
    end_rotations();
    for (auto& sub : frame_subs_) sub->end();
    watchdog_.cancel();
    changed_.notify_all();
}

asio::awaitable<void> MarketStreams::close() {
    if (closing_) co_return;
    begin_close();
    for (auto& s : streams_) co_await s->stop();
    co_await tasks_.join(close_bound_);
}

void MarketStreams::abort() noexcept {
    begin_close();
    for (auto& s : streams_) s->abort();
}

}  // namespace mexc::ws
