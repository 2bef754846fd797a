// Every JSON decoder reads MEXC's answers in each form the venue writes them (SPEC §3, §4, §11.6;
// FAULTS P06, P16): integers as numbers or strings of digits, decimals as strings or numbers (read
// exactly), optional fields absent or null, enumeration values it does not know as `unknown`.

#include "support/catch_result.hpp"

#include "mexc/symbol_rules.hpp"
#include "wire/json.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <type_traits>
#include <vector>

using namespace mexc;
using mexc::wire::JsonReader;

namespace {

// A decoded value written out field by field, so two decodings can be compared whole.
struct Dump {
    std::string out;

    template <class T>
    Dump& operator<<(const T& v) {
        if constexpr (std::is_same_v<T, bool>) {
            out += v ? "true" : "false";
        } else if constexpr (std::is_enum_v<T>) {
            out += std::to_string(static_cast<int>(v));
        } else if constexpr (std::is_integral_v<T>) {
            out += std::to_string(v);
        } else if constexpr (requires { v.units(); }) {
            out += v.to_string();
        } else if constexpr (requires { v.reveal(); }) {
            out += std::string(v.reveal());
        } else if constexpr (requires { std::string_view(v); }) {
            out += std::string_view(v);
        } else if constexpr (requires { v.begin(); }) {
            out += "[";
            for (const auto& e : v) *this << e;
            out += "]";
        } else if constexpr (requires { v.has_value(); }) {
            if (v) *this << *v;
        } else {
            dump(*this, v);
        }
        out += '|';
        return *this;
    }
};

void dump(Dump& d, const OrderAck& a) {
    d << a.symbol << a.order_id << a.price << a.orig_qty << a.type << a.side << a.transact_time;
}
void dump(Dump& d, const OrderInfo& o) {
    d << o.symbol << o.order_id << o.client_order_id << o.price << o.orig_qty << o.executed_qty
      << o.cummulative_quote_qty << o.status << o.type << o.side << o.time << o.update_time
      << o.cancel_reason;
}
void dump(Dump& d, const TradeInfo& t) {
    d << t.symbol << t.id << t.order_id << t.client_order_id << t.price << t.qty << t.quote_qty
      << t.commission << t.commission_asset << t.time << t.is_buyer << t.is_maker
      << t.is_self_trade;
}
void dump(Dump& d, const AssetBalance& b) {
    d << b.asset << b.free << b.locked;
}
void dump(Dump& d, const AccountInfo& a) {
    d << a.can_trade << a.can_withdraw << a.can_deposit << a.account_type << a.balances;
}
void dump(Dump& d, const Error& e) {
    d << e.condition() << e.code().value() << e.venue_message();
}
void dump(Dump& d, const BatchOrderResult& r) {
    d << r.client_order_id << r.ack << r.error;
}
void dump(Dump& d, const PublicTrade& t) {
    d << t.price << t.qty << t.quote_qty << t.time << t.is_buyer_maker;
}
void dump(Dump& d, const KlineBar& k) {
    d << k.open_time << k.open << k.high << k.low << k.close << k.volume << k.close_time
      << k.quote_volume;
}
void dump(Dump& d, const AveragePrice& a) {
    d << a.minutes << a.price;
}
void dump(Dump& d, const Ticker24h& t) {
    d << t.symbol << t.price_change << t.price_change_percent << t.prev_close_price << t.last_price
      << t.bid_price << t.ask_price << t.open_price << t.high_price << t.low_price << t.bid_qty
      << t.ask_qty << t.volume << t.quote_volume << t.open_time << t.close_time;
}
void dump(Dump& d, const TickerPrice& t) {
    d << t.symbol << t.price;
}
void dump(Dump& d, const BookTickerInfo& t) {
    d << t.symbol << t.bid_price << t.ask_price << t.bid_qty << t.ask_qty;
}
void dump(Dump& d, const AggTrade& t) {
    d << t.price << t.qty << t.time << t.is_buyer_maker << t.is_best_match << t.aggregate_id
      << t.first_id << t.last_id;
}
void dump(Dump& d, const EtfInfo& e) {
    d << e.symbol << e.net_value << e.fee_rate << e.timestamp << e.leverage << e.real_leverage
      << e.merged_times << e.last_merged_time << e.basket;
}
void dump(Dump& d, const OfflineSymbol& s) {
    d << s.symbol << s.state << s.offline_time;
}
void dump(Dump& d, const SymbolInfo& s) {
    d << s.symbol << s.status << s.base_asset << s.quote_asset << s.base_asset_precision
      << s.quote_precision << s.quote_asset_precision << s.base_size_precision
      << s.quote_amount_precision << s.max_quote_amount << s.quote_amount_precision_market
      << s.max_quote_amount_market << s.maker_commission << s.taker_commission
      << s.is_spot_trading_allowed << s.trade_side_type << s.order_types << s.permissions;
}
void dump(Dump& d, const ExchangeInfo& e) {
    d << e.server_time << e.symbols;
}
void dump(Dump& d, const DepthSnapshot& s) {
    d << s.last_update_id << s.timestamp;
    for (const auto& l : s.bids) d << l.price << l.quantity;
    for (const auto& l : s.asks) d << l.price << l.quantity;
}
void dump(Dump& d, const SymbolScales& s) {
    d << s.price << s.quantity;
}
void dump(Dump& d, const wire::ControlFrame& f) {
    d << f.kind << f.id << f.code << f.msg << f.topics;
}
void dump(Dump& d, const JsonReader::VenueError& e) {
    d << e.present << e.code << e.msg;
}
void dump(Dump& d, const TradeFee& f) {
    d << f.maker << f.taker;
}
void dump(Dump& d, const StpGroup& g) {
    d << g.name << g.id << g.uids << g.create_time << g.update_time;
}
void dump(Dump& d, const SubAccount& s) {
    d << s.name << s.note << s.uid << s.frozen << s.create_time;
}
void dump(Dump& d, const SubAccountApiKey& k) {
    d << k.sub_account << k.note << k.api_key << k.secret_key << k.permissions << k.ips
      << k.create_time;
}
void dump(Dump& d, const TransferRecord& t) {
    d << t.id << t.client_id << t.from_account << t.to_account << t.from_type << t.to_type
      << t.asset << t.amount << t.status << t.time;
}
void dump(Dump& d, const CoinNetwork& n) {
    d << n.network << n.deposit_enabled << n.withdraw_enabled << n.withdraw_fee << n.withdraw_min
      << n.withdraw_max << n.min_confirm << n.contract;
}
void dump(Dump& d, const CoinInfo& c) {
    d << c.coin << c.name << c.networks;
}
void dump(Dump& d, const DepositRecord& r) {
    d << r.coin << r.network << r.address << r.memo << r.tx_id << r.amount << r.status
      << r.insert_time;
}
void dump(Dump& d, const WithdrawRecord& w) {
    d << w.id << w.coin << w.network << w.address << w.memo << w.tx_id << w.remark
      << w.withdraw_order_id << w.amount << w.fee << w.status << w.transfer_type << w.apply_time
      << w.update_time;
}
void dump(Dump& d, const WalletAddress& a) {
    d << a.coin << a.network << a.address << a.memo << a.tag;
}
void dump(Dump& d, const ConvertibleAsset& a) {
    d << a.asset << a.balance << a.mx_value << a.usdt_value << a.code;
}
void dump(Dump& d, const ConvertResult& c) {
    d << c.converted << c.failed << c.total_mx << c.fee_mx;
}
void dump(Dump& d, const ConvertRecord& c) {
    d << c.id << c.asset << c.amount << c.mx << c.fee_mx << c.time;
}

template <class R>
std::string shown(const R& r) {
    if (!r) return "error: " + r.error().describe();
    Dump d;
    d << *r;
    return d.out;
}

using Decode = std::function<std::string(JsonReader&, std::string_view)>;

template <class Member>
Decode decode(Member m) {
    return [m](JsonReader& j, std::string_view body) { return shown((j.*m)(body)); };
}

struct Forms {
    const char* decoder;
    Decode read;
    std::string_view typical;  // integers as numbers, decimals as strings (as recorded)
    std::string_view other;    // integers as strings, decimals as numbers, optional fields null
};

// Recorded (SPEC §11.6) or documented (SPEC §3) answers, each in its two forms.
const Forms forms[] = {
    {"control_frame", decode(&JsonReader::control_frame), R"({"id":7,"code":0,"msg":"t@X"})",
     R"({"id":"7","code":"0","msg":"t@X"})"},
    {"depth_snapshot",
     [](JsonReader& j, std::string_view b) {
         DepthSnapshot s;
         auto r = j.depth_snapshot(b, SymbolScales{2, 8}, s);
         return r ? shown(Result<DepthSnapshot>(s)) : "error: " + r.error().describe();
     },
     R"({"asks":[["87903.98","5.12181600"]],"bids":[["87900.00","0.05661525"]],"lastUpdateId":56217769552,"timestamp":1767205854814})",
     R"({"asks":[["87903.98","5.12181600"]],"bids":[["87900.00","0.05661525"]],"lastUpdateId":"56217769552","timestamp":"1767205854814"})"},
    {"infer_scales", decode(&JsonReader::infer_scales),
     R"({"asks":[["87903.98","5.12181600"]],"bids":[],"lastUpdateId":56217769552})",
     R"({"asks":[["87903.98","5.12181600"]],"bids":[],"lastUpdateId":"56217769552","timestamp":null})"},
    {"server_time", decode(&JsonReader::server_time), R"({"serverTime":1767211150479})",
     R"({"serverTime":"1767211150479"})"},
    {"exchange_info", decode(&JsonReader::exchange_info),
     R"({"exchangeFilters":[],"rateLimits":[],"serverTime":1767211169287,"timezone":"CST","symbols":[)"
     R"({"baseAsset":"BTC","baseAssetPrecision":8,"baseSizePrecision":"0.000001","contractAddress":"",)"
     R"("isSpotTradingAllowed":false,"makerCommission":"0","maxQuoteAmount":"4000000","maxQuoteAmountMarket":"4000000",)"
     R"("orderTypes":["LIMIT","MARKET","LIMIT_MAKER"],"permissions":["SPOT"],"quoteAmountPrecision":"1",)"
     R"("quoteAmountPrecisionMarket":"1","quoteAsset":"USDT","quoteAssetPrecision":2,"quotePrecision":2,)"
     R"("status":"1","symbol":"BTCUSDT","takerCommission":"0.0005","tradeSideType":1}]})",
     R"({"exchangeFilters":null,"rateLimits":null,"serverTime":"1767211169287","timezone":null,"symbols":[)"
     R"({"baseAsset":"BTC","baseAssetPrecision":"8","baseSizePrecision":0.000001,"contractAddress":null,)"
     R"("isSpotTradingAllowed":false,"makerCommission":0,"maxQuoteAmount":4000000,"maxQuoteAmountMarket":4000000,)"
     R"("orderTypes":["LIMIT","MARKET","LIMIT_MAKER"],"permissions":["SPOT"],"quoteAmountPrecision":1,)"
     R"("quoteAmountPrecisionMarket":1,"quoteAsset":"USDT","quoteAssetPrecision":"2","quotePrecision":"2",)"
     R"("status":1,"symbol":"BTCUSDT","takerCommission":0.0005,"tradeSideType":"1","filters":null}]})"},
    {"order_ack", decode(&JsonReader::order_ack),
     R"({"symbol":"MXUSDT","orderId":"C02__1","orderListId":-1,"price":"3.6962","origQty":"1.00",)"
     R"("type":"LIMIT","side":"SELL","transactTime":1736417034259})",
     R"({"symbol":"MXUSDT","orderId":"C02__1","orderListId":"-1","price":3.6962,"origQty":1.00,)"
     R"("type":"LIMIT","side":"SELL","transactTime":"1736417034259","stpMode":null})"},
    {"order_info", decode(&JsonReader::order_info),
     R"({"symbol":"BTCUSDT","orderId":"C02__5","orderListId":-1,"clientOrderId":"c1","price":"84270.01",)"
     R"("origQty":"0.000100","executedQty":"0.000050","cummulativeQuoteQty":"4.2135005","status":"PARTIALLY_FILLED",)"
     R"("type":"LIMIT","side":"BUY","time":1736417034259,"updateTime":1736417034300,"isWorking":true})",
     R"({"symbol":"BTCUSDT","orderId":"C02__5","orderListId":"-1","clientOrderId":"c1","price":84270.01,)"
     R"("origQty":0.000100,"executedQty":0.000050,"cummulativeQuoteQty":4.2135005,"status":"PARTIALLY_FILLED",)"
     R"("type":"LIMIT","side":"BUY","time":"1736417034259","updateTime":"1736417034300","isWorking":"true",)"
     R"("stopPrice":null,"cancelReason":null,"timeInForce":null})"},
    {"order_infos", decode(&JsonReader::order_infos),
     R"([{"symbol":"BTCUSDT","orderId":"C02__5","status":"NEW","type":"LIMIT","side":"SELL","origQty":"1",)"
     R"("price":"90000","time":1736417034259,"updateTime":null}])",
     R"([{"symbol":"BTCUSDT","orderId":"C02__5","status":"NEW","type":"LIMIT","side":"SELL","origQty":1,)"
     R"("price":90000,"time":"1736417034259","updateTime":null,"clientOrderId":null}])"},
    {"trades", decode(&JsonReader::trades),
     R"([{"symbol":"MXUSDT","id":"505979017439002624X1","orderId":"C02__1","orderListId":-1,"price":"3.6962",)"
     R"("qty":"1","quoteQty":"3.6962","commission":"0.0003998377369698171","commissionAsset":"MX",)"
     R"("time":1736417034259,"isBuyer":false,"isMaker":true,"isSelfTrade":false,"clientOrderId":"c1"}])",
     R"([{"symbol":"MXUSDT","id":"505979017439002624X1","orderId":"C02__1","orderListId":"-1","price":3.6962,)"
     R"("qty":1,"quoteQty":3.6962,"commission":0.0003998377369698171,"commissionAsset":"MX",)"
     R"("time":"1736417034259","isBuyer":"false","isMaker":true,"isSelfTrade":false,"clientOrderId":"c1",)"
     R"("isBestMatch":null}])"},
    {"account", decode(&JsonReader::account),
     R"({"canTrade":true,"canWithdraw":true,"canDeposit":false,"accountType":"SPOT",)"
     R"("balances":[{"asset":"USDT","free":"21.94210356004384","locked":"0"}],"permissions":["SPOT"]})",
     R"({"makerCommission":null,"canTrade":true,"canWithdraw":true,"canDeposit":false,"updateTime":null,)"
     R"("accountType":"SPOT","balances":[{"asset":"USDT","free":21.94210356004384,"locked":0,"available":null}]})"},
    {"batch_results",
     [](JsonReader& j, std::string_view b) {
         return shown(j.batch_results(b, {"a", "b"}));
     },
     R"([{"symbol":"BTCUSDT","orderId":"C02__1","orderListId":-1,"newClientOrderId":"a"},)"
     R"({"newClientOrderId":"b","code":30002,"msg":"too small"}])",
     R"([{"symbol":"BTCUSDT","orderId":"C02__1","orderListId":"-1","newClientOrderId":"a","code":null},)"
     R"({"newClientOrderId":"b","code":"30002","msg":"too small"}])"},
    {"listen_key", decode(&JsonReader::listen_key),
     R"({"listenKey":"pqia91ma19a5s61cv6a81va65sdf"})",
     R"({"listenKey":"pqia91ma19a5s61cv6a81va65sdf","expires":null})"},
    {"public_trades", decode(&JsonReader::public_trades),
     R"([{"id":null,"isBestMatch":true,"isBuyerMaker":false,"price":"87924.49","qty":"0.00722558",)"
     R"("quoteQty":"635.3054364542","time":1767205820300,"tradeType":"BID"}])",
     R"([{"id":null,"isBestMatch":null,"isBuyerMaker":false,"price":87924.49,"qty":0.00722558,)"
     R"("quoteQty":635.3054364542,"time":"1767205820300","tradeType":null}])"},
    {"klines", decode(&JsonReader::klines),
     R"([[1767056100000,"87231.15","87269.54","87231.12","87250.54","17.48934453",1767056400000,"1525897.53"]])",
     R"([["1767056100000",87231.15,87269.54,87231.12,87250.54,17.48934453,"1767056400000",1525897.53]])"},
    {"average_price", decode(&JsonReader::average_price), R"({"mins":5,"price":"87920.64"})",
     R"({"mins":"5","price":87920.64,"closeTime":null})"},
    {"tickers_24h", decode(&JsonReader::tickers_24h),
     R"({"askPrice":"87904.5","askQty":"0.00639626","bidPrice":"87903.99","bidQty":"0.00011535",)"
     R"("closeTime":1767206031677,"count":null,"highPrice":"89190.19","lastPrice":"87904","lowPrice":"87405.97",)"
     R"("openPrice":"88395.05","openTime":1767206022041,"prevClosePrice":"88395.05","priceChange":"-491.05",)"
     R"("priceChangePercent":"-0.0055","quoteVolume":"677764373.43","symbol":"BTCUSDT","volume":"7670.80936815"})",
     R"({"askPrice":87904.5,"askQty":0.00639626,"bidPrice":87903.99,"bidQty":0.00011535,)"
     R"("closeTime":"1767206031677","count":null,"highPrice":89190.19,"lastPrice":87904,"lowPrice":87405.97,)"
     R"("openPrice":88395.05,"openTime":"1767206022041","prevClosePrice":88395.05,"priceChange":-491.05,)"
     R"("priceChangePercent":-0.0055,"quoteVolume":677764373.43,"symbol":"BTCUSDT","volume":7670.80936815,"lastQty":null})"},
    {"ticker_prices", decode(&JsonReader::ticker_prices),
     R"([{"symbol":"BTCUSDT","price":"87904"},{"symbol":"MXUSDT","price":"3.6962"}])",
     R"([{"symbol":"BTCUSDT","price":87904},{"symbol":"MXUSDT","price":3.6962}])"},
    {"book_tickers", decode(&JsonReader::book_tickers),
     R"({"askPrice":"87894.45","askQty":"1.78302400","bidPrice":"87893.56","bidQty":"3.14191200","symbol":"BTCUSDT"})",
     R"({"askPrice":87894.45,"askQty":1.78302400,"bidPrice":87893.56,"bidQty":3.14191200,"symbol":"BTCUSDT"})"},
    {"symbol_list", decode(&JsonReader::symbol_list),
     R"({"code":0,"data":["SNTUSDT","CGPTUSDT"],"msg":"success","timestamp":1767205878625})",
     R"({"code":"0","data":["SNTUSDT","CGPTUSDT"],"msg":null,"timestamp":"1767205878625"})"},
    {"agg_trades", decode(&JsonReader::agg_trades),
     R"([{"M":true,"T":1767204403000,"a":null,"f":null,"l":null,"m":false,"p":"87644.58","q":"0.61162371"}])",
     R"([{"M":true,"T":"1767204403000","a":null,"f":null,"l":null,"m":false,"p":87644.58,"q":0.61162371}])"},
    {"etf_infos", decode(&JsonReader::etf_infos),
     R"({"symbol":"BTC3LUSDT","netValue":"1.0523","feeRate":"0.0003","timestamp":1767204403000,)"
     R"("leverage":"3","realLeverage":"3.12","mergedTimes":2,"lastMergedTime":1767000000000,"basket":"0.01 BTC"})",
     R"({"symbol":"BTC3LUSDT","netValue":1.0523,"feeRate":0.0003,"timestamp":"1767204403000",)"
     R"("leverage":3,"realLeverage":3.12,"mergedTimes":"2","lastMergedTime":"1767000000000","basket":"0.01 BTC"})"},
    {"offline_symbols", decode(&JsonReader::offline_symbols),
     R"({"data":[{"symbol":"ABCUSDT","state":3,"offlineTime":1767204403000},{"symbol":"XYZUSDT","state":2}]})",
     R"({"code":"0","data":[{"symbol":"ABCUSDT","state":"3","offlineTime":"1767204403000"},)"
     R"({"symbol":"XYZUSDT","state":"2","offlineTime":null}]})"},
    {"field_text", [](JsonReader& j, std::string_view b) { return shown(j.field_text(b, "uid")); },
     R"({"uid":"49910594"})", R"({"uid":49910594})"},
    {"listen_keys", decode(&JsonReader::listen_keys), R"({"listenKey":["k1","k2"]})",
     R"({"listenKey":["k1","k2"],"code":null})"},
    {"trade_fee", decode(&JsonReader::trade_fee),
     R"({"data":{"makerCommission":"0.003000000000000000","takerCommission":"0.003"},"code":0,"msg":"success","timestamp":1767205878625})",
     R"({"data":{"makerCommission":0.003000000000000000,"takerCommission":0.003},"code":"0","msg":null,"timestamp":"1767205878625"})"},
    {"mx_deduct", decode(&JsonReader::mx_deduct),
     R"({"data":{"mxDeductEnable":true},"code":0,"msg":"success","timestamp":1767205878625})",
     R"({"data":{"mxDeductEnable":"true"},"code":"0","msg":null,"timestamp":"1767205878625"})"},
    {"stp_groups", decode(&JsonReader::stp_groups),
     R"({"data":[{"tradeGroupName":"g","tradeGroupId":12,"tradeGroupUid":"1,2","createTime":1767205878625,)"
     R"("updateTime":1767205878626}],"code":200,"msg":"success"})",
     R"({"data":[{"tradeGroupName":"g","tradeGroupId":"12","tradeGroupUid":["1","2"],"createTime":"1767205878625",)"
     R"("updateTime":"1767205878626"}],"code":"200","msg":null})"},
    {"sub_accounts", decode(&JsonReader::sub_accounts),
     R"({"subAccounts":[{"subAccount":"bot1","isFreeze":false,"createTime":1767205878625,"uid":"49910594"}]})",
     R"({"subAccounts":[{"subAccount":"bot1","isFreeze":"false","createTime":"1767205878625","uid":49910594,"note":null}]})"},
    {"sub_account_api_keys", decode(&JsonReader::sub_account_api_keys),
     R"({"subAccount":[{"note":"n","apiKey":"mx0k","permissions":"SPOT_DEAL_READ,SPOT_DEAL_WRITE","ip":"1.2.3.4",)"
     R"("creatTime":1767205878625}]})",
     R"({"subAccount":[{"note":"n","apiKey":"mx0k","permissions":["SPOT_DEAL_READ","SPOT_DEAL_WRITE"],)"
     R"("ip":["1.2.3.4"],"creatTime":"1767205878625","secretKey":null}]})"},
    {"transfers", decode(&JsonReader::transfers),
     R"({"rows":[{"tranId":"11945860693","fromAccount":"","toAccount":"bot1","fromAccountType":"SPOT",)"
     R"("toAccountType":"SPOT","asset":"USDT","amount":"1.5","status":"SUCCESS","timestamp":1767205878625}],"total":1})",
     R"({"rows":[{"tranId":11945860693,"fromAccount":"","toAccount":"bot1","fromAccountType":"SPOT",)"
     R"("toAccountType":"SPOT","asset":"USDT","amount":1.5,"status":"SUCCESS","timestamp":"1767205878625",)"
     R"("clientTranId":null}],"total":"1"})"},
    {"coins", decode(&JsonReader::coins),
     R"([{"coin":"USDT","Name":"Tether","networkList":[{"coin":"USDT","depositEnable":true,"withdrawEnable":true,)"
     R"("withdrawFee":"1","withdrawMin":"10","withdrawMax":"1000000","minConfirm":12,"contract":"0xdac",)"
     R"("netWork":"ERC20"}]}])",
     R"([{"coin":"USDT","Name":"Tether","networkList":[{"coin":"USDT","depositEnable":"true","withdrawEnable":true,)"
     R"("withdrawFee":1,"withdrawMin":10,"withdrawMax":1000000,"minConfirm":"12","contract":"0xdac",)"
     R"("netWork":"ERC20","withdrawTips":null,"depositTips":null}]}])"},
    {"deposits", decode(&JsonReader::deposits),
     R"([{"amount":"50000","coin":"USDT","network":"TRC20","status":5,"address":"T1","txId":"0x1",)"
     R"("insertTime":1767205878625,"memo":""}])",
     R"([{"amount":50000,"coin":"USDT","network":"TRC20","status":"5","address":"T1","txId":"0x1",)"
     R"("insertTime":"1767205878625","memo":"","unlockConfirm":null}])"},
    {"withdrawals", decode(&JsonReader::withdrawals),
     R"([{"id":"bb17a2d452684f00a523c015d512a341","txId":"0x2","coin":"USDT","network":"TRC20",)"
     R"("address":"T1","amount":"10","transferType":0,"status":7,"transactionFee":"1","applyTime":1767205878625,)"
     R"("updateTime":1767205878700,"memo":"","remark":"r","withdrawOrderId":"w1"}])",
     R"([{"id":"bb17a2d452684f00a523c015d512a341","txId":"0x2","coin":"USDT","network":"TRC20",)"
     R"("address":"T1","amount":10,"transferType":"0","status":"7","transactionFee":1,"applyTime":"1767205878625",)"
     R"("updateTime":"1767205878700","memo":"","remark":"r","withdrawOrderId":"w1","confirmNo":null}])"},
    {"addresses", decode(&JsonReader::addresses),
     R"([{"coin":"USDT","network":"TRC20","address":"T1","memo":"m"}])",
     R"([{"coin":"USDT","network":"TRC20","address":"T1","memo":"m","addressTag":null}])"},
    {"convertible_assets", decode(&JsonReader::convertible_assets),
     R"([{"asset":"ABC","code":"","balance":"0.5","convertMx":"0.01","convertUsdt":"0.02"}])",
     R"([{"asset":"ABC","code":"","balance":0.5,"convertMx":0.01,"convertUsdt":0.02,"message":null}])"},
    {"convert_result", decode(&JsonReader::convert_result),
     R"({"successList":["ABC"],"failedList":[],"totalConvert":"0.5","convertFee":"0.01"})",
     R"({"successList":["ABC"],"failedList":null,"totalConvert":0.5,"convertFee":0.01})"},
    {"conversions", decode(&JsonReader::conversions),
     R"({"data":[{"totalConvert":"0.5","totalFee":"0.01","convertTime":1767205878625,"convertDetails":[)"
     R"({"id":"1","convert":"0.5","fee":"0.01","amount":"2","time":1767205878625,"asset":"ABC"}]}],"totalRecords":1})",
     R"({"data":[{"totalConvert":0.5,"totalFee":0.01,"convertTime":"1767205878625","convertDetails":[)"
     R"({"id":1,"convert":0.5,"fee":0.01,"amount":2,"time":"1767205878625","asset":"ABC"}]}],"totalRecords":"1"})"},
    {"venue_error",
     [](JsonReader& j, std::string_view b) {
         Dump d;
         d << j.venue_error(b);
         return d.out;
     },
     R"({"code":700002,"msg":"Signature for this request is not valid."})",
     R"({"code":"700002","msg":"Signature for this request is not valid.","_extend":null})"},
};

}  // namespace

