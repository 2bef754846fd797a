// The sandbox's self-trade prevention groups (SPEC §3.4), sub-accounts (§3.5) and wallet (§3.6),
// answered from in-memory state: balances move through the Engine (with balance pushes), the
// records live in Custody. Choices where MEXC documents no behaviour are listed in
// docs/sandbox.md, "Accounts and wallet".

#include "engine.hpp"
#include "rest_api.hpp"
#include "rest_reply.hpp"
#include "sandbox_decimal.hpp"
#include "sandbox_hmac.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>

namespace mexc::sandbox {
namespace {

constexpr std::int64_t asset_unit = 100000000;  // 1.0 at asset_scale
constexpr std::size_t max_sub_accounts = 30;
constexpr std::size_t max_stp_groups = 10;
constexpr std::size_t max_sub_api_keys = 30;
constexpr std::uint64_t first_sub_account = 1000000;
constexpr std::int64_t withdraw_max = 1000000 * asset_unit;  // coins' advertised withdrawMax

bool alnum(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

/// An `amount` parameter at asset_scale, or the wallet's answer (SPEC §5.3, 10095–10102).
std::optional<RestReply> amount_of(const RestApi::Call& call, std::int64_t& units) {
    const std::string* text = call.get("amount");
    if (!text) return error_reply(400, 10095, "amount can not be null");
    const auto parsed = parse_decimal(*text, asset_scale);
    if (parsed.fault == DecimalFault::too_many_decimals)
        return error_reply(400, 10096, "amount decimal places is too long");
    if (!parsed) return error_reply(400, 10097, "amount is error");
    if (parsed.units <= 0) return error_reply(400, 10102, "amount can not be zero or negative");
    units = parsed.units;
    return std::nullopt;
}

std::optional<RestReply> asset_of(const RestApi::Call& call, const Market& market, const char* name,
                                  std::string& asset) {
    const std::string* text = call.get(name);
    if (!text) return error_reply(400, 10222, "currency can not be null");
    for (const auto& b : market.symbols())
        if (b.spec().base_asset == *text || b.spec().quote_asset == *text) {
            asset = *text;
            return std::nullopt;
        }
    return error_reply(400, 10232, "The currency not exist");
}

std::optional<RestReply> reply_of(const std::optional<EngineError>& e) {
    if (!e) return std::nullopt;
    return error_reply(e->http_status, e->code, e->msg);
}

/// The sandbox's networks per coin: name, withdraw fee and minimum at asset_scale.
struct Network {
    std::string name;
    std::int64_t fee = 0;
    std::int64_t min = 0;
};

std::vector<Network> networks_of(const std::string& coin) {
    if (coin == "USDT")
        return {{"TRC20", 1 * asset_unit, 2 * asset_unit},
                {"ERC20", 3 * asset_unit, 6 * asset_unit}};
    if (coin == "BTC") return {{"BTC", 20000, 100000}};
    if (coin == "ETH") return {{"ERC20", 200000, 1000000}};
    if (coin == "SOL") return {{"SOL", 1000000, 10000000}};
    if (coin == "MX") return {{"ERC20", 5 * asset_unit, 10 * asset_unit}};
    return {{coin, 0, 1}};
}

std::set<std::string> coins_of(const Market& market) {
    std::set<std::string> coins;
    for (const auto& b : market.symbols()) {
        coins.insert(b.spec().base_asset);
        coins.insert(b.spec().quote_asset);
    }
    return coins;
}

/// A page of `items` (1-based `page`, `limit` per page).
template <class T>
std::vector<const T*> page_of(const std::vector<const T*>& items, const RestApi::Call& call,
                              std::int64_t default_limit, std::int64_t max_limit,
                              const char* limit_name = "limit") {
    const auto page = std::clamp<std::int64_t>(
        call.get("page") ? to_int(*call.get("page")).value_or(1) : 1, 1, 1000000);
    const auto limit = std::clamp<std::int64_t>(
        call.get(limit_name) ? to_int(*call.get(limit_name)).value_or(default_limit)
                             : default_limit,
        1, max_limit);
    std::vector<const T*> out;
    for (std::size_t i = static_cast<std::size_t>((page - 1) * limit);
         i < items.size() && out.size() < static_cast<std::size_t>(limit); ++i)
        out.push_back(items[i]);
    return out;
}

/// Records of `account` with time in [startTime, endTime] (default: the last `default_days`).
template <class T, class Time, class Mine>
std::vector<const T*> window_of(const std::vector<T>& records, const RestApi::Call& call,
                                std::int64_t default_days, Time time, Mine mine) {
    const std::int64_t end =
        call.get("endTime") ? to_int(*call.get("endTime")).value_or(call.now) : call.now;
    const std::int64_t start = call.get("startTime") ? to_int(*call.get("startTime")).value_or(0)
                                                     : end - default_days * 86400000LL;
    std::vector<const T*> out;
    for (auto it = records.rbegin(); it != records.rend(); ++it)  // newest first
        if (mine(*it) && time(*it) >= start && time(*it) <= end) out.push_back(&*it);
    return out;
}

}  // namespace

// ---- self-trade prevention groups (SPEC §3.4) ----------------------------------------------

namespace {

std::string group_json(const StpGroupRecord& g, const std::vector<std::uint64_t>& uids,
                       bool with_uids) {
    std::string list;
    for (auto uid : uids) list += fmt::format("{}{}", list.empty() ? "" : ",", uid);
    return fmt::format(
        R"({{"tradeGroupName":{},"tradeGroupId":{},{}"createTime":{},"updateTime":{}}})",
        json_quote(g.name), g.id, with_uids ? fmt::format(R"("tradeGroupUid":"{}",)", list) : "",
        g.create_time, g.update_time);
}

}  // namespace

RestReply RestApi::create_stp_group(const Call& call) {
    if (custody_.is_sub_account(call.account))
        return error_reply(400, 730003, "Unsupported operation");
    const std::string* name = call.get("tradeGroupName");
    if (!name) return mandatory("tradeGroupName");
    std::size_t owned = 0;
    for (const auto& g : custody_.stp_groups) {
        if (g.master != call.account) continue;
        if (g.name == *name) return error_reply(400, 730101, "trade group name already exists");
        ++owned;
    }
    if (owned >= max_stp_groups) return error_reply(400, 730003, "at most 10 trade groups");
    StpGroupRecord g{custody_.next_group_id++, call.account, *name, {}, call.now, call.now};
    custody_.stp_groups.push_back(g);
    return wrapped(group_json(g, {}, false), call.now, 200);
}

RestReply RestApi::stp_groups(const Call& call) {
    const std::string* name = call.get("tradeGroupName");
    std::string out = "[";
    for (const auto& g : custody_.stp_groups)
        if (g.master == call.account && (!name || g.name == *name))
            out += (out.size() > 1 ? "," : "") + group_json(g, g.uids, true);
    return wrapped(out + "]", call.now, 200);
}

namespace {

StpGroupRecord* group_of(Custody& custody, const RestApi::Call& call,
                         std::optional<RestReply>& refused) {
    const std::string* id_text = call.get("tradeGroupId");
    if (!id_text) {
        refused = mandatory("tradeGroupId");
        return nullptr;
    }
    const auto id = to_int(*id_text);
    for (auto& g : custody.stp_groups)
        if (id && g.id == *id && g.master == call.account) return &g;
    refused = error_reply(400, 22222, "record does not exist");
    return nullptr;
}

}  // namespace

RestReply RestApi::delete_stp_group(const Call& call) {
    std::optional<RestReply> refused;
    StpGroupRecord* g = group_of(custody_, call, refused);
    if (!g) return *refused;
    std::erase_if(custody_.stp_groups, [&](const StpGroupRecord& r) { return &r == g; });
    return wrapped("true", call.now, 200);
}

RestReply RestApi::add_stp_uids(const Call& call) {
    std::optional<RestReply> refused;
    StpGroupRecord* g = group_of(custody_, call, refused);
    if (!g) return *refused;
    const std::string* list = call.get("uid");
    if (!list) return mandatory("uid");
    std::vector<std::uint64_t> added;
    for (const auto& text : split_list(*list)) {
        const auto uid = to_int(text);
        // Only the master itself and its own sub-accounts may join its groups.
        bool known = uid && static_cast<std::uint64_t>(*uid) == uid_of(call.account);
        for (const auto& s : custody_.sub_accounts)
            known = known || (uid && s.master == call.account &&
                              uid_of(s.account) == static_cast<std::uint64_t>(*uid));
        if (!known) return error_reply(400, 10001, "user does not exist");
        added.push_back(static_cast<std::uint64_t>(*uid));
    }
    for (auto uid : added)
        if (std::find(g->uids.begin(), g->uids.end(), uid) == g->uids.end()) g->uids.push_back(uid);
    g->update_time = call.now;
    return wrapped(group_json(*g, added, true), call.now, 200);
}

RestReply RestApi::remove_stp_uids(const Call& call) {
    std::optional<RestReply> refused;
    StpGroupRecord* g = group_of(custody_, call, refused);
    if (!g) return *refused;
    const std::string* list = call.get("uid");
    if (!list) return mandatory("uid");
    for (const auto& text : split_list(*list)) {
        const auto uid = to_int(text);
        if (uid) std::erase(g->uids, static_cast<std::uint64_t>(*uid));
    }
    g->update_time = call.now;
    return wrapped("true", call.now, 200);
}

// ---- sub-accounts (SPEC §3.5) ---------------------------------------------------------------

namespace {

std::optional<RestReply> master_only(const Custody& custody, const RestApi::Call& call) {
    if (custody.is_sub_account(call.account))
        return error_reply(400, 730003, "Unsupported operation");
    return std::nullopt;
}

const SubAccountRecord* sub_of(const Custody& custody, const RestApi::Call& call, const char* name,
                               std::optional<RestReply>& refused) {
    const std::string* text = call.get(name);
    if (!text) {
        refused = error_reply(400, 730600, "sub-account name cannot be null");
        return nullptr;
    }
    const SubAccountRecord* s = custody.sub_account(call.account, *text);
    if (!s) refused = error_reply(400, 140001, "sub-account does not exist");
    return s;
}

/// The caller's own sub-account named by `subAccount`, for a master caller; else the refusal.
const SubAccountRecord* managed_sub(const Custody& custody, const RestApi::Call& call,
                                    std::optional<RestReply>& refused) {
    refused = master_only(custody, call);
    return refused ? nullptr : sub_of(custody, call, "subAccount", refused);
}

}  // namespace

RestReply RestApi::create_sub_account(const Call& call) {
    if (auto refused = master_only(custody_, call)) return *refused;
    const std::string* name = call.get("subAccount");
    if (!name) return error_reply(400, 730600, "sub-account name cannot be null");
    if (name->size() < 8 || name->size() > 32 || !alnum(*name))
        return error_reply(400, 730601,
                           "sub-account name must be a combination of 8-32 letters and numbers");
    const std::string* note = call.get("note");
    if (!note) return error_reply(400, 730602, "sub-account remark cannot be null");
    std::size_t owned = 0;
    for (const auto& s : custody_.sub_accounts) {
        if (s.name == *name) return error_reply(400, 730101, "user name already exists");
        owned += s.master == call.account;
    }
    if (owned >= max_sub_accounts) return error_reply(400, 730003, "at most 30 sub-accounts");
    std::uint64_t account = first_sub_account + custody_.sub_accounts.size();
    while (engine_->has_account(account)) ++account;  // never a configured account's id
    SubAccountRecord s{*name, *note, call.account, account, false, call.now};
    AccountSpec spec;
    spec.id = s.account;
    engine_->add_account(spec);
    custody_.sub_accounts.push_back(s);
    return answer(fmt::format(R"({{"subAccount":"{}","note":{}}})", s.name, json_quote(s.note)));
}

RestReply RestApi::sub_accounts(const Call& call) {
    if (auto refused = master_only(custody_, call)) return *refused;
    const std::string* name = call.get("subAccount");
    const std::string* freeze = call.get("isFreeze");
    std::vector<const SubAccountRecord*> chosen;
    for (const auto& s : custody_.sub_accounts)
        if (s.master == call.account && (!name || s.name == *name) &&
            (!freeze || (*freeze == "true") == s.frozen))
            chosen.push_back(&s);
    std::string out;
    for (const auto* s : page_of(chosen, call, 10, 200))
        out += fmt::format(R"({}{{"subAccount":"{}","isFreeze":{},"createTime":{},"uid":"{}"}})",
                           out.empty() ? "" : ",", s->name, s->frozen, s->create_time,
                           uid_of(s->account));
    return answer(fmt::format(R"({{"subAccounts":[{}]}})", out));
}

namespace {

std::string key_json(const ApiKey& k) {
    return fmt::format(R"({{"note":{},"apiKey":"{}","permissions":"{}","ip":"{}","creatTime":{}}})",
                       json_quote(k.note), k.key, join_list(k.permissions),
                       join_list(k.ip_whitelist), k.create_time);
}

bool valid_ipv4(std::string_view ip) {
    int parts = 0;
    while (!ip.empty()) {
        const auto dot = ip.find('.');
        const auto part = ip.substr(0, dot);
        const auto v = to_int(part);
        if (!v || *v < 0 || *v > 255 || part.empty() || part.size() > 3) return false;
        ++parts;
        ip = dot == std::string_view::npos ? std::string_view{} : ip.substr(dot + 1);
        if (dot != std::string_view::npos && ip.empty()) return false;
    }
    return parts == 4;
}

}  // namespace

RestReply RestApi::create_sub_api_key(const Call& call) {
    std::optional<RestReply> refused;
    const SubAccountRecord* sub = managed_sub(custody_, call, refused);
    if (!sub) return *refused;
    const std::string* note = call.get("note");
    if (!note) return error_reply(400, 730700, "API KEY remark cannot be null");
    const std::string* perms_text = call.get("permissions");
    if (!perms_text) return error_reply(400, 730701, "API KEY permission cannot be null");
    static const std::set<std::string, std::less<>> known{
        "SPOT_ACCOUNT_READ",  "SPOT_ACCOUNT_WRITE",    "SPOT_DEAL_READ",
        "SPOT_DEAL_WRITE",    "CONTRACT_ACCOUNT_READ", "CONTRACT_ACCOUNT_WRITE",
        "CONTRACT_DEAL_READ", "CONTRACT_DEAL_WRITE",   "SPOT_TRANSFER_READ",
        "SPOT_TRANSFER_WRITE"};
    const auto permissions = split_list(*perms_text);
    for (const auto& p : permissions)
        if (!known.count(p)) return error_reply(400, 730702, "API KEY permission does not exist");
    std::vector<std::string> ips;
    if (const std::string* ip_text = call.get("ip")) ips = split_list(*ip_text);
    if (ips.size() > 10) return error_reply(400, 730703, "at most 10 IPs per API KEY");
    for (const auto& ip : ips)
        if (!valid_ipv4(ip)) return error_reply(400, 730704, "bound IP format is incorrect");
    const auto owned = std::count_if(keys_.begin(), keys_.end(),
                                     [&](const ApiKey& k) { return k.account == sub->account; });
    if (static_cast<std::size_t>(owned) >= max_sub_api_keys)
        return error_reply(400, 730705, "at most 30 API KEYs");
    // Sandbox-only credentials: derived from a counter, never shaped like MEXC's "mx0..." keys.
    const std::string seed = fmt::format("sub-key-{}-{}", sub->account, custody_.next_id++);
    ApiKey key;
    key.key = "sbxSub" + hmac_sha256_hex(seed, "key").substr(0, 26);
    key.secret = hmac_sha256_hex(seed, "secret").substr(0, 32);
    key.account = sub->account;
    key.permissions = permissions;
    key.ip_whitelist = ips;
    key.note = *note;
    key.create_time = call.now;
    keys_.push_back(key);
    return answer(fmt::format(
        R"({{"subAccount":"{}","note":{},"apiKey":"{}","secretKey":"{}","permissions":"{}","ip":"{}","creatTime":{}}})",
        sub->name, json_quote(key.note), key.key, key.secret, join_list(key.permissions),
        join_list(key.ip_whitelist), key.create_time));
}

RestReply RestApi::sub_api_keys(const Call& call) {
    std::optional<RestReply> refused;
    const SubAccountRecord* sub = managed_sub(custody_, call, refused);
    if (!sub) return *refused;
    std::string out;
    for (const auto& k : keys_)
        if (k.account == sub->account) out += (out.empty() ? "" : ",") + key_json(k);
    return answer(fmt::format(R"({{"subAccount":[{}]}})", out));
}

RestReply RestApi::delete_sub_api_key(const Call& call) {
    std::optional<RestReply> refused;
    const SubAccountRecord* sub = managed_sub(custody_, call, refused);
    if (!sub) return *refused;
    const std::string* key = call.get("apiKey");
    if (!key) return error_reply(400, 730707, "accessKey cannot be null");
    const auto before = keys_.size();
    std::erase_if(keys_,
                  [&](const ApiKey& k) { return k.account == sub->account && k.key == *key; });
    if (keys_.size() == before) return error_reply(400, 730706, "API KEY does not exist");
    return answer(fmt::format(R"({{"subAccount":"{}"}})", sub->name));
}

namespace {

std::optional<RestReply> account_type(const RestApi::Call& call, const char* name,
                                      std::string& type) {
    const std::string* text = call.get(name);
    if (!text) return mandatory(name);
    if (*text != "SPOT" && *text != "FUTURES")
        return error_reply(400, 10103, "account transfer is not supported");
    type = *text;
    return std::nullopt;
}

/// fromAccountType and toAccountType (SPOT or FUTURES).
std::optional<RestReply> wallet_types(const RestApi::Call& call, std::string& from,
                                      std::string& to) {
    if (auto refused = account_type(call, "fromAccountType", from)) return refused;
    return account_type(call, "toAccountType", to);
}

/// fromAccount and toAccount: the caller's sub-accounts by name, or `absent` when not given.
std::optional<RestReply> parties(const Custody& custody, const RestApi::Call& call,
                                 std::uint64_t absent, std::uint64_t (&accounts)[2]) {
    const char* names[2] = {"fromAccount", "toAccount"};
    for (int i = 0; i < 2; ++i) {
        accounts[i] = absent;
        if (!call.get(names[i])) continue;
        std::optional<RestReply> refused;
        const SubAccountRecord* s = sub_of(custody, call, names[i], refused);
        if (!s) return refused;
        accounts[i] = s->account;
    }
    return std::nullopt;
}

}  // namespace

namespace {

// Moves `amount` of `asset` between two wallets (SPOT in the engine, FUTURES in custody).
std::optional<RestReply> move_between(Engine& engine, Custody& custody, std::uint64_t from,
                                      const std::string& from_type, std::uint64_t to,
                                      const std::string& to_type, const std::string& asset,
                                      std::int64_t amount, std::int64_t now) {
    if (from == to && from_type == to_type)
        return error_reply(400, 10103, "account transfer is not supported");
    if (from_type == "FUTURES") {
        auto& held = custody.futures[from][asset];
        if (held < amount) return error_reply(400, 10101, "Insufficient balance");
        held -= amount;
    } else if (auto refused =
                   reply_of(engine.adjust_free(from, asset, -amount, "CONTRACT_TRANSFER", now))) {
        return refused;
    }
    if (to_type == "FUTURES")
        custody.futures[to][asset] += amount;
    else
        engine.adjust_free(to, asset, amount, "CONTRACT_TRANSFER", now);
    return std::nullopt;
}

std::string transfer_id(Custody& custody) {
    return std::to_string(900000000000ULL + custody.next_id++);
}

}  // namespace

RestReply RestApi::universal_transfer(const Call& call) {
    if (auto refused = master_only(custody_, call)) return *refused;
    std::uint64_t accounts[2];
    if (auto refused = parties(custody_, call, call.account, accounts))
        return *refused;  // absent: the master
    std::string from_type, to_type, asset;
    if (auto refused = wallet_types(call, from_type, to_type)) return *refused;
    if (auto refused = asset_of(call, market_, "asset", asset)) return *refused;
    std::int64_t amount = 0;
    if (auto refused = amount_of(call, amount)) return *refused;
    if (auto refused = move_between(*engine_, custody_, accounts[0], from_type, accounts[1],
                                    to_type, asset, amount, call.now))
        return *refused;
    TransferRecord t{TransferRecord::Kind::universal,
                     transfer_id(custody_),
                     accounts[0],
                     accounts[1],
                     from_type,
                     to_type,
                     asset,
                     amount,
                     call.now};
    custody_.transfers.push_back(t);
    return answer(fmt::format(R"([{{"tranId":"{}"}}])", t.id));
}

namespace {

std::string account_name(const Custody& custody, std::uint64_t account) {
    for (const auto& s : custody.sub_accounts)
        if (s.account == account) return s.name;
    return fmt::format("{}", uid_of(account));  // a master is named by its UID
}

}  // namespace

RestReply RestApi::universal_transfers(const Call& call) {
    if (auto refused = master_only(custody_, call)) return *refused;
    std::string from_type, to_type;
    if (auto refused = wallet_types(call, from_type, to_type)) return *refused;
    std::uint64_t filter[2];
    if (auto refused = parties(custody_, call, 0, filter)) return *refused;  // absent: any
    auto mine = [&](const TransferRecord& t) {
        const bool involves = custody_.master_of(t.from_account) == call.account ||
                              custody_.master_of(t.to_account) == call.account;
        return t.kind == TransferRecord::Kind::universal && involves && t.from_type == from_type &&
               t.to_type == to_type && (!filter[0] || t.from_account == filter[0]) &&
               (!filter[1] || t.to_account == filter[1]);
    };
    const auto chosen = window_of(
        custody_.transfers, call, 30, [](const TransferRecord& t) { return t.time; }, mine);
    std::string out = "[";
    for (const auto* t : page_of(chosen, call, 500, 500))
        out += fmt::format(
            R"({}{{"tranId":"{}","fromAccount":"{}","toAccount":"{}","clientTranId":"{}","asset":"{}","amount":"{}",)"
            R"("fromAccountType":"{}","toAccountType":"{}","fromSymbol":"","toSymbol":"","status":"SUCCESS","timestamp":{}}})",
            out.size() > 1 ? "," : "", t->id, account_name(custody_, t->from_account),
            account_name(custody_, t->to_account), t->id, t->asset, decimal(t->amount, asset_scale),
            t->from_type, t->to_type, t->time);
    return answer(out + "]");
}

RestReply RestApi::sub_account_assets(const Call& call) {
    std::optional<RestReply> refused;
    const SubAccountRecord* sub = managed_sub(custody_, call, refused);
    if (!sub) return *refused;
    const std::string* type = call.get("accountType");
    if (!type) return mandatory("accountType");
    if (*type != "SPOT") return error_reply(400, 10103, "account type is not supported");
    std::string out;
    for (const auto& [asset, b] : engine_->balances(sub->account))
        if (b.free != 0 || b.locked != 0)
            out += fmt::format(R"({}{{"asset":"{}","free":"{}","locked":"{}"}})",
                               out.empty() ? "" : ",", asset, decimal(b.free, asset_scale),
                               decimal(b.locked, asset_scale));
    return answer(fmt::format(R"({{"balances":[{}]}})", out));
}

// ---- wallet (SPEC §3.6) ---------------------------------------------------------------------

RestReply RestApi::coins(const Call&) {
    std::string out = "[";
    for (const auto& coin : coins_of(market_)) {
        std::string nets;
        for (const auto& n : networks_of(coin))
            nets += fmt::format(
                R"({}{{"coin":"{}","depositDesc":null,"depositEnable":true,"minConfirm":12,"name":"{}","network":"{}",)"
                R"("netWork":"{}","withdrawEnable":true,"withdrawFee":"{}","withdrawIntegerMultiple":null,"withdrawMax":"1000000",)"
                R"("withdrawMin":"{}","sameAddress":false,"contract":"","withdrawTips":null,"depositTips":null}})",
                nets.empty() ? "" : ",", coin, coin, n.name, n.name, decimal(n.fee, asset_scale),
                decimal(n.min, asset_scale));
        out += fmt::format(R"({}{{"coin":"{}","name":"{}","networkList":[{}]}})",
                           out.size() > 1 ? "," : "", coin, coin, nets);
    }
    return answer(out + "]");
}

namespace {

void settle_withdrawals(Custody& custody, std::int64_t now) {
    for (auto& w : custody.withdrawals)
        if (w.status == 1 && now - w.apply_time >= custody.withdraw_settle_ms) {
            w.status = 7;
            w.tx_id = hmac_sha256_hex("tx", w.id);
            w.update_time = w.apply_time + custody.withdraw_settle_ms;
        }
}

bool valid_address(std::string_view a) {
    return a.size() >= 8 && a.size() <= 128 && alnum(a);
}

}  // namespace

RestReply RestApi::withdraw(const Call& call) {
    std::string coin;
    if (auto refused = asset_of(call, market_, "coin", coin)) return *refused;
    const std::string* address = call.get("address");
    if (!address) return mandatory("address");
    std::int64_t amount = 0;
    if (auto refused = amount_of(call, amount)) return *refused;
    // `netWork` is the current name; the old /withdraw/apply takes `network`.
    const std::string* network_text =
        call.get("netWork") ? call.get("netWork") : call.get("network");
    const auto networks = networks_of(coin);
    const Network* network = &networks.front();
    if (network_text) {
        auto it = std::find_if(networks.begin(), networks.end(),
                               [&](const Network& n) { return n.name == *network_text; });
        if (it == networks.end())
            return error_reply(400, 10100, "currency transfer is not supported on this network");
        network = &*it;
    }
    if (!valid_address(*address)) return error_reply(400, 10212, "withdrawal address is invalid");
    const std::string* remark = call.get("remark");
    if (remark && remark->size() > 64) return error_reply(400, 10268, "remark is too long");
    if (amount < network->min)
        return error_reply(400, 10097, "amount is below the minimum withdrawal");
    if (amount > withdraw_max)
        return error_reply(400, 10097, "amount is above the maximum withdrawal");
    const auto free = engine_->balances(call.account)[coin].free;
    if (free < network->fee || amount > free - network->fee)
        return error_reply(400, 10101, "Insufficient balance");
    if (auto refused =
            reply_of(engine_->adjust_free(call.account, coin, -amount, "WITHDRAW", call.now)))
        return *refused;
    if (network->fee > 0)
        engine_->adjust_free(call.account, coin, -network->fee, "WITHDRAW_FEE", call.now);
    WithdrawRecord w;
    w.id = hmac_sha256_hex("withdraw", std::to_string(custody_.next_id++)).substr(0, 32);
    w.account = call.account;
    w.coin = coin;
    w.network = network->name;
    w.address = *address;
    if (auto m = call.get("memo")) w.memo = *m;
    if (remark) w.remark = *remark;
    if (auto o = call.get("withdrawOrderId")) w.withdraw_order_id = *o;
    w.amount = amount;
    w.fee = network->fee;
    w.apply_time = w.update_time = call.now;
    custody_.withdrawals.push_back(w);
    return answer(fmt::format(R"({{"id":"{}"}})", w.id));
}

RestReply RestApi::cancel_withdraw(const Call& call) {
    const std::string* id = call.get("id");
    if (!id) return mandatory("id");
    settle_withdrawals(custody_, call.now);
    for (auto& w : custody_.withdrawals) {
        if (w.id != *id || w.account != call.account) continue;
        if (w.status != 1)
            return error_reply(400, 10211, "the withdrawal can no longer be cancelled");
        w.status = 9;
        w.update_time = call.now;
        // The refund of the amount and fee shows as negative withdrawals in the balance pushes.
        engine_->adjust_free(call.account, w.coin, w.amount, "WITHDRAW", call.now);
        if (w.fee > 0) engine_->adjust_free(call.account, w.coin, w.fee, "WITHDRAW_FEE", call.now);
        return answer(fmt::format(R"({{"id":"{}"}})", w.id));
    }
    return error_reply(400, 22222, "record does not exist");
}

namespace {

/// startTime no older than 90 days (SPEC §5.3 code 400 text).
std::optional<RestReply> within_90_days(const RestApi::Call& call) {
    if (auto s = call.get("startTime");
        s && call.now - to_int(*s).value_or(call.now) > 90 * 86400000LL)
        return error_reply(400, 400, "The start time cannot be earlier than 90 days");
    return std::nullopt;
}

/// The caller's deposits or withdrawals, filtered by the optional `coin` and `status` parameters.
auto wallet_filter(const RestApi::Call& call) {
    return [&call, coin = call.get("coin"), status = call.get("status")](const auto& r) {
        return r.account == call.account && (!coin || r.coin == *coin) &&
               (!status || std::to_string(r.status) == *status);
    };
}

}  // namespace

RestReply RestApi::deposit_history(const Call& call) {
    if (auto refused = within_90_days(call)) return *refused;
    const auto chosen = window_of(
        custody_.deposits, call, 7, [](const DepositRecord& d) { return d.insert_time; },
        wallet_filter(call));
    std::string out = "[";
    for (const auto* d : page_of(chosen, call, 1000, 1000))
        out += fmt::format(
            R"({}{{"amount":"{}","coin":"{}","network":"{}","status":{},"address":"{}","txId":"{}",)"
            R"("insertTime":{},"unlockConfirm":"12","confirmTimes":"12","memo":""}})",
            out.size() > 1 ? "," : "", decimal(d->amount, asset_scale), d->coin, d->network,
            d->status, d->address, d->tx_id, d->insert_time);
    return answer(out + "]");
}

RestReply RestApi::withdraw_history(const Call& call) {
    if (auto refused = within_90_days(call)) return *refused;
    settle_withdrawals(custody_, call.now);
    const auto chosen = window_of(
        custody_.withdrawals, call, 7, [](const WithdrawRecord& w) { return w.apply_time; },
        wallet_filter(call));
    std::string out = "[";
    for (const auto* w : page_of(chosen, call, 1000, 1000))
        out += fmt::format(
            R"({}{{"id":"{}","txId":{},"coin":"{}","network":"{}","address":"{}","amount":"{}","transferType":0,)"
            R"("status":{},"transactionFee":"{}","confirmNo":null,"applyTime":{},"remark":{},"memo":{},"transHash":{},)"
            R"("updateTime":{},"coinId":"{}","vcoinId":"{}"{}}})",
            out.size() > 1 ? "," : "", w->id, json_string_or_null(w->tx_id), w->coin, w->network,
            w->address, decimal(w->amount, asset_scale), w->status, decimal(w->fee, asset_scale),
            w->apply_time, json_quote(w->remark), json_quote(w->memo),
            json_string_or_null(w->tx_id), w->update_time, w->coin, w->coin,
            w->withdraw_order_id.empty()
                ? ""
                : ",\"withdrawOrderId\":" + json_quote(w->withdraw_order_id));
    return answer(out + "]");
}

namespace {

std::optional<RestReply> network_of(const RestApi::Call& call, const std::string& coin,
                                    bool required, std::string& network) {
    const std::string* text = call.get("network");
    if (!text) {
        if (required) return mandatory("network");
        return std::nullopt;
    }
    for (const auto& n : networks_of(coin))
        if (n.name == *text) {
            network = n.name;
            return std::nullopt;
        }
    return error_reply(400, 10100, "currency transfer is not supported on this network");
}

/// The account's address for `coin` on `network`, made on first use (deterministic per account).
const std::string& deposit_address(Custody& custody, std::uint64_t account, const std::string& coin,
                                   const std::string& network) {
    auto& address = custody.deposit_addresses[{account, coin, network}];
    if (address.empty())
        address =
            "sbx" + hmac_sha256_hex("address", fmt::format("{}/{}/{}", account, coin, network))
                        .substr(0, 37);
    return address;
}

std::string address_json(const std::string& coin, const std::string& network,
                         const std::string& address) {
    return fmt::format(R"({{"coin":"{}","network":"{}","address":"{}","memo":null}})", coin,
                       network, address);
}

}  // namespace

RestReply RestApi::create_deposit_address(const Call& call) {
    std::string coin, network;
    if (auto refused = asset_of(call, market_, "coin", coin)) return *refused;
    if (auto refused = network_of(call, coin, true, network)) return *refused;
    return answer(
        address_json(coin, network, deposit_address(custody_, call.account, coin, network)));
}

RestReply RestApi::deposit_addresses(const Call& call) {
    std::string coin, network;
    if (auto refused = asset_of(call, market_, "coin", coin)) return *refused;
    if (auto refused = network_of(call, coin, false, network)) return *refused;
    std::string out = "[";
    for (const auto& [key, address] : custody_.deposit_addresses) {
        const auto& [account, c, n] = key;
        if (account == call.account && c == coin && (network.empty() || n == network))
            out += (out.size() > 1 ? "," : "") + address_json(c, n, address);
    }
    return answer(out + "]");
}

RestReply RestApi::withdraw_addresses(const Call& call) {
    // The address book: every address this account withdrew to.
    const std::string* coin = call.get("coin");
    std::vector<const WithdrawRecord*> chosen;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& w : custody_.withdrawals)
        if (w.account == call.account && (!coin || w.coin == *coin) &&
            seen.insert({w.coin, w.address}).second)
            chosen.push_back(&w);
    const auto page = page_of(chosen, call, 20, 50);
    std::string out;
    for (const auto* w : page)
        out += fmt::format(
            R"({}{{"coin":"{}","network":"{}","address":"{}","addressTag":"","memo":{}}})",
            out.empty() ? "" : ",", w->coin, w->network, w->address, json_quote(w->memo));
    const auto limit = std::max<std::size_t>(1, page.size());
    return answer(
        fmt::format(R"({{"data":[{}],"currentPage":{},"totalRecords":{},"totalPageNum":{}}})", out,
                    call.get("page") ? to_int(*call.get("page")).value_or(1) : 1, chosen.size(),
                    (chosen.size() + limit - 1) / limit));
}

RestReply RestApi::transfer(const Call& call) {
    std::string from_type, to_type, asset;
    if (auto refused = wallet_types(call, from_type, to_type)) return *refused;
    if (auto refused = asset_of(call, market_, "asset", asset)) return *refused;
    std::int64_t amount = 0;
    if (auto refused = amount_of(call, amount)) return *refused;
    if (auto refused = move_between(*engine_, custody_, call.account, from_type, call.account,
                                    to_type, asset, amount, call.now))
        return *refused;
    TransferRecord t{TransferRecord::Kind::own,
                     transfer_id(custody_),
                     call.account,
                     call.account,
                     from_type,
                     to_type,
                     asset,
                     amount,
                     call.now};
    custody_.transfers.push_back(t);
    return answer(fmt::format(R"([{{"tranId":"{}"}}])", t.id));
}

namespace {

std::string own_transfer_json(const TransferRecord& t) {
    return fmt::format(
        R"({{"tranId":"{}","clientTranId":"{}","asset":"{}","amount":"{}","fromAccountType":"{}",)"
        R"("toAccountType":"{}","symbol":null,"status":"SUCCESS","timestamp":{}}})",
        t.id, t.id, t.asset, decimal(t.amount, asset_scale), t.from_type, t.to_type, t.time);
}

}  // namespace

RestReply RestApi::transfers(const Call& call) {
    std::string from_type, to_type;
    if (auto refused = wallet_types(call, from_type, to_type)) return *refused;
    auto mine = [&](const TransferRecord& t) {
        return t.kind == TransferRecord::Kind::own && t.from_account == call.account &&
               t.from_type == from_type && t.to_type == to_type;
    };
    const auto chosen = window_of(
        custody_.transfers, call, 7, [](const TransferRecord& t) { return t.time; }, mine);
    std::string out;
    for (const auto* t : page_of(chosen, call, 10, 100, "size"))
        out += (out.empty() ? "" : ",") + own_transfer_json(*t);
    return answer(fmt::format(R"([{{"rows":[{}],"total":{}}}])", out, chosen.size()));
}

RestReply RestApi::transfer_by_id(const Call& call) {
    const std::string* id = call.get("tranId");
    if (!id) return mandatory("tranId");
    for (const auto& t : custody_.transfers)
        if (t.kind == TransferRecord::Kind::own && t.id == *id && t.from_account == call.account)
            return answer(own_transfer_json(t));
    return error_reply(400, 22222, "record does not exist");
}

namespace {

/// An asset's value in USDT at the last trade of <ASSET>USDT (USDT itself: 1), at asset_scale.
std::optional<std::int64_t> usdt_value(const Market& market, const std::string& asset,
                                       std::int64_t units) {
    if (asset == "USDT") return units;
    const SymbolBook* b = market.find(asset + "USDT");
    if (!b) return std::nullopt;
    const std::int64_t price = b->trades().empty() ? b->spec().mid_price : b->trades().back().price;
    __extension__ typedef __int128 i128;
    i128 scale = 1;
    for (int i = 0; i < b->spec().price_scale; ++i) scale *= 10;
    const i128 value = static_cast<i128>(units) * price / scale;
    return value > std::numeric_limits<std::int64_t>::max()
               ? std::numeric_limits<std::int64_t>::max()
               : static_cast<std::int64_t>(value);
}

constexpr std::int64_t dust_limit = 5 * asset_unit;  // below 5 USDT of value
constexpr std::int64_t convert_fee_rate = 2;         // percent of the MX received

}  // namespace

RestReply RestApi::convertible_assets(const Call& call) {
    std::string out = "[";
    for (const auto& [asset, b] : engine_->balances(call.account)) {
        if (asset == "MX" || b.free <= 0) continue;
        const auto value = usdt_value(market_, asset, b.free);
        const auto mx = usdt_value(market_, "MX", asset_unit);
        if (!value || !mx || *value >= dust_limit || *mx <= 0) continue;
        out += fmt::format(
            R"({}{{"convertMx":"{}","convertUsdt":"{}","balance":"{}","asset":"{}","code":"{}","message":""}})",
            out.size() > 1 ? "," : "", decimal(*value * asset_unit / *mx, asset_scale),
            decimal(*value, asset_scale), decimal(b.free, asset_scale), asset, 0);
    }
    return answer(out + "]");
}

RestReply RestApi::convert(const Call& call) {
    const std::string* list = call.get("asset");
    if (!list) return error_reply(400, 10222, "currency can not be null");
    auto assets = split_list(*list);
    std::sort(assets.begin(), assets.end());
    assets.erase(std::unique(assets.begin(), assets.end()),
                 assets.end());  // each asset converts once
    if (assets.size() > 15) return error_reply(400, 33333, "at most 15 assets");
    const auto mx_price = usdt_value(market_, "MX", asset_unit);
    std::string succeeded, failed;
    std::int64_t total = 0, total_fee = 0;
    for (const auto& asset : assets) {
        const std::int64_t free = engine_->balances(call.account)[asset].free;
        const auto value = usdt_value(market_, asset, free);
        if (asset == "MX" || free <= 0 || !value || *value >= dust_limit || !mx_price ||
            *mx_price <= 0) {
            failed += (failed.empty() ? "" : ",") + json_quote(asset);
            continue;
        }
        const std::int64_t mx = *value * asset_unit / *mx_price;
        const std::int64_t fee = mx * convert_fee_rate / 100;
        if (engine_->adjust_free(call.account, asset, -free, "SMALL_ASSETS_EXCHANGE", call.now)) {
            failed += (failed.empty() ? "" : ",") + json_quote(asset);
            continue;
        }
        engine_->adjust_free(call.account, "MX", mx - fee, "SMALL_ASSETS_EXCHANGE", call.now);
        custody_.conversions.push_back({std::to_string(custody_.next_id++), call.account, asset,
                                        free, mx - fee, fee, call.now});
        succeeded += fmt::format("{}\"{}\"", succeeded.empty() ? "" : ",", asset);
        total += mx - fee;
        total_fee += fee;
    }
    return answer(fmt::format(
        R"({{"successList":[{}],"failedList":[{}],"totalConvert":"{}","convertFee":"{}"}})",
        succeeded, failed, decimal(total, asset_scale), decimal(total_fee, asset_scale)));
}

RestReply RestApi::convert_history(const Call& call) {
    auto mine = [&](const ConvertRecord& c) { return c.account == call.account; };
    const auto chosen = window_of(
        custody_.conversions, call, 7, [](const ConvertRecord& c) { return c.time; }, mine);
    std::string out;
    for (const auto* c : page_of(chosen, call, 1000, 1000))
        out += fmt::format(
            R"({}{{"totalConvert":"{}","totalFee":"{}","convertTime":{},"convertDetails":[{{"id":"{}","convert":"{}",)"
            R"("fee":"{}","amount":"{}","time":{},"asset":"{}"}}]}})",
            out.empty() ? "" : ",", decimal(c->mx_amount, asset_scale),
            decimal(c->fee, asset_scale), c->time, c->id, decimal(c->mx_amount, asset_scale),
            decimal(c->fee, asset_scale), decimal(c->amount, asset_scale), c->time, c->asset);
    return answer(fmt::format(R"({{"data":[{}],"totalRecords":{},"page":1,"totalPageNum":1}})", out,
                              chosen.size()));
}

RestReply RestApi::internal_transfer(const Call& call) {
    const std::string* kind = call.get("toAccountType");
    if (!kind) return mandatory("toAccountType");
    if (*kind != "EMAIL" && *kind != "UID" && *kind != "MOBILE")
        return error_reply(400, 33333, "Parameter error");
    const std::string* to_text = call.get("toAccount");
    if (!to_text) return mandatory("toAccount");
    // The sandbox's users have no e-mail address or phone: only UIDs name a recipient.
    const auto uid = *kind == "UID" ? to_int(*to_text) : std::nullopt;
    const std::uint64_t to = uid && *uid > static_cast<std::int64_t>(uid_of(0))
                                 ? static_cast<std::uint64_t>(*uid) - uid_of(0)
                                 : 0;
    if (!to || !engine_->has_account(to)) return error_reply(400, 10001, "user does not exist");
    if (to == call.account) return error_reply(400, 10103, "account transfer is not supported");
    std::string asset;
    if (auto refused = asset_of(call, market_, "asset", asset)) return *refused;
    std::int64_t amount = 0;
    if (auto refused = amount_of(call, amount)) return *refused;
    if (auto refused =
            reply_of(engine_->adjust_free(call.account, asset, -amount, "WITHDRAW", call.now)))
        return *refused;
    engine_->adjust_free(to, asset, amount, "DEPOSIT", call.now);
    TransferRecord t{TransferRecord::Kind::internal,
                     transfer_id(custody_),
                     call.account,
                     to,
                     "SPOT",
                     *kind,
                     asset,
                     amount,
                     call.now};
    custody_.transfers.push_back(t);
    return answer(fmt::format(R"({{"tranId":"{}"}})", t.id));
}

RestReply RestApi::internal_transfers(const Call& call) {
    const std::string* id = call.get("tranId");
    auto mine = [&](const TransferRecord& t) {
        return t.kind == TransferRecord::Kind::internal &&
               (t.from_account == call.account || t.to_account == call.account) &&
               (!id || t.id == *id);
    };
    const auto chosen = window_of(
        custody_.transfers, call, 7, [](const TransferRecord& t) { return t.time; }, mine);
    std::string out;
    for (const auto* t : page_of(chosen, call, 10, 1000))
        out += fmt::format(
            R"({}{{"tranId":"{}","asset":"{}","amount":"{}","toAccountType":"{}","toAccount":"{}","fromAccount":"{}",)"
            R"("status":"SUCCESS","timestamp":{}}})",
            out.empty() ? "" : ",", t->id, t->asset, decimal(t->amount, asset_scale), t->to_type,
            uid_of(t->to_account), uid_of(t->from_account), t->time);
    return answer(fmt::format(R"({{"page":1,"totalRecords":{},"totalPageNum":1,"data":[{}]}})",
                              chosen.size(), out));
}

void RestApi::deposit(std::uint64_t account, const std::string& coin, const std::string& network,
                      std::int64_t amount) {
    const auto now = server_time_ms();
    if (engine_->adjust_free(account, coin, amount, "DEPOSIT", now)) return;
    const std::string address = deposit_address(custody_, account, coin, network);
    custody_.deposits.push_back({account, coin, network, address,
                                 hmac_sha256_hex("tx", std::to_string(custody_.next_id++)), amount,
                                 5, now});
}

}  // namespace mexc::sandbox
