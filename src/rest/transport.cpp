#include "rest/transport.hpp"

#include "net/tls.hpp"
#include "rest/admission.hpp"
#include "sign/query.hpp"

#include <algorithm>
#include <optional>

namespace mexc::rest {
namespace asio = boost::asio;

namespace {

std::int64_t local_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

Transport::Transport(asio::any_io_executor ex, const Config& config,
                     std::shared_ptr<RateLimiter> limiter)
    : limiter_(limiter ? std::move(limiter) : std::make_shared<RateLimiter>(config.rate_limits)),
      recv_window_(config.recv_window) {
    auto budget = [](const RestFamilyOptions& f) { return Budget{f.timeout, f.read_retries + 1}; };
    budgets_[static_cast<std::size_t>(Family::market_data)] = budget(config.rest.market_data);
    budgets_[static_cast<std::size_t>(Family::account)] = budget(config.rest.account);
    budgets_[static_cast<std::size_t>(Family::orders)] = budget(config.rest.orders);
    budgets_[static_cast<std::size_t>(Family::user_data_stream)] =
        budget(config.rest.user_data_stream);
    // S03: an insecure TLS switch is refused for non-loopback hosts here too, not only in the
    // facade.
    if (auto valid = validate(config); !valid) {
        setup_error_ = valid.error();
        return;
    }
    auto url = net::parse_url(config.rest_url);
    if (!url) {
        setup_error_ = url.error();
        return;
    }
    auto tls = net::make_client_tls_context(config.tls);
    if (!tls) {
        setup_error_ = tls.error();
        return;
    }
    net::HttpOptions options;
    options.timeouts = config.timeouts;
    options.max_body = config.http_max_body;
    tls_ = *tls;
    http_ = std::make_unique<net::HttpClient>(std::move(ex), *url, tls_, options);
    if (config.credentials) {
        api_key_ = config.credentials->api_key;
        signer_.emplace(config.credentials->secret_key);  // the secret lives on only as HMAC state
    }
}

Transport::~Transport() = default;

void Transport::close() {
    if (http_) http_->close();
}

std::chrono::milliseconds Transport::clock_offset() const noexcept {
    return std::chrono::milliseconds(clock_.offset_ms());
}

int Transport::weight(const Endpoint& endpoint) const {
    const auto& overrides = limiter_->limits().weights;
    if (overrides.empty()) return endpoint.weight;
    char key[160];  // "METHOD /path": every path of the table is far shorter
    const auto method = method_name(endpoint.method);
    const std::size_t n = method.size() + 1 + endpoint.path.size();
    if (n > sizeof key) return endpoint.weight;
    std::copy(method.begin(), method.end(), key);
    key[method.size()] = ' ';
    std::copy(endpoint.path.begin(), endpoint.path.end(), key + method.size() + 1);
    auto it = overrides.find(std::string_view(key, n));
    return it == overrides.end() ? endpoint.weight : it->second;
}

std::int64_t Transport::stamp() const {
    return fixed_clock_ ? fixed_clock_() : clock_.stamp(local_ms());
}

asio::awaitable<Result<std::int64_t>> Transport::server_time() {
    // The sample's send time is taken after admission: waiting for budget is not latency.
    std::int64_t sent = 0;
    auto res = co_await call(endpoints::time, {}, &sent);
    const auto received = local_ms();
    if (!res) co_return res.error();
    auto server = json_.server_time(res->body);
    recycle(std::move(res->body));
    if (!server) co_return server.error();
    clock_.add_sample(sent, *server, received);
    co_return *server;
}

asio::awaitable<Result<void>> Transport::sync_clock(int samples) {
    for (int i = 0; i < samples; ++i) {
        if (auto t = co_await server_time(); !t) co_return t.error();
    }
    co_return Result<void>{};
}

asio::awaitable<Result<net::HttpResponse>> Transport::call(Endpoint endpoint, std::string params,
                                                           std::int64_t* sent_ms,
                                                           std::int64_t latest_stamp) {
    struct GiveBack {  // the parameters' string returns to the pool however the call ends
        Transport& t;
        std::string& s;
        ~GiveBack() { t.recycle(std::move(s)); }
    } give_back{*this, params};
    if (setup_error_) co_return *setup_error_;
    if (endpoint.is_signed) {
        if (!signer_) co_return Error(Condition::auth, Errc::config_invalid);
        if (!clock_.synced() && !fixed_clock_) {
            if (auto synced = co_await sync_clock(3); !synced) co_return synced.error();
        }
    }
    const Budget budget = budgets_[static_cast<std::size_t>(endpoint.family)];
    const int cost = weight(endpoint);
    Error previous(Condition::network, Errc::timeout);  // what a refused re-stamp answers
    for (int attempt = 0;; ++attempt) {
        const std::int64_t timestamp = endpoint.is_signed ? stamp() : 0;
        // Past its bound a request is not sent at all: the venue could take it later than the
        // bound promised (SPEC §1.5: until timestamp + recvWindow).
        if (latest_stamp != 0 && timestamp > latest_stamp) co_return previous;
        std::optional<Admission> admission;  // settled as soon as this attempt has ended
        admission.emplace(*limiter_, endpoint.scope, cost, endpoint.order_bucket, sent_ms);
        net::HttpRequest req;
        req.method = endpoint.method;
        req.target = http_->buffers().take();
        if (endpoint.is_signed) {
            // Rebuilt and re-signed for every attempt, with a fresh timestamp (S09).
            write_signed_target(req.target, endpoint.path, params, recv_window_.count(), timestamp,
                                *signer_);
            req.headers.emplace_back("X-MEXC-APIKEY", http_->buffers().take())
                .second.assign(api_key_);
        } else {
            req.target.assign(endpoint.path);
            if (!params.empty()) req.target.append(1, '?').append(params);
            req.retry_stale = !endpoint.command;  // unsigned and idempotent: may go out unchanged
        }
        req.is_command = endpoint.command;
        req.timeout = budget.timeout;
        req.gate = &*admission;
        auto res = co_await http_->request(std::move(req));
        admission.reset();
        if (res) note_answer(*limiter_, endpoint.scope, *res);
        Error e;
        if (!res) {
            e = res.error();
        } else if (res->status == 200) {
            co_return res;
        } else {
            e = classify_http_error(*res, json_, endpoint.command);
        }
        if (endpoint.is_signed && e.condition() == Condition::clock_skew && attempt == 0) {
            // 700003 proves the request was not processed: resync and re-sign once (E02).
            clock_.reset();
            if (auto synced = co_await sync_clock(3); !synced) co_return synced.error();
            previous = e;
            continue;
        }
        if (endpoint.command) co_return e;  // never sent twice (FAULTS §1.2)
        const auto wait = retry_.after(e, attempt, budget.attempts);
        if (!wait) co_return e;
        co_await ReadRetry::pause(*wait);
    }
}

}  // namespace mexc::rest
