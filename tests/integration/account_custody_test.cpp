// Account extras, STP groups, sub-accounts and the wallet (SPEC §3.2, §3.4–§3.6): PrivateRest
// against the sandbox over real sockets, with the sandbox's engine and custody as the oracle.

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/private_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

namespace asio = boost::asio;
using mexc::testing::run;

using mexc::sandbox::client_config;

namespace {

constexpr std::int64_t unit = 100000000;  // 1.0 at the sandbox's asset scale

mexc::sandbox::SandboxOptions two_accounts() {
    mexc::sandbox::SandboxOptions o;
    mexc::sandbox::AccountSpec second;
    second.id = 2;
    second.deposits = {{"USDT", 1000 * unit}};
    o.accounts.push_back(second);
    mexc::sandbox::ApiKey read_only;
    read_only.key = "sandboxReadOnlyKey01";
    read_only.secret = "sandboxReadOnlySecret0000000001";
    read_only.permissions = {"SPOT_ACCOUNT_READ"};
    o.keys.push_back(read_only);
    return o;
}

struct Venue {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor(), two_accounts()};
    std::optional<mexc::rest::PrivateRest> rest;

    Venue() {
        REQUIRE(sandbox.start());
        rest.emplace(ioc.get_executor(), client_config(sandbox));
    }
    ~Venue() { sandbox.stop(); }

    template <class T>
    T operator()(asio::awaitable<T> task) {
        return run(ioc, std::move(task));
    }

    std::int64_t free_of(std::uint64_t account, const std::string& asset) {
        return sandbox.engine().balances(account)[asset].free;
    }

    /// A new API key of the sub-account, and a client signing with it.
    std::unique_ptr<mexc::rest::PrivateRest> client_of(const std::string& sub_account,
                                                       std::vector<std::string> permissions) {
        mexc::SubAccountApiKeyRequest request;
        request.sub_account = sub_account;
        request.note = "test";
        request.permissions = std::move(permissions);
        auto key = (*this)(rest->create_sub_account_api_key(request));
        REQUIRE(key);
        return std::make_unique<mexc::rest::PrivateRest>(
            ioc.get_executor(),
            client_config(sandbox, key->api_key, std::string(key->secret_key.reveal())));
    }

    /// A new sub-account funded from the master's spot wallet, and a client of its own.
    std::unique_ptr<mexc::rest::PrivateRest> funded_sub_account(
        const std::string& name, std::string asset, mexc::Amount amount,
        std::vector<std::string> permissions) {
        REQUIRE((*this)(rest->create_sub_account(name, "test")));
        mexc::UniversalTransferRequest fund;
        fund.to_account = name;
        fund.asset = std::move(asset);
        fund.amount = amount;
        REQUIRE((*this)(rest->universal_transfer(fund)));
        return client_of(name, std::move(permissions));
    }
};

mexc::Amount amount(std::string text) {
    return mexc::Amount::parse(text, 8).value();
}

template <class T>
std::int64_t venue_code(const mexc::Result<T>& r) {
    return r ? 0 : r.error().code().value();
}

}  // namespace

TEST_CASE("account extras: kyc status, uid, self symbols, trade fee, MX deduction, listen keys",
          "[integration][rest][account]") {
    Venue v;
    auto kyc = v(v.rest->kyc_status());
    REQUIRE(kyc);
    CHECK(*kyc == 2);
    auto uid = v(v.rest->uid());
    REQUIRE(uid);
    CHECK(*uid == "10000001");
    auto symbols = v(v.rest->self_symbols());
    REQUIRE(symbols);
    CHECK(std::count(symbols->begin(), symbols->end(), "BTCUSDT") == 1);
    auto fee = v(v.rest->trade_fee("BTCUSDT"));
    REQUIRE(fee);
    CHECK(fee->taker.to_string() == "0.0005");
    auto deduct = v(v.rest->mx_deduct());
    REQUIRE(deduct);
    CHECK_FALSE(*deduct);
    auto set = v(v.rest->set_mx_deduct(true));
    REQUIRE(set);
    CHECK(*set);
    auto again = v(v.rest->mx_deduct());
    REQUIRE(again);
    CHECK(*again);
    auto key = v(v.rest->create_listen_key());
    REQUIRE(key);
    auto keys = v(v.rest->listen_keys());
    REQUIRE(keys);
    CHECK(*keys == std::vector<std::string>{*key});
}

