#include "faults.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mexc::sandbox {
namespace {

std::string json_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += fmt::format("\\u{:04x}", static_cast<int>(c));
            continue;
        }
        out += c;
    }
    return out;
}

std::string_view ending_name(RestFault::Ending e) {
    switch (e) {
        case RestFault::Ending::answer:
            return "answer";
        case RestFault::Ending::hold:
            return "hold";
        case RestFault::Ending::reset:
            return "reset";
        case RestFault::Ending::truncate:
            return "truncate";
        case RestFault::Ending::wrong_length:
            return "wrong_length";
    }
    return "?";
}

std::string_view push_kind_name(PushFault::Kind k) {
    switch (k) {
        case PushFault::Kind::drop:
            return "drop";
        case PushFault::Kind::duplicate:
            return "duplicate";
        case PushFault::Kind::reorder:
            return "reorder";
    }
    return "?";
}

}  // namespace

RestFault& Faults::install(std::string_view match, RestFault rule) {
    const auto space = match.find(' ');
    if (space != std::string_view::npos) {
        rule.method = std::string(match.substr(0, space));
        match.remove_prefix(space + 1);
    }
    rule.path = std::string(match);
    rules_.push_back(std::move(rule));
    return rules_.back();
}

RestFault& Faults::respond_after_apply(std::string_view match, int status, std::string body,
                                       HttpHeaders headers) {
    RestFault r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return install(match, std::move(r));
}

RestFault& Faults::respond_instead(std::string_view match, int status, std::string body,
                                   HttpHeaders headers) {
    RestFault& r = respond_after_apply(match, status, std::move(body), std::move(headers));
    r.apply = false;
    return r;
}

RestFault& Faults::delay(std::string_view match, std::chrono::milliseconds delay) {
    RestFault r;
    r.delay = delay;
    return install(match, std::move(r));
}

RestFault& Faults::delay_then_apply(std::string_view match, std::chrono::milliseconds delay) {
    RestFault r;
    r.delay = delay;
    r.apply_after_delay = true;
    return install(match, std::move(r));
}

RestFault& Faults::timeout_after_apply(std::string_view match) {
    RestFault r;
    r.ending = RestFault::Ending::hold;
    return install(match, std::move(r));
}

RestFault& Faults::reset_after_apply(std::string_view match) {
    RestFault r;
    r.ending = RestFault::Ending::reset;
    return install(match, std::move(r));
}

RestFault& Faults::truncate_after_apply(std::string_view match, std::size_t bytes) {
    RestFault r;
    r.ending = RestFault::Ending::truncate;
    r.bytes = bytes;
    return install(match, std::move(r));
}

RestFault& Faults::wrong_content_length(std::string_view match, std::int64_t delta) {
    RestFault r;
    r.ending = RestFault::Ending::wrong_length;
    r.length_delta = delta;
    return install(match, std::move(r));
}

void Faults::clear_rest_faults() {
    rules_.clear();
}

std::optional<RestFault> Faults::take_rest_fault(std::string_view method, std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
        if (!it->method.empty() && it->method != method) continue;
        if (!it->path.empty() && it->path != path) continue;
        RestFault chosen = *it;
        if (it->remaining != 0 && --it->remaining == 0) rules_.erase(it);
        ++stats_.rest_faults_applied;
        return chosen;
    }
    return std::nullopt;
}

void Faults::drop_pushes(std::string topic, std::size_t count) {
    if (count) push_faults_.push_back({PushFault::Kind::drop, std::move(topic), count});
}

void Faults::duplicate_pushes(std::string topic, std::size_t count) {
    if (count) push_faults_.push_back({PushFault::Kind::duplicate, std::move(topic), count});
}

void Faults::reorder_pushes(std::string topic, std::size_t count) {
    if (count) push_faults_.push_back({PushFault::Kind::reorder, std::move(topic), count});
}

void Faults::delay_pushes(std::chrono::milliseconds delay) {
    push_delay_ = delay;
}

void Faults::ignore_subscriptions(std::string topic) {
    ignored_topics_.push_back(std::move(topic));
}

