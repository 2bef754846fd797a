// SnapshotGate: a bounded number of snapshot requests at once, resyncs before first loads, and
// no slot lost to a waiter that went away.

#include "ws/snapshot_gate.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
using mexc::ws::SnapshotGate;

namespace {

// Takes a slot, records who got it, and holds it until `hold` is cleared.
asio::awaitable<void> take(SnapshotGate& gate, SnapshotGate::Priority p, std::string name,
                           std::vector<std::string>& order, std::vector<SnapshotGate::Slot>& held) {
    auto slot = co_await gate.acquire(p);
    order.push_back(slot ? name : name + ":closed");
    if (slot) held.push_back(std::move(slot));
}

}  // namespace

TEST_CASE("snapshot slots go to resyncs before first loads, first come first served within each",
          "[unit][ws][snapshots]") {
    asio::io_context ioc;
    SnapshotGate gate(ioc.get_executor(), 1);
    std::vector<std::string> order;
    std::vector<SnapshotGate::Slot> held;
    held.reserve(8);
    const auto spawn = [&](SnapshotGate::Priority p, std::string name) {
        asio::co_spawn(ioc, take(gate, p, std::move(name), order, held), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    };
    spawn(SnapshotGate::Priority::first_load, "first");
    spawn(SnapshotGate::Priority::first_load, "load-a");
    spawn(SnapshotGate::Priority::first_load, "load-b");
    spawn(SnapshotGate::Priority::resync, "resync");
    ioc.poll();
    REQUIRE(order == std::vector<std::string>{"first"});
    CHECK(gate.in_flight() == 1);
    CHECK(gate.waiting() == 3);
    for (const char* next : {"resync", "load-a", "load-b"}) {
        held.erase(held.begin());  // the request in flight ends: its slot passes on
        ioc.poll();
        REQUIRE(order.back() == next);
        CHECK(gate.in_flight() == 1);
    }
    CHECK(gate.waiting() == 0);
    held.clear();
    CHECK(gate.in_flight() == 0);
}

TEST_CASE("closing the snapshot gate wakes its waiters empty-handed", "[unit][ws][snapshots]") {
    asio::io_context ioc;
    SnapshotGate gate(ioc.get_executor(), 1);
    std::vector<std::string> order;
    std::vector<SnapshotGate::Slot> held;
    held.reserve(4);
    for (const char* name : {"a", "b"})
        asio::co_spawn(ioc, take(gate, SnapshotGate::Priority::resync, name, order, held),
                       [](std::exception_ptr e) {
                           if (e) std::rethrow_exception(e);
                       });
    ioc.poll();
    gate.close();
    ioc.poll();
    CHECK(order == std::vector<std::string>{"a", "b:closed"});
    held.clear();
    CHECK(gate.in_flight() == 0);
}

TEST_CASE("a waiter destroyed before it resumed gives its place, or its granted slot, back",
          "[unit][ws][snapshots]") {
    std::vector<std::string> order;
    std::vector<SnapshotGate::Slot> held;
    held.reserve(4);
    auto ioc = std::make_unique<asio::io_context>();
    SnapshotGate gate(ioc->get_executor(), 1);
    for (const char* name : {"a", "b"})
        asio::co_spawn(*ioc, take(gate, SnapshotGate::Priority::resync, name, order, held),
                       [](std::exception_ptr e) {
                           if (e) std::rethrow_exception(e);
                       });
    ioc->poll();
    REQUIRE(order == std::vector<std::string>{"a"});
    held.clear();  // "b" is granted the slot but has not resumed yet
    CHECK(gate.in_flight() == 1);
    ioc.reset();  // destroys the waiting coroutine "b" before it ran
    CHECK(gate.in_flight() == 0);
    CHECK(gate.waiting() == 0);
}
