// The bounded queue of raw frame subscriptions (src/ws/frame_queue.hpp): order, a loss reported
// exactly where it happened and counted, delivery resuming after it, no allocation once warm.

#include "ws/frame_queue.hpp"

#include "support/alloc_counter.hpp"

#include <catch2/catch.hpp>

#include <string>

using mexc::ws::FrameRing;
using Taken = FrameRing::Taken;

namespace {

const FrameRing::Time t0 = FrameRing::Time(std::chrono::seconds(1));

std::string take_frame(FrameRing& ring, std::string& out) {
    const auto taken = ring.take(out);
    REQUIRE(taken.kind == Taken::frame);
    return out;
}

}  // namespace

TEST_CASE("frame ring: frames come out in order with their topic and time", "[unit][frames]") {
    FrameRing ring(4);
    std::string out;
    CHECK(ring.take(out).kind == Taken::empty);
    REQUIRE(ring.push(0, "a", t0));
    REQUIRE(ring.push(1, "bb", t0 + std::chrono::seconds(1)));
    CHECK(ring.size() == 2);
    auto first = ring.take(out);
    CHECK(first.kind == Taken::frame);
    CHECK(first.topic == 0);
    CHECK(first.received == t0);
    CHECK(out == "a");
    auto second = ring.take(out);
    CHECK(second.topic == 1);
    CHECK(second.received == t0 + std::chrono::seconds(1));
    CHECK(out == "bb");
    CHECK(ring.take(out).kind == Taken::empty);
    CHECK(ring.dropped() == 0);
}

TEST_CASE("frame ring: overflow is counted and reported at the place of the loss",
          "[unit][frames]") {
    FrameRing ring(2);
    std::string out;
    REQUIRE(ring.push(0, "1", t0));
    REQUIRE(ring.push(0, "2", t0));
    CHECK_FALSE(ring.push(0, "3", t0));
    CHECK_FALSE(ring.push(0, "4", t0));
    CHECK_FALSE(ring.push(0, "5", t0));
    CHECK(ring.dropped() == 3);

    SECTION("the loss follows the frames queued before it, then delivery resumes") {
        CHECK(take_frame(ring, out) == "1");
        REQUIRE(ring.push(0, "6", t0));  // room again: queued after the loss
        CHECK(take_frame(ring, out) == "2");
        const auto loss = ring.take(out);
        CHECK(loss.kind == Taken::loss);
        CHECK(loss.lost == 3);
        CHECK(take_frame(ring, out) == "6");
        CHECK(ring.take(out).kind == Taken::empty);
    }
    SECTION("a loss at the end of the queue is reported when the queue runs empty") {
        CHECK(take_frame(ring, out) == "1");
        CHECK(take_frame(ring, out) == "2");
        const auto loss = ring.take(out);
        CHECK(loss.kind == Taken::loss);
        CHECK(loss.lost == 3);
        CHECK(ring.take(out).kind == Taken::empty);
    }
    SECTION("two separate losses are two reports, each with its count") {
        CHECK(take_frame(ring, out) == "1");
        REQUIRE(ring.push(0, "6", t0));
        CHECK_FALSE(ring.push(0, "7", t0));
        CHECK(ring.dropped() == 4);
        CHECK(take_frame(ring, out) == "2");
        CHECK(ring.take(out).lost == 3);
        CHECK(take_frame(ring, out) == "6");
        CHECK(ring.take(out).lost == 1);
        CHECK(ring.take(out).kind == Taken::empty);
    }
}

TEST_CASE("frame ring: zero capacity is one slot", "[unit][frames]") {
    FrameRing ring(0);
    CHECK(ring.capacity() == 1);
}

TEST_CASE("frame ring: no allocation once each slot has held the largest frame",
          "[unit][frames][alloc]") {
    FrameRing ring(3);
    std::string out;
    const std::string big(4096, 'x');
    for (int i = 0; i < 4; ++i) {  // every slot and the reader's buffer get a large buffer
        REQUIRE(ring.push(0, big, t0));
        REQUIRE(ring.push(0, big, t0));
        REQUIRE(ring.push(0, big, t0));
        while (ring.take(out).kind != Taken::empty) {
        }
    }
    mexc::testing::AllocationCounter scope;
    for (int i = 0; i < 1000; ++i) {
        ring.push(0, std::string_view(big).substr(0, 100 + i), t0);
        ring.push(0, "small", t0);
        ring.push(0, big, t0);
        ring.push(0, big, t0);  // dropped
        while (ring.take(out).kind != Taken::empty) {
        }
    }
    CHECK(scope.count() == 0);
}