TEST_CASE(
    "P16 every JSON decoder reads integers as numbers or strings and decimals as strings or "
    "numbers, identically",
    "[unit][wire][json][P16]") {
    JsonReader reader;
    CHECK(std::size(forms) == 38);  // one row per JsonReader decoder
    for (const auto& f : forms) {
        INFO("decoder: " << f.decoder);
        const std::string typical = f.read(reader, f.typical);
        const std::string other = f.read(reader, f.other);
        INFO("typical: " << typical);
        CHECK(typical.rfind("error", 0) == std::string::npos);
        CHECK(other == typical);
        CHECK(typical.size() > 4);  // something was decoded
    }
}

TEST_CASE("P16 integers are strict: digits with an optional '-', within range, in either form",
          "[unit][wire][json][P16]") {
    JsonReader reader;
    CHECK(reader.server_time(R"({"serverTime":"-5"})").value() == -5);
    CHECK(reader.server_time(R"({"serverTime":"9223372036854775807"})").value() ==
          9223372036854775807);
    for (std::string_view body :
         {R"({"serverTime":""})", R"({"serverTime":"+1"})", R"({"serverTime":" 1"})",
          R"({"serverTime":"1 "})", R"({"serverTime":"1.0"})", R"({"serverTime":1.5})",
          R"({"serverTime":"1e3"})", R"({"serverTime":1e3})", R"({"serverTime":"-"})",
          R"({"serverTime":"9223372036854775808"})", R"({"serverTime":9223372036854775808})",
          R"({"serverTime":"0x10"})", R"({"serverTime":true})", R"({"serverTime":[1]})"}) {
        INFO(body);
        auto r = reader.server_time(body);
        REQUIRE_FALSE(r);
        CHECK(r.error().condition() == Condition::bad_data);
        CHECK(r.error().code() == Errc::unexpected_json_shape);
        CHECK(r.error().venue_message() == "serverTime");
    }
    // A required integer that is null is missing, and named.
    auto null_time = reader.agg_trades(R"([{"p":"1","q":"1","T":null}])");
    REQUIRE_FALSE(null_time);
    CHECK(null_time.error().code() == Errc::missing_field);
    CHECK(null_time.error().venue_message() == "T");
    // Out of a narrower field's range: a precision above 255 is not cut to a byte.
    auto wide = reader.offline_symbols(R"({"data":[{"symbol":"A","state":"258"}]})");
    REQUIRE_FALSE(wide);
    CHECK(wide.error().venue_message() == "state");
}

