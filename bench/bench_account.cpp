// The account in real time over loopback, against the embedded venue on its own thread:
//  - BM_AccountEvent_PlaceToStream: MexcExchange::place_order of an IOC order that expires at once
//    (nothing rests, no funds move for long), then next_account_event() until the stream reports
//    it final. Per order: place → acknowledgement, place → first stream event, and venue push →
//    program event (from the venue's engine emitting the order's first push, just after its
//    frame is queued on the socket, to the program holding the event; both clocks are this
//    machine's steady clock). Percentiles over all iterations are reported as counters (µs).

#include "rest_round_trip.hpp"

#include <mexc/exchange.hpp>

#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace mexc::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The venue's first push of each order, stamped on the venue's thread.
class PushTimes {
public:
    void first_push(const std::string& order_id, Clock::time_point at) {
        std::lock_guard lock(mutex_);
        times_.try_emplace(order_id, at);
    }
    std::optional<Clock::time_point> take(const std::string& order_id) {
        std::lock_guard lock(mutex_);
        auto it = times_.find(order_id);
        if (it == times_.end()) return std::nullopt;
        auto at = it->second;
        times_.erase(it);
        return at;
    }

private:
    std::mutex mutex_;
    std::unordered_map<std::string, Clock::time_point> times_;
};

double percentile_us(std::vector<double>& samples, double q) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const auto i = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1));
    return samples[i];
}

double micros(Clock::duration d) {
    return std::chrono::duration<double, std::micro>(d).count();
}

void BM_AccountEvent_PlaceToStream(benchmark::State& state) {
    PushTimes pushes;  // outlives the venue, whose thread writes to it
    SandboxThread venue(order_venue_options());
    venue.run_on([&](sandbox::Sandbox& s) {
        s.observe_engine([&](const sandbox::EngineEvent& e) {
            if (const auto* o = std::get_if<sandbox::Order>(&e))
                pushes.first_push(o->order_id, Clock::now());
        });
        return true;
    });
    asio::io_context io;
    MexcExchange exchange(io.get_executor(), unmetered_config(venue));
    OrderRequest order = round_trip_order();
    order.client_order_id.clear();

    std::vector<double> to_ack, to_stream, push_to_event;
    bool failed = false;
    // One order: placed, acknowledged, followed on the stream until final.
    auto one = [&](bool record) -> asio::awaitable<bool> {
        const auto start = Clock::now();
        auto ack = co_await exchange.place_order(order);
        const auto acked = Clock::now();
        if (!ack) co_return false;
        const std::string id = ack->order_id.str();
        bool first = true;
        for (;;) {
            auto e = co_await exchange.next_account_event();
            const auto now = Clock::now();
            if (!e) co_return false;
            const auto* u = std::get_if<OrderUpdate>(&*e);
            if (!u || u->order_id.view() != id || u->source != EventSource::stream) continue;
            if (first && record) {
                to_ack.push_back(micros(acked - start));
                to_stream.push_back(micros(now - start));
                if (auto pushed = pushes.take(id)) push_to_event.push_back(micros(now - *pushed));
            }
            first = false;
            if (is_final(u->status)) co_return true;
        }
    };
    auto drive = [&](asio::awaitable<bool> task) {
        bool done = false, ok = false;
        io.restart();
        asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, bool r) {
            ok = !e && r;
            done = true;
        });
        while (!done) io.run_one();
        return ok;
    };
    if (!drive([&]() -> asio::awaitable<bool> {
            auto started = co_await exchange.start_account();
            if (!started) co_return false;
            for (int i = 0; i < 50; ++i)  // warm-up: pools, caches, the rules
                if (!co_await one(false)) co_return false;
            co_return true;
        }())) {
        state.SkipWithError("the account stream or the warm-up failed");
        failed = true;
    }
    for (auto _ : state) {
        if (failed) break;
        if (!drive(one(true))) {
            state.SkipWithError("an order was not followed to its end");
            failed = true;
        }
    }
    state.counters["place_to_ack_p50_us"] = percentile_us(to_ack, 0.50);
    state.counters["place_to_ack_p99_us"] = percentile_us(to_ack, 0.99);
    state.counters["place_to_stream_p50_us"] = percentile_us(to_stream, 0.50);
    state.counters["place_to_stream_p99_us"] = percentile_us(to_stream, 0.99);
    state.counters["push_to_event_p50_us"] = percentile_us(push_to_event, 0.50);
    state.counters["push_to_event_p99_us"] = percentile_us(push_to_event, 0.99);
    state.counters["push_samples"] = static_cast<double>(push_to_event.size());
    drive([&]() -> asio::awaitable<bool> {
        co_await exchange.close();
        co_return true;
    }());
}
BENCHMARK(BM_AccountEvent_PlaceToStream)->UseRealTime()->Iterations(2000);

}  // namespace
}  // namespace mexc::bench