bool Faults::ignores_subscription(std::string_view topic) const noexcept {
    for (const auto& t : ignored_topics_)
        if (topic.find(t) != std::string_view::npos) return true;
    return false;
}

void Faults::clear_push_faults() {
    push_faults_.clear();
    push_delay_ = std::chrono::milliseconds(0);
}

std::vector<std::string> Faults::filter_push(const void* connection, std::string_view topic,
                                             std::string frame, Clock::time_point now) {
    std::vector<std::string> out;
    auto held = held_.find(connection);
    // A frame held back for reordering goes right after this one.
    if (held != held_.end()) {
        if (auto r = held->second.reordered.find(topic); r != held->second.reordered.end()) {
            out.push_back(std::move(frame));
            out.push_back(std::move(r->second));
            held->second.reordered.erase(r);
            ++stats_.pushes_reordered;
        }
    }
    if (out.empty()) {
        auto rule = std::find_if(push_faults_.begin(), push_faults_.end(), [&](const PushFault& f) {
            return topic.find(f.topic) != std::string_view::npos;
        });
        if (rule == push_faults_.end()) {
            out.push_back(std::move(frame));
        } else {
            switch (rule->kind) {
                case PushFault::Kind::drop:
                    ++stats_.pushes_dropped;
                    break;
                case PushFault::Kind::duplicate:
                    out.push_back(frame);
                    out.push_back(std::move(frame));
                    ++stats_.pushes_duplicated;
                    break;
                case PushFault::Kind::reorder:
                    held_[connection].reordered.emplace(std::string(topic), std::move(frame));
                    break;
            }
            if (--rule->remaining == 0) push_faults_.erase(rule);
        }
    }
    held = held_.find(connection);
    const bool queued = held != held_.end() && !held->second.delayed.empty();
    if (push_delay_.count() <= 0 && !queued) return out;
    auto& delayed = held_[connection].delayed;
    for (auto& f : out) {
        delayed.emplace_back(now + std::max(push_delay_, std::chrono::milliseconds(0)),
                             std::move(f));
        if (push_delay_.count() > 0) ++stats_.pushes_delayed;
    }
    return release_due(connection, now);
}

std::vector<std::string> Faults::release_due(const void* connection, Clock::time_point now) {
    std::vector<std::string> out;
    auto held = held_.find(connection);
    if (held == held_.end()) return out;
    auto& delayed = held->second.delayed;
    while (!delayed.empty() && delayed.front().first <= now) {
        out.push_back(std::move(delayed.front().second));
        delayed.pop_front();
    }
    if (delayed.empty() && held->second.reordered.empty()) held_.erase(held);
    return out;
}

void Faults::forget(const void* connection) {
    held_.erase(connection);
}

std::string Faults::describe() const {
    std::string rules;
    for (const auto& r : rules_) {
        if (!rules.empty()) rules += ',';
        rules += fmt::format(
            R"({{"method":"{}","path":"{}","remaining":{},"apply":{},"status":{},"delay_ms":{},"ending":"{}"}})",
            json_escape(r.method), json_escape(r.path), r.remaining, r.apply, r.status.value_or(0),
            r.delay.count(), ending_name(r.ending));
    }
    std::string pushes;
    for (const auto& p : push_faults_) {
        if (!pushes.empty()) pushes += ',';
        pushes += fmt::format(R"({{"kind":"{}","topic":"{}","remaining":{}}})",
                              push_kind_name(p.kind), json_escape(p.topic), p.remaining);
    }
    return fmt::format(
        R"({{"rest_faults":[{}],"push_faults":[{}],"push_delay_ms":{},"rest_faults_applied":{},"pushes_dropped":{},)"
        R"("pushes_duplicated":{},"pushes_reordered":{},"pushes_delayed":{}}})",
        rules, pushes, push_delay_.count(), stats_.rest_faults_applied, stats_.pushes_dropped,
        stats_.pushes_duplicated, stats_.pushes_reordered, stats_.pushes_delayed);
}

}  // namespace mexc::sandbox