TEST_CASE("P06 decimals written as JSON numbers are read exactly from their text",
          "[unit][wire][json]") {
    JsonReader reader;
    auto t = reader.ticker_prices(
        R"([{"symbol":"A","price":0.1},{"symbol":"B","price":123456789.123456789},)"
        R"({"symbol":"C","price":-0.0055},{"symbol":"D","price":0.30000000000000004}])");
    REQUIRE(t);
    REQUIRE(t->size() == 4);
    CHECK((*t)[0].price.to_string() == "0.1");
    CHECK((*t)[1].price.to_string() == "123456789.123456789");  // beyond a double's digits
    CHECK((*t)[2].price.to_string() == "-0.0055");
    CHECK((*t)[3].price.to_string() == "0.30000000000000004");
    for (std::string_view body :
         {R"({"symbol":"A","price":1e3})", R"({"symbol":"A","price":1E-3})",
          R"({"symbol":"A","price":"1e3"})", R"({"symbol":"A","price":" 1"})",
          R"({"symbol":"A","price":true})", R"({"symbol":"A","price":{}})"}) {
        INFO(body);
        auto r = reader.ticker_prices(body);
        REQUIRE_FALSE(r);
        CHECK(r.error().condition() == Condition::bad_data);
        CHECK(r.error().venue_message() == "price");
    }
    // Account-management bodies too: a fee as a number keeps all its written decimals.
    auto fee = reader.trade_fee(
        R"({"data":{"makerCommission":0.003000000000000000,"takerCommission":0}})");
    REQUIRE(fee);
    CHECK(fee->maker.to_string() == "0.003000000000000000");
    CHECK(fee->taker.units() == 0);
}