TEST_CASE("STP groups: create, list, add and remove members, delete, names unique, members known",
          "[integration][rest][stp]") {
    Venue v;
    auto group = v(v.rest->create_stp_group("makers"));
    REQUIRE(group);
    CHECK(group->name == "makers");
    CHECK(group->id > 0);
    CHECK(venue_code(v(v.rest->create_stp_group("makers"))) == 730101);

    auto sub = v(v.rest->create_sub_account("desk00001", "desk"));
    REQUIRE(sub);
    auto subs = v(v.rest->sub_accounts());
    REQUIRE(subs);
    REQUIRE(subs->size() == 1);
    const std::string sub_uid = subs->front().uid;
    std::vector<std::string> members{"10000001", sub_uid};
    auto added = v(v.rest->add_stp_group_uids(group->id, members));
    REQUIRE(added);
    CHECK(added->uids == members);
    CHECK(v.sandbox.custody().same_stp_group(1, v.sandbox.custody().sub_accounts.front().account));

    std::vector<std::string> stranger{"10000002"};  // another user, not this master's
    auto refused = v(v.rest->add_stp_group_uids(group->id, stranger));
    CHECK(venue_code(refused) == 10001);

    auto listed = v(v.rest->stp_groups());
    REQUIRE(listed);
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().uids == members);

    std::vector<std::string> removed{sub_uid};
    REQUIRE(v(v.rest->remove_stp_group_uids(group->id, removed)));
    auto after = v(v.rest->stp_groups("makers"));
    REQUIRE(after);
    REQUIRE(after->size() == 1);
    CHECK(after->front().uids == std::vector<std::string>{"10000001"});

    REQUIRE(v(v.rest->delete_stp_group(group->id)));
    auto none = v(v.rest->stp_groups());
    REQUIRE(none);
    CHECK(none->empty());
    CHECK(venue_code(v(v.rest->delete_stp_group(group->id))) == 22222);
}

