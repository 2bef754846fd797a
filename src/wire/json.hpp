#pragma once
// JSON frames and bodies: WebSocket control frames (SPEC §7.3, §11.5) and the REST bodies the
// book and clock need. Backed by simdjson; one JsonReader per connection, reused, so parsing does
// not allocate in steady state. Views returned here live until the reader's next parse.

#include "mexc/account.hpp"
#include "mexc/error.hpp"
#include "mexc/market.hpp"
#include "mexc/order.hpp"
#include "mexc/types.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mexc::wire {

enum class ControlKind : std::uint8_t {
    pong,        ///< {"id":0,"code":0,"msg":"PONG"}
    subscribed,  ///< ack whose msg lists the topics
    rejected,    ///< "Not Subscribed successfully! [..]. Reason： Blocked!" (code is still 0)
    duplicate,   ///< ack with msg "" (repeated subscription on one connection)
    invalid_listen_key,  ///< plain text "Invalid listen key"
    other,               ///< any other JSON object (kept, counted)
};

struct ControlFrame {
    ControlKind kind = ControlKind::other;
    std::int64_t id = 0;
    std::int64_t code = 0;
    std::string_view msg;     ///< for subscribed: the topics joined by ','
    std::string_view topics;  ///< for rejected: the bracketed list, joined by ','
};

/// A reusable parser with its own padded buffer (inputs need no simdjson padding, P17).
class JsonReader {
public:
    JsonReader();
    ~JsonReader();
    JsonReader(JsonReader&&) noexcept;
    JsonReader& operator=(JsonReader&&) noexcept;

    /// A text frame received on a MEXC WebSocket.
    Result<ControlFrame> control_frame(std::string_view text) noexcept;

    /// `GET /api/v3/depth` into `out` (vectors reused). Prices and quantities must fit `scales`.
    Result<void> depth_snapshot(std::string_view body, SymbolScales scales,
                                DepthSnapshot& out) noexcept;

    /// `GET /api/v3/depth` with scales inferred from the widest decimal written (replay tools).
    Result<SymbolScales> infer_scales(std::string_view depth_body) noexcept;

    /// `GET /api/v3/time` → serverTime (ms).
    Result<std::int64_t> server_time(std::string_view body) noexcept;

    /// `GET /api/v3/exchangeInfo`.
    Result<ExchangeInfo> exchange_info(std::string_view body);

    // Trading and account bodies (SPEC §3.2, §3.3). A required field that is missing or of the
    // wrong type is Errc::missing_field / unexpected_json_shape with the field's name as the
    // error's message (P16); unknown fields are ignored.
    Result<OrderAck> order_ack(std::string_view body);
    Result<OrderInfo> order_info(std::string_view body);
    Result<std::vector<OrderInfo>> order_infos(std::string_view body);
    Result<std::vector<TradeInfo>> trades(std::string_view body);
    Result<AccountInfo> account(std::string_view body);
    /// POST /api/v3/batchOrders answer, matched to `client_ids` (the request's, in order).
    Result<std::vector<BatchOrderResult>> batch_results(std::string_view body,
                                                        const std::vector<std::string>& client_ids);
    /// {"listenKey": "..."}
    Result<std::string> listen_key(std::string_view body);

    // Market data (SPEC §3.1): an object, or an array of objects when no symbol was given.
    Result<std::vector<PublicTrade>> public_trades(std::string_view body);
    Result<std::vector<KlineBar>> klines(std::string_view body);
    Result<AveragePrice> average_price(std::string_view body);
    Result<std::vector<Ticker24h>> tickers_24h(std::string_view body);
    Result<std::vector<TickerPrice>> ticker_prices(std::string_view body);
    Result<std::vector<BookTickerInfo>> book_tickers(std::string_view body);
    /// Wrapped {"code":0|200,"data":[...]} of defaultSymbols / selfSymbols.
    Result<std::vector<std::string>> symbol_list(std::string_view body);
    /// GET /api/v3/aggTrades: an array of {a,f,l,p,q,T,m,M}.
    Result<std::vector<AggTrade>> agg_trades(std::string_view body);
    /// GET /api/v3/etf/info: an object, an array, or wrapped {"code":..,"data":[...]}.
    Result<std::vector<EtfInfo>> etf_infos(std::string_view body);
    /// GET /api/v3/symbol/offline: {"data":[{"symbol","state","offlineTime"}]}, `code` optional.
    Result<std::vector<OfflineSymbol>> offline_symbols(std::string_view body);

    // Account-management bodies (SPEC §3.2 extras, §3.4–§3.6). MEXC wraps these inconsistently
    // (an object, an array, {"data":..}, {"rows":..}, [{"rows":..}]); each reader accepts the
    // shapes its endpoint is documented or observed with. Required fields as above (P16).
    /// A string field of a one-field answer ({"uid":".."}, {"id":..}, [{"tranId":..}]); numbers
    /// too.
    Result<std::string> field_text(std::string_view body, std::string_view name);
    /// {"listenKey":[...]}
    Result<std::vector<std::string>> listen_keys(std::string_view body);
    Result<TradeFee> trade_fee(std::string_view body);
    /// {"data":{"mxDeductEnable":bool},...}
    Result<bool> mx_deduct(std::string_view body);
    /// STP group answers: the `data` object or array of the wrapped envelope.
    Result<std::vector<StpGroup>> stp_groups(std::string_view body);
    Result<std::vector<SubAccount>> sub_accounts(std::string_view body);
    /// The creation answer (with the secret) or {"subAccount":[...]} (without).
    Result<std::vector<SubAccountApiKey>> sub_account_api_keys(std::string_view body);
    Result<std::vector<TransferRecord>> transfers(std::string_view body);
    Result<std::vector<CoinInfo>> coins(std::string_view body);
    Result<std::vector<DepositRecord>> deposits(std::string_view body);
    Result<std::vector<WithdrawRecord>> withdrawals(std::string_view body);
    Result<std::vector<WalletAddress>> addresses(std::string_view body);
    Result<std::vector<ConvertibleAsset>> convertible_assets(std::string_view body);
    Result<ConvertResult> convert_result(std::string_view body);
    Result<std::vector<ConvertRecord>> conversions(std::string_view body);

    /// A MEXC error body {"code":..,"msg":..} (code as number or string); nullopt-like when absent.
    struct VenueError {
        std::int64_t code = 0;
        std::string_view msg;
        bool present = false;
    };
    VenueError venue_error(std::string_view body) noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mexc::wire