TEST_CASE("P16 optional fields may be null, a required one that is null is missing and named",
          "[unit][wire][json][P16]") {
    JsonReader reader;
    auto o = reader.order_info(
        R"({"symbol":"X","orderId":"1","status":"NEW","type":"LIMIT","side":"BUY","origQty":"1",)"
        R"("price":null,"executedQty":null,"time":null,"updateTime":null,"clientOrderId":null,"cancelReason":null})");
    REQUIRE(o);
    CHECK(o->price.units() == 0);
    CHECK(o->time == 0);
    CHECK(o->client_order_id.empty());
    for (std::string_view field : {"symbol", "orderId", "status", "type", "side", "origQty"}) {
        std::string body =
            R"({"symbol":"X","orderId":"1","status":"NEW","type":"LIMIT","side":"BUY","origQty":"1"})";
        const std::string key = "\"" + std::string(field) + "\":";
        const auto at = body.find(key) + key.size();
        body.replace(at, body.find_first_of(",}", at) - at, "null");
        INFO(body);
        auto r = reader.order_info(body);
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == Errc::missing_field);
        CHECK(r.error().venue_message() == field);
    }
    auto ack = reader.order_ack(R"({"symbol":"X","orderId":null})");
    REQUIRE_FALSE(ack);
    CHECK(ack.error().venue_message() == "orderId");
    auto deposit = reader.deposits(R"([{"coin":"USDT","amount":"1","status":null}])");
    REQUIRE_FALSE(deposit);
    CHECK(deposit.error().code() == Errc::missing_field);
    CHECK(deposit.error().venue_message() == "status");
    auto network = reader.coins(R"([{"coin":"USDT","networkList":[{"minConfirm":"x"}]}])");
    REQUIRE_FALSE(network);
    CHECK(network.error().venue_message() == "minConfirm");  // the inner field, not the list
}