TEST_CASE("sub-accounts: create, list, API keys that trade as the sub-account, universal transfers",
          "[integration][rest][subaccount]") {
    Venue v;
    CHECK(venue_code(v(v.rest->create_sub_account("short", "x"))) == 730601);
    auto sub = v(v.rest->create_sub_account("alphaDesk01", "alpha"));
    REQUIRE(sub);
    CHECK(sub->name == "alphaDesk01");
    CHECK(sub->note == "alpha");
    CHECK(venue_code(v(v.rest->create_sub_account("alphaDesk01", "again"))) == 730101);
    REQUIRE(v(v.rest->create_sub_account("betaDesk002", "beta")));
    mexc::SubAccountQuery by_name;
    by_name.name = "betaDesk002";
    auto listed = v(v.rest->sub_accounts(by_name));
    REQUIRE(listed);
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().name == "betaDesk002");
    CHECK_FALSE(listed->front().frozen);

    // A key for the sub-account: the secret comes once, wrapped; the key signs as the sub-account.
    mexc::SubAccountApiKeyRequest key_request;
    key_request.sub_account = "alphaDesk01";
    key_request.note = "bot";
    key_request.permissions = {"SPOT_ACCOUNT_READ", "SPOT_DEAL_READ", "SPOT_DEAL_WRITE"};
    key_request.ips = {"127.0.0.1"};
    auto key = v(v.rest->create_sub_account_api_key(key_request));
    REQUIRE(key);
    CHECK(key->permissions == key_request.permissions);
    CHECK(key->ips == key_request.ips);
    REQUIRE_FALSE(key->secret_key.empty());
    mexc::rest::PrivateRest as_sub(
        v.ioc.get_executor(),
        client_config(v.sandbox, key->api_key, std::string(key->secret_key.reveal())));
    auto sub_uid = v(as_sub.uid());
    REQUIRE(sub_uid);
    CHECK(*sub_uid != "10000001");
    // A sub-account cannot manage sub-accounts.
    CHECK(venue_code(v(as_sub.sub_accounts())) == 730003);

    auto keys = v(v.rest->sub_account_api_keys("alphaDesk01"));
    REQUIRE(keys);
    REQUIRE(keys->size() == 1);
    CHECK(keys->front().api_key == key->api_key);
    CHECK(keys->front().secret_key.empty());  // listed keys never carry the secret
    CHECK(venue_code(v(v.rest->sub_account_api_keys("nobody0001"))) == 140001);

    // Master → sub and back (SPOT), checked against the engine's balances.
    const std::uint64_t sub_account = v.sandbox.custody().sub_accounts.front().account;
    const auto master_before = v.free_of(1, "USDT");
    mexc::UniversalTransferRequest t;
    t.to_account = "alphaDesk01";
    t.asset = "USDT";
    t.amount = amount("250.5");
    auto id = v(v.rest->universal_transfer(t));
    REQUIRE(id);
    CHECK_FALSE(id->empty());
    CHECK(v.free_of(sub_account, "USDT") == 25050000000);
    CHECK(v.free_of(1, "USDT") == master_before - 25050000000);
    auto assets = v(v.rest->sub_account_assets("alphaDesk01"));
    REQUIRE(assets);
    REQUIRE(assets->size() == 1);
    CHECK(assets->front().asset == "USDT");
    CHECK(assets->front().free.to_string() == "250.50000000");

    mexc::UniversalTransferRequest back;
    back.from_account = "alphaDesk01";
    back.asset = "USDT";
    back.amount = amount("1000");
    CHECK(venue_code(v(v.rest->universal_transfer(back))) == 10101);  // more than the sub holds
    back.amount = amount("50");
    REQUIRE(v(v.rest->universal_transfer(back)));
    CHECK(v.free_of(sub_account, "USDT") == 20050000000);

    mexc::TransferQuery q;  // SPOT → SPOT
    auto history = v(v.rest->universal_transfers(q));
    REQUIRE(history);
    REQUIRE(history->size() == 2);
    CHECK(history->front().amount.to_string() == "50.00000000");  // newest first
    CHECK(history->front().from_account == "alphaDesk01");
    CHECK(history->back().id == *id);
    CHECK(history->back().to_account == "alphaDesk01");

    // A deleted key is refused at once.
    REQUIRE(v(v.rest->delete_sub_account_api_key("alphaDesk01", key->api_key)));
    auto gone = v(as_sub.uid());
    REQUIRE_FALSE(gone);
    CHECK(gone.error().condition() == mexc::Condition::auth);
    CHECK(venue_code(v(v.rest->delete_sub_account_api_key("alphaDesk01", key->api_key))) == 730706);
}

