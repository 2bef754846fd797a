#pragma once
// Matches the venue's answers to the SUBSCRIPTION and UNSUBSCRIPTION requests of one connection
// (SPEC §7.3). Sans-io: the connection numbers each request with sent(), feeds every ack-shaped
// control frame to answer(), and learns which topic each answer settles.
//
// Matching: MEXC echoes the request's `id` (SPEC §7.3: JKorf/Mexc.Net and osslabz/mexc-client
// match on it), so the id chooses the request. An answer whose id is 0 or unknown (the docs' own
// examples show 0) is matched by the topics it lists instead: the oldest request still waiting
// for one of them. Success lists topics in `msg`; refusal lists them in brackets ("Blocked!",
// code still 0); `msg:""` (a repeated subscription) settles every topic the request still waits
// for as accepted. One request may be answered in several frames (accepted and refused apart).

#include "wire/json.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mexc::ws {

enum class Verb : std::uint8_t { subscribe, unsubscribe };

/// One topic settled by an answer.
struct TopicAnswer {
    std::uint64_t request = 0;
    Verb verb = Verb::subscribe;
    bool accepted = false;
    std::string_view topic;  // valid during the callback
};

class AckMatcher {
public:
    /// Registers a request about to be sent; returns its id (unique, never 0).
    std::uint64_t sent(Verb verb, std::span<const std::string> topics);

    /// Adds a topic to request `id`, registered but not yet sent.
    void extend(std::uint64_t id, const std::string& topic);

    /// Feeds one control frame; calls `out(const TopicAnswer&)` for each topic it settles.
    /// Frames that are not subscription answers (PONG, other) settle nothing.
    template <class Out>
    void answer(const wire::ControlFrame& frame, Out&& out);

    /// Whether a request of `verb` still waits for an answer about `topic`.
    bool waiting(Verb verb, std::string_view topic) const noexcept;
    /// Whether request `id` still waits for an answer about some topic.
    bool pending(std::uint64_t id) const noexcept;
    /// Requests waiting for an answer.
    std::size_t outstanding() const noexcept { return requests_.size(); }
    /// The connection is gone: no answer will come for what was sent on it.
    void reset() noexcept { requests_.clear(); }

private:
    struct Request {
        std::uint64_t id;
        Verb verb;
        std::vector<std::string> unanswered;
    };
    // The request an answer listing `topic` belongs to, or null.
    Request* find(std::int64_t id, std::string_view topic) noexcept;
    template <class Out>
    void settle(std::int64_t id, std::string_view list, bool accepted, Out& out);
    template <class Out>
    void settle_all(Request& r, Out& out);
    void erase_done() noexcept;

    std::vector<Request> requests_;  // oldest first
    std::uint64_t next_id_ = 1;
};

template <class Out>
void AckMatcher::answer(const wire::ControlFrame& frame, Out&& out) {
    switch (frame.kind) {
        case wire::ControlKind::subscribed:
            settle(frame.id, frame.msg, true, out);
            break;
        case wire::ControlKind::rejected:
            settle(frame.id, frame.topics, false, out);
            break;
        case wire::ControlKind::duplicate: {
            Request* r = find(frame.id, {});
            if (r) settle_all(*r, out);
            break;
        }
        default:
            return;
    }
    erase_done();
}

template <class Out>
void AckMatcher::settle(std::int64_t id, std::string_view list, bool accepted, Out& out) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto topic = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        Request* r = find(id, topic);
        if (!r) continue;  // not asked for, or answered already
        auto& u = r->unanswered;
        for (auto it = u.begin(); it != u.end(); ++it) {
            if (*it != topic) continue;
            const std::string name = std::move(*it);
            u.erase(it);
            out(TopicAnswer{r->id, r->verb, accepted, name});
            break;
        }
    }
}

template <class Out>
void AckMatcher::settle_all(Request& r, Out& out) {
    auto topics = std::move(r.unanswered);
    r.unanswered.clear();
    for (const auto& t : topics) out(TopicAnswer{r.id, r.verb, true, t});
}

}  // namespace mexc::ws
