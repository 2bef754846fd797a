// S09: the exact signed requests the client sends, signature included, under a fixed clock,
// compared with SPEC §11 known answers; and the sandbox verified each one independently.

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/private_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
using mexc::testing::run;

namespace {

constexpr std::int64_t spec_timestamp = 1644489390087;  // SPEC §11.1

struct DocAccount {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox;
    std::optional<mexc::rest::PrivateRest> rest;

    DocAccount() : sandbox(ioc.get_executor(), options()) {
        REQUIRE(sandbox.start());
        // The venue's clock is set to the vectors' timestamp so that it accepts them.
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        sandbox.set_clock_offset(std::chrono::milliseconds(spec_timestamp - now + 100));
        mexc::Config c;
        c.rest_url = sandbox.rest_url();
        c.credentials.emplace("mx0aBYs33eIilxBWC5",
                              mexc::SecretString("45d0b3c26f2644f19bfb98b07741b2f5"));
        rest.emplace(ioc.get_executor(), c);
        rest->set_fixed_clock([] { return spec_timestamp; });
    }
    ~DocAccount() { sandbox.stop(); }

    static mexc::sandbox::SandboxOptions options() {
        mexc::sandbox::SandboxOptions o;
        mexc::sandbox::ApiKey doc{"mx0aBYs33eIilxBWC5", "45d0b3c26f2644f19bfb98b07741b2f5", 1};
        o.keys = {doc};
        return o;
    }
    const std::string& last() const { return sandbox.recent_requests().back(); }
};

}  // namespace

TEST_CASE("S09 GET /api/v3/account is sent exactly as SPEC §11.2 signs it",
          "[integration][rest][signing][S09]") {
    DocAccount a;
    auto r = run(a.ioc, a.rest->account());
    REQUIRE(r);  // the sandbox verified the signature too
    CHECK(a.last() ==
          "GET /api/v3/account?recvWindow=5000&timestamp=1644489390087"
          "&signature=1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf");
}

TEST_CASE(
    "S09 POST /api/v3/order is sent exactly as SPEC §11.1 signs it (recvWindow before timestamp)",
    "[integration][rest][signing][S09]") {
    DocAccount a;
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.type = mexc::OrderType::limit;
    o.quantity = mexc::Quantity::parse("1", 0).value();
    o.price = mexc::Price::parse("11", 0).value();
    (void)run(a.ioc, a.rest->new_order(
                         o));  // the venue may refuse it for funds; the bytes are what matter
    CHECK(a.last() ==
          "POST "
          "/api/v3/"
          "order?symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp="
          "1644489390087"
          "&signature=fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a");
}

TEST_CASE("S09 DELETE /api/v3/order by client id is sent exactly as SPEC §11.2 signs it",
          "[integration][rest][signing][S09]") {
    DocAccount a;
    (void)run(a.ioc,
              a.rest->cancel_order("BTCUSDT", mexc::rest::OrderRef::by_client_id("myOrder1")));
    CHECK(a.last() ==
          "DELETE "
          "/api/v3/"
          "order?symbol=BTCUSDT&origClientOrderId=myOrder1&recvWindow=5000&timestamp=1644489390087"
          "&signature=64df0ffd9a4b10ae46cc7daa11755cdc3c5ce4dec1f67ac23a88bb1d5bc8e5b8");
}

TEST_CASE("S09 every retry is re-signed with a fresh timestamp",
          "[integration][rest][signing][S09][S11]") {
    DocAccount a;
    std::int64_t t = spec_timestamp;
    a.rest->set_fixed_clock([&t] { return t++; });
    a.sandbox.faults()
        .respond_instead("GET /api/v3/openOrders", 503, R"({"code":503,"msg":"busy"})")
        .times(1);
    REQUIRE(run(a.ioc, a.rest->open_orders("BTCUSDT")));
    // The first attempt (stamped ...087) was answered by the injected 503 before the API saw it;
    // the retry the venue accepted carries a new timestamp and a signature over it.
    CHECK(t == spec_timestamp + 2);
    CHECK(a.last().find("timestamp=1644489390088&signature=") != std::string::npos);
}

