#pragma once
// The sandbox's REST API: routes MEXC spot v3 paths to handlers and answers with MEXC's shapes,
// statuses and error bodies (SPEC §3, §5). Signed requests are checked as MEXC checks them (SPEC
// §1.5, §2): API key, signature over the exact bytes received, timestamp and recvWindow, IP
// whitelist, permissions. Request weights are metered per IP and per account (SPEC §6.1).

#include "custody.hpp"
#include "market.hpp"
#include "sandbox_hmac.hpp"
#include "text.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mexc::sandbox {

struct SandboxStats;

/// One API key of one account (SPEC §2.5).
struct ApiKey {
    std::string key;
    std::string secret;
    std::uint64_t account = 1;
    std::vector<std::string> permissions{
        "SPOT_ACCOUNT_READ",  "SPOT_ACCOUNT_WRITE",  "SPOT_DEAL_READ",     "SPOT_DEAL_WRITE",
        "SPOT_TRANSFER_READ", "SPOT_TRANSFER_WRITE", "SPOT_WITHDRAW_READ", "SPOT_WITHDRAW_WRITE",
        "SPOT_DEPOSIT_READ",  "SPOT_DEPOSIT_WRITE"};
    std::vector<std::string> ip_whitelist;  // empty: any IP
    /// Symbols this key may trade (GET /api/v3/selfSymbols); empty: every symbol. Orders for
    /// others are refused with 10007 (SPEC §5.3: "this trading pair does not support API trading").
    std::vector<std::string> symbols;
    std::string note;  // sub-account keys (SPEC §3.5)
    std::int64_t create_time = 0;
};

/// Budgets (SPEC §6.1; configurable because MEXC changes them).
struct RateLimits {
    int ip_weight_per_window = 500;
    int uid_weight_per_window = 500;
    std::chrono::milliseconds window{10000};
    int orders_per_second = 12;     // POST/DELETE order endpoints, shared
    int violations_before_ban = 3;  // 429s inside one window before a 418
    std::chrono::seconds first_ban{120};
};

struct RestRequest {
    std::string_view method;  // GET, POST, PUT, DELETE
    std::string_view target;  // path and query, as received
    std::string_view body;
    std::string_view api_key;  // X-MEXC-APIKEY, empty when absent
    std::string_view client_ip = "127.0.0.1";
};

struct RestReply {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

class Engine;

class RestApi {
public:
    RestApi(Market& market, SandboxStats& stats, std::vector<ApiKey> keys = {},
            RateLimits limits = {});

    RestReply handle(const RestRequest& request);
    /// The trading endpoints answer from this engine (owned by the sandbox).
    void attach_engine(Engine* engine);

    // ---- fault knobs ----
    /// The next depth snapshot of `symbol` is `versions_back` versions old.
    void serve_stale_snapshot(const std::string& symbol, std::int64_t versions_back);
    /// The server's clock runs this far ahead of the host's (negative: behind).
    void set_clock_offset(std::chrono::milliseconds offset) noexcept { clock_offset_ = offset; }
    std::int64_t server_time_ms() const;
    /// Lists `symbol` in GET /api/v3/symbol/offline with `state` 2 (suspended) or 3 (delisted);
    /// any other state takes it off the list. `offline_time_ms` 0 omits offlineTime.
    void set_offline_symbol(const std::string& symbol, int state, std::int64_t offline_time_ms = 0);

    // ---- listen keys (SPEC §9) ----
    struct ListenKey {
        std::uint64_t account = 0;
        std::int64_t expires_ms = 0;
    };
    /// The account of a valid listen key, if any.
    std::optional<std::uint64_t> listen_key_account(std::string_view key) const;
    void set_listen_key_validity(std::chrono::milliseconds validity) noexcept {
        listen_key_validity_ = validity;
    }
    std::size_t max_listen_keys = 60;

    /// Sub-accounts, STP groups and wallet history (SPEC §3.4–§3.6), for tests to inspect.
    Custody& custody() noexcept { return custody_; }
    /// Credits a deposit that arrived on chain: DEPOSIT balance change and a deposit record.
    void deposit(std::uint64_t account, const std::string& coin, const std::string& network,
                 std::int64_t amount);

    /// The last requests as received ("METHOD target"), oldest first, at most 64.
    const std::deque<std::string>& recent_requests() const noexcept { return recent_; }

    /// Requests rejected with 429/418 so far.
    std::uint64_t rate_limited() const noexcept { return rate_limited_; }

    /// One request after parsing and authentication.
    struct Call {
        Params params;  // query and body merged; the query wins (SPEC §1.4)
        std::uint64_t account = 0;
        const ApiKey* key = nullptr;
        std::int64_t now = 0;  // server time, ms

