#pragma once
// Scripted fault injection of FAULTS §2.0 for the sandbox's REST answers and public WebSocket
// pushes. Pure state: the server asks it what to do with each request and each push; tests (or the
// admin interface) install the rules. Single-threaded, like the sandbox: use it from its executor.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mexc::sandbox {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// One REST fault rule: which requests it matches and what happens to them.
struct RestFault {
    /// How the answer ends.
    enum class Ending : std::uint8_t {
        answer,        // the response (real or replaced) is written normally
        hold,          // nothing is written; the connection stays open until the client gives up
        reset,         // nothing is written; the TCP connection is reset (SO_LINGER 0)
        truncate,      // only the first `bytes` bytes of the response are written, then closed
        wrong_length,  // Content-Length off by `length_delta`, then closed
    };
    std::string method;  // "POST"; empty: any method
    std::string path;    // "/api/v3/order", without the query; empty: any path
    /// Matching requests still affected; 0: every one until cleared.
    std::size_t remaining = 0;
    /// The real handler runs (an order IS placed) before the fault takes effect.
    bool apply = true;
    /// ...or only after `delay`: the request lands late, its recvWindow checked then.
    bool apply_after_delay = false;
    /// Replaces the answer's status, body and headers (a Content-Type header here wins).
    std::optional<int> status;
    std::string body;
    HttpHeaders headers;
    std::chrono::milliseconds delay{0};  // before answering (or before the ending)
    Ending ending = Ending::answer;
    std::size_t bytes = 0;           // truncate: bytes of the response written
    std::int64_t length_delta = 16;  // wrong_length: declared minus actual body length

    /// Chainable adjustments of an installed rule.
    RestFault& times(std::size_t n) {
        remaining = n;
        return *this;
    }
    RestFault& after(std::chrono::milliseconds d) {
        delay = d;
        return *this;
    }
};

/// What to do with one public push on one connection.
struct PushFault {
    enum class Kind : std::uint8_t { drop, duplicate, reorder };
    Kind kind = Kind::drop;
    std::string topic;          // a substring of the topic ("BTCUSDT", a whole topic); empty: any
    std::size_t remaining = 1;  // pushes still affected (reorder: swaps still to make)
};

struct FaultStats {
    std::uint64_t rest_faults_applied = 0;
    std::uint64_t pushes_dropped = 0;
    std::uint64_t pushes_duplicated = 0;
    std::uint64_t pushes_reordered = 0;
    std::uint64_t pushes_delayed = 0;
};

class Faults {
public:
    using Clock = std::chrono::steady_clock;

    // ---- REST rules (FAULTS N07, N10, P14, P15, P19, E04, E12, T01, T02) ----
    // `match` is "METHOD /path" ("POST /api/v3/order"), "/path" (any method) or "" (everything).
    // The query string is never part of the match. The first installed matching rule wins.

    /// The real handler runs, then `status`/`body` are answered instead of its reply.
    RestFault& respond_after_apply(std::string_view match, int status, std::string body,
                                   HttpHeaders headers = {});
    /// `status`/`body`/`headers` are answered without running the handler (WAF 403, 429, 302).
    RestFault& respond_instead(std::string_view match, int status, std::string body,
                               HttpHeaders headers = {});
    /// The real reply, `delay` late.
    RestFault& delay(std::string_view match, std::chrono::milliseconds delay);
    /// Received, held `delay`, then applied and answered: a request stuck on its way that lands
    /// late (its recvWindow is checked when it lands, SPEC §1.5), whoever waits for it.
    RestFault& delay_then_apply(std::string_view match, std::chrono::milliseconds delay);
    /// Applied, then never answered: the connection is held open until the client gives up.
    RestFault& timeout_after_apply(std::string_view match);
    /// Applied, then the TCP connection is reset without an answer.
    RestFault& reset_after_apply(std::string_view match);
    /// Applied, then only the first `bytes` bytes of the response (status line included) are sent.
    RestFault& truncate_after_apply(std::string_view match, std::size_t bytes);
    /// Applied, then answered with Content-Length = body length + `delta`, then closed.
    RestFault& wrong_content_length(std::string_view match, std::int64_t delta = 16);
    void clear_rest_faults();
    std::size_t rest_fault_count() const noexcept { return rules_.size(); }

    /// The server's question: the rule for this request, if any (consumes one of its `times`).
    std::optional<RestFault> take_rest_fault(std::string_view method, std::string_view target);

    // ---- push faults, public and private (FAULTS N05, C04, C05, T12, book gap/resync tests) ----
    /// The next `count` pushes whose topic contains `topic` are not sent (a version gap for depth).
    void drop_pushes(std::string topic, std::size_t count);
    /// The next `count` such pushes are sent twice.
    void duplicate_pushes(std::string topic, std::size_t count);
    /// `count` times, a push is held back and sent right after the next one of the same topic on
    /// the same connection (two consecutive pushes swapped).
    void reorder_pushes(std::string topic, std::size_t count = 1);
    /// Every push, public or private, is sent `delay` late (order kept; tick granularity). 0 ends
    /// it.
    void delay_pushes(std::chrono::milliseconds delay);
    void clear_push_faults();

    // ---- subscription faults (FAULTS E16 silence, T06) ----
    /// SUBSCRIPTION requests for topics containing `topic` are neither answered nor served: the
    /// venue stays silent about them (the other topics of a request are handled as usual).
    void ignore_subscriptions(std::string topic);
    bool ignores_subscription(std::string_view topic) const noexcept;
    void clear_subscription_faults() { ignored_topics_.clear(); }

    /// The push path's hook: the frames to send now for `frame` of `topic` on `connection`.
    std::vector<std::string> filter_push(const void* connection, std::string_view topic,
                                         std::string frame, Clock::time_point now);
    /// Delayed frames of `connection` now due, in order.
    std::vector<std::string> release_due(const void* connection, Clock::time_point now);
    /// The connection ended: its held and delayed frames are discarded.
    void forget(const void* connection);

    const FaultStats& stats() const noexcept { return stats_; }
    /// Rules and pending push faults, as JSON (for the admin interface).
    std::string describe() const;

private:
    RestFault& install(std::string_view match, RestFault rule);

    std::list<RestFault> rules_;  // std::list: references returned by install stay valid
    std::vector<PushFault> push_faults_;
    std::vector<std::string> ignored_topics_;
    std::chrono::milliseconds push_delay_{0};
    struct Held {
        std::map<std::string, std::string, std::less<>> reordered;  // topic -> frame held back
        std::deque<std::pair<Clock::time_point, std::string>> delayed;
    };
    std::map<const void*, Held> held_;
    FaultStats stats_;
};

}  // namespace mexc::sandbox