TEST_CASE("S09 POST /api/v3/batchOrders percent-encodes the JSON and signs it as SPEC §11.2",
          "[integration][rest][signing][S09]") {
    DocAccount a;
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.type = mexc::OrderType::limit;
    o.price = mexc::Price::parse("40000", 0).value();
    o.quantity = mexc::Quantity::parse("0.0002", 4).value();
    o.client_order_id = "c1";
    std::vector<mexc::OrderRequest> batch{o};
    (void)run(a.ioc, a.rest->batch_orders(batch));
    CHECK(a.last() ==
          "POST "
          "/api/v3/"
          "batchOrders?batchOrders=%5B%7B%22type%22%3A%22LIMIT%22%2C%22price%22%3A%2240000%22%2C%"
          "22quantity%22%3A"
          "%220.0002%22%2C%22symbol%22%3A%22BTCUSDT%22%2C%22side%22%3A%22BUY%22%2C%"
          "22newClientOrderId%22%3A%22c1%22%7D%5D"
          "&recvWindow=5000&timestamp=1644489390087&signature="
          "8de9a774b5f84128f07bcdf796d6ffc0bf863fe4a198e529dc41ed907c571c42");
}

TEST_CASE(
    "S09 every other signed endpoint is sent exactly as signed: parameters, order, encoding, "
    "signature",
    "[integration][rest][signing][S09]") {
    // Expected bytes written by hand from SPEC §3 (parameter names and the client's order) and
    // signed independently of the library (HMAC-SHA256 over the query, the SPEC §11 doc secret).
    // The venue's answers do not matter here (most of these ids do not exist): the bytes do.
    DocAccount a;
    auto expect = [&](const std::string& expected, auto call) {
        (void)run(a.ioc, call());
        CHECK(a.last() == expected);
    };
    auto spec_order = [](mexc::StpMode mode) {
        mexc::OrderRequest o;
        o.symbol = "BTCUSDT";
        o.side = mexc::Side::buy;
        o.type = mexc::OrderType::limit;
        o.quantity = mexc::Quantity::parse("1", 0).value();
        o.price = mexc::Price::parse("11", 0).value();
        o.stp_mode = mode;
        return o;
    };
    const std::vector<std::string> uids{"10000001", "10000002"};
    mexc::SubAccountQuery sub_query;
    sub_query.name = "alphaDesk01";
    sub_query.frozen = false;
    sub_query.page = 1;
    sub_query.limit = 20;
    mexc::SubAccountApiKeyRequest key_request;
    key_request.sub_account = "alphaDesk01";
    key_request.note = "bot";
    key_request.permissions = {"SPOT_DEAL_READ", "SPOT_DEAL_WRITE"};
    key_request.ips = {"127.0.0.1"};
    mexc::UniversalTransferRequest universal;
    universal.to_account = "alphaDesk01";
    universal.asset = "USDT";
    universal.amount = mexc::Amount::parse("250.5", 1).value();
    const mexc::TransferQuery spot_query;
    mexc::WithdrawRequest withdrawal;
    withdrawal.coin = "USDT";
    withdrawal.address = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE";
    withdrawal.amount = mexc::Amount::parse("10", 0).value();
    withdrawal.network = "TRC20";
    withdrawal.withdraw_order_id = "wd-1";
    mexc::WalletHistoryQuery deposits;
    deposits.coin = "USDT";
    deposits.status = 5;
    mexc::TransferRequest to_futures;
    to_futures.asset = "USDT";
    to_futures.amount = mexc::Amount::parse("100", 0).value();
    mexc::TransferQuery futures_query;
    futures_query.to_type = mexc::WalletType::futures;
    const std::vector<std::string> dust{"SOL", "BTC"};
    mexc::InternalTransferRequest gift;
    gift.to_account_type = "UID";
    gift.to_account = "10000002";
    gift.asset = "USDT";
    gift.amount = mexc::Amount::parse("5", 0).value();

    expect(
        "GET "
        "/api/v3/"
        "order?symbol=BTCUSDT&orderId=C02__1&recvWindow=5000&timestamp=1644489390087&signature="
        "5ae67b17877d60c11ff604e7983b432c22f2a266fad334d61aa63381eb1f8630",
        [&] { return a.rest->query_order("BTCUSDT", mexc::rest::OrderRef::by_id("C02__1")); });
    expect(
        "GET "
        "/api/v3/"
        "openOrders?symbol=BTCUSDT&recvWindow=5000&timestamp=1644489390087&signature="
        "e784e9479a1fecaec9b3a526476d9d17a29976c36690a2eac06724298896d8ba",
        [&] { return a.rest->open_orders("BTCUSDT"); });
    expect(
        "GET "
        "/api/v3/"
        "allOrders?symbol=BTCUSDT&startTime=1644489000000&endTime=1644489390000&limit=50&"
        "recvWindow=5000&timestamp=1644489390087&signature="
        "4bbddfa4ac62e6455311e752802cd2619baef79c38d211cefd0f20c01ee4f47a",
        [&] { return a.rest->all_orders("BTCUSDT", 1644489000000, 1644489390000, 50); });
    expect(
        "DELETE "
        "/api/v3/"
        "openOrders?symbol=BTCUSDT&recvWindow=5000&timestamp=1644489390087&signature="
        "e784e9479a1fecaec9b3a526476d9d17a29976c36690a2eac06724298896d8ba",
        [&] { return a.rest->cancel_open_orders("BTCUSDT"); });
    expect(
        "GET "
        "/api/v3/"
        "myTrades?symbol=BTCUSDT&orderId=C02__1&limit=10&recvWindow=5000&timestamp=1644489390087&"
        "signature=31b7c5a79056ac2e6a89a4ced71181703c51038e7fa4bda2ee1bf3c463868560",
        [&] { return a.rest->my_trades("BTCUSDT", "C02__1", 10); });
    expect(
        "POST "
        "/api/v3/order/"
        "test?symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&stpMode=cancel_maker&"
        "recvWindow=5000&timestamp=1644489390087&signature="
        "286c5e9729c6e376f8baedf3b96bf3ad0925316c2a4d790833a6ef8c6a4d151a",
        [&] { return a.rest->test_order(spec_order(mexc::StpMode::cancel_maker)); });
    expect(
        "POST "
        "/api/v3/"
        "userDataStream?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->create_listen_key(); });
    expect(
        "PUT "
        "/api/v3/"
        "userDataStream?listenKey=abc&recvWindow=5000&timestamp=1644489390087&signature="
        "225a897c7669b9659242306baae2f93617e76e733c26a4d0c082fb0b0769539f",
        [&] { return a.rest->keep_alive_listen_key("abc"); });
    expect(
        "DELETE "
        "/api/v3/"
        "userDataStream?listenKey=abc&recvWindow=5000&timestamp=1644489390087&signature="
        "225a897c7669b9659242306baae2f93617e76e733c26a4d0c082fb0b0769539f",
        [&] { return a.rest->delete_listen_key("abc"); });
    expect(
        "GET "
        "/api/v3/"
        "userDataStream?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->listen_keys(); });
    expect(
        "GET "
        "/api/v3/kyc/"
        "status?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->kyc_status(); });
    expect(
        "GET "
        "/api/v3/"
        "uid?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->uid(); });
    expect(
        "GET "
        "/api/v3/"
        "selfSymbols?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->self_symbols(); });
    expect(
        "GET "
        "/api/v3/"
        "tradeFee?symbol=BTCUSDT&recvWindow=5000&timestamp=1644489390087&signature="
        "e784e9479a1fecaec9b3a526476d9d17a29976c36690a2eac06724298896d8ba",
        [&] { return a.rest->trade_fee("BTCUSDT"); });
    expect(
        "GET "
        "/api/v3/mxDeduct/"
        "enable?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->mx_deduct(); });
    expect(
        "POST "
        "/api/v3/mxDeduct/"
        "enable?mxDeductEnable=true&recvWindow=5000&timestamp=1644489390087&signature="
        "67da064adfd539b988f55dffa4c03839ef1031f05e0051cc1693a79a449c5609",
        [&] { return a.rest->set_mx_deduct(true); });
    expect(
        "POST "
        "/api/v3/strategy/"
        "group?tradeGroupName=makers&recvWindow=5000&timestamp=1644489390087&signature="
        "7e9ecbfc7375170dd039390d424baa747cdf23f3155f66bb5e0b28c9fd040fc2",
        [&] { return a.rest->create_stp_group("makers"); });
    expect(
        "GET "
        "/api/v3/strategy/"
        "group?tradeGroupName=makers&recvWindow=5000&timestamp=1644489390087&signature="
        "7e9ecbfc7375170dd039390d424baa747cdf23f3155f66bb5e0b28c9fd040fc2",
        [&] { return a.rest->stp_groups("makers"); });
    expect(
        "POST "
        "/api/v3/strategy/group/"
        "uid?uid=10000001%2C10000002&tradeGroupId=7&recvWindow=5000&timestamp=1644489390087&"
        "signature=c6065416b7274969e64321422aa67212de14a4448f18ea6e721e7229ce6f77b1",
        [&] { return a.rest->add_stp_group_uids(7, uids); });
    expect(
        "DELETE "
        "/api/v3/strategy/group/"
        "uid?uid=10000001%2C10000002&tradeGroupId=7&recvWindow=5000&timestamp=1644489390087&"
        "signature=c6065416b7274969e64321422aa67212de14a4448f18ea6e721e7229ce6f77b1",
        [&] { return a.rest->remove_stp_group_uids(7, uids); });
    expect(
        "DELETE "
        "/api/v3/strategy/"
        "group?tradeGroupId=7&recvWindow=5000&timestamp=1644489390087&signature="
        "c17bef89f06f4209fe07b86c7fd78a42aa828a9c20e54a337f03509c99221ba5",
        [&] { return a.rest->delete_stp_group(7); });
    expect(
        "POST "
        "/api/v3/sub-account/"
        "virtualSubAccount?subAccount=alphaDesk01&note=alpha&recvWindow=5000&timestamp="
        "1644489390087&signature=7ce45c4a0092c8c17a6a1e3b83d6e393b39b013accfadc981df73e6119f3ddc7",
        [&] { return a.rest->create_sub_account("alphaDesk01", "alpha"); });
    expect(
        "GET "
        "/api/v3/sub-account/"
        "list?subAccount=alphaDesk01&isFreeze=false&page=1&limit=20&recvWindow=5000&timestamp="
        "1644489390087&signature=4ab72380ad6fd954aa235cbfb28305f32bd56630ff9cd67dff42d6de5588adf7",
        [&] { return a.rest->sub_accounts(sub_query); });
    expect(
        "POST "
        "/api/v3/sub-account/"
        "apiKey?subAccount=alphaDesk01&note=bot&permissions=SPOT_DEAL_READ%2CSPOT_DEAL_WRITE&ip="
        "127.0.0.1&recvWindow=5000&timestamp=1644489390087&signature="
        "d5f2ccd65065d9ff307b66fb9b10fb41ef84e5c1b5337b323b276814de2fef53",
        [&] { return a.rest->create_sub_account_api_key(key_request); });
    expect(
        "GET "
        "/api/v3/sub-account/"
        "apiKey?subAccount=alphaDesk01&recvWindow=5000&timestamp=1644489390087&signature="
        "00577ef626f5aa0880f80a90048876bb790063951557f2986dee42e41afa02da",
        [&] { return a.rest->sub_account_api_keys("alphaDesk01"); });
    expect(
        "DELETE "
        "/api/v3/sub-account/"
        "apiKey?subAccount=alphaDesk01&apiKey=k1&recvWindow=5000&timestamp=1644489390087&signature="
        "18624bc3c584aa1bcf75e965372473975a27481f34ac12224dbdcf94c2951d9f",
        [&] { return a.rest->delete_sub_account_api_key("alphaDesk01", "k1"); });
    expect(
        "POST "
        "/api/v3/capital/sub-account/"
        "universalTransfer?toAccount=alphaDesk01&fromAccountType=SPOT&toAccountType=SPOT&asset="
        "USDT&amount=250.5&recvWindow=5000&timestamp=1644489390087&signature="
        "1e696fc0cf39daee39a84d78ee3534c5ec55f52616a29a05eed75978ac4cfe72",
        [&] { return a.rest->universal_transfer(universal); });
    expect(
        "GET "
        "/api/v3/capital/sub-account/"
        "universalTransfer?fromAccountType=SPOT&toAccountType=SPOT&recvWindow=5000&timestamp="
        "1644489390087&signature=0d1c1ca2bee1738185bef1e7919effc7af957b4d287992ef132387d1689ef758",
        [&] { return a.rest->universal_transfers(spot_query); });
    expect(
        "GET "
        "/api/v3/sub-account/"
        "asset?subAccount=alphaDesk01&accountType=SPOT&recvWindow=5000&timestamp=1644489390087&"
        "signature=640af2228907915227a5345dece37fa6735d29e8d4d0b71c01a68e87bd345172",
        [&] { return a.rest->sub_account_assets("alphaDesk01"); });
    expect(
        "GET "
        "/api/v3/capital/config/"
        "getall?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->coins(); });
    expect(
        "POST "
        "/api/v3/capital/"
        "withdraw?coin=USDT&withdrawOrderId=wd-1&netWork=TRC20&address="
        "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE&amount=10&recvWindow=5000&timestamp=1644489390087&"
        "signature=e0246d941db58c43d4ee90923162d52d234849c2f852551c10c36713ad4eeae2",
        [&] { return a.rest->withdraw(withdrawal); });
    expect(
        "DELETE "
        "/api/v3/capital/"
        "withdraw?id=abc&recvWindow=5000&timestamp=1644489390087&signature="
        "bbcffb564111494751817ade00573ecebce1c66d33abbb6edd9c173b4080ac9f",
        [&] { return a.rest->cancel_withdraw("abc"); });
    expect(
        "GET "
        "/api/v3/capital/deposit/"
        "hisrec?coin=USDT&status=5&recvWindow=5000&timestamp=1644489390087&signature="
        "b600335aed132279eba898971f79a8d26d58b52f51aa67881d80681936b2b17e",
        [&] { return a.rest->deposit_history(deposits); });
    expect(
        "GET "
        "/api/v3/capital/withdraw/"
        "history?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->withdraw_history(); });
    expect(
        "POST "
        "/api/v3/capital/deposit/"
        "address?coin=USDT&network=TRC20&recvWindow=5000&timestamp=1644489390087&signature="
        "247af685eca234cb2fcbdbe0e8a9678ae6fadc864dfa7678050343372dc9cf02",
        [&] { return a.rest->create_deposit_address("USDT", "TRC20"); });
    expect(
        "GET "
        "/api/v3/capital/deposit/"
        "address?coin=USDT&recvWindow=5000&timestamp=1644489390087&signature="
        "5bbd9c4654c0550695b2c42c41ef11a6c86afa9b37486d3e21ab3156766ff4fc",
        [&] { return a.rest->deposit_addresses("USDT"); });
    expect(
        "GET "
        "/api/v3/capital/withdraw/"
        "address?coin=USDT&page=1&limit=20&recvWindow=5000&timestamp=1644489390087&signature="
        "7e5376cb615d5794e2ed5f0726eeb15a3e04e8fc947af14efe765d3102ddb5a4",
        [&] { return a.rest->withdraw_addresses("USDT", 1, 20); });
    expect(
        "POST "
        "/api/v3/capital/"
        "transfer?fromAccountType=SPOT&toAccountType=FUTURES&asset=USDT&amount=100&recvWindow=5000&"
        "timestamp=1644489390087&signature="
        "5ee157fb1799165563bb3c10ce0dfc28786bdb359c0449a436a49277f047f7b1",
        [&] { return a.rest->transfer(to_futures); });
    expect(
        "GET "
        "/api/v3/capital/"
        "transfer?fromAccountType=SPOT&toAccountType=FUTURES&recvWindow=5000&timestamp="
        "1644489390087&signature=1f179e86f207c8df2a9b5c70608cc8cfde735bb02ce2ba0fdb67601fc9aca4ca",
        [&] { return a.rest->transfers(futures_query); });
    expect(
        "GET "
        "/api/v3/capital/transfer/"
        "tranId?tranId=900000000001&recvWindow=5000&timestamp=1644489390087&signature="
        "fef87b9c1d21ab9b64387749239791d7c62690a2a022a5a2002479f219fa8c07",
        [&] { return a.rest->transfer_by_id("900000000001"); });
    expect(
        "GET "
        "/api/v3/capital/convert/"
        "list?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->convertible_assets(); });
    expect(
        "POST "
        "/api/v3/capital/"
        "convert?asset=SOL%2CBTC&recvWindow=5000&timestamp=1644489390087&signature="
        "8e8fee991e01c18188d51608164ba6bb18e69f565b3115623a9c0b282e53c612",
        [&] { return a.rest->convert(dust); });
    expect(
        "GET "
        "/api/v3/capital/"
        "convert?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->convert_history(); });
    expect(
        "POST "
        "/api/v3/capital/transfer/"
        "internal?toAccountType=UID&toAccount=10000002&asset=USDT&amount=5&recvWindow=5000&"
        "timestamp=1644489390087&signature="
        "9724bab03e4ee7041dc5f03c51da95c7e7d9b93ccc549cf928588b29a29b3bc7",
        [&] { return a.rest->internal_transfer(gift); });
    expect(
        "GET "
        "/api/v3/capital/transfer/"
        "internal?recvWindow=5000&timestamp=1644489390087&signature="
        "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf",
        [&] { return a.rest->internal_transfers(); });
}