        const std::string* get(std::string_view name) const {
            auto it = params.find(name);
            return it == params.end() || it->second.empty() ? nullptr : &it->second;
        }
    };
    using Handler = RestReply (RestApi::*)(const Call&);

private:
    RestReply exchange_info(const Call& call);
    RestReply depth(const Call& call);
    RestReply trades(const Call& call);
    RestReply agg_trades(const Call& call);
    RestReply klines(const Call& call);
    RestReply avg_price(const Call& call);
    RestReply ticker_24hr(const Call& call);
    RestReply ticker_price(const Call& call);
    RestReply book_ticker(const Call& call);
    RestReply default_symbols(const Call& call);
    RestReply offline_symbols(const Call& call);
    RestReply etf_info(const Call& call);
    RestReply place_order(const Call& call);
    RestReply test_order(const Call& call);
    RestReply place(const Call& call, bool test_only);
    RestReply batch_orders(const Call& call);
    RestReply cancel_order(const Call& call);
    RestReply cancel_open_orders(const Call& call);
    RestReply query_order(const Call& call);
    RestReply open_orders(const Call& call);
    RestReply all_orders(const Call& call);
    RestReply account(const Call& call);
    RestReply my_trades(const Call& call);
    RestReply trade_fee(const Call& call);
    RestReply mx_deduct(const Call& call);
    RestReply kyc_status(const Call& call);
    RestReply uid(const Call& call);
    RestReply self_symbols(const Call& call);
    RestReply create_listen_key(const Call& call);
    RestReply keep_alive_listen_key(const Call& call);
    RestReply delete_listen_key(const Call& call);
    RestReply list_listen_keys(const Call& call);
    // self-trade prevention groups (SPEC §3.4)
    RestReply create_stp_group(const Call& call);
    RestReply stp_groups(const Call& call);
    RestReply delete_stp_group(const Call& call);
    RestReply add_stp_uids(const Call& call);
    RestReply remove_stp_uids(const Call& call);
    // sub-accounts (SPEC §3.5)
    RestReply create_sub_account(const Call& call);
    RestReply sub_accounts(const Call& call);
    RestReply create_sub_api_key(const Call& call);
    RestReply sub_api_keys(const Call& call);
    RestReply delete_sub_api_key(const Call& call);
    RestReply universal_transfer(const Call& call);
    RestReply universal_transfers(const Call& call);
    RestReply sub_account_assets(const Call& call);
    // wallet (SPEC §3.6)
    RestReply coins(const Call& call);
    RestReply withdraw(const Call& call);
    RestReply cancel_withdraw(const Call& call);
    RestReply deposit_history(const Call& call);
    RestReply withdraw_history(const Call& call);
    RestReply create_deposit_address(const Call& call);
    RestReply deposit_addresses(const Call& call);
    RestReply withdraw_addresses(const Call& call);
    RestReply transfer(const Call& call);
    RestReply transfers(const Call& call);
    RestReply transfer_by_id(const Call& call);
    RestReply convertible_assets(const Call& call);
    RestReply convert(const Call& call);
    RestReply convert_history(const Call& call);
    RestReply internal_transfer(const Call& call);
    RestReply internal_transfers(const Call& call);

    /// The `symbol` parameter's book, or MEXC's answer for a missing or unknown symbol.
    std::optional<RestReply> find_symbol(const Call& call, const SymbolBook*& book) const;
    /// Whether the calling key may trade `symbol` (ApiKey::symbols).
    bool api_tradable(const Call& call, std::string_view symbol) const;
    std::optional<RestReply> authenticate(const RestRequest& request, std::string_view raw_query,
                                          Call& call);
    std::optional<RestReply> meter(const RestRequest& request, int weight, bool per_account,
                                   bool is_order, Call& call);
    void expire_listen_keys();

    Market& market_;
    SandboxStats& stats_;
    Engine* engine_ = nullptr;
    std::map<std::uint64_t, bool> mx_deduct_;
    std::vector<ApiKey> keys_;
    std::map<std::string, HmacSha256, std::less<>> verifiers_;  // by secret, keyed on first use
    RateLimits limits_;
    std::unordered_map<std::string, std::int64_t> stale_snapshots_;
    struct Offline {
        int state = 2;
        std::int64_t time_ms = 0;
    };
    std::map<std::string, Offline, std::less<>> offline_;  // symbol/offline's list, by symbol
    std::chrono::milliseconds clock_offset_{0};
    std::chrono::milliseconds listen_key_validity_{std::chrono::minutes(60)};
    std::map<std::string, ListenKey, std::less<>> listen_keys_;
    std::uint64_t listen_key_counter_ = 0;
    Custody custody_;

    struct Meter {
        std::int64_t window_start = 0;
        int used = 0;
        int violations = 0;
        std::int64_t banned_until = 0;
        std::chrono::seconds next_ban{0};
    };
    std::map<std::string, Meter, std::less<>> meters_;
    std::deque<std::int64_t> order_times_;
    std::uint64_t rate_limited_ = 0;
    std::deque<std::string> recent_;
};

}  // namespace mexc::sandbox
