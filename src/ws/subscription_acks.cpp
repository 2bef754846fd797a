#include "ws/subscription_acks.hpp"

#include <algorithm>

namespace mexc::ws {

std::uint64_t AckMatcher::sent(Verb verb, std::span<const std::string> topics) {
    const auto id = next_id_++;
    requests_.push_back({id, verb, std::vector<std::string>(topics.begin(), topics.end())});
    return id;
}

void AckMatcher::extend(std::uint64_t id, const std::string& topic) {
    for (auto& r : requests_)
        if (r.id == id) r.unanswered.push_back(topic);
}

AckMatcher::Request* AckMatcher::find(std::int64_t id, std::string_view topic) noexcept {
    const auto lists = [&](const Request& r) {
        return topic.empty() ? !r.unanswered.empty()
                             : std::find(r.unanswered.begin(), r.unanswered.end(), topic) !=
                                   r.unanswered.end();
    };
    if (id > 0) {
        for (auto& r : requests_)
            if (r.id == static_cast<std::uint64_t>(id)) return lists(r) ? &r : nullptr;
    }
    // No usable id: the oldest request waiting for the topic (for `msg:""`, the oldest
    // subscription, the only kind answered that way).
    for (auto& r : requests_)
        if (lists(r) && (!topic.empty() || r.verb == Verb::subscribe)) return &r;
    return nullptr;
}

bool AckMatcher::waiting(Verb verb, std::string_view topic) const noexcept {
    return std::any_of(requests_.begin(), requests_.end(), [&](const Request& r) {
        return r.verb == verb &&
               std::find(r.unanswered.begin(), r.unanswered.end(), topic) != r.unanswered.end();
    });
}

bool AckMatcher::pending(std::uint64_t id) const noexcept {
    return std::any_of(requests_.begin(), requests_.end(),
                       [&](const Request& r) { return r.id == id; });
}

void AckMatcher::erase_done() noexcept {
    std::erase_if(requests_, [](const Request& r) { return r.unanswered.empty(); });
}

}  // namespace mexc::ws