TEST_CASE("P16 an enumeration value the library does not know decodes as unknown, the rest kept",
          "[unit][wire][json][P16]") {
    JsonReader reader;
    // STOP_MARKET_ORDER appears in order queries (SPEC §4.2); PENDING is mapped defensively by
    // other clients (§4.3).
    auto listed = reader.order_infos(
        R"([{"symbol":"BTCUSDT","orderId":"1","status":"PENDING","type":"STOP_MARKET_ORDER","side":"BUY",)"
        R"("origQty":"0.5","price":"90000","time":"1736417034259"},)"
        R"({"symbol":"BTCUSDT","orderId":"2","status":"NEW","type":"LIMIT","side":"HOLD","origQty":"1"}])");
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    const auto& first = (*listed)[0];
    CHECK(first.status == OrderStatus::unknown);
    CHECK(first.type == OrderType::unknown);
    CHECK(first.side == Side::buy);
    CHECK(first.orig_qty.to_string() == "0.5");
    CHECK(first.time == 1736417034259);
    CHECK((*listed)[1].side == Side::unknown);
    CHECK((*listed)[1].status == OrderStatus::new_order);
    CHECK_FALSE(is_final(OrderStatus::unknown));
    CHECK(to_string(OrderStatus::unknown) == "UNKNOWN");
    CHECK(to_string(OrderType::unknown) == "UNKNOWN");
    CHECK(to_string(Side::unknown) == "UNKNOWN");
    CHECK_FALSE(parse_order_type("UNKNOWN"));  // never produced from the text "UNKNOWN" itself

    auto ack = reader.order_ack(
        R"({"symbol":"BTCUSDT","orderId":"C02__1","type":"STOP_MARKET_ORDER","side":"BUY"})");
    REQUIRE(ack);
    CHECK(ack->type == OrderType::unknown);
}