TEST_CASE("frame ring: conflating keeps the latest frame of each topic at its first place",
          "[unit][frames][C13]") {
    auto ring = FrameRing::conflating(3);
    std::string out;
    REQUIRE(ring.push(0, "a1", t0));
    REQUIRE(ring.push(1, "b1", t0));
    REQUIRE(ring.push(0, "a2", t0 + std::chrono::seconds(1)));  // replaces a1 in place
    REQUIRE(ring.push(2, "c1", t0));
    REQUIRE(ring.push(0, "a3", t0 + std::chrono::seconds(2)));
    CHECK(ring.size() == 3);
    CHECK(ring.conflated() == 2);
    CHECK(ring.dropped() == 0);

    auto first = ring.take(out);
    REQUIRE(first.kind == Taken::frame);
    CHECK(first.topic == 0);
    CHECK(out == "a3");
    CHECK(first.received == t0 + std::chrono::seconds(2));  // the time of the frame kept
    // Taken: the topic's next push queues anew, behind the others.
    REQUIRE(ring.push(0, "a4", t0));
    CHECK(take_frame(ring, out) == "b1");
    CHECK(take_frame(ring, out) == "c1");
    CHECK(take_frame(ring, out) == "a4");
    CHECK(ring.take(out).kind == Taken::empty);
    CHECK(ring.conflated() == 2);
}

TEST_CASE("frame ring: a conflating ring never drops and never reports a loss",
          "[unit][frames][C13][I7]") {
    auto ring = FrameRing::conflating(2);
    std::string out;
    for (int i = 0; i < 100; ++i) {
        REQUIRE(ring.push(static_cast<std::uint32_t>(i % 2), std::to_string(i), t0));
        CHECK(ring.size() <= 2);
    }
    CHECK(ring.dropped() == 0);
    CHECK(ring.conflated() == 98);
    CHECK(take_frame(ring, out) == "98");
    CHECK(take_frame(ring, out) == "99");
    CHECK(ring.take(out).kind == Taken::empty);
}

TEST_CASE("frame ring: a reader that never reads leaves memory flat over 100000 pushes",
          "[unit][frames][alloc][C13][I7]") {
    const std::string frame(512, 'x');
    FrameRing lossless(64);
    auto conflating = FrameRing::conflating(4);
    for (std::uint32_t i = 0; i < 64; ++i) {  // warm-up: every slot holds a frame
        lossless.push(i % 4, frame, t0);
        conflating.push(i % 4, frame, t0);
    }
    mexc::testing::AllocationCounter allocs;
    for (std::uint32_t i = 0; i < 100000; ++i) {
        lossless.push(i % 4, std::string_view(frame).substr(0, 100 + i % 400), t0);
        conflating.push(i % 4, std::string_view(frame).substr(0, 100 + i % 400), t0);
    }
    CHECK(allocs.count() == 0);
    CHECK(lossless.size() == 64);
    CHECK(lossless.dropped() == 100000);
    CHECK(conflating.size() == 4);
    CHECK(conflating.dropped() == 0);
    CHECK(conflating.conflated() == 100000 + 60);
    // The one loss is reported where it happened, with its whole count.
    std::string out;
    for (int i = 0; i < 64; ++i) take_frame(lossless, out);
    const auto loss = lossless.take(out);
    CHECK(loss.kind == Taken::loss);
    CHECK(loss.lost == 100000);
}

TEST_CASE("frame ring: a reader that keeps up reuses one warm slot, however large the ring",
          "[unit][frames][alloc]") {
    FrameRing ring(1024);
    std::string out;
    const std::string frame(300, 'x');
    for (int i = 0; i < 2; ++i) {  // the slot's buffer and the reader's
        REQUIRE(ring.push(0, frame, t0));
        REQUIRE(ring.take(out).kind == Taken::frame);
    }
    mexc::testing::AllocationCounter allocs;
    std::size_t delivered = 0;
    for (std::size_t i = 0; i < 10000; ++i) {
        // Frames of a topic grow a little (longer numbers): the headroom absorbs it.
        const bool queued = ring.push(0, std::string_view(frame).substr(0, 250 + i % 50), t0);
        if (queued && ring.take(out).kind == Taken::frame && out.size() == 250 + i % 50)
            ++delivered;
    }
    CHECK(allocs.count() == 0);
    CHECK(delivered == 10000);
}