TEST_CASE("wallet: coins, deposits, deposit addresses, withdrawals with cancel and settlement",
          "[integration][rest][wallet]") {
    Venue v;
    auto coins = v(v.rest->coins());
    REQUIRE(coins);
    auto usdt = std::find_if(coins->begin(), coins->end(),
                             [](const mexc::CoinInfo& c) { return c.coin == "USDT"; });
    REQUIRE(usdt != coins->end());
    REQUIRE(usdt->networks.size() == 2);
    CHECK(usdt->networks.front().network == "TRC20");
    CHECK(usdt->networks.front().withdraw_fee.to_string() == "1.00000000");

    auto address = v(v.rest->create_deposit_address("USDT", "TRC20"));
    REQUIRE(address);
    CHECK(address->network == "TRC20");
    CHECK(address->address.size() > 20);
    auto addresses = v(v.rest->deposit_addresses("USDT"));
    REQUIRE(addresses);
    REQUIRE(addresses->size() == 1);
    CHECK(addresses->front().address == address->address);

    const auto before = v.free_of(1, "USDT");
    v.sandbox.deposit(1, "USDT", "TRC20", 75 * unit);
    CHECK(v.free_of(1, "USDT") == before + 75 * unit);
    auto deposits = v(v.rest->deposit_history());
    REQUIRE(deposits);
    REQUIRE(deposits->size() == 1);
    CHECK(deposits->front().amount.to_string() == "75.00000000");
    CHECK(deposits->front().status == 5);
    CHECK(deposits->front().address == address->address);  // credited to the address handed out

    mexc::WithdrawRequest w;
    w.coin = "USDT";
    w.network = "TRC20";
    w.address = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE";
    w.amount = amount("10");
    w.withdraw_order_id = "wd-1";
    auto id = v(v.rest->withdraw(w));
    REQUIRE(id);
    CHECK(v.free_of(1, "USDT") == before + 75 * unit - 11 * unit);  // amount + 1 USDT fee
    auto history = v(v.rest->withdraw_history());
    REQUIRE(history);
    REQUIRE(history->size() == 1);
    CHECK(history->front().id == *id);
    CHECK(history->front().status == 1);  // APPLY: still cancellable
    CHECK(history->front().fee.to_string() == "1.00000000");
    CHECK(history->front().withdraw_order_id == "wd-1");
    REQUIRE(v(v.rest->cancel_withdraw(*id)));
    CHECK(v.free_of(1, "USDT") == before + 75 * unit);
    auto cancelled = v(v.rest->withdraw_history());
    REQUIRE(cancelled);
    CHECK(cancelled->front().status == 9);

    // Settled withdrawals turn SUCCESS with a transaction id, and can no longer be cancelled.
    v.sandbox.custody().withdraw_settle_ms = 0;
    auto second = v(v.rest->withdraw(w));
    REQUIRE(second);
    mexc::WalletHistoryQuery success;
    success.status = 7;
    auto settled = v(v.rest->withdraw_history(success));
    REQUIRE(settled);
    REQUIRE(settled->size() == 1);
    CHECK_FALSE(settled->front().tx_id.empty());
    CHECK(venue_code(v(v.rest->cancel_withdraw(*second))) == 10211);
    auto book = v(v.rest->withdraw_addresses("USDT"));
    REQUIRE(book);
    REQUIRE(book->size() == 1);
    CHECK(book->front().address == w.address);

    // A withdrawal without its own id is refused before sending: a lost answer could not be
    // resolved.
    const auto sent_before = v.sandbox.stats().http_requests;
    mexc::WithdrawRequest anonymous = w;
    anonymous.withdraw_order_id.clear();
    auto no_id = v(v.rest->withdraw(anonymous));
    REQUIRE_FALSE(no_id);
    CHECK(no_id.error().condition() == mexc::Condition::rejected);
    CHECK(v.sandbox.stats().http_requests == sent_before);

    // Typed refusals: too many decimals, unknown coin, more than the balance, above the maximum.
    mexc::WithdrawRequest bad = w;
    bad.amount = mexc::Amount::parse("0.000000001", 9).value();
    CHECK(venue_code(v(v.rest->withdraw(bad))) == 10096);
    bad = w;
    bad.coin = "NOPE";
    CHECK(venue_code(v(v.rest->withdraw(bad))) == 10232);
    bad = w;
    bad.amount = amount("500000");
    CHECK(venue_code(v(v.rest->withdraw(bad))) == 10101);
    bad.amount = amount("10000000");  // above withdrawMax
    CHECK(venue_code(v(v.rest->withdraw(bad))) == 10097);
}

