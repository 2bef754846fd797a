#include "account/listen_key_keeper.hpp"

#include <algorithm>

namespace mexc::account {
namespace {

bool contains(const std::vector<std::string>& keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The venue may have acted on the request: its outcome is not known.
bool maybe_done(const Error& e) noexcept {
    const auto c = e.condition();
    return c == Condition::outcome_unknown || c == Condition::network || c == Condition::bad_data;
}

}  // namespace

ListenKeyKeeper::ListenKeyKeeper(ListenKeyOptions options)
    : options_(options), backoff_(options.retry_min) {}

KeyAction ListenKeyKeeper::start(Clock::time_point now) {
    // Closed (its key deleted or abandoned) is a fresh start: the session stopped and began again.
    if (phase_ != Phase::idle && phase_ != Phase::closed) return {};
    return begin_create(now);
}

KeyAction ListenKeyKeeper::begin_create(Clock::time_point) {
    extended_ = {};
    phase_ = Phase::listing_before;
    return {KeyStep::list_keys};
}

KeyAction ListenKeyKeeper::listed(std::span<const std::string> keys, Clock::time_point now) {
    if (phase_ == Phase::listing_before) {
        known_before_.assign(keys.begin(), keys.end());
        phase_ = Phase::creating;
        ++stats_.creates;
        return {KeyStep::create};
    }
    if (phase_ == Phase::listing_after) {
        // The create's outcome was unknown: a key that was not there before is the one it made.
        std::vector<std::string> fresh;
        for (const auto& k : keys)
            if (!contains(known_before_, k)) fresh.push_back(k);
        if (fresh.size() == 1) {
            ++stats_.adoptions;
            return created(std::move(fresh.front()), now);
        }
        // None: it was not made. Several: another program made keys at the same time and ours
        // cannot be told apart; an unused key expires within the hour, so a new one is made.
        return begin_create(now);
    }
    return {};
}

KeyAction ListenKeyKeeper::list_failed(const Error&, Clock::time_point now) {
    if (phase_ != Phase::listing_before && phase_ != Phase::listing_after) return {};
    return retry_later(now, phase_);
}

KeyAction ListenKeyKeeper::created(std::string key, Clock::time_point now) {
    if (phase_ != Phase::creating && phase_ != Phase::listing_after) return {};
    key_ = SecretString(std::move(key));
    known_before_.clear();
    extended_ = now;
    backoff_ = options_.retry_min;
    phase_ = Phase::connecting;
    return {KeyStep::connect};
}

KeyAction ListenKeyKeeper::create_failed(const Error& error, Clock::time_point now) {
    if (phase_ != Phase::creating) return {};
    if (maybe_done(error)) {
        phase_ = Phase::listing_after;  // never a second create blindly (I8)
        return {KeyStep::list_keys};
    }
    return retry_later(now, Phase::listing_before);  // refused: nothing was made
}

KeyAction ListenKeyKeeper::connected(Clock::time_point) {
    if (phase_ != Phase::connecting) return {};
    phase_ = Phase::live;
    return next_keepalive();
}

KeyAction ListenKeyKeeper::next_keepalive() const {
    return {KeyStep::wait, extended_ + options_.keepalive_interval};
}

KeyAction ListenKeyKeeper::kept_alive(Clock::time_point now) {
    if (phase_ != Phase::keeping_alive) return {};
    ++stats_.keepalives;
    extended_ = now;
    phase_ = Phase::live;
    return next_keepalive();
}

KeyAction ListenKeyKeeper::keep_alive_failed(const Error& error, Clock::time_point now) {
    if (phase_ != Phase::keeping_alive) return {};
    // An error body: the venue no longer knows the key (SPEC §9).
    if (!maybe_done(error) || expired(now)) return renew(now);
    phase_ = Phase::live;
    const auto retry = now + options_.keepalive_retry;
    return {KeyStep::wait, std::min(retry, extended_ + options_.validity)};
}

KeyAction ListenKeyKeeper::key_invalidated(Clock::time_point now) {
    if (phase_ == Phase::closing || phase_ == Phase::closed || key_.empty()) return {};
    return renew(now);
}

KeyAction ListenKeyKeeper::renew(Clock::time_point) {
    ++stats_.renewals;
    // The old key is dead or dying: deleting it is a courtesy that frees a slot of the 60.
    doomed_ = std::move(key_);
    key_ = SecretString{};
    phase_ = Phase::deleting_then_create;
    return {KeyStep::delete_key};
}

KeyAction ListenKeyKeeper::deleted(Clock::time_point now) {
    doomed_.wipe();
    if (phase_ == Phase::deleting_then_create) return begin_create(now);
    if (phase_ == Phase::closing) phase_ = Phase::closed;
    return {};
}

KeyAction ListenKeyKeeper::timer(Clock::time_point now) {
    switch (phase_) {
        case Phase::live:
            if (expired(now)) return renew(now);
            phase_ = Phase::keeping_alive;  // the interval, or the pause after a lost PUT, ended
            return {KeyStep::keep_alive};
        case Phase::listing_before:
        case Phase::listing_after:
            return {KeyStep::list_keys};
        default:
            return {};
    }
}

KeyAction ListenKeyKeeper::retry_later(Clock::time_point now, Phase then) {
    phase_ = then;
    const auto wait = backoff_;
    backoff_ = std::min(backoff_ * 2, options_.retry_max);
    return {KeyStep::wait, now + wait};
}

bool ListenKeyKeeper::expired(Clock::time_point now) const noexcept {
    return extended_ != Clock::time_point{} && now >= extended_ + options_.validity;
}

KeyAction ListenKeyKeeper::close() {
    if (phase_ == Phase::closed || phase_ == Phase::closing) return {};
    if (key_.empty()) {
        phase_ = Phase::closed;
        return {};
    }
    doomed_ = std::move(key_);
    key_ = SecretString{};
    phase_ = Phase::closing;
    return {KeyStep::delete_key};
}

}  // namespace mexc::account