TEST_CASE("E09 a request with an unknown side or type is never sendable",
          "[unit][wire][json][E09]") {
    OrderRequest o;
    o.symbol = "BTCUSDT";
    CHECK(sendable(o));
    o.type = OrderType::unknown;
    auto type = sendable(o);
    REQUIRE_FALSE(type);
    CHECK(type.error().condition() == Condition::rejected);
    CHECK(type.error().code() == Errc::invalid_argument);
    o.type = OrderType::limit;
    o.side = Side::unknown;
    CHECK_FALSE(sendable(o));
}

TEST_CASE(
    "E08 the recorded BTCUSDT (isSpotTradingAllowed false) is tradable unless configured "
    "otherwise, a symbol not online is refused",
    "[unit][wire][json][rules][E08]") {
    // SPEC §11.6, exchangeInfo?symbol=BTCUSDT, as recorded.
    constexpr std::string_view recorded =
        R"({"exchangeFilters":[],"rateLimits":[],"serverTime":1767211169287,"timezone":"CST","symbols":[)"
        R"({"baseAsset":"BTC","baseAssetPrecision":8,"baseCommissionPrecision":8,"baseSizePrecision":"0.000001",)"
        R"("conceptPlateIds":[50,5,39,12],"contractAddress":"","filters":[{"askMultiplierDown":"0.005",)"
        R"("bidMultiplierUp":"0.005","filterType":"PERCENT_PRICE_BY_SIDE"}],"fullName":"Bitcoin",)"
        R"("isMarginTradingAllowed":false,"isSpotTradingAllowed":false,"makerCommission":"0",)"
        R"("maxQuoteAmount":"4000000","maxQuoteAmountMarket":"4000000","orderTypes":["LIMIT","MARKET","LIMIT_MAKER"],)"
        R"("permissions":["SPOT"],"quoteAmountPrecision":"1","quoteAmountPrecisionMarket":"1","quoteAsset":"USDT",)"
        R"("quoteAssetPrecision":2,"quoteCommissionPrecision":2,"quotePrecision":2,"st":false,"status":"1",)"
        R"("symbol":"BTCUSDT","takerCommission":"0.0005","tradeSideType":1}]})";
    JsonReader reader;
    auto info = reader.exchange_info(recorded);
    REQUIRE(info);
    REQUIRE(info->symbols.size() == 1);
    const SymbolInfo btc = info->symbols[0];
    OrderRequest order;
    order.symbol = "BTCUSDT";
    order.price = Price::parse("87900.00", 2).value();
    order.quantity = Quantity::parse("0.001", 3).value();

    auto rules = SymbolRules::from(btc).value();
    CHECK_FALSE(rules.spot_trading_allowed());  // reported as MEXC said it
    CHECK(rules.check(order));                  // but not refused on by default

    auto strict = SymbolRules::from(btc, RulesPolicy{true}).value();
    auto refused = strict.check(order);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().condition() == Condition::rejected);
    CHECK(refused.error().code() == Errc::symbol_not_tradable);

    for (std::string_view status : {"2", "3", "", "DISABLED"}) {
        SymbolInfo s = btc;
        s.status = status;
        auto r = SymbolRules::from(s).value().check(order);
        INFO("status " << status);
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == Errc::symbol_not_tradable);
    }
    SymbolInfo older = btc;
    older.status = "ENABLED";  // the status of examples before 2024-08-16 (SPEC §3.1)
    CHECK(SymbolRules::from(older).value().check(order));
}