TEST_CASE("wallet: SPOT/FUTURES transfers, internal transfers, dust conversion",
          "[integration][rest][wallet]") {
    Venue v;
    mexc::TransferRequest to_futures;
    to_futures.asset = "USDT";
    to_futures.amount = amount("100");
    const auto before = v.free_of(1, "USDT");
    auto id = v(v.rest->transfer(to_futures));
    REQUIRE(id);
    CHECK(v.free_of(1, "USDT") == before - 100 * unit);
    CHECK(v.sandbox.custody().futures[1]["USDT"] == 100 * unit);
    mexc::TransferRequest back;
    back.from_type = mexc::WalletType::futures;
    back.to_type = mexc::WalletType::spot;
    back.asset = "USDT";
    back.amount = amount("150");
    CHECK(venue_code(v(v.rest->transfer(back))) == 10101);
    back.amount = amount("40");
    REQUIRE(v(v.rest->transfer(back)));
    CHECK(v.free_of(1, "USDT") == before - 60 * unit);

    mexc::TransferQuery spot_to_futures;
    spot_to_futures.to_type = mexc::WalletType::futures;
    auto rows = v(v.rest->transfers(spot_to_futures));
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().id == *id);
    CHECK(rows->front().to_type == "FUTURES");
    auto one = v(v.rest->transfer_by_id(*id));
    REQUIRE(one);
    CHECK(one->amount.to_string() == "100.00000000");
    CHECK(one->status == "SUCCESS");

    mexc::InternalTransferRequest gift;
    gift.to_account_type = "UID";
    gift.to_account = "10000002";
    gift.asset = "USDT";
    gift.amount = amount("5");
    auto gift_id = v(v.rest->internal_transfer(gift));
    REQUIRE(gift_id);
    CHECK(v.free_of(2, "USDT") == 1005 * unit);
    gift.to_account = "10000099";
    CHECK(venue_code(v(v.rest->internal_transfer(gift))) == 10001);
    auto internal = v(v.rest->internal_transfers());
    REQUIRE(internal);
    REQUIRE(internal->size() == 1);
    CHECK(internal->front().id == *gift_id);
    CHECK(internal->front().to_account == "10000002");

    // Dust: a sub-account holding 0.01 SOL (about 1.4 USDT) converts it to MX.
    auto sub_client =
        v.funded_sub_account("dustDesk01", "SOL", amount("0.01"),
                             {"SPOT_ACCOUNT_READ", "SPOT_ACCOUNT_WRITE", "SPOT_DEAL_READ"});
    auto& as_sub = *sub_client;
    auto dust = v(as_sub.convertible_assets());
    REQUIRE(dust);
    REQUIRE(dust->size() == 1);
    CHECK(dust->front().asset == "SOL");
    CHECK(dust->front().balance.to_string() == "0.01000000");
    std::vector<std::string> assets{"SOL", "BTC", "SOL"};  // a repeated asset converts once
    auto converted = v(as_sub.convert(assets));
    REQUIRE(converted);
    CHECK(converted->converted == std::vector<std::string>{"SOL"});
    CHECK(converted->failed == std::vector<std::string>{"BTC"});
    const std::uint64_t sub = v.sandbox.custody().sub_accounts.front().account;
    CHECK(v.free_of(sub, "SOL") == 0);
    CHECK(v.free_of(sub, "MX") > 0);
    CHECK(converted->total_mx.units() == v.free_of(sub, "MX"));
    auto conversions = v(as_sub.convert_history());
    REQUIRE(conversions);
    REQUIRE(conversions->size() == 1);
    CHECK(conversions->front().asset == "SOL");
}

