#pragma once
// The listen key of the private stream as a lifecycle (SPEC §9), sans-io: fed the answers of the
// REST calls it asks for and the stream's news, it says what to do next. The driver executes one
// action at a time.
//
// - Creating a key is a command, never retried like a read (FAULTS §1.2): the keys of the account
//   are listed before each create, and when a create's outcome is unknown they are listed again;
//   the one new key is adopted instead of creating a second. So one client holds one key in
//   steady state and never leaks keys toward the 60-key cap (E15).
// - Keepalive every `keepalive_interval` (MEXC: a PUT extends the key to 60 min, 30 min advised).
//   A PUT refused with an error body, an "Invalid listen key" frame or a close 1008 ends the key:
//   a new one is made and the stream reconnects with it (and reconciles). A PUT lost on the
//   network is retried sooner while the key is still valid.
// - close() deletes the key.
// The key is a credential (FAULTS I6): it is held as a SecretString and never printed.

#include "mexc/credentials.hpp"
#include "mexc/error.hpp"

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mexc::account {

enum class KeyStep : std::uint8_t {
    none,        ///< nothing to do (closed)
    list_keys,   ///< GET /api/v3/userDataStream, then listed() or list_failed()
    create,      ///< POST /api/v3/userDataStream, then created() or create_failed()
    keep_alive,  ///< PUT with key(), then kept_alive() or keep_alive_failed()
    delete_key,  ///< DELETE with the key to delete (key_to_delete()), then deleted()
    wait,        ///< nothing until `at`, then timer()
    connect,     ///< (re)connect the private stream with key(); then connected()
};

struct KeyAction {
    KeyStep step = KeyStep::none;
    std::chrono::steady_clock::time_point at{};  ///< for wait
};

struct ListenKeyOptions {
    std::chrono::milliseconds keepalive_interval{std::chrono::minutes(30)};
    /// A key not extended for this long is gone (MEXC: 60 min after creation or the last PUT).
    std::chrono::milliseconds validity{std::chrono::minutes(60)};
    /// Pause after a failed create or list, doubling up to retry_max.
    std::chrono::milliseconds retry_min{std::chrono::seconds(1)};
    std::chrono::milliseconds retry_max{std::chrono::minutes(1)};
    /// Pause before retrying a keepalive lost on the network.
    std::chrono::milliseconds keepalive_retry{std::chrono::minutes(1)};
};

struct ListenKeyStats {
    std::uint64_t creates = 0;    ///< create requests sent
    std::uint64_t adoptions = 0;  ///< keys adopted after a create with an unknown outcome
    std::uint64_t renewals = 0;   ///< keys replaced after they ended (refused PUT, 1008, expiry)
    std::uint64_t keepalives = 0;
};

class ListenKeyKeeper {
public:
    using Clock = std::chrono::steady_clock;

    explicit ListenKeyKeeper(ListenKeyOptions options = {});

    KeyAction start(Clock::time_point now);

    KeyAction listed(std::span<const std::string> keys, Clock::time_point now);
    KeyAction list_failed(const Error& error, Clock::time_point now);
    KeyAction created(std::string key, Clock::time_point now);
    KeyAction create_failed(const Error& error, Clock::time_point now);
    /// The stream is up with key(): from now on keepalives are due.
    KeyAction connected(Clock::time_point now);
    KeyAction kept_alive(Clock::time_point now);
    KeyAction keep_alive_failed(const Error& error, Clock::time_point now);
    /// The stream said the key is gone: an "Invalid listen key" frame or a close 1008.
    KeyAction key_invalidated(Clock::time_point now);
    KeyAction timer(Clock::time_point now);
    KeyAction deleted(Clock::time_point now);
    /// Deletes the key if there is one; then nothing more.
    KeyAction close();

    /// The key in use; empty while none. Never to be printed (I6).
    const SecretString& key() const noexcept { return key_; }
    /// The key a delete_key action is for.
    const SecretString& key_to_delete() const noexcept { return doomed_; }
    bool has_key() const noexcept { return !key_.empty(); }
    const ListenKeyStats& stats() const noexcept { return stats_; }

private:
    enum class Phase : std::uint8_t {
        idle,
        listing_before,
        creating,
        listing_after,
        connecting,
        live,
        keeping_alive,
        deleting_then_create,
        closing,
        closed,
    };
    KeyAction begin_create(Clock::time_point now);  // list the keys first
    KeyAction retry_later(Clock::time_point now, Phase then);
    KeyAction next_keepalive() const;
    KeyAction renew(Clock::time_point now);
    bool expired(Clock::time_point now) const noexcept;

    ListenKeyOptions options_;
    Phase phase_ = Phase::idle;
    Phase after_wait_ = Phase::idle;
    SecretString key_;
    SecretString doomed_;
    std::vector<std::string> known_before_;  // the account's keys before our create
    Clock::time_point extended_{};           // creation or last successful PUT
    std::chrono::milliseconds backoff_{0};
    ListenKeyStats stats_;
};

}  // namespace mexc::account