TEST_CASE("E08 wallet and sub-account endpoints need their permission (700007)",
          "[integration][rest][wallet]") {
    Venue v;
    mexc::rest::PrivateRest read_only(
        v.ioc.get_executor(),
        client_config(v.sandbox, "sandboxReadOnlyKey01", "sandboxReadOnlySecret0000000001"));
    mexc::WithdrawRequest w;
    w.coin = "USDT";
    w.address = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE";
    w.amount = amount("10");
    w.withdraw_order_id = "wd-ro";
    auto refused = v(read_only.withdraw(w));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().condition() == mexc::Condition::auth);
    CHECK(venue_code(refused) == 700007);
    auto coins = v(read_only.coins());
    CHECK(venue_code(coins) == 700007);
    auto kyc = v(read_only.kyc_status());  // SPOT_ACCOUNT_READ suffices
    CHECK(kyc);
}

TEST_CASE(
    "STP: an order with stpMode never trades with a maker of its STP group, the mode says who is "
    "cancelled",
    "[integration][rest][stp]") {
    Venue v;
    v.sandbox.pause_market(true);  // the touch stays where the test puts it
    auto maker_client = v.funded_sub_account("makerDesk01", "BTC", amount("0.1"),
                                             {"SPOT_DEAL_READ", "SPOT_DEAL_WRITE"});
    auto& maker = *maker_client;
    auto group = v(v.rest->create_stp_group("desks"));
    REQUIRE(group);
    auto subs = v(v.rest->sub_accounts());
    REQUIRE(subs);
    std::vector<std::string> members{"10000001", subs->front().uid};
    REQUIRE(v(v.rest->add_stp_group_uids(group->id, members)));

    const auto* book = v.sandbox.market().find("BTCUSDT");
    const auto bid = *book->best_price(false);
    const auto ask = *book->best_price(true);
    REQUIRE(ask - bid >= 2);  // room for a price inside the spread
    const auto inside = mexc::Price::from_units(bid + 1, 2);
    auto order = [&](mexc::Side side, std::string client_id, mexc::StpMode mode) {
        mexc::OrderRequest o;
        o.symbol = "BTCUSDT";
        o.side = side;
        o.price = inside;
        o.quantity = mexc::Quantity::parse("0.001", 6).value();
        o.client_order_id = std::move(client_id);
        o.stp_mode = mode;
        return o;
    };
    auto status_of = [&](mexc::rest::PrivateRest& who, const std::string& client_id) {
        auto info = v(who.query_order("BTCUSDT", mexc::rest::OrderRef::by_client_id(client_id)));
        REQUIRE(info);
        return *info;
    };

    SECTION("cancel_maker: the group's maker is cancelled, the taker rests") {
        REQUIRE(v(maker.new_order(order(mexc::Side::sell, "m1", mexc::StpMode::none))));
        REQUIRE(v(v.rest->new_order(order(mexc::Side::buy, "t1", mexc::StpMode::cancel_maker))));
        const auto m = status_of(maker, "m1");
        CHECK(m.status == mexc::OrderStatus::canceled);
        CHECK(m.cancel_reason == "stp_cancel");
        const auto t = status_of(*v.rest, "t1");
        CHECK(t.status == mexc::OrderStatus::new_order);
        CHECK(t.executed_qty.units() == 0);
    }
    SECTION("cancel_taker: the taker is cancelled, the maker keeps resting") {
        REQUIRE(v(maker.new_order(order(mexc::Side::sell, "m2", mexc::StpMode::none))));
        REQUIRE(v(v.rest->new_order(order(mexc::Side::buy, "t2", mexc::StpMode::cancel_taker))));
        CHECK(status_of(maker, "m2").status == mexc::OrderStatus::new_order);
        const auto t = status_of(*v.rest, "t2");
        CHECK(t.status == mexc::OrderStatus::canceled);
        CHECK(t.cancel_reason == "stp_cancel");
    }
    SECTION("FILL_OR_KILL does not count a group maker's quantity: nothing trades") {
        REQUIRE(v(maker.new_order(order(mexc::Side::sell, "m5", mexc::StpMode::none))));
        auto fok = order(mexc::Side::buy, "t5", mexc::StpMode::cancel_maker);
        fok.type = mexc::OrderType::fill_or_kill;
        REQUIRE(v(v.rest->new_order(fok)));
        const auto t = status_of(*v.rest, "t5");
        CHECK(t.status == mexc::OrderStatus::canceled);
        CHECK(t.executed_qty.units() == 0);
        CHECK(status_of(maker, "m5").status == mexc::OrderStatus::new_order);
    }
    SECTION("cancel_both, and without stpMode the two trade") {
        REQUIRE(v(maker.new_order(order(mexc::Side::sell, "m3", mexc::StpMode::none))));
        REQUIRE(v(v.rest->new_order(order(mexc::Side::buy, "t3", mexc::StpMode::cancel_both))));
        CHECK(status_of(maker, "m3").status == mexc::OrderStatus::canceled);
        CHECK(status_of(*v.rest, "t3").status == mexc::OrderStatus::canceled);
        REQUIRE(v(maker.new_order(order(mexc::Side::sell, "m4", mexc::StpMode::none))));
        REQUIRE(v(v.rest->new_order(order(mexc::Side::buy, "t4", mexc::StpMode::none))));
        CHECK(status_of(maker, "m4").status == mexc::OrderStatus::filled);
        CHECK(status_of(*v.rest, "t4").status == mexc::OrderStatus::filled);
    }
}

TEST_CASE(
    "P16 a wrapped refusal under HTTP 200 (string or number code) is a typed error, never an "
    "unknown outcome",
    "[integration][rest][stp][P16]") {
    Venue v;
    // MEXC's wrapped endpoints may refuse with HTTP 200 and a code other than 0/200 (SPEC §5.2).
    v.sandbox.faults().respond_instead("POST /api/v3/strategy/group", 200,
                                       R"({"code":730001,"msg":"user information error"})");
    auto refused = v(v.rest->create_stp_group("makers"));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().condition() ==
          mexc::Condition::rejected);  // a command, yet definitely not applied
    CHECK(venue_code(refused) == 730001);
    CHECK(refused.error().venue_message() == "user information error");
    v.sandbox.faults().respond_instead("GET /api/v3/strategy/group", 200,
                                       R"({"code":"700007","msg":"no permission"})");
    auto denied = v(v.rest->stp_groups());
    REQUIRE_FALSE(denied);
    CHECK(denied.error().condition() == mexc::Condition::auth);
    CHECK(venue_code(denied) == 700007);
    // The same for an unwrapped endpoint: an order refused under HTTP 200 was not placed.
    v.sandbox.faults().respond_instead("POST /api/v3/order", 200,
                                       R"({"code":30004,"msg":"Insufficient position"})");
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.price = mexc::Price::parse("50000.00", 2).value();
    o.quantity = mexc::Quantity::parse("0.001000", 6).value();
    auto order = v(v.rest->new_order(o));
    REQUIRE_FALSE(order);
    CHECK(order.error().condition() == mexc::Condition::rejected);
    CHECK(venue_code(order) == 30004);
    // Calls answered by any body (deletions, cancels) are refused the same way, not taken as done.
    v.sandbox.faults().respond_instead("DELETE /api/v3/capital/withdraw", 200,
                                       R"({"code":10211,"msg":"too late"})");
    auto cancel = v(v.rest->cancel_withdraw("abc"));
    REQUIRE_FALSE(cancel);
    CHECK(venue_code(cancel) == 10211);
    // A body that is not a refusal but lacks what the answer needs stays outcome_unknown for a
    // command.
    v.sandbox.faults().clear_rest_faults();
    v.sandbox.faults().respond_instead("POST /api/v3/capital/transfer", 200,
                                       R"({"unexpected":true})");
    mexc::TransferRequest t;
    t.asset = "USDT";
    t.amount = amount("1");
    auto unknown = v(v.rest->transfer(t));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().condition() == mexc::Condition::outcome_unknown);
}
